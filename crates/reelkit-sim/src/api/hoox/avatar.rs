//! Hoox avatars and looks: `/avatar/list` (and the legacy `/resources/avatars`),
//! `/avatar/{id}`, `/avatar/{id}/look/{look_id}`, `/avatar/status`, and the look
//! generations of `/avatar/create` and `/avatar/edit` with their webhooks (hoox.md §3.9–3.14).

use super::super::credits;
use super::super::util::{csv_lower, is_http_url, iso, new_id, truthy, unix_now};
use super::super::validate::{present, Details};
use super::super::{Inner, Timing};
use super::reply::combo;
use super::state::{Avatar, Look, LookGen, LookStatus};
use super::{thumb_url, Cx, FAIL};
use crate::types::{SimRequest, SimResponse};
use serde_json::{json, Map, Value};
use std::time::Instant;

use super::super::rules::{HOOX_LOOK_FORMATS, HOOX_LOOK_RESOLUTIONS, HOOX_LOOK_STYLES as STYLES};

impl Cx<'_> {
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

    pub(super) fn avatar_list(&mut self, req: &SimRequest, legacy: bool) -> SimResponse {
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

    pub(super) fn avatar_get(&mut self, id: &str) -> SimResponse {
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

    pub(super) fn avatar_look(&mut self, avatar_id: &str, look_id: &str) -> SimResponse {
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

    pub(super) fn avatar_status(&mut self, req: &SimRequest) -> SimResponse {
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

    /// Adds `look` to its avatar; returns its id.
    fn add_look(&mut self, look: Look) -> String {
        let id = look.id.clone();
        let avatar_id = look.avatar_id.clone();
        self.hoox().looks.insert(id.clone(), look);
        if let Some(a) = self.hoox().avatars.iter_mut().find(|a| a.id == avatar_id) {
            a.looks.push(id.clone());
        }
        id
    }

    /// The `avatar_create` / `avatar_edit` webhook, once the look is done.
    fn avatar_hook(
        &self,
        url: Option<String>,
        task: &'static str,
        avatar_id: &str,
        look_id: &str,
        delay: f64,
    ) {
        let (aid, lid) = (avatar_id.to_string(), look_id.to_string());
        self.notify(url, delay, move |inner, h| {
            let a = h.avatar(&aid)?;
            let l = h.looks.get(&lid)?;
            let s = avatar_status_json(inner, a, l, Instant::now(), true);
            let mut p = json!({"task": task, "job_id": lid, "avatar_id": aid, "look_id": lid, "status": s["status"]});
            for k in ["result", "error"] {
                if let Some(v) = s.get(k) {
                    p[k] = v.clone();
                }
            }
            Some(p)
        });
    }

    pub(super) fn avatar_create(&mut self, b: Map<String, Value>) -> SimResponse {
        let req = match CreateRequest::parse(&b) {
            Ok(r) => r,
            Err(e) => return e,
        };
        if req.prompt.is_some() {
            let cost = credits::avatar_cost(&req.resolution, false);
            if let Err(e) = self.debit(cost, "INSUFFICIENT_CREDITS") {
                return e;
            }
        }
        let avatar_id = new_id("avtr_", 12);
        self.hoox().avatars.insert(
            0,
            Avatar {
                id: avatar_id.clone(),
                name: Some(req.name.unwrap_or_else(|| "My avatar".into())),
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
        let (look, delay) = match req.prompt {
            // From a prompt: one look, generated.
            Some(p) => {
                let t = Timing::new(self.inner.cfg.job_seconds);
                let look = Look {
                    name: req.style.clone().unwrap_or_else(|| "iphone".into()),
                    place: req.place,
                    format: req.format,
                    selfie: req.style.as_deref() == Some("selfie"),
                    gen: Some(LookGen {
                        t,
                        fail: p.contains(FAIL),
                    }),
                    ..Look::blank(&avatar_id)
                };
                (self.add_look(look), t.secs)
            }
            // From images: one ready look per image.
            None => {
                let mut first = String::new();
                for i in 0..req.image_count {
                    let look = Look {
                        name: format!("Look {}", i + 1),
                        place: req.place.clone(),
                        format: req.format.clone(),
                        ..Look::blank(&avatar_id)
                    };
                    let id = self.add_look(look);
                    if i == 0 {
                        first = id;
                    }
                }
                (first, 0.0)
            }
        };
        self.avatar_hook(req.webhook, "avatar_create", &avatar_id, &look, delay);
        SimResponse::json(201, &json!({"avatar_id": avatar_id, "look_id": look}))
    }

    pub(super) fn avatar_edit(&mut self, b: Map<String, Value>) -> SimResponse {
        let req = match EditRequest::parse(&b) {
            Ok(r) => r,
            Err(e) => return e,
        };
        let (source, look) = match self.find_look(&req.avatar_id, &req.look_id) {
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
                SourceLook {
                    name: l.name.clone(),
                    place: l.place.clone(),
                    format: l.format.clone(),
                    selfie: l.selfie,
                    tags: l.tags.clone(),
                    ready: l.status(self.now) == LookStatus::Ready,
                },
            ),
        };
        if !look.ready && req.image_count == 0 {
            return combo(
                400,
                "No image available for this look: provide images",
                "NO_IMAGE_AVAILABLE",
                Some("images"),
            );
        }
        let cost = credits::avatar_cost(&req.resolution, req.upscale);
        if let Err(e) = self.debit(cost, "INSUFFICIENT_CREDITS") {
            return e;
        }
        // Public avatars are duplicated into the space first.
        let target = if source.space {
            source.id.clone()
        } else {
            let id = new_id("avtr_", 12);
            self.hoox().avatars.insert(
                0,
                Avatar {
                    id: id.clone(),
                    space: true,
                    ..source
                },
            );
            id
        };
        let t = Timing::new(self.inner.cfg.job_seconds);
        let edited = Look {
            name: req
                .look_name
                .unwrap_or_else(|| format!("{} (edit)", look.name)),
            place: req.place.or(look.place),
            format: req.format.unwrap_or(look.format),
            selfie: look.selfie,
            tags: if req.tags.is_empty() {
                look.tags
            } else {
                req.tags
            },
            gen: Some(LookGen {
                t,
                fail: req.prompt.contains(FAIL),
            }),
            ..Look::blank(&target)
        };
        let look_id = self.add_look(edited);
        self.avatar_hook(req.webhook, "avatar_edit", &target, &look_id, t.secs);
        SimResponse::json(201, &json!({"avatar_id": target, "look_id": look_id}))
    }
}

/// What an edit keeps of the look it starts from.
struct SourceLook {
    name: String,
    place: Option<String>,
    format: String,
    selfie: bool,
    tags: Vec<String>,
    ready: bool,
}

/// `style`: one of [`STYLES`].
fn style_rule(v: &mut Details, b: &Map<String, Value>) -> Option<String> {
    let style = v.str_opt(b, "style");
    if style.as_deref().is_some_and(|s| !STYLES.contains(&s)) {
        v.add(
            "invalid_value",
            "style must be one of: iphone, selfie, podcast, car, conference, raw",
            Some("style"),
        );
    }
    style
}

/// A look's `format`: `vertical` or `horizontal`.
fn look_format_rule(v: &mut Details, format: &str) {
    if !HOOX_LOOK_FORMATS.contains(&format) {
        v.add(
            "invalid_value",
            "format must be 'vertical' or 'horizontal'",
            Some("format"),
        );
    }
}

/// `resolution` (default `2K`): 1K, 2K or 4K, any case.
fn resolution_rule(v: &mut Details, b: &Map<String, Value>) -> String {
    let resolution = v.str_opt(b, "resolution").unwrap_or_else(|| "2K".into());
    if !HOOX_LOOK_RESOLUTIONS
        .iter()
        .any(|r| r.eq_ignore_ascii_case(&resolution))
    {
        v.add(
            "invalid_value",
            "resolution must be '2K' or '4K'",
            Some("resolution"),
        );
    }
    resolution
}

/// How many image URLs `images` and `imageUrls` hold together.
fn image_count(v: &mut Details, b: &Map<String, Value>) -> usize {
    let images = v.url_array(b, "images", "invalid_value", None).len();
    images + v.url_array(b, "imageUrls", "invalid_value", None).len()
}

/// An `/avatar/create` body that passed the field rules.
struct CreateRequest {
    prompt: Option<String>,
    style: Option<String>,
    format: String,
    resolution: String,
    name: Option<String>,
    place: Option<String>,
    image_count: usize,
    webhook: Option<String>,
}

impl CreateRequest {
    fn parse(b: &Map<String, Value>) -> Result<CreateRequest, SimResponse> {
        let mut v = Details::default();
        let prompt = v.str_opt(b, "prompt").filter(|p| !p.trim().is_empty());
        let style = style_rule(&mut v, b);
        let format = v.str_opt(b, "format").unwrap_or_else(|| "vertical".into());
        look_format_rule(&mut v, &format);
        let resolution = resolution_rule(&mut v, b);
        let name = v.str_opt(b, "name");
        let place = v.str_opt(b, "place");
        let image_count = image_count(&mut v, b);
        v.url_array(b, "elementImages", "invalid_value", None);
        let webhook = v.url_opt(b, "webhook_url", "INVALID_WEBHOOK_URL");
        if prompt.is_none() && image_count == 0 && v.ok() {
            v.add(
                "MISSING_PROMPT",
                "Either prompt or images (imageUrls) is required",
                Some("prompt"),
            );
        }
        if !v.ok() {
            return Err(v.into_response());
        }
        Ok(CreateRequest {
            prompt,
            style,
            format,
            resolution,
            name,
            place,
            image_count,
            webhook,
        })
    }
}

/// An `/avatar/edit` body that passed the field rules.
struct EditRequest {
    avatar_id: String,
    look_id: String,
    webhook: Option<String>,
    prompt: String,
    format: Option<String>,
    resolution: String,
    upscale: bool,
    image_count: usize,
    look_name: Option<String>,
    place: Option<String>,
    tags: Vec<String>,
}

impl EditRequest {
    /// The ids, webhook and prompt first (one error each), then the other rules at once.
    fn parse(b: &Map<String, Value>) -> Result<EditRequest, SimResponse> {
        let text = |k: &str| {
            present(b, k)
                .and_then(Value::as_str)
                .filter(|x| !x.trim().is_empty())
                .map(str::to_string)
        };
        let Some(avatar_id) = text("avatar_id") else {
            return Err(combo(
                400,
                "avatar_id is required",
                "MISSING_AVATAR_ID",
                Some("avatar_id"),
            ));
        };
        let Some(look_id) = text("look_id") else {
            return Err(combo(
                400,
                "look_id is required",
                "MISSING_LOOK_ID",
                Some("look_id"),
            ));
        };
        let webhook = match present(b, "webhook_url") {
            None => None,
            Some(Value::String(u)) if is_http_url(u) => Some(u.clone()),
            Some(_) => {
                return Err(combo(
                    400,
                    "webhook_url must be a valid URL",
                    "INVALID_WEBHOOK_URL",
                    Some("webhook_url"),
                ))
            }
        };
        let Some(prompt) = text("prompt") else {
            return Err(combo(
                400,
                "prompt is required",
                "MISSING_PROMPT",
                Some("prompt"),
            ));
        };
        let mut v = Details::default();
        let format = v.str_opt(b, "format");
        if let Some(f) = &format {
            look_format_rule(&mut v, f);
        }
        style_rule(&mut v, b);
        let resolution = resolution_rule(&mut v, b);
        let upscale = v.bool_opt(b, "upscale").unwrap_or(false);
        let image_count = image_count(&mut v, b);
        let look_name = v.str_opt(b, "look_name");
        let place = v.str_opt(b, "place");
        let tags: Vec<String> = match present(b, "tags") {
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
            return Err(v.into_response());
        }
        Ok(EditRequest {
            avatar_id,
            look_id,
            webhook,
            prompt,
            format,
            resolution,
            upscale,
            image_count,
            look_name,
            place,
            tags,
        })
    }
}

/// The look generation as `/avatar/status` shows it at `now` (`terminal`: as it ends).
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
