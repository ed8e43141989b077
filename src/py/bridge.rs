//! Delivering async results to asyncio without touching Python from tokio threads.
//!
//! pyo3-async-runtimes' `future_into_py` hands every result to a fresh blocking-pool
//! thread that takes the GIL and calls `loop.call_soon_threadsafe`: per request a
//! thread handoff, a GIL fight with the event loop and three Python calls. Under
//! load that dominated the client's CPU, and a delivery racing interpreter exit
//! crashed the process (CPython ends a thread that asks for the GIL during
//! finalization, and unwinding Rust frames then drops Python objects unlocked).
//!
//! Here a `LoopBridge` per event loop owns a queue of finished operations. A tokio
//! task pushes its Rust-side result (no Python objects are created off the loop)
//! and, only when the queue was empty, wakes the loop by writing one byte to a
//! socket the loop watches (`loop.add_reader`). On the loop thread, the reader
//! callback converts each result to Python and resolves its `asyncio.Future`: a burst of
//! completions costs one wake-up and no GIL traffic at all. Loops without
//! `add_reader` (Windows' proactor) are woken with `call_soon_threadsafe` instead,
//! still once per batch.

use pyo3::exceptions::{PyAttributeError, PyNotImplementedError};
use pyo3::prelude::*;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Turns a finished operation's Rust result into the future's value (GIL held).
type Finish = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

struct Completion {
    future: Py<PyAny>,
    finish: Finish,
}

enum Wake {
    /// Write end of the socket pair whose read end the loop watches.
    #[cfg(unix)]
    Socket(std::os::unix::net::UnixStream),
    /// `loop.call_soon_threadsafe`, for loops that cannot watch a socket.
    Threadsafe(Py<PyAny>),
}

struct Inner {
    queue: Mutex<Vec<Completion>>,
    /// A wake-up is on its way (or the queue is being drained).
    scheduled: AtomicBool,
    wake: OnceLock<Wake>,
    #[cfg(unix)]
    reader: std::os::unix::net::UnixStream,
}

impl Inner {
    fn complete(self: &Arc<Self>, c: Completion) {
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).push(c);
        if !self.scheduled.swap(true, Ordering::AcqRel) {
            self.wake();
        }
    }

    fn wake(self: &Arc<Self>) {
        match self.wake.get() {
            None => {}
            #[cfg(unix)]
            Some(Wake::Socket(w)) => {
                use std::io::Write;
                // Non-blocking; a full buffer means a wake-up is already pending.
                let mut w: &std::os::unix::net::UnixStream = w;
                let _ = w.write(&[1]);
            }
            Some(Wake::Threadsafe(call_soon_threadsafe)) => {
                let drainer = Drainer(self.clone());
                Python::attach(|py| {
                    let result = Py::new(py, drainer)
                        .and_then(|d| call_soon_threadsafe.call1(py, (d,)).map(drop));
                    if let Err(e) = result {
                        // The loop is closed: nobody is waiting any more.
                        log::debug!("could not wake the event loop: {e}");
                    }
                });
            }
        }
    }

    fn drain(&self, py: Python<'_>) {
        #[cfg(unix)]
        {
            use std::io::Read;
            let mut buf = [0u8; 64];
            while matches!((&self.reader).read(&mut buf), Ok(n) if n > 0) {}
        }
        // Cleared before taking the queue: a result pushed from now on wakes again.
        self.scheduled.store(false, Ordering::Release);
        let batch = std::mem::take(&mut *self.queue.lock().unwrap_or_else(|e| e.into_inner()));
        for Completion { future, finish } in batch {
            if let Err(e) = resolve(py, future.bind(py), finish) {
                // InvalidStateError and the like: the waiter is gone.
                log::debug!("could not deliver a result to its future: {e}");
            }
        }
    }
}

fn resolve(py: Python<'_>, future: &Bound<'_, PyAny>, finish: Finish) -> PyResult<()> {
    // A cancelled waiter already aborted the task; the result has nowhere to go.
    if future
        .call_method0(pyo3::intern!(py, "done"))?
        .is_truthy()?
    {
        return Ok(());
    }
    match finish(py) {
        Ok(value) => future.call_method1(pyo3::intern!(py, "set_result"), (value,))?,
        Err(err) => {
            future.call_method1(pyo3::intern!(py, "set_exception"), (err.into_value(py),))?
        }
    };
    Ok(())
}

/// The completion queue of one event loop (see the module docs); `reelkit._client`
/// keeps one per loop.
#[pyclass(frozen, module = "reelkit._native")]
pub struct LoopBridge {
    inner: Arc<Inner>,
}

#[pymethods]
impl LoopBridge {
    /// Registers with `py_loop`: `add_reader` on a socket where supported, else
    /// wake-ups through `call_soon_threadsafe`.
    #[new]
    fn new(py_loop: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = py_loop.py();
        #[cfg(unix)]
        let (reader, writer) = {
            let (reader, writer) = std::os::unix::net::UnixStream::pair()?;
            reader.set_nonblocking(true)?;
            writer.set_nonblocking(true)?;
            (reader, writer)
        };
        let inner = Arc::new(Inner {
            queue: Mutex::new(Vec::new()),
            scheduled: AtomicBool::new(false),
            wake: OnceLock::new(),
            #[cfg(unix)]
            reader,
        });
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            let fd = inner.reader.as_raw_fd();
            let drainer = Py::new(py, Drainer(inner.clone()))?;
            match py_loop.call_method1(pyo3::intern!(py, "add_reader"), (fd, drainer)) {
                Ok(_) => {
                    let _ = inner.wake.set(Wake::Socket(writer));
                    return Ok(LoopBridge { inner });
                }
                Err(e)
                    if e.is_instance_of::<PyNotImplementedError>(py)
                        || e.is_instance_of::<PyAttributeError>(py) => {}
                Err(e) => return Err(e),
            }
        }
        let call = py_loop.getattr(pyo3::intern!(py, "call_soon_threadsafe"))?;
        let _ = inner.wake.set(Wake::Threadsafe(call.unbind()));
        Ok(LoopBridge { inner })
    }

    /// True when the loop watches a socket (False: `call_soon_threadsafe` wake-ups).
    #[getter]
    fn uses_socket(&self) -> bool {
        #[cfg(unix)]
        {
            matches!(self.inner.wake.get(), Some(Wake::Socket(_)))
        }
        #[cfg(not(unix))]
        false
    }
}

/// `loop.call_soon_threadsafe` target of the fallback wake-up.
#[pyclass(frozen, module = "reelkit._native")]
struct Drainer(Arc<Inner>);

#[pymethods]
impl Drainer {
    fn __call__(&self, py: Python<'_>) {
        self.0.drain(py);
    }
}

/// An operation running for an asyncio waiter; `abort()` drops it (closing its
/// connection) when the waiter is cancelled.
#[pyclass(frozen, module = "reelkit._native")]
pub struct NativeTask {
    handle: tokio::task::AbortHandle,
}

#[pymethods]
impl NativeTask {
    fn abort(&self) {
        self.handle.abort();
    }
}

/// Run `fut` on the shared runtime; when it finishes, `finish` (on the loop thread)
/// turns its output into the result of `future`, an `asyncio.Future` of the loop
/// `bridge` serves.
pub fn spawn<T, F, C>(future: Py<PyAny>, bridge: &LoopBridge, fut: F, finish: C) -> NativeTask
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let inner = bridge.inner.clone();
    let handle = crate::py::runtime::runtime().spawn(async move {
        let output = fut.await;
        inner.complete(Completion {
            future,
            finish: Box::new(move |py| finish(py, output)),
        });
    });
    NativeTask {
        handle: handle.abort_handle(),
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<LoopBridge>()?;
    m.add_class::<NativeTask>()?;
    Ok(())
}
