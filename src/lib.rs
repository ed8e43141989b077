//! reelkit's Rust crate: `core` is the pure-Rust SDK core, `sim` the offline
//! simulator and cassette servers, `py` the pyo3 bindings (the only module that
//! knows Python).

pub mod core;
pub mod py;
pub mod sim;

use pyo3::prelude::*;

/// The extension module `reelkit._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    py::register(m)?;
    py::testing::register(m)?;
    Ok(())
}
