//! The pure-Rust SDK core (no pyo3): transport and retries, errors, provider wire
//! quirks, polling, downloads and webhook parsing.

pub mod download;
pub mod error;
pub mod poll;
pub mod provider;
pub mod retry;
pub mod transport;
pub mod webhook;
