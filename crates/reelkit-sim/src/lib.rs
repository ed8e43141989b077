//! The offline simulator of the Hoox and Hooked APIs, and the cassette replay and
//! record servers. Pure Rust: no pyo3 (the bindings are the extension crate's
//! `src/py/testing.rs`) and no dependency on reelkit-core, so it checks the SDK independently.
//!
//! - `api`: the Hoox and Hooked API behaviour (`ApiSim`), media and webhooks.
//! - `types`: the shared vocabulary (`SimRequest`, `SimResponse`, `Handler`, ...).
//! - `http`: the HTTP/1.1 server (hyper) and the socket side of faults.
//! - `faults`: fault kinds and the table of armed faults.
//! - `inspect`: the redacted, bounded log of received requests.
//! - `server`: `SimServer`, the simulator (http + faults + inspect + a handler).
//! - `cassette`: the cassette file format.
//! - `replay` / `record`: the cassette replay server and the recording proxy.

pub mod api;
pub mod cassette;
pub mod faults;
pub mod http;
pub mod inspect;
pub mod record;
pub mod replay;
pub mod server;
pub mod types;
