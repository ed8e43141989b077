//! Webhook parsing entry points: bytes/str/mapping in, normalised dict out.

use crate::py::errors::to_pyerr;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use pythonize::{depythonize, pythonize};
use reelkit_core::webhook;
use serde_json::Value;

fn load(body: &Bound<'_, PyAny>) -> PyResult<Value> {
    if let Ok(b) = body.cast::<PyBytes>() {
        return webhook::parse_json(b.as_bytes()).map_err(to_pyerr);
    }
    if let Ok(s) = body.cast::<PyString>() {
        // A str with lone surrogates has no UTF-8 form: a bad payload, not a crash.
        let text = s.to_cow().map_err(|_| {
            to_pyerr(reelkit_core::error::Error::new(
                reelkit_core::error::ErrorKind::Webhook,
                "webhook body is not valid Unicode text (lone surrogates)",
            ))
        })?;
        return webhook::parse_json(text.as_bytes()).map_err(to_pyerr);
    }
    depythonize::<Value>(body).map_err(|e| {
        to_pyerr(reelkit_core::error::Error::new(
            reelkit_core::error::ErrorKind::Webhook,
            format!("webhook payload must be bytes, str or a JSON-like mapping: {e}"),
        ))
    })
}

/// Returns (normalised fields, the full payload).
#[pyfunction]
pub fn parse_hoox_webhook(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
) -> PyResult<(Py<PyAny>, Py<PyAny>)> {
    let raw = load(body)?;
    let fields = webhook::parse_hoox(&raw).map_err(to_pyerr)?;
    Ok((
        pythonize(py, &fields)?.unbind(),
        pythonize(py, &raw)?.unbind(),
    ))
}

#[pyfunction]
pub fn parse_hooked_webhook(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
) -> PyResult<(Py<PyAny>, Py<PyAny>)> {
    let raw = load(body)?;
    let fields = webhook::parse_hooked(&raw).map_err(to_pyerr)?;
    Ok((
        pythonize(py, &fields)?.unbind(),
        pythonize(py, &raw)?.unbind(),
    ))
}
