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

/// The crates' log targets as Python logger names under "reelkit": `reelkit_core::x`
/// becomes `reelkit::core::x` ("reelkit.core.x"), `reelkit_sim::x` `reelkit::sim::x`;
/// other crates' targets (reqwest, rustls) are left as they are.
fn python_target(target: &str) -> std::borrow::Cow<'_, str> {
    for (krate, name) in [
        ("reelkit_core", "reelkit::core"),
        ("reelkit_sim", "reelkit::sim"),
    ] {
        if let Some(rest) = target.strip_prefix(krate) {
            if rest.is_empty() || rest.starts_with("::") {
                return format!("{name}{rest}").into();
            }
        }
    }
    target.into()
}

/// pyo3-log behind the target renaming above.
struct Renamed(pyo3_log::Logger);

impl log::Log for Renamed {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        let target = python_target(metadata.target());
        let renamed = log::Metadata::builder()
            .level(metadata.level())
            .target(&target)
            .build();
        self.0.enabled(&renamed)
    }

    fn log(&self, record: &log::Record<'_>) {
        let target = python_target(record.target());
        self.0.log(
            &log::Record::builder()
                .args(*record.args())
                .level(record.level())
                .target(&target)
                .module_path(record.module_path())
                .file(record.file())
                .line(record.line())
                .build(),
        );
    }

    fn flush(&self) {
        self.0.flush();
    }
}

/// Route Rust `log` records to Python's `logging` under "reelkit.*" (e.g.
/// "reelkit.core.transport", see `python_target`); levels are cached,
/// `reset_log_cache` refreshes them. Called before the first request rather than at
/// import: it imports `logging`, which a client's construction does not need
/// (README, "First call").
#[pyfunction]
fn install_logging(py: Python<'_>) -> PyResult<()> {
    if LOG_RESET.get().is_none() {
        let logger = pyo3_log::Logger::new(py, pyo3_log::Caching::LoggersAndLevels)?;
        let handle = logger.reset_handle();
        // pyo3-log's own default filter: Debug (Python's levels decide the rest).
        if log::set_boxed_logger(Box::new(Renamed(logger))).is_ok() {
            log::set_max_level(log::LevelFilter::Debug);
            let _ = LOG_RESET.set(handle);
        }
    }
    Ok(())
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(reset_log_cache, m)?)?;
    m.add_function(wrap_pyfunction!(install_logging, m)?)?;
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
