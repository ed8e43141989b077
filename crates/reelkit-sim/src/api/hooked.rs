//! Hooked public API simulation (`/v1/...`, also `/api/v1/...`; hooked.md): the
//! `{success, message, data}` envelope and error envelope (§3), `x-api-key` auth, Zod-style
//! validation messages `"<path>: <message>"` (400, `code: "VALIDATION_ERROR"`, `details`
//! maps each path to its message), the endpoints of §5 rows 1–31 (social search 30–31
//! included), video lifecycle `STARTED` → `COMPLETED` | `FAILED`, schedules,
//! integrations, catalogue lists and `project.completed` / `project.failed` webhooks (§7).
//!
//! Choices where the notes are silent: creates answer 200; every video costs 5 credits
//! (debited at creation, refunded on failure; 402 `INSUFFICIENT_CREDITS` when short);
//! `/project/create` (template) also returns `videoId`; hook-demo completes immediately;
//! pending schedules become `published` (or `failed` on an expired integration) once their
//! time has passed; only `pending` schedules can be updated or deleted. No rate limit.
//! Webhook URLs must be HTTPS (≤ 500 chars), except http on the loopback (tests).
//!
//! Seeds: completed `vid_abc123` (hooked-get-video seed, `url` on this server),
//! `vid_other_team` (403), schedules `post_published_seed` (published) and
//! `post_other_team` (another team), integrations `int_yt_abc123` (healthy) and
//! `int_tt_expired` (expired), templates `tpl_123`, `tpl_product_launch`.

use super::credits::{Provider, HOOKED_VIDEO_CREDITS};
use super::hooked_catalog as cat;
use super::util::{is_https_or_loopback, iso, new_id, num, parse_iso, unix_now};
use super::{Inner, State, Timing};
use crate::types::{SimRequest, SimResponse};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

const FAIL: &str = "SIMULATE_FAILURE";
const FPS: f64 = 25.0;
const ASPECTS: &[&str] = &["ratio_9_16", "ratio_16_9", "ratio_1_1"];
const PRESETS: &[&str] = &[
    "default", "beast", "umi", "tiktok", "wrap1", "wrap2", "ariel", "hooked", "classic", "active",
    "bubble", "glass", "comic", "glow", "pastel", "neon", "retroTV", "red", "marker", "modern",
    "blue", "vivid",
];
const VIDEO_TYPES: &[&str] = &[
    "class",
    "ugc_ads",
    "ugc_video",
    "script_to_video",
    "prompt_to_video",
    "hook_demo",
    "product_ads",
    "scenes",
    "add_captions",
    "extend_video",
    "remove_background",
    "tiktok_slideshow",
];

// ---------------------------------------------------------------------------------------
// State

pub struct HkVideo {
    pub id: String,
    pub project_id: String,
    pub name: String,
    pub kind: &'static str,
    pub t: Timing,
    pub seq: u64,
    pub seconds: f64,
    pub fail: bool,
    pub avatar_id: Option<String>,
    pub voice_id: Option<String>,
    pub music_id: Option<String>,
    pub aspect: String,
    pub caption_preset: String,
    pub caption_disabled: bool,
    pub script: Option<String>,
    pub webhook: Option<String>,
    pub metadata: Option<Value>,
    pub other_team: bool,
    /// Seeds keep their documented timestamps.
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub thumbnail: Option<String>,
}

#[derive(PartialEq, Eq, Clone, Copy, Debug)]
enum VStatus {
    Started,
    Completed,
    Failed,
}

impl HkVideo {
    fn status(&self, now: Instant) -> VStatus {
        if !self.t.done(now) {
            VStatus::Started
        } else if self.fail {
            VStatus::Failed
        } else {
            VStatus::Completed
        }
    }
}

pub struct Schedule {
    pub id: String,
    pub video_id: String,
    pub integration_id: String,
    pub scheduled_unix: f64,
    pub platform_data: Map<String, Value>,
    /// A fixed status (seeds); `None` = pending until the time passes.
    pub fixed: Option<&'static str>,
    pub created_unix: f64,
    pub updated_unix: f64,
    pub other_team: bool,
}

pub struct Search {
    pub id: String,
    pub term: String,
    pub platform: String,
    pub t: Timing,
    pub videos: Vec<Value>,
}

pub(crate) struct HookedState {
    searches: Vec<Search>,
    videos: HashMap<String, HkVideo>,
    next_seq: u64,
    schedules: Vec<Schedule>,
    trends: Vec<Value>,
}

impl HookedState {
    pub fn seed() -> Self {
        let mut videos = HashMap::new();
        let seed = HkVideo {
            id: "vid_abc123".into(),
            project_id: "proj_abc123".into(),
            name: "Product Tutorial".into(),
            kind: "class",
            t: Timing::done_at(1_705_312_800.0),
            seq: 0,
            seconds: 300.0,
            fail: false,
            avatar_id: Some("avatar_sarah_01".into()),
            voice_id: Some("tzX5paJ07p5hyWFcU3uG".into()),
            music_id: Some("1".into()),
            aspect: "ratio_9_16".into(),
            caption_preset: "classic".into(),
            caption_disabled: false,
            script: Some("Hello! Welcome to this tutorial...".into()),
            webhook: None,
            metadata: None,
            other_team: false,
            created_at: Some("2024-01-15T10:00:00Z".into()),
            updated_at: Some("2024-01-15T10:05:00Z".into()),
            thumbnail: Some("https://cdn.tryhooked.ai/thumbnails/abc123.jpg".into()),
        };
        let other = HkVideo {
            id: "vid_other_team".into(),
            project_id: "proj_other_team".into(),
            name: "Another team's video".into(),
            created_at: Some("2024-01-16T10:00:00Z".into()),
            updated_at: Some("2024-01-16T10:05:00Z".into()),
            other_team: true,
            seq: 1,
            seconds: 30.0,
            ..seed_clone(&seed)
        };
        videos.insert(seed.id.clone(), seed);
        videos.insert(other.id.clone(), other);
        let schedules = vec![
            Schedule {
                id: "post_published_seed".into(),
                video_id: "vid_abc123".into(),
                integration_id: "int_yt_abc123".into(),
                scheduled_unix: 1_710_946_800.0,
                platform_data: json!({"title": "Product tutorial", "description": "Watch the full tutorial", "tags": ["tutorial"],
                                      "privacyStatus": "public", "madeForKids": false,
                                      "publishedUrl": "https://www.youtube.com/watch?v=abc123XYZ"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
                fixed: Some("published"),
                created_unix: 1_710_900_000.0,
                updated_unix: 1_710_946_900.0,
                other_team: false,
            },
            Schedule {
                id: "post_other_team".into(),
                video_id: "vid_other_team".into(),
                integration_id: "int_yt_abc123".into(),
                scheduled_unix: unix_now() + 365.0 * 86_400.0,
                platform_data: Map::new(),
                fixed: None,
                created_unix: 1_710_900_000.0,
                updated_unix: 1_710_900_000.0,
                other_team: true,
            },
        ];
        HookedState {
            searches: Vec::new(),
            videos,
            next_seq: 10,
            schedules,
            trends: cat::trends(),
        }
    }
}

fn seed_clone(v: &HkVideo) -> HkVideo {
    HkVideo {
        id: v.id.clone(),
        project_id: v.project_id.clone(),
        name: v.name.clone(),
        kind: v.kind,
        t: v.t,
        seq: v.seq,
        seconds: v.seconds,
        fail: v.fail,
        avatar_id: v.avatar_id.clone(),
        voice_id: v.voice_id.clone(),
        music_id: v.music_id.clone(),
        aspect: v.aspect.clone(),
        caption_preset: v.caption_preset.clone(),
        caption_disabled: v.caption_disabled,
        script: v.script.clone(),
        webhook: v.webhook.clone(),
        metadata: v.metadata.clone(),
        other_team: v.other_team,
        created_at: v.created_at.clone(),
        updated_at: v.updated_at.clone(),
        thumbnail: v.thumbnail.clone(),
    }
}

// ---------------------------------------------------------------------------------------
// Envelope helpers

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

/// Zod-like issue collector.
#[derive(Default)]
struct Z {
    issues: Vec<(String, String)>,
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn received(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

impl Z {
    fn issue(&mut self, path: &str, msg: impl Into<String>) {
        self.issues.push((path.to_string(), msg.into()));
    }

    fn ok(&self) -> bool {
        self.issues.is_empty()
    }

    fn into_response(self) -> SimResponse {
        let message = self
            .issues
            .iter()
            .map(|(p, m)| {
                if p.is_empty() {
                    m.clone()
                } else {
                    format!("{p}: {m}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let mut details = Map::new();
        for (p, m) in self.issues {
            details.entry(p).or_insert(Value::String(m));
        }
        SimResponse::json(
            400,
            &json!({"success": false, "message": message, "code": "VALIDATION_ERROR", "details": details}),
        )
    }

    /// A string field: `None` when absent (and `Required` if `required`).
    fn string(
        &mut self,
        o: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        min: usize,
        max: usize,
    ) -> Option<String> {
        let path = join(prefix, key);
        match o.get(key) {
            None => {
                if required {
                    self.issue(&path, "Required");
                }
                None
            }
            Some(Value::String(s)) => {
                let n = s.chars().count();
                if n < min {
                    self.issue(
                        &path,
                        format!("String must contain at least {min} character(s)"),
                    );
                    None
                } else if n > max {
                    self.issue(
                        &path,
                        format!("String must contain at most {max} character(s)"),
                    );
                    None
                } else {
                    Some(s.clone())
                }
            }
            Some(other) => {
                if required || !other.is_null() {
                    self.issue(
                        &path,
                        format!("Expected string, received {}", received(other)),
                    );
                }
                None
            }
        }
    }

    fn exact_len(
        &mut self,
        o: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        len: usize,
    ) -> Option<String> {
        let s = self.string(o, prefix, key, required, 0, usize::MAX)?;
        if s.chars().count() != len {
            self.issue(
                &join(prefix, key),
                format!("String must contain exactly {len} character(s)"),
            );
            return None;
        }
        Some(s)
    }

    fn enumv(
        &mut self,
        o: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        allowed: &[&str],
    ) -> Option<String> {
        let path = join(prefix, key);
        match o.get(key) {
            None => {
                if required {
                    self.issue(&path, "Required");
                }
                None
            }
            Some(Value::String(s)) if allowed.contains(&s.as_str()) => Some(s.clone()),
            Some(v) => {
                let expected = allowed
                    .iter()
                    .map(|a| format!("'{a}'"))
                    .collect::<Vec<_>>()
                    .join(" | ");
                let got = match v {
                    Value::String(s) => format!("'{s}'"),
                    other => received(other).to_string(),
                };
                self.issue(
                    &path,
                    format!("Invalid enum value. Expected {expected}, received {got}"),
                );
                None
            }
        }
    }

    fn boolean(
        &mut self,
        o: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
    ) -> Option<bool> {
        let path = join(prefix, key);
        match o.get(key) {
            None => {
                if required {
                    self.issue(&path, "Required");
                }
                None
            }
            Some(Value::Bool(b)) => Some(*b),
            Some(v) => {
                self.issue(&path, format!("Expected boolean, received {}", received(v)));
                None
            }
        }
    }

    /// A number in `[min, max]`; `between` = the custom "Number must be between" message.
    #[allow(clippy::too_many_arguments)]
    fn number(
        &mut self,
        o: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        min: f64,
        max: f64,
        int: bool,
        between: bool,
    ) -> Option<f64> {
        let path = join(prefix, key);
        match o.get(key) {
            None => {
                if required {
                    self.issue(&path, "Required");
                }
                None
            }
            Some(Value::Number(n)) => {
                let x = n.as_f64().unwrap_or(0.0);
                if int && x.fract() != 0.0 {
                    self.issue(&path, "Expected integer, received float");
                    return None;
                }
                if between && !(min..=max).contains(&x) {
                    self.issue(
                        &path,
                        format!("Number must be between {} and {}", num(min), num(max)),
                    );
                    return None;
                }
                if x < min {
                    self.issue(
                        &path,
                        format!("Number must be greater than or equal to {}", num(min)),
                    );
                    return None;
                }
                if x > max {
                    self.issue(
                        &path,
                        format!("Number must be less than or equal to {}", num(max)),
                    );
                    return None;
                }
                Some(x)
            }
            Some(v) => {
                self.issue(&path, format!("Expected number, received {}", received(v)));
                None
            }
        }
    }

    fn object<'a>(
        &mut self,
        o: &'a Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
    ) -> Option<&'a Map<String, Value>> {
        let path = join(prefix, key);
        match o.get(key) {
            None => {
                if required {
                    self.issue(&path, "Required");
                }
                None
            }
            Some(Value::Object(m)) => Some(m),
            Some(v) => {
                self.issue(&path, format!("Expected object, received {}", received(v)));
                None
            }
        }
    }

    fn array<'a>(
        &mut self,
        o: &'a Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        min: usize,
        max: usize,
    ) -> Option<&'a Vec<Value>> {
        let path = join(prefix, key);
        match o.get(key) {
            None => {
                if required {
                    self.issue(&path, "Required");
                }
                None
            }
            Some(Value::Array(a)) => {
                if a.len() < min {
                    self.issue(
                        &path,
                        format!("Array must contain at least {min} element(s)"),
                    );
                } else if a.len() > max {
                    self.issue(
                        &path,
                        format!("Array must contain at most {max} element(s)"),
                    );
                }
                Some(a)
            }
            Some(v) => {
                self.issue(&path, format!("Expected array, received {}", received(v)));
                None
            }
        }
    }

    /// An array of media-id strings.
    fn id_list(
        &mut self,
        o: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        max: usize,
    ) -> Vec<String> {
        let Some(a) = self.array(o, prefix, key, required, if required { 1 } else { 0 }, max)
        else {
            return vec![];
        };
        let mut out = vec![];
        for (i, item) in a.iter().enumerate() {
            match item {
                Value::String(s) if !s.is_empty() => out.push(s.clone()),
                Value::String(_) => self.issue(
                    &format!("{}.{i}", join(prefix, key)),
                    "String must contain at least 1 character(s)",
                ),
                Value::Object(m) if m.get("id").is_some_and(Value::is_string) => {
                    out.push(m["id"].as_str().unwrap_or_default().to_string())
                }
                v => self.issue(
                    &format!("{}.{i}", join(prefix, key)),
                    format!("Expected string, received {}", received(v)),
                ),
            }
        }
        out
    }

    fn webhook(&mut self, o: &Map<String, Value>) -> Option<String> {
        let s = self.string(o, "", "webhook", false, 0, 500)?;
        if url::Url::parse(&s).is_err() {
            self.issue("webhook", "Invalid url");
            return None;
        }
        if !is_https_or_loopback(&s) {
            self.issue("webhook", "Webhook URL must use HTTPS");
            return None;
        }
        Some(s)
    }

    fn metadata(&mut self, o: &Map<String, Value>) -> Option<Value> {
        let m = self.object(o, "", "metadata", false)?;
        let size = serde_json::to_vec(m).map(|v| v.len()).unwrap_or(0);
        if size > 5 * 1024 {
            self.issue("metadata", "Metadata must be less than 5KB");
            return None;
        }
        Some(Value::Object(m.clone()))
    }

    /// `caption` object; returns (preset, disabled).
    fn caption(
        &mut self,
        o: &Map<String, Value>,
        required: bool,
        default_preset: &str,
    ) -> (String, bool) {
        let Some(c) = self.object(o, "", "caption", required) else {
            return (default_preset.into(), false);
        };
        let preset = self.enumv(c, "caption", "preset", false, PRESETS);
        self.enumv(
            c,
            "caption",
            "alignment",
            false,
            &["top", "middle", "bottom"],
        );
        let disabled = self
            .boolean(c, "caption", "disabled", false)
            .unwrap_or(false);
        (preset.unwrap_or_else(|| default_preset.into()), disabled)
    }

    fn audio(&mut self, o: &Map<String, Value>) {
        if let Some(a) = self.object(o, "", "audio", false) {
            for k in ["speed", "stability", "similarityBoost", "style"] {
                self.number(a, "audio", k, false, f64::MIN, f64::MAX, false, false);
            }
            self.boolean(a, "audio", "useSpeakerBoost", false);
        }
    }
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

fn route(method: &str, rest: &str) -> Result<Route, &'static str> {
    let segs: Vec<String> = rest.split('/').map(super::util::pct_decode).collect();
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
        ["project", "create", kind] => {
            let k: &'static str = match *kind {
                "ugc-ads" => "ugc-ads",
                "talking-avatar" => "talking-avatar",
                "ugc-video" => "ugc-video",
                "script-to-video" => "script-to-video",
                "prompt-to-video" => "prompt-to-video",
                "hook-demo" => "hook-demo",
                "product-ads" => "product-ads",
                "scenes" => "scenes",
                "add-captions" => "add-captions",
                "extend-video" => "extend-video",
                "remove-background" => "remove-background",
                "tiktok-slideshow" => "tiktok-slideshow",
                _ => return Err("not_found"),
            };
            ("POST", Route::Create(k))
        }
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
                let mut z = Z::default();
                z.issue("", format!("Expected object, received {}", received(&v)));
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

struct Cx<'a> {
    inner: &'a Arc<Inner>,
    st: &'a mut State,
    now: Instant,
}

fn paging(req: &SimRequest, default: u64, max: u64) -> Result<(u64, u64), SimResponse> {
    let mut z = Z::default();
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

impl Cx<'_> {
    fn dispatch(&mut self, req: &SimRequest, r: Route, body: Map<String, Value>) -> SimResponse {
        match r {
            Route::VideoGet(id) => self.video_get(&id),
            Route::VideoList => self.video_list(req),
            Route::AvatarList => {
                let ty = req.query_param("type").unwrap_or("all");
                if !["all", "library", "custom"].contains(&ty) {
                    let mut z = Z::default();
                    z.issue("type", format!("Invalid enum value. Expected 'library' | 'custom' | 'all', received '{ty}'"));
                    return z.into_response();
                }
                let avatars: Vec<Value> = cat::AVATARS
                    .iter()
                    .filter(|a| ty == "all" || (ty == "custom") == a.5)
                    .map(cat::avatar_json)
                    .collect();
                ok(
                    Some("Avatars fetched successfully"),
                    json!({"avatars": avatars}),
                )
            }
            Route::VoiceList => ok(Some("Voices fetched successfully"), cat::voices_json()),
            Route::MusicList => ok(Some("Music fetched successfully"), cat::music_json()),
            Route::TemplateList => {
                let t: Vec<Value> = cat::TEMPLATE_IDS
                    .iter()
                    .filter_map(|id| cat::template_json(id, false))
                    .collect();
                ok(
                    Some("Templates fetched successfully"),
                    json!({"templates": t}),
                )
            }
            Route::TemplateGet(id) => match cat::template_json(&id, true) {
                Some(t) => ok(Some("Template fetched successfully"), t),
                None => fail(404, "Template not found", Some("TEMPLATE_NOT_FOUND")),
            },
            Route::Create(kind) => self.create(kind, body),
            Route::ScheduleCreate => self.schedule_create(body),
            Route::ScheduleList => self.schedule_list(req),
            Route::Schedule(id) => match req.method.as_str() {
                "GET" => self.schedule_get(&id),
                "PATCH" => self.schedule_patch(&id, body),
                _ => self.schedule_delete(&id),
            },
            Route::IntegrationList => {
                let list: Vec<Value> = cat::INTEGRATIONS
                    .iter()
                    .map(cat::integration_json)
                    .collect();
                ok(
                    Some("Integrations fetched successfully"),
                    json!({"integrations": list}),
                )
            }
            Route::IntegrationGet(id) => match cat::integration(&id) {
                Some(i) => ok(None, cat::integration_json(i)),
                None => fail(404, "Integration not found", Some("INTEGRATION_NOT_FOUND")),
            },
            Route::Trends => self.trends(req),
            Route::Niches => ok(Some("Niches fetched successfully"), cat::niches_json()),
            Route::SearchCreate => self.search_create(body),
            Route::SearchGet(id) => self.search_get(req, &id),
        }
    }

    // -----------------------------------------------------------------------------------
    // Videos

    fn video_get(&mut self, id: &str) -> SimResponse {
        match self.st.hooked.videos.get(id) {
            None => fail(404, "Video not found", Some("VIDEO_NOT_FOUND")),
            Some(v) if v.other_team => {
                fail(403, "Video does not belong to your team", Some("FORBIDDEN"))
            }
            Some(v) => ok(
                Some("Video details fetched successfully"),
                video_json(self.inner, v, self.now, true),
            ),
        }
    }

    fn video_list(&mut self, req: &SimRequest) -> SimResponse {
        let mut z = Z::default();
        let ty = req.query_param("type").filter(|s| !s.is_empty());
        if let Some(t) = ty {
            if !VIDEO_TYPES.contains(&t) {
                let expected = VIDEO_TYPES
                    .iter()
                    .map(|a| format!("'{a}'"))
                    .collect::<Vec<_>>()
                    .join(" | ");
                z.issue(
                    "type",
                    format!("Invalid enum value. Expected {expected}, received '{t}'"),
                );
            }
        }
        let status = req
            .query_param("status")
            .filter(|s| !s.is_empty())
            .map(str::to_ascii_lowercase);
        let want: Option<Option<VStatus>> = match status.as_deref() {
            None => None,
            Some("processing") | Some("started") => Some(Some(VStatus::Started)),
            Some("completed") => Some(Some(VStatus::Completed)),
            Some("failed") => Some(Some(VStatus::Failed)),
            Some("draft") => Some(None),
            Some(other) => {
                z.issue(
                    "status",
                    format!("Invalid enum value. Expected 'draft' | 'processing' | 'completed' | 'failed', received '{other}'"),
                );
                None
            }
        };
        if !z.ok() {
            return z.into_response();
        }
        let (limit, offset) = match paging(req, 50, 100) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let now = self.now;
        let mut vids: Vec<&HkVideo> = self
            .st
            .hooked
            .videos
            .values()
            .filter(|v| !v.other_team)
            .filter(|v| ty.is_none_or(|t| v.kind == t))
            .filter(|v| match want {
                None => true,
                Some(None) => false,
                Some(Some(s)) => v.status(now) == s,
            })
            .collect();
        vids.sort_by_key(|v| std::cmp::Reverse(v.seq));
        let total = vids.len();
        let items: Vec<Value> = page(&vids, limit, offset)
            .into_iter()
            .map(|v| video_json(self.inner, v, now, false))
            .collect();
        ok(
            Some("Videos fetched successfully"),
            json!({"videos": items, "total": total, "limit": limit, "offset": offset}),
        )
    }

    // -----------------------------------------------------------------------------------
    // Project creation

    fn create(&mut self, kind: &'static str, b: Map<String, Value>) -> SimResponse {
        let mut z = Z::default();
        let mut spec = Spec::default();
        match kind {
            "talking-avatar" | "ugc-video" => {
                let older = kind == "ugc-video";
                spec.kind = "ugc_video";
                spec.script = z.string(&b, "", "script", true, 1, 10_000);
                spec.avatar = z.string(&b, "", "avatarId", true, 1, 100);
                spec.voice = z.string(&b, "", "voiceId", true, 1, 100);
                spec.name = z.string(&b, "", "name", false, 0, 100);
                z.enumv(&b, "", "lipsyncModel", false, &["base", "pro"]);
                spec.music = z.string(&b, "", "musicId", false, 0, 30);
                spec.caption = z.caption(&b, older, "tiktok");
                z.audio(&b);
                spec.aspect = z.enumv(&b, "", "aspectRatio", older, ASPECTS);
                z.exact_len(&b, "", "language", older, 2);
                spec.message = if older {
                    "UGC video successfully created"
                } else {
                    "Talking avatar successfully created"
                };
            }
            "ugc-ads" => {
                spec.kind = "ugc_ads";
                spec.script = z.string(&b, "", "script", true, 1, 10_000);
                spec.avatar = z.string(&b, "", "avatarId", true, 1, 100);
                spec.voice = z.string(&b, "", "voiceId", true, 1, 100);
                spec.media = z.id_list(&b, "", "media", true, 50).len();
                spec.name = z.string(&b, "", "name", false, 0, 100);
                z.enumv(&b, "", "lipsyncModel", false, &["base", "pro"]);
                if let Some(a) = z.object(&b, "", "adSettings", false) {
                    z.string(a, "adSettings", "bRollType", false, 1, 100);
                    z.boolean(a, "adSettings", "removeAvatarBackground", false);
                }
                spec.music = z.string(&b, "", "musicId", false, 0, 30);
                spec.caption = z.caption(&b, false, "tiktok");
                spec.aspect = z.enumv(&b, "", "aspectRatio", false, ASPECTS);
                z.exact_len(&b, "", "language", false, 2);
                spec.message = "UGC ad successfully created";
            }
            "script-to-video" | "prompt-to-video" => {
                let prompt_mode = kind == "prompt-to-video";
                spec.kind = if prompt_mode {
                    "prompt_to_video"
                } else {
                    "script_to_video"
                };
                if prompt_mode {
                    spec.prompt = z.string(&b, "", "prompt", true, 1, 4000);
                } else {
                    spec.script = z.string(&b, "", "script", true, 1, 10_000);
                }
                spec.voice = z.string(&b, "", "voiceId", true, 1, 100);
                let preset = z.object(&b, "", "presetSettings", false);
                let media_type = if b.contains_key("mediaType")
                    || preset.is_none_or(|p| !p.contains_key("mediaType"))
                {
                    z.enumv(
                        &b,
                        "",
                        "mediaType",
                        true,
                        &["ai-images", "ai-videos", "media", "gameplay"],
                    )
                } else {
                    preset.and_then(|p| {
                        z.enumv(
                            p,
                            "presetSettings",
                            "mediaType",
                            true,
                            &["ai-images", "ai-videos", "media", "gameplay"],
                        )
                    })
                };
                if let Some(p) = preset {
                    z.string(p, "presetSettings", "preset", false, 1, 100);
                    z.string(p, "presetSettings", "quality", false, 1, 100);
                }
                spec.media = z
                    .id_list(&b, "", "media", media_type.as_deref() == Some("media"), 50)
                    .len();
                let gameplay = z.object(
                    &b,
                    "",
                    "gameplaySettings",
                    media_type.as_deref() == Some("gameplay"),
                );
                let _ = gameplay;
                spec.name = z.string(&b, "", "name", false, 0, 100);
                spec.music = z.string(&b, "", "musicId", false, 0, 30);
                spec.aspect = z.enumv(&b, "", "aspectRatio", false, ASPECTS);
                spec.caption = z.caption(&b, false, "classic");
                z.exact_len(&b, "", "language", false, 2);
                z.boolean(&b, "", "addStickers", false);
                z.audio(&b);
                if prompt_mode {
                    spec.seconds = z
                        .number(&b, "", "targetDuration", false, 10.0, 120.0, true, false)
                        .or(Some(60.0));
                    spec.message = "Prompt to Video successfully created";
                } else {
                    spec.message = "Script to Video successfully created";
                }
            }
            "hook-demo" => {
                spec.kind = "hook_demo";
                spec.avatar = z.string(&b, "", "avatarId", true, 1, 100);
                spec.text = z.string(&b, "", "text", true, 1, 5000);
                spec.name = z.string(&b, "", "name", false, 0, 100);
                spec.media = z.id_list(&b, "", "media", false, 50).len();
                spec.music = z.string(&b, "", "musicId", false, 0, 30);
                if let Some(t) = z.object(&b, "", "textSettings", false) {
                    for k in ["preset", "alignment", "textColor", "backgroundColor"] {
                        z.string(t, "textSettings", k, false, 0, 100);
                    }
                    z.boolean(t, "textSettings", "disabled", false);
                }
                spec.aspect = z.enumv(&b, "", "aspectRatio", false, ASPECTS);
                spec.seconds = Some(8.0 + 4.0 * spec.media as f64);
                spec.instant = true;
                spec.message = "Hook demo successfully created";
            }
            "product-ads" => {
                spec.kind = "product_ads";
                spec.script = z.string(&b, "", "script", true, 1, 10_000);
                if let Some(p) = z.object(&b, "", "productAdSettings", true) {
                    if let Some(u) = z.string(p, "productAdSettings", "websiteUrl", true, 1, 500) {
                        match url::Url::parse(&u) {
                            Ok(x) if x.scheme() == "https" => {}
                            Ok(_) => z.issue(
                                "productAdSettings.websiteUrl",
                                "Website URL must use HTTPS",
                            ),
                            Err(_) => z.issue("productAdSettings.websiteUrl", "Invalid url"),
                        }
                    }
                    z.number(
                        p,
                        "productAdSettings",
                        "avatarIntroSeconds",
                        false,
                        1.0,
                        30.0,
                        false,
                        false,
                    );
                    z.number(
                        p,
                        "productAdSettings",
                        "showWebsiteAfter",
                        false,
                        1.0,
                        30.0,
                        false,
                        false,
                    );
                    z.number(
                        p,
                        "productAdSettings",
                        "scrollInterval",
                        false,
                        0.0,
                        60.0,
                        false,
                        false,
                    );
                }
                spec.avatar = z.string(&b, "", "avatarId", false, 1, 100);
                spec.voice = z.string(&b, "", "voiceId", false, 1, 100);
                spec.name = z.string(&b, "", "name", false, 0, 100);
                spec.music = z.string(&b, "", "musicId", false, 0, 30);
                spec.caption = z.caption(&b, false, "tiktok");
                spec.aspect = z.enumv(&b, "", "aspectRatio", false, ASPECTS);
                z.exact_len(&b, "", "language", false, 2);
                spec.message = "Product ad successfully created";
            }
            "scenes" => {
                spec.kind = "scenes";
                let mut secs = 0.0;
                if let Some(scenes) = z.array(&b, "", "scenes", true, 1, 50) {
                    for (i, s) in scenes.iter().enumerate() {
                        let p = format!("scenes.{i}");
                        let Some(so) = s.as_object() else {
                            z.issue(&p, format!("Expected object, received {}", received(s)));
                            continue;
                        };
                        let ty = z.enumv(
                            so,
                            &p,
                            "type",
                            true,
                            &["avatar", "video", "picture_in_picture", "start_end_frame"],
                        );
                        let talking =
                            matches!(ty.as_deref(), Some("avatar" | "picture_in_picture"));
                        let script = z.string(so, &p, "script", talking, 1, 5000);
                        let avatar = z.string(so, &p, "avatarId", talking, 1, 100);
                        z.string(so, &p, "voiceId", talking, 1, 100);
                        z.string(
                            so,
                            &p,
                            "mediaId",
                            matches!(ty.as_deref(), Some("video" | "picture_in_picture")),
                            1,
                            100,
                        );
                        let sef = ty.as_deref() == Some("start_end_frame");
                        z.string(so, &p, "startFrameMediaId", sef, 1, 100);
                        z.string(so, &p, "endFrameMediaId", sef, 1, 100);
                        z.string(so, &p, "frameModel", false, 1, 100);
                        let fp = z.string(so, &p, "framePrompt", sef, 1, 2000);
                        let fd = z.number(so, &p, "frameDuration", false, 1.0, 60.0, false, false);
                        if let Some(a) = avatar {
                            spec.scene_avatars.push(a);
                        }
                        if let Some(s) = &script {
                            secs += script_seconds(s);
                            spec.texts.push(s.clone());
                        } else if sef {
                            secs += fd.unwrap_or(5.0);
                        } else {
                            secs += 5.0;
                        }
                        if let Some(f) = fp {
                            spec.texts.push(f);
                        }
                    }
                }
                spec.seconds = Some(secs.max(1.0));
                spec.name = z.string(&b, "", "name", false, 0, 100);
                spec.music = z.string(&b, "", "musicId", false, 0, 30);
                spec.caption = z.caption(&b, false, "tiktok");
                spec.aspect = z.enumv(&b, "", "aspectRatio", false, ASPECTS);
                z.boolean(&b, "", "addStickers", false);
                z.audio(&b);
                z.exact_len(&b, "", "language", false, 2);
                spec.message = "Scenes project successfully created";
            }
            "add-captions" | "remove-background" | "extend-video" => {
                spec.kind = match kind {
                    "add-captions" => "add_captions",
                    "remove-background" => "remove_background",
                    _ => "extend_video",
                };
                z.string(&b, "", "media", true, 1, 100);
                spec.name = z.string(&b, "", "name", false, 0, 100);
                spec.seconds = Some(30.0);
                match kind {
                    "add-captions" => {
                        spec.music = z.string(&b, "", "musicId", false, 0, 30);
                        spec.caption = z.caption(&b, false, "classic");
                        z.exact_len(&b, "", "language", false, 2);
                        z.boolean(&b, "", "addStickers", false);
                        spec.message = "Add captions successfully created";
                    }
                    "remove-background" => spec.message = "Remove Background successfully created",
                    _ => {
                        spec.prompt = z.string(&b, "", "prompt", true, 1, 2000);
                        let d = z.number(&b, "", "targetDuration", false, 4.0, 60.0, true, false);
                        if let Some(d) = d {
                            if d as u64 % 4 != 0 {
                                z.issue(
                                    "targetDuration",
                                    "Target duration must be a multiple of 4",
                                );
                            }
                        }
                        z.boolean(&b, "", "generateAudio", false);
                        spec.seconds = Some(d.unwrap_or(4.0));
                        spec.message = "Extend video successfully created";
                    }
                }
            }
            "tiktok-slideshow" => {
                spec.kind = "tiktok_slideshow";
                let mut secs = 0.0;
                match b.get("slides") {
                    Some(Value::Array(a)) if a.is_empty() => {
                        z.issue("slides", "At least one slide is required")
                    }
                    _ => {}
                }
                if let Some(slides) = z.array(&b, "", "slides", true, 0, 50) {
                    for (i, s) in slides.iter().enumerate() {
                        let p = format!("slides.{i}");
                        let Some(so) = s.as_object() else {
                            z.issue(&p, format!("Expected object, received {}", received(s)));
                            continue;
                        };
                        z.string(so, &p, "media", true, 1, 100);
                        secs += z
                            .number(so, &p, "duration", false, 1.0, 10.0, false, true)
                            .unwrap_or(3.0);
                        if let Some(texts) = z.array(so, &p, "texts", false, 0, 10) {
                            for (j, t) in texts.iter().enumerate() {
                                let tp = format!("{p}.texts.{j}");
                                let Some(to) = t.as_object() else {
                                    z.issue(
                                        &tp,
                                        format!("Expected object, received {}", received(t)),
                                    );
                                    continue;
                                };
                                if let Some(text) = z.string(to, &tp, "text", true, 1, 500) {
                                    spec.texts.push(text);
                                }
                                z.number(to, &tp, "x", false, f64::MIN, f64::MAX, false, false);
                                z.number(to, &tp, "y", false, f64::MIN, f64::MAX, false, false);
                            }
                        }
                    }
                }
                spec.seconds = Some(secs.max(1.0));
                spec.aspect = z.enumv(&b, "", "aspectRatio", true, ASPECTS);
                z.exact_len(&b, "", "language", true, 2);
                spec.name = z.string(&b, "", "name", false, 1, 100);
                spec.script = z.string(&b, "", "script", false, 0, 10_000);
                spec.voice = z.string(&b, "", "voiceId", false, 1, 30);
                if spec.script.as_deref().is_some_and(|s| !s.is_empty())
                    && spec.voice.is_none()
                    && !b.contains_key("voiceId")
                {
                    z.issue("voiceId", "voiceId is required when script is provided");
                }
                spec.avatar = z.string(&b, "", "avatarId", false, 1, 30);
                z.enumv(&b, "", "lipsyncModel", false, &["base", "pro"]);
                spec.music = z.string(&b, "", "musicId", false, 0, 30);
                spec.message = "TikTok slideshow successfully created";
            }
            _ => {
                // Template generation (type "class"), or its direct form.
                spec.kind = "class";
                match b.get("type") {
                    None => z.issue("type", "Required"),
                    Some(Value::String(s)) if s == "class" => {}
                    Some(_) => z.issue("type", "Invalid literal value, expected \"class\""),
                }
                if !b.contains_key("templateId") && b.contains_key("script") {
                    spec.script = z.string(&b, "", "script", true, 1, 10_000);
                    spec.avatar = z.string(&b, "", "avatarId", true, 1, 100);
                    spec.voice = z.string(&b, "", "voiceId", true, 1, 100);
                    spec.name = z.string(&b, "", "title", false, 1, 100);
                } else {
                    spec.template = z.string(&b, "", "templateId", true, 1, 20);
                    spec.name = z.string(&b, "", "title", true, 1, 100);
                    spec.caption.1 = !z.boolean(&b, "", "caption", true).unwrap_or(true);
                    z.exact_len(&b, "", "language", true, 2);
                    let mut secs = 0.0;
                    if let Some(scenes) = z.array(&b, "", "scenes", true, 1, 20) {
                        for (i, s) in scenes.iter().enumerate() {
                            let p = format!("scenes.{i}");
                            let Some(so) = s.as_object() else {
                                z.issue(&p, format!("Expected object, received {}", received(s)));
                                continue;
                            };
                            if let Some(sc) = z.string(so, &p, "script", true, 1, 5000) {
                                secs += script_seconds(&sc);
                                spec.texts.push(sc);
                            }
                            if let Some(vars) = z.array(so, &p, "variables", false, 0, 20) {
                                for (j, v) in vars.iter().enumerate() {
                                    let vp = format!("{p}.variables.{j}");
                                    let Some(vo) = v.as_object() else {
                                        z.issue(
                                            &vp,
                                            format!("Expected object, received {}", received(v)),
                                        );
                                        continue;
                                    };
                                    z.string(vo, &vp, "key", true, 1, 100);
                                    z.string(vo, &vp, "value", true, 1, 2000);
                                    z.enumv(vo, &vp, "type", false, &["text", "media"]);
                                }
                            }
                            if let Some(av) = z.object(so, &p, "avatar", false) {
                                if let Some(id) =
                                    z.string(av, &format!("{p}.avatar"), "id", true, 1, 100)
                                {
                                    spec.scene_avatars.push(id);
                                }
                            }
                            z.object(so, &p, "caption", false);
                            if let Some(vid) = z.string(so, &p, "voiceId", false, 0, 20) {
                                spec.voice.get_or_insert(vid);
                            }
                        }
                    }
                    spec.seconds = Some(secs.max(1.0));
                }
                spec.aspect = z.enumv(&b, "", "aspectRatio", false, ASPECTS);
                spec.message = "Project created successfully";
            }
        }
        spec.webhook = z.webhook(&b);
        spec.metadata = z.metadata(&b);
        if !z.ok() {
            return z.into_response();
        }
        if let Some(t) = &spec.template {
            if cat::template_json(t, false).is_none() {
                return fail(404, "Template not found", Some("TEMPLATE_NOT_FOUND"));
            }
        }
        for a in spec.avatar.iter().chain(spec.scene_avatars.iter()) {
            if !cat::avatar_exists(a) {
                return fail(404, "Avatar not found", Some("AVATAR_NOT_FOUND"));
            }
        }
        self.start_video(kind, spec)
    }

    fn start_video(&mut self, kind: &'static str, spec: Spec) -> SimResponse {
        let available = self.st.ledger.available(Provider::Hooked, self.now);
        if self
            .st
            .ledger
            .debit(Provider::Hooked, HOOKED_VIDEO_CREDITS, self.now)
            .is_err()
        {
            let mut v = json!({"success": false, "message": "Insufficient credits", "code": "INSUFFICIENT_CREDITS"});
            v["details"] = json!({"required": num(HOOKED_VIDEO_CREDITS), "available": num(available.max(0.0))});
            return SimResponse::json(402, &v);
        }
        let texts: Vec<&str> = spec
            .script
            .iter()
            .chain(spec.prompt.iter())
            .chain(spec.text.iter())
            .chain(spec.texts.iter())
            .map(String::as_str)
            .collect();
        let fail_ = texts.iter().any(|t| t.contains(FAIL));
        let seconds = spec
            .seconds
            .unwrap_or_else(|| spec.script.as_deref().map(script_seconds).unwrap_or(30.0));
        let seconds = (seconds * FPS).round().max(1.0) / FPS;
        let t = if spec.instant {
            Timing::new(0.0)
        } else {
            Timing::new(self.inner.cfg.job_seconds)
        };
        if fail_ {
            self.st
                .ledger
                .refund_at(Provider::Hooked, HOOKED_VIDEO_CREDITS, t.end_instant());
        }
        let h = &mut self.st.hooked;
        h.next_seq += 1;
        let id = new_id("vid_", 20);
        let project_id = new_id("proj_", 20);
        let name = spec.name.clone().unwrap_or_else(|| {
            let src = spec
                .script
                .as_deref()
                .or(spec.prompt.as_deref())
                .or(spec.text.as_deref())
                .unwrap_or(kind);
            let n: String = src.chars().take(40).collect();
            n.trim().to_string()
        });
        let video = HkVideo {
            id: id.clone(),
            project_id: project_id.clone(),
            name,
            kind: spec.kind,
            t,
            seq: h.next_seq,
            seconds,
            fail: fail_,
            avatar_id: spec
                .avatar
                .clone()
                .or_else(|| spec.scene_avatars.first().cloned()),
            voice_id: spec.voice.clone(),
            music_id: spec.music.clone(),
            aspect: spec.aspect.clone().unwrap_or_else(|| "ratio_9_16".into()),
            caption_preset: spec.caption.0.clone(),
            caption_disabled: spec.caption.1,
            script: spec
                .script
                .clone()
                .or(spec.prompt.clone())
                .or(spec.text.clone()),
            webhook: spec.webhook.clone(),
            metadata: spec.metadata.clone(),
            other_team: false,
            created_at: None,
            updated_at: None,
            thumbnail: None,
        };
        let status = if video.status(self.now) == VStatus::Started {
            "STARTED"
        } else if fail_ {
            "FAILED"
        } else {
            "COMPLETED"
        };
        h.videos.insert(id.clone(), video);
        if let Some(url) = spec.webhook {
            let inner = Arc::clone(self.inner);
            let vid = id.clone();
            self.inner
                .hooks
                .spawn(Provider::Hooked, url, t.secs, move || {
                    let st = inner.lock();
                    st.hooked
                        .videos
                        .get(&vid)
                        .map(|v| webhook_payload(&inner, v))
                });
        }
        match kind {
            "scenes" => SimResponse::json(
                200,
                &json!({"success": true, "projectId": project_id, "message": spec.message, "videoId": id}),
            ),
            "template" => ok(
                Some(spec.message),
                json!({"projectId": project_id, "status": "processing", "videoId": id}),
            ),
            _ => ok(
                Some(spec.message),
                json!({"videoId": id, "projectId": project_id, "status": status}),
            ),
        }
    }

    // -----------------------------------------------------------------------------------
    // Schedules

    fn schedule_status(&self, s: &Schedule) -> &'static str {
        if let Some(f) = s.fixed {
            return f;
        }
        if s.scheduled_unix > unix_now() {
            return "pending";
        }
        match cat::integration(&s.integration_id) {
            Some(i) if i.5 == "healthy" => "published",
            _ => "failed",
        }
    }

    fn schedule_json(&self, s: &Schedule) -> Value {
        let status = self.schedule_status(s);
        let integ = cat::integration(&s.integration_id);
        let mut pd = s.platform_data.clone();
        if s.fixed.is_none() {
            match status {
                "published" => {
                    pd.insert(
                        "publishedUrl".into(),
                        json!(format!(
                            "https://www.youtube.com/watch?v={}",
                            &s.id[5..].chars().take(11).collect::<String>()
                        )),
                    );
                }
                "failed" => {
                    pd.insert(
                        "error".into(),
                        json!("Integration token expired: reconnect the account in the dashboard"),
                    );
                }
                _ => {}
            }
        }
        let video = self.st.hooked.videos.get(&s.video_id).map(|v| {
            json!({"id": v.id, "name": v.name,
                   "url": media_url(self.inner, v),
                   "thumbnail": thumbnail(self.inner, v), "durationInSeconds": num(v.seconds)})
        });
        json!({"id": s.id, "status": status, "scheduledDateTime": iso(s.scheduled_unix),
               "platform": integ.map(|i| i.1),
               "integration": integ.map(|i| json!({"id": i.0, "type": i.1, "account": cat::integration_account(i)})),
               "video": video, "platformData": pd,
               "createdAt": iso(s.created_unix), "updatedAt": iso(s.updated_unix)})
    }

    fn platform_data(
        z: &mut Z,
        b: &Map<String, Value>,
        platform: Option<&str>,
    ) -> Option<Map<String, Value>> {
        let pd = z.object(b, "", "platformData", false)?;
        z.string(pd, "platformData", "title", false, 0, 100);
        let desc_max = if matches!(platform, Some("tiktok" | "instagram")) {
            2200
        } else {
            5000
        };
        z.string(pd, "platformData", "description", false, 0, desc_max);
        if let Some(tags) = z.array(pd, "platformData", "tags", false, 0, 30) {
            for (i, t) in tags.iter().enumerate() {
                if !t.is_string() {
                    z.issue(
                        &format!("platformData.tags.{i}"),
                        format!("Expected string, received {}", received(t)),
                    );
                }
            }
        }
        z.enumv(
            pd,
            "platformData",
            "privacyStatus",
            false,
            &["public", "private", "unlisted"],
        );
        z.boolean(pd, "platformData", "madeForKids", false);
        Some(pd.clone())
    }

    fn datetime(z: &mut Z, b: &Map<String, Value>, required: bool) -> Option<f64> {
        let s = z.string(b, "", "scheduledDateTime", required, 0, 100)?;
        match parse_iso(&s) {
            Some(t) => Some(t),
            None => {
                z.issue("scheduledDateTime", "Invalid datetime");
                None
            }
        }
    }

    fn schedule_create(&mut self, b: Map<String, Value>) -> SimResponse {
        let mut z = Z::default();
        let video_id = z.string(&b, "", "videoId", true, 1, 100);
        let integration_id = z.string(&b, "", "integrationId", true, 1, 100);
        let when = Self::datetime(&mut z, &b, true);
        let platform = integration_id
            .as_deref()
            .and_then(cat::integration)
            .map(|i| i.1);
        let pd = Self::platform_data(&mut z, &b, platform);
        let (Some(video_id), Some(integration_id), Some(when), true) =
            (video_id, integration_id, when, z.ok())
        else {
            return z.into_response();
        };
        let now = self.now;
        let Some(video) = self.st.hooked.videos.get(&video_id) else {
            return fail(404, "Video not found", Some("VIDEO_NOT_FOUND"));
        };
        if video.other_team {
            return fail(403, "Video does not belong to your team", Some("FORBIDDEN"));
        }
        let Some(integ) = cat::integration(&integration_id) else {
            return fail(404, "Integration not found", Some("INTEGRATION_NOT_FOUND"));
        };
        if video.status(now) != VStatus::Completed {
            return fail(400, "Video must be completed", Some("VIDEO_NOT_COMPLETED"));
        }
        if when <= unix_now() {
            return fail(
                400,
                "Scheduled time must be in the future",
                Some("INVALID_SCHEDULED_TIME"),
            );
        }
        let t = unix_now();
        let s = Schedule {
            id: new_id("post_", 20),
            video_id: video_id.clone(),
            integration_id,
            scheduled_unix: when,
            platform_data: pd.unwrap_or_default(),
            fixed: None,
            created_unix: t,
            updated_unix: t,
            other_team: false,
        };
        let data = json!({"scheduleId": s.id, "status": "pending", "scheduledDateTime": iso(when),
                          "platform": integ.1, "videoId": video_id});
        self.st.hooked.schedules.push(s);
        ok(Some("Video scheduled successfully"), data)
    }

    fn schedule_list(&mut self, req: &SimRequest) -> SimResponse {
        let status = req.query_param("status").filter(|s| !s.is_empty());
        if let Some(s) = status {
            if !["pending", "published", "failed", "draft"].contains(&s) {
                let mut z = Z::default();
                z.issue("status", format!("Invalid enum value. Expected 'pending' | 'published' | 'failed' | 'draft', received '{s}'"));
                return z.into_response();
            }
        }
        let platform = req.query_param("platform").filter(|s| !s.is_empty());
        let (limit, offset) = match paging(req, 50, 100) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let mut items: Vec<&Schedule> = self
            .st
            .hooked
            .schedules
            .iter()
            .filter(|s| !s.other_team)
            .filter(|s| status.is_none_or(|st| self.schedule_status(s) == st))
            .filter(|s| {
                platform
                    .is_none_or(|p| cat::integration(&s.integration_id).is_some_and(|i| i.1 == p))
            })
            .collect();
        items.sort_by(|a, b| a.scheduled_unix.total_cmp(&b.scheduled_unix));
        let total = items.len();
        let posts: Vec<Value> = page(&items, limit, offset)
            .into_iter()
            .map(|s| self.schedule_json(s))
            .collect();
        ok(
            Some("Scheduled posts fetched successfully"),
            json!({"scheduledPosts": posts, "total": total, "limit": limit, "offset": offset}),
        )
    }

    fn find_schedule(&self, id: &str) -> Result<usize, SimResponse> {
        match self.st.hooked.schedules.iter().position(|s| s.id == id) {
            None => Err(fail(404, "Schedule not found", Some("SCHEDULE_NOT_FOUND"))),
            Some(i) if self.st.hooked.schedules[i].other_team => Err(fail(
                403,
                "Schedule does not belong to your team",
                Some("FORBIDDEN"),
            )),
            Some(i) => Ok(i),
        }
    }

    fn schedule_get(&mut self, id: &str) -> SimResponse {
        match self.find_schedule(id) {
            Err(e) => e,
            Ok(i) => ok(
                Some("Scheduled post fetched successfully"),
                self.schedule_json(&self.st.hooked.schedules[i]),
            ),
        }
    }

    fn schedule_patch(&mut self, id: &str, b: Map<String, Value>) -> SimResponse {
        match self.find_schedule(id) {
            Err(e) => e,
            Ok(i) => self.schedule_patch_at(i, b),
        }
    }

    fn schedule_patch_at(&mut self, i: usize, b: Map<String, Value>) -> SimResponse {
        let mut z = Z::default();
        let when = Self::datetime(&mut z, &b, false);
        let platform = cat::integration(&self.st.hooked.schedules[i].integration_id).map(|x| x.1);
        let pd = Self::platform_data(&mut z, &b, platform);
        if !z.ok() {
            return z.into_response();
        }
        let status = self.schedule_status(&self.st.hooked.schedules[i]);
        if status != "pending" {
            let msg = if status == "published" {
                "Cannot update a published post"
            } else {
                "Only pending schedules can be updated"
            };
            return fail(400, msg, Some("SCHEDULE_NOT_PENDING"));
        }
        if let Some(w) = when {
            if w <= unix_now() {
                return fail(
                    400,
                    "Scheduled time must be in the future",
                    Some("INVALID_SCHEDULED_TIME"),
                );
            }
        }
        let s = &mut self.st.hooked.schedules[i];
        if let Some(w) = when {
            s.scheduled_unix = w;
        }
        if let Some(pd) = pd {
            for (k, v) in pd {
                s.platform_data.insert(k, v);
            }
        }
        s.updated_unix = unix_now();
        let data = json!({"id": s.id, "status": "pending", "scheduledDateTime": iso(s.scheduled_unix),
                          "platformData": s.platform_data});
        ok(Some("Schedule updated successfully"), data)
    }

    fn schedule_delete(&mut self, id: &str) -> SimResponse {
        let i = match self.find_schedule(id) {
            Err(e) => return e,
            Ok(i) => i,
        };
        match self.schedule_status(&self.st.hooked.schedules[i]) {
            "pending" => {}
            "published" => {
                return fail(
                    400,
                    "Cannot delete a published post",
                    Some("SCHEDULE_NOT_PENDING"),
                )
            }
            _ => {
                return fail(
                    400,
                    "Only pending schedules can be cancelled",
                    Some("SCHEDULE_NOT_PENDING"),
                )
            }
        }
        let s = self.st.hooked.schedules.remove(i);
        ok(
            Some("Schedule cancelled successfully"),
            json!({"id": s.id, "deleted": true}),
        )
    }

    // -----------------------------------------------------------------------------------
    // Social search (tryhooked)

    fn search_json(&self, s: &Search) -> Value {
        let n = s.videos.len().max(1) as f64;
        let sum = |k: &str| {
            s.videos
                .iter()
                .map(|v| v["stats"][k].as_f64().unwrap_or(0.0))
                .sum::<f64>()
        };
        let (views, likes, comments, shares) =
            (sum("views"), sum("likes"), sum("comments"), sum("shares"));
        let engagement = if views > 0.0 {
            ((likes + comments + shares) / views * 10_000.0).round() / 100.0
        } else {
            0.0
        };
        let tag = format!(
            "#{}",
            s.term.split_whitespace().collect::<String>().to_lowercase()
        );
        let keywords: Vec<&str> = s.term.split_whitespace().collect();
        json!({"id": s.id, "searchTerm": s.term, "platform": s.platform, "totalResults": s.videos.len(),
               "analytics": {"avgViews": (views / n).round(), "avgLikes": (likes / n).round(),
                             "avgComments": (comments / n).round(), "avgShares": (shares / n).round(),
                             "engagementRate": engagement},
               "topHashtags": [tag, "#fyp"], "keywords": keywords,
               "keywordsStatus": if s.t.done(self.now) { "completed" } else { "pending" },
               "lastSearched": iso(s.t.start_unix), "createdAt": iso(s.t.start_unix)})
    }

    fn search_create(&mut self, b: Map<String, Value>) -> SimResponse {
        let mut z = Z::default();
        let term = match b.get("searchTerm") {
            Some(Value::String(t)) => {
                let t = t.trim().to_string();
                let n = t.chars().count();
                if n == 0 {
                    z.issue("searchTerm", "String must contain at least 1 character(s)");
                } else if n > 200 {
                    z.issue("searchTerm", "String must contain at most 200 character(s)");
                }
                Some(t)
            }
            _ => z.string(&b, "", "searchTerm", true, 1, 200),
        };
        let platform = z.enumv(&b, "", "platform", true, &["tiktok", "youtube"]);
        let limit = z
            .number(&b, "", "limit", false, 1.0, 50.0, true, false)
            .unwrap_or(20.0) as usize;
        let (Some(term), Some(platform), true) = (term, platform, z.ok()) else {
            return z.into_response();
        };
        let s = Search {
            id: new_id("search_", 16),
            videos: cat::social_videos(&term, &platform, limit),
            term,
            platform,
            t: Timing::new(self.inner.cfg.job_seconds),
        };
        let data = json!({"search": self.search_json(&s), "videosFound": s.videos.len()});
        self.st.hooked.searches.push(s);
        ok(Some("Search created successfully"), data)
    }

    fn search_get(&mut self, req: &SimRequest, id: &str) -> SimResponse {
        let (limit, offset) = match paging(req, 20, 50) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let Some(s) = self.st.hooked.searches.iter().find(|s| s.id == id) else {
            return fail(404, "Search not found", Some("SEARCH_NOT_FOUND"));
        };
        let mut data = self.search_json(s);
        let total = s.videos.len() as u64;
        data["music"] = json!([]);
        data["videos"] = Value::Array(page(&s.videos, limit, offset));
        data["pagination"] = json!({"total": total, "limit": limit, "offset": offset, "hasMore": offset + limit < total});
        ok(Some("Search fetched successfully"), data)
    }

    // -----------------------------------------------------------------------------------
    // Trends

    fn trends(&mut self, req: &SimRequest) -> SimResponse {
        let platform = req
            .query_param("platform")
            .filter(|s| !s.is_empty() && *s != "all");
        if let Some(p) = platform {
            if p != "tiktok" && p != "youtube" {
                let mut z = Z::default();
                z.issue(
                    "platform",
                    format!("Invalid enum value. Expected 'tiktok' | 'youtube', received '{p}'"),
                );
                return z.into_response();
            }
        }
        let niche = req
            .query_param("niche")
            .filter(|s| !s.is_empty() && *s != "all");
        let (limit, offset) = match paging(req, 20, 50) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let items: Vec<&Value> = self
            .st
            .hooked
            .trends
            .iter()
            .filter(|v| platform.is_none_or(|p| v["platform"] == p))
            .filter(|v| niche.is_none_or(|n| v["niche"] == n))
            .collect();
        let total = items.len();
        let videos: Vec<Value> = page(&items, limit, offset).into_iter().cloned().collect();
        ok(
            Some("Trending videos fetched successfully"),
            json!({"videos": videos, "total": total, "limit": limit, "offset": offset}),
        )
    }
}

/// What a create request asked for, once validated.
#[derive(Default)]
struct Spec {
    kind: &'static str,
    message: &'static str,
    name: Option<String>,
    script: Option<String>,
    prompt: Option<String>,
    text: Option<String>,
    texts: Vec<String>,
    avatar: Option<String>,
    scene_avatars: Vec<String>,
    voice: Option<String>,
    music: Option<String>,
    aspect: Option<String>,
    caption: (String, bool),
    media: usize,
    seconds: Option<f64>,
    template: Option<String>,
    webhook: Option<String>,
    metadata: Option<Value>,
    instant: bool,
}

/// Spoken seconds of a script (about 15 characters per second), at least 3.
fn script_seconds(s: &str) -> f64 {
    (s.chars().count() as f64 / 15.0).max(3.0)
}

fn media_url(inner: &Inner, v: &HkVideo) -> String {
    inner.media.url(
        &inner.base,
        &format!("{}.mp4", v.id),
        inner.cfg.url_ttl_seconds,
    )
}

fn thumbnail(inner: &Inner, v: &HkVideo) -> String {
    v.thumbnail.clone().unwrap_or_else(|| {
        inner.media.url_until(
            &inner.base,
            &format!("thumb_{}.png", v.id),
            ((unix_now() + 3650.0 * 86_400.0) as u64) / 86_400 * 86_400,
        )
    })
}

fn aspect_colon(a: &str) -> (&'static str, &'static str) {
    match a {
        "ratio_16_9" => ("16:9", "1920x1080"),
        "ratio_1_1" => ("1:1", "1080x1080"),
        _ => ("9:16", "1080x1920"),
    }
}

fn video_json(inner: &Inner, v: &HkVideo, now: Instant, full: bool) -> Value {
    let status = v.status(now);
    let done = status == VStatus::Completed;
    let terminal = status != VStatus::Started;
    let progress = if terminal {
        if done {
            100
        } else {
            ((v.t.fraction(now).min(1.0) * 60.0) as i64).max(1)
        }
    } else {
        ((v.t.fraction(now) * 100.0) as i64).clamp(0, 99)
    };
    let frames = (v.seconds * FPS).round() as i64;
    let created = v.created_at.clone().unwrap_or_else(|| iso(v.t.start_unix));
    let updated = v.updated_at.clone().unwrap_or_else(|| {
        if terminal {
            iso(v.t.end_unix())
        } else {
            iso(v.t.start_unix)
        }
    });
    let message = match status {
        VStatus::Started => json!("Video is being processed"),
        VStatus::Completed => json!("Video completed successfully"),
        VStatus::Failed => {
            json!("Video generation failed: the render could not be completed (SIMULATE_FAILURE)")
        }
    };
    let url = if done {
        json!(media_url(inner, v))
    } else {
        Value::Null
    };
    let thumb = if done {
        json!(thumbnail(inner, v))
    } else {
        Value::Null
    };
    let size = if done {
        json!(inner.media.video_size())
    } else {
        json!(0)
    };
    let dur_frames = if done { json!(frames) } else { json!(0) };
    if !full {
        return json!({"id": v.id, "name": v.name, "type": v.kind, "status": status_str(status), "url": url,
                      "durationInFrames": dur_frames, "projectId": v.project_id, "thumbnail": thumb, "size": size,
                      "progress": progress, "message": message, "createdAt": created, "updatedAt": updated});
    }
    json!({
        "id": v.id, "name": v.name, "type": v.kind, "status": status_str(status), "url": url,
        "thumbnail": thumb, "progress": progress, "message": message,
        "durationInFrames": dur_frames,
        "durationInSeconds": if done { num(frames as f64 / FPS) } else { json!(0) },
        "avatarId": v.avatar_id, "voiceId": v.voice_id, "musicId": v.music_id,
        "videoSettings": {"aspectRatio": v.aspect, "caption": {"disabled": v.caption_disabled, "preset": v.caption_preset}},
        "script": v.script, "projectId": v.project_id, "teamId": "team_sim",
        "size": size, "createdAt": created, "updatedAt": updated,
        "usedCredits": if done { num(HOOKED_VIDEO_CREDITS) } else { json!(0) },
        "webhook": v.webhook,
    })
}

fn status_str(s: VStatus) -> &'static str {
    match s {
        VStatus::Started => "STARTED",
        VStatus::Completed => "COMPLETED",
        VStatus::Failed => "FAILED",
    }
}

fn webhook_payload(inner: &Inner, v: &HkVideo) -> Value {
    let created = v.created_at.clone().unwrap_or_else(|| iso(v.t.start_unix));
    let mut p = if v.fail {
        json!({"event": "project.failed", "projectId": v.project_id, "status": "failed",
               "message": "Video generation failed: the render could not be completed (SIMULATE_FAILURE)",
               "createdAt": created})
    } else {
        let (ratio, res) = aspect_colon(&v.aspect);
        json!({"event": "project.completed", "projectId": v.project_id, "status": "completed",
               "video": {"id": v.id, "url": media_url(inner, v), "duration": num((v.seconds * FPS).round() / FPS),
                         "thumbnail": thumbnail(inner, v), "aspectRatio": ratio, "resolution": res},
               "createdAt": created, "completedAt": iso(v.t.end_unix())})
    };
    if let Some(m) = &v.metadata {
        p["metadata"] = m.clone();
    }
    p
}
