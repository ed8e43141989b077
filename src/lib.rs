//! reelkit's Rust crate: `core` is the pure-Rust SDK core, `sim` the offline
//! simulator and cassette servers, `py` the pyo3 bindings (the only module that
//! knows Python).

pub mod core;
pub mod sim;
