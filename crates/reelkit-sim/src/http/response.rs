//! The response side of the simulator's HTTP server: body sources, the hyper body that paces, cuts or resets on a fault's behalf, and the responses that replacing faults send.

use super::socket::ConnCtl;
use super::{Outcome, CHUNK};
use crate::faults::{Fault, FaultBody};
use crate::types::{pattern_byte, Body, SimResponse};
use bytes::{Bytes, BytesMut};
use hyper::body::{Frame, SizeHint};
use hyper::header::{HeaderName, HeaderValue, CONNECTION};
use hyper::{Response, StatusCode};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, LazyLock};
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tokio::time::Sleep;

/// After a `ResetMidBody` partial body is on the wire, how long to wait before the
/// reset so the client has read the bytes (a reset can discard unread data on the
/// client side).
const RESET_GRACE: Duration = Duration::from_millis(50);

/// 128 KiB of the pattern stream, so any 64 KiB window starting at `i % 65536` is
/// one contiguous slice (the pattern has period 65536).
static PATTERN_TABLE: LazyLock<Vec<u8>> =
    LazyLock::new(|| (0..2 * 65536u64).map(pattern_byte).collect());
static FILLER: [u8; CHUNK] = [b'x'; CHUNK];
const OVERSIZED_PREFIX: &[u8] = b"{\"data\":\"";
const OVERSIZED_SUFFIX: &[u8] = b"\"}";
const SPACES: &[u8] = b"                ";

/// A response body as it goes on the wire.
#[derive(Debug, Clone)]
pub(crate) enum Wire {
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

    pub(crate) fn len(&self) -> u64 {
        match self {
            Wire::Bytes(b) => b.len() as u64,
            Wire::Pattern { len, .. } | Wire::Filler { len } => *len,
        }
    }

    /// Up to `max` (<= CHUNK) bytes of a generated body starting at `pos` (< len),
    /// from static tables (never allocated). Empty for `Wire::Bytes`.
    pub(crate) fn static_chunk(&self, pos: u64, max: usize) -> &'static [u8] {
        let n = (max as u64).min(self.len() - pos) as usize;
        match self {
            Wire::Bytes(_) => &[],
            Wire::Pattern { offset, .. } => {
                let table: &'static [u8] = &PATTERN_TABLE;
                let start = ((offset.wrapping_add(pos)) % 65536) as usize;
                &table[start..start + n.min(65536)]
            }
            Wire::Filler { len } => {
                let p = OVERSIZED_PREFIX.len() as u64;
                let s = OVERSIZED_SUFFIX.len() as u64;
                if *len < p + s {
                    return &SPACES[..n.min(SPACES.len())];
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

    /// The bytes `[pos, pos + want)` (cut at the end) as one frame; `exact` tops up
    /// a short chunk of a generated body so trickle sizes are exact.
    fn frame(&self, pos: u64, want: u64, exact: bool) -> Bytes {
        let want = want.min(self.len() - pos);
        if let Wire::Bytes(b) = self {
            return b.slice(pos as usize..(pos + want) as usize);
        }
        let want = want.min(CHUNK as u64) as usize;
        let c = self.static_chunk(pos, want);
        if c.len() == want || !exact {
            return Bytes::from_static(c);
        }
        let mut out = BytesMut::with_capacity(want);
        while out.len() < want {
            out.extend_from_slice(self.static_chunk(pos + out.len() as u64, want - out.len()));
        }
        out.freeze()
    }
}

/// What a body does once it has sent its bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tail {
    /// Ends normally.
    Clean,
    /// Waits until its bytes are flushed, then fails: hyper drops the connection
    /// (a clean close) with fewer bytes sent than declared.
    Truncate,
    /// Waits until its bytes are flushed and `RESET_GRACE`, then resets.
    Reset,
}

enum State {
    Sending,
    /// Trickle: waiting before the next frame.
    Pacing(Pin<Box<Sleep>>),
    /// Waiting for a flush that happens after the given count.
    Flushing(u64),
    Grace(Pin<Box<Sleep>>),
    Done,
}

/// A response body: bytes `[0, send)` of `wire`, Content-Length `declared`,
/// `per_frame` bytes per frame and `interval` between frames, then `tail`.
pub(crate) struct WireBody {
    wire: Wire,
    pos: u64,
    send: u64,
    declared: u64,
    per_frame: u64,
    interval: Duration,
    tail: Tail,
    state: State,
    /// Set for the `Truncate` and `Reset` tails.
    ctl: Option<Arc<ConnCtl>>,
}

impl WireBody {
    fn full(wire: Wire) -> WireBody {
        let len = wire.len();
        WireBody {
            // Bytes go out as one frame (hyper writes head and body in one write);
            // generated bodies in CHUNK-sized frames from static tables.
            per_frame: if matches!(wire, Wire::Bytes(_)) {
                u64::MAX
            } else {
                CHUNK as u64
            },
            wire,
            pos: 0,
            send: len,
            declared: len,
            interval: Duration::ZERO,
            tail: Tail::Clean,
            state: State::Sending,
            ctl: None,
        }
    }

    fn next_frame(&mut self) -> Frame<Bytes> {
        let want = self.per_frame.min(self.send - self.pos);
        let f = self.wire.frame(self.pos, want, !self.interval.is_zero());
        self.pos += f.len() as u64;
        Frame::data(f)
    }
}

impl hyper::body::Body for WireBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                State::Sending if this.pos < this.send => {
                    if this.pos > 0 && !this.interval.is_zero() {
                        this.state = State::Pacing(Box::pin(tokio::time::sleep(this.interval)));
                        continue;
                    }
                    return Poll::Ready(Some(Ok(this.next_frame())));
                }
                State::Sending => match (this.tail, &this.ctl) {
                    (Tail::Clean, _) | (_, None) => {
                        this.state = State::Done;
                        return Poll::Ready(None);
                    }
                    (_, Some(ctl)) => this.state = State::Flushing(ctl.flushes()),
                },
                State::Pacing(sleep) => {
                    ready!(sleep.as_mut().poll(cx));
                    this.state = State::Sending;
                    return Poll::Ready(Some(Ok(this.next_frame())));
                }
                State::Flushing(since) => {
                    if let Some(ctl) = &this.ctl {
                        ready!(ctl.poll_flushed_since(*since, cx));
                    }
                    if this.tail == Tail::Reset {
                        this.state = State::Grace(Box::pin(tokio::time::sleep(RESET_GRACE)));
                        continue;
                    }
                    this.state = State::Done;
                    let e = io::Error::new(io::ErrorKind::UnexpectedEof, "fault: truncated body");
                    return Poll::Ready(Some(Err(e)));
                }
                State::Grace(sleep) => {
                    ready!(sleep.as_mut().poll(cx));
                    if let Some(ctl) = &this.ctl {
                        ctl.arm_reset();
                    }
                    this.state = State::Done;
                    let e = io::Error::new(io::ErrorKind::ConnectionReset, "fault: reset mid body");
                    return Poll::Ready(Some(Err(e)));
                }
                State::Done => return Poll::Ready(None),
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self.state {
            State::Done => true,
            State::Sending => self.pos >= self.send && self.tail == Tail::Clean,
            _ => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.declared)
    }
}

impl Drop for WireBody {
    fn drop(&mut self) {
        // hyper drops a body it has nothing to send for (empty, or HEAD) unpolled:
        // there is no middle to reset in, so reset right after the head.
        if let (Tail::Reset, Some(ctl)) = (self.tail, &self.ctl) {
            if !matches!(self.state, State::Done) {
                ctl.arm_reset_after_flush();
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

/// The nginx-like error page for `HtmlError`.
pub fn nginx_error_page(status: u16) -> String {
    let title = format!("{status} {}", reason(status));
    format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n\
         <hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}

/// The response head for `body`. hyper writes Content-Length (from the body's
/// size), Date (unless given) and the status line; a status hyper cannot send as a
/// final response (1xx) goes out as 500.
fn build(status: u16, headers: Headers, keep_alive: bool, body: WireBody) -> Response<WireBody> {
    let mut resp = Response::new(body);
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    *resp.status_mut() = code;
    let reason = reason(status);
    if code.canonical_reason() != Some(reason) && reason != "Unknown" {
        resp.extensions_mut()
            .insert(hyper::ext::ReasonPhrase::from_static(reason.as_bytes()));
    }
    let h = resp.headers_mut();
    h.reserve(headers.len() + 1);
    for (k, v) in headers {
        if k.eq_ignore_ascii_case("content-length")
            || k.eq_ignore_ascii_case("connection")
            || k.eq_ignore_ascii_case("transfer-encoding")
        {
            continue;
        }
        let Ok(name) = HeaderName::from_bytes(k.as_bytes()) else {
            continue;
        };
        // A value cannot carry CR/LF or other controls: drop them, not the header.
        let control = |c: &u8| (*c < 0x20 && *c != b'\t') || *c == 0x7f;
        let value = if v.as_bytes().iter().any(control) {
            let clean: Vec<u8> = v.bytes().filter(|c| !control(c)).collect();
            HeaderValue::from_bytes(&clean)
        } else {
            HeaderValue::from_maybe_shared(Bytes::from(v))
        };
        if let Ok(value) = value {
            h.append(name, value);
        }
    }
    h.insert(
        CONNECTION,
        HeaderValue::from_static(if keep_alive { "keep-alive" } else { "close" }),
    );
    resp
}

/// A handler's response, sent whole.
pub(crate) fn plain(r: SimResponse, keep_alive: bool) -> Response<WireBody> {
    build(
        r.status,
        r.headers,
        keep_alive,
        WireBody::full(Wire::from_body(r.body)),
    )
}

type Headers = Vec<(String, String)>;

/// The response a replacing fault sends, or `None` for faults that use the real one.
fn fault_replacement(fault: &Fault) -> Option<(u16, Headers, Wire)> {
    let json_ct = || vec![("content-type".to_string(), "application/json".to_string())];
    Some(match fault {
        Fault::Status {
            status,
            headers,
            body,
        } => {
            let mut h: Headers = headers.clone();
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
    })
}

/// The response for one outcome. An error drops the connection (a reset when the
/// fault armed one on `ctl`).
pub(crate) async fn respond(
    outcome: Outcome,
    keep_alive: bool,
    ctl: &Arc<ConnCtl>,
) -> io::Result<Response<WireBody>> {
    let Outcome {
        response, fault, ..
    } = outcome;
    let Some(fault) = fault else {
        return Ok(plain(response, keep_alive));
    };
    if let Some(d) = fault.delay() {
        tokio::time::sleep(d).await;
    }
    if let Some((status, headers, wire)) = fault_replacement(&fault) {
        return Ok(build(status, headers, keep_alive, WireBody::full(wire)));
    }
    let SimResponse {
        status,
        headers,
        body,
    } = response;
    let mut b = WireBody::full(Wire::from_body(body));
    let len = b.declared;
    let keep_alive = match fault {
        Fault::ResetBeforeResponse => {
            // No bytes at all: the caller drops the connection, with linger 0.
            ctl.arm_reset();
            return Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "fault: reset",
            ));
        }
        Fault::ResetMidBody => {
            (b.send, b.tail, b.ctl) = (len / 2, Tail::Reset, Some(ctl.clone()));
            false
        }
        Fault::TruncatedBody => {
            // An empty body cannot be cut: declare one byte and send none.
            (b.send, b.declared) = (len / 2, len.max(1));
            (b.tail, b.ctl) = (Tail::Truncate, Some(ctl.clone()));
            false
        }
        Fault::Trickle {
            bytes_per_chunk,
            interval_seconds,
        } => {
            b.per_frame = bytes_per_chunk.clamp(1, CHUNK) as u64;
            b.interval = Duration::from_secs_f64(interval_seconds).max(Duration::from_micros(1));
            keep_alive
        }
        // Delay (already slept): the normal response.
        _ => keep_alive,
    };
    Ok(build(status, headers, keep_alive, b))
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
            let c = w.static_chunk(i, 300);
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
                let c = w.frame(out.len() as u64, CHUNK as u64, false);
                assert!(!c.is_empty());
                out.extend_from_slice(&c);
            }
            assert_eq!(out.len() as u64, len);
            let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
            assert!(v["data"].is_string());
        }
    }

    #[test]
    fn exact_frames_are_topped_up() {
        let w = Wire::Filler { len: 100 };
        // 7-byte frames across the 9-byte prefix boundary
        let mut pos = 0;
        while pos < 100 {
            let f = w.frame(pos, 7, true);
            assert_eq!(f.len() as u64, 7.min(100 - pos));
            pos += f.len() as u64;
        }
    }
}
