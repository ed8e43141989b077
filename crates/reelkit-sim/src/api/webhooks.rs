//! Outbound webhook delivery of both providers, with reqwest on the caller's tokio runtime,
//! and the delivery log (`ApiSim::webhook_deliveries`).
//!
//! - Hoox (hoox.md §5): `POST` JSON with `Content-Type: application/json`,
//!   `User-Agent: Hoox-API/1.0`, `X-Hoox-Webhook: true`; success = any 2xx; on a non-2xx
//!   answer or a transport error, retries after 1 s, 2 s, 4 s (4 attempts at most).
//! - Hooked (hooked.md §7): `POST` JSON with `Content-Type: application/json`,
//!   `User-Agent: Hooked-Webhooks/1.0` (not documented); success = any 2xx; retries after
//!   1, 5, 15 minutes.
//!
//! Every delay (including the one until the job's terminal state) is multiplied by
//! `SimConfig::webhook_delay_scale`; each attempt times out after `SimConfig::webhook_timeout`.
//! When `handle` runs outside a tokio runtime (plain unit tests), nothing is delivered.

use super::credits::Provider;
use super::util::unix_now;
use serde_json::Value;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// How one delivery attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookOutcome {
    /// The receiver answered with this HTTP status.
    Status(u16),
    /// No HTTP answer: connection refused, timeout, ... (reqwest's message).
    Error(String),
}

impl WebhookOutcome {
    pub fn is_success(&self) -> bool {
        matches!(self, WebhookOutcome::Status(s) if (200..300).contains(s))
    }
}

/// One delivery attempt, as recorded by the simulator.
#[derive(Debug, Clone)]
pub struct WebhookDelivery {
    pub url: String,
    /// `"hoox"` or `"hooked"`.
    pub provider: String,
    /// 1 for the first attempt, 2..=4 for the retries.
    pub attempt: u32,
    pub payload: Value,
    pub outcome: WebhookOutcome,
    /// Unix seconds when the attempt was sent.
    pub timestamp: f64,
}

pub(crate) struct Webhooks {
    log: Mutex<Vec<WebhookDelivery>>,
    client: OnceLock<Option<reqwest::Client>>,
    timeout: Duration,
    scale: f64,
}

const HOOX_RETRIES: [f64; 3] = [1.0, 2.0, 4.0];
const HOOKED_RETRIES: [f64; 3] = [60.0, 300.0, 900.0];

impl Webhooks {
    pub fn new(timeout: Duration, scale: f64) -> Self {
        Webhooks {
            log: Mutex::new(Vec::new()),
            client: OnceLock::new(),
            timeout,
            scale: if scale.is_finite() && scale >= 0.0 {
                scale
            } else {
                1.0
            },
        }
    }

    pub fn deliveries(&self) -> Vec<WebhookDelivery> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn client(&self) -> Option<reqwest::Client> {
        self.client
            .get_or_init(|| {
                reqwest::Client::builder()
                    .timeout(self.timeout)
                    .no_proxy()
                    .build()
                    .ok()
            })
            .clone()
    }

    fn scaled(&self, secs: f64) -> Duration {
        Duration::from_secs_f64((secs * self.scale).clamp(0.0, 1e9))
    }

    /// Schedules delivery `delay_secs` (unscaled) from now; `payload` is built at that moment.
    pub fn spawn<F>(self: &Arc<Self>, provider: Provider, url: String, delay_secs: f64, payload: F)
    where
        F: FnOnce() -> Option<Value> + Send + 'static,
    {
        let Ok(rt) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let hooks = Arc::clone(self);
        // The wait until the terminal state is the job's own duration: not scaled.
        let first = Duration::from_secs_f64(delay_secs.clamp(0.0, 1e9));
        rt.spawn(async move {
            if !first.is_zero() {
                tokio::time::sleep(first).await;
            }
            let Some(payload) = payload() else { return };
            hooks.deliver(provider, url, payload).await;
        });
    }

    async fn deliver(&self, provider: Provider, url: String, payload: Value) {
        let retries = match provider {
            Provider::Hoox => HOOX_RETRIES,
            Provider::Hooked => HOOKED_RETRIES,
        };
        let body = serde_json::to_vec(&payload).unwrap_or_default();
        for attempt in 1..=(retries.len() as u32 + 1) {
            let timestamp = unix_now();
            let outcome = match self.client() {
                None => WebhookOutcome::Error("could not build an HTTP client".into()),
                Some(c) => {
                    let mut rb = c
                        .post(&url)
                        .header("content-type", "application/json")
                        .body(body.clone());
                    rb = match provider {
                        Provider::Hoox => rb
                            .header("user-agent", "Hoox-API/1.0")
                            .header("x-hoox-webhook", "true"),
                        Provider::Hooked => rb.header("user-agent", "Hooked-Webhooks/1.0"),
                    };
                    match rb.send().await {
                        Ok(r) => WebhookOutcome::Status(r.status().as_u16()),
                        Err(e) => WebhookOutcome::Error(e.to_string()),
                    }
                }
            };
            let ok = outcome.is_success();
            self.log
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(WebhookDelivery {
                    url: url.clone(),
                    provider: provider.name().into(),
                    attempt,
                    payload: payload.clone(),
                    outcome,
                    timestamp,
                });
            if ok {
                return;
            }
            if let Some(&wait) = retries.get(attempt as usize - 1) {
                tokio::time::sleep(self.scaled(wait)).await;
            }
        }
    }
}
