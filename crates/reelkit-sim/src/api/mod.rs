//! The provider API simulation: a pure request -> response [`Handler`] serving
//! Hoox under `/api/public/v1/...` (`hoox/`), Hooked under `/v1/...` (and `/api/v1/...`,
//! `hooked/`), signed media under `/media/...` (`media.rs`), and a JSON 404 for anything
//! else. This file owns [`ApiSim`], the shared state, routing and the job clock; request
//! validation shared by both providers is in `validate.rs`.
//!
//! Jobs are evaluated lazily: each one stores when it started and how long it takes
//! (`SimConfig::job_seconds`), and its visible state (pending, processing, progress,
//! terminal) is computed from the elapsed time whenever it is read. Webhooks are the only
//! background work: a tokio task sleeps until the job's terminal instant, builds the
//! documented payload and delivers it (`webhooks.rs`).
//!
//! Deterministic failure triggers (tests):
//! - Hoox: a `/generation/start` `prompt`, `script` or `sequence_plan` text containing
//!   `SIMULATE_FAILURE` ends `failed` (`GENERATION_FAILED`); an `/avatar/create` or
//!   `/avatar/edit` prompt containing it ends `failed` (`LOOK_GENERATION_FAILED`, look
//!   status `error`); an `/asset/start` prompt containing it ends `failed` (refunded);
//!   exporting a video whose prompt/script contains `SIMULATE_EXPORT_FAILURE` (or the seeded
//!   `vid_seed_export_fails`) ends `failed` (`EXPORT_FAILED`); a `/script/generate` or
//!   `/generation/start` prompt containing `SIMULATE_SCRIPT_ERROR` answers 500
//!   `SCRIPT_GENERATION_FAILED`.
//! - Hooked: any `script`, `prompt` or `text` (also in scenes/slides) containing
//!   `SIMULATE_FAILURE` makes the video end `FAILED` (and `project.failed`; refunded).
//!
//! Credits: see `credits.rs` (Hooked: 5 per video, chosen from the documented example).
//! Seeds: see `hoox/state.rs` and `hooked/state.rs` headers.

pub mod credits;
mod hooked;
mod hoox;
pub mod media;
mod ratelimit;
pub mod rules;
pub mod util;
mod validate;
pub mod webhooks;

pub use webhooks::{WebhookDelivery, WebhookOutcome};

use crate::types::{Handler, SimConfig, SimRequest, SimResponse};
use credits::{Ledger, Provider};
use media::Media;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use webhooks::Webhooks;

/// When a job started and how long it runs.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub start: Instant,
    pub start_unix: f64,
    pub secs: f64,
}

impl Timing {
    pub fn new(secs: f64) -> Self {
        Timing {
            start: Instant::now(),
            start_unix: util::unix_now(),
            secs: if secs.is_finite() && secs > 0.0 {
                secs
            } else {
                0.0
            },
        }
    }

    /// A job that finished long ago (seeds).
    pub fn done_at(unix: f64) -> Self {
        Timing {
            start: Instant::now(),
            start_unix: unix,
            secs: 0.0,
        }
    }

    /// 0.0 at start, 1.0 (or more) once terminal.
    pub fn fraction(&self, now: Instant) -> f64 {
        if self.secs <= 0.0 {
            return 1.0;
        }
        now.saturating_duration_since(self.start).as_secs_f64() / self.secs
    }

    pub fn done(&self, now: Instant) -> bool {
        self.fraction(now) >= 1.0
    }

    pub fn end_unix(&self) -> f64 {
        self.start_unix + self.secs
    }

    pub fn end_instant(&self) -> Instant {
        self.start + Duration::from_secs_f64(self.secs)
    }
}

pub(crate) struct State {
    pub ledger: Ledger,
    pub rate: HashMap<String, VecDeque<Instant>>,
    /// How many requests the Hoox rate limit refused (answered 429).
    pub rate_limited: u64,
    pub hoox: hoox::HooxState,
    pub hooked: hooked::HookedState,
}

pub(crate) struct Inner {
    pub cfg: SimConfig,
    pub base: String,
    pub media: Media,
    pub hooks: Arc<Webhooks>,
    state: Mutex<State>,
}

impl Inner {
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Delivers a webhook to `url` `delay` seconds from now, its payload built from the
    /// state at that moment (`None`: nothing to send).
    pub fn notify_later<F>(
        self: &Arc<Self>,
        provider: Provider,
        url: String,
        delay: f64,
        payload: F,
    ) where
        F: FnOnce(&Inner, &State) -> Option<Value> + Send + 'static,
    {
        let inner = Arc::clone(self);
        self.hooks.spawn(provider, url, delay, move || {
            let st = inner.lock();
            payload(&inner, &st)
        });
    }
}

/// The Hoox + Hooked + media simulation. Cheap to share: `Arc<ApiSim>`.
pub struct ApiSim {
    inner: Arc<Inner>,
}

impl ApiSim {
    /// `base_url` is this server's origin, e.g. `http://127.0.0.1:8080`, used in media URLs.
    pub fn new(config: SimConfig, base_url: String) -> Arc<ApiSim> {
        let base = base_url.trim_end_matches('/').to_string();
        let media = Media::new(config.video_bytes);
        let hooks = Arc::new(Webhooks::new(
            config.webhook_timeout,
            config.webhook_delay_scale,
        ));
        let hoox = hoox::HooxState::seed();
        let hooked = hooked::HookedState::seed();
        let state = State {
            ledger: Ledger::new(config.credits),
            rate: HashMap::new(),
            rate_limited: 0,
            hoox,
            hooked,
        };
        Arc::new(ApiSim {
            inner: Arc::new(Inner {
                cfg: config,
                base,
                media,
                hooks,
                state: Mutex::new(state),
            }),
        })
    }

    /// How many requests the Hoox rate limit answered with 429 so far.
    pub fn hoox_rate_limited(&self) -> u64 {
        self.inner.lock().rate_limited
    }

    /// Credits debited on Hoox so far (refunds of failed assets deducted once due).
    pub fn hoox_credits_used(&self) -> f64 {
        self.inner
            .lock()
            .ledger
            .used(Provider::Hoox, Instant::now())
    }

    /// Credits debited on Hooked so far (refunds of failed videos deducted once due).
    pub fn hooked_credits_used(&self) -> f64 {
        self.inner
            .lock()
            .ledger
            .used(Provider::Hooked, Instant::now())
    }

    /// Every webhook delivery attempt so far, oldest first.
    pub fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        self.inner.hooks.deliveries()
    }

    /// The signed media URL of `name` (e.g. `export_x.mp4`), valid `url_ttl_seconds`.
    pub fn media_url(&self, name: &str) -> String {
        self.inner
            .media
            .url(&self.inner.base, name, self.inner.cfg.url_ttl_seconds)
    }

    pub fn config(&self) -> &SimConfig {
        &self.inner.cfg
    }
}

fn not_found(req: &SimRequest) -> SimResponse {
    SimResponse::json(
        404,
        &json!({"error": "Not found", "message": format!("No route for {} {}", req.method, req.path)}),
    )
}

impl Handler for ApiSim {
    fn handle(&self, req: &SimRequest) -> SimResponse {
        let path = req.path.as_str();
        let path = if path.len() > 1 {
            path.trim_end_matches('/')
        } else {
            path
        };
        if let Some(rest) = path.strip_prefix("/api/public/v1") {
            if rest.is_empty() || rest.starts_with('/') {
                return hoox::handle(&self.inner, req, rest.trim_start_matches('/'));
            }
        }
        for prefix in ["/v1", "/api/v1"] {
            if let Some(rest) = path.strip_prefix(prefix) {
                if rest.is_empty() || rest.starts_with('/') {
                    return hooked::handle(&self.inner, req, rest.trim_start_matches('/'));
                }
            }
        }
        if let Some(name) = path.strip_prefix("/media/") {
            let name = util::pct_decode(name);
            if !name.is_empty() && !name.contains('/') {
                return self.inner.media.serve(req, &name);
            }
        }
        not_found(req)
    }
}

#[cfg(test)]
mod testkit;
#[cfg(test)]
mod tests;
