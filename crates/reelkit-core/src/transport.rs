//! The HTTP transport: one pooled reqwest client per process (rebuilt after fork),
//! auth per provider, User-Agent, per-read timeouts, the retry loop and JSON
//! decoding. API credentials are attached per request and never follow a redirect
//! to another host; signed storage URLs are fetched with a separate client that
//! never carries credentials. Every API request (not storage downloads) first
//! takes its turn under the rate limit (`ratelimit.rs`).

use crate::error::{Error, ErrorKind, Result};
use crate::poll;
use crate::provider::{ErrorBody, Provider};
use crate::ratelimit::{self, Budget, Limiter, Setting};
use crate::retry::{self, Failure};
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

pub const USER_AGENT: &str = concat!("reelkit/", env!("CARGO_PKG_VERSION"));
/// Largest API (JSON) response we accept; media goes through `download` instead.
pub const MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

#[derive(Clone)]
pub struct ClientConfig {
    pub provider: Provider,
    pub api_key: String,
    pub base_url: String,
    pub timeout: Duration,
    pub max_retries: u32,
    pub default_headers: Vec<(String, String)>,
    pub allow_insecure_http: bool,
    pub rate_limit: Setting,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is never printed.
        f.debug_struct("ClientConfig")
            .field("provider", &self.provider)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("rate_limit", &self.rate_limit)
            .finish_non_exhaustive()
    }
}

/// One API request, before retries.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    pub method: Method,
    /// Path appended to the base URL, e.g. `/generation/status/run_1`.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
    /// False for anything that may spend credits (every POST): such a request is
    /// resent only when the server provably did not act on it.
    pub idempotent: bool,
    pub timeout: Option<Duration>,
    pub max_retries: Option<u32>,
    pub headers: Vec<(String, String)>,
}

impl ApiRequest {
    pub fn get(path: impl Into<String>) -> Self {
        ApiRequest {
            method: Method::GET,
            path: path.into(),
            query: Vec::new(),
            body: None,
            idempotent: true,
            timeout: None,
            max_retries: None,
            headers: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ApiResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    pub request_id: Option<String>,
    pub attempts: u32,
}

/// What a raw response reports besides its payload (`with_raw_response` in Python).
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub request_id: Option<String>,
    pub attempts: u32,
    /// From the first attempt to the decoded response, retries included.
    pub elapsed: Duration,
}

impl ApiResponse {
    pub fn meta(&self, elapsed: Duration) -> ResponseMeta {
        ResponseMeta {
            status: self.status,
            headers: self.headers.clone(),
            request_id: self.request_id.clone(),
            attempts: self.attempts,
            elapsed,
        }
    }
}

struct Clients {
    api: reqwest::Client,
    storage: reqwest::Client,
}

/// The connection pools. Building a reqwest client is costly (TLS set-up, system
/// trust store: ~50 ms), so clients are shared process-wide by every reelkit
/// client. reqwest sets the connect timeout per client, not per request, so there
/// is one (shared) client per timeout in use: a call's own `timeout=` then bounds
/// its connect exactly, and a connect that times out is reported as never sent
/// (safe to resend) rather than as a response that may have been acted on. Keyed
/// by process id too: after `fork()` the child builds fresh pools instead of
/// reusing the parent's sockets and runtime-bound connection tasks.
struct Pool;

/// (owner pid, clients) per connect timeout.
type SharedClients = HashMap<Duration, (u32, Arc<Clients>)>;

static SHARED_CLIENTS: std::sync::OnceLock<Mutex<SharedClients>> = std::sync::OnceLock::new();

/// How many distinct timeouts keep their own clients before the others are
/// dropped (in-flight requests keep theirs alive until they finish).
const MAX_POOLS: usize = 16;

/// Connect timeouts are rounded up to a geometric grid 2.5 % apart, so that calls whose
/// timeouts differ a little (e.g. `timeout=` computed from a remaining budget) share
/// one client and its connections instead of each building its own.
pub fn connect_timeout_for(timeout: Duration) -> Duration {
    const STEP: f64 = 1.025;
    let ms = timeout.as_secs_f64() * 1000.0;
    if !ms.is_finite() || ms <= 1.0 {
        return Duration::from_millis(1);
    }
    // The smallest grid point >= ms (the epsilon keeps exact grid points in place).
    let k = ((ms.ln() / STEP.ln()) - 1e-9).ceil();
    let rounded = STEP.powf(k).ceil().max(ms.ceil());
    Duration::try_from_secs_f64(rounded / 1000.0).unwrap_or(timeout)
}

/// The response head is awaited a moment longer than the connect timeout, so that
/// a stalled connect is always reported by the connect timer (nothing sent) and
/// never by the response timer (outcome unknown). Timers are 1 ms grained.
const HEAD_GRACE: Duration = Duration::from_millis(10);

impl Pool {
    /// The clients whose connect timeout is `timeout` (already on the grid).
    fn get(&self, timeout: Duration) -> Result<Arc<Clients>> {
        let pid = std::process::id();
        let cell = SHARED_CLIENTS.get_or_init(|| Mutex::new(SharedClients::new()));
        let mut shared = cell.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((owner, clients)) = shared.get(&timeout) {
            if *owner == pid {
                return Ok(clients.clone());
            }
        }
        if shared.values().any(|(owner, _)| *owner != pid) {
            // Built by the parent before a fork: forget them without dropping them
            // (dropping would touch the parent's runtime state).
            std::mem::forget(std::mem::take(&mut *shared));
        }
        if shared.len() >= MAX_POOLS {
            shared.clear();
        }
        let clients = Arc::new(build_clients(timeout)?);
        shared.insert(timeout, (pid, clients.clone()));
        Ok(clients)
    }
}

fn build_clients(connect_timeout: Duration) -> Result<Clients> {
    let same_host_only = reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first();
        let same = first.is_some_and(|u| {
            u.host_str() == attempt.url().host_str()
                && u.port_or_known_default() == attempt.url().port_or_known_default()
                && u.scheme() == attempt.url().scheme()
        });
        if !same {
            // Credentials must not travel to another host: surface the 3xx instead.
            attempt.stop()
        } else if attempt.previous().len() >= 5 {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    });
    let api = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(connect_timeout)
        .redirect(same_host_only)
        .pool_idle_timeout(Duration::from_secs(60))
        .tcp_nodelay(true)
        .build()
        .map_err(|e| Error::config(format!("could not build the HTTP client: {e}")))?;
    let storage = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(connect_timeout)
        .redirect(reqwest::redirect::Policy::limited(5))
        .tcp_nodelay(true)
        .build()
        .map_err(|e| Error::config(format!("could not build the HTTP client: {e}")))?;
    Ok(Clients { api, storage })
}

fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

/// Checks a base URL: http(s), a host, and plain http only to loopback unless allowed.
pub fn validate_base_url(base_url: &str, allow_insecure_http: bool) -> Result<url::Url> {
    let parsed = url::Url::parse(base_url)
        .map_err(|e| Error::config(format!("base_url {base_url:?} is not a valid URL: {e}")))?;
    let host = parsed
        .host_str()
        .ok_or_else(|| Error::config(format!("base_url {base_url:?} has no host")))?;
    match parsed.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback_host(host) => {}
        "http" => {
            return Err(Error::config(format!(
                "base_url {base_url:?} uses plain http to a non-loopback host, which would send \
                 the API key unencrypted; use https, or pass allow_insecure_http=True"
            )))
        }
        other => {
            return Err(Error::config(format!(
                "base_url {base_url:?} has scheme {other:?}; expected https"
            )))
        }
    }
    Ok(parsed)
}

pub struct Transport {
    provider: Provider,
    base_url: String,
    auth: (HeaderName, HeaderValue),
    default_headers: HeaderMap,
    pub timeout: Duration,
    pub max_retries: u32,
    pool: Arc<Pool>,
    parsed_base: url::Url,
    budget: Arc<Budget>,
    /// None when `rate_limit=0`: no turns, headers ignored, 429s retried as usual.
    limiter: Option<Arc<Limiter>>,
}

impl Transport {
    pub fn new(config: ClientConfig) -> Result<Transport> {
        let parsed_base = validate_base_url(&config.base_url, config.allow_insecure_http)?;
        if config.api_key.trim().is_empty() {
            return Err(Error::config("the API key is empty"));
        }
        let (name, value) = config.provider.auth_header(&config.api_key);
        let mut auth_value = HeaderValue::from_str(&value).map_err(|_| {
            Error::config("the API key contains characters not allowed in an HTTP header")
        })?;
        auth_value.set_sensitive(true);
        let mut default_headers = HeaderMap::new();
        for (k, v) in &config.default_headers {
            let name = HeaderName::from_bytes(k.as_bytes())
                .map_err(|_| Error::config(format!("invalid header name {k:?}")))?;
            let value = HeaderValue::from_str(v)
                .map_err(|_| Error::config(format!("invalid value for header {k:?}")))?;
            default_headers.insert(name, value);
        }
        let budget = Budget::shared(&parsed_base, &config.api_key);
        let limiter = Limiter::new(&config.rate_limit, &parsed_base, budget.clone())?.map(Arc::new);
        Ok(Transport {
            provider: config.provider,
            base_url: config.base_url.trim_end_matches('/').to_string(),
            auth: (HeaderName::from_static(name), auth_value),
            default_headers,
            timeout: config.timeout,
            max_retries: config.max_retries,
            pool: Arc::new(Pool),
            parsed_base,
            budget,
            limiter,
        })
    }

    /// A transport with other defaults that shares this one's connection pool and
    /// rate-limit budget.
    pub fn with_options(
        &self,
        timeout: Option<Duration>,
        max_retries: Option<u32>,
        rate_limit: Option<Setting>,
    ) -> Result<Transport> {
        let limiter = match rate_limit {
            None => self.limiter.clone(),
            Some(setting) => {
                Limiter::new(&setting, &self.parsed_base, self.budget.clone())?.map(Arc::new)
            }
        };
        Ok(Transport {
            provider: self.provider,
            base_url: self.base_url.clone(),
            auth: self.auth.clone(),
            default_headers: self.default_headers.clone(),
            timeout: timeout.unwrap_or(self.timeout),
            max_retries: max_retries.unwrap_or(self.max_retries),
            pool: self.pool.clone(),
            parsed_base: self.parsed_base.clone(),
            budget: self.budget.clone(),
            limiter,
        })
    }

    /// The rate limiter (None when `rate_limit=0`).
    pub fn limiter(&self) -> Option<&Arc<Limiter>> {
        self.limiter.as_ref()
    }

    pub fn provider(&self) -> Provider {
        self.provider
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The client for signed storage URLs (no credentials, redirects followed)
    /// whose connect timeout is `timeout`.
    pub fn storage_client(&self, timeout: Duration) -> Result<reqwest::Client> {
        Ok(self.pool.get(connect_timeout_for(timeout))?.storage.clone())
    }

    /// Nothing to release per client: connections belong to the process-wide pool
    /// and idle ones close after 60 s. Kept so the bindings' `close()` has a home.
    pub fn close(&self) {}

    fn url(&self, req: &ApiRequest) -> Result<url::Url> {
        let mut url = url::Url::parse(&format!("{}{}", self.base_url, req.path))
            .map_err(|e| Error::config(format!("invalid request URL for {}: {e}", req.path)))?;
        if !req.query.is_empty() {
            url.query_pairs_mut().extend_pairs(req.query.iter());
        }
        Ok(url)
    }

    /// Send with retries; a non-success status becomes an `Error` of kind `Status`.
    pub async fn send(&self, req: &ApiRequest) -> Result<ApiResponse> {
        let method = req.method.as_str();
        let url = self.url(req)?;
        let body = match &req.body {
            Some(v) => Some(Bytes::from(serde_json::to_vec(v).map_err(|e| {
                Error::config(format!("request body is not serialisable: {e}"))
            })?)),
            None => None,
        };
        let timeout = req.timeout.unwrap_or(self.timeout);
        let max_retries = req.max_retries.unwrap_or(self.max_retries);
        let ticket = self.limiter.as_ref().map(|l| l.ticket());
        let mut attempt: u32 = 0;
        let mut retries: u32 = 0;
        let mut absorbed: u32 = 0;
        loop {
            attempt += 1;
            // The turn comes first: waiting for it is bounded by the call's timeout,
            // and a call that cannot get one was never sent.
            let permit = match (&self.limiter, ticket) {
                (Some(limiter), Some(ticket)) => {
                    let deadline = Instant::now() + timeout.min(poll::MAX_WAIT);
                    match limiter.acquire(ticket, deadline).await {
                        Ok(p) => Some(p),
                        Err(mut e) => {
                            e.attempts = attempt - 1;
                            log::debug!("{} {}: {}", method, req.path, e.message);
                            return Err(e.with_request(method, &req.path));
                        }
                    }
                }
                _ => None,
            };
            let started = Instant::now();
            let outcome = self.attempt(req, &url, body.clone(), timeout).await;
            let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
            let wait_429 = match &outcome {
                Ok(resp) if resp.status == 429 => Some(
                    ratelimit::wait_after_429(&resp.headers, SystemTime::now()).unwrap_or_else(
                        || retry::backoff_delay(i64::from(absorbed), rand::random::<f64>()),
                    ),
                ),
                _ => None,
            };
            if let Some(permit) = permit {
                match &outcome {
                    Ok(resp) => permit.finish(Some((resp.status, &resp.headers)), wait_429),
                    Err(_) => permit.finish(None, None),
                }
            }
            let (failure, mut error) = match outcome {
                Ok(resp) if (200..300).contains(&resp.status) => {
                    log::debug!(
                        "{} {} -> {} (attempt {attempt}, {elapsed_ms:.1} ms)",
                        method,
                        req.path,
                        resp.status
                    );
                    return Ok(ApiResponse {
                        attempts: attempt,
                        ..resp
                    });
                }
                Ok(resp) => {
                    log::debug!(
                        "{} {} -> {} (attempt {attempt}, {elapsed_ms:.1} ms)",
                        method,
                        req.path,
                        resp.status
                    );
                    (Failure::Status(resp.status), self.status_error(resp))
                }
                Err((failure, error)) => {
                    log::debug!(
                        "{} {} failed (attempt {attempt}): {}",
                        method,
                        req.path,
                        error.message
                    );
                    (failure, error)
                }
            };
            let header_says = error
                .headers
                .iter()
                .find(|(k, _)| k == "x-should-retry")
                .map(|(_, v)| v == "true");
            error.attempts = attempt;
            error = error.with_request(method, &req.path);
            if self.limiter.is_some()
                && failure == Failure::Status(429)
                && absorbed < ratelimit::MAX_ABSORBED_429
            {
                // The server did not act; the budget now knows when to go again and
                // this request keeps its place in the queue.
                absorbed += 1;
                log::info!(
                    "{} {} answered 429; sending it again in its turn (in {:.2} s at the \
                     earliest)",
                    method,
                    req.path,
                    wait_429.unwrap_or_default().as_secs_f64()
                );
                continue;
            }
            retries += 1;
            if retries <= max_retries && retry::should_retry(req.idempotent, failure, header_says) {
                let delay = retry::retry_delay(
                    i64::from(attempt) - 1,
                    &error.headers,
                    SystemTime::now(),
                    rand::random::<f64>(),
                );
                log::info!(
                    "retrying {} {} in {:.2} s after {} (attempt {attempt} of {})",
                    method,
                    req.path,
                    delay.as_secs_f64(),
                    describe(&error),
                    max_retries + 1 + absorbed
                );
                tokio::time::sleep(delay).await;
                continue;
            }
            error.may_have_acted = !req.idempotent
                && match failure {
                    Failure::NotSent => false,
                    Failure::MaybeSent | Failure::Invalid => true,
                    Failure::Status(s) => s == 408 || s >= 500,
                };
            if error.kind != ErrorKind::Status {
                log::warn!("giving up after {attempt} attempt(s): {error}");
            }
            return Err(error);
        }
    }

    /// Send and decode the JSON payload (unwrapping Hooked's envelope).
    pub async fn json(&self, req: &ApiRequest) -> Result<Value> {
        let resp = self.send(req).await?;
        self.decode(req, resp)
    }

    /// `json`, plus the response's status, headers, request id and timing.
    pub async fn json_with_meta(&self, req: &ApiRequest) -> Result<(Value, ResponseMeta)> {
        let started = Instant::now();
        let resp = self.send(req).await?;
        let meta = resp.meta(started.elapsed());
        Ok((self.decode(req, resp)?, meta))
    }

    pub fn decode(&self, req: &ApiRequest, resp: ApiResponse) -> Result<Value> {
        let value = if is_blank(&resp.body) {
            Value::Null
        } else {
            serde_json::from_slice::<Value>(&resp.body)
                .map_err(|e| self.invalid_json_error(req, &resp, &e))?
        };
        self.provider
            .unwrap_success(value)
            .map_err(|parsed| self.envelope_error(req, resp, parsed))
    }

    /// A 2xx whose body is not JSON.
    pub fn invalid_json_error(
        &self,
        req: &ApiRequest,
        resp: &ApiResponse,
        e: &dyn std::fmt::Display,
    ) -> Error {
        let mut err = Error::new(
            ErrorKind::Response,
            format!(
                "{} answered {} with a body that is not valid JSON ({e}): {}",
                self.provider.name(),
                resp.status,
                snippet(&resp.body)
            ),
        );
        err.status = Some(resp.status);
        err.body = Some(Value::String(
            String::from_utf8_lossy(&resp.body).into_owned(),
        ));
        err.headers = resp.headers.clone();
        err.request_id = resp.request_id.clone();
        err.attempts = resp.attempts;
        // A 2xx to a credit-spending request means the server acted on it.
        err.may_have_acted = !req.idempotent;
        err.with_request(req.method.as_str(), &req.path)
    }

    /// A 2xx whose (valid JSON) body reports a failure (Hooked's `success: false`).
    pub fn envelope_error(&self, req: &ApiRequest, resp: ApiResponse, parsed: ErrorBody) -> Error {
        let mut err = Error::new(
            ErrorKind::Status,
            parsed
                .message
                .unwrap_or_else(|| "the API reported a failure".into()),
        );
        err.status = Some(resp.status);
        err.code = parsed.code;
        err.details = parsed.details;
        // The error path re-reads the body rather than every success path cloning it.
        err.body = serde_json::from_slice::<Value>(&resp.body).ok();
        err.headers = resp.headers;
        err.request_id = resp.request_id;
        err.attempts = resp.attempts;
        err.with_request(req.method.as_str(), &req.path)
    }

    async fn attempt(
        &self,
        req: &ApiRequest,
        url: &url::Url,
        body: Option<Bytes>,
        timeout: Duration,
    ) -> std::result::Result<ApiResponse, (Failure, Error)> {
        let connect_timeout = connect_timeout_for(timeout);
        let clients = self
            .pool
            .get(connect_timeout)
            .map_err(|e| (Failure::NotSent, e))?;
        let mut builder = clients
            .api
            .request(req.method.clone(), url.clone())
            .headers(self.default_headers.clone())
            .header(self.auth.0.clone(), self.auth.1.clone())
            .header("accept", "application/json");
        for (k, v) in &req.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        if let Some(body) = body {
            builder = builder
                .header("content-type", "application/json")
                .body(body);
        }
        // Connecting is bounded by the client's connect timeout (`timeout` rounded up
        // by at most 2.5 %); this bounds connecting plus the wait for the response head.
        let head_timeout = connect_timeout.saturating_add(HEAD_GRACE);
        let response = match tokio::time::timeout(head_timeout, builder.send()).await {
            Err(_) => {
                return Err((
                    Failure::MaybeSent,
                    Error::new(
                        ErrorKind::Timeout,
                        format!("no response within {:.1} s", timeout.as_secs_f64()),
                    ),
                ))
            }
            Ok(Err(e)) => return Err(classify_reqwest_error(&e, timeout)),
            Ok(Ok(r)) => r,
        };
        let status = response.status().as_u16();
        let headers = collect_headers(response.headers());
        let request_id = request_id(&headers);
        let body = read_body(response, timeout, MAX_RESPONSE_BYTES)
            .await
            .map_err(|(f, mut e)| {
                e.status = Some(status);
                e.request_id = request_id.clone();
                (f, e)
            })?;
        Ok(ApiResponse {
            status,
            headers,
            body,
            request_id,
            attempts: 0,
        })
    }

    /// The error for a non-success response (the provider's error body parsed).
    pub fn status_error(&self, resp: ApiResponse) -> Error {
        let parsed_json = serde_json::from_slice::<Value>(&resp.body).ok();
        let parsed = parsed_json
            .as_ref()
            .map(|v| self.provider.parse_error_body(v))
            .unwrap_or_default();
        let reason = reqwest::StatusCode::from_u16(resp.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("");
        let message = parsed.message.unwrap_or_else(|| {
            if resp.body.is_empty() {
                format!(
                    "{} answered {} {reason} with an empty body",
                    self.provider.name(),
                    resp.status
                )
            } else {
                format!(
                    "{} answered {} {reason}: {}",
                    self.provider.name(),
                    resp.status,
                    snippet(&resp.body)
                )
            }
        });
        let mut err = Error::new(ErrorKind::Status, message);
        err.status = Some(resp.status);
        err.code = parsed.code;
        err.details = parsed.details;
        err.body =
            Some(parsed_json.unwrap_or_else(|| {
                Value::String(String::from_utf8_lossy(&resp.body).into_owned())
            }));
        err.retry_after = retry::requested_wait(&resp.headers, SystemTime::now());
        err.request_id = resp.request_id;
        err.headers = resp.headers;
        err
    }
}

fn describe(error: &Error) -> String {
    match error.status {
        Some(s) => format!("HTTP {s}"),
        None => error.message.clone(),
    }
}

pub(crate) fn collect_headers(map: &HeaderMap) -> Vec<(String, String)> {
    map.iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

pub fn request_id(headers: &[(String, String)]) -> Option<String> {
    ["x-request-id", "request-id"].iter().find_map(|name| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    })
}

pub(crate) fn classify_reqwest_error(e: &reqwest::Error, timeout: Duration) -> (Failure, Error) {
    if e.is_connect() {
        let kind = if e.is_timeout() {
            ErrorKind::Timeout
        } else {
            ErrorKind::Connection
        };
        let text = if e.is_timeout() {
            format!("could not connect within {:.1} s", timeout.as_secs_f64())
        } else {
            format!("could not connect: {}", error_chain(e))
        };
        return (Failure::NotSent, Error::new(kind, text));
    }
    if e.is_timeout() {
        return (
            Failure::MaybeSent,
            Error::new(
                ErrorKind::Timeout,
                format!("no response within {:.1} s", timeout.as_secs_f64()),
            ),
        );
    }
    if e.is_redirect() {
        return (
            Failure::Invalid,
            Error::new(
                ErrorKind::Connection,
                format!("redirect failed: {}", error_chain(e)),
            ),
        );
    }
    (
        Failure::MaybeSent,
        Error::new(
            ErrorKind::Connection,
            format!("connection failed: {}", error_chain(e)),
        ),
    )
}

/// reqwest's Display hides the root cause ("error sending request"); show the chain.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

async fn read_body(
    response: reqwest::Response,
    timeout: Duration,
    limit: usize,
) -> std::result::Result<Bytes, (Failure, Error)> {
    let declared = response.content_length();
    if declared.is_some_and(|n| n as usize > limit) {
        return Err((
            Failure::Invalid,
            Error::new(
                ErrorKind::Response,
                format!(
                    "response body of {} bytes exceeds the {limit}-byte limit",
                    declared.unwrap_or(0)
                ),
            ),
        ));
    }
    let mut buf = BytesMut::with_capacity(declared.unwrap_or(1024).min(limit as u64) as usize);
    let mut stream = response.bytes_stream();
    loop {
        match tokio::time::timeout(timeout, stream.next()).await {
            Err(_) => {
                return Err((
                    Failure::MaybeSent,
                    Error::new(
                        ErrorKind::Timeout,
                        format!(
                            "the response body stalled for {:.1} s",
                            timeout.as_secs_f64()
                        ),
                    ),
                ))
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                return Err((
                    Failure::MaybeSent,
                    Error::new(
                        ErrorKind::Connection,
                        format!(
                            "the connection broke while reading the response: {}",
                            error_chain(&e)
                        ),
                    ),
                ))
            }
            Ok(Some(Ok(chunk))) => {
                if buf.len() + chunk.len() > limit {
                    return Err((
                        Failure::Invalid,
                        Error::new(
                            ErrorKind::Response,
                            format!("response body exceeds the {limit}-byte limit"),
                        ),
                    ));
                }
                buf.extend_from_slice(&chunk);
            }
        }
    }
    Ok(buf.freeze())
}

/// An empty or all-whitespace body (decoded as JSON `null`).
pub fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(300)]);
    let mut s: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if body.len() > 300 {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_timeouts_round_up_by_at_most_two_and_a_half_percent() {
        let mut grid = std::collections::BTreeSet::new();
        for ms in (1..200_000u64).step_by(7) {
            let t = Duration::from_millis(ms);
            let c = connect_timeout_for(t);
            assert!(c >= t, "{t:?} -> {c:?}");
            assert!(
                c.as_secs_f64() <= t.as_secs_f64() * 1.025 + 0.001,
                "{t:?} -> {c:?}"
            );
            grid.insert(c);
        }
        // 1 ms .. 200 s share a few hundred clients at most.
        assert!(grid.len() < 600, "{} grid points", grid.len());
        assert_eq!(
            connect_timeout_for(Duration::from_secs(60)),
            connect_timeout_for(Duration::from_secs_f64(59.9))
        );
        assert_eq!(
            connect_timeout_for(Duration::ZERO),
            Duration::from_millis(1)
        );
        assert!(connect_timeout_for(Duration::MAX) >= Duration::from_secs(1 << 40));
    }
}
