//! pyo3 bindings: the only place that knows Python. They translate arguments,
//! run core futures on the shared runtime and convert results and errors.

pub mod bridge;
pub mod client;
pub mod diagnostics;
pub mod errors;
pub mod json;
pub mod models;
pub mod runtime;
pub mod testing;
pub mod webhook;

use pyo3::prelude::*;

static LOG_RESET: std::sync::OnceLock<pyo3_log::ResetHandle> = std::sync::OnceLock::new();

/// Re-read the Python `logging` levels (the bridge caches them for speed).
#[pyfunction]
fn reset_log_cache() {
    if let Some(handle) = LOG_RESET.get() {
        handle.reset();
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // Rust `log` records go to Python's `logging` under "reelkit.*" (e.g.
    // "reelkit.core.transport"). Levels are cached; `reset_log_cache` refreshes them.
    if LOG_RESET.get().is_none() {
        let logger = pyo3_log::Logger::new(m.py(), pyo3_log::Caching::LoggersAndLevels)?;
        if let Ok(handle) = logger.install() {
            let _ = LOG_RESET.set(handle);
        }
    }
    m.add_function(wrap_pyfunction!(reset_log_cache, m)?)?;
    m.add_class::<client::NativeClient>()?;
    bridge::register(m)?;
    m.add("NativeError", m.py().get_type::<errors::NativeError>())?;
    m.add_function(wrap_pyfunction!(json::json_loads, m)?)?;
    m.add_function(wrap_pyfunction!(models::fill_models, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::parse_hoox_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::parse_hooked_webhook, m)?)?;
    diagnostics::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("USER_AGENT", reelkit_core::transport::USER_AGENT)?;
    Ok(())
}
