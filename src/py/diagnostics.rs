//! Test-only entry points, underscored and not part of the API: they let the
//! fuzzers reach the response decoder without I/O, and prove that a Rust panic
//! reaches Python as an exception (never an abort) on every path into the core.

use crate::py::errors::to_pyerr;
use crate::py::runtime::{run_async, run_sync};
use bytes::Bytes;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pythonize::pythonize;
use reelkit_core::provider::Provider;
use reelkit_core::retry;
use reelkit_core::transport::{ApiRequest, ApiResponse, ClientConfig, Transport};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

fn transport(provider: Provider) -> &'static Transport {
    static TRANSPORTS: OnceLock<(Transport, Transport)> = OnceLock::new();
    let (hoox, hooked) = TRANSPORTS.get_or_init(|| {
        let make = |provider| {
            Transport::new(ClientConfig {
                provider,
                api_key: "fuzz".into(),
                base_url: "https://fuzz.invalid/v1".into(),
                timeout: Duration::from_secs(1),
                max_retries: 0,
                default_headers: Vec::new(),
                allow_insecure_http: false,
                rate_limit: reelkit_core::ratelimit::Setting::Off,
            })
            .expect("a valid fixed configuration")
        };
        (make(Provider::Hoox), make(Provider::Hooked))
    });
    match provider {
        Provider::Hoox => hoox,
        Provider::Hooked => hooked,
    }
}

/// Interpret one response exactly as a client does after reading it, with no I/O:
/// a 2xx body is decoded by the clients' decoder (`py::json::decode`: JSON straight
/// to Python objects, Hooked's envelope), or with `reference=True` by the core's
/// (`Transport::decode` then `pythonize`), so a fuzzer can check the two agree; any
/// other status becomes the status error (`Transport::status_error`: the three Hoox
/// error shapes, Hooked's envelope, Retry-After / X-RateLimit-Reset); the retry
/// delay the headers ask for is computed too. Returns the payload or raises
/// `NativeError`. Used by fuzz/fuzz_decode.py and fuzz/fuzz_error_body.py.
#[pyfunction]
#[pyo3(signature = (provider, status, body, headers=None, idempotent=true, reference=false))]
pub fn _decode_for_fuzzing(
    py: Python<'_>,
    provider: &str,
    status: u16,
    body: &[u8],
    headers: Option<Vec<(String, String)>>,
    idempotent: bool,
    reference: bool,
) -> PyResult<Py<PyAny>> {
    let provider = Provider::parse(provider)
        .ok_or_else(|| PyValueError::new_err(format!("unknown provider {provider:?}")))?;
    let transport = transport(provider);
    let headers = headers.unwrap_or_default();
    let _ = retry::retry_delay(0, &headers, SystemTime::now(), 0.5);
    let mut req = ApiRequest::get("/fuzz");
    req.idempotent = idempotent;
    let resp = ApiResponse {
        status,
        request_id: reelkit_core::transport::request_id(&headers),
        headers,
        body: Bytes::copy_from_slice(body),
        attempts: 1,
    };
    if !(200..300).contains(&status) {
        return Err(to_pyerr(transport.status_error(resp)));
    }
    if reference {
        let value = transport.decode(&req, resp).map_err(to_pyerr)?;
        return Ok(pythonize(py, &value)?.unbind());
    }
    crate::py::json::decode(py, transport, &req, resp)
        .map(Bound::unbind)
        .map_err(to_pyerr)
}

fn boom() -> PyResult<bool> {
    panic!("reelkit: a deliberate panic (_panic_for_testing)")
}

/// Panic on purpose. `where_`: "call" panics in this function (pyo3 raises
/// `PanicException`); "task" panics inside a task on the shared runtime awaited by
/// the sync bridge (`RuntimeError`); "async" returns an awaitable whose future
/// panics on the runtime (pyo3-async-runtimes' `RustPanic`). In every case the
/// runtime and the process keep working.
#[pyfunction]
pub fn _panic_for_testing(py: Python<'_>, where_: &str) -> PyResult<Py<PyAny>> {
    match where_ {
        "call" => Ok(boom()?.into_pyobject(py)?.to_owned().into_any().unbind()),
        "task" => {
            let value = run_sync(py, async { boom() })??;
            Ok(value.into_pyobject(py)?.to_owned().into_any().unbind())
        }
        "async" => Ok(run_async(py, async { boom() })?.unbind()),
        other => Err(PyValueError::new_err(format!(
            "where_ must be \"call\", \"task\" or \"async\", got {other:?}"
        ))),
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_decode_for_fuzzing, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_testing, m)?)?;
    Ok(())
}
