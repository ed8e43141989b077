//! The simulator's shared vocabulary: one parsed HTTP request, one response, the
//! configuration, and the `Handler` trait that the provider simulations implement.
//! The HTTP server (`crate::http`) owns sockets and faults; handlers own API behaviour.

use bytes::Bytes;
use std::time::Duration;

/// One request as the server parsed it. Header names are lower-cased.
#[derive(Debug, Clone)]
pub struct SimRequest {
    pub method: String,
    /// Path without the query string, percent-decoding NOT applied.
    pub path: String,
    /// Query pairs in order, percent-decoded.
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl SimRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON; `None` for an empty body.
    pub fn json(&self) -> Result<Option<serde_json::Value>, serde_json::Error> {
        if self.body.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(None);
        }
        serde_json::from_slice(&self.body).map(Some)
    }
}

/// A response body. `Pattern` streams `len` deterministic bytes starting at
/// `offset` without allocating them (large download benchmarks, Range replies).
#[derive(Debug, Clone)]
pub enum Body {
    Bytes(Bytes),
    Pattern { len: u64, offset: u64 },
}

impl Body {
    pub fn len(&self) -> u64 {
        match self {
            Body::Bytes(b) => b.len() as u64,
            Body::Pattern { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The byte at position `i` of a `Body::Pattern` stream (so tests can verify content).
pub fn pattern_byte(i: u64) -> u8 {
    (i.wrapping_mul(31).wrapping_add(i >> 8) & 0xff) as u8
}

#[derive(Debug, Clone)]
pub struct SimResponse {
    pub status: u16,
    /// Extra headers; the server adds Content-Length, Date and Connection itself.
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl SimResponse {
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        SimResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Body::Bytes(Bytes::from(serde_json::to_vec(value).unwrap_or_default())),
        }
    }

    pub fn text(status: u16, content_type: &str, text: impl Into<String>) -> Self {
        SimResponse {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: Body::Bytes(Bytes::from(text.into())),
        }
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }
}

/// Simulator settings shared by the server and the provider simulations.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// How long a generation/export/avatar/video job takes from start to terminal state.
    pub job_seconds: f64,
    /// Starting credit balance (each provider has its own balance of this size).
    pub credits: f64,
    /// Hoox sliding-window limit per key; 0 disables rate limiting.
    pub rate_limit_per_minute: u32,
    /// The length of that sliding window (60 s on the server; shorter in tests).
    pub rate_limit_window: Duration,
    /// Lifetime of signed media URLs; after it storage answers 403.
    pub url_ttl_seconds: f64,
    /// Size of each rendered MP4 served from /media (0 = the small built-in valid MP4).
    pub video_bytes: u64,
    pub hoox_api_key: String,
    pub hooked_api_key: String,
    /// When false, Hoox answers 403 plan_required (the Enterprise gate).
    pub hoox_enterprise: bool,
    /// Webhook retry delays are the documented ones multiplied by this factor.
    pub webhook_delay_scale: f64,
    pub webhook_timeout: Duration,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            job_seconds: 2.0,
            credits: 1000.0,
            rate_limit_per_minute: 100,
            rate_limit_window: Duration::from_secs(60),
            url_ttl_seconds: 86_400.0,
            video_bytes: 0,
            hoox_api_key: "hx_test_simulator0000000000000000".into(),
            hooked_api_key: "hk_test_simulator".into(),
            hoox_enterprise: true,
            webhook_delay_scale: 0.01,
            webhook_timeout: Duration::from_secs(10),
        }
    }
}

/// A provider simulation (or any other responder): pure request -> response.
/// Called on the server's tokio runtime, so implementations may `tokio::spawn`
/// background work such as webhook deliveries.
pub trait Handler: Send + Sync + 'static {
    fn handle(&self, req: &SimRequest) -> SimResponse;
}
