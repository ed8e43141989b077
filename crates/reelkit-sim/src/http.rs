//! The simulator's HTTP/1.1 server: sockets, request parsing, response writing and
//! the socket-level side of fault injection. It knows nothing about the APIs it
//! serves: a `Service` turns each parsed `SimRequest` into an `Outcome`.
//!
//! - Runs on its own multi-thread tokio runtime (2 workers, threads named
//!   `reelkit-sim`), so it works in a process whose other threads run clients.
//! - `HttpServer::start` binds `127.0.0.1:<port>` synchronously (0 = a free port).
//! - Keep-alive (HTTP/1.1 default, `Connection: close` honoured), Content-Length and
//!   chunked request bodies, `Expect: 100-continue`. No pipelining guarantees
//!   beyond "requests are answered in order".
//! - Small responses go out in one write; large bodies are streamed in 64 KiB
//!   chunks, `Body::Pattern` straight from a static table without allocating.
//! - `stop` (also on Drop) stops accepting, lets idle keep-alive connections close,
//!   waits briefly for in-flight responses and then drops what is left.

use crate::faults::Fault;
use crate::types::{pattern_byte, Body, SimRequest, SimResponse};
use bytes::{Buf, Bytes, BytesMut};
use std::cell::RefCell;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::{Handle, Runtime};
use tokio::sync::watch;

/// Largest request head (request line + headers) accepted.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Largest request body accepted (413 above it).
pub const MAX_BODY_BYTES: u64 = 512 * 1024 * 1024;
/// Chunk size for streamed response bodies.
pub const CHUNK: usize = 64 * 1024;
const MAX_HEADERS: usize = 128;
/// After a `ResetMidBody` partial write, how long to wait before the reset so the
/// client has read the bytes (a reset can discard unread data on the client side).
const RESET_GRACE: Duration = Duration::from_millis(50);

/// What to send for one request: the response, an optional fault that changes how
/// (or whether) it goes out, and a delay before anything is written.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub response: SimResponse,
    pub fault: Option<Fault>,
    pub delay: Duration,
}

impl Outcome {
    pub fn new(response: SimResponse) -> Self {
        Outcome {
            response,
            fault: None,
            delay: Duration::ZERO,
        }
    }

    /// An outcome for a fault that does not use the real response.
    pub fn fault_only(fault: Fault) -> Self {
        Outcome {
            response: SimResponse::text(200, "text/plain", ""),
            fault: Some(fault),
            delay: Duration::ZERO,
        }
    }
}

pub type OutcomeFuture = Pin<Box<dyn Future<Output = Outcome> + Send + 'static>>;

/// A service's answer: ready now (the common, allocation-free case) or later.
pub enum Reply {
    Ready(Outcome),
    Later(OutcomeFuture),
}

/// What the server calls for every parsed request (on the server's runtime).
pub trait Service: Send + Sync + 'static {
    fn call(&self, req: SimRequest) -> Reply;
}

/// A running server. `stop()` (or Drop) shuts it down.
pub struct HttpServer {
    addr: SocketAddr,
    runtime: Option<Runtime>,
    shutdown: watch::Sender<bool>,
    accept_done: Option<std::sync::mpsc::Receiver<()>>,
    active: Arc<AtomicUsize>,
    accepted: Arc<AtomicU64>,
}

impl HttpServer {
    /// Bind `127.0.0.1:port` (0 = any free port) and start serving on a fresh
    /// 2-worker runtime. Returns once the socket is bound and listening.
    pub fn start(port: u16, service: Arc<dyn Service>) -> io::Result<HttpServer> {
        Self::start_with(port, move |_| service)
    }

    /// Like `start`, but the service is built once the address is known (so it can
    /// embed its own base URL). `make_service` runs inside the server's runtime
    /// context, so it may `tokio::spawn` background tasks.
    pub fn start_with(
        port: u16,
        make_service: impl FnOnce(SocketAddr) -> Arc<dyn Service>,
    ) -> io::Result<HttpServer> {
        let std_listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("reelkit-sim")
            .enable_all()
            .build()?;
        let (listener, service) = {
            let _guard = runtime.enter();
            match TcpListener::from_std(std_listener) {
                Ok(l) => (l, make_service(addr)),
                Err(e) => {
                    drop(_guard);
                    // Never block-drop a runtime (we may be inside another one).
                    runtime.shutdown_background();
                    return Err(e);
                }
            }
        };
        let (shutdown, shutdown_rx) = watch::channel(false);
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        let active = Arc::new(AtomicUsize::new(0));
        let accepted = Arc::new(AtomicU64::new(0));
        let (active2, accepted2) = (active.clone(), accepted.clone());
        runtime.spawn(async move {
            accept_loop(listener, service, shutdown_rx, active2, accepted2).await;
            let _ = done_tx.send(());
        });
        Ok(HttpServer {
            addr,
            runtime: Some(runtime),
            shutdown,
            accept_done: Some(done_rx),
            active,
            accepted,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The server's runtime (to spawn background work on it). `None` once stopped.
    pub fn handle(&self) -> Option<Handle> {
        self.runtime.as_ref().map(|r| r.handle().clone())
    }

    pub fn is_running(&self) -> bool {
        self.runtime.is_some()
    }

    /// How many TCP connections were accepted so far (keep-alive reuse shows as
    /// fewer connections than requests).
    pub fn connections_accepted(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed)
    }

    /// How many connections are open right now.
    pub fn connections_open(&self) -> usize {
        self.active.load(Ordering::Acquire)
    }

    /// Stop accepting, close idle connections, give in-flight responses up to one
    /// second, then drop everything. The port is released when this returns.
    /// Idempotent; safe to call from inside another tokio runtime.
    pub fn stop(&mut self) {
        let Some(runtime) = self.runtime.take() else {
            return;
        };
        let _ = self.shutdown.send(true);
        if let Some(done) = self.accept_done.take() {
            let _ = done.recv_timeout(Duration::from_secs(2));
        }
        let deadline = Instant::now() + Duration::from_secs(1);
        while self.active.load(Ordering::Acquire) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
        runtime.shutdown_background();
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

struct ActiveGuard(Arc<AtomicUsize>);

impl Drop for ActiveGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

async fn accept_loop(
    listener: TcpListener,
    service: Arc<dyn Service>,
    mut shutdown: watch::Receiver<bool>,
    active: Arc<AtomicUsize>,
    accepted: Arc<AtomicU64>,
) {
    loop {
        let next = tokio::select! {
            r = listener.accept() => r,
            _ = shutdown.wait_for(|stop| *stop) => break,
        };
        match next {
            Ok((stream, _peer)) => {
                let _ = stream.set_nodelay(true);
                accepted.fetch_add(1, Ordering::Relaxed);
                active.fetch_add(1, Ordering::AcqRel);
                let guard = ActiveGuard(active.clone());
                let service = service.clone();
                let shutdown = shutdown.clone();
                tokio::spawn(async move {
                    let _guard = guard;
                    let _ = serve_connection(stream, service, shutdown).await;
                });
            }
            Err(e) => {
                // EMFILE and friends: back off instead of spinning.
                log::debug!("sim accept error: {e}");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
    drop(listener);
}

/// A parsed request head.
struct Head {
    method: String,
    target: String,
    minor_version: u8,
    headers: Vec<(String, String)>,
    len: usize,
}

enum Parsed {
    Complete(Head),
    Partial,
    Invalid(String),
}

fn parse_head(buf: &[u8]) -> Parsed {
    let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut slots);
    match req.parse(buf) {
        Ok(httparse::Status::Complete(len)) => {
            let headers = req
                .headers
                .iter()
                .map(|h| {
                    (
                        h.name.to_ascii_lowercase(),
                        String::from_utf8_lossy(h.value).into_owned(),
                    )
                })
                .collect();
            Parsed::Complete(Head {
                method: req.method.unwrap_or("GET").to_string(),
                target: req.path.unwrap_or("/").to_string(),
                minor_version: req.version.unwrap_or(1),
                headers,
                len,
            })
        }
        Ok(httparse::Status::Partial) => Parsed::Partial,
        Err(e) => Parsed::Invalid(e.to_string()),
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn has_token(value: Option<&str>, token: &str) -> bool {
    value.is_some_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
}

/// Read more bytes into `buf`; Ok(false) on EOF.
async fn fill(stream: &mut TcpStream, buf: &mut BytesMut) -> io::Result<bool> {
    if buf.capacity() - buf.len() < 4096 {
        buf.reserve(16 * 1024);
    }
    Ok(stream.read_buf(buf).await? > 0)
}

enum BodyError {
    Io,
    Bad(&'static str),
    TooLarge,
}

async fn read_exact_body(
    stream: &mut TcpStream,
    buf: &mut BytesMut,
    len: usize,
) -> Result<Bytes, BodyError> {
    if buf.len() < len {
        buf.reserve(len - buf.len());
    }
    while buf.len() < len {
        match fill(stream, buf).await {
            Ok(true) => {}
            _ => return Err(BodyError::Io),
        }
    }
    Ok(buf.split_to(len).freeze())
}

async fn read_chunked_body(stream: &mut TcpStream, buf: &mut BytesMut) -> Result<Bytes, BodyError> {
    let mut out = BytesMut::new();
    loop {
        // chunk-size line
        let line_end = loop {
            if let Some(i) = buf.windows(2).position(|w| w == b"\r\n") {
                break i;
            }
            if buf.len() > 4096 {
                return Err(BodyError::Bad("chunk size line too long"));
            }
            if !matches!(fill(stream, buf).await, Ok(true)) {
                return Err(BodyError::Io);
            }
        };
        let line =
            std::str::from_utf8(&buf[..line_end]).map_err(|_| BodyError::Bad("bad chunk size"))?;
        let size_str = line.split(';').next().unwrap_or("").trim();
        let size =
            u64::from_str_radix(size_str, 16).map_err(|_| BodyError::Bad("bad chunk size"))?;
        buf.advance(line_end + 2);
        if size == 0 {
            // trailers, up to the empty line
            loop {
                let end = loop {
                    if let Some(i) = buf.windows(2).position(|w| w == b"\r\n") {
                        break i;
                    }
                    if buf.len() > MAX_HEAD_BYTES {
                        return Err(BodyError::Bad("trailers too long"));
                    }
                    if !matches!(fill(stream, buf).await, Ok(true)) {
                        return Err(BodyError::Io);
                    }
                };
                buf.advance(end + 2);
                if end == 0 {
                    return Ok(out.freeze());
                }
            }
        }
        if out.len() as u64 + size > MAX_BODY_BYTES {
            return Err(BodyError::TooLarge);
        }
        let need = size as usize + 2;
        while buf.len() < need {
            if !matches!(fill(stream, buf).await, Ok(true)) {
                return Err(BodyError::Io);
            }
        }
        out.extend_from_slice(&buf[..size as usize]);
        if &buf[size as usize..need] != b"\r\n" {
            return Err(BodyError::Bad("chunk not followed by CRLF"));
        }
        buf.advance(need);
    }
}

fn split_target(target: &str) -> (String, Vec<(String, String)>) {
    // Absolute-form targets (proxies) carry scheme://host; keep only the path.
    let target = if let Some(rest) = target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))
    {
        rest.find('/').map_or("/", |i| &rest[i..])
    } else {
        target
    };
    match target.split_once('?') {
        Some((path, q)) => (
            path.to_string(),
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        ),
        None => (target.to_string(), Vec::new()),
    }
}

async fn serve_connection(
    mut stream: TcpStream,
    service: Arc<dyn Service>,
    mut shutdown: watch::Receiver<bool>,
) -> io::Result<()> {
    let mut buf = BytesMut::with_capacity(8 * 1024);
    loop {
        // --- request head
        let head = loop {
            if !buf.is_empty() {
                match parse_head(&buf) {
                    Parsed::Complete(h) => break h,
                    Parsed::Partial if buf.len() > MAX_HEAD_BYTES => {
                        let r = SimResponse::text(431, "text/plain", "request head too large\n");
                        return write_simple(&mut stream, &r, false).await;
                    }
                    Parsed::Partial => {}
                    Parsed::Invalid(e) => {
                        let r = SimResponse::text(400, "text/plain", format!("bad request: {e}\n"));
                        return write_simple(&mut stream, &r, false).await;
                    }
                }
            }
            let more = if buf.is_empty() {
                // Idle between requests: this is where a stop closes the connection.
                tokio::select! {
                    r = fill(&mut stream, &mut buf) => r?,
                    _ = shutdown.wait_for(|stop| *stop) => return Ok(()),
                }
            } else {
                fill(&mut stream, &mut buf).await?
            };
            if !more {
                return Ok(());
            }
        };
        buf.advance(head.len);

        let connection = header(&head.headers, "connection");
        let mut keep_alive = if head.minor_version == 0 {
            has_token(connection, "keep-alive")
        } else {
            !has_token(connection, "close")
        };

        // --- request body
        let chunked = has_token(header(&head.headers, "transfer-encoding"), "chunked");
        let content_length = match header(&head.headers, "content-length") {
            None => None,
            Some(v) => match v.trim().parse::<u64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    let r = SimResponse::text(
                        400,
                        "text/plain",
                        "bad request: invalid Content-Length\n",
                    );
                    return write_simple(&mut stream, &r, false).await;
                }
            },
        };
        if content_length.is_some_and(|n| n > MAX_BODY_BYTES) {
            let r = SimResponse::text(413, "text/plain", "request body too large\n");
            return write_simple(&mut stream, &r, false).await;
        }
        if has_token(header(&head.headers, "expect"), "100-continue")
            && (chunked || content_length.unwrap_or(0) > 0)
        {
            stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
        }
        let body = if chunked {
            read_chunked_body(&mut stream, &mut buf).await
        } else {
            read_exact_body(&mut stream, &mut buf, content_length.unwrap_or(0) as usize).await
        };
        let body = match body {
            Ok(b) => b,
            Err(BodyError::Io) => return Ok(()),
            Err(BodyError::Bad(msg)) => {
                let r = SimResponse::text(400, "text/plain", format!("bad request: {msg}\n"));
                return write_simple(&mut stream, &r, false).await;
            }
            Err(BodyError::TooLarge) => {
                let r = SimResponse::text(413, "text/plain", "request body too large\n");
                return write_simple(&mut stream, &r, false).await;
            }
        };

        let (path, query) = split_target(&head.target);
        let is_head = head.method.eq_ignore_ascii_case("HEAD");
        let req = SimRequest {
            method: head.method,
            path,
            query,
            headers: head.headers,
            body,
        };

        // --- dispatch
        let outcome = match service.call(req) {
            Reply::Ready(o) => o,
            Reply::Later(f) => f.await,
        };
        if *shutdown.borrow() {
            keep_alive = false;
        }
        if !outcome.delay.is_zero() {
            tokio::time::sleep(outcome.delay).await;
        }
        let keep = write_outcome(&mut stream, outcome, keep_alive, is_head).await?;
        if !keep {
            return Ok(());
        }
    }
}

// ---------------------------------------------------------------- response side

/// 128 KiB of the pattern stream, so any 64 KiB window starting at `i % 65536` is
/// one contiguous slice (the pattern has period 65536).
static PATTERN_TABLE: LazyLock<Vec<u8>> =
    LazyLock::new(|| (0..2 * 65536u64).map(pattern_byte).collect());
static FILLER: [u8; CHUNK] = [b'x'; CHUNK];
const OVERSIZED_PREFIX: &[u8] = b"{\"data\":\"";
const OVERSIZED_SUFFIX: &[u8] = b"\"}";

/// A response body as it goes on the wire.
#[derive(Debug, Clone)]
enum Wire {
    Bytes(Bytes),
    Pattern {
        len: u64,
        offset: u64,
    },
    /// `{"data":"xxxx…"}` of exactly `len` bytes (spaces if `len` is too small).
    Filler {
        len: u64,
    },
}

impl Wire {
    fn from_body(b: Body) -> Wire {
        match b {
            Body::Bytes(b) => Wire::Bytes(b),
            Body::Pattern { len, offset } => Wire::Pattern { len, offset },
        }
    }

    fn len(&self) -> u64 {
        match self {
            Wire::Bytes(b) => b.len() as u64,
            Wire::Pattern { len, .. } | Wire::Filler { len } => *len,
        }
    }

    /// Up to `max` (<= CHUNK) bytes starting at `pos` (< len), borrowed.
    fn chunk(&self, pos: u64, max: usize) -> &[u8] {
        let remaining = self.len() - pos;
        let n = (max as u64).min(remaining) as usize;
        match self {
            Wire::Bytes(b) => &b[pos as usize..pos as usize + n],
            Wire::Pattern { offset, .. } => {
                let start = ((offset.wrapping_add(pos)) % 65536) as usize;
                &PATTERN_TABLE[start..start + n.min(65536)]
            }
            Wire::Filler { len } => {
                let p = OVERSIZED_PREFIX.len() as u64;
                let s = OVERSIZED_SUFFIX.len() as u64;
                if *len < p + s {
                    return &b"                "[..n.min(16)];
                }
                if pos < p {
                    &OVERSIZED_PREFIX[pos as usize..(pos as usize + n).min(p as usize)]
                } else if pos < len - s {
                    &FILLER[..(n as u64).min(len - s - pos) as usize]
                } else {
                    let i = (pos - (len - s)) as usize;
                    &OVERSIZED_SUFFIX[i..i + n]
                }
            }
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        599 => "Replay Mismatch",
        _ => "Unknown",
    }
}

/// The reason phrase for a status (for default fault bodies).
pub fn reason_phrase(status: u16) -> &'static str {
    reason(status)
}

fn http_date() -> String {
    thread_local! {
        static CACHE: RefCell<(u64, String)> = const { RefCell::new((0, String::new())) };
    }
    let now = SystemTime::now();
    let secs = now
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.0 != secs || c.1.is_empty() {
            *c = (secs, httpdate::fmt_http_date(now));
        }
        c.1.clone()
    })
}

fn body_allowed(status: u16) -> bool {
    !(100..200).contains(&status) && status != 204 && status != 304
}

/// Status line and headers. `content_length` None = no Content-Length header.
fn head_bytes(
    status: u16,
    headers: &[(String, String)],
    content_length: Option<u64>,
    keep_alive: bool,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(b"HTTP/1.1 ");
    out.extend_from_slice(itoa_u64(status as u64).as_bytes());
    out.push(b' ');
    out.extend_from_slice(reason(status).as_bytes());
    out.extend_from_slice(b"\r\n");
    let mut has_date = false;
    for (k, v) in headers {
        if k.eq_ignore_ascii_case("content-length")
            || k.eq_ignore_ascii_case("connection")
            || k.eq_ignore_ascii_case("transfer-encoding")
        {
            continue;
        }
        has_date |= k.eq_ignore_ascii_case("date");
        // A header value cannot carry CR/LF; drop them rather than split the head.
        out.extend(k.bytes().filter(|c| *c != b'\r' && *c != b'\n'));
        out.extend_from_slice(b": ");
        out.extend(v.bytes().filter(|c| *c != b'\r' && *c != b'\n'));
        out.extend_from_slice(b"\r\n");
    }
    if !has_date {
        out.extend_from_slice(b"date: ");
        out.extend_from_slice(http_date().as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    if let Some(n) = content_length {
        out.extend_from_slice(b"content-length: ");
        out.extend_from_slice(itoa_u64(n).as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(if keep_alive {
        b"connection: keep-alive\r\n\r\n".as_slice()
    } else {
        b"connection: close\r\n\r\n".as_slice()
    });
    out
}

fn itoa_u64(n: u64) -> String {
    n.to_string()
}

/// A response ready for the wire.
struct WireResponse {
    status: u16,
    headers: Vec<(String, String)>,
    wire: Wire,
}

impl WireResponse {
    fn from_sim(r: SimResponse) -> Self {
        WireResponse {
            status: r.status,
            headers: r.headers,
            wire: Wire::from_body(r.body),
        }
    }
}

/// How to send a `WireResponse`: bytes `[0, send)` of a body whose declared
/// length is `declared`, `per_write` bytes per write, `interval` between writes.
struct Plan {
    keep_alive: bool,
    is_head: bool,
    send: u64,
    declared: u64,
    per_write: usize,
    interval: Duration,
}

impl Plan {
    fn full(len: u64, keep_alive: bool, is_head: bool) -> Plan {
        Plan {
            keep_alive,
            is_head,
            send: len,
            declared: len,
            per_write: CHUNK,
            interval: Duration::ZERO,
        }
    }
}

async fn write_response(stream: &mut TcpStream, r: &WireResponse, plan: Plan) -> io::Result<()> {
    let with_body = body_allowed(r.status);
    let mut head = head_bytes(
        r.status,
        &r.headers,
        with_body.then_some(plan.declared),
        plan.keep_alive,
    );
    let send = plan.send;
    if !with_body || plan.is_head || send == 0 {
        return stream.write_all(&head).await;
    }
    let mut pos = 0u64;
    if plan.interval.is_zero() && send <= CHUNK as u64 {
        // Small body: one buffered write with the head.
        while pos < send {
            let c = r.wire.chunk(pos, (send - pos) as usize);
            head.extend_from_slice(c);
            pos += c.len() as u64;
        }
        return stream.write_all(&head).await;
    }
    stream.write_all(&head).await?;
    let per_write = plan.per_write.clamp(1, CHUNK);
    while pos < send {
        if pos > 0 && !plan.interval.is_zero() {
            tokio::time::sleep(plan.interval).await;
        }
        // Each write is one chunk (a short chunk from the source is topped up so
        // trickle sizes are exact).
        let want = (per_write as u64).min(send - pos) as usize;
        let c = r.wire.chunk(pos, want);
        if c.len() == want {
            stream.write_all(c).await?;
        } else {
            let mut tmp = Vec::with_capacity(want);
            while tmp.len() < want {
                tmp.extend_from_slice(r.wire.chunk(pos + tmp.len() as u64, want - tmp.len()));
            }
            stream.write_all(&tmp).await?;
        }
        pos += want as u64;
    }
    Ok(())
}

async fn write_simple(stream: &mut TcpStream, r: &SimResponse, keep_alive: bool) -> io::Result<()> {
    let r = WireResponse::from_sim(r.clone());
    let len = r.wire.len();
    write_response(stream, &r, Plan::full(len, keep_alive, false)).await
}

/// The nginx-like error page for `HtmlError`.
pub fn nginx_error_page(status: u16) -> String {
    let title = format!("{status} {}", reason(status));
    format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n\
         <hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}

/// The response a replacing fault sends, or `None` for faults that use the real one.
fn fault_replacement(fault: &Fault) -> Option<WireResponse> {
    use crate::faults::FaultBody;
    let json_ct = || vec![("content-type".to_string(), "application/json".to_string())];
    let (status, headers, wire) = match fault {
        Fault::Status {
            status,
            headers,
            body,
        } => {
            let mut h: Vec<(String, String)> = headers.clone();
            let has_ct = h
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
            let (ct, bytes) = match body {
                FaultBody::Default => (
                    "application/json",
                    Bytes::from(
                        serde_json::to_vec(&serde_json::json!({
                            "error": reason(*status),
                            "code": "simulated_fault",
                        }))
                        .unwrap_or_default(),
                    ),
                ),
                FaultBody::Json(v) => (
                    "application/json",
                    Bytes::from(serde_json::to_vec(v).unwrap_or_default()),
                ),
                FaultBody::Text(t) => ("text/plain; charset=utf-8", Bytes::from(t.clone())),
            };
            if !has_ct {
                h.insert(0, ("content-type".into(), ct.into()));
            }
            (*status, h, Wire::Bytes(bytes))
        }
        Fault::MalformedJson => (
            200,
            json_ct(),
            Wire::Bytes(Bytes::from_static(b"{\"status\": \"comp")),
        ),
        Fault::HtmlError { status } => (
            *status,
            vec![
                ("server".into(), "nginx".into()),
                ("content-type".into(), "text/html".into()),
            ],
            Wire::Bytes(Bytes::from(nginx_error_page(*status))),
        ),
        Fault::NonUtf8 => (
            200,
            json_ct(),
            Wire::Bytes(Bytes::from_static(
                b"{\"status\": \"completed\", \"title\": \"\xff\xfe\xc3\x28 \x80\"}",
            )),
        ),
        Fault::Oversized { bytes } => (200, json_ct(), Wire::Filler { len: *bytes }),
        Fault::Delay { .. }
        | Fault::ResetBeforeResponse
        | Fault::ResetMidBody
        | Fault::TruncatedBody
        | Fault::Trickle { .. } => return None,
    };
    Some(WireResponse {
        status,
        headers,
        wire,
    })
}

/// Send one outcome. Returns whether the connection may serve another request;
/// an error means "drop the connection" (with linger 0 already set for resets).
async fn write_outcome(
    stream: &mut TcpStream,
    outcome: Outcome,
    keep_alive: bool,
    is_head: bool,
) -> io::Result<bool> {
    let Outcome {
        response, fault, ..
    } = outcome;
    let Some(fault) = fault else {
        let r = WireResponse::from_sim(response);
        let len = r.wire.len();
        write_response(stream, &r, Plan::full(len, keep_alive, is_head)).await?;
        return Ok(keep_alive);
    };
    if let Some(d) = fault.delay() {
        tokio::time::sleep(d).await;
    }
    if let Some(r) = fault_replacement(&fault) {
        let len = r.wire.len();
        write_response(stream, &r, Plan::full(len, keep_alive, is_head)).await?;
        return Ok(keep_alive);
    }
    let r = WireResponse::from_sim(response);
    let len = r.wire.len();
    match fault {
        Fault::ResetBeforeResponse => {
            // The caller drops the stream on error; with linger 0 that is a reset.
            stream.set_zero_linger()?;
            Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "fault: reset",
            ))
        }
        Fault::ResetMidBody => {
            let plan = Plan {
                send: len / 2,
                ..Plan::full(len, false, false)
            };
            write_response(stream, &r, plan).await?;
            stream.flush().await?;
            tokio::time::sleep(RESET_GRACE).await;
            stream.set_zero_linger()?;
            Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "fault: reset mid body",
            ))
        }
        Fault::TruncatedBody => {
            // An empty body cannot be cut: declare one byte and send none.
            let plan = Plan {
                send: len / 2,
                declared: len.max(1),
                ..Plan::full(len, false, false)
            };
            write_response(stream, &r, plan).await?;
            stream.flush().await?;
            let _ = stream.shutdown().await;
            Ok(false)
        }
        Fault::Trickle {
            bytes_per_chunk,
            interval_seconds,
        } => {
            let plan = Plan {
                per_write: bytes_per_chunk,
                interval: Duration::from_secs_f64(interval_seconds).max(Duration::from_micros(1)),
                ..Plan::full(len, keep_alive, is_head)
            };
            write_response(stream, &r, plan).await?;
            Ok(keep_alive)
        }
        _ => {
            // Delay (already slept): the normal response.
            write_response(stream, &r, Plan::full(len, keep_alive, is_head)).await?;
            Ok(keep_alive)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_table_matches_pattern_byte() {
        for i in [
            0u64,
            1,
            255,
            256,
            65535,
            65536,
            65537,
            1 << 20,
            (1 << 32) + 7,
        ] {
            let w = Wire::Pattern {
                len: 1 << 40,
                offset: 0,
            };
            let c = w.chunk(i, 300);
            for (j, b) in c.iter().enumerate() {
                assert_eq!(*b, pattern_byte(i + j as u64), "at {}", i + j as u64);
            }
        }
        // period 65536
        for i in 0..70_000u64 {
            assert_eq!(pattern_byte(i), pattern_byte(i + 65536));
        }
    }

    #[test]
    fn filler_is_json_of_exact_length() {
        for len in [11u64, 12, 100, 65536, 65547, 200_000] {
            let w = Wire::Filler { len };
            let mut out = Vec::new();
            while (out.len() as u64) < len {
                let c = w.chunk(out.len() as u64, CHUNK);
                assert!(!c.is_empty());
                out.extend_from_slice(c);
            }
            assert_eq!(out.len() as u64, len);
            let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
            assert!(v["data"].is_string());
        }
    }

    #[test]
    fn split_target_decodes_query() {
        let (p, q) = split_target("/v1/videos?status=in%20progress&x=a+b&x=2&flag");
        assert_eq!(p, "/v1/videos");
        assert_eq!(
            q,
            vec![
                ("status".into(), "in progress".into()),
                ("x".into(), "a b".into()),
                ("x".into(), "2".into()),
                ("flag".into(), "".into())
            ]
        );
        assert_eq!(split_target("http://h:1/a?b=c").0, "/a");
    }
}
