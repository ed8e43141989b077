//! Hoox public API simulation (`/api/public/v1/...`, hoox.md): auth (§1.2), sliding-window
//! rate limit with `X-RateLimit-*` headers (§1.3), the three error shapes (§1.4), the 21
//! current endpoints (§2–3) plus the legacy `/resources/voices|avatars`, job lifecycles,
//! credits (§4) and webhooks (§5).
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
//! Seeds (besides the catalogue of `hoox_catalog.rs`): done videos `vid_seed_done` (image
//! look `look_123`, 30 s), `vid_seed_no_avatar`, `vid_seed_veo3` (`use_veo3`),
//! `vid_seed_video_look` (video-based look `look_alex_video`), `vid_seed_export_fails`
//! (its exports fail); `vid_seed_processing` (never done: `VIDEO_NOT_READY`);
//! `vid_other_space` and job `run_other_space` (another space: 403); folders
//! `662f8c1d3a4b5e6f70123456` (assets, "Summer Campaign") with subfolder
//! `662f8c1d3a4b5e6f70987654`, and `662f8c1d3a4b5e6f70abcdef` (videos).
//! Webhook URLs may be http on the loopback (tests).

use super::credits::{self, Provider};
use super::hoox_catalog::{self as cat, AssetModel};
use super::util::{
    self, csv_lower, fmt_num, is_http_url, iso, new_id, num, object_id, round2, truthy, unix_now,
};
use super::{Inner, State, Timing};
use crate::types::{SimRequest, SimResponse};
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

const FAIL: &str = "SIMULATE_FAILURE";
const SCRIPT_ERROR: &str = "SIMULATE_SCRIPT_ERROR";
const EXPORT_FAIL: &str = "SIMULATE_EXPORT_FAILURE";
const FORMATS: &[&str] = &["vertical", "square", "ads", "custom", "horizontal"];
/// Ten years: lifetime of catalogue thumbnail/preview URLs.
const FAR: f64 = 10.0 * 365.0 * 86_400.0;

// ---------------------------------------------------------------------------------------
// State

pub struct Voice {
    pub id: String,
    pub name: String,
    pub language: String,
    pub accent: String,
    pub gender: String,
    pub tags: Vec<String>,
    pub space: bool,
}

pub struct LookGen {
    pub t: Timing,
    pub fail: bool,
}

pub struct Look {
    pub id: String,
    pub avatar_id: String,
    pub name: String,
    pub place: Option<String>,
    pub accessories: Vec<String>,
    pub action: Option<String>,
    pub emotion: Option<String>,
    pub selfie: bool,
    pub format: String,
    pub tags: Vec<String>,
    /// Video-based look: has a preview and only the `standard` model.
    pub video: bool,
    pub gen: Option<LookGen>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LookStatus {
    Pending,
    Processing,
    Ready,
    Error,
}

impl Look {
    pub fn status(&self, now: Instant) -> LookStatus {
        match &self.gen {
            None => LookStatus::Ready,
            Some(g) => {
                let f = g.t.fraction(now);
                if f >= 1.0 {
                    if g.fail {
                        LookStatus::Error
                    } else {
                        LookStatus::Ready
                    }
                } else if f < 0.15 {
                    LookStatus::Pending
                } else {
                    LookStatus::Processing
                }
            }
        }
    }

    fn model_available(&self) -> Value {
        if self.video {
            json!(["standard"])
        } else {
            json!(cat::IMAGE_LOOK_MODELS)
        }
    }
}

pub struct Avatar {
    pub id: String,
    pub name: Option<String>,
    pub gender: Option<String>,
    pub age: Option<String>,
    pub age_range: Option<String>,
    pub ethnicity: Option<String>,
    pub hair_color: Option<String>,
    pub looks: Vec<String>,
    pub space: bool,
    pub created_unix: Option<f64>,
}

pub struct GenJob {
    pub id: String,
    pub t: Timing,
    pub cost: f64,
    pub fail: bool,
    pub video_id: String,
    pub steps: Vec<&'static str>,
}

pub struct HVideo {
    pub id: String,
    pub other_space: bool,
    /// The generation's timing; the video is `done` once it is over (and did not fail).
    pub ready: Timing,
    pub gen_failed: bool,
    pub never_ready: bool,
    pub look_id: Option<String>,
    pub has_avatar: bool,
    pub use_veo3: bool,
    pub duration: f64,
    pub format: String,
    pub width: Option<f64>,
    pub height: Option<f64>,
    pub voice_id: Option<String>,
    pub script: String,
    pub export_fails: bool,
}

#[derive(PartialEq, Eq, Debug)]
enum VState {
    Missing,
    Processing,
    Done,
}

impl HVideo {
    fn state(&self, now: Instant) -> VState {
        if self.gen_failed && self.ready.done(now) {
            VState::Missing
        } else if self.never_ready || !self.ready.done(now) {
            VState::Processing
        } else {
            VState::Done
        }
    }
}

pub struct ExportJob {
    pub id: String,
    pub t: Timing,
    pub video_id: String,
    pub cost: f64,
    pub fail: bool,
}

pub struct Asset {
    pub id: String,
    pub t: Timing,
    pub kind: &'static str,
    pub model: &'static str,
    pub prompt: String,
    pub aspect_ratio: Option<String>,
    pub resolution: Option<&'static str>,
    pub duration: Option<u32>,
    pub cost: f64,
    pub fail: bool,
    pub width: u32,
    pub height: u32,
}

pub struct Folder {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub parent: Option<String>,
    pub created_unix: f64,
}

pub(crate) struct HooxState {
    voices: Vec<Voice>,
    avatars: Vec<Avatar>,
    looks: HashMap<String, Look>,
    gens: HashMap<String, GenJob>,
    videos: HashMap<String, HVideo>,
    exports: HashMap<String, ExportJob>,
    assets: HashMap<String, Asset>,
    folders: Vec<Folder>,
    other_space_jobs: HashSet<String>,
}

impl HooxState {
    pub fn seed(_base: &str, _media: &super::media::Media) -> Self {
        let now = unix_now();
        let voices = cat::VOICES
            .iter()
            .map(|v| Voice {
                id: v.id.into(),
                name: v.name.into(),
                language: v.language.into(),
                accent: v.accent.into(),
                gender: v.gender.into(),
                tags: v.tags.iter().map(|t| t.to_string()).collect(),
                space: v.space,
            })
            .collect();
        let mut avatars = Vec::new();
        let mut looks = HashMap::new();
        for a in cat::AVATARS {
            avatars.push(Avatar {
                id: a.id.into(),
                name: Some(a.name.into()),
                gender: Some(a.gender.into()),
                age: Some(a.age.into()),
                age_range: Some(a.age_range.into()),
                ethnicity: Some(a.ethnicity.into()),
                hair_color: Some(a.hair_color.into()),
                looks: a.looks.iter().map(|l| l.id.to_string()).collect(),
                space: a.space,
                created_unix: Some(1_705_314_600.0),
            });
            for l in a.looks {
                looks.insert(
                    l.id.to_string(),
                    Look {
                        id: l.id.into(),
                        avatar_id: a.id.into(),
                        name: l.name.into(),
                        place: Some(l.place.into()),
                        accessories: l.accessories.iter().map(|s| s.to_string()).collect(),
                        action: Some(l.action.into()),
                        emotion: Some(l.emotion.into()),
                        selfie: l.selfie,
                        format: l.format.into(),
                        tags: l.tags.iter().map(|s| s.to_string()).collect(),
                        video: l.video,
                        gen: None,
                    },
                );
            }
        }
        let done = Timing::done_at(now - 86_400.0);
        let video = |id: &str, look: Option<&str>, video_look: bool| HVideo {
            id: id.into(),
            other_space: false,
            ready: done,
            gen_failed: false,
            never_ready: false,
            look_id: look.map(str::to_string),
            has_avatar: look.is_some(),
            use_veo3: false,
            duration: 30.0,
            format: "vertical".into(),
            width: None,
            height: None,
            voice_id: Some("voice_en_us_female_sarah".into()),
            script: if video_look {
                "A seeded video rendered with a video-based look.".into()
            } else {
                "Stop scrolling. Here are three habits that will change your mornings.".into()
            },
            export_fails: false,
        };
        let mut videos = HashMap::new();
        let mut add = |v: HVideo| {
            videos.insert(v.id.clone(), v);
        };
        add(video("vid_seed_done", Some("look_123"), false));
        add(video("vid_seed_no_avatar", None, false));
        add(HVideo {
            use_veo3: true,
            ..video("vid_seed_veo3", Some("look_123"), false)
        });
        add(video("vid_seed_video_look", Some("look_alex_video"), true));
        add(HVideo {
            export_fails: true,
            ..video("vid_seed_export_fails", Some("look_123"), false)
        });
        add(HVideo {
            never_ready: true,
            ..video("vid_seed_processing", Some("look_123"), false)
        });
        add(HVideo {
            other_space: true,
            ..video("vid_other_space", Some("look_123"), false)
        });
        let folders = vec![
            Folder {
                id: "662f8c1d3a4b5e6f70123456".into(),
                name: "Summer Campaign".into(),
                kind: "assets".into(),
                parent: None,
                created_unix: 1_781_863_200.0,
            },
            Folder {
                id: "662f8c1d3a4b5e6f70987654".into(),
                name: "Hero shots".into(),
                kind: "assets".into(),
                parent: Some("662f8c1d3a4b5e6f70123456".into()),
                created_unix: 1_781_863_500.0,
            },
            Folder {
                id: "662f8c1d3a4b5e6f70abcdef".into(),
                name: "Client videos".into(),
                kind: "videos".into(),
                parent: None,
                created_unix: 1_781_863_800.0,
            },
        ];
        HooxState {
            voices,
            avatars,
            looks,
            gens: HashMap::new(),
            videos,
            exports: HashMap::new(),
            assets: HashMap::new(),
            folders,
            other_space_jobs: ["run_other_space".to_string()].into_iter().collect(),
        }
    }

    fn avatar(&self, id: &str) -> Option<&Avatar> {
        self.avatars.iter().find(|a| a.id == id)
    }
}

// ---------------------------------------------------------------------------------------
// Responses

fn detail(code: &str, message: &str, field: Option<&str>) -> Value {
    let mut d = json!({"code": code, "message": message});
    if let Some(f) = field {
        d["field"] = json!(f);
    }
    d
}

/// Shape 1 with one detail.
fn err1(status: u16, error: &str, code: &str, message: &str, field: Option<&str>) -> SimResponse {
    SimResponse::json(
        status,
        &json!({"error": error, "details": [detail(code, message, field)]}),
    )
}

/// Shape 2 (flat).
fn flat(status: u16, error: &str, code: &str) -> SimResponse {
    SimResponse::json(status, &json!({"error": error, "code": code}))
}

/// Both forms, for routes whose error shape is undocumented.
fn combo(status: u16, error: &str, code: &str, field: Option<&str>) -> SimResponse {
    SimResponse::json(
        status,
        &json!({"error": error, "code": code, "details": [detail(code, error, field)]}),
    )
}

fn insufficient(required: f64, available: f64, code: &str) -> SimResponse {
    flat(
        402,
        &format!(
            "Insufficient credits. Required: {}, Available: {}",
            fmt_num(required),
            fmt_num(available.max(0.0))
        ),
        code,
    )
}

/// Collects validation problems into `{"error": "Validation failed", "details": [...]}`.
#[derive(Default)]
struct V {
    d: Vec<Value>,
}

fn present<'a>(b: &'a Map<String, Value>, k: &str) -> Option<&'a Value> {
    b.get(k).filter(|v| !v.is_null())
}

impl V {
    fn add(&mut self, code: &str, message: impl AsRef<str>, field: Option<&str>) {
        self.d.push(detail(code, message.as_ref(), field));
    }

    fn ok(&self) -> bool {
        self.d.is_empty()
    }

    fn into_response(self) -> SimResponse {
        SimResponse::json(
            400,
            &json!({"error": "Validation failed", "details": self.d}),
        )
    }

    fn str_opt(&mut self, b: &Map<String, Value>, k: &str) -> Option<String> {
        match present(b, k)? {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.add("invalid_type", format!("{k} must be a string"), Some(k));
                None
            }
        }
    }

    fn num_opt(&mut self, b: &Map<String, Value>, k: &str) -> Option<f64> {
        match present(b, k)? {
            Value::Number(n) => n.as_f64(),
            _ => {
                self.add("invalid_type", format!("{k} must be a number"), Some(k));
                None
            }
        }
    }

    fn bool_opt(&mut self, b: &Map<String, Value>, k: &str) -> Option<bool> {
        match present(b, k)? {
            Value::Bool(x) => Some(*x),
            _ => {
                self.add("invalid_type", format!("{k} must be a boolean"), Some(k));
                None
            }
        }
    }

    fn url_opt(&mut self, b: &Map<String, Value>, k: &str, code: &str) -> Option<String> {
        let v = present(b, k)?;
        match v.as_str() {
            Some(s) if is_http_url(s) => Some(s.to_string()),
            _ => {
                self.add(code, format!("{k} must be a valid URL"), Some(k));
                None
            }
        }
    }

    /// An optional array of URL strings; bad items get `code` at `k[i]`.
    fn url_list(&mut self, b: &Map<String, Value>, k: &str, code: &str) -> Vec<String> {
        let Some(v) = present(b, k) else {
            return vec![];
        };
        let Some(arr) = v.as_array() else {
            self.add("invalid_type", format!("{k} must be an array"), Some(k));
            return vec![];
        };
        let mut out = Vec::with_capacity(arr.len());
        for (i, item) in arr.iter().enumerate() {
            match item.as_str() {
                Some(s) if is_http_url(s) => out.push(s.to_string()),
                Some(_) => self.add(
                    code,
                    format!("{k}[{i}] must be a valid URL"),
                    Some(&format!("{k}[{i}]")),
                ),
                None => self.add(
                    "invalid_type",
                    format!("{k}[{i}] must be a string"),
                    Some(&format!("{k}[{i}]")),
                ),
            }
        }
        out
    }
}

fn body(req: &SimRequest) -> Result<Map<String, Value>, SimResponse> {
    match req.json() {
        Ok(None) => Ok(Map::new()),
        Ok(Some(Value::Object(m))) => Ok(m),
        Ok(Some(_)) => Err(err1(
            400,
            "Validation failed",
            "invalid_type",
            "Request body must be a JSON object",
            None,
        )),
        Err(e) => Err(err1(
            400,
            "Invalid JSON in request body",
            "invalid_json",
            &e.to_string(),
            None,
        )),
    }
}

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

fn auth_error(status: u16, msg: &str, code: &str, flat_shape: bool) -> SimResponse {
    if flat_shape {
        flat(status, msg, code)
    } else {
        err1(status, msg, code, msg, None)
    }
}

fn authenticate(inner: &Inner, req: &SimRequest, flat_shape: bool) -> Result<(), SimResponse> {
    let header = req.header("authorization").map(str::trim).unwrap_or("");
    if header.is_empty() {
        return Err(auth_error(
            401,
            "Missing API key",
            "invalid_api_key",
            flat_shape,
        ));
    }
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .unwrap_or(header)
        .trim();
    if !token.starts_with("hx_") {
        return Err(auth_error(
            401,
            "Invalid API key format",
            "invalid_api_key",
            flat_shape,
        ));
    }
    if token != inner.cfg.hoox_api_key {
        return Err(auth_error(
            401,
            "Invalid API key",
            "invalid_api_key",
            flat_shape,
        ));
    }
    if !inner.cfg.hoox_enterprise {
        return Err(auth_error(
            403,
            "Enterprise plan required for API access",
            "plan_required",
            flat_shape,
        ));
    }
    Ok(())
}

/// Sliding 60 s window; `Ok(Some(headers))` to add to the route's answer.
fn rate_limit(
    inner: &Inner,
    st: &mut State,
    now: Instant,
    flat_shape: bool,
) -> Result<Option<[(&'static str, String); 3]>, SimResponse> {
    let limit = inner.cfg.rate_limit_per_minute;
    if limit == 0 {
        return Ok(None);
    }
    let window = st.rate.entry(inner.cfg.hoox_api_key.clone()).or_default();
    while let Some(&t) = window.front() {
        if now.saturating_duration_since(t) >= Duration::from_secs(60) {
            window.pop_front();
        } else {
            break;
        }
    }
    if window.len() >= limit as usize {
        let msg = format!("Rate limit exceeded. Maximum {limit} requests per minute.");
        return Err(auth_error(429, &msg, "rate_limit_exceeded", flat_shape));
    }
    window.push_back(now);
    let remaining = limit as usize - window.len();
    let reset = ((unix_now() * 1000.0 + 60_000.0) / 1000.0).ceil() as u64;
    Ok(Some([
        ("x-ratelimit-limit", limit.to_string()),
        ("x-ratelimit-remaining", remaining.to_string()),
        ("x-ratelimit-reset", reset.to_string()),
    ]))
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
    let headers = match rate_limit(inner, st, now, flat_shape) {
        Ok(h) => h,
        Err(resp) => return resp,
    };
    let mut cx = Cx { inner, st, now };
    let resp = cx.dispatch(req, r);
    drop(guard);
    match headers {
        Some(h) if resp.status < 500 => {
            let [a, b, c] = h;
            resp.with_header(a.0, a.1)
                .with_header(b.0, b.1)
                .with_header(c.0, c.1)
        }
        _ => resp,
    }
}

struct Cx<'a> {
    inner: &'a Arc<Inner>,
    st: &'a mut State,
    now: Instant,
}

impl Cx<'_> {
    fn dispatch(&mut self, req: &SimRequest, r: Route) -> SimResponse {
        let post =
            |f: fn(&mut Self, Map<String, Value>) -> SimResponse, cx: &mut Self| match body(req) {
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
            Route::AssetModels => self.asset_models(req),
            Route::AssetModel(name) => match cat::asset_model(&name) {
                Some(m) => SimResponse::json(200, &m.detail()),
                None => combo(
                    404,
                    &format!("Model \"{name}\" not found"),
                    "MODEL_NOT_FOUND",
                    None,
                ),
            },
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
}

fn thumb_url(inner: &Inner, name: &str) -> String {
    inner.media.url_until(
        &inner.base,
        name,
        (unix_now() + FAR) as u64 / 86_400 * 86_400,
    )
}

// ---------------------------------------------------------------------------------------
// Script and generation

fn make_script(prompt: &str, seconds: f64) -> String {
    let topic: String = prompt
        .chars()
        .take(80)
        .collect::<String>()
        .trim()
        .to_string();
    let target = (seconds / 60.0 * 936.0).round().max(40.0) as usize;
    let lines = [
        "Here is what most people miss.",
        "It starts with one simple idea.",
        "Once you see it, you can't unsee it.",
        "Let's break it down step by step.",
        "First, focus on what matters most.",
        "Then keep it simple and consistent.",
        "The results speak for themselves.",
        "Try it today and see the difference.",
    ];
    let mut s = format!("Did you know this about {topic}? ");
    let mut i = 0;
    while s.chars().count() + 17 < target {
        s.push_str(lines[i % lines.len()]);
        s.push(' ');
        i += 1;
    }
    s.push_str("Follow for more.");
    s
}

const GEN_STEPS: &[&str] = &[
    "VOICE_GENERATION",
    "TRANSCRIPTION",
    "SEARCH_MEDIA",
    "ANALYZE_FOUND_MEDIA",
    "PLACE_BROLL",
    "DISPLAY_BROLL",
];

fn gen_status_json(
    inner: &Inner,
    st: &HooxState,
    j: &GenJob,
    now: Instant,
    terminal: bool,
) -> Value {
    let f = if terminal { 1.0 } else { j.t.fraction(now) };
    if f < 0.15 {
        return json!({"job_id": j.id, "status": "pending", "progress_step": 0, "current_step": "QUEUE"});
    }
    if f < 1.0 {
        let p = (f - 0.15) / 0.85;
        let idx = ((p * j.steps.len() as f64) as usize).min(j.steps.len() - 1);
        let progress = ((p * 100.0) as i64).clamp(1, 99);
        return json!({"job_id": j.id, "status": "processing", "progress_step": progress, "current_step": j.steps[idx]});
    }
    if j.fail {
        return json!({"job_id": j.id, "status": "failed", "progress_step": 25, "current_step": "VOICE_GENERATION",
                      "error": {"code": "GENERATION_FAILED", "message": "Video generation failed"}});
    }
    let duration = st
        .videos
        .get(&j.video_id)
        .map(|v| v.duration)
        .unwrap_or(0.0);
    json!({"job_id": j.id, "status": "completed", "progress_step": 100, "current_step": null,
           "result": {"video_id": j.video_id,
                      "thumbnail_url": thumb_url(inner, &format!("thumb_{}.png", j.video_id)),
                      "duration": num((duration * 10.0).round() / 10.0),
                      "cost": num(j.cost),
                      "created_at": iso(j.t.end_unix())}})
}

fn gen_webhook(inner: &Inner, st: &HooxState, j: &GenJob) -> Value {
    let s = gen_status_json(inner, st, j, Instant::now(), true);
    let mut p = json!({"task": "video_generate", "job_id": j.id, "status": s["status"]});
    if let Some(r) = s.get("result") {
        let mut r = r.clone();
        if let Some(o) = r.as_object_mut() {
            o.remove("duration");
        }
        p["result"] = r;
    }
    if let Some(e) = s.get("error") {
        p["error"] = e.clone();
    }
    p
}

const EXPORT_STEPS: &[&str] = &["render-audio", "avatar", "render"];

fn export_status_json(inner: &Inner, j: &ExportJob, now: Instant, terminal: bool) -> Value {
    let f = if terminal { 1.0 } else { j.t.fraction(now) };
    if f < 0.1 {
        return json!({"job_id": j.id, "status": "pending", "progress": 0, "current_step": null});
    }
    if f < 1.0 {
        let p = (f - 0.1) / 0.9;
        let idx = ((p * 3.0) as usize).min(2);
        let progress = ((p * 100.0) as i64).clamp(1, 99);
        return json!({"job_id": j.id, "status": "processing", "progress": progress, "current_step": EXPORT_STEPS[idx]});
    }
    if j.fail {
        return json!({"job_id": j.id, "status": "failed", "progress": 30, "current_step": "avatar",
                      "error": {"code": "EXPORT_FAILED", "message": "Video export failed"}});
    }
    let expires = (j.t.end_unix() + inner.cfg.url_ttl_seconds).ceil() as u64;
    json!({"job_id": j.id, "status": "completed", "progress": 100, "current_step": "render",
           "result": {"video_url": inner.media.url_until(&inner.base, &format!("export_{}.mp4", j.id), expires),
                      "thumbnail_url": thumb_url(inner, &format!("thumb_{}.png", j.video_id)),
                      "cost": num(j.cost),
                      "created_at": iso(j.t.end_unix())}})
}

fn export_webhook(inner: &Inner, j: &ExportJob) -> Value {
    let s = export_status_json(inner, j, Instant::now(), true);
    let mut p = json!({"task": "video_export", "job_id": j.id, "status": s["status"]});
    for k in ["result", "error"] {
        if let Some(v) = s.get(k) {
            p[k] = v.clone();
        }
    }
    p
}

impl Cx<'_> {
    fn script_generate(&mut self, b: Map<String, Value>) -> SimResponse {
        let mut v = V::default();
        let prompt = match b.get("prompt") {
            None | Some(Value::Null) => {
                v.add("missing_field", "prompt is required", Some("prompt"));
                None
            }
            Some(Value::String(s)) => {
                if s.trim().is_empty() {
                    v.add("invalid_value", "prompt cannot be empty", Some("prompt"));
                    None
                } else if s.chars().count() > 10_000 {
                    v.add(
                        "invalid_value",
                        "prompt must be at most 10000 characters",
                        Some("prompt"),
                    );
                    None
                } else {
                    Some(s.clone())
                }
            }
            Some(_) => {
                v.add("invalid_type", "prompt must be a string", Some("prompt"));
                None
            }
        };
        let duration = v.num_opt(&b, "duration");
        if let Some(d) = duration {
            if !(10.0..=600.0).contains(&d) {
                v.add(
                    "invalid_value",
                    "duration must be between 10 and 600 seconds",
                    Some("duration"),
                );
            }
        }
        let mut urls = Vec::new();
        if let Some(u) = present(&b, "urls") {
            match u.as_array() {
                None => v.add("invalid_type", "urls must be an array", Some("urls")),
                Some(arr) => {
                    if arr.len() > 10 {
                        v.add(
                            "invalid_value",
                            "urls must contain at most 10 items",
                            Some("urls"),
                        );
                    }
                    for (i, item) in arr.iter().enumerate() {
                        let f = format!("urls[{i}]");
                        match item.as_str() {
                            None => {
                                v.add("invalid_type", format!("{f} must be a string"), Some(&f))
                            }
                            Some(s) if !is_http_url(s) => v.add(
                                "invalid_value",
                                format!("{f} must be a valid URL"),
                                Some(&f),
                            ),
                            Some(s) => urls.push(s.to_string()),
                        }
                    }
                }
            }
        }
        let web_search = v.bool_opt(&b, "webSearch").unwrap_or(false);
        if !v.ok() {
            return v.into_response();
        }
        let prompt = prompt.unwrap_or_default();
        if prompt.contains(SCRIPT_ERROR) {
            return flat(500, "Failed to generate script", "SCRIPT_GENERATION_FAILED");
        }
        let duration = duration.unwrap_or(60.0);
        let cost = credits::script_cost(duration, web_search, urls.len());
        if let Err(e) = self.debit(cost, "insufficient_credits") {
            return e;
        }
        let images: Vec<String> = urls
            .iter()
            .filter_map(|u| url::Url::parse(u).ok())
            .map(|u| format!("{}/og-image.jpg", u.origin().ascii_serialization()))
            .collect();
        SimResponse::json(
            200,
            &json!({"script": make_script(&prompt, duration), "cost": num(cost), "extractedImages": images}),
        )
    }

    fn look_usable(&self, id: &str) -> bool {
        self.st
            .hoox
            .looks
            .get(id)
            .is_some_and(|l| l.status(self.now) == LookStatus::Ready)
    }

    fn voice_exists(&self, id: &str) -> bool {
        self.st.hoox.voices.iter().any(|v| v.id == id)
    }

    fn generation_start(&mut self, b: Map<String, Value>) -> SimResponse {
        let mut v = V::default();
        let prompt = v.str_opt(&b, "prompt");
        let duration = v.num_opt(&b, "duration");
        let script = v.str_opt(&b, "script");
        let voice_id = v.str_opt(&b, "voice_id");
        let avatar_id = v.str_opt(&b, "avatar_id");
        let plan = present(&b, "sequence_plan").cloned();
        let has = |k: &str| present(&b, k).is_some();
        if !has("prompt")
            && !has("script")
            && !has("voice_url")
            && !has("avatar_url")
            && plan.is_none()
        {
            v.add(
                "missing_content",
                "At least one of prompt, script, voice_url or avatar_url is required",
                None,
            );
        }
        if has("prompt") && !has("duration") && plan.is_none() {
            v.add(
                "missing_field",
                "Duration is required when using prompt",
                Some("duration"),
            );
        }
        if let Some(d) = duration {
            if !(10.0..=600.0).contains(&d) {
                v.add(
                    "invalid_value",
                    "Duration must be between 10 and 600 seconds",
                    Some("duration"),
                );
            }
        }
        if has("script")
            && !has("voice_id")
            && !has("voice_url")
            && !has("avatar_url")
            && plan.is_none()
        {
            v.add(
                "missing_voice",
                "voice_id is required when using script",
                Some("voice_id"),
            );
        }
        let mut format = "vertical".to_string();
        if let Some(f) = present(&b, "format") {
            match f.as_str() {
                Some(s) if FORMATS.contains(&s) => format = s.to_string(),
                _ => v.add(
                    "invalid_format",
                    "Invalid format. Must be one of: vertical, square, ads, custom, horizontal",
                    Some("format"),
                ),
            }
        }
        let mut dims = [None, None];
        for (i, k) in ["width", "height"].into_iter().enumerate() {
            if let Some(x) = present(&b, k) {
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
        let mut pro = false;
        if let Some(m) = present(&b, "animate_mode") {
            match m.as_str() {
                Some("standard") => {}
                Some("pro") => pro = true,
                _ => v.add(
                    "invalid_animate_mode",
                    "animate_mode must be 'standard' or 'pro'",
                    Some("animate_mode"),
                ),
            }
        }
        if let Some(w) = present(&b, "web_urls") {
            match w.as_array() {
                None => v.add(
                    "invalid_type",
                    "web_urls must be an array",
                    Some("web_urls"),
                ),
                Some(arr) => {
                    if arr.len() > 10 {
                        v.add(
                            "invalid_value",
                            "web_urls must contain at most 10 URLs",
                            Some("web_urls"),
                        );
                    }
                    for (i, item) in arr.iter().enumerate() {
                        let f = format!("web_urls[{i}]");
                        match item.as_str() {
                            None => {
                                v.add("invalid_type", format!("{f} must be a string"), Some(&f))
                            }
                            Some(s) if !is_http_url(s) => v.add(
                                "invalid_value",
                                format!("{f} must be a valid URL"),
                                Some(&f),
                            ),
                            _ => {}
                        }
                    }
                }
            }
        }
        let media_urls = v.url_list(&b, "media_urls", "invalid_media_url");
        v.url_opt(&b, "voice_url", "invalid_voice_url");
        v.url_opt(&b, "avatar_url", "invalid_avatar_url");
        let webhook = v.url_opt(&b, "webhook_url", "INVALID_WEBHOOK_URL");
        let animate = v.bool_opt(&b, "animate_image").unwrap_or(false);
        let use_veo3 = v.bool_opt(&b, "use_veo3").unwrap_or(false);
        for k in [
            "emotion_enhancement",
            "use_space_media",
            "save_media_to_space",
        ] {
            v.bool_opt(&b, k);
        }
        let animate_max = match present(&b, "animate_image_max") {
            None => None,
            Some(x) => match x.as_f64() {
                Some(n) if n >= 0.0 => Some(n as usize),
                _ => {
                    v.add(
                        "invalid_value",
                        "animate_image_max must be a non-negative number",
                        Some("animate_image_max"),
                    );
                    None
                }
            },
        };
        for k in ["enable", "web_search"] {
            if let Some(o) = present(&b, k) {
                match o.as_object() {
                    None => v.add("invalid_type", format!("{k} must be an object"), Some(k)),
                    Some(m) => {
                        for (sk, sv) in m {
                            if !sv.is_boolean() && !sv.is_null() {
                                let f = format!("{k}.{sk}");
                                v.add("invalid_type", format!("{f} must be a boolean"), Some(&f));
                            }
                        }
                    }
                }
            }
        }
        if !v.ok() {
            return v.into_response();
        }
        // Sequence plan schema.
        let plan = match plan.as_ref().map(|p| parse_plan(p, voice_id.as_deref())) {
            Some(Err((field, msg))) => {
                return err1(
                    400,
                    "Invalid sequence_plan",
                    "INVALID_PLAN",
                    &msg,
                    Some(&field),
                );
            }
            Some(Ok(p)) => Some(p),
            None => None,
        };
        if let Some(id) = &voice_id {
            if !self.voice_exists(id) {
                let msg = format!("Voice with ID \"{id}\" not found");
                return err1(400, &msg, "invalid_voice_id", &msg, Some("voice_id"));
            }
        }
        if let Some(id) = &avatar_id {
            if !self.look_usable(id) {
                let msg = format!("Avatar look with ID \"{id}\" not found");
                return err1(400, &msg, "invalid_avatar_id", &msg, Some("avatar_id"));
            }
        }
        if let Some(p) = &plan {
            for (field, vid) in &p.voices {
                if !self.voice_exists(vid) {
                    let msg = format!("Voice \"{vid}\" not found in your space");
                    return err1(
                        404,
                        "Plan resolution failed",
                        "PLAN_RESOLUTION_FAILED",
                        &msg,
                        Some(field),
                    );
                }
            }
            for (field, lid) in &p.looks {
                if !self.look_usable(lid) {
                    let msg = format!("Look \"{lid}\" not found in your space");
                    return err1(
                        404,
                        "Plan resolution failed",
                        "PLAN_RESOLUTION_FAILED",
                        &msg,
                        Some(field),
                    );
                }
            }
            for (field, aid) in &p.avatars {
                if self.st.hoox.avatar(aid).is_none() {
                    let msg = format!("Avatar \"{aid}\" not found in your space");
                    return err1(
                        404,
                        "Plan resolution failed",
                        "PLAN_RESOLUTION_FAILED",
                        &msg,
                        Some(field),
                    );
                }
            }
        }
        if prompt.as_deref().is_some_and(|p| p.contains(SCRIPT_ERROR)) && plan.is_none() {
            return err1(
                500,
                "Script generation failed",
                "SCRIPT_GENERATION_FAILED",
                "Failed to generate a script from the prompt",
                None,
            );
        }
        // Duration, script and cost.
        let (seconds, text) = if let Some(p) = &plan {
            (p.seconds.max(1.0), p.text.clone())
        } else if let (Some(pr), Some(d)) = (&prompt, duration) {
            (d, make_script(pr, d))
        } else if let Some(s) = &script {
            (
                credits::script_seconds(s.chars().count()).max(1.0),
                s.clone(),
            )
        } else {
            (duration.unwrap_or(30.0), String::new())
        };
        let seconds = round2(seconds);
        let mut cost = credits::generation_cost(seconds);
        if animate {
            let images = media_urls
                .iter()
                .filter(|u| {
                    let l = u.to_ascii_lowercase();
                    let path = l.split(['?', '#']).next().unwrap_or("");
                    ![".mp4", ".mov", ".webm", ".m4v"]
                        .iter()
                        .any(|e| path.ends_with(e))
                })
                .count();
            let images = animate_max.map_or(images, |m| images.min(m));
            cost += credits::animation_cost(images, pro);
        }
        if let Err(e) = self.debit(cost, "INSUFFICIENT_CREDITS") {
            return e;
        }
        let fail = [prompt.as_deref(), script.as_deref(), Some(text.as_str())]
            .into_iter()
            .flatten()
            .any(|s| s.contains(FAIL));
        let export_fails = [prompt.as_deref(), script.as_deref()]
            .into_iter()
            .flatten()
            .any(|s| s.contains(EXPORT_FAIL));
        let t = Timing::new(self.inner.cfg.job_seconds);
        let job_id = new_id("run_", 20);
        let video_id = new_id("vid_", 16);
        let look_id = avatar_id.clone().or_else(|| {
            plan.as_ref()
                .and_then(|p| p.looks.first().map(|(_, l)| l.clone()))
        });
        let mut steps = Vec::with_capacity(8);
        if !media_urls.is_empty() {
            steps.push("MEDIA_UPLOAD");
        }
        steps.extend_from_slice(GEN_STEPS);
        if animate {
            steps.insert(steps.len() - 2, "ANIMATE_IMAGES");
        }
        let has_avatar = look_id.is_some() || has("avatar_url");
        let video = HVideo {
            id: video_id.clone(),
            other_space: false,
            ready: t,
            gen_failed: fail,
            never_ready: false,
            look_id,
            has_avatar,
            use_veo3,
            duration: seconds,
            format,
            width: dims[0],
            height: dims[1],
            voice_id,
            script: if text.is_empty() {
                prompt.clone().unwrap_or_default()
            } else {
                text
            },
            export_fails,
        };
        let h = self.hoox();
        h.videos.insert(video_id.clone(), video);
        h.gens.insert(
            job_id.clone(),
            GenJob {
                id: job_id.clone(),
                t,
                cost,
                fail,
                video_id,
                steps,
            },
        );
        if let Some(url) = webhook {
            let inner = Arc::clone(self.inner);
            let id = job_id.clone();
            self.inner
                .hooks
                .spawn(Provider::Hoox, url, t.secs, move || {
                    let st = inner.lock();
                    st.hoox
                        .gens
                        .get(&id)
                        .map(|j| gen_webhook(&inner, &st.hoox, j))
                });
        }
        SimResponse::json(
            201,
            &json!({"job_id": job_id, "status": "pending", "estimated_credits": num(cost)}),
        )
    }

    fn job_lookup_error(&self, id: &str) -> SimResponse {
        if self.st.hoox.other_space_jobs.contains(id) {
            return err1(
                403,
                "This job does not belong to your space",
                "unauthorized_job",
                "This job does not belong to your space",
                None,
            );
        }
        let msg = format!("Job with ID \"{id}\" not found");
        err1(404, &msg, "job_not_found", &msg, None)
    }

    fn generation_status(&mut self, id: &str) -> SimResponse {
        let h = &self.st.hoox;
        match h.gens.get(id) {
            Some(j) => SimResponse::json(200, &gen_status_json(self.inner, h, j, self.now, false)),
            None => self.job_lookup_error(id),
        }
    }

    fn export_status(&mut self, id: &str) -> SimResponse {
        match self.st.hoox.exports.get(id) {
            Some(j) => SimResponse::json(200, &export_status_json(self.inner, j, self.now, false)),
            None => self.job_lookup_error(id),
        }
    }

    fn export_start(&mut self, b: Map<String, Value>) -> SimResponse {
        let video_id = match present(&b, "video_id") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(Value::String(_)) | None => {
                return err1(
                    400,
                    "video_id is required",
                    "MISSING_VIDEO_ID",
                    "video_id is required",
                    Some("video_id"),
                );
            }
            Some(_) => {
                return err1(
                    400,
                    "Validation failed",
                    "invalid_type",
                    "video_id must be a string",
                    Some("video_id"),
                );
            }
        };
        let mut v = V::default();
        let mut format = None;
        if let Some(f) = present(&b, "format") {
            match f.as_str() {
                Some(s) if FORMATS.contains(&s) => format = Some(s.to_string()),
                _ => v.add(
                    "invalid_format",
                    "Invalid format. Must be one of: vertical, square, ads, custom, horizontal",
                    Some("format"),
                ),
            }
        }
        let mut dims = [None, None];
        for (i, k) in ["width", "height"].into_iter().enumerate() {
            if let Some(x) = present(&b, k) {
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
        let mut model = None;
        if let Some(m) = present(&b, "avatar_model") {
            match m.as_str() {
                Some(s) if cat::EXPORT_AVATAR_MODELS.contains(&s) => model = Some(s.to_string()),
                _ => v.add(
                    "INVALID_AVATAR_MODEL",
                    format!(
                        "Invalid avatar_model. Must be one of: {}",
                        cat::EXPORT_AVATAR_MODELS.join(", ")
                    ),
                    Some("avatar_model"),
                ),
            }
        }
        let webhook = v.url_opt(&b, "webhook_url", "INVALID_WEBHOOK_URL");
        if !v.ok() {
            return v.into_response();
        }
        let now = self.now;
        let Some(video) = self
            .st
            .hoox
            .videos
            .get(&video_id)
            .filter(|x| x.state(now) != VState::Missing)
        else {
            let msg = format!("Video with ID \"{video_id}\" not found");
            return err1(
                404,
                "Video not found",
                "VIDEO_NOT_FOUND",
                &msg,
                Some("video_id"),
            );
        };
        if video.other_space {
            return err1(
                403,
                "Video does not belong to your space",
                "UNAUTHORIZED_VIDEO",
                "Video does not belong to your space",
                Some("video_id"),
            );
        }
        if video.state(now) != VState::Done {
            return err1(
                400,
                "Video is not ready for export",
                "VIDEO_NOT_READY",
                "Video generation must be completed (state done) before export",
                Some("video_id"),
            );
        }
        let look = video
            .look_id
            .as_ref()
            .and_then(|l| self.st.hoox.looks.get(l));
        let video_look = look.is_some_and(|l| l.video);
        let avatar_model = if !video.has_avatar {
            if model.is_some() {
                return err1(
                    400,
                    "avatar_model cannot be used on a video without an avatar",
                    "INVALID_PARAMETER",
                    "This video has no avatar",
                    Some("avatar_model"),
                );
            }
            None
        } else {
            let chosen = model.unwrap_or_else(|| {
                if video.use_veo3 {
                    "veo-3-fast".into()
                } else if video_look {
                    "standard".into()
                } else {
                    "premium".into()
                }
            });
            let ok = if video_look && !video.use_veo3 {
                chosen == "standard"
            } else {
                chosen != "standard"
            };
            if !ok {
                let msg =
                    format!("Avatar model \"{chosen}\" is not compatible with this video's avatar");
                return err1(
                    400,
                    &msg,
                    "INCOMPATIBLE_AVATAR_MODEL",
                    &msg,
                    Some("avatar_model"),
                );
            }
            Some(chosen)
        };
        let fmt = format.unwrap_or_else(|| video.format.clone());
        let (w, h) = if fmt == "custom" {
            (
                dims[0].or(video.width).unwrap_or(1080.0),
                dims[1].or(video.height).unwrap_or(1920.0),
            )
        } else {
            (0.0, 0.0)
        };
        let high_res = fmt == "custom" && (w > 1920.0 || h > 1080.0);
        let cost = credits::export_cost(video.duration, high_res, avatar_model.as_deref());
        let fail = video.export_fails || video.script.contains(EXPORT_FAIL);
        if cost > 0.0 {
            if let Err(e) = self.debit(cost, "INSUFFICIENT_CREDITS") {
                return e;
            }
        }
        let t = Timing::new(self.inner.cfg.job_seconds);
        let id = new_id("run_", 20);
        self.hoox().exports.insert(
            id.clone(),
            ExportJob {
                id: id.clone(),
                t,
                video_id,
                cost,
                fail,
            },
        );
        if let Some(url) = webhook {
            let inner = Arc::clone(self.inner);
            let jid = id.clone();
            self.inner
                .hooks
                .spawn(Provider::Hoox, url, t.secs, move || {
                    let st = inner.lock();
                    st.hoox.exports.get(&jid).map(|j| export_webhook(&inner, j))
                });
        }
        SimResponse::json(
            201,
            &json!({"job_id": id, "status": "pending", "estimated_credits": num(cost)}),
        )
    }

    fn duplicate(&mut self, b: Map<String, Value>) -> SimResponse {
        let video_id = match present(&b, "video_id") {
            None => {
                return combo(
                    400,
                    "video_id is required",
                    "MISSING_VIDEO_ID",
                    Some("video_id"),
                )
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                return combo(
                    400,
                    "video_id is required",
                    "MISSING_VIDEO_ID",
                    Some("video_id"),
                )
            }
            Some(x) => x,
        };
        for k in ["video_id", "voice_id", "avatar_look_id"] {
            if let Some(x) = present(&b, k) {
                if !x.is_string() {
                    return combo(
                        400,
                        &format!("{k} must be a string"),
                        "INVALID_TYPE",
                        Some(k),
                    );
                }
            }
        }
        let video_id = video_id.as_str().unwrap_or_default().to_string();
        let voice = present(&b, "voice_id")
            .and_then(Value::as_str)
            .map(str::to_string);
        let look = present(&b, "avatar_look_id")
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(vid) = &voice {
            if !self.voice_exists(vid) {
                return combo(
                    400,
                    &format!("Voice with ID \"{vid}\" not found"),
                    "INVALID_VOICE_ID",
                    Some("voice_id"),
                );
            }
        }
        if let Some(l) = &look {
            if !self.look_usable(l) {
                return combo(
                    400,
                    &format!("Avatar look with ID \"{l}\" not found"),
                    "INVALID_AVATAR_ID",
                    Some("avatar_look_id"),
                );
            }
        }
        let now = self.now;
        let Some(src) = self
            .st
            .hoox
            .videos
            .get(&video_id)
            .filter(|x| x.state(now) != VState::Missing)
        else {
            return combo(
                404,
                &format!("Video with ID \"{video_id}\" not found"),
                "VIDEO_NOT_FOUND",
                Some("video_id"),
            );
        };
        if src.other_space {
            return combo(
                403,
                "Video does not belong to your space",
                "UNAUTHORIZED_VIDEO",
                Some("video_id"),
            );
        }
        if src.state(now) != VState::Done {
            return combo(
                400,
                "Video must be completed before duplication",
                "VIDEO_NOT_READY",
                Some("video_id"),
            );
        }
        let new_id_ = new_id("vid_", 16);
        let copy = HVideo {
            id: new_id_.clone(),
            other_space: false,
            ready: Timing::done_at(unix_now()),
            gen_failed: false,
            never_ready: false,
            look_id: look.clone().or_else(|| src.look_id.clone()),
            has_avatar: src.has_avatar || look.is_some(),
            use_veo3: src.use_veo3,
            duration: src.duration,
            format: src.format.clone(),
            width: src.width,
            height: src.height,
            voice_id: voice.clone().or_else(|| src.voice_id.clone()),
            script: src.script.clone(),
            export_fails: src.export_fails,
        };
        self.hoox().videos.insert(new_id_.clone(), copy);
        SimResponse::json(
            201,
            &json!({"video_id": new_id_, "status": "done",
                    "message": "Video duplicated successfully. The video will need to be exported to generate the final output.",
                    "changes_applied": {"voice_changed": voice.is_some(), "avatar_changed": look.is_some()}}),
        )
    }

    // -----------------------------------------------------------------------------------
    // Voices and avatars

    fn voice_json(v: &Voice, legacy: bool) -> Value {
        let preview = format!("https://cdn.hoox.video/voices/{}.mp3", v.id);
        if legacy {
            json!({"id": v.id, "name": v.name, "language": v.language, "accent": v.accent, "gender": v.gender, "tags": v.tags, "preview": preview})
        } else {
            json!({"id": v.id, "name": v.name, "language": v.language, "accent": v.accent, "gender": v.gender, "tags": v.tags,
                   "preview": preview, "source": if v.space { "space" } else { "config" }})
        }
    }

    fn voice_list(&mut self, req: &SimRequest, legacy: bool) -> SimResponse {
        let language = req
            .query_param("language")
            .map(|s| s.trim().to_ascii_lowercase());
        let gender = req
            .query_param("gender")
            .map(|s| s.trim().to_ascii_lowercase());
        let tags = req.query_param("tags").map(csv_lower).unwrap_or_default();
        let only_public = req.query_param("onlyPublic").is_some_and(truthy);
        let items: Vec<Value> = self
            .st
            .hoox
            .voices
            .iter()
            .filter(|v| !(only_public && v.space))
            .filter(|v| {
                language
                    .as_ref()
                    .is_none_or(|l| l.is_empty() || v.language.eq_ignore_ascii_case(l))
            })
            .filter(|v| {
                gender
                    .as_ref()
                    .is_none_or(|g| g.is_empty() || v.gender == *g)
            })
            .filter(|v| {
                tags.is_empty()
                    || v.tags
                        .iter()
                        .any(|t| tags.contains(&t.to_ascii_lowercase()))
            })
            .map(|v| Self::voice_json(v, legacy))
            .collect();
        SimResponse::json(200, &Value::Array(items))
    }

    fn voice_get(&mut self, id: &str) -> SimResponse {
        match self.st.hoox.voices.iter().find(|v| v.id == id) {
            Some(v) => SimResponse::json(200, &Self::voice_json(v, false)),
            None => combo(404, "Voice not found", "VOICE_NOT_FOUND", None),
        }
    }

    fn look_thumb(&self, l: &Look) -> Value {
        if l.status(self.now) == LookStatus::Ready {
            json!(thumb_url(self.inner, &format!("look_{}.png", l.id)))
        } else {
            Value::Null
        }
    }

    fn look_preview(&self, l: &Look) -> Value {
        if l.video {
            json!(thumb_url(self.inner, &format!("preview_{}.mp4", l.id)))
        } else {
            Value::Null
        }
    }

    fn look_flat(&self, a: &Avatar, l: &Look) -> Value {
        json!({"id": l.id, "avatar_id": a.id, "avatar_name": a.name, "look_name": l.name, "gender": a.gender,
               "age_range": a.age_range, "ethnicity": a.ethnicity, "hair_color": a.hair_color, "place": l.place,
               "accessories": l.accessories, "action": l.action, "emotion": l.emotion, "selfie": l.selfie,
               "format": l.format, "thumbnail": self.look_thumb(l), "preview": self.look_preview(l),
               "model_available": l.model_available()})
    }

    fn look_status_str(&self, l: &Look) -> &'static str {
        match l.status(self.now) {
            LookStatus::Ready => "ready",
            LookStatus::Error => "error",
            _ => "pending",
        }
    }

    fn avatar_list(&mut self, req: &SimRequest, legacy: bool) -> SimResponse {
        let q = |k: &str| req.query_param(k).map(csv_lower).filter(|v| !v.is_empty());
        let f_gender = q("gender");
        let f_age = q("age_range");
        let f_eth = q("ethnicity");
        let f_hair = q("hair_color");
        let f_place = q("place");
        let f_action = q("action");
        let f_emotion = q("emotion");
        let f_acc = q("accessories");
        let f_tags = q("tags");
        let f_selfie = req.query_param("selfie").map(truthy);
        let only_public = req.query_param("onlyPublic").is_some_and(truthy);
        let m = |f: &Option<Vec<String>>, v: &Option<String>| match f {
            None => true,
            Some(list) => v
                .as_ref()
                .is_some_and(|x| list.contains(&x.to_ascii_lowercase())),
        };
        let any = |f: &Option<Vec<String>>, v: &[String]| match f {
            None => true,
            Some(list) => v.iter().any(|x| list.contains(&x.to_ascii_lowercase())),
        };
        let mut out = Vec::new();
        let h = &self.st.hoox;
        for a in h.avatars.iter().filter(|a| !(only_public && a.space)) {
            if !(m(&f_gender, &a.gender)
                && m(&f_age, &a.age_range)
                && m(&f_eth, &a.ethnicity)
                && m(&f_hair, &a.hair_color))
            {
                continue;
            }
            for lid in &a.looks {
                let Some(l) = h.looks.get(lid) else { continue };
                if l.status(self.now) != LookStatus::Ready {
                    continue;
                }
                if !(m(&f_place, &l.place)
                    && m(&f_action, &l.action)
                    && m(&f_emotion, &l.emotion)
                    && any(&f_acc, &l.accessories)
                    && any(&f_tags, &l.tags)
                    && f_selfie.is_none_or(|s| s == l.selfie))
                {
                    continue;
                }
                if legacy {
                    let models = if l.video {
                        json!(["standard"])
                    } else {
                        json!(["premium", "ultra", "veo-3", "veo-3-fast"])
                    };
                    out.push(json!({"id": l.id, "name": format!("{} - {}", a.name.as_deref().unwrap_or("Avatar"), l.name),
                                    "gender": a.gender, "place": l.place, "format": l.format, "tags": l.tags,
                                    "thumbnail": self.look_thumb(l), "preview": self.look_preview(l), "model_available": models}));
                } else {
                    out.push(self.look_flat(a, l));
                }
            }
        }
        SimResponse::json(200, &Value::Array(out))
    }

    fn avatar_get(&mut self, id: &str) -> SimResponse {
        let h = &self.st.hoox;
        let Some(a) = h.avatar(id) else {
            return combo(404, "Avatar not found", "AVATAR_NOT_FOUND", None);
        };
        let looks: Vec<Value> = a
            .looks
            .iter()
            .filter_map(|lid| h.looks.get(lid))
            .map(|l| {
                json!({"id": l.id, "name": l.name, "place": l.place, "accessories": l.accessories, "action": l.action,
                       "emotion": l.emotion, "selfie": l.selfie, "format": l.format, "thumbnail": self.look_thumb(l),
                       "preview": self.look_preview(l), "status": self.look_status_str(l), "model_available": l.model_available()})
            })
            .collect();
        let thumb = a
            .looks
            .first()
            .and_then(|lid| h.looks.get(lid))
            .map(|l| self.look_thumb(l))
            .unwrap_or(Value::Null);
        SimResponse::json(
            200,
            &json!({"id": a.id, "name": a.name, "gender": a.gender, "age": a.age, "age_range": a.age_range,
                    "ethnicity": a.ethnicity, "hair_color": a.hair_color, "thumbnail": thumb, "looks": looks,
                    "created_at": a.created_unix.map(iso)}),
        )
    }

    fn find_look(&self, avatar_id: &str, look_id: &str) -> Result<(&Avatar, &Look), SimResponse> {
        let h = &self.st.hoox;
        let Some(a) = h.avatar(avatar_id) else {
            return Err(combo(
                404,
                "Avatar not found",
                "AVATAR_NOT_FOUND",
                Some("avatar_id"),
            ));
        };
        match h.looks.get(look_id).filter(|l| l.avatar_id == a.id) {
            Some(l) => Ok((a, l)),
            None => Err(combo(
                404,
                "Look not found",
                "LOOK_NOT_FOUND",
                Some("look_id"),
            )),
        }
    }

    fn avatar_look(&mut self, avatar_id: &str, look_id: &str) -> SimResponse {
        match self.find_look(avatar_id, look_id) {
            Err(e) => e,
            Ok((a, l)) => {
                let mut v = self.look_flat(a, l);
                v["status"] = json!(self.look_status_str(l));
                v["error_message"] = if l.status(self.now) == LookStatus::Error {
                    json!("Look generation failed")
                } else {
                    Value::Null
                };
                SimResponse::json(200, &v)
            }
        }
    }

    fn avatar_status(&mut self, req: &SimRequest) -> SimResponse {
        let (Some(aid), Some(lid)) = (
            req.query_param("avatar_id").filter(|s| !s.is_empty()),
            req.query_param("look_id").filter(|s| !s.is_empty()),
        ) else {
            return combo(
                400,
                "avatar_id and look_id query parameters are required",
                "INVALID_VALUE",
                None,
            );
        };
        match self.find_look(aid, lid) {
            Err(e) => e,
            Ok((a, l)) => {
                SimResponse::json(200, &avatar_status_json(self.inner, a, l, self.now, false))
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn new_look(
        &mut self,
        avatar_id: &str,
        name: String,
        place: Option<String>,
        format: String,
        selfie: bool,
        tags: Vec<String>,
        gen: Option<LookGen>,
    ) -> String {
        let id = new_id("look_", 12);
        self.hoox().looks.insert(
            id.clone(),
            Look {
                id: id.clone(),
                avatar_id: avatar_id.into(),
                name,
                place,
                accessories: vec![],
                action: None,
                emotion: None,
                selfie,
                format,
                tags,
                video: false,
                gen,
            },
        );
        if let Some(a) = self.hoox().avatars.iter_mut().find(|a| a.id == avatar_id) {
            a.looks.push(id.clone());
        }
        id
    }

    fn avatar_hook(
        &self,
        url: Option<String>,
        task: &'static str,
        avatar_id: &str,
        look_id: &str,
        delay: f64,
    ) {
        let Some(url) = url else { return };
        let inner = Arc::clone(self.inner);
        let (aid, lid) = (avatar_id.to_string(), look_id.to_string());
        self.inner.hooks.spawn(Provider::Hoox, url, delay, move || {
            let st = inner.lock();
            let h = &st.hoox;
            let a = h.avatar(&aid)?;
            let l = h.looks.get(&lid)?;
            let s = avatar_status_json(&inner, a, l, Instant::now(), true);
            let mut p = json!({"task": task, "job_id": lid, "avatar_id": aid, "look_id": lid, "status": s["status"]});
            for k in ["result", "error"] {
                if let Some(v) = s.get(k) {
                    p[k] = v.clone();
                }
            }
            Some(p)
        });
    }

    fn avatar_create(&mut self, b: Map<String, Value>) -> SimResponse {
        let mut v = V::default();
        let prompt = v.str_opt(&b, "prompt").filter(|p| !p.trim().is_empty());
        let style = v.str_opt(&b, "style");
        if let Some(s) = &style {
            if !["iphone", "selfie", "podcast", "car", "conference", "raw"].contains(&s.as_str()) {
                v.add(
                    "invalid_value",
                    "style must be one of: iphone, selfie, podcast, car, conference, raw",
                    Some("style"),
                );
            }
        }
        let format = v.str_opt(&b, "format").unwrap_or_else(|| "vertical".into());
        if !["vertical", "horizontal"].contains(&format.as_str()) {
            v.add(
                "invalid_value",
                "format must be 'vertical' or 'horizontal'",
                Some("format"),
            );
        }
        let resolution = v.str_opt(&b, "resolution").unwrap_or_else(|| "2K".into());
        if !["1K", "2K", "4K"]
            .iter()
            .any(|r| r.eq_ignore_ascii_case(&resolution))
        {
            v.add(
                "invalid_value",
                "resolution must be '2K' or '4K'",
                Some("resolution"),
            );
        }
        let name = v.str_opt(&b, "name");
        let place = v.str_opt(&b, "place");
        let mut images = v.url_list(&b, "images", "invalid_value");
        images.extend(v.url_list(&b, "imageUrls", "invalid_value"));
        v.url_list(&b, "elementImages", "invalid_value");
        let webhook = v.url_opt(&b, "webhook_url", "INVALID_WEBHOOK_URL");
        if prompt.is_none() && images.is_empty() && v.ok() {
            v.add(
                "MISSING_PROMPT",
                "Either prompt or images (imageUrls) is required",
                Some("prompt"),
            );
        }
        if !v.ok() {
            return v.into_response();
        }
        let avatar_id = new_id("avtr_", 12);
        self.hoox().avatars.insert(
            0,
            Avatar {
                id: avatar_id.clone(),
                name: Some(name.clone().unwrap_or_else(|| "My avatar".into())),
                gender: None,
                age: None,
                age_range: None,
                ethnicity: None,
                hair_color: None,
                looks: vec![],
                space: true,
                created_unix: Some(unix_now()),
            },
        );
        let selfie = style.as_deref() == Some("selfie");
        if let Some(p) = prompt {
            let cost = credits::avatar_cost(&resolution, false);
            if let Err(e) = self.debit(cost, "INSUFFICIENT_CREDITS") {
                self.hoox().avatars.retain(|a| a.id != avatar_id);
                return e;
            }
            let t = Timing::new(self.inner.cfg.job_seconds);
            let gen = LookGen {
                t,
                fail: p.contains(FAIL),
            };
            let look_name = style.clone().unwrap_or_else(|| "iphone".into());
            let look = self.new_look(
                &avatar_id,
                look_name,
                place,
                format,
                selfie,
                vec![],
                Some(gen),
            );
            self.avatar_hook(webhook, "avatar_create", &avatar_id, &look, t.secs);
            return SimResponse::json(201, &json!({"avatar_id": avatar_id, "look_id": look}));
        }
        let mut first = String::new();
        for (i, _) in images.iter().enumerate() {
            let l = self.new_look(
                &avatar_id,
                format!("Look {}", i + 1),
                place.clone(),
                format.clone(),
                false,
                vec![],
                None,
            );
            if i == 0 {
                first = l;
            }
        }
        self.avatar_hook(webhook, "avatar_create", &avatar_id, &first, 0.0);
        SimResponse::json(201, &json!({"avatar_id": avatar_id, "look_id": first}))
    }

    fn avatar_edit(&mut self, b: Map<String, Value>) -> SimResponse {
        let s = |k: &str| {
            present(&b, k)
                .and_then(Value::as_str)
                .filter(|x| !x.trim().is_empty())
                .map(str::to_string)
        };
        let Some(avatar_id) = s("avatar_id") else {
            return combo(
                400,
                "avatar_id is required",
                "MISSING_AVATAR_ID",
                Some("avatar_id"),
            );
        };
        let Some(look_id) = s("look_id") else {
            return combo(
                400,
                "look_id is required",
                "MISSING_LOOK_ID",
                Some("look_id"),
            );
        };
        let webhook = match present(&b, "webhook_url") {
            None => None,
            Some(Value::String(u)) if is_http_url(u) => Some(u.clone()),
            Some(_) => {
                return combo(
                    400,
                    "webhook_url must be a valid URL",
                    "INVALID_WEBHOOK_URL",
                    Some("webhook_url"),
                )
            }
        };
        let Some(prompt) = s("prompt") else {
            return combo(400, "prompt is required", "MISSING_PROMPT", Some("prompt"));
        };
        let mut v = V::default();
        let format = v.str_opt(&b, "format");
        if let Some(f) = &format {
            if !["vertical", "horizontal"].contains(&f.as_str()) {
                v.add(
                    "invalid_value",
                    "format must be 'vertical' or 'horizontal'",
                    Some("format"),
                );
            }
        }
        if let Some(st) = v.str_opt(&b, "style") {
            if !["iphone", "selfie", "podcast", "car", "conference", "raw"].contains(&st.as_str()) {
                v.add(
                    "invalid_value",
                    "style must be one of: iphone, selfie, podcast, car, conference, raw",
                    Some("style"),
                );
            }
        }
        let resolution = v.str_opt(&b, "resolution").unwrap_or_else(|| "2K".into());
        if !["1K", "2K", "4K"]
            .iter()
            .any(|r| r.eq_ignore_ascii_case(&resolution))
        {
            v.add(
                "invalid_value",
                "resolution must be '2K' or '4K'",
                Some("resolution"),
            );
        }
        let upscale = v.bool_opt(&b, "upscale").unwrap_or(false);
        let mut images = v.url_list(&b, "images", "invalid_value");
        images.extend(v.url_list(&b, "imageUrls", "invalid_value"));
        let look_name = v.str_opt(&b, "look_name");
        let place = v.str_opt(&b, "place");
        let tags: Vec<String> = match present(&b, "tags") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect(),
            Some(_) => {
                v.add(
                    "invalid_type",
                    "tags must be an array of strings",
                    Some("tags"),
                );
                vec![]
            }
            None => vec![],
        };
        if !v.ok() {
            return v.into_response();
        }
        let (src_avatar, src_look) = match self.find_look(&avatar_id, &look_id) {
            Err(e) => return e,
            Ok((a, l)) => (
                Avatar {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    gender: a.gender.clone(),
                    age: a.age.clone(),
                    age_range: a.age_range.clone(),
                    ethnicity: a.ethnicity.clone(),
                    hair_color: a.hair_color.clone(),
                    looks: vec![],
                    space: a.space,
                    created_unix: Some(unix_now()),
                },
                (
                    l.name.clone(),
                    l.place.clone(),
                    l.format.clone(),
                    l.selfie,
                    l.tags.clone(),
                    l.status(self.now),
                ),
            ),
        };
        if src_look.5 != LookStatus::Ready && images.is_empty() {
            return combo(
                400,
                "No image available for this look: provide images",
                "NO_IMAGE_AVAILABLE",
                Some("images"),
            );
        }
        let cost = credits::avatar_cost(&resolution, upscale);
        if let Err(e) = self.debit(cost, "INSUFFICIENT_CREDITS") {
            return e;
        }
        // Public avatars are duplicated into the space first.
        let target = if src_avatar.space {
            src_avatar.id.clone()
        } else {
            let id = new_id("avtr_", 12);
            self.hoox().avatars.insert(
                0,
                Avatar {
                    id: id.clone(),
                    space: true,
                    ..src_avatar
                },
            );
            id
        };
        let t = Timing::new(self.inner.cfg.job_seconds);
        let gen = LookGen {
            t,
            fail: prompt.contains(FAIL),
        };
        let name = look_name.unwrap_or_else(|| format!("{} (edit)", src_look.0));
        let look = self.new_look(
            &target,
            name,
            place.or(src_look.1),
            format.unwrap_or(src_look.2),
            src_look.3,
            if tags.is_empty() { src_look.4 } else { tags },
            Some(gen),
        );
        self.avatar_hook(webhook, "avatar_edit", &target, &look, t.secs);
        SimResponse::json(201, &json!({"avatar_id": target, "look_id": look}))
    }

    // -----------------------------------------------------------------------------------
    // Assets and folders

    fn asset_models(&mut self, req: &SimRequest) -> SimResponse {
        let ty = req.query_param("type").filter(|s| !s.is_empty());
        let provider = req.query_param("provider").filter(|s| !s.is_empty());
        let tag = req.query_param("tag").filter(|s| !s.is_empty());
        let models: Vec<Value> = cat::ASSET_MODELS
            .iter()
            .filter(|m| ty.is_none_or(|t| m.kind.eq_ignore_ascii_case(t)))
            .filter(|m| provider.is_none_or(|p| m.provider.eq_ignore_ascii_case(p)))
            .filter(|m| tag.is_none_or(|t| m.tags.iter().any(|x| x.eq_ignore_ascii_case(t))))
            .map(|m| m.summary(ty.is_some(), provider.is_some()))
            .collect();
        let mut out = Map::new();
        if let Some(t) = ty {
            out.insert("type".into(), json!(t.to_ascii_lowercase()));
        }
        if let Some(p) = provider {
            out.insert("provider".into(), json!(p.to_ascii_lowercase()));
        }
        out.insert("count".into(), json!(models.len()));
        out.insert("models".into(), Value::Array(models));
        SimResponse::json(200, &Value::Object(out))
    }

    fn asset_pricing(&mut self, b: Map<String, Value>) -> SimResponse {
        let mut v = V::default();
        let model = match present(&b, "model") {
            None => {
                v.add("missing_field", "model is required", Some("model"));
                None
            }
            Some(Value::String(s)) => match cat::asset_model(s) {
                Some(m) => Some(m),
                None => {
                    v.add(
                        "invalid_value",
                        format!("Unknown model \"{s}\""),
                        Some("model"),
                    );
                    None
                }
            },
            Some(_) => {
                v.add("invalid_type", "model must be a string", Some("model"));
                None
            }
        };
        let duration = v.num_opt(&b, "duration");
        let resolution = v.str_opt(&b, "resolution");
        let image_count = v.num_opt(&b, "image_count");
        let count = generation_count(&mut v, &b);
        let settings = match present(&b, "model_settings") {
            None => None,
            Some(Value::Object(m)) => Some(m.clone()),
            Some(_) => {
                v.add(
                    "invalid_type",
                    "model_settings must be an object",
                    Some("model_settings"),
                );
                None
            }
        };
        let (Some(m), true) = (model, v.ok()) else {
            return v.into_response();
        };
        let q = cat::quote(
            m,
            duration,
            resolution.as_deref(),
            settings.as_ref(),
            image_count,
        );
        let mut out = json!({"model": m.name, "cost_per_generation": num(q.per_generation),
                             "total_cost": num(round2(q.per_generation * count as f64)),
                             "currency": "credits", "generation_count": count});
        if !q.normalized.is_empty() {
            out["normalized"] = Value::Object(q.normalized);
        }
        SimResponse::json(200, &out)
    }

    fn asset_start(&mut self, b: Map<String, Value>) -> SimResponse {
        let mut v = V::default();
        let ty = match present(&b, "type") {
            None => {
                v.add("missing_field", "type is required", Some("type"));
                None
            }
            Some(Value::String(s)) if s == "image" || s == "video" => Some(s.clone()),
            Some(_) => {
                v.add(
                    "invalid_value",
                    "type must be 'image' or 'video'",
                    Some("type"),
                );
                None
            }
        };
        let model: Option<&'static AssetModel> = match present(&b, "model") {
            None => {
                v.add("missing_field", "model is required", Some("model"));
                None
            }
            Some(Value::String(s)) => match cat::asset_model(s) {
                Some(m) => Some(m),
                None => {
                    v.add(
                        "invalid_value",
                        format!("Unknown model \"{s}\""),
                        Some("model"),
                    );
                    None
                }
            },
            Some(_) => {
                v.add("invalid_type", "model must be a string", Some("model"));
                None
            }
        };
        if let (Some(t), Some(m)) = (&ty, model) {
            if t != m.kind {
                v.add(
                    "invalid_value",
                    format!("Model \"{}\" is a {} model, not {t}", m.name, m.kind),
                    Some("type"),
                );
            }
        }
        let prompt = match present(&b, "prompt") {
            None => {
                v.add("missing_field", "prompt is required", Some("prompt"));
                None
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                v.add("invalid_value", "prompt cannot be empty", Some("prompt"));
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                v.add("invalid_type", "prompt must be a string", Some("prompt"));
                None
            }
        };
        if let (Some(p), Some(max)) = (&prompt, model.and_then(|m| m.max_prompt_length)) {
            if p.chars().count() > max as usize {
                v.add(
                    "invalid_value",
                    format!("prompt must be at most {max} characters"),
                    Some("prompt"),
                );
            }
        }
        let check_ref = |v: &mut V, item: &Value, field: &str| {
            let Some(o) = item.as_object() else {
                v.add(
                    "invalid_type",
                    format!("{field} must be an object"),
                    Some(field),
                );
                return;
            };
            let keys: Vec<&str> = ["url", "asset_id", "avatar_id"]
                .into_iter()
                .filter(|k| present(o, k).is_some())
                .collect();
            if keys.len() != 1 {
                v.add(
                    "invalid_value",
                    format!("{field} must have exactly one of url, asset_id, avatar_id"),
                    Some(field),
                );
                return;
            }
            match present(o, keys[0]).and_then(Value::as_str) {
                None => v.add(
                    "invalid_type",
                    format!("{field}.{} must be a string", keys[0]),
                    Some(field),
                ),
                Some(u) if keys[0] == "url" && !is_http_url(u) => v.add(
                    "invalid_value",
                    format!("{field}.url must be a valid URL"),
                    Some(field),
                ),
                _ => {}
            }
        };
        let refs = present(&b, "references");
        if let Some(m) = model {
            let n = match refs {
                None => 0,
                Some(Value::Array(a)) => {
                    for (i, item) in a.iter().enumerate() {
                        check_ref(&mut v, item, &format!("references[{i}]"));
                    }
                    a.len()
                }
                Some(_) => {
                    v.add(
                        "invalid_type",
                        "references must be an array",
                        Some("references"),
                    );
                    0
                }
            };
            if m.slots.is_empty() {
                if (n as u32) < m.min_images || (n as u32) > m.max_images {
                    v.add(
                        "invalid_value",
                        format!(
                            "{} requires between {} and {} references",
                            m.name, m.min_images, m.max_images
                        ),
                        Some("references"),
                    );
                }
            } else {
                if n > 0 {
                    v.add(
                        "invalid_value",
                        format!(
                            "{} uses named inputs; references cannot be combined with them",
                            m.name
                        ),
                        Some("references"),
                    );
                }
                for (slot, required, _) in m.slots {
                    match present(&b, slot) {
                        None if *required => v.add(
                            "missing_field",
                            format!("{slot} is required for {}", m.name),
                            Some(slot),
                        ),
                        None => {}
                        Some(item) => check_ref(&mut v, item, slot),
                    }
                }
                if m.name == "kling-pro"
                    && present(&b, "end_image").is_some()
                    && present(&b, "start_image").is_none()
                {
                    v.add(
                        "invalid_value",
                        "end_image requires start_image",
                        Some("end_image"),
                    );
                }
            }
        }
        let count = generation_count(&mut v, &b);
        let aspect = v.str_opt(&b, "aspect_ratio");
        if let (Some(a), Some(m)) = (&aspect, model) {
            if !m.aspect_ratios.contains(&a.as_str()) && a != "auto" {
                v.add(
                    "invalid_value",
                    format!(
                        "aspect_ratio must be one of: {}",
                        m.aspect_ratios.join(", ")
                    ),
                    Some("aspect_ratio"),
                );
            }
        }
        let resolution = v.str_opt(&b, "resolution");
        if let (Some(r), Some(m)) = (&resolution, model) {
            if !m.resolutions.is_empty() && m.canonical_resolution(r).is_none() {
                let list: Vec<&str> = m.resolutions.iter().map(|x| x.0).collect();
                v.add(
                    "invalid_value",
                    format!("resolution must be one of: {}", list.join(", ")),
                    Some("resolution"),
                );
            }
        }
        let duration = v.num_opt(&b, "duration");
        let image_count = v.num_opt(&b, "image_count");
        let settings = match present(&b, "model_settings") {
            None => None,
            Some(Value::Object(m)) => Some(m.clone()),
            Some(_) => {
                v.add(
                    "invalid_type",
                    "model_settings must be an object",
                    Some("model_settings"),
                );
                None
            }
        };
        if let Some(f) = v.str_opt(&b, "folder_id") {
            if present(&b, "parent_media_id").is_none()
                && !self
                    .st
                    .hoox
                    .folders
                    .iter()
                    .any(|x| x.id == f && x.kind == "assets")
            {
                v.add(
                    "invalid_value",
                    format!("Folder \"{f}\" not found"),
                    Some("folder_id"),
                );
            }
        }
        v.str_opt(&b, "parent_media_id");
        v.str_opt(&b, "avatar_description");
        v.str_opt(&b, "file_name");
        let webhook = v.url_opt(&b, "webhook_url", "INVALID_WEBHOOK_URL");
        let (Some(m), Some(prompt), true) = (model, prompt, v.ok()) else {
            return v.into_response();
        };
        let q = cat::quote(
            m,
            duration,
            resolution.as_deref(),
            settings.as_ref(),
            image_count,
        );
        let total = round2(q.per_generation * count as f64);
        if let Err(e) = self.debit(total, "INSUFFICIENT_CREDITS") {
            return e;
        }
        let fail = prompt.contains(FAIL);
        let t = Timing::new(self.inner.cfg.job_seconds);
        let aspect = aspect.or(m.default_aspect.map(str::to_string));
        let (w, h) = dims_for(aspect.as_deref(), q.resolution, m.kind);
        let mut ids = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let id = object_id();
            if fail {
                self.st
                    .ledger
                    .refund_at(Provider::Hoox, q.per_generation, t.end_instant());
            }
            self.hoox().assets.insert(
                id.clone(),
                Asset {
                    id: id.clone(),
                    t,
                    kind: m.kind,
                    model: m.name,
                    prompt: prompt.clone(),
                    aspect_ratio: aspect.clone(),
                    resolution: q.resolution,
                    duration: q.duration,
                    cost: q.per_generation,
                    fail,
                    width: w,
                    height: h,
                },
            );
            if let Some(url) = &webhook {
                let inner = Arc::clone(self.inner);
                let aid = id.clone();
                self.inner
                    .hooks
                    .spawn(Provider::Hoox, url.clone(), t.secs, move || {
                        let st = inner.lock();
                        st.hoox.assets.get(&aid).map(|a| asset_webhook(&inner, a))
                    });
            }
            ids.push(id);
        }
        SimResponse::json(
            201,
            &json!({"asset_ids": ids, "status": "generating", "count": count,
                    "cost_per_generation": num(q.per_generation), "total_cost": num(total)}),
        )
    }

    fn asset_status(&mut self, id: &str) -> SimResponse {
        match self.st.hoox.assets.get(id) {
            Some(a) => SimResponse::json(200, &asset_json(self.inner, a, self.now, false)),
            None => combo(404, "Asset not found", "ASSET_NOT_FOUND", None),
        }
    }

    fn folder_json(f: &Folder) -> Value {
        json!({"id": f.id, "name": f.name, "type": f.kind, "parent_folder_id": f.parent, "created_at": iso(f.created_unix)})
    }

    fn folder_create(&mut self, b: Map<String, Value>) -> SimResponse {
        let mut v = V::default();
        let name = match present(&b, "name") {
            None => {
                v.add("missing_field", "name is required", Some("name"));
                None
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                v.add("invalid_value", "name cannot be empty", Some("name"));
                None
            }
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(_) => {
                v.add("invalid_type", "name must be a string", Some("name"));
                None
            }
        };
        let kind = match present(&b, "type") {
            None => "assets".to_string(),
            Some(Value::String(s)) if s == "assets" || s == "videos" => s.clone(),
            Some(_) => {
                v.add(
                    "invalid_value",
                    "type must be 'assets' or 'videos'",
                    Some("type"),
                );
                String::new()
            }
        };
        let parent = match present(&b, "parent_folder_id") {
            None => None,
            Some(Value::String(p)) => {
                match self.st.hoox.folders.iter().find(|f| &f.id == p) {
                    None => v.add(
                        "invalid_value",
                        format!("Parent folder \"{p}\" not found"),
                        Some("parent_folder_id"),
                    ),
                    Some(f) if f.kind != kind && !kind.is_empty() => v.add(
                        "invalid_value",
                        "Parent folder must be of the same type",
                        Some("parent_folder_id"),
                    ),
                    _ => {}
                }
                Some(p.clone())
            }
            Some(_) => {
                v.add(
                    "invalid_value",
                    "parent_folder_id must be a string or null",
                    Some("parent_folder_id"),
                );
                None
            }
        };
        let (Some(name), true) = (name, v.ok()) else {
            return v.into_response();
        };
        let f = Folder {
            id: object_id(),
            name,
            kind,
            parent,
            created_unix: unix_now(),
        };
        let out = Self::folder_json(&f);
        self.hoox().folders.push(f);
        SimResponse::json(201, &out)
    }

    fn folder_list(&mut self, req: &SimRequest) -> SimResponse {
        let ty = req.query_param("type").filter(|s| !s.is_empty());
        let folders: Vec<Value> = self
            .st
            .hoox
            .folders
            .iter()
            .filter(|f| ty.is_none_or(|t| f.kind == t))
            .map(Self::folder_json)
            .collect();
        SimResponse::json(200, &json!({"folders": folders}))
    }
}

fn generation_count(v: &mut V, b: &Map<String, Value>) -> u32 {
    match present(b, "generation_count") {
        None => 1,
        Some(x) => match x.as_f64() {
            Some(n) if n.fract() == 0.0 && (1.0..=4.0).contains(&n) => n as u32,
            _ => {
                v.add(
                    "invalid_value",
                    "generation_count must be an integer between 1 and 4",
                    Some("generation_count"),
                );
                1
            }
        },
    }
}

fn dims_for(aspect: Option<&str>, resolution: Option<&str>, kind: &str) -> (u32, u32) {
    let long: f64 = match resolution.map(|r| r.to_ascii_lowercase()).as_deref() {
        Some("480p") => 854.0,
        Some("720p") => 1280.0,
        Some("4k") => 3840.0,
        Some("1k") => 1024.0,
        Some("2k") => 2048.0,
        _ if kind == "image" => 1536.0,
        _ => 1920.0,
    };
    let (a, b) = aspect
        .and_then(|s| s.split_once(':'))
        .and_then(|(x, y)| Some((x.parse::<f64>().ok()?, y.parse::<f64>().ok()?)))
        .unwrap_or((9.0, 16.0));
    if a >= b {
        (long as u32, (long * b / a).round() as u32)
    } else {
        ((long * a / b).round() as u32, long as u32)
    }
}

fn asset_json(inner: &Inner, a: &Asset, now: Instant, terminal: bool) -> Value {
    let mut params = json!({"model": a.model, "prompt": a.prompt});
    if let Some(x) = &a.aspect_ratio {
        params["aspect_ratio"] = json!(x);
    }
    if let Some(x) = a.resolution {
        params["resolution"] = json!(x);
    }
    if let Some(x) = a.duration {
        params["duration"] = json!(x);
    }
    let mut v = json!({"asset_id": a.id, "status": "generating", "type": a.kind, "cost": num(a.cost),
                       "created_at": iso(a.t.start_unix), "generation_params": params});
    if !(terminal || a.t.done(now)) {
        return v;
    }
    if a.fail {
        v["status"] = json!("failed");
        v["cost"] = json!(0);
        v["error"] =
            json!({"code": "ASSET_GENERATION_FAILED", "message": "Asset generation failed"});
        return v;
    }
    let expires = (a.t.end_unix() + inner.cfg.url_ttl_seconds).ceil() as u64;
    let ext = if a.kind == "video" { "mp4" } else { "png" };
    v["status"] = json!("completed");
    v["url"] = json!(inner
        .media
        .url_until(&inner.base, &format!("asset_{}.{ext}", a.id), expires));
    if a.kind == "video" {
        v["thumbnail_url"] = json!(thumb_url(inner, &format!("thumb_{}.png", a.id)));
        v["duration_seconds"] = json!(a.duration.unwrap_or(5));
    }
    v["width"] = json!(a.width);
    v["height"] = json!(a.height);
    v
}

fn asset_webhook(inner: &Inner, a: &Asset) -> Value {
    let s = asset_json(inner, a, Instant::now(), true);
    let mut p = json!({"task": "asset_generation", "asset_id": a.id, "status": s["status"]});
    if a.fail {
        p["error"] = s["error"].clone();
    } else {
        let mut r = json!({"asset_url": s["url"], "asset_type": a.kind, "width": a.width, "height": a.height});
        if a.kind == "video" {
            r["duration_seconds"] = s["duration_seconds"].clone();
        }
        p["result"] = r;
    }
    p
}

fn avatar_status_json(inner: &Inner, a: &Avatar, l: &Look, now: Instant, terminal: bool) -> Value {
    let status = if terminal {
        if l.gen.as_ref().is_some_and(|g| g.fail) {
            LookStatus::Error
        } else {
            LookStatus::Ready
        }
    } else {
        l.status(now)
    };
    let mut v = json!({"avatar_id": a.id, "look_id": l.id});
    match status {
        LookStatus::Pending => v["status"] = json!("pending"),
        LookStatus::Processing => v["status"] = json!("processing"),
        LookStatus::Error => {
            v["status"] = json!("failed");
            v["error"] =
                json!({"code": "LOOK_GENERATION_FAILED", "message": "Look generation failed"});
        }
        LookStatus::Ready => {
            let thumb = thumb_url(inner, &format!("look_{}.png", l.id));
            v["status"] = json!("completed");
            v["result"] = json!({"id": l.id, "avatar_name": a.name, "look_name": l.name, "gender": a.gender,
                                 "place": l.place, "accessories": l.accessories, "action": l.action, "emotion": l.emotion,
                                 "selfie": l.selfie, "format": l.format, "tags": l.tags, "thumbnail": thumb,
                                 "thumbnail_url": thumb, "model_available": l.model_available()});
        }
    }
    v
}

// ---------------------------------------------------------------------------------------
// sequence_plan

struct Plan {
    seconds: f64,
    text: String,
    /// (field, id) pairs to resolve.
    voices: Vec<(String, String)>,
    looks: Vec<(String, String)>,
    avatars: Vec<(String, String)>,
}

fn parse_plan(p: &Value, voice: Option<&str>) -> Result<Plan, (String, String)> {
    let blocks = match p {
        Value::Array(a) => a,
        Value::Object(o) => match o.get("audio_groups") {
            Some(Value::Array(a)) => a,
            _ => {
                return Err((
                    "sequence_plan".into(),
                    "sequence_plan must be an array of speech blocks".into(),
                ))
            }
        },
        _ => {
            return Err((
                "sequence_plan".into(),
                "sequence_plan must be an array of speech blocks".into(),
            ))
        }
    };
    if blocks.is_empty() {
        return Err((
            "sequence_plan".into(),
            "sequence_plan must contain at least one block".into(),
        ));
    }
    let mut plan = Plan {
        seconds: 0.0,
        text: String::new(),
        voices: vec![],
        looks: vec![],
        avatars: vec![],
    };
    let mut chars = 0usize;
    for (i, block) in blocks.iter().enumerate() {
        let bf = format!("sequence_plan[{i}]");
        let Some(bo) = block.as_object() else {
            return Err((bf, "each block must be an object".into()));
        };
        let str_field = |k: &str| -> Result<Option<String>, (String, String)> {
            match present(bo, k) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err((format!("{bf}.{k}"), format!("{k} must be a string"))),
            }
        };
        let b_voice = str_field("voice_id")?;
        let b_avatar = str_field("avatar_id")?;
        let b_look = str_field("look_id")?;
        let audio = str_field("audio_url")?;
        let Some(Value::Array(seqs)) = present(bo, "sequences") else {
            return Err((
                format!("{bf}.sequences"),
                "sequences must be a non-empty array".into(),
            ));
        };
        if seqs.is_empty() {
            return Err((
                format!("{bf}.sequences"),
                "sequences must be a non-empty array".into(),
            ));
        }
        let mut spoken = false;
        for (j, seq) in seqs.iter().enumerate() {
            let sf = format!("{bf}.sequences[{j}]");
            let Some(so) = seq.as_object() else {
                return Err((sf, "each sequence must be an object".into()));
            };
            match so.get("text") {
                Some(Value::String(t)) => {
                    spoken = true;
                    chars += t.chars().count();
                    plan.text.push_str(t);
                    plan.text.push(' ');
                }
                Some(Value::Null) => {
                    let Some(ms) = so
                        .get("duration_ms")
                        .and_then(Value::as_f64)
                        .filter(|m| *m > 0.0)
                    else {
                        return Err((
                            format!("{sf}.duration_ms"),
                            "silent sequences need a positive duration_ms".into(),
                        ));
                    };
                    if seqs.len() != 1 {
                        return Err((sf, "a silent sequence must be alone in its block".into()));
                    }
                    plan.seconds += ms / 1000.0;
                }
                _ => {
                    return Err((
                        format!("{sf}.text"),
                        "text is required (string or null)".into(),
                    ))
                }
            }
            match present(so, "look_id") {
                None => {}
                Some(Value::String(l)) => plan.looks.push((format!("{sf}.look_id"), l.clone())),
                Some(_) => {
                    return Err((format!("{sf}.look_id"), "look_id must be a string".into()))
                }
            }
            if let Some(m) = present(so, "media") {
                let Some(mo) = m.as_object() else {
                    return Err((format!("{sf}.media"), "media must be an object".into()));
                };
                if present(mo, "asset_id").is_none() && present(mo, "url").is_none() {
                    return Err((format!("{sf}.media"), "media needs asset_id or url".into()));
                }
                if let Some(show) = present(mo, "show") {
                    if !matches!(show.as_str(), Some("full" | "half" | "background" | "hide")) {
                        return Err((
                            format!("{sf}.media.show"),
                            "show must be one of: full, half, background, hide".into(),
                        ));
                    }
                }
            }
        }
        if spoken && audio.is_none() {
            match b_voice.as_deref().or(voice) {
                Some(v) => plan.voices.push((format!("{bf}.voice_id"), v.to_string())),
                None => {
                    return Err((
                        format!("{bf}.voice_id"),
                        "voice_id is required for spoken blocks".into(),
                    ))
                }
            }
        }
        if let Some(l) = b_look {
            plan.looks.push((format!("{bf}.look_id"), l));
        }
        if let Some(a) = b_avatar {
            plan.avatars.push((format!("{bf}.avatar_id"), a));
        }
    }
    plan.seconds += credits::script_seconds(chars);
    Ok(plan)
}
