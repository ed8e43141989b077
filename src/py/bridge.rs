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
//! callback converts each result to Python and resolves its `asyncio.Future`: a
//! burst of completions costs one wake-up and no GIL traffic at all. A loop that
//! cannot watch a socket (Windows' proactor) gets no bridge (`LoopBridge(loop)`
//! raises `NotImplementedError`) and the client falls back to `runtime::run_async`.

use pyo3::exceptions::{PyAttributeError, PyNotImplementedError};
use pyo3::prelude::*;
use std::future::Future;
#[cfg(not(unix))]
use std::net::TcpStream as UnixStream; // never constructed: no bridge off Unix
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Turns a finished operation's Rust result into the future's value (GIL held).
type Finish = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

struct Completion {
    future: Py<PyAny>,
    finish: Finish,
}

struct Inner {
    queue: Mutex<Vec<Completion>>,
    /// A wake-up is on its way (or the queue is being drained).
    scheduled: AtomicBool,
    /// The socket pair: the loop watches `reader`; tokio tasks write to `writer`.
    reader: UnixStream,
    writer: UnixStream,
}

impl Inner {
    fn complete(self: &Arc<Self>, c: Completion) {
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).push(c);
        if !self.scheduled.swap(true, Ordering::AcqRel) {
            self.wake();
        }
    }

    fn wake(&self) {
        use std::io::Write;
        // Non-blocking; a full buffer means a wake-up is already pending.
        let _ = (&self.writer).write(&[1]);
    }

    fn drain(&self, py: Python<'_>) {
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
    /// Registers with `py_loop` through `add_reader` on a socket; raises
    /// `NotImplementedError` when the loop cannot watch one.
    #[cfg(not(unix))]
    #[new]
    fn new(_py_loop: &Bound<'_, PyAny>) -> PyResult<Self> {
        Err(PyNotImplementedError::new_err(
            "no completion socket on this platform",
        ))
    }

    #[cfg(unix)]
    #[new]
    fn new(py_loop: &Bound<'_, PyAny>) -> PyResult<Self> {
        use std::os::fd::AsRawFd;
        let py = py_loop.py();
        let (reader, writer) = UnixStream::pair()?;
        reader.set_nonblocking(true)?;
        writer.set_nonblocking(true)?;
        let inner = Arc::new(Inner {
            queue: Mutex::new(Vec::new()),
            scheduled: AtomicBool::new(false),
            reader,
            writer,
        });
        let fd = inner.reader.as_raw_fd();
        let drainer = Py::new(py, Drainer(inner.clone()))?;
        match py_loop.call_method1(pyo3::intern!(py, "add_reader"), (fd, drainer)) {
            Ok(_) => Ok(LoopBridge { inner }),
            Err(e) if e.is_instance_of::<PyAttributeError>(py) => Err(
                PyNotImplementedError::new_err("this event loop has no add_reader"),
            ),
            Err(e) => Err(e),
        }
    }
}

/// The `add_reader` callback: resolves every finished operation on the loop thread.
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
/// `bridge` serves. Returns the `NativeTask` that aborts it. Without a bridge (a
/// loop that cannot watch a socket) returns pyo3-async-runtimes' awaitable instead,
/// whose cancellation drops `fut` likewise.
pub fn start<T, F, C>(
    py: Python<'_>,
    future: Option<Py<PyAny>>,
    bridge: Option<PyRef<'_, LoopBridge>>,
    fut: F,
    finish: C,
) -> PyResult<Py<PyAny>>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let (Some(future), Some(bridge)) = (future, bridge) else {
        let awaitable = crate::py::runtime::run_async(py, async move {
            let output = fut.await;
            Python::attach(|py| finish(py, output))
        })?;
        return Ok(awaitable.unbind());
    };
    let inner = bridge.inner.clone();
    let handle = crate::py::runtime::runtime().spawn(async move {
        let output = fut.await;
        inner.complete(Completion {
            future,
            finish: Box::new(move |py| finish(py, output)),
        });
    });
    let task = NativeTask {
        handle: handle.abort_handle(),
    };
    Ok(Py::new(py, task)?.into_any())
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<LoopBridge>()?;
    m.add_class::<NativeTask>()?;
    Ok(())
}
