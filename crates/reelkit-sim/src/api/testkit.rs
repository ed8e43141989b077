//! Test support for the API simulation: a simulator with short jobs, requests built by
//! hand and sent to `handle()` (no sockets), response readers, and [`JobClock`], which
//! bounds a job's elapsed time by what the test measured so that state checks hold on a
//! loaded machine.

use super::util;
use super::ApiSim;
use crate::types::{pattern_byte, Body, Handler, SimConfig, SimRequest, SimResponse};
use bytes::Bytes;
use serde_json::Value;
use std::sync::Arc;
use std::thread::sleep;
use std::time::{Duration, Instant};

pub const BASE: &str = "http://127.0.0.1:9";

pub fn cfg() -> SimConfig {
    SimConfig {
        job_seconds: 0.2,
        ..SimConfig::default()
    }
}

pub fn sim() -> Arc<ApiSim> {
    ApiSim::new(cfg(), BASE.into())
}

pub fn sim_with(f: impl FnOnce(&mut SimConfig)) -> Arc<ApiSim> {
    let mut c = cfg();
    f(&mut c);
    ApiSim::new(c, BASE.into())
}

pub fn request(
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> SimRequest {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (util::pct_decode(k), util::pct_decode(v))
        })
        .collect();
    SimRequest {
        method: method.into(),
        path: path.into(),
        query,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
            .collect(),
        body: body
            .map(|b| Bytes::from(serde_json::to_vec(b).unwrap()))
            .unwrap_or_default(),
    }
}

pub fn hx(s: &ApiSim, method: &str, path: &str, body: Option<Value>) -> SimResponse {
    let auth = format!("Bearer {}", s.config().hoox_api_key);
    s.handle(&request(
        method,
        &format!("/api/public/v1{path}"),
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        body.as_ref(),
    ))
}

pub fn hk(s: &ApiSim, method: &str, path: &str, body: Option<Value>) -> SimResponse {
    let key = s.config().hooked_api_key.clone();
    s.handle(&request(
        method,
        &format!("/v1{path}"),
        &[("x-api-key", &key), ("content-type", "application/json")],
        body.as_ref(),
    ))
}

pub fn bytes_of(r: &SimResponse) -> Vec<u8> {
    match &r.body {
        Body::Bytes(b) => b.to_vec(),
        Body::Pattern { len, offset } => (*offset..offset + len).map(pattern_byte).collect(),
    }
}

pub fn js(r: &SimResponse) -> Value {
    serde_json::from_slice(&bytes_of(r)).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {:?}",
            String::from_utf8_lossy(&bytes_of(r))
        )
    })
}

pub fn hdr<'a>(r: &'a SimResponse, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// GET a full media URL (`http://127.0.0.1:9/media/...`) through the handler.
pub fn fetch(s: &ApiSim, url: &str, extra: &[(&str, &str)]) -> SimResponse {
    let target = url.strip_prefix(BASE).expect("media URL on this server");
    s.handle(&request("GET", target, extra, None))
}

pub fn wait(secs: f64) {
    sleep(Duration::from_secs_f64(secs));
}

/// The `(code, field)` pairs of a Hoox validation error.
pub fn codes(v: &Value) -> Vec<(String, String)> {
    v["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["field"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The `message` of a Hooked envelope.
pub fn message(r: &SimResponse) -> String {
    js(r)["message"].as_str().unwrap().to_string()
}

// ------------------------------------------------------------------------------------------
// Job states under load

/// The phases of a Hoox generation: pending for the first 15 % of the job, processing
/// until its end, then terminal.
pub const GENERATION: &[(&str, f64)] = &[
    ("pending", 0.15),
    ("processing", 1.0),
    ("completed", f64::INFINITY),
];
/// A Hoox export: pending for the first 10 %.
pub const EXPORT: &[(&str, f64)] = &[
    ("pending", 0.1),
    ("processing", 1.0),
    ("completed", f64::INFINITY),
];
/// A look generation, as `/avatar/status` shows it.
pub const LOOK: &[(&str, f64)] = &[
    ("pending", 0.15),
    ("processing", 1.0),
    ("completed", f64::INFINITY),
];
/// A look generation, as `/avatar/{id}/look/{look_id}` shows it.
pub const LOOK_DETAIL: &[(&str, f64)] = &[("pending", 1.0), ("ready", f64::INFINITY)];
/// A Hoox asset.
pub const ASSET: &[(&str, f64)] = &[("generating", 1.0), ("completed", f64::INFINITY)];
/// A Hooked video.
pub const HOOKED_VIDEO: &[(&str, f64)] = &[("STARTED", 1.0), ("COMPLETED", f64::INFINITY)];

/// When a job started, as the test knows it: after the instant before the request that
/// started it and before the instant after. A read bracketed the same way bounds the
/// job's elapsed time, so a test derives the states it may see from what it measured
/// instead of assuming how long a request takes: on an idle machine the bounds are tight
/// and allow one state; under load they widen, and never allow a wrong one.
pub struct JobClock {
    before: Instant,
    after: Instant,
    secs: f64,
}

/// A job's elapsed time during one read, as fractions of the job's length.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub lo: f64,
    pub hi: f64,
}

impl JobClock {
    /// Starts a job of `secs` seconds through `start`.
    pub fn start<T>(secs: f64, start: impl FnOnce() -> T) -> (JobClock, T) {
        let before = Instant::now();
        let out = start();
        let after = Instant::now();
        (
            JobClock {
                before,
                after,
                secs,
            },
            out,
        )
    }

    /// Reads the job's state through `read`, with the span of elapsed time it reflects.
    pub fn read<T>(&self, read: impl FnOnce() -> T) -> (T, Span) {
        let before = Instant::now();
        let out = read();
        let after = Instant::now();
        let frac = |d: Duration| d.as_secs_f64() / self.secs;
        let span = Span {
            lo: frac(before.saturating_duration_since(self.after)),
            hi: frac(after.saturating_duration_since(self.before)),
        };
        (out, span)
    }
}

impl Span {
    /// The phases (each `(name, end)`, starting where the previous one ends) that a job
    /// read within this span may be in.
    pub fn allowed<'a>(&self, phases: &[(&'a str, f64)]) -> Vec<&'a str> {
        let mut start = 0.0;
        let mut out = vec![];
        for &(name, end) in phases {
            if start <= self.hi && end > self.lo {
                out.push(name);
            }
            start = end;
        }
        out
    }

    /// Asserts that `state` is a phase this span allows.
    pub fn check(&self, state: &Value, phases: &[(&str, f64)]) {
        let allowed = self.allowed(phases);
        assert!(
            state.as_str().is_some_and(|s| allowed.contains(&s)),
            "state {state} at {:.3}..{:.3} of the job; allowed {allowed:?}",
            self.lo,
            self.hi
        );
    }
}

#[test]
fn spans_allow_exactly_the_phases_they_overlap() {
    let at = |lo, hi| Span { lo, hi }.allowed(GENERATION);
    assert_eq!(at(0.0, 0.05), ["pending"]);
    assert_eq!(at(0.1, 0.2), ["pending", "processing"]);
    assert_eq!(at(0.3, 0.5), ["processing"]);
    assert_eq!(at(0.9, 1.2), ["processing", "completed"]);
    assert_eq!(at(1.1, 1.3), ["completed"]);
    assert_eq!(at(0.0, 9.0), ["pending", "processing", "completed"]);
}
