//! Core errors -> Python. The native layer raises one exception type,
//! `NativeError`, whose single argument is a dict of the error's fields; the Python
//! package (`reelkit._errors.from_native`) turns it into the public hierarchy.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pythonize::pythonize;
use reelkit_core::error::Error;

create_exception!(
    _native,
    NativeError,
    PyException,
    "Raised by the native layer; converted to reelkit's exceptions by the Python package."
);

pub fn error_dict<'py>(py: Python<'py>, e: &Error) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("kind", e.kind.as_str())?;
    d.set_item("message", &e.message)?;
    d.set_item("method", &e.method)?;
    d.set_item("path", &e.path)?;
    d.set_item("status", e.status)?;
    d.set_item("code", &e.code)?;
    d.set_item(
        "details",
        e.details.as_ref().map(|v| pythonize(py, v)).transpose()?,
    )?;
    d.set_item(
        "body",
        e.body.as_ref().map(|v| pythonize(py, v)).transpose()?,
    )?;
    d.set_item("headers", e.headers.clone())?;
    d.set_item("request_id", &e.request_id)?;
    d.set_item("retry_after", e.retry_after)?;
    d.set_item("attempts", e.attempts)?;
    d.set_item("may_have_acted", e.may_have_acted)?;
    Ok(d)
}

pub fn to_pyerr(e: Error) -> PyErr {
    Python::attach(|py| match error_dict(py, &e) {
        Ok(d) => NativeError::new_err((d.unbind(),)),
        Err(conversion) => conversion,
    })
}
