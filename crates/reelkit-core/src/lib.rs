//! The pure-Rust SDK core (no pyo3): transport and retries, errors, provider wire
//! quirks, polling, rate limiting, downloads and webhook parsing.

// `Error` is deliberately one flat, rich struct (status, code, request id, body,
// headers...) so every layer can fill in what it knows. It travels only on the
// failure path, where its size costs nothing measurable, so boxing it would add
// noise without benefit.
#![allow(clippy::result_large_err, clippy::large_enum_variant)]

pub mod download;
pub mod error;
pub mod poll;
pub mod provider;
pub mod ratelimit;
pub mod ratestore;
pub mod retry;
pub mod transport;
pub mod webhook;
