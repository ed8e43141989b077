//! `SimServer`: the simulator as a running HTTP server. It glues the pieces
//! together: every request is recorded (`inspect`), checked against the armed
//! faults (`faults`), and — unless a fault replaces the response — answered by the
//! provider `Handler` (in production `crate::api::ApiSim`).

use crate::faults::{Fault, FaultTable};
use crate::http::{HttpServer, Outcome, Reply, Service};
use crate::inspect::{RecordedRequest, Redactor, RequestLog};
use crate::types::{Handler, SimConfig, SimRequest, SimResponse};
use std::io;
use std::sync::Arc;

/// Path prefix of the Hoox public API.
pub const HOOX_PREFIX: &str = "/api/public/v1";
/// Path prefix of the Hooked API.
pub const HOOKED_PREFIX: &str = "/v1";

struct SimService {
    handler: Arc<dyn Handler>,
    faults: Arc<FaultTable>,
    log: Arc<RequestLog>,
}

impl Service for SimService {
    fn call(&self, req: SimRequest) -> Reply {
        self.log.record(&req);
        let fault = self.faults.check(&req.method, &req.path);
        Reply::Ready(match fault {
            Some(f) if !f.uses_real_response() => Outcome::fault_only(f),
            fault => Outcome {
                response: call_handler(self.handler.as_ref(), &req),
                fault,
                delay: Default::default(),
            },
        })
    }
}

/// Call the handler; a panic becomes a 500 naming it (instead of a dropped
/// connection), so a handler bug is visible from the client side.
fn call_handler(handler: &dyn Handler, req: &SimRequest) -> SimResponse {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler.handle(req))) {
        Ok(r) => r,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            SimResponse::json(
                500,
                &serde_json::json!({
                    "error": format!("reelkit simulator: the handler panicked on {} {}: {msg}", req.method, req.path),
                    "code": "simulator_panic",
                }),
            )
        }
    }
}

/// A running simulator. Stops on `stop()` or Drop.
pub struct SimServer {
    http: HttpServer,
    base_url: String,
    config: SimConfig,
    faults: Arc<FaultTable>,
    log: Arc<RequestLog>,
    handler: Arc<dyn Handler>,
}

impl SimServer {
    /// Bind `127.0.0.1:port` (0 = free port) and serve. `handler_factory` receives
    /// the base URL (`http://127.0.0.1:PORT`) and runs inside the server's runtime.
    pub fn start(
        config: SimConfig,
        port: u16,
        handler_factory: impl FnOnce(String) -> Arc<dyn Handler>,
    ) -> io::Result<SimServer> {
        let faults = Arc::new(FaultTable::new());
        let log = Arc::new(RequestLog::new(Redactor::new([
            config.hoox_api_key.clone(),
            config.hooked_api_key.clone(),
        ])));
        let mut handler_slot: Option<Arc<dyn Handler>> = None;
        let http = {
            let (faults, log, slot) = (faults.clone(), log.clone(), &mut handler_slot);
            HttpServer::start_with(port, move |addr| {
                let handler = handler_factory(format!("http://{addr}"));
                *slot = Some(handler.clone());
                Arc::new(SimService {
                    handler,
                    faults,
                    log,
                }) as Arc<dyn Service>
            })?
        };
        let handler = handler_slot.ok_or_else(|| io::Error::other("handler factory not called"))?;
        Ok(SimServer {
            base_url: http.base_url(),
            http,
            config,
            faults,
            log,
            handler,
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn port(&self) -> u16 {
        self.http.local_addr().port()
    }

    /// Base URL for a Hoox client: `base_url() + "/api/public/v1"`.
    pub fn hoox_base_url(&self) -> String {
        format!("{}{HOOX_PREFIX}", self.base_url)
    }

    /// Base URL for a Hooked client: `base_url() + "/v1"`.
    pub fn hooked_base_url(&self) -> String {
        format!("{}{HOOKED_PREFIX}", self.base_url)
    }

    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    pub fn handler(&self) -> &Arc<dyn Handler> {
        &self.handler
    }

    /// Arm a fault (see `FaultTable::inject`): `method` or `*`, a path glob, and
    /// how many matching requests it applies to (0 = forever).
    pub fn inject(&self, method: &str, path_pattern: &str, fault: Fault, times: u32) {
        self.faults.inject(method, path_pattern, fault, times);
    }

    pub fn clear_faults(&self) {
        self.faults.clear();
    }

    pub fn faults(&self) -> &Arc<FaultTable> {
        &self.faults
    }

    /// Recorded requests, oldest first (the last 10,000).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.log.requests()
    }

    pub fn clear_requests(&self) {
        self.log.clear();
    }

    pub fn request_log(&self) -> &Arc<RequestLog> {
        &self.log
    }

    pub fn is_running(&self) -> bool {
        self.http.is_running()
    }

    /// TCP connections accepted so far (to check keep-alive reuse).
    pub fn connections_accepted(&self) -> u64 {
        self.http.connections_accepted()
    }

    /// Stop serving and release the port. Idempotent (also runs on Drop).
    pub fn stop(&mut self) {
        self.http.stop();
    }
}
