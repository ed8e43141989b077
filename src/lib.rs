//! The extension module `reelkit._native`: registers the bindings (`py`) and, as the
//! submodule `reelkit._native.testing`, the simulator's servers. Nothing else lives here.
//! The SDK core is the crate `reelkit_core`, the simulator `reelkit_sim`.

pub mod py;

use pyo3::prelude::*;

/// The extension module `reelkit._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    py::register(m)?;
    py::testing::register_submodule(m)?;
    Ok(())
}
