//! pyo3 bindings: the only place that knows Python. They translate arguments,
//! run core futures on the shared runtime and convert results and errors.

pub mod client;
pub mod errors;
pub mod runtime;
pub mod webhook;

use pyo3::prelude::*;

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<client::NativeClient>()?;
    m.add("NativeError", m.py().get_type::<errors::NativeError>())?;
    m.add_function(wrap_pyfunction!(webhook::parse_hoox_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::parse_hooked_webhook, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("USER_AGENT", crate::core::transport::USER_AGENT)?;
    Ok(())
}
