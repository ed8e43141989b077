//! The cassette: reelkit's ONE file format for recorded HTTP interactions, written
//! by the recording proxy (`crate::record`) and served by the replay server
//! (`crate::replay`). JSON, meant to be read and edited by hand.
//!
//! ```json
//! {"reelkit_cassette": 1,
//!  "description": "free text", "source": "where the responses come from",
//!  "interactions": [
//!   {"request":  {"method": "POST", "path": "/api/public/v1/video/duplicate", "query": {"k": "v"},
//!                 "json": {"video_id": "vid_abc123"}, "headers": {"authorization": "Bearer <redacted>"}},
//!    "response": {"status": 201, "headers": {"content-type": "application/json", "x-request-id": "req_1"},
//!                 "json": {"video_id": "vid_dup_456"}}}]}
//! ```
//!
//! Request fields:
//! - `method` (required), `path` (required: the full path, e.g. `/v1/videos/abc`).
//! - `query` (optional object): values are strings or lists of strings (repeated
//!   keys). Matched order-insensitively.
//! - `json` (optional): the JSON body; absent or null = no body. Matched
//!   structurally (key order and whitespace do not matter).
//! - `text` / `body_base64` (optional, written by the recorder for non-JSON
//!   bodies such as uploads): informational only, never matched.
//! - `headers` (optional object): informational; NOT matched unless the
//!   interaction lists them in `"match_headers": ["name", ...]` (next to
//!   `request` and `response`), in which case those headers must be equal.
//!
//! Response fields:
//! - `status` (required), `headers` (optional object; a list value sends the
//!   header once per item).
//! - At most one body: `json` (any JSON value), `text` (a string), `body_base64`,
//!   or `pattern_bytes` (N: N deterministic bytes, `Body::Pattern`). None = empty.
//!   When `json` is given and `headers` has no content-type, `application/json` is
//!   sent; for `text`, `text/plain; charset=utf-8`.
//! - `fault` (optional): a fault object as in `crate::faults`, e.g.
//!   `{"kind": "reset_mid_body"}`, applied when this interaction is served.
//! - `delay_seconds` (optional): wait this long before answering.
//! - In `json` strings and `text`, the literal `{{base_url}}` is replaced by the
//!   replay server's base URL (`http://127.0.0.1:PORT`) when served, so signed
//!   media URLs can point back at the replay server.
//!
//! Top level: `reelkit_cassette` must be 1; `description` and `source` are free
//! text; unknown keys anywhere are rejected (typos should fail loudly).

use crate::faults::Fault;
use crate::types::{Body, SimRequest, SimResponse};
use bytes::Bytes;
use serde_json::{Map, Value};
use std::fmt;
use std::path::Path;

pub const FORMAT_VERSION: u64 = 1;
pub const BASE_URL_PLACEHOLDER: &str = "{{base_url}}";

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cassette {
    pub description: String,
    pub source: String,
    pub interactions: Vec<Interaction>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    pub request: CassetteRequest,
    pub response: CassetteResponse,
    /// Header names (lower-case) that must match for this interaction.
    pub match_headers: Vec<String>,
}

/// A request body as stored in a cassette.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestBody {
    None,
    /// Matched structurally.
    Json(Value),
    /// Informational (not matched).
    Text(String),
    /// Informational (not matched).
    Binary(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CassetteRequest {
    pub method: String,
    pub path: String,
    /// Pairs in file order (a list value becomes several pairs).
    pub query: Vec<(String, String)>,
    pub body: RequestBody,
    pub headers: Vec<(String, String)>,
}

/// A response body as stored in a cassette.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    Empty,
    Json(Value),
    Text(String),
    Binary(Vec<u8>),
    Pattern(u64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CassetteResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: ResponseBody,
    pub fault: Option<Fault>,
    pub delay_seconds: f64,
}

/// A cassette that could not be read: what and where.
#[derive(Debug, Clone, PartialEq)]
pub struct CassetteError(pub String);

impl fmt::Display for CassetteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CassetteError {}

impl From<CassetteError> for std::io::Error {
    fn from(e: CassetteError) -> Self {
        std::io::Error::new(std::io::ErrorKind::InvalidData, e.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, CassetteError> {
    Err(CassetteError(msg.into()))
}

fn check_keys(obj: &Map<String, Value>, allowed: &[&str], at: &str) -> Result<(), CassetteError> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => err(format!(
            "{at}: unknown key {k:?} (allowed: {})",
            allowed.join(", ")
        )),
        None => Ok(()),
    }
}

fn header_map(v: Option<&Value>, at: &str) -> Result<Vec<(String, String)>, CassetteError> {
    let mut out = Vec::new();
    match v {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            for (k, v) in m {
                let name = k.to_ascii_lowercase();
                match v {
                    Value::String(s) => out.push((name, s.clone())),
                    Value::Number(n) => out.push((name, n.to_string())),
                    Value::Array(items) => {
                        for item in items {
                            match item {
                                Value::String(s) => out.push((name.clone(), s.clone())),
                                _ => {
                                    return err(format!(
                                        "{at}.headers.{k}: list items must be strings"
                                    ))
                                }
                            }
                        }
                    }
                    _ => {
                        return err(format!(
                            "{at}.headers.{k}: must be a string or a list of strings"
                        ))
                    }
                }
            }
        }
        Some(_) => return err(format!("{at}.headers: must be an object")),
    }
    Ok(out)
}

/// Pairs → JSON object; a repeated name becomes a list.
pub fn pairs_to_object(pairs: &[(String, String)]) -> Value {
    let mut m = Map::new();
    for (k, v) in pairs {
        match m.get_mut(k) {
            None => {
                m.insert(k.clone(), Value::String(v.clone()));
            }
            Some(Value::Array(list)) => list.push(Value::String(v.clone())),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, Value::String(v.clone())]);
            }
        }
    }
    Value::Object(m)
}

impl Cassette {
    pub fn new(description: impl Into<String>, source: impl Into<String>) -> Self {
        Cassette {
            description: description.into(),
            source: source.into(),
            interactions: Vec::new(),
        }
    }

    pub fn load(path: impl AsRef<Path>) -> Result<Cassette, CassetteError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| CassetteError(format!("cannot read cassette {}: {e}", path.display())))?;
        Cassette::from_str(&text).map_err(|e| CassetteError(format!("{}: {}", path.display(), e.0)))
    }

    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str) -> Result<Cassette, CassetteError> {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| CassetteError(format!("not valid JSON: {e}")))?;
        Cassette::from_json(&v)
    }

    pub fn from_json(v: &Value) -> Result<Cassette, CassetteError> {
        let Some(obj) = v.as_object() else {
            return err("a cassette must be a JSON object");
        };
        check_keys(
            obj,
            &["reelkit_cassette", "description", "source", "interactions"],
            "cassette",
        )?;
        match obj.get("reelkit_cassette").and_then(Value::as_u64) {
            Some(FORMAT_VERSION) => {}
            Some(n) => {
                return err(format!(
                    "unsupported cassette version {n} (this reelkit reads 1)"
                ))
            }
            None => return err("not a reelkit cassette: missing \"reelkit_cassette\": 1"),
        }
        let text_field = |k: &str| obj.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let Some(items) = obj.get("interactions").and_then(Value::as_array) else {
            return err("cassette: \"interactions\" must be a list");
        };
        let interactions = items
            .iter()
            .enumerate()
            .map(|(i, item)| Interaction::from_json(item, &format!("interactions[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Cassette {
            description: text_field("description"),
            source: text_field("source"),
            interactions,
        })
    }

    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("reelkit_cassette".into(), FORMAT_VERSION.into());
        m.insert("description".into(), self.description.clone().into());
        m.insert("source".into(), self.source.clone().into());
        m.insert(
            "interactions".into(),
            Value::Array(self.interactions.iter().map(Interaction::to_json).collect()),
        );
        Value::Object(m)
    }

    /// Pretty JSON text (two-space indent, trailing newline).
    pub fn to_pretty(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.to_json()).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Write atomically (temp file in the same folder, then rename). Creates the
    /// parent folder if needed.
    pub fn save(&self, path: impl AsRef<Path>) -> std::io::Result<()> {
        let path = path.as_ref();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, self.to_pretty())?;
        std::fs::rename(&tmp, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }
}

impl Interaction {
    fn from_json(v: &Value, at: &str) -> Result<Interaction, CassetteError> {
        let Some(obj) = v.as_object() else {
            return err(format!("{at}: must be an object"));
        };
        check_keys(obj, &["request", "response", "match_headers"], at)?;
        let request = CassetteRequest::from_json(obj.get("request"), &format!("{at}.request"))?;
        let response = CassetteResponse::from_json(obj.get("response"), &format!("{at}.response"))?;
        let match_headers = match obj.get("match_headers") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .map(|x| {
                    x.as_str().map(str::to_ascii_lowercase).ok_or_else(|| {
                        CassetteError(format!("{at}.match_headers: names must be strings"))
                    })
                })
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return err(format!(
                    "{at}.match_headers: must be a list of header names"
                ))
            }
        };
        for name in &match_headers {
            if !request.headers.iter().any(|(k, _)| k == name) {
                return err(format!(
                    "{at}: match_headers names {name:?} but request.headers has no such header"
                ));
            }
        }
        Ok(Interaction {
            request,
            response,
            match_headers,
        })
    }

    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("request".into(), self.request.to_json());
        m.insert("response".into(), self.response.to_json());
        if !self.match_headers.is_empty() {
            m.insert(
                "match_headers".into(),
                Value::Array(
                    self.match_headers
                        .iter()
                        .map(|h| h.clone().into())
                        .collect(),
                ),
            );
        }
        Value::Object(m)
    }

    /// One line: `POST /v1/x?k=v`.
    pub fn summary(&self) -> String {
        let mut s = format!("{} {}", self.request.method, self.request.path);
        if !self.request.query.is_empty() {
            s.push('?');
            let q: Vec<String> = self
                .request
                .query
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            s.push_str(&q.join("&"));
        }
        s
    }

    /// How `got` differs from this interaction's request (empty = it matches).
    pub fn diff(&self, got: &SimRequest) -> Vec<String> {
        let exp = &self.request;
        let mut out = Vec::new();
        if !exp.method.eq_ignore_ascii_case(&got.method) {
            out.push(format!(
                "method: expected {}, got {}",
                exp.method, got.method
            ));
        }
        if percent_decode(&exp.path) != percent_decode(&got.path) {
            out.push(format!("path: expected {}, got {}", exp.path, got.path));
        }
        let mut eq = exp.query.clone();
        let mut gq = got.query.clone();
        eq.sort();
        gq.sort();
        if eq != gq {
            out.push(format!(
                "query: expected {}, got {}",
                pairs_to_object(&exp.query),
                pairs_to_object(&got.query)
            ));
        }
        let got_json = got.json();
        match (&exp.body, got_json) {
            (RequestBody::Text(_) | RequestBody::Binary(_), _) => {}
            (RequestBody::None, Ok(None)) => {}
            (RequestBody::None, _) => out.push(format!(
                "body: expected none, got {}",
                preview(&String::from_utf8_lossy(&got.body))
            )),
            (RequestBody::Json(e), Ok(Some(g))) => {
                if e != &g {
                    let mut lines = Vec::new();
                    json_diff("$", e, &g, &mut lines);
                    out.push(format!(
                        "json body: expected {}, got {}",
                        preview(&e.to_string()),
                        preview(&g.to_string())
                    ));
                    for l in lines.into_iter().take(12) {
                        out.push(format!("  {l}"));
                    }
                }
            }
            (RequestBody::Json(e), Ok(None)) => out.push(format!(
                "json body: expected {}, got no body",
                preview(&e.to_string())
            )),
            (RequestBody::Json(e), Err(_)) => out.push(format!(
                "json body: expected {}, got non-JSON {}",
                preview(&e.to_string()),
                preview(&String::from_utf8_lossy(&got.body))
            )),
        }
        for name in &self.match_headers {
            let want = exp
                .headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str());
            let have = got.header(name);
            if want != have {
                out.push(format!("header {name}: expected {want:?}, got {have:?}"));
            }
        }
        out
    }
}

fn preview(s: &str) -> String {
    const MAX: usize = 300;
    if s.len() <= MAX {
        return s.to_string();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &s[..end], s.len())
}

/// Structural differences between two JSON values, one line each, with paths.
pub fn json_diff(at: &str, expected: &Value, got: &Value, out: &mut Vec<String>) {
    match (expected, got) {
        (Value::Object(e), Value::Object(g)) => {
            for (k, ev) in e {
                match g.get(k) {
                    Some(gv) => json_diff(&format!("{at}.{k}"), ev, gv, out),
                    None => out.push(format!(
                        "{at}.{k}: missing (expected {})",
                        preview(&ev.to_string())
                    )),
                }
            }
            for (k, gv) in g {
                if !e.contains_key(k) {
                    out.push(format!("{at}.{k}: unexpected {}", preview(&gv.to_string())));
                }
            }
        }
        (Value::Array(e), Value::Array(g)) if e.len() == g.len() => {
            for (i, (ev, gv)) in e.iter().zip(g).enumerate() {
                json_diff(&format!("{at}[{i}]"), ev, gv, out);
            }
        }
        (e, g) if e == g => {}
        (e, g) => out.push(format!(
            "{at}: expected {}, got {}",
            preview(&e.to_string()),
            preview(&g.to_string())
        )),
    }
}

/// Decode `%XX` escapes (invalid escapes are kept as they are).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl CassetteRequest {
    fn from_json(v: Option<&Value>, at: &str) -> Result<CassetteRequest, CassetteError> {
        let Some(obj) = v.and_then(Value::as_object) else {
            return err(format!("{at}: must be an object"));
        };
        check_keys(
            obj,
            &[
                "method",
                "path",
                "query",
                "json",
                "text",
                "body_base64",
                "headers",
            ],
            at,
        )?;
        let method = match obj.get("method").and_then(Value::as_str) {
            Some(m) if !m.is_empty() => m.to_ascii_uppercase(),
            _ => return err(format!("{at}.method: required string")),
        };
        let path = match obj.get("path").and_then(Value::as_str) {
            Some(p) if p.starts_with('/') => p.to_string(),
            Some(p) => return err(format!("{at}.path: must start with '/', got {p:?}")),
            None => return err(format!("{at}.path: required string")),
        };
        let mut query = Vec::new();
        match obj.get("query") {
            None | Some(Value::Null) => {}
            Some(Value::Object(m)) => {
                for (k, v) in m {
                    match v {
                        Value::String(s) => query.push((k.clone(), s.clone())),
                        Value::Number(_) | Value::Bool(_) => query.push((k.clone(), v.to_string())),
                        Value::Array(items) => {
                            for item in items {
                                match item {
                                    Value::String(s) => query.push((k.clone(), s.clone())),
                                    _ => {
                                        return err(format!(
                                            "{at}.query.{k}: list items must be strings"
                                        ))
                                    }
                                }
                            }
                        }
                        _ => {
                            return err(format!(
                                "{at}.query.{k}: must be a string or a list of strings"
                            ))
                        }
                    }
                }
            }
            Some(_) => return err(format!("{at}.query: must be an object")),
        }
        let body = match (obj.get("json"), obj.get("text"), obj.get("body_base64")) {
            (None | Some(Value::Null), None, None) => RequestBody::None,
            (Some(j), None, None) => RequestBody::Json(j.clone()),
            (None, Some(Value::String(t)), None) => RequestBody::Text(t.clone()),
            (None, None, Some(Value::String(b))) => RequestBody::Binary(
                base64_decode(b)
                    .ok_or_else(|| CassetteError(format!("{at}.body_base64: invalid base64")))?,
            ),
            _ => {
                return err(format!(
                    "{at}: at most one of json, text (string), body_base64 (string)"
                ))
            }
        };
        Ok(CassetteRequest {
            method,
            path,
            query,
            body,
            headers: header_map(obj.get("headers"), at)?,
        })
    }

    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("method".into(), self.method.clone().into());
        m.insert("path".into(), self.path.clone().into());
        if !self.query.is_empty() {
            m.insert("query".into(), pairs_to_object(&self.query));
        }
        match &self.body {
            RequestBody::None => {}
            RequestBody::Json(v) => {
                m.insert("json".into(), v.clone());
            }
            RequestBody::Text(t) => {
                m.insert("text".into(), t.clone().into());
            }
            RequestBody::Binary(b) => {
                m.insert("body_base64".into(), base64_encode(b).into());
            }
        }
        if !self.headers.is_empty() {
            m.insert("headers".into(), pairs_to_object(&self.headers));
        }
        Value::Object(m)
    }
}

/// Replace `{{base_url}}` in every string of `v`.
fn substitute_json(v: &Value, base_url: &str) -> Value {
    match v {
        Value::String(s) if s.contains(BASE_URL_PLACEHOLDER) => {
            Value::String(s.replace(BASE_URL_PLACEHOLDER, base_url))
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| substitute_json(x, base_url)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), substitute_json(x, base_url)))
                .collect(),
        ),
        other => other.clone(),
    }
}

impl CassetteResponse {
    fn from_json(v: Option<&Value>, at: &str) -> Result<CassetteResponse, CassetteError> {
        let Some(obj) = v.and_then(Value::as_object) else {
            return err(format!("{at}: must be an object"));
        };
        check_keys(
            obj,
            &[
                "status",
                "headers",
                "json",
                "text",
                "body_base64",
                "pattern_bytes",
                "fault",
                "delay_seconds",
            ],
            at,
        )?;
        let status = match obj.get("status").and_then(Value::as_u64) {
            Some(s) if (100..=999).contains(&s) => s as u16,
            _ => return err(format!("{at}.status: required HTTP status (100-999)")),
        };
        let bodies: Vec<&str> = ["json", "text", "body_base64", "pattern_bytes"]
            .into_iter()
            .filter(|k| obj.contains_key(*k))
            .collect();
        if bodies.len() > 1 {
            return err(format!(
                "{at}: at most one of json, text, body_base64, pattern_bytes (got {})",
                bodies.join(", ")
            ));
        }
        let body = match bodies.first().copied() {
            None => ResponseBody::Empty,
            Some("json") => ResponseBody::Json(obj["json"].clone()),
            Some("text") => match &obj["text"] {
                Value::String(s) => ResponseBody::Text(s.clone()),
                _ => return err(format!("{at}.text: must be a string")),
            },
            Some("body_base64") => match &obj["body_base64"] {
                Value::String(s) => {
                    ResponseBody::Binary(base64_decode(s).ok_or_else(|| {
                        CassetteError(format!("{at}.body_base64: invalid base64"))
                    })?)
                }
                _ => return err(format!("{at}.body_base64: must be a string")),
            },
            _ => match obj["pattern_bytes"].as_u64() {
                Some(n) => ResponseBody::Pattern(n),
                None => {
                    return err(format!(
                        "{at}.pattern_bytes: must be a non-negative integer"
                    ))
                }
            },
        };
        let fault = match obj.get("fault") {
            None | Some(Value::Null) => None,
            Some(f) => {
                Some(Fault::from_json(f).map_err(|e| CassetteError(format!("{at}.fault: {e}")))?)
            }
        };
        let delay_seconds = match obj.get("delay_seconds") {
            None | Some(Value::Null) => 0.0,
            Some(d) => match d.as_f64() {
                Some(x) if x.is_finite() && x >= 0.0 => x,
                _ => return err(format!("{at}.delay_seconds: must be a non-negative number")),
            },
        };
        Ok(CassetteResponse {
            status,
            headers: header_map(obj.get("headers"), at)?,
            body,
            fault,
            delay_seconds,
        })
    }

    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("status".into(), self.status.into());
        m.insert("headers".into(), pairs_to_object(&self.headers));
        match &self.body {
            ResponseBody::Empty => {}
            ResponseBody::Json(v) => {
                m.insert("json".into(), v.clone());
            }
            ResponseBody::Text(t) => {
                m.insert("text".into(), t.clone().into());
            }
            ResponseBody::Binary(b) => {
                m.insert("body_base64".into(), base64_encode(b).into());
            }
            ResponseBody::Pattern(n) => {
                m.insert("pattern_bytes".into(), (*n).into());
            }
        }
        if let Some(f) = &self.fault {
            m.insert("fault".into(), f.to_json());
        }
        if self.delay_seconds > 0.0 {
            m.insert("delay_seconds".into(), self.delay_seconds.into());
        }
        Value::Object(m)
    }

    /// The response to serve, with `{{base_url}}` replaced.
    pub fn to_sim_response(&self, base_url: &str) -> SimResponse {
        let mut headers = self.headers.clone();
        let has_ct = headers.iter().any(|(k, _)| k == "content-type");
        let (default_ct, body) = match &self.body {
            ResponseBody::Empty => (None, Body::Bytes(Bytes::new())),
            ResponseBody::Json(v) => (
                Some("application/json"),
                Body::Bytes(Bytes::from(
                    serde_json::to_vec(&substitute_json(v, base_url)).unwrap_or_default(),
                )),
            ),
            ResponseBody::Text(t) => (
                Some("text/plain; charset=utf-8"),
                Body::Bytes(Bytes::from(t.replace(BASE_URL_PLACEHOLDER, base_url))),
            ),
            ResponseBody::Binary(b) => (None, Body::Bytes(Bytes::from(b.clone()))),
            ResponseBody::Pattern(n) => (None, Body::Pattern { len: *n, offset: 0 }),
        };
        if let (false, Some(ct)) = (has_ct, default_ct) {
            headers.insert(0, ("content-type".into(), ct.into()));
        }
        SimResponse {
            status: self.status,
            headers,
            body,
        }
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Standard (or URL-safe) base64, padding optional, whitespace ignored.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            c if c.is_ascii_whitespace() => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base64_round_trip() {
        for data in [
            &b""[..],
            b"f",
            b"fo",
            b"foo",
            b"foob",
            b"fooba",
            b"foobar",
            &[0u8, 255, 128, 7],
        ] {
            let e = base64_encode(data);
            assert_eq!(base64_decode(&e).unwrap(), data);
        }
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert!(base64_decode("!!").is_none());
    }

    #[test]
    fn percent() {
        assert_eq!(percent_decode("/a%20b/%zz/%4"), "/a b/%zz/%4");
    }

    #[test]
    fn parse_example_and_round_trip() {
        let text = r#"{"reelkit_cassette": 1,
         "description": "free text", "source": "where the responses come from",
         "interactions": [
          {"request":  {"method": "POST", "path": "/api/public/v1/video/duplicate", "query": {"k": "v", "m": ["1", "2"]},
                        "json": {"video_id": "vid_abc123"}, "headers": {"authorization": "Bearer <redacted>"}},
           "response": {"status": 201, "headers": {"content-type": "application/json", "x-request-id": "req_1"},
                        "json": {"video_id": "vid_dup_456", "url": "{{base_url}}/media/x.mp4"}}},
          {"request": {"method": "get", "path": "/v1/x"},
           "response": {"status": 200, "pattern_bytes": 10, "fault": {"kind": "reset_mid_body"}, "delay_seconds": 0.5}}]}"#;
        let c = Cassette::from_str(text).unwrap();
        assert_eq!(c.interactions.len(), 2);
        let i0 = &c.interactions[0];
        assert_eq!(i0.request.query.len(), 3);
        assert_eq!(
            i0.request.body,
            RequestBody::Json(json!({"video_id": "vid_abc123"}))
        );
        let r = i0.response.to_sim_response("http://127.0.0.1:9");
        let body: Value = match &r.body {
            Body::Bytes(b) => serde_json::from_slice(b).unwrap(),
            _ => panic!(),
        };
        assert_eq!(body["url"], "http://127.0.0.1:9/media/x.mp4");
        assert_eq!(c.interactions[1].request.method, "GET");
        assert_eq!(c.interactions[1].response.fault, Some(Fault::ResetMidBody));
        let again = Cassette::from_json(&c.to_json()).unwrap();
        assert_eq!(again, c);
    }

    #[test]
    fn errors_are_readable() {
        let e = Cassette::from_str(r#"{"interactions": []}"#).unwrap_err();
        assert!(e.0.contains("reelkit_cassette"), "{e}");
        let e = Cassette::from_str(
            r#"{"reelkit_cassette": 1, "interactions": [{"request": {"method": "GET", "path": "/x"},
                "response": {"status": 200, "json": 1, "text": "a"}}]}"#,
        )
        .unwrap_err();
        assert!(
            e.0.contains("interactions[0].response") && e.0.contains("at most one"),
            "{e}"
        );
        let e = Cassette::from_str(
            r#"{"reelkit_cassette": 1, "interactions": [{"request": {"method": "GET", "path": "/x", "jsno": 1},
                "response": {"status": 200}}]}"#,
        )
        .unwrap_err();
        assert!(e.0.contains("jsno"), "{e}");
    }

    #[test]
    fn diff_lines() {
        let c = Cassette::from_str(
            r#"{"reelkit_cassette": 1, "interactions": [{"request": {"method": "POST", "path": "/x",
                "query": {"a": ["1", "2"]}, "json": {"k": [1, 2], "z": "same"},
                "headers": {"x-m": "1"}}, "match_headers": ["x-m"], "response": {"status": 200}}]}"#,
        )
        .unwrap();
        let i = &c.interactions[0];
        let mut req = SimRequest {
            method: "POST".into(),
            path: "/x".into(),
            query: vec![("a".into(), "2".into()), ("a".into(), "1".into())],
            headers: vec![("x-m".into(), "1".into())],
            body: Bytes::from_static(b"{\"z\": \"same\", \"k\": [1, 2]}"),
        };
        assert!(i.diff(&req).is_empty(), "{:?}", i.diff(&req));
        req.body = Bytes::from_static(b"{\"z\": \"same\", \"k\": [1, 3], \"extra\": true}");
        req.headers.clear();
        let d = i.diff(&req).join("\n");
        assert!(d.contains("$.k[1]: expected 2, got 3"), "{d}");
        assert!(d.contains("$.extra: unexpected true"), "{d}");
        assert!(d.contains("header x-m"), "{d}");
    }
}
