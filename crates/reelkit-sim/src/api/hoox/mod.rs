//! Hoox public API simulation (`/api/public/v1/...`, hoox.md): routing, auth (§1.2), the
//! sliding-window rate limit with `X-RateLimit-*` headers (§1.3) and the request context
//! [`Cx`] that every endpoint file extends: the 21 current endpoints (§2–3) plus the legacy
//! `/resources/voices|avatars`, job lifecycles, credits (§4) and webhooks (§5).
//!
//! One file per resource: `script.rs`, `generation.rs` (+ `plan.rs`, the `sequence_plan`),
//! `export.rs` (export and duplicate), `avatar.rs`, `voices.rs`, `asset.rs`, `folders.rs`;
//! records and seeds in `state.rs`, seed data in `catalog.rs` and `asset_models.rs`, error
//! shapes in `reply.rs`.
//!
//! Error shapes used:
//! - auth/rate errors: shape 3 (`{"error", "details":[{code, message}]}`; flat
//!   `{"error", "code"}` on `/script/generate`);
//! - request validation: `Validation failed` + `details[]` with `field`;
//! - 402: flat `{"error": "Insufficient credits. Required: X, Available: Y",
//!   "code": "INSUFFICIENT_CREDITS"}` (`insufficient_credits` on `/script/generate`, as
//!   documented there);
//! - errors of the Oct-2025 server routes (generation, export, status): shape 1;
//! - errors whose shape is undocumented (duplicate, avatar, voice, asset and model 404s):
//!   both forms at once, `{"error", "code", "details"}`.
//!
//! Seeds: see `state.rs`. Webhook URLs may be http on the loopback (tests).

mod asset;
mod asset_models;
mod avatar;
pub(crate) mod catalog;
mod export;
mod folders;
mod generation;
mod plan;
mod reply;
mod script;
mod state;
mod voices;

#[cfg(test)]
mod tests;

pub(crate) use state::HooxState;

use super::credits::Provider;
use super::util::{self, unix_now};
use super::validate::{present, Details};
use super::{ratelimit, Inner, State};
use crate::types::{SimRequest, SimResponse};
use reply::{err1, flat, insufficient};
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::Instant;

/// In a prompt, script or plan: the job ends `failed`.
const FAIL: &str = "SIMULATE_FAILURE";
/// In a prompt: script generation answers 500.
const SCRIPT_ERROR: &str = "SIMULATE_SCRIPT_ERROR";
/// In a video's prompt or script: its exports fail.
const EXPORT_FAIL: &str = "SIMULATE_EXPORT_FAILURE";
/// Ten years: lifetime of catalogue thumbnail/preview URLs.
const FAR: f64 = 10.0 * 365.0 * 86_400.0;

// ---------------------------------------------------------------------------------------
// Routing, auth, rate limit

enum Route {
    ScriptGenerate,
    GenStart,
    GenStatus(String),
    ExportStart,
    ExportStatus(String),
    Duplicate,
    VoiceList,
    VoiceGet(String),
    AvatarList,
    AvatarGet(String),
    AvatarLook(String, String),
    AvatarStatus,
    AvatarCreate,
    AvatarEdit,
    AssetModels,
    AssetModel(String),
    AssetPricing,
    AssetStart,
    AssetStatus(String),
    FolderCreate,
    FolderList,
    ResVoices,
    ResAvatars,
}

fn route(rest: &str) -> Option<(&'static str, Route)> {
    let segs: Vec<String> = rest.split('/').map(util::pct_decode).collect();
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let id = |i: usize| s[i].to_string();
    Some(match s.as_slice() {
        ["script", "generate"] => ("POST", Route::ScriptGenerate),
        ["generation", "start"] => ("POST", Route::GenStart),
        ["generation", "status", x] if !x.is_empty() => ("GET", Route::GenStatus(id(2))),
        ["export", "start"] => ("POST", Route::ExportStart),
        ["export", "status", x] if !x.is_empty() => ("GET", Route::ExportStatus(id(2))),
        ["video", "duplicate"] => ("POST", Route::Duplicate),
        ["voice", "list"] => ("GET", Route::VoiceList),
        ["voice", x] if !x.is_empty() => ("GET", Route::VoiceGet(id(1))),
        ["avatar", "list"] => ("GET", Route::AvatarList),
        ["avatar", "status"] => ("GET", Route::AvatarStatus),
        ["avatar", "create"] => ("POST", Route::AvatarCreate),
        ["avatar", "edit"] => ("POST", Route::AvatarEdit),
        ["avatar", x] if !x.is_empty() => ("GET", Route::AvatarGet(id(1))),
        ["avatar", a, "look", l] if !a.is_empty() && !l.is_empty() => {
            ("GET", Route::AvatarLook(id(1), id(3)))
        }
        ["asset", "models"] => ("GET", Route::AssetModels),
        ["asset", "models", x] if !x.is_empty() => ("GET", Route::AssetModel(id(2))),
        ["asset", "pricing"] => ("POST", Route::AssetPricing),
        ["asset", "start"] => ("POST", Route::AssetStart),
        ["asset", "status", x] if !x.is_empty() => ("GET", Route::AssetStatus(id(2))),
        ["folder", "create"] => ("POST", Route::FolderCreate),
        ["folder", "list"] => ("GET", Route::FolderList),
        ["resources", "voices"] => ("GET", Route::ResVoices),
        ["resources", "avatars"] => ("GET", Route::ResAvatars),
        _ => return None,
    })
}

/// Shape 3, or the flat shape of `/script/generate`.
fn auth_error(status: u16, msg: &str, code: &str, flat_shape: bool) -> SimResponse {
    if flat_shape {
        flat(status, msg, code)
    } else {
        err1(status, msg, code, msg, None)
    }
}

fn authenticate(inner: &Inner, req: &SimRequest, flat_shape: bool) -> Result<(), SimResponse> {
    let header = req.header("authorization").map(str::trim).unwrap_or("");
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .unwrap_or(header)
        .trim();
    let refusal = if header.is_empty() {
        Some((401, "Missing API key", "invalid_api_key"))
    } else if !token.starts_with("hx_") {
        Some((401, "Invalid API key format", "invalid_api_key"))
    } else if token != inner.cfg.hoox_api_key {
        Some((401, "Invalid API key", "invalid_api_key"))
    } else if !inner.cfg.hoox_enterprise {
        Some((
            403,
            "Enterprise plan required for API access",
            "plan_required",
        ))
    } else {
        None
    };
    match refusal {
        Some((status, msg, code)) => Err(auth_error(status, msg, code, flat_shape)),
        None => Ok(()),
    }
}

pub(crate) fn handle(inner: &Arc<Inner>, req: &SimRequest, rest: &str) -> SimResponse {
    let Some((method, r)) = route(rest) else {
        return err1(
            404,
            "Not found",
            "not_found",
            &format!("No endpoint {} /api/public/v1/{rest}", req.method),
            None,
        );
    };
    if req.method != method {
        return err1(
            405,
            "Method not allowed",
            "method_not_allowed",
            &format!("Use {method} for this endpoint"),
            None,
        )
        .with_header("allow", method);
    }
    let flat_shape = matches!(r, Route::ScriptGenerate);
    if let Err(resp) = authenticate(inner, req, flat_shape) {
        return resp;
    }
    let now = Instant::now();
    let mut guard = inner.lock();
    let st: &mut State = &mut guard;
    let (limit, window) = (inner.cfg.rate_limit_per_minute, inner.cfg.rate_limit_window);
    let verdict = (limit > 0).then(|| {
        let sent = st.rate.entry(inner.cfg.hoox_api_key.clone()).or_default();
        ratelimit::count(sent, limit, window, now)
    });
    let resp = match &verdict {
        Some(v) if !v.allowed => {
            st.rate_limited += 1;
            let msg = ratelimit::exceeded_message(limit, window);
            auth_error(429, &msg, "rate_limit_exceeded", flat_shape)
        }
        _ => Cx { inner, st, now }.dispatch(req, r),
    };
    drop(guard);
    match verdict {
        Some(v) => {
            let [a, b, c] = v.headers;
            resp.with_header(a.0, a.1)
                .with_header(b.0, b.1)
                .with_header(c.0, c.1)
        }
        None => resp,
    }
}

// ---------------------------------------------------------------------------------------
// The request context

/// One request's view of the simulator: the shared parts, the locked state, and the
/// instant the request is evaluated at. Each endpoint file adds its methods.
struct Cx<'a> {
    inner: &'a Arc<Inner>,
    st: &'a mut State,
    now: Instant,
}

impl Cx<'_> {
    fn dispatch(&mut self, req: &SimRequest, r: Route) -> SimResponse {
        let post =
            |f: fn(&mut Self, Map<String, Value>) -> SimResponse, cx: &mut Self| match reply::body(
                req,
            ) {
                Ok(b) => f(cx, b),
                Err(e) => e,
            };
        match r {
            Route::ScriptGenerate => post(Self::script_generate, self),
            Route::GenStart => post(Self::generation_start, self),
            Route::GenStatus(id) => self.generation_status(&id),
            Route::ExportStart => post(Self::export_start, self),
            Route::ExportStatus(id) => self.export_status(&id),
            Route::Duplicate => post(Self::duplicate, self),
            Route::VoiceList => self.voice_list(req, false),
            Route::ResVoices => self.voice_list(req, true),
            Route::VoiceGet(id) => self.voice_get(&id),
            Route::AvatarList => self.avatar_list(req, false),
            Route::ResAvatars => self.avatar_list(req, true),
            Route::AvatarGet(id) => self.avatar_get(&id),
            Route::AvatarLook(a, l) => self.avatar_look(&a, &l),
            Route::AvatarStatus => self.avatar_status(req),
            Route::AvatarCreate => post(Self::avatar_create, self),
            Route::AvatarEdit => post(Self::avatar_edit, self),
            Route::AssetModels => asset::model_list(req),
            Route::AssetModel(name) => asset::model_detail(&name),
            Route::AssetPricing => post(Self::asset_pricing, self),
            Route::AssetStart => post(Self::asset_start, self),
            Route::AssetStatus(id) => self.asset_status(&id),
            Route::FolderCreate => post(Self::folder_create, self),
            Route::FolderList => self.folder_list(req),
        }
    }

    fn hoox(&mut self) -> &mut HooxState {
        &mut self.st.hoox
    }

    fn debit(&mut self, amount: f64, code: &str) -> Result<(), SimResponse> {
        self.st
            .ledger
            .debit(Provider::Hoox, amount, self.now)
            .map_err(|avail| insufficient(amount, avail, code))
    }

    /// Delivers a Hoox webhook to `url` (if any) `delay` seconds from now, its payload
    /// built from the Hoox state at that moment.
    fn notify<F>(&self, url: Option<String>, delay: f64, payload: F)
    where
        F: FnOnce(&Inner, &HooxState) -> Option<Value> + Send + 'static,
    {
        if let Some(url) = url {
            self.inner
                .notify_later(Provider::Hoox, url, delay, move |inner, st| {
                    payload(inner, &st.hoox)
                });
        }
    }
}

/// A long-lived signed URL of a thumbnail or preview.
fn thumb_url(inner: &Inner, name: &str) -> String {
    inner.media.url_until(
        &inner.base,
        name,
        (unix_now() + FAR) as u64 / 86_400 * 86_400,
    )
}

// ---------------------------------------------------------------------------------------
// Rules shared by generation and export

use super::rules::HOOX_VIDEO_FORMATS as FORMATS;

/// The optional `format` of a video.
fn video_format(v: &mut Details, b: &Map<String, Value>) -> Option<String> {
    let f = present(b, "format")?;
    match f.as_str() {
        Some(s) if FORMATS.contains(&s) => Some(s.to_string()),
        _ => {
            v.add(
                "invalid_format",
                "Invalid format. Must be one of: vertical, square, ads, custom, horizontal",
                Some("format"),
            );
            None
        }
    }
}

/// The optional `width` and `height` of a `custom` video (1 to 5000).
fn custom_dims(v: &mut Details, b: &Map<String, Value>) -> [Option<f64>; 2] {
    let mut dims = [None, None];
    for (i, k) in ["width", "height"].into_iter().enumerate() {
        if let Some(x) = present(b, k) {
            match x.as_f64() {
                Some(n) if (1.0..=5000.0).contains(&n) => dims[i] = Some(n),
                _ => v.add(
                    "invalid_value",
                    format!("{k} must be a number between 1 and 5000"),
                    Some(k),
                ),
            }
        }
    }
    dims
}
