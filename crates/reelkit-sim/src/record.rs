//! The recording proxy: a plain-HTTP reverse proxy on loopback that forwards every
//! request to a real upstream (with reqwest), hands the upstream's answer back to
//! the client, and writes the interactions to a cassette (`crate::cassette`) on
//! `save()` / `stop()` / Drop.
//!
//! Forwarding: method, path, query, body and headers, except hop-by-hop headers
//! (`connection`, `keep-alive`, `te`, `trailer`, `transfer-encoding`, `upgrade`,
//! `proxy-*`), `host`, `content-length` and `accept-encoding` (so the upstream
//! answers uncompressed and the cassette stays readable). The auth header goes
//! upstream untouched. Redirects are not followed: a 3xx goes back to the client.
//! An upstream that cannot be reached gives the client a `502` text/plain and
//! records nothing. The upstream should be an origin (`https://host[:port]`); a
//! path in it is prepended upstream-side only, the cassette keeps the path the
//! client asked for.
//!
//! Redaction in the cassette (the client sees the real bytes):
//! - request headers `authorization` → `Bearer <redacted>`, `x-api-key` →
//!   `<redacted>`; the key values seen there are also scrubbed from every other
//!   header and body of the cassette;
//! - response header `set-cookie` → `<redacted>`;
//! - signed-URL secrets in response bodies and headers: the values of query
//!   parameters named `signature`, `sig`, `X-Amz-Signature`, `X-Amz-Credential`,
//!   `X-Amz-Security-Token`, `X-Goog-Signature`, `X-Goog-Credential`, `Expires`,
//!   `Key-Pair-Id`, `Policy` or `token` (any case) → `REDACTED`.

use crate::cassette::{
    Cassette, CassetteRequest, CassetteResponse, Interaction, RequestBody, ResponseBody,
};
use crate::http::{HttpServer, Outcome, Reply, Service};
use crate::inspect::Redactor;
use crate::server::{HOOKED_PREFIX, HOOX_PREFIX};
use crate::types::{SimRequest, SimResponse};
use serde_json::Value;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use url::Url;

/// Replacement for signed-URL secret values.
pub const URL_SECRET_REDACTED: &str = "REDACTED";
/// Query parameter names whose values are secrets in signed URLs (lower-case).
pub const SIGNED_URL_PARAMS: &[&str] = &[
    "signature",
    "sig",
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "x-goog-signature",
    "x-goog-credential",
    "expires",
    "key-pair-id",
    "policy",
    "token",
];
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];
/// Upstream request timeout.
pub const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(300);

/// `text` with the values of signed-URL secret query parameters replaced by
/// `REDACTED` (see `SIGNED_URL_PARAMS`). Works on any text: JSON strings, HTML,
/// header values.
pub fn redact_signed_urls(text: &str) -> String {
    if !text.contains('=') {
        return text.to_string();
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'?' || b[i] == b'&' {
            let name_start = i + 1;
            let mut j = name_start;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b"-_.".contains(&b[j])) {
                j += 1;
            }
            if j < b.len() && b[j] == b'=' && j > name_start {
                let name = text[name_start..j].to_ascii_lowercase();
                if SIGNED_URL_PARAMS.contains(&name.as_str()) {
                    let v_start = j + 1;
                    let mut k = v_start;
                    while k < b.len() && !b"&\"'#<> \t\r\n\\".contains(&b[k]) {
                        k += 1;
                    }
                    if k > v_start {
                        out.push_str(&text[last..v_start]);
                        out.push_str(URL_SECRET_REDACTED);
                        last = k;
                    }
                    i = k;
                    continue;
                }
            }
        }
        i += 1;
    }
    out.push_str(&text[last..]);
    out
}

fn redact_json(v: &Value, scrub: &dyn Fn(&str) -> String) -> Value {
    match v {
        Value::String(s) => Value::String(scrub(s)),
        Value::Array(a) => Value::Array(a.iter().map(|x| redact_json(x, scrub)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), redact_json(x, scrub)))
                .collect(),
        ),
        other => other.clone(),
    }
}

struct State {
    upstream: Url,
    client: reqwest::Client,
    /// Slots in request-arrival order; `None` = in flight or failed.
    interactions: Mutex<Vec<Option<Interaction>>>,
    /// API key values seen in auth headers (scrubbed everywhere).
    secrets: Mutex<Vec<String>>,
}

impl State {
    fn redactor(&self) -> Redactor {
        Redactor::new(
            self.secrets
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
        )
    }

    fn learn_secrets(&self, req: &SimRequest) {
        let mut found = Vec::new();
        for (k, v) in &req.headers {
            let v = v.trim();
            if k == "authorization" || k == "proxy-authorization" {
                let key = v.split_once(' ').map_or(v, |(_, rest)| rest.trim());
                found.push(key.to_string());
            } else if k == "x-api-key" {
                found.push(v.to_string());
            }
        }
        let mut secrets = self.secrets.lock().unwrap_or_else(|e| e.into_inner());
        for f in found {
            // Very short values would scrub ordinary text; real keys are long.
            if f.len() >= 8 && !secrets.contains(&f) {
                secrets.push(f);
            }
        }
    }

    fn upstream_url(&self, req: &SimRequest) -> Url {
        let mut u = self.upstream.clone();
        let prefix = self.upstream.path().trim_end_matches('/');
        u.set_path(&format!("{prefix}{}", req.path));
        u.set_query(None);
        u.set_fragment(None);
        if !req.query.is_empty() {
            u.query_pairs_mut().extend_pairs(req.query.iter());
        }
        u
    }

    async fn forward(
        &self,
        req: &SimRequest,
    ) -> Result<(u16, Vec<(String, String)>, bytes::Bytes), String> {
        let method = reqwest::Method::from_bytes(req.method.as_bytes())
            .map_err(|e| format!("bad method: {e}"))?;
        let mut rb = self.client.request(method, self.upstream_url(req));
        for (k, v) in &req.headers {
            if HOP_BY_HOP.contains(&k.as_str())
                || k == "host"
                || k == "content-length"
                || k == "accept-encoding"
            {
                continue;
            }
            rb = rb.header(k.as_str(), v.as_str());
        }
        if !req.body.is_empty() || matches!(req.method.as_str(), "POST" | "PUT" | "PATCH") {
            rb = rb.body(req.body.clone());
        }
        let resp = rb.send().await.map_err(|e| error_chain(&e))?;
        let status = resp.status().as_u16();
        let headers: Vec<(String, String)> = resp
            .headers()
            .iter()
            .filter(|(k, _)| !HOP_BY_HOP.contains(&k.as_str()) && k.as_str() != "content-length")
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = resp.bytes().await.map_err(|e| error_chain(&e))?;
        Ok((status, headers, body))
    }

    /// The cassette entry for one exchange, redacted.
    fn capture(
        &self,
        req: &SimRequest,
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Interaction {
        let redactor = self.redactor();
        let scrub_all = |s: &str| redact_signed_urls(&redactor.scrub(s));
        let request_body = match req.json() {
            Ok(None) => RequestBody::None,
            Ok(Some(v)) => RequestBody::Json(redact_json(&v, &|s| redactor.scrub(s))),
            Err(_) => match std::str::from_utf8(&req.body) {
                Ok(t) => RequestBody::Text(redactor.scrub(t)),
                Err(_) => RequestBody::Binary(req.body.to_vec()),
            },
        };
        let request = CassetteRequest {
            method: req.method.to_ascii_uppercase(),
            path: req.path.clone(),
            query: req.query.clone(),
            body: request_body,
            headers: req
                .headers
                .iter()
                // host is the proxy's own loopback address: meaningless in a cassette.
                .filter(|(k, _)| {
                    !HOP_BY_HOP.contains(&k.as_str()) && k != "content-length" && k != "host"
                })
                .map(|(k, v)| (k.clone(), redactor.header(k, v)))
                .collect(),
        };
        let content_type = headers
            .iter()
            .find(|(k, _)| k == "content-type")
            .map(|(_, v)| v.to_ascii_lowercase())
            .unwrap_or_default();
        let response_body = if body.is_empty() {
            ResponseBody::Empty
        } else {
            let json = if content_type.contains("json") || content_type.is_empty() {
                serde_json::from_slice::<Value>(body).ok()
            } else {
                None
            };
            match (json, std::str::from_utf8(body)) {
                // Stored structured (readable, editable); replay re-serialises it.
                (Some(v), _) => ResponseBody::Json(redact_json(&v, &scrub_all)),
                (None, Ok(t)) => ResponseBody::Text(scrub_all(t)),
                (None, Err(_)) => ResponseBody::Binary(body.to_vec()),
            }
        };
        let response_headers = headers
            .iter()
            .map(|(k, v)| {
                let v = if k == "set-cookie" {
                    crate::inspect::REDACTED.to_string()
                } else {
                    scrub_all(v)
                };
                (k.clone(), v)
            })
            .collect();
        Interaction {
            request,
            response: CassetteResponse {
                status,
                headers: response_headers,
                body: response_body,
                fault: None,
                delay_seconds: 0.0,
            },
            match_headers: Vec::new(),
        }
    }
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

struct RecordService {
    state: Arc<State>,
}

impl Service for RecordService {
    fn call(&self, req: SimRequest) -> Reply {
        let state = self.state.clone();
        Reply::Later(Box::pin(async move {
            state.learn_secrets(&req);
            let slot = {
                let mut v = state.interactions.lock().unwrap_or_else(|e| e.into_inner());
                v.push(None);
                v.len() - 1
            };
            match state.forward(&req).await {
                Ok((status, headers, body)) => {
                    let interaction = state.capture(&req, status, &headers, &body);
                    state.interactions.lock().unwrap_or_else(|e| e.into_inner())[slot] =
                        Some(interaction);
                    Outcome::new(SimResponse {
                        status,
                        headers,
                        body: crate::types::Body::Bytes(body),
                    })
                }
                Err(e) => Outcome::new(SimResponse::text(
                    502,
                    "text/plain; charset=utf-8",
                    format!("reelkit recorder: upstream request failed: {e}\n"),
                )),
            }
        }))
    }
}

/// A running recording proxy. `stop()` (or Drop) writes the cassette.
pub struct RecordServer {
    http: HttpServer,
    base_url: String,
    state: Arc<State>,
    cassette_path: PathBuf,
    description: String,
    finished: bool,
}

impl RecordServer {
    /// Proxy `127.0.0.1:<free port>` → `upstream`, recording into `cassette_path`.
    pub fn start(upstream: Url, cassette_path: impl AsRef<Path>) -> io::Result<RecordServer> {
        Self::start_on(upstream, cassette_path, 0)
    }

    pub fn start_on(
        upstream: Url,
        cassette_path: impl AsRef<Path>,
        port: u16,
    ) -> io::Result<RecordServer> {
        if !matches!(upstream.scheme(), "http" | "https") || upstream.host().is_none() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("upstream must be an http(s) URL with a host, got {upstream}"),
            ));
        }
        let loopback = matches!(
            upstream.host_str(),
            Some("127.0.0.1" | "localhost" | "[::1]")
        );
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(UPSTREAM_TIMEOUT)
            .connect_timeout(Duration::from_secs(30));
        if loopback {
            builder = builder.no_proxy();
        }
        let client = builder
            .build()
            .map_err(|e| io::Error::other(error_chain(&e)))?;
        let state = Arc::new(State {
            upstream,
            client,
            interactions: Mutex::new(Vec::new()),
            secrets: Mutex::new(Vec::new()),
        });
        let http = {
            let state = state.clone();
            HttpServer::start(port, Arc::new(RecordService { state }))?
        };
        Ok(RecordServer {
            base_url: http.base_url(),
            http,
            state,
            cassette_path: cassette_path.as_ref().to_path_buf(),
            description: String::new(),
            finished: false,
        })
    }

    /// Free text stored as the cassette's `description`.
    pub fn set_description(&mut self, d: impl Into<String>) {
        self.description = d.into();
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn hoox_base_url(&self) -> String {
        format!("{}{HOOX_PREFIX}", self.base_url)
    }

    pub fn hooked_base_url(&self) -> String {
        format!("{}{HOOKED_PREFIX}", self.base_url)
    }

    pub fn cassette_path(&self) -> &Path {
        &self.cassette_path
    }

    /// The cassette as recorded so far (completed exchanges, in arrival order).
    pub fn cassette(&self) -> Cassette {
        let mut origin = self.state.upstream.clone();
        origin.set_query(None);
        let interactions = self
            .state
            .interactions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .flatten()
            .cloned()
            .collect();
        Cassette {
            description: if self.description.is_empty() {
                "recorded by reelkit's recording proxy".into()
            } else {
                self.description.clone()
            },
            source: format!("recorded from {origin}"),
            interactions,
        }
    }

    /// How many exchanges were recorded.
    pub fn len(&self) -> usize {
        self.state
            .interactions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .flatten()
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Write the cassette now (atomically); recording goes on.
    pub fn save(&self) -> io::Result<()> {
        self.cassette().save(&self.cassette_path)
    }

    /// Stop proxying and write the cassette. Idempotent: later calls do nothing.
    pub fn stop(&mut self) -> io::Result<()> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        self.http.stop();
        self.save()
    }
}

impl Drop for RecordServer {
    fn drop(&mut self) {
        if let Err(e) = self.stop() {
            log::warn!(
                "reelkit recorder: could not write {}: {e}",
                self.cassette_path.display()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_url_redaction() {
        let s = "https://cdn.x/v.mp4?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIA%2F2024&X-Amz-Signature=abc123&x=1";
        assert_eq!(
            redact_signed_urls(s),
            "https://cdn.x/v.mp4?X-Amz-Algorithm=AWS4&X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&x=1"
        );
        assert_eq!(
            redact_signed_urls("see https://a/b?token=t0k&sig=zz#frag and ?Expires=123\""),
            "see https://a/b?token=REDACTED&sig=REDACTED#frag and ?Expires=REDACTED\""
        );
        assert_eq!(redact_signed_urls("a=b&signaturex=1"), "a=b&signaturex=1");
        assert_eq!(redact_signed_urls("no urls here"), "no urls here");
    }
}
