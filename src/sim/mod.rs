//! The offline simulator of the Hoox and Hooked APIs, and the cassette replay and
//! record servers. Pure Rust (no pyo3): bindings live in `crate::py`.

pub mod api;
pub mod types;
