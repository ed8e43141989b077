//! Python bindings of the simulator and cassette servers, the native submodule
//! `reelkit._native.testing` (imported only by `reelkit.testing`): `NativeSimServer`,
//! `NativeReplayServer`, `NativeRecordServer`. They only translate: Python values in,
//! `reelkit_sim` calls, Python values out. The
//! presentation (context managers, dataclasses, fault constructors) is the pure
//! Python package `reelkit.testing`.
//!
//! Errors never panic across FFI: bad arguments → `ValueError`, socket and file
//! errors → `OSError` (subclass by errno), a stopped server → `RuntimeError`.
//! Blocking calls (start, stop, save) release the GIL.

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use reelkit_sim::cassette::Cassette;
use reelkit_sim::faults::{Fault, FaultTable};
use reelkit_sim::inspect::{RecordedRequest, RequestLog};
use reelkit_sim::record::RecordServer;
use reelkit_sim::replay::ReplayServer;
use reelkit_sim::server::SimServer;
use reelkit_sim::types::{Handler, SimConfig};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the bindings read from the provider simulation besides `Handler`.
pub trait ProviderStats: Send + Sync + 'static {
    fn hoox_credits_used(&self) -> f64;
    fn hooked_credits_used(&self) -> f64;
    fn hoox_rate_limited(&self) -> u64;
}

/// The provider simulation serving `/api/public/v1/*`, `/v1/*` and `/media/*`.
fn make_provider(
    config: SimConfig,
    base_url: String,
) -> (Arc<dyn Handler>, Arc<dyn ProviderStats>) {
    let sim = reelkit_sim::api::ApiSim::new(config, base_url);
    (sim.clone(), sim)
}

impl ProviderStats for reelkit_sim::api::ApiSim {
    fn hoox_credits_used(&self) -> f64 {
        reelkit_sim::api::ApiSim::hoox_credits_used(self)
    }
    fn hooked_credits_used(&self) -> f64 {
        reelkit_sim::api::ApiSim::hooked_credits_used(self)
    }
    fn hoox_rate_limited(&self) -> u64 {
        reelkit_sim::api::ApiSim::hoox_rate_limited(self)
    }
}

fn to_py(py: Python<'_>, v: &Value) -> PyResult<Py<PyAny>> {
    Ok(pythonize::pythonize(py, v)?.unbind())
}

fn fault_from_py(fault: &Bound<'_, PyAny>) -> PyResult<Fault> {
    // Accept the dict spelling, or any object with a `to_dict()` (reelkit.testing.faults).
    let obj = if fault.hasattr("to_dict")? {
        fault.call_method0("to_dict")?
    } else {
        fault.clone()
    };
    let v: Value = pythonize::depythonize(&obj).map_err(|e| {
        PyValueError::new_err(format!(
            "a fault must be a dict like {{\"kind\": \"reset\"}}: {e}"
        ))
    })?;
    Fault::from_json(&v).map_err(PyValueError::new_err)
}

fn requests_to_py(py: Python<'_>, reqs: Vec<RecordedRequest>) -> PyResult<Py<PyAny>> {
    let v = Value::Array(reqs.iter().map(RecordedRequest::to_json).collect());
    to_py(py, &v)
}

fn stopped() -> PyErr {
    PyRuntimeError::new_err("the server is stopped")
}

fn check_times(times: i64) -> PyResult<u32> {
    u32::try_from(times).map_err(|_| PyValueError::new_err("times must be >= 0 (0 = forever)"))
}

fn check_port(port: i64) -> PyResult<u16> {
    u16::try_from(port)
        .map_err(|_| PyValueError::new_err(format!("port must be 0..65535, got {port}")))
}

fn check_nonneg(name: &str, x: f64) -> PyResult<f64> {
    if x.is_finite() && x >= 0.0 {
        Ok(x)
    } else {
        Err(PyValueError::new_err(format!(
            "{name} must be a finite number >= 0, got {x}"
        )))
    }
}

// ---------------------------------------------------------------- simulator

/// The simulator server (started by the constructor; `stop()` is idempotent).
#[pyclass(frozen, module = "reelkit._native.testing")]
pub struct NativeSimServer {
    server: Mutex<Option<SimServer>>,
    faults: Arc<FaultTable>,
    log: Arc<RequestLog>,
    stats: Arc<dyn ProviderStats>,
    #[pyo3(get)]
    base_url: String,
    #[pyo3(get)]
    hoox_base_url: String,
    #[pyo3(get)]
    hooked_base_url: String,
    #[pyo3(get)]
    hoox_api_key: String,
    #[pyo3(get)]
    hooked_api_key: String,
    #[pyo3(get)]
    port: u16,
}

#[pymethods]
impl NativeSimServer {
    #[new]
    #[pyo3(signature = (*, job_seconds=2.0, credits=1000.0, rate_limit_per_minute=100,
                        url_ttl_seconds=86400.0, video_bytes=0, port=0, hoox_enterprise=true,
                        webhook_delay_scale=0.01, hoox_api_key=None, hooked_api_key=None,
                        rate_limit_window_seconds=60.0))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        job_seconds: f64,
        credits: f64,
        rate_limit_per_minute: i64,
        url_ttl_seconds: f64,
        video_bytes: i64,
        port: i64,
        hoox_enterprise: bool,
        webhook_delay_scale: f64,
        hoox_api_key: Option<String>,
        hooked_api_key: Option<String>,
        rate_limit_window_seconds: f64,
    ) -> PyResult<Self> {
        let defaults = SimConfig::default();
        let window = check_nonneg("rate_limit_window_seconds", rate_limit_window_seconds)?;
        if window <= 0.0 {
            return Err(PyValueError::new_err(
                "rate_limit_window_seconds must be > 0",
            ));
        }
        let config = SimConfig {
            job_seconds: check_nonneg("job_seconds", job_seconds)?,
            credits: check_nonneg("credits", credits)?,
            rate_limit_per_minute: u32::try_from(rate_limit_per_minute).map_err(|_| {
                PyValueError::new_err("rate_limit_per_minute must be >= 0 (0 = no limit)")
            })?,
            rate_limit_window: Duration::from_secs_f64(window),
            url_ttl_seconds: check_nonneg("url_ttl_seconds", url_ttl_seconds)?,
            video_bytes: u64::try_from(video_bytes)
                .map_err(|_| PyValueError::new_err("video_bytes must be >= 0"))?,
            hoox_api_key: hoox_api_key.unwrap_or(defaults.hoox_api_key),
            hooked_api_key: hooked_api_key.unwrap_or(defaults.hooked_api_key),
            hoox_enterprise,
            webhook_delay_scale: check_nonneg("webhook_delay_scale", webhook_delay_scale)?,
            webhook_timeout: defaults.webhook_timeout,
        };
        let port = check_port(port)?;
        let (server, stats) = py.detach(move || {
            let mut stats = None;
            let provider_config = config.clone();
            let server = SimServer::start(config, port, |base_url| {
                let (handler, s) = make_provider(provider_config, base_url);
                stats = Some(s);
                handler
            });
            server.map(|s| (s, stats))
        })?;
        let stats =
            stats.ok_or_else(|| PyRuntimeError::new_err("provider simulation was not created"))?;
        Ok(NativeSimServer {
            faults: server.faults().clone(),
            log: server.request_log().clone(),
            stats,
            base_url: server.base_url().to_string(),
            hoox_base_url: server.hoox_base_url(),
            hooked_base_url: server.hooked_base_url(),
            hoox_api_key: server.config().hoox_api_key.clone(),
            hooked_api_key: server.config().hooked_api_key.clone(),
            port: server.port(),
            server: Mutex::new(Some(server)),
        })
    }

    /// Arm `fault` (a dict or a `reelkit.testing.faults` object) for requests with
    /// this method (`*` = any) whose path matches the glob, `times` times (0 = forever).
    #[pyo3(signature = (method, path_pattern, fault, times=1))]
    fn inject(
        &self,
        method: &str,
        path_pattern: &str,
        fault: &Bound<'_, PyAny>,
        times: i64,
    ) -> PyResult<()> {
        let fault = fault_from_py(fault)?;
        self.faults
            .inject(method, path_pattern, fault, check_times(times)?);
        Ok(())
    }

    fn clear_faults(&self) {
        self.faults.clear();
    }

    /// Recorded requests, oldest first, as dicts (the last 10,000).
    fn requests(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        requests_to_py(py, self.log.requests())
    }

    fn clear_requests(&self) {
        self.log.clear();
    }

    #[getter]
    fn hoox_credits_used(&self) -> f64 {
        self.stats.hoox_credits_used()
    }

    #[getter]
    fn hooked_credits_used(&self) -> f64 {
        self.stats.hooked_credits_used()
    }

    #[getter]
    fn hoox_rate_limited(&self) -> u64 {
        self.stats.hoox_rate_limited()
    }

    #[getter]
    fn running(&self) -> bool {
        self.server
            .lock()
            .map(|s| s.as_ref().is_some_and(SimServer::is_running))
            .unwrap_or(false)
    }

    /// Stop serving and release the port (idempotent).
    fn stop(&self, py: Python<'_>) {
        py.detach(|| {
            let server = self.server.lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(mut s) = server {
                s.stop();
            }
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "NativeSimServer(base_url={:?}, running={})",
            self.base_url,
            self.running()
        )
    }
}

// ---------------------------------------------------------------- replay

/// The cassette replay server (started by the constructor).
#[pyclass(frozen, module = "reelkit._native.testing")]
pub struct NativeReplayServer {
    server: Mutex<Option<ReplayServer>>,
    #[pyo3(get)]
    base_url: String,
    #[pyo3(get)]
    hoox_base_url: String,
    #[pyo3(get)]
    hooked_base_url: String,
    #[pyo3(get)]
    strict: bool,
    #[pyo3(get)]
    cassette_path: Option<String>,
}

impl NativeReplayServer {
    fn with<T>(&self, f: impl FnOnce(&ReplayServer) -> T) -> PyResult<T> {
        let guard = self.server.lock().unwrap_or_else(|e| e.into_inner());
        guard.as_ref().map(f).ok_or_else(stopped)
    }
}

#[pymethods]
impl NativeReplayServer {
    /// Serve the cassette at `cassette_path`, or the cassette JSON text
    /// `cassette_json` (exactly one of them).
    #[new]
    #[pyo3(signature = (cassette_path=None, *, strict=true, port=0, cassette_json=None))]
    fn new(
        py: Python<'_>,
        cassette_path: Option<std::path::PathBuf>,
        strict: bool,
        port: i64,
        cassette_json: Option<String>,
    ) -> PyResult<Self> {
        let port = check_port(port)?;
        let cassette = match (&cassette_path, cassette_json) {
            (Some(p), None) => py.detach(|| Cassette::load(p)),
            (None, Some(text)) => Cassette::from_str(&text),
            _ => {
                return Err(PyValueError::new_err(
                    "give exactly one of cassette_path, cassette_json",
                ))
            }
        }
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let server = py.detach(move || ReplayServer::start_on(cassette, strict, port))?;
        Ok(NativeReplayServer {
            base_url: server.base_url().to_string(),
            hoox_base_url: server.hoox_base_url(),
            hooked_base_url: server.hooked_base_url(),
            strict,
            cassette_path: cassette_path.map(|p| p.display().to_string()),
            server: Mutex::new(Some(server)),
        })
    }

    /// `[{"request": {...}, "expected": int | None, "diff": str}, ...]`
    fn mismatches(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let m = self.with(ReplayServer::mismatches)?;
        let v = Value::Array(
            m.iter()
                .map(|m| {
                    serde_json::json!({
                        "request": m.request.to_json(),
                        "expected": m.expected,
                        "diff": m.diff,
                    })
                })
                .collect(),
        );
        to_py(py, &v)
    }

    /// `[{"index": int, "summary": "GET /path?query"}, ...]`
    fn unused(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let u = self.with(ReplayServer::unused)?;
        let v = Value::Array(
            u.iter()
                .map(|u| serde_json::json!({"index": u.index, "summary": u.summary}))
                .collect(),
        );
        to_py(py, &v)
    }

    fn requests(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let r = self.with(ReplayServer::requests)?;
        requests_to_py(py, r)
    }

    #[pyo3(signature = (method, path_pattern, fault, times=1))]
    fn inject(
        &self,
        method: &str,
        path_pattern: &str,
        fault: &Bound<'_, PyAny>,
        times: i64,
    ) -> PyResult<()> {
        let fault = fault_from_py(fault)?;
        let times = check_times(times)?;
        self.with(|s| s.inject(method, path_pattern, fault, times))
    }

    fn __len__(&self) -> PyResult<usize> {
        self.with(ReplayServer::len)
    }

    #[getter]
    fn running(&self) -> bool {
        self.server.lock().map(|s| s.is_some()).unwrap_or(false)
    }

    /// Stop serving (idempotent). Read `mismatches()` and `unused()` first: a
    /// stopped server raises RuntimeError for them.
    fn stop(&self, py: Python<'_>) {
        py.detach(|| {
            let server = self.server.lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(mut s) = server {
                s.stop();
            }
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "NativeReplayServer(base_url={:?}, strict={}, running={})",
            self.base_url,
            self.strict,
            self.running()
        )
    }
}

// ---------------------------------------------------------------- record

/// The recording proxy (started by the constructor; `stop()` writes the cassette).
#[pyclass(frozen, module = "reelkit._native.testing")]
pub struct NativeRecordServer {
    server: Mutex<Option<RecordServer>>,
    #[pyo3(get)]
    base_url: String,
    #[pyo3(get)]
    hoox_base_url: String,
    #[pyo3(get)]
    hooked_base_url: String,
    #[pyo3(get)]
    upstream: String,
    #[pyo3(get)]
    cassette_path: String,
}

#[pymethods]
impl NativeRecordServer {
    #[new]
    #[pyo3(signature = (upstream, cassette_path, *, port=0, description=None))]
    fn new(
        py: Python<'_>,
        upstream: &str,
        cassette_path: std::path::PathBuf,
        port: i64,
        description: Option<String>,
    ) -> PyResult<Self> {
        let port = check_port(port)?;
        let url: url::Url = upstream.parse().map_err(|e| {
            PyValueError::new_err(format!("upstream {upstream:?} is not a URL: {e}"))
        })?;
        let path = cassette_path.clone();
        let mut server = py
            .detach(move || RecordServer::start_on(url, &path, port))
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::InvalidInput => PyValueError::new_err(e.to_string()),
                _ => e.into(),
            })?;
        if let Some(d) = description {
            server.set_description(d);
        }
        Ok(NativeRecordServer {
            base_url: server.base_url().to_string(),
            hoox_base_url: server.hoox_base_url(),
            hooked_base_url: server.hooked_base_url(),
            upstream: upstream.to_string(),
            cassette_path: cassette_path.display().to_string(),
            server: Mutex::new(Some(server)),
        })
    }

    /// How many exchanges were recorded so far.
    fn __len__(&self) -> PyResult<usize> {
        let guard = self.server.lock().unwrap_or_else(|e| e.into_inner());
        guard.as_ref().map(RecordServer::len).ok_or_else(stopped)
    }

    /// Write the cassette now; recording goes on.
    fn save(&self, py: Python<'_>) -> PyResult<()> {
        py.detach(|| {
            let guard = self.server.lock().unwrap_or_else(|e| e.into_inner());
            guard.as_ref().ok_or_else(stopped).map(|s| s.save())
        })?
        .map_err(PyErr::from)
    }

    #[getter]
    fn running(&self) -> bool {
        self.server.lock().map(|s| s.is_some()).unwrap_or(false)
    }

    /// Stop proxying and write the cassette (idempotent; raises OSError if the
    /// cassette cannot be written).
    fn stop(&self, py: Python<'_>) -> PyResult<()> {
        py.detach(|| {
            let server = self.server.lock().unwrap_or_else(|e| e.into_inner()).take();
            match server {
                Some(mut s) => s.stop(),
                None => Ok(()),
            }
        })
        .map_err(PyErr::from)
    }

    fn __repr__(&self) -> String {
        format!(
            "NativeRecordServer(base_url={:?}, upstream={:?}, cassette_path={:?}, running={})",
            self.base_url,
            self.upstream,
            self.cassette_path,
            self.running()
        )
    }
}

/// Add the testing classes to the `reelkit._native` module.
/// The simulator's allowed-value lists, by table name (`reelkit_sim::api::rules`).
#[pyfunction]
fn sim_allowed_values(py: Python<'_>) -> PyResult<Py<PyAny>> {
    to_py(py, &reelkit_sim::api::rules::allowed_values())
}

/// The credits the simulator debits for `op` with `params` (named as the SDK's
/// `estimate_credits` names them); `ValueError` for an unknown operation or input.
#[pyfunction]
fn sim_credits(op: &str, params: &Bound<'_, PyAny>) -> PyResult<f64> {
    let params: Value = pythonize::depythonize(params)
        .map_err(|e| PyValueError::new_err(format!("params must be a JSON-like dict: {e}")))?;
    reelkit_sim::api::rules::credits_for(op, &params).map_err(PyValueError::new_err)
}

/// Adds the submodule `testing` to `parent` (`reelkit._native`) and makes it importable
/// as `reelkit._native.testing` (an extension's submodule is not, by itself).
pub fn register_submodule(parent: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = parent.py();
    let m = PyModule::new(py, "testing")?;
    m.add_class::<NativeSimServer>()?;
    m.add_class::<NativeReplayServer>()?;
    m.add_class::<NativeRecordServer>()?;
    m.add_function(wrap_pyfunction!(sim_allowed_values, &m)?)?;
    m.add_function(wrap_pyfunction!(sim_credits, &m)?)?;
    parent.add_submodule(&m)?;
    let name = "reelkit._native.testing";
    m.setattr("__name__", name)?;
    py.import("sys")?.getattr("modules")?.set_item(name, &m)?;
    Ok(())
}
