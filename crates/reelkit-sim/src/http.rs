//! The simulator's HTTP/1.1 server on hyper: listener and runtime, connections, and the `SimRequest` -> `Outcome` -> response path.
//!
//! It knows nothing about the APIs it serves: a `Service` turns each `SimRequest`
//! into an `Outcome`.
//!
//! - Runs on its own multi-thread tokio runtime (2 workers, threads named
//!   `reelkit-sim`), so it works in a process whose other threads run clients.
//! - `HttpServer::start` binds `127.0.0.1:<port>` synchronously (0 = a free port).
//! - HTTP/1.1 is hyper's (`server::conn::http1`): keep-alive (`Connection: close`
//!   honoured), Content-Length and chunked request bodies, `Expect: 100-continue`,
//!   pipelined requests answered in order, 400/431 for bad request heads.
//! - Faults stay around hyper, not in a parser of our own: `response` makes the
//!   bodies that pace (trickle), cut (truncation) or reset mid-way, and `socket`
//!   wraps the `TcpStream` so a fault can refuse all I/O and close with RST.
//!   Every fault kind of `faults` is produced this way; no hand parser is left.
//! - `stop` (also on Drop) stops accepting, lets idle keep-alive connections close
//!   (hyper's graceful shutdown), waits briefly for in-flight responses and then
//!   drops what is left.

mod response;
mod socket;

pub use response::{nginx_error_page, reason_phrase};

use crate::faults::Fault;
use crate::types::{SimRequest, SimResponse};
use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::{Body as _, Incoming};
use hyper::header::CONNECTION;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, Uri, Version};
use hyper_util::rt::TokioIo;
use response::WireBody;
use socket::{ConnCtl, FaultIo};
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::{Handle, Runtime};
use tokio::sync::watch;

/// Largest request head (request line + headers) accepted (431 above it).
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Largest request body accepted (413 above it).
pub const MAX_BODY_BYTES: u64 = 512 * 1024 * 1024;
/// Frame size for streamed generated response bodies.
pub const CHUNK: usize = 64 * 1024;

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

/// What every connection of one server shares.
struct Shared {
    service: Arc<dyn Service>,
    builder: http1::Builder,
    stopping: watch::Receiver<bool>,
}

async fn accept_loop(
    listener: TcpListener,
    service: Arc<dyn Service>,
    mut shutdown: watch::Receiver<bool>,
    active: Arc<AtomicUsize>,
    accepted: Arc<AtomicU64>,
) {
    let mut builder = http1::Builder::new();
    // hyper's default limit of 100 request headers (431 above it) is kept: a
    // larger one moves its header buffers from the stack to the heap.
    builder
        .max_header_size(MAX_HEAD_BYTES)
        // Answer a request even if the client shut down its sending side.
        .half_close(true)
        // Head and small body in one write(2), as before hyper; measured ~8 % less
        // server CPU per small GET than writev of separate buffers.
        .writev(false);
    let shared = Arc::new(Shared {
        service,
        builder,
        stopping: shutdown.clone(),
    });
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
                let shared = shared.clone();
                tokio::spawn(async move {
                    let _guard = guard;
                    serve_connection(stream, shared).await;
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

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let ctl = Arc::new(ConnCtl::default());
    let io = TokioIo::new(FaultIo::new(stream, ctl.clone()));
    let svc = {
        let shared = shared.clone();
        service_fn(move |req| serve_request(req, shared.clone(), ctl.clone()))
    };
    let conn = shared.builder.serve_connection(io, svc);
    tokio::pin!(conn);
    let mut stopping = shared.stopping.clone();
    // Connection errors (client gone, faults) only end the connection.
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = async { drop(stopping.wait_for(|stop| *stop).await) } => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

fn has_token(value: Option<&[u8]>, token: &str) -> bool {
    value.is_some_and(|v| {
        v.split(|c| *c == b',')
            .any(|t| t.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
    })
}

fn text(status: u16, msg: String) -> Response<WireBody> {
    response::plain(SimResponse::text(status, "text/plain", msg), false)
}

/// The path (query string removed, not percent-decoded) and the decoded query pairs.
fn split_uri(uri: &Uri) -> (String, Vec<(String, String)>) {
    let query = uri.query().map_or_else(Vec::new, |q| {
        url::form_urlencoded::parse(q.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    });
    (uri.path().to_string(), query)
}

async fn serve_request(
    req: Request<Incoming>,
    shared: Arc<Shared>,
    ctl: Arc<ConnCtl>,
) -> io::Result<Response<WireBody>> {
    let (parts, body) = req.into_parts();
    let connection = parts.headers.get(CONNECTION).map(|v| v.as_bytes());
    let keep_alive = if parts.version == Version::HTTP_10 {
        has_token(connection, "keep-alive")
    } else {
        !has_token(connection, "close")
    };
    if body.size_hint().lower() > MAX_BODY_BYTES {
        return Ok(text(413, "request body too large\n".into()));
    }
    let body = if body.is_end_stream() {
        Bytes::new()
    } else {
        match Limited::new(body, MAX_BODY_BYTES as usize).collect().await {
            Ok(b) => b.to_bytes(),
            Err(e) if e.is::<http_body_util::LengthLimitError>() => {
                return Ok(text(413, "request body too large\n".into()));
            }
            Err(e) => return Ok(text(400, format!("bad request: {e}\n"))),
        }
    };
    let (path, query) = split_uri(&parts.uri);
    let headers = parts
        .headers
        .iter()
        .map(|(k, v)| {
            let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
            (k.as_str().to_owned(), v)
        })
        .collect();
    let req = SimRequest {
        method: parts.method.as_str().to_owned(),
        path,
        query,
        headers,
        body,
    };
    let outcome = match shared.service.call(req) {
        Reply::Ready(o) => o,
        Reply::Later(f) => f.await,
    };
    let keep_alive = keep_alive && !*shared.stopping.borrow();
    if !outcome.delay.is_zero() {
        tokio::time::sleep(outcome.delay).await;
    }
    response::respond(outcome, keep_alive, &ctl).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_uri_decodes_query() {
        let uri: Uri = "/v1/videos?status=in%20progress&x=a+b&x=2&flag"
            .parse()
            .unwrap();
        let (p, q) = split_uri(&uri);
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
        let uri: Uri = "http://h:1/a?b=c".parse().unwrap();
        assert_eq!(split_uri(&uri).0, "/a");
    }

    #[test]
    fn connection_tokens() {
        assert!(has_token(Some(b"Keep-Alive, Upgrade"), "keep-alive"));
        assert!(has_token(Some(b"foo,  close "), "close"));
        assert!(!has_token(Some(b"closed"), "close"));
        assert!(!has_token(None, "close"));
    }
}
