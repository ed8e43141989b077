//! Fault injection: the `Fault` kinds a test can ask the server to produce, their
//! one JSON spelling (shared by `inject` from Python and by cassette `fault` fields),
//! and the `FaultTable` of armed rules (method + path glob + remaining count).
//!
//! The table only decides *which* fault applies to a request; `crate::http` turns a
//! fault into bytes (or the lack of them) on the socket.
//!
//! JSON spelling, always an object with a `kind`:
//!
//! | kind | other fields |
//! | --- | --- |
//! | `status` | `status` (int), optional `headers` (object), optional `json` (any) or `text` (string) |
//! | `delay` | `seconds` (number): then the normal response |
//! | `reset_before_response` (alias `reset`) | none: request read, socket reset, no bytes |
//! | `reset_mid_body` | none: headers and half the real body, then a reset |
//! | `truncated_body` | none: full Content-Length, part of the bytes, then a clean close |
//! | `malformed_json` | none: 200 JSON content-type, body `{"status": "comp` |
//! | `html_error` | `status` (int, default 502): nginx-like HTML page |
//! | `trickle` | `bytes_per_chunk` (int), `interval_seconds` (number): the real body dribbled |
//! | `non_utf8` | none: 200 JSON content-type with invalid UTF-8 bytes |
//! | `oversized` | `bytes` (int): 200 JSON content-type, a body of that many bytes |

use serde_json::{json, Map, Value};
use std::sync::Mutex;
use std::time::Duration;

/// The body of a `Fault::Status` response.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultBody {
    /// `{"error": <reason phrase>, "code": "simulated_fault"}`.
    Default,
    Json(Value),
    Text(String),
}

/// One way of misbehaving, as a client would observe it.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer with this status instead of calling the handler.
    Status {
        status: u16,
        headers: Vec<(String, String)>,
        body: FaultBody,
    },
    /// Wait, then send the normal response.
    Delay { seconds: f64 },
    /// Read the request, then close with SO_LINGER=0: a reset and no bytes.
    /// The handler is NOT called (the request "never reached the application").
    ResetBeforeResponse,
    /// The real response's headers and half its body, then a reset.
    ResetMidBody,
    /// The real response with its full Content-Length but only part of the bytes,
    /// then a clean close (the client sees an early EOF).
    TruncatedBody,
    /// 200, `content-type: application/json`, body `{"status": "comp`.
    MalformedJson,
    /// An nginx-like HTML error page with `content-type: text/html`.
    HtmlError { status: u16 },
    /// The real response, its body sent `bytes_per_chunk` bytes at a time every
    /// `interval_seconds`.
    Trickle {
        bytes_per_chunk: usize,
        interval_seconds: f64,
    },
    /// 200, JSON content-type, a body that is not valid UTF-8.
    NonUtf8,
    /// 200, JSON content-type, a body of `bytes` bytes (streamed, never allocated).
    Oversized { bytes: u64 },
}

impl Fault {
    /// Whether the fault needs the handler's real response (otherwise the handler
    /// is not called at all, so no job is created and no credit is spent).
    pub fn uses_real_response(&self) -> bool {
        matches!(
            self,
            Fault::Delay { .. }
                | Fault::ResetMidBody
                | Fault::TruncatedBody
                | Fault::Trickle { .. }
        )
    }

    /// The kind's name as in the JSON spelling.
    pub fn kind(&self) -> &'static str {
        match self {
            Fault::Status { .. } => "status",
            Fault::Delay { .. } => "delay",
            Fault::ResetBeforeResponse => "reset_before_response",
            Fault::ResetMidBody => "reset_mid_body",
            Fault::TruncatedBody => "truncated_body",
            Fault::MalformedJson => "malformed_json",
            Fault::HtmlError { .. } => "html_error",
            Fault::Trickle { .. } => "trickle",
            Fault::NonUtf8 => "non_utf8",
            Fault::Oversized { .. } => "oversized",
        }
    }

    /// Parse the JSON spelling (see the module header). Errors are readable
    /// messages meant for a `ValueError`.
    pub fn from_json(v: &Value) -> Result<Fault, String> {
        let obj = v
            .as_object()
            .ok_or_else(|| format!("a fault must be a JSON object with a \"kind\", got {v}"))?;
        let kind = obj
            .get("kind")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("a fault needs a string \"kind\", got {v}"))?;
        let known: &[&str] = match kind {
            "status" => &["status", "headers", "json", "text", "body"],
            "delay" => &["seconds"],
            "html_error" => &["status"],
            "trickle" => &["bytes_per_chunk", "interval_seconds"],
            "oversized" => &["bytes"],
            _ => &[],
        };
        if let Some(extra) = obj
            .keys()
            .find(|k| *k != "kind" && !known.contains(&k.as_str()))
        {
            return Err(format!("fault kind {kind:?} has no field {extra:?}"));
        }
        let num = |name: &str| -> Result<Option<f64>, String> {
            match obj.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(x) => x
                    .as_f64()
                    .filter(|f| f.is_finite() && *f >= 0.0)
                    .map(Some)
                    .ok_or_else(|| format!("fault field {name:?} must be a non-negative number")),
            }
        };
        let status_field = |default: Option<u16>| -> Result<u16, String> {
            match obj.get("status").and_then(Value::as_u64) {
                Some(s) if (100..=999).contains(&s) => Ok(s as u16),
                Some(s) => Err(format!("fault status {s} is not an HTTP status")),
                None => {
                    default.ok_or_else(|| "fault kind \"status\" needs an int \"status\"".into())
                }
            }
        };
        Ok(match kind {
            "status" => {
                let status = status_field(None)?;
                let headers = match obj.get("headers") {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::Object(m)) => m
                        .iter()
                        .map(|(k, v)| {
                            let v = match v {
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            };
                            (k.to_ascii_lowercase(), v)
                        })
                        .collect(),
                    Some(_) => return Err("fault \"headers\" must be an object".into()),
                };
                let body =
                    match (obj.get("json"), obj.get("text"), obj.get("body")) {
                        (Some(j), None, None) => FaultBody::Json(j.clone()),
                        (None, Some(Value::String(t)), None) => FaultBody::Text(t.clone()),
                        (None, None, Some(Value::String(t))) => FaultBody::Text(t.clone()),
                        (None, None, Some(Value::Null)) | (None, None, None) => FaultBody::Default,
                        (None, None, Some(j)) => FaultBody::Json(j.clone()),
                        _ => return Err(
                            "fault \"status\" takes at most one of \"json\", \"text\", \"body\" \
                                    (text must be a string)"
                                .into(),
                        ),
                    };
                Fault::Status {
                    status,
                    headers,
                    body,
                }
            }
            "delay" => Fault::Delay {
                seconds: num("seconds")?.ok_or("fault kind \"delay\" needs \"seconds\"")?,
            },
            "reset" | "reset_before_response" => Fault::ResetBeforeResponse,
            "reset_mid_body" => Fault::ResetMidBody,
            "truncated_body" => Fault::TruncatedBody,
            "malformed_json" => Fault::MalformedJson,
            "html_error" => Fault::HtmlError {
                status: status_field(Some(502))?,
            },
            "trickle" => Fault::Trickle {
                bytes_per_chunk: (num("bytes_per_chunk")?.unwrap_or(1.0) as usize).max(1),
                interval_seconds: num("interval_seconds")?.unwrap_or(0.1),
            },
            "non_utf8" => Fault::NonUtf8,
            "oversized" => Fault::Oversized {
                bytes: num("bytes")?.ok_or("fault kind \"oversized\" needs \"bytes\"")? as u64,
            },
            other => {
                return Err(format!(
                    "unknown fault kind {other:?} (known: status, delay, reset_before_response, \
                     reset_mid_body, truncated_body, malformed_json, html_error, trickle, \
                     non_utf8, oversized)"
                ))
            }
        })
    }

    /// The JSON spelling (round-trips through `from_json`).
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), self.kind().into());
        match self {
            Fault::Status {
                status,
                headers,
                body,
            } => {
                m.insert("status".into(), (*status).into());
                if !headers.is_empty() {
                    let h: Map<String, Value> = headers
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                        .collect();
                    m.insert("headers".into(), Value::Object(h));
                }
                match body {
                    FaultBody::Default => {}
                    FaultBody::Json(j) => {
                        m.insert("json".into(), j.clone());
                    }
                    FaultBody::Text(t) => {
                        m.insert("text".into(), t.clone().into());
                    }
                }
            }
            Fault::Delay { seconds } => {
                m.insert("seconds".into(), json!(seconds));
            }
            Fault::HtmlError { status } => {
                m.insert("status".into(), (*status).into());
            }
            Fault::Trickle {
                bytes_per_chunk,
                interval_seconds,
            } => {
                m.insert("bytes_per_chunk".into(), (*bytes_per_chunk).into());
                m.insert("interval_seconds".into(), json!(interval_seconds));
            }
            Fault::Oversized { bytes } => {
                m.insert("bytes".into(), (*bytes).into());
            }
            Fault::ResetBeforeResponse
            | Fault::ResetMidBody
            | Fault::TruncatedBody
            | Fault::MalformedJson
            | Fault::NonUtf8 => {}
        }
        Value::Object(m)
    }

    pub(crate) fn delay(&self) -> Option<Duration> {
        match self {
            Fault::Delay { seconds } => Some(Duration::from_secs_f64(*seconds)),
            _ => None,
        }
    }
}

/// `*` matches any run of characters (including `/` and the empty run); every
/// other character matches itself. Linear-time two-pointer matcher.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p = pattern.as_bytes();
    let t = text.as_bytes();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

#[derive(Debug)]
struct Rule {
    method: String,
    pattern: String,
    fault: Fault,
    /// `None` = forever.
    remaining: Option<u32>,
}

/// Armed faults. Rules are checked in the order they were injected; the first
/// matching rule with uses left applies (and loses one use).
#[derive(Debug, Default)]
pub struct FaultTable {
    rules: Mutex<Vec<Rule>>,
}

impl FaultTable {
    pub fn new() -> Self {
        Self::default()
    }

    /// Arm `fault` for requests whose method equals `method` (case-insensitive; `*`
    /// = any) and whose path (no query string) matches the glob `path_pattern`, for
    /// the next `times` matching requests (0 = forever).
    pub fn inject(&self, method: &str, path_pattern: &str, fault: Fault, times: u32) {
        let rule = Rule {
            method: method.trim().to_ascii_uppercase(),
            pattern: path_pattern.to_string(),
            fault,
            remaining: if times == 0 { None } else { Some(times) },
        };
        self.lock().push(rule);
    }

    /// The fault for this request, if any (consumes one use of the rule).
    pub fn check(&self, method: &str, path: &str) -> Option<Fault> {
        let mut rules = self.lock();
        if rules.is_empty() {
            return None;
        }
        let idx = rules.iter().position(|r| {
            (r.method == "*" || r.method.eq_ignore_ascii_case(method))
                && glob_match(&r.pattern, path)
        })?;
        let rule = &mut rules[idx];
        let fault = rule.fault.clone();
        if let Some(n) = rule.remaining.as_mut() {
            *n -= 1;
            if *n == 0 {
                rules.remove(idx);
            }
        }
        Some(fault)
    }

    /// Disarm every rule.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// How many rules are still armed.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Rule>> {
        // A panic while holding the lock cannot leave the Vec inconsistent.
        self.rules.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob() {
        assert!(glob_match("*", ""));
        assert!(glob_match("*", "/a/b/c"));
        assert!(glob_match("/v1/*", "/v1/video/abc"));
        assert!(!glob_match("/v1/*", "/v2/video"));
        assert!(glob_match("/v1/*/status", "/v1/video/x/status"));
        assert!(!glob_match("/v1/*/status", "/v1/video/x/statusx"));
        assert!(glob_match("*video*", "/api/public/v1/video/duplicate"));
        assert!(glob_match("/a**b", "/ab"));
        assert!(!glob_match("/a", "/ab"));
        assert!(glob_match("/exact", "/exact"));
    }

    #[test]
    fn table_counts_and_order() {
        let t = FaultTable::new();
        t.inject("post", "/v1/*", Fault::MalformedJson, 2);
        t.inject("*", "*", Fault::NonUtf8, 0);
        assert_eq!(t.check("GET", "/v1/x"), Some(Fault::NonUtf8));
        assert_eq!(t.check("POST", "/v1/x"), Some(Fault::MalformedJson));
        assert_eq!(t.check("POST", "/v1/y"), Some(Fault::MalformedJson));
        assert_eq!(t.check("POST", "/v1/z"), Some(Fault::NonUtf8));
        assert_eq!(t.len(), 1);
        t.clear();
        assert_eq!(t.check("POST", "/v1/z"), None);
    }

    #[test]
    fn json_round_trip() {
        let faults = vec![
            Fault::Status {
                status: 503,
                headers: vec![("retry-after".into(), "1".into())],
                body: FaultBody::Json(json!({"error": "x"})),
            },
            Fault::Status {
                status: 500,
                headers: vec![],
                body: FaultBody::Text("oops".into()),
            },
            Fault::Status {
                status: 429,
                headers: vec![],
                body: FaultBody::Default,
            },
            Fault::Delay { seconds: 1.5 },
            Fault::ResetBeforeResponse,
            Fault::ResetMidBody,
            Fault::TruncatedBody,
            Fault::MalformedJson,
            Fault::HtmlError { status: 502 },
            Fault::Trickle {
                bytes_per_chunk: 3,
                interval_seconds: 0.25,
            },
            Fault::NonUtf8,
            Fault::Oversized { bytes: 1 << 20 },
        ];
        for f in faults {
            assert_eq!(
                Fault::from_json(&f.to_json()).unwrap(),
                f,
                "{}",
                f.to_json()
            );
        }
        assert_eq!(
            Fault::from_json(&json!({"kind": "reset"})).unwrap(),
            Fault::ResetBeforeResponse
        );
        assert!(Fault::from_json(&json!({"kind": "nope"})).is_err());
        assert!(Fault::from_json(&json!({"kind": "delay"})).is_err());
        assert!(Fault::from_json(&json!({"kind": "delay", "seconds": 1, "x": 2})).is_err());
        assert!(Fault::from_json(&json!("reset")).is_err());
    }
}
