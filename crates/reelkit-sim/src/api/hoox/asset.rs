//! Hoox asset generation: `/asset/models` (and `/asset/models/{name}`), `/asset/pricing`,
//! `/asset/start` (validation by model, quote, one job per generation) and
//! `/asset/status/{id}` with the asset webhook (hoox.md §3.15–3.17).

use super::super::credits::Provider;
use super::super::util::{is_http_url, iso, num, object_id, round2};
use super::super::validate::{present, Details};
use super::super::{Inner, Timing};
use super::asset_models::{self as models, AssetModel, Quote};
use super::reply::combo;
use super::state::Asset;
use super::{thumb_url, Cx, FAIL};
use crate::types::{SimRequest, SimResponse};
use serde_json::{json, Map, Value};
use std::time::Instant;

/// `/asset/models`, filtered by `type`, `provider` and `tag` (the first two hoisted).
pub(super) fn model_list(req: &SimRequest) -> SimResponse {
    let ty = req.query_param("type").filter(|s| !s.is_empty());
    let provider = req.query_param("provider").filter(|s| !s.is_empty());
    let tag = req.query_param("tag").filter(|s| !s.is_empty());
    let list: Vec<Value> = models::ASSET_MODELS
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
    out.insert("count".into(), json!(list.len()));
    out.insert("models".into(), Value::Array(list));
    SimResponse::json(200, &Value::Object(out))
}

/// `/asset/models/{name}`.
pub(super) fn model_detail(name: &str) -> SimResponse {
    match models::asset_model(name) {
        Some(m) => SimResponse::json(200, &m.detail()),
        None => combo(
            404,
            &format!("Model \"{name}\" not found"),
            "MODEL_NOT_FOUND",
            None,
        ),
    }
}

// ---------------------------------------------------------------------------------------
// Field rules shared by pricing and start

/// `model`: a known model name.
fn model_rule(v: &mut Details, b: &Map<String, Value>) -> Option<&'static AssetModel> {
    let name = v.required_str(b, "model")?;
    let m = models::asset_model(name);
    if m.is_none() {
        v.add(
            "invalid_value",
            format!("Unknown model \"{name}\""),
            Some("model"),
        );
    }
    m
}

fn settings_rule(v: &mut Details, b: &Map<String, Value>) -> Option<Map<String, Value>> {
    match present(b, "model_settings")? {
        Value::Object(m) => Some(m.clone()),
        _ => {
            v.add(
                "invalid_type",
                "model_settings must be an object",
                Some("model_settings"),
            );
            None
        }
    }
}

/// `generation_count`: an integer from 1 to 4 (default 1).
fn generation_count(v: &mut Details, b: &Map<String, Value>) -> u32 {
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

/// The pricing inputs of a request.
struct Pricing {
    duration: Option<f64>,
    resolution: Option<String>,
    image_count: Option<f64>,
    settings: Option<Map<String, Value>>,
}

impl Pricing {
    fn quote(&self, m: &AssetModel) -> Quote {
        models::quote(
            m,
            self.duration,
            self.resolution.as_deref(),
            self.settings.as_ref(),
            self.image_count,
        )
    }
}

// ---------------------------------------------------------------------------------------
// /asset/start rules

/// One reference (`references[i]` or a named slot): exactly one of url, asset_id,
/// avatar_id, as a string (a URL for `url`).
fn check_ref(v: &mut Details, item: &Value, field: &str) {
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
}

/// The model's inputs: `references` within its image range, or its named slots.
fn inputs_rule(v: &mut Details, b: &Map<String, Value>, m: &AssetModel) {
    let n = match present(b, "references") {
        None => 0,
        Some(Value::Array(a)) => {
            for (i, item) in a.iter().enumerate() {
                check_ref(v, item, &format!("references[{i}]"));
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
        return;
    }
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
        match present(b, slot) {
            None if *required => v.add(
                "missing_field",
                format!("{slot} is required for {}", m.name),
                Some(slot),
            ),
            None => {}
            Some(item) => check_ref(v, item, slot),
        }
    }
    if m.name == "kling-pro"
        && present(b, "end_image").is_some()
        && present(b, "start_image").is_none()
    {
        v.add(
            "invalid_value",
            "end_image requires start_image",
            Some("end_image"),
        );
    }
}

/// `type`, the model, and the two agreeing.
fn kind_and_model(v: &mut Details, b: &Map<String, Value>) -> Option<&'static AssetModel> {
    let ty = match present(b, "type") {
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
    let model = model_rule(v, b);
    if let (Some(t), Some(m)) = (&ty, model) {
        if t != m.kind {
            v.add(
                "invalid_value",
                format!("Model \"{}\" is a {} model, not {t}", m.name, m.kind),
                Some("type"),
            );
        }
    }
    model
}

/// An `/asset/start` body that passed the field rules.
struct StartRequest {
    model: &'static AssetModel,
    prompt: String,
    count: u32,
    aspect: Option<String>,
    pricing: Pricing,
    webhook: Option<String>,
}

impl Cx<'_> {
    pub(super) fn asset_pricing(&mut self, b: Map<String, Value>) -> SimResponse {
        let mut v = Details::default();
        let model = model_rule(&mut v, &b);
        let duration = v.num_opt(&b, "duration");
        let resolution = v.str_opt(&b, "resolution");
        let image_count = v.num_opt(&b, "image_count");
        let count = generation_count(&mut v, &b);
        let pricing = Pricing {
            duration,
            resolution,
            image_count,
            settings: settings_rule(&mut v, &b),
        };
        let (Some(m), true) = (model, v.ok()) else {
            return v.into_response();
        };
        let q = pricing.quote(m);
        let mut out = json!({"model": m.name, "cost_per_generation": num(q.per_generation),
                             "total_cost": num(round2(q.per_generation * count as f64)),
                             "currency": "credits", "generation_count": count});
        if !q.normalized.is_empty() {
            out["normalized"] = Value::Object(q.normalized);
        }
        SimResponse::json(200, &out)
    }

    /// Every `/asset/start` field rule at once, in the documented order.
    fn start_request(&self, b: &Map<String, Value>) -> Result<StartRequest, SimResponse> {
        let mut v = Details::default();
        let model = kind_and_model(&mut v, b);
        let prompt = v.required_text(b, "prompt");
        if let (Some(p), Some(max)) = (&prompt, model.and_then(|m| m.max_prompt_length)) {
            if p.chars().count() > max as usize {
                v.add(
                    "invalid_value",
                    format!("prompt must be at most {max} characters"),
                    Some("prompt"),
                );
            }
        }
        if let Some(m) = model {
            inputs_rule(&mut v, b, m);
        }
        let count = generation_count(&mut v, b);
        let aspect = v.str_opt(b, "aspect_ratio");
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
        let resolution = v.str_opt(b, "resolution");
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
        let duration = v.num_opt(b, "duration");
        let image_count = v.num_opt(b, "image_count");
        let settings = settings_rule(&mut v, b);
        if let Some(f) = v.str_opt(b, "folder_id") {
            let folders = &self.st.hoox.folders;
            if present(b, "parent_media_id").is_none()
                && !folders.iter().any(|x| x.id == f && x.kind == "assets")
            {
                v.add(
                    "invalid_value",
                    format!("Folder \"{f}\" not found"),
                    Some("folder_id"),
                );
            }
        }
        v.str_opt(b, "parent_media_id");
        v.str_opt(b, "avatar_description");
        v.str_opt(b, "file_name");
        let webhook = v.url_opt(b, "webhook_url", "INVALID_WEBHOOK_URL");
        let (Some(model), Some(prompt), true) = (model, prompt, v.ok()) else {
            return Err(v.into_response());
        };
        Ok(StartRequest {
            model,
            prompt,
            count,
            aspect,
            pricing: Pricing {
                duration,
                resolution,
                image_count,
                settings,
            },
            webhook,
        })
    }

    pub(super) fn asset_start(&mut self, b: Map<String, Value>) -> SimResponse {
        let req = match self.start_request(&b) {
            Ok(r) => r,
            Err(e) => return e,
        };
        let q = req.pricing.quote(req.model);
        let total = round2(q.per_generation * req.count as f64);
        if let Err(e) = self.debit(total, "INSUFFICIENT_CREDITS") {
            return e;
        }
        let ids = self.record_assets(&req, &q);
        SimResponse::json(
            201,
            &json!({"asset_ids": ids, "status": "generating", "count": req.count,
                    "cost_per_generation": num(q.per_generation), "total_cost": num(total)}),
        )
    }

    /// One asset per generation (refunded when it fails), each with its webhook.
    fn record_assets(&mut self, req: &StartRequest, q: &Quote) -> Vec<String> {
        let m = req.model;
        let fail = req.prompt.contains(FAIL);
        let t = Timing::new(self.inner.cfg.job_seconds);
        let aspect = req.aspect.clone().or(m.default_aspect.map(str::to_string));
        let (w, h) = dims_for(aspect.as_deref(), q.resolution, m.kind);
        let mut ids = Vec::with_capacity(req.count as usize);
        for _ in 0..req.count {
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
                    prompt: req.prompt.clone(),
                    aspect_ratio: aspect.clone(),
                    resolution: q.resolution,
                    duration: q.duration,
                    cost: q.per_generation,
                    fail,
                    width: w,
                    height: h,
                },
            );
            let aid = id.clone();
            self.notify(req.webhook.clone(), t.secs, move |inner, h| {
                h.assets.get(&aid).map(|a| asset_webhook(inner, a))
            });
            ids.push(id);
        }
        ids
    }

    pub(super) fn asset_status(&mut self, id: &str) -> SimResponse {
        match self.st.hoox.assets.get(id) {
            Some(a) => SimResponse::json(200, &asset_json(self.inner, a, self.now, false)),
            None => combo(404, "Asset not found", "ASSET_NOT_FOUND", None),
        }
    }
}

/// Pixel size for an aspect ratio (`9:16` if none) at a resolution's long side.
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
