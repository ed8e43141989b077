//! The tokio runtime behind every client, and the two ways Python waits on it.
//!
//! One multi-thread runtime per process, built lazily on first use (never at
//! import) and rebuilt after `os.fork()`: the child cannot use the parent's worker
//! threads, so the old runtime is leaked, not dropped. Sync calls spawn the work
//! and wait on a channel with the GIL released, checking for signals every 50 ms so
//! Ctrl-C raises `KeyboardInterrupt` (and aborts the request). Async calls are
//! spawned here too and deliver their results through `bridge` (cancelling the
//! asyncio waiter aborts the task, which closes the connection); on event loops
//! that cannot watch a socket (Windows' proactor) they go through
//! pyo3-async-runtimes' generic `future_into_py` on this same runtime instead.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3_async_runtimes::generic::{ContextExt, Runtime as GenericRuntime};
use pyo3_async_runtimes::TaskLocals;
use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc::{sync_channel, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::runtime::Runtime;

/// The runtime and the process id that built it.
type OwnedRuntime = Option<(u32, Arc<Runtime>)>;

static RUNTIME: OnceLock<Mutex<OwnedRuntime>> = OnceLock::new();

/// The runtime of the current process (a fresh one in a forked child).
pub fn runtime() -> Arc<Runtime> {
    let cell = RUNTIME.get_or_init(|| Mutex::new(None));
    let pid = std::process::id();
    let mut guard = cell.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((owner, rt)) = guard.as_ref() {
        if *owner == pid {
            return rt.clone();
        }
        if let Some(old) = guard.take() {
            // The parent's worker threads do not exist here; dropping would hang.
            std::mem::forget(old);
        }
    }
    let workers = std::thread::available_parallelism()
        .map(|n| n.get().clamp(2, 4))
        .unwrap_or(2);
    let rt = Arc::new(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .thread_name("reelkit-io")
            .enable_all()
            .build()
            .expect("reelkit: cannot start the tokio runtime"),
    );
    *guard = Some((pid, rt.clone()));
    rt
}

const SIGNAL_TICK: Duration = Duration::from_millis(50);

/// Run `fut` to completion from synchronous Python code: GIL released, Ctrl-C honoured.
pub fn run_sync<T, F>(py: Python<'_>, fut: F) -> PyResult<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let rt = runtime();
    let (tx, rx) = sync_channel::<T>(1);
    let task = rt.spawn(async move {
        let _ = tx.send(fut.await);
    });
    py.detach(move || loop {
        match rx.recv_timeout(SIGNAL_TICK) {
            Ok(value) => return Ok(value),
            Err(RecvTimeoutError::Timeout) => {
                if let Err(err) = Python::attach(|py| py.check_signals()) {
                    // Dropping the future closes its connection.
                    task.abort();
                    return Err(err);
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(PyRuntimeError::new_err(
                    "reelkit internal error: the request task stopped without a result (a Rust panic); please report it",
                ))
            }
        }
    })
}

tokio::task_local! {
    static TASK_LOCALS: std::cell::OnceCell<TaskLocals>;
}

/// pyo3-async-runtimes' view of our fork-aware runtime.
pub struct ReelkitRuntime;

impl GenericRuntime for ReelkitRuntime {
    type JoinError = tokio::task::JoinError;
    type JoinHandle = tokio::task::JoinHandle<()>;

    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        runtime().spawn(fut)
    }

    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        runtime().spawn_blocking(f)
    }
}

impl ContextExt for ReelkitRuntime {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        let cell = std::cell::OnceCell::new();
        let _ = cell.set(locals);
        Box::pin(TASK_LOCALS.scope(cell, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS
            .try_with(|c| c.get().cloned())
            .unwrap_or_default()
    }
}

/// Turn `fut` into a Python awaitable (the portable path, for event loops without
/// `add_reader`); cancelling the asyncio task drops `fut`.
pub fn run_async<'py, T, F>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    pyo3_async_runtimes::generic::future_into_py::<ReelkitRuntime, F, T>(py, fut)
}
