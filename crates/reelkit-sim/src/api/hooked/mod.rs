//! Hooked public API simulation (`/v1/...`, also `/api/v1/...`; hooked.md): routing,
//! `x-api-key` auth, the `{success, message, data}` envelope and error envelope (§3),
//! paging, and the request context [`Cx`] that every endpoint file extends. Validation
//! messages are Zod-style `"<path>: <message>"` (400, `code: "VALIDATION_ERROR"`,
//! `details` maps each path to its message; see `validate.rs`).
//!
//! One file per family: `projects/` (the `/project/create/*` endpoints of §5, video
//! lifecycle `STARTED` → `COMPLETED` | `FAILED`), `videos.rs`, `schedules.rs`,
//! `search.rs` (social search, rows 30–31), `catalogue.rs` (avatars, voices, music,
//! templates, integrations, niches, trends); records and seeds in `state.rs`.
//!
//! Choices where the notes are silent: creates answer 200; every video costs 5 credits
//! (debited at creation, refunded on failure; 402 `INSUFFICIENT_CREDITS` when short);
//! `/project/create` (template) also returns `videoId`; hook-demo completes immediately;
//! pending schedules become `published` (or `failed` on an expired integration) once their
//! time has passed; only `pending` schedules can be updated or deleted. No rate limit.
//! Webhooks `project.completed` / `project.failed` (§7); their URLs must be HTTPS
//! (≤ 500 chars), except http on the loopback (tests).

mod catalogue;
mod projects;
mod schedules;
mod search;
mod state;
mod videos;

#[cfg(test)]
mod tests;

pub(crate) use state::HookedState;

use super::util::pct_decode;
use super::validate::Issues;
use super::{Inner, State};
use crate::types::{SimRequest, SimResponse};
use serde_json::{json, Map, Value};
use std::sync::Arc;
use std::time::Instant;

// ---------------------------------------------------------------------------------------
// Envelope

fn ok(message: Option<&str>, data: Value) -> SimResponse {
    let mut v = json!({"success": true});
    if let Some(m) = message {
        v["message"] = json!(m);
    }
    v["data"] = data;
    SimResponse::json(200, &v)
}

fn fail(status: u16, message: &str, code: Option<&str>) -> SimResponse {
    let mut v = json!({"success": false, "message": message});
    if let Some(c) = code {
        v["code"] = json!(c);
    }
    SimResponse::json(status, &v)
}

// ---------------------------------------------------------------------------------------
// Routing and auth

enum Route {
    VideoGet(String),
    VideoList,
    AvatarList,
    VoiceList,
    MusicList,
    TemplateList,
    TemplateGet(String),
    Create(&'static str),
    ScheduleCreate,
    ScheduleList,
    Schedule(String),
    IntegrationList,
    IntegrationGet(String),
    Trends,
    Niches,
    SearchCreate,
    SearchGet(String),
}

/// The project kinds of `/project/create/{kind}`.
const CREATE_KINDS: &[&str] = &[
    "ugc-ads",
    "talking-avatar",
    "ugc-video",
    "script-to-video",
    "prompt-to-video",
    "hook-demo",
    "product-ads",
    "scenes",
    "add-captions",
    "extend-video",
    "remove-background",
    "tiktok-slideshow",
];

/// The route, or `Err("not_found")`, or `Err(allowed methods)`.
fn route(method: &str, rest: &str) -> Result<Route, &'static str> {
    let segs: Vec<String> = rest.split('/').map(pct_decode).collect();
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let (m, r) = match s.as_slice() {
        ["video", "list"] => ("GET", Route::VideoList),
        ["video", id] if !id.is_empty() => ("GET", Route::VideoGet(id.to_string())),
        ["avatar", "list"] => ("GET", Route::AvatarList),
        ["voice", "list"] => ("GET", Route::VoiceList),
        ["music", "list"] => ("GET", Route::MusicList),
        ["template", "list"] => ("GET", Route::TemplateList),
        ["template", id] if !id.is_empty() => ("GET", Route::TemplateGet(id.to_string())),
        ["project", "create"] => ("POST", Route::Create("template")),
        ["project", "create", kind] => match CREATE_KINDS.iter().copied().find(|k| k == kind) {
            Some(k) => ("POST", Route::Create(k)),
            None => return Err("not_found"),
        },
        ["schedule", "create"] => ("POST", Route::ScheduleCreate),
        ["schedule", "list"] => ("GET", Route::ScheduleList),
        ["schedule", id] if !id.is_empty() => {
            if !matches!(method, "GET" | "PATCH" | "DELETE") {
                return Err("GET, PATCH, DELETE");
            }
            return Ok(Route::Schedule(id.to_string()));
        }
        ["integration", "list"] => ("GET", Route::IntegrationList),
        ["integration", id] if !id.is_empty() => ("GET", Route::IntegrationGet(id.to_string())),
        ["trends", "videos"] => ("GET", Route::Trends),
        ["niche", "list"] => ("GET", Route::Niches),
        ["social", "search", "create"] => ("POST", Route::SearchCreate),
        ["social", "search", id] if !id.is_empty() => ("GET", Route::SearchGet(id.to_string())),
        _ => return Err("not_found"),
    };
    if m != method {
        return Err(m);
    }
    Ok(r)
}

pub(crate) fn handle(inner: &Arc<Inner>, req: &SimRequest, rest: &str) -> SimResponse {
    let r = match route(&req.method, rest) {
        Ok(r) => r,
        Err("not_found") => return fail(404, "Route not found", Some("NOT_FOUND")),
        Err(allowed) => {
            return fail(405, "Method not allowed", Some("METHOD_NOT_ALLOWED"))
                .with_header("allow", allowed)
        }
    };
    match req.header("x-api-key").map(str::trim) {
        None | Some("") => return fail(401, "API key is required", Some("MISSING_API_KEY")),
        Some(k) if k != inner.cfg.hooked_api_key => return fail(401, "Invalid API key", None),
        _ => {}
    }
    let body = if matches!(req.method.as_str(), "POST" | "PATCH") {
        match req.json() {
            Ok(None) => Map::new(),
            Ok(Some(Value::Object(m))) => m,
            Ok(Some(v)) => {
                let mut z = Issues::default();
                z.wrong_type("", "object", &v);
                return z.into_response();
            }
            Err(_) => return fail(400, "Invalid JSON body", Some("INVALID_JSON")),
        }
    } else {
        Map::new()
    };
    let now = Instant::now();
    let mut guard = inner.lock();
    let mut cx = Cx {
        inner,
        st: &mut guard,
        now,
    };
    cx.dispatch(req, r, body)
}

// ---------------------------------------------------------------------------------------
// The request context and paging

/// One request's view of the simulator: the shared parts, the locked state, and the
/// instant the request is evaluated at. Each endpoint file adds its methods.
struct Cx<'a> {
    inner: &'a Arc<Inner>,
    st: &'a mut State,
    now: Instant,
}

impl Cx<'_> {
    fn dispatch(&mut self, req: &SimRequest, r: Route, body: Map<String, Value>) -> SimResponse {
        match r {
            Route::VideoGet(id) => self.video_get(&id),
            Route::VideoList => self.video_list(req),
            Route::AvatarList => catalogue::avatar_list(req),
            Route::VoiceList => ok(
                Some("Voices fetched successfully"),
                catalogue::voices_json(),
            ),
            Route::MusicList => ok(Some("Music fetched successfully"), catalogue::music_json()),
            Route::TemplateList => catalogue::template_list(),
            Route::TemplateGet(id) => catalogue::template_get(&id),
            Route::Create(kind) => self.create(kind, body),
            Route::ScheduleCreate => self.schedule_create(body),
            Route::ScheduleList => self.schedule_list(req),
            Route::Schedule(id) => match req.method.as_str() {
                "GET" => self.schedule_get(&id),
                "PATCH" => self.schedule_patch(&id, body),
                _ => self.schedule_delete(&id),
            },
            Route::IntegrationList => catalogue::integration_list(),
            Route::IntegrationGet(id) => catalogue::integration_get(&id),
            Route::Trends => self.trends(req),
            Route::Niches => ok(
                Some("Niches fetched successfully"),
                catalogue::niches_json(),
            ),
            Route::SearchCreate => self.search_create(body),
            Route::SearchGet(id) => self.search_get(req, &id),
        }
    }
}

/// `limit` (1 to `max`, default `default`) and `offset` query parameters.
fn paging(req: &SimRequest, default: u64, max: u64) -> Result<(u64, u64), SimResponse> {
    let mut z = Issues::default();
    let mut get = |k: &str, def: u64, min: u64, max: u64| -> u64 {
        match req.query_param(k) {
            None | Some("") => def,
            Some(s) => match s.trim().parse::<f64>() {
                Err(_) => {
                    z.issue(k, "Expected number, received nan");
                    def
                }
                Ok(x) if x.fract() != 0.0 => {
                    z.issue(k, "Expected integer, received float");
                    def
                }
                Ok(x) if x < min as f64 => {
                    z.issue(k, format!("Number must be greater than or equal to {min}"));
                    def
                }
                Ok(x) if x > max as f64 => {
                    z.issue(k, format!("Number must be less than or equal to {max}"));
                    def
                }
                Ok(x) => x as u64,
            },
        }
    };
    let limit = get("limit", default, 1, max);
    let offset = get("offset", 0, 0, u64::MAX);
    if z.ok() {
        Ok((limit, offset))
    } else {
        Err(z.into_response())
    }
}

fn page<T: Clone>(items: &[T], limit: u64, offset: u64) -> Vec<T> {
    items
        .iter()
        .skip(offset.min(usize::MAX as u64) as usize)
        .take(limit as usize)
        .cloned()
        .collect()
}

/// A query parameter outside its enum: the Zod issue for `key`.
fn bad_query_enum(key: &str, allowed: &[&str], got: &str) -> SimResponse {
    let mut z = Issues::default();
    z.issue(
        key,
        super::validate::enum_message(allowed, &Value::String(got.into())),
    );
    z.into_response()
}
