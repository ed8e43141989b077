//! The cassette replay server: serves a cassette's interactions on loopback, each
//! at most once, and keeps score of what did not match and what was never used.
//!
//! - Strict (the default): each request must match the NEXT unused interaction
//!   (method, path, query order-insensitively, JSON body structurally, plus any
//!   `match_headers`). A request that does not is answered `599` with
//!   `content-type: text/plain`, header `x-reelkit-replay-mismatch: 1` and a
//!   readable diff; it is recorded as a mismatch and the interaction stays next.
//! - Non-strict: the first unused interaction that matches is served. When every
//!   matching interaction has been used, the last one served for that request is
//!   served again (so a client that polls more often than the recording did still
//!   sees the terminal state); only a request that matches no interaction at all
//!   is a mismatch.
//!
//! Faults armed with `inject` apply before matching and consume no interaction.

use crate::cassette::{Cassette, Interaction};
use crate::faults::{Fault, FaultTable};
use crate::http::{HttpServer, Outcome, Reply, Service};
use crate::inspect::{RecordedRequest, Redactor, RequestLog};
use crate::server::{HOOKED_PREFIX, HOOX_PREFIX};
use crate::types::{SimRequest, SimResponse};
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Status used for "no interaction matches this request".
pub const MISMATCH_STATUS: u16 = 599;
pub const MISMATCH_HEADER: &str = "x-reelkit-replay-mismatch";

/// A request the cassette could not answer.
#[derive(Debug, Clone)]
pub struct Mismatch {
    /// The request as received (redacted).
    pub request: RecordedRequest,
    /// The interaction it was compared with (strict mode), if any was left.
    pub expected: Option<usize>,
    /// The human-readable explanation (also the 599 body).
    pub diff: String,
}

/// An interaction that was never served.
#[derive(Debug, Clone, PartialEq)]
pub struct Unused {
    pub index: usize,
    /// `METHOD /path?query`
    pub summary: String,
}

struct State {
    cassette: Cassette,
    strict: bool,
    base_url: String,
    used: Vec<bool>,
    mismatches: Vec<Mismatch>,
}

struct ReplayService {
    state: Arc<Mutex<State>>,
    faults: Arc<FaultTable>,
    log: Arc<RequestLog>,
}

fn lock(m: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl State {
    fn serve(&mut self, i: usize) -> Outcome {
        self.used[i] = true;
        let r = &self.cassette.interactions[i].response;
        Outcome {
            response: r.to_sim_response(&self.base_url),
            fault: r.fault.clone(),
            delay: Duration::from_secs_f64(r.delay_seconds),
        }
    }

    fn mismatch(
        &mut self,
        recorded: RecordedRequest,
        expected: Option<usize>,
        diff: String,
    ) -> Outcome {
        self.mismatches.push(Mismatch {
            request: recorded,
            expected,
            diff: diff.clone(),
        });
        Outcome::new(
            SimResponse::text(MISMATCH_STATUS, "text/plain; charset=utf-8", diff)
                .with_header(MISMATCH_HEADER, "1"),
        )
    }

    fn header_line(req: &SimRequest) -> String {
        let mut s = format!("{} {}", req.method, req.path);
        if !req.query.is_empty() {
            let q: Vec<String> = req.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            s.push('?');
            s.push_str(&q.join("&"));
        }
        s
    }

    fn handle(&mut self, req: &SimRequest, recorded: RecordedRequest) -> Outcome {
        let interactions = &self.cassette.interactions;
        if self.strict {
            let Some(next) = self.used.iter().position(|u| !u) else {
                let diff = format!(
                    "reelkit replay: unexpected request {} — all {} interactions of the cassette were already used\n",
                    Self::header_line(req),
                    interactions.len()
                );
                return self.mismatch(recorded, None, diff);
            };
            let d = interactions[next].diff(req);
            if d.is_empty() {
                return self.serve(next);
            }
            let diff = format!(
                "reelkit replay: request does not match the next interaction #{next}\n  expected: {}\n  got:      {}\n{}\n",
                interactions[next].summary(),
                Self::header_line(req),
                d.iter().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
            );
            return self.mismatch(recorded, Some(next), diff);
        }
        let matching: Vec<usize> = (0..interactions.len())
            .filter(|&i| interactions[i].diff(req).is_empty())
            .collect();
        if let Some(&i) = matching.iter().find(|&&i| !self.used[i]) {
            return self.serve(i);
        }
        if let Some(&i) = matching.last() {
            return self.serve(i);
        }
        // Explain against the interactions with the same method and path, if any.
        let same: Vec<&Interaction> = interactions
            .iter()
            .filter(|it| {
                it.request.method.eq_ignore_ascii_case(&req.method)
                    && crate::cassette::percent_decode(&it.request.path)
                        == crate::cassette::percent_decode(&req.path)
            })
            .take(3)
            .collect();
        let mut diff = format!(
            "reelkit replay: no interaction of the cassette matches {}\n",
            Self::header_line(req)
        );
        if same.is_empty() {
            diff.push_str("  no interaction has this method and path; the cassette has:\n");
            for it in interactions.iter().take(20) {
                diff.push_str(&format!("    {}\n", it.summary()));
            }
        } else {
            for it in same {
                diff.push_str(&format!("  closest: {}\n", it.summary()));
                for l in it.diff(req) {
                    diff.push_str(&format!("    {l}\n"));
                }
            }
        }
        self.mismatch(recorded, None, diff)
    }
}

impl Service for ReplayService {
    fn call(&self, req: SimRequest) -> Reply {
        self.log.record(&req);
        if let Some(f) = self.faults.check(&req.method, &req.path) {
            if !f.uses_real_response() {
                return Reply::Ready(Outcome::fault_only(f));
            }
            let mut o = lock(&self.state).handle(&req, self.log.redact(&req));
            o.fault = Some(f);
            return Reply::Ready(o);
        }
        let recorded = self.log.redact(&req);
        Reply::Ready(lock(&self.state).handle(&req, recorded))
    }
}

/// A running replay server. Stops on `stop()` or Drop.
pub struct ReplayServer {
    http: HttpServer,
    base_url: String,
    state: Arc<Mutex<State>>,
    faults: Arc<FaultTable>,
    log: Arc<RequestLog>,
}

impl ReplayServer {
    /// Serve `cassette` on `127.0.0.1` (a free port).
    pub fn start(cassette: Cassette, strict: bool) -> io::Result<ReplayServer> {
        Self::start_on(cassette, strict, 0)
    }

    /// Serve `cassette` on `127.0.0.1:port` (0 = a free port).
    pub fn start_on(cassette: Cassette, strict: bool, port: u16) -> io::Result<ReplayServer> {
        let n = cassette.interactions.len();
        let state = Arc::new(Mutex::new(State {
            cassette,
            strict,
            base_url: String::new(),
            used: vec![false; n],
            mismatches: Vec::new(),
        }));
        let faults = Arc::new(FaultTable::new());
        let log = Arc::new(RequestLog::new(Redactor::default()));
        let http = {
            let (state, faults, log) = (state.clone(), faults.clone(), log.clone());
            HttpServer::start_with(port, move |addr| {
                lock(&state).base_url = format!("http://{addr}");
                Arc::new(ReplayService { state, faults, log }) as Arc<dyn Service>
            })?
        };
        Ok(ReplayServer {
            base_url: http.base_url(),
            http,
            state,
            faults,
            log,
        })
    }

    /// Load the cassette file and serve it.
    pub fn start_file(path: impl AsRef<std::path::Path>, strict: bool) -> io::Result<ReplayServer> {
        let cassette = Cassette::load(path)?;
        Self::start(cassette, strict)
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

    pub fn is_strict(&self) -> bool {
        lock(&self.state).strict
    }

    /// Requests no interaction could answer, in order.
    pub fn mismatches(&self) -> Vec<Mismatch> {
        lock(&self.state).mismatches.clone()
    }

    /// Interactions never served, in cassette order.
    pub fn unused(&self) -> Vec<Unused> {
        let s = lock(&self.state);
        s.used
            .iter()
            .enumerate()
            .filter(|(_, u)| !**u)
            .map(|(index, _)| Unused {
                index,
                summary: s.cassette.interactions[index].summary(),
            })
            .collect()
    }

    /// How many interactions the cassette has.
    pub fn len(&self) -> usize {
        lock(&self.state).used.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every request received, oldest first (see `crate::inspect`).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.log.requests()
    }

    /// Arm a fault, as on `SimServer::inject`.
    pub fn inject(&self, method: &str, path_pattern: &str, fault: Fault, times: u32) {
        self.faults.inject(method, path_pattern, fault, times);
    }

    pub fn stop(&mut self) {
        self.http.stop();
    }
}
