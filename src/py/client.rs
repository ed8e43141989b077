//! `NativeClient`: the Python face of `reelkit_core::transport::Transport`. Each operation
//! (request, wait, download) is built once as a Rust future and exposed twice: run
//! to completion for the sync clients, or as an awaitable for the asyncio clients.

use crate::py::bridge::{self, LoopBridge};
use crate::py::errors::{error_dict, to_pyerr};
use crate::py::runtime::run_sync;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pythonize::{depythonize, pythonize};
use reelkit_core::download::{self, DownloadReport, DownloadSpec};
use reelkit_core::error::Error;
use reelkit_core::poll::{self, PollSpec, WaitError, WaitOutcome, WaitReport};
use reelkit_core::provider::Provider;
use reelkit_core::ratelimit::{Rule, Setting};
use reelkit_core::transport::{ApiRequest, ApiResponse, ClientConfig, ResponseMeta, Transport};
use serde_json::Value;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn seconds(value: f64, name: &str) -> PyResult<Duration> {
    if !value.is_finite() || value <= 0.0 {
        return Err(PyValueError::new_err(format!(
            "{name} must be a positive number of seconds, got {value}"
        )));
    }
    Duration::try_from_secs_f64(value).map_err(|_| {
        PyValueError::new_err(format!("{name} is too large a number of seconds: {value}"))
    })
}

/// `rate_limit` as the Python client passes it: `("default" | "off", ...)` or
/// `("fixed", requests, per_seconds, store_url_or_None)`, already validated there.
type RateLimitArg = (String, u32, f64, Option<String>);

fn rate_limit_setting(arg: Option<RateLimitArg>) -> PyResult<Setting> {
    let Some((mode, requests, per, store)) = arg else {
        return Ok(Setting::Default);
    };
    match mode.as_str() {
        "default" => Ok(Setting::Default),
        "off" => Ok(Setting::Off),
        "fixed" if requests > 0 => Ok(Setting::Fixed {
            rule: Rule {
                requests,
                per: seconds(per, "rate_limit per")?,
            },
            store,
        }),
        _ => Err(PyValueError::new_err(format!(
            "invalid rate_limit ({mode:?}, {requests})"
        ))),
    }
}

fn to_py(py: Python<'_>, value: &Value) -> PyResult<Py<PyAny>> {
    Ok(pythonize(py, value)?.unbind())
}

/// The arguments of one API call, as Python passes them.
#[derive(FromPyObject)]
pub struct CallArgs {
    method: String,
    path: String,
    query: Option<Vec<(String, String)>>,
    body: Option<Py<PyAny>>,
    idempotent: bool,
    timeout: Option<f64>,
    max_retries: Option<u32>,
    headers: Option<Vec<(String, String)>>,
    /// Return `(payload, meta)` rather than the payload (`with_raw_response`).
    raw_response: bool,
}

impl CallArgs {
    fn into_request(self, py: Python<'_>) -> PyResult<ApiRequest> {
        let method = reqwest::Method::from_bytes(self.method.to_ascii_uppercase().as_bytes())
            .map_err(|_| PyValueError::new_err(format!("invalid HTTP method {:?}", self.method)))?;
        let body = match self.body {
            Some(obj) if !obj.is_none(py) => {
                Some(depythonize::<Value>(obj.bind(py)).map_err(|e| {
                    PyValueError::new_err(format!("request body is not JSON-serialisable: {e}"))
                })?)
            }
            _ => None,
        };
        Ok(ApiRequest {
            method,
            path: self.path,
            query: self.query.unwrap_or_default(),
            body,
            idempotent: self.idempotent,
            timeout: self.timeout.map(|t| seconds(t, "timeout")).transpose()?,
            max_retries: self.max_retries,
            headers: self.headers.unwrap_or_default(),
        })
    }
}

/// A `reelkit._endpoint.Wait` step.
#[derive(FromPyObject)]
pub struct WaitArgs {
    call: CallArgs,
    status_pointer: String,
    complete: Vec<String>,
    failed: Vec<String>,
    complete_requires: Option<String>,
    schedule: Vec<(f64, f64)>,
    poll_interval: Option<f64>,
    timeout: f64,
}

/// A `reelkit._endpoint.Download` step.
#[derive(FromPyObject)]
pub struct DownloadArgs {
    refresh: CallArgs,
    url_pointer: String,
    url: Option<String>,
    path: PathBuf,
    max_url_refreshes: u32,
    max_retries: u32,
    on_progress: Option<Py<PyAny>>,
}

/// A raw response's metadata: `status_code`, `headers`, `request_id`, `attempts`,
/// `elapsed` (seconds).
fn meta_dict(py: Python<'_>, meta: &ResponseMeta) -> PyResult<Py<PyAny>> {
    let d = PyDict::new(py);
    d.set_item("status_code", meta.status)?;
    d.set_item("headers", meta.headers.clone())?;
    d.set_item("request_id", meta.request_id.as_deref())?;
    d.set_item("attempts", meta.attempts)?;
    d.set_item("elapsed", meta.elapsed.as_secs_f64())?;
    Ok(d.into_any().unbind())
}

fn wait_result(py: Python<'_>, report: WaitReport) -> PyResult<Py<PyAny>> {
    let d = PyDict::new(py);
    let response = report.response.as_ref().map(|m| meta_dict(py, m));
    d.set_item("response", response.transpose()?)?;
    match report.outcome {
        WaitOutcome::Complete(v) => {
            d.set_item("outcome", "complete")?;
            d.set_item("value", to_py(py, &v)?)?;
        }
        WaitOutcome::Failed(v) => {
            d.set_item("outcome", "failed")?;
            d.set_item("value", to_py(py, &v)?)?;
        }
        WaitOutcome::CompleteMissing {
            value,
            extra_polls,
            extra,
        } => {
            d.set_item("outcome", "complete_missing")?;
            d.set_item("value", to_py(py, &value)?)?;
            d.set_item("extra_polls", extra_polls)?;
            d.set_item("extra_seconds", extra.as_secs_f64())?;
        }
        WaitOutcome::TimedOut {
            last,
            last_error,
            polls,
        } => {
            d.set_item("outcome", "timeout")?;
            d.set_item("value", last.as_ref().map(|v| to_py(py, v)).transpose()?)?;
            d.set_item(
                "last_error",
                last_error.as_ref().map(|e| error_dict(py, e)).transpose()?,
            )?;
            d.set_item("polls", polls)?;
        }
    }
    Ok(d.into_any().unbind())
}

fn download_result(py: Python<'_>, r: DownloadReport) -> PyResult<Py<PyAny>> {
    let d = PyDict::new(py);
    d.set_item("path", r.path.to_string_lossy().into_owned())?;
    d.set_item("bytes", r.bytes)?;
    d.set_item("url_refreshes", r.url_refreshes)?;
    d.set_item("resumes", r.resumes)?;
    d.set_item("restarts", r.restarts)?;
    let response = r.response.as_ref().map(|m| meta_dict(py, m));
    d.set_item("response", response.transpose()?)?;
    Ok(d.into_any().unbind())
}

fn flatten<T>(r: Result<T, WaitError<PyErr>>) -> PyResult<T> {
    r.map_err(|e| match e {
        WaitError::Api(e) => to_pyerr(e),
        WaitError::Callback(e) => e,
    })
}

fn call_status_callback(cb: &Option<Py<PyAny>>, value: &Value) -> PyResult<()> {
    match cb {
        None => Ok(()),
        Some(cb) => Python::attach(|py| {
            cb.call1(py, (to_py(py, value)?,))?;
            Ok(())
        }),
    }
}

fn call_progress_callback(cb: &Option<Py<PyAny>>, done: u64, total: Option<u64>) -> PyResult<()> {
    match cb {
        None => Ok(()),
        Some(cb) => Python::attach(|py| {
            cb.call1(py, (done, total))?;
            Ok(())
        }),
    }
}

/// A sent request and its 2xx response, decoded into Python once the GIL is held;
/// with `raw`, as `(payload, meta)`.
struct Sent {
    transport: Arc<Transport>,
    req: ApiRequest,
    resp: ApiResponse,
    raw: Option<Duration>,
}

impl Sent {
    fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let meta = self.raw.map(|elapsed| self.resp.meta(elapsed));
        let payload = crate::py::json::decode(py, &self.transport, &self.req, self.resp)
            .map(Bound::unbind)
            .map_err(to_pyerr)?;
        match meta {
            None => Ok(payload),
            Some(meta) => Ok((payload, meta_dict(py, &meta)?)
                .into_pyobject(py)?
                .into_any()
                .unbind()),
        }
    }
}

#[pyclass(frozen, module = "reelkit._native")]
pub struct NativeClient {
    transport: Arc<Transport>,
}

impl NativeClient {
    fn request_future(
        &self,
        (req, raw): (ApiRequest, bool),
    ) -> impl Future<Output = Result<Sent, Error>> + Send + 'static {
        let transport = self.transport.clone();
        async move {
            let started = raw.then(Instant::now);
            let resp = transport.send(&req).await?;
            Ok(Sent {
                transport,
                req,
                resp,
                raw: started.map(|s| s.elapsed()),
            })
        }
    }

    fn wait_future(
        &self,
        spec: PollSpec,
        on_status: Option<Py<PyAny>>,
    ) -> impl Future<Output = Result<WaitReport, WaitError<PyErr>>> + Send + 'static {
        let transport = self.transport.clone();
        async move { poll::wait(&transport, &spec, |v| call_status_callback(&on_status, v)).await }
    }

    fn download_future(
        &self,
        spec: DownloadSpec,
        on_progress: Option<Py<PyAny>>,
    ) -> impl Future<Output = Result<DownloadReport, WaitError<PyErr>>> + Send + 'static {
        let transport = self.transport.clone();
        async move {
            download::download(&transport, &spec, |done, total| {
                call_progress_callback(&on_progress, done, total)
            })
            .await
        }
    }

    fn poll_spec(&self, py: Python<'_>, args: WaitArgs) -> PyResult<PollSpec> {
        Ok(PollSpec {
            request: args.call.into_request(py)?,
            status_pointer: args.status_pointer,
            complete: args.complete,
            failed: args.failed,
            complete_requires: args.complete_requires,
            schedule: args.schedule,
            poll_interval: args.poll_interval,
            timeout: poll::seconds(args.timeout),
        })
    }

    fn download_spec(
        &self,
        py: Python<'_>,
        args: DownloadArgs,
    ) -> PyResult<(DownloadSpec, Option<Py<PyAny>>)> {
        let spec = DownloadSpec {
            refresh: args.refresh.into_request(py)?,
            url_pointer: args.url_pointer,
            url: args.url,
            path: args.path,
            max_url_refreshes: args.max_url_refreshes,
            max_retries: args.max_retries,
        };
        Ok((spec, args.on_progress))
    }
}

#[pymethods]
impl NativeClient {
    #[new]
    #[pyo3(signature = (provider, api_key, base_url, timeout, max_retries, default_headers=None, allow_insecure_http=false, rate_limit=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        provider: &str,
        api_key: String,
        base_url: String,
        timeout: f64,
        max_retries: u32,
        default_headers: Option<Vec<(String, String)>>,
        allow_insecure_http: bool,
        rate_limit: Option<RateLimitArg>,
    ) -> PyResult<Self> {
        let provider = Provider::parse(provider)
            .ok_or_else(|| PyValueError::new_err(format!("unknown provider {provider:?}")))?;
        let transport = Transport::new(ClientConfig {
            provider,
            api_key,
            base_url,
            timeout: seconds(timeout, "timeout")?,
            max_retries,
            default_headers: default_headers.unwrap_or_default(),
            allow_insecure_http,
            rate_limit: rate_limit_setting(rate_limit)?,
        })
        .map_err(to_pyerr)?;
        Ok(NativeClient {
            transport: Arc::new(transport),
        })
    }

    /// A client with other defaults sharing this one's connection pool and
    /// rate-limit budget (`rate_limit=None` keeps this one's setting).
    #[pyo3(signature = (timeout=None, max_retries=None, rate_limit=None))]
    fn with_options(
        &self,
        timeout: Option<f64>,
        max_retries: Option<u32>,
        rate_limit: Option<RateLimitArg>,
    ) -> PyResult<Self> {
        let timeout = timeout.map(|t| seconds(t, "timeout")).transpose()?;
        let rate_limit = rate_limit
            .map(|r| rate_limit_setting(Some(r)))
            .transpose()?;
        let transport = self
            .transport
            .with_options(timeout, max_retries, rate_limit)
            .map_err(to_pyerr)?;
        Ok(NativeClient {
            transport: Arc::new(transport),
        })
    }

    #[getter]
    fn base_url(&self) -> String {
        self.transport.base_url().to_string()
    }

    fn close(&self) {
        self.transport.close();
    }

    /// Send one API call and return its decoded JSON payload.
    fn request(&self, py: Python<'_>, call: CallArgs) -> PyResult<Py<PyAny>> {
        let raw = call.raw_response;
        let fut = self.request_future((call.into_request(py)?, raw));
        run_sync(py, fut)?.map_err(to_pyerr)?.into_py(py)
    }

    /// Start one API call for an asyncio waiter: `future` (of the loop `bridge`
    /// serves) receives the decoded payload or the `NativeError`, and a
    /// `NativeTask` is returned; without a bridge, an awaitable (see `bridge::start`).
    #[pyo3(signature = (call, future=None, bridge=None))]
    fn request_async(
        &self,
        py: Python<'_>,
        call: CallArgs,
        future: Option<Py<PyAny>>,
        bridge: Option<PyRef<'_, LoopBridge>>,
    ) -> PyResult<Py<PyAny>> {
        let raw = call.raw_response;
        let fut = self.request_future((call.into_request(py)?, raw));
        bridge::start(py, future, bridge, fut, |py, sent| {
            sent.map_err(to_pyerr)?.into_py(py)
        })
    }

    /// Poll until a terminal status or the deadline. Returns a dict with
    /// `outcome` ("complete" | "failed" | "timeout") and `value`.
    #[pyo3(signature = (step, on_status=None))]
    fn wait(
        &self,
        py: Python<'_>,
        step: WaitArgs,
        on_status: Option<Py<PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let fut = self.wait_future(self.poll_spec(py, step)?, on_status);
        let outcome = flatten(run_sync(py, fut)?)?;
        wait_result(py, outcome)
    }

    #[pyo3(signature = (step, on_status=None, future=None, bridge=None))]
    fn wait_async(
        &self,
        py: Python<'_>,
        step: WaitArgs,
        on_status: Option<Py<PyAny>>,
        future: Option<Py<PyAny>>,
        bridge: Option<PyRef<'_, LoopBridge>>,
    ) -> PyResult<Py<PyAny>> {
        let fut = self.wait_future(self.poll_spec(py, step)?, on_status);
        bridge::start(py, future, bridge, fut, |py, outcome| {
            wait_result(py, flatten(outcome)?)
        })
    }

    /// Stream a signed URL to a file atomically; returns a report dict.
    fn download(&self, py: Python<'_>, step: DownloadArgs) -> PyResult<Py<PyAny>> {
        let (spec, on_progress) = self.download_spec(py, step)?;
        let report = flatten(run_sync(py, self.download_future(spec, on_progress))?)?;
        download_result(py, report)
    }

    #[pyo3(signature = (step, future=None, bridge=None))]
    fn download_async(
        &self,
        py: Python<'_>,
        step: DownloadArgs,
        future: Option<Py<PyAny>>,
        bridge: Option<PyRef<'_, LoopBridge>>,
    ) -> PyResult<Py<PyAny>> {
        let (spec, on_progress) = self.download_spec(py, step)?;
        let fut = self.download_future(spec, on_progress);
        bridge::start(py, future, bridge, fut, |py, report| {
            download_result(py, flatten(report)?)
        })
    }

    fn __repr__(&self) -> String {
        format!("NativeClient(base_url={:?})", self.transport.base_url())
    }
}
