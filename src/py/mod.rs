//! pyo3 bindings: the only module that knows Python. (On the `sim-server` branch
//! only `testing` lives here; the lead's bindings join it at merge.)

pub mod testing;
