//! Request inspection: every request a server receives is recorded here, with
//! secrets redacted, so tests can assert on what the client actually sent.
//!
//! Memory is bounded: the log keeps the most recent `DEFAULT_CAPACITY` (10,000)
//! requests and drops the oldest beyond that; a recorded text body is cut to
//! `MAX_TEXT_BODY` bytes (its full size is kept in `body_len`).
//!
//! Redaction: an `authorization` header becomes `<scheme> <redacted>` (so
//! `Bearer <redacted>` for a bearer key), `x-api-key` becomes `<redacted>`, and
//! any other header or query value containing one of the configured secrets has
//! the secret replaced by `<redacted>`.

use crate::types::SimRequest;
use serde_json::{Map, Value};
use std::collections::VecDeque;
use std::sync::Mutex;

pub const DEFAULT_CAPACITY: usize = 10_000;
/// Longest text body kept per recorded request.
pub const MAX_TEXT_BODY: usize = 64 * 1024;
pub const REDACTED: &str = "<redacted>";

/// A request body as recorded.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordedBody {
    /// No body (or only whitespace).
    None,
    Json(Value),
    /// Not JSON: the body as (lossy) UTF-8, cut to `MAX_TEXT_BODY` bytes.
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    /// 0-based position among all requests the server received (keeps counting
    /// past the capacity, so gaps show dropped entries).
    pub seq: u64,
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: RecordedBody,
    pub body_len: usize,
    pub headers: Vec<(String, String)>,
}

impl RecordedRequest {
    /// The parsed JSON body, if it was JSON.
    pub fn json(&self) -> Option<&Value> {
        match &self.body {
            RecordedBody::Json(v) => Some(v),
            _ => None,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A JSON view: `{"method", "path", "query": [[k, v]...], "json"|"text", "headers": {...}}`.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("seq".into(), self.seq.into());
        m.insert("method".into(), self.method.clone().into());
        m.insert("path".into(), self.path.clone().into());
        m.insert(
            "query".into(),
            Value::Array(
                self.query
                    .iter()
                    .map(|(k, v)| Value::Array(vec![k.clone().into(), v.clone().into()]))
                    .collect(),
            ),
        );
        match &self.body {
            RecordedBody::None => {
                m.insert("json".into(), Value::Null);
            }
            RecordedBody::Json(v) => {
                m.insert("json".into(), v.clone());
            }
            RecordedBody::Text(t) => {
                m.insert("json".into(), Value::Null);
                m.insert("text".into(), t.clone().into());
            }
        }
        m.insert("body_len".into(), self.body_len.into());
        m.insert(
            "headers".into(),
            Value::Object(
                self.headers
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect(),
            ),
        );
        Value::Object(m)
    }
}

/// Redacts the auth headers and any configured secret.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    /// `secrets`: values (API keys) to scrub wherever they appear in a header or
    /// query value. Empty strings are ignored.
    pub fn new<I, S>(secrets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Redactor {
            secrets: secrets
                .into_iter()
                .map(Into::into)
                .filter(|s: &String| !s.is_empty())
                .collect(),
        }
    }

    /// The value to record for header `name` (lower-case).
    pub fn header(&self, name: &str, value: &str) -> String {
        if name.eq_ignore_ascii_case("authorization")
            || name.eq_ignore_ascii_case("proxy-authorization")
        {
            return match value.trim().split_once(' ') {
                Some((scheme, _)) if !scheme.is_empty() => format!("{scheme} {REDACTED}"),
                _ => REDACTED.to_string(),
            };
        }
        if name.eq_ignore_ascii_case("x-api-key") {
            return REDACTED.to_string();
        }
        self.scrub(value)
    }

    /// `value` with every configured secret replaced by `<redacted>`.
    pub fn scrub(&self, value: &str) -> String {
        let mut out = value.to_string();
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), REDACTED);
            }
        }
        out
    }

    pub fn headers(&self, headers: &[(String, String)]) -> Vec<(String, String)> {
        headers
            .iter()
            .map(|(k, v)| (k.clone(), self.header(k, v)))
            .collect()
    }
}

/// The bounded, ordered log of requests.
#[derive(Debug)]
pub struct RequestLog {
    inner: Mutex<LogInner>,
    capacity: usize,
    redactor: Redactor,
}

#[derive(Debug, Default)]
struct LogInner {
    entries: VecDeque<RecordedRequest>,
    next_seq: u64,
}

impl RequestLog {
    pub fn new(redactor: Redactor) -> Self {
        Self::with_capacity(redactor, DEFAULT_CAPACITY)
    }

    pub fn with_capacity(redactor: Redactor, capacity: usize) -> Self {
        RequestLog {
            inner: Mutex::new(LogInner::default()),
            capacity: capacity.max(1),
            redactor,
        }
    }

    /// Build the redacted record of `req` (without storing it).
    pub fn redact(&self, req: &SimRequest) -> RecordedRequest {
        let body = if req.body.iter().all(|b| b.is_ascii_whitespace()) {
            RecordedBody::None
        } else {
            match serde_json::from_slice::<Value>(&req.body) {
                Ok(v) => RecordedBody::Json(v),
                Err(_) => {
                    let cut = &req.body[..req.body.len().min(MAX_TEXT_BODY)];
                    RecordedBody::Text(self.redactor.scrub(&String::from_utf8_lossy(cut)))
                }
            }
        };
        RecordedRequest {
            seq: 0,
            method: req.method.clone(),
            path: req.path.clone(),
            query: req
                .query
                .iter()
                .map(|(k, v)| (k.clone(), self.redactor.scrub(v)))
                .collect(),
            body,
            body_len: req.body.len(),
            headers: self.redactor.headers(&req.headers),
        }
    }

    /// Record one request (redacted). Returns its sequence number.
    pub fn record(&self, req: &SimRequest) -> u64 {
        let rec = self.redact(req);
        let mut inner = self.lock();
        let seq = inner.next_seq;
        inner.next_seq += 1;
        if inner.entries.len() >= self.capacity {
            inner.entries.pop_front();
        }
        inner.entries.push_back(RecordedRequest { seq, ..rec });
        seq
    }

    /// The recorded requests, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().entries.iter().cloned().collect()
    }

    /// How many requests were received in total (including dropped ones).
    pub fn total(&self) -> u64 {
        self.lock().next_seq
    }

    /// Forget the recorded requests (sequence numbers keep counting).
    pub fn clear(&self) {
        self.lock().entries.clear();
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LogInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn req(headers: &[(&str, &str)], body: &str) -> SimRequest {
        SimRequest {
            method: "POST".into(),
            path: "/v1/x".into(),
            query: vec![("k".into(), "v".into())],
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: Bytes::from(body.to_string()),
        }
    }

    #[test]
    fn redaction() {
        let log = RequestLog::new(Redactor::new(["hx_secret", "hk_secret"]));
        log.record(&req(
            &[
                ("authorization", "Bearer hx_secret"),
                ("x-api-key", "hk_secret"),
                ("x-other", "prefix hk_secret suffix"),
                ("user-agent", "reelkit/0.1"),
            ],
            "{\"a\": 1}",
        ));
        let r = &log.requests()[0];
        assert_eq!(r.header("authorization"), Some("Bearer <redacted>"));
        assert_eq!(r.header("x-api-key"), Some("<redacted>"));
        assert_eq!(r.header("x-other"), Some("prefix <redacted> suffix"));
        assert_eq!(r.header("user-agent"), Some("reelkit/0.1"));
        assert_eq!(r.json(), Some(&serde_json::json!({"a": 1})));
    }

    #[test]
    fn bodies_and_bounds() {
        let log = RequestLog::with_capacity(Redactor::default(), 3);
        log.record(&req(&[], ""));
        log.record(&req(&[], "not json"));
        for _ in 0..5 {
            log.record(&req(&[], " {} "));
        }
        let all = log.requests();
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].seq, 4);
        assert_eq!(log.total(), 7);
        let log = RequestLog::new(Redactor::default());
        log.record(&req(&[], "  "));
        log.record(&req(&[], "plain"));
        let all = log.requests();
        assert_eq!(all[0].body, RecordedBody::None);
        assert_eq!(all[1].body, RecordedBody::Text("plain".into()));
        log.clear();
        assert!(log.requests().is_empty());
    }
}
