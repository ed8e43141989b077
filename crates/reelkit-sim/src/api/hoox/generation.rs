//! Hoox video generation: `/generation/start` (validation, id resolution, cost, then the
//! job and its video) and `/generation/status/{job_id}` with its webhook (hoox.md §3.2–3.3).

use super::super::credits;
use super::super::util::{iso, new_id, num, round2};
use super::super::validate::{present, Details};
use super::super::{Inner, Timing};
use super::plan::{parse_plan, Plan};
use super::reply::err1;
use super::script::make_script;
use super::state::{GenJob, HVideo, HooxState, LookStatus};
use super::{custom_dims, thumb_url, video_format, Cx, EXPORT_FAIL, FAIL, SCRIPT_ERROR};
use crate::types::SimResponse;
use serde_json::{json, Map, Value};
use std::time::Instant;

const GEN_STEPS: &[&str] = &[
    "VOICE_GENERATION",
    "TRANSCRIPTION",
    "SEARCH_MEDIA",
    "ANALYZE_FOUND_MEDIA",
    "PLACE_BROLL",
    "DISPLAY_BROLL",
];

/// A `/generation/start` body that passed the field rules.
struct GenRequest {
    prompt: Option<String>,
    duration: Option<f64>,
    script: Option<String>,
    voice_id: Option<String>,
    avatar_id: Option<String>,
    /// The raw `sequence_plan`, parsed after the field rules.
    plan: Option<Value>,
    format: String,
    dims: [Option<f64>; 2],
    pro: bool,
    media_urls: Vec<String>,
    avatar_url: bool,
    webhook: Option<String>,
    animate: bool,
    use_veo3: bool,
    animate_max: Option<usize>,
}

impl GenRequest {
    /// The field rules: every problem at once in a 400 `Validation failed`.
    fn parse(b: &Map<String, Value>) -> Result<GenRequest, SimResponse> {
        let mut v = Details::default();
        let prompt = v.str_opt(b, "prompt");
        let duration = v.num_opt(b, "duration");
        let script = v.str_opt(b, "script");
        let voice_id = v.str_opt(b, "voice_id");
        let avatar_id = v.str_opt(b, "avatar_id");
        let plan = present(b, "sequence_plan").cloned();
        content_rules(&mut v, b, plan.is_some(), duration);
        let format = video_format(&mut v, b).unwrap_or_else(|| "vertical".into());
        let dims = custom_dims(&mut v, b);
        let pro = animate_mode_pro(&mut v, b);
        v.url_array(
            b,
            "web_urls",
            "invalid_value",
            Some((10, "web_urls must contain at most 10 URLs")),
        );
        let media_urls = v.url_array(b, "media_urls", "invalid_media_url", None);
        v.url_opt(b, "voice_url", "invalid_voice_url");
        v.url_opt(b, "avatar_url", "invalid_avatar_url");
        let webhook = v.url_opt(b, "webhook_url", "INVALID_WEBHOOK_URL");
        let animate = v.bool_opt(b, "animate_image").unwrap_or(false);
        let use_veo3 = v.bool_opt(b, "use_veo3").unwrap_or(false);
        for k in [
            "emotion_enhancement",
            "use_space_media",
            "save_media_to_space",
        ] {
            v.bool_opt(b, k);
        }
        let animate_max = animate_image_max(&mut v, b);
        boolean_maps(&mut v, b);
        if !v.ok() {
            return Err(v.into_response());
        }
        Ok(GenRequest {
            prompt,
            duration,
            script,
            voice_id,
            avatar_id,
            plan,
            format,
            dims,
            pro,
            media_urls,
            avatar_url: present(b, "avatar_url").is_some(),
            webhook,
            animate,
            use_veo3,
            animate_max,
        })
    }

    /// Spoken seconds and script text: from the plan, the prompt, the script, or neither.
    fn length_and_text(&self, plan: Option<&Plan>) -> (f64, String) {
        let (seconds, text) = if let Some(p) = plan {
            (p.seconds.max(1.0), p.text.clone())
        } else if let (Some(pr), Some(d)) = (&self.prompt, self.duration) {
            (d, make_script(pr, d))
        } else if let Some(s) = &self.script {
            (
                credits::script_seconds(s.chars().count()).max(1.0),
                s.clone(),
            )
        } else {
            (self.duration.unwrap_or(30.0), String::new())
        };
        (round2(seconds), text)
    }

    /// Generation plus the animation of the still images among `media_urls`.
    fn cost(&self, seconds: f64) -> f64 {
        let mut cost = credits::generation_cost(seconds);
        if self.animate {
            let images = self
                .media_urls
                .iter()
                .filter(|u| {
                    let l = u.to_ascii_lowercase();
                    let path = l.split(['?', '#']).next().unwrap_or("");
                    ![".mp4", ".mov", ".webm", ".m4v"]
                        .iter()
                        .any(|e| path.ends_with(e))
                })
                .count();
            let images = self.animate_max.map_or(images, |m| images.min(m));
            cost += credits::animation_cost(images, self.pro);
        }
        cost
    }
}

/// Which content fields are needed together (`missing_content`, `missing_field`,
/// `missing_voice`) and the duration range.
fn content_rules(v: &mut Details, b: &Map<String, Value>, plan: bool, duration: Option<f64>) {
    let has = |k: &str| present(b, k).is_some();
    if !has("prompt") && !has("script") && !has("voice_url") && !has("avatar_url") && !plan {
        v.add(
            "missing_content",
            "At least one of prompt, script, voice_url or avatar_url is required",
            None,
        );
    }
    if has("prompt") && !has("duration") && !plan {
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
    if has("script") && !has("voice_id") && !has("voice_url") && !has("avatar_url") && !plan {
        v.add(
            "missing_voice",
            "voice_id is required when using script",
            Some("voice_id"),
        );
    }
}

/// `animate_mode`: `standard` (the default) or `pro`.
fn animate_mode_pro(v: &mut Details, b: &Map<String, Value>) -> bool {
    match present(b, "animate_mode").map(Value::as_str) {
        None | Some(Some("standard")) => false,
        Some(Some("pro")) => true,
        Some(_) => {
            v.add(
                "invalid_animate_mode",
                "animate_mode must be 'standard' or 'pro'",
                Some("animate_mode"),
            );
            false
        }
    }
}

fn animate_image_max(v: &mut Details, b: &Map<String, Value>) -> Option<usize> {
    match present(b, "animate_image_max")?.as_f64() {
        Some(n) if n >= 0.0 => Some(n as usize),
        _ => {
            v.add(
                "invalid_value",
                "animate_image_max must be a non-negative number",
                Some("animate_image_max"),
            );
            None
        }
    }
}

/// `enable` and `web_search`: objects of booleans.
fn boolean_maps(v: &mut Details, b: &Map<String, Value>) {
    for k in ["enable", "web_search"] {
        let Some(o) = present(b, k) else { continue };
        let Some(m) = o.as_object() else {
            v.add("invalid_type", format!("{k} must be an object"), Some(k));
            continue;
        };
        for (sk, sv) in m {
            if !sv.is_boolean() && !sv.is_null() {
                let f = format!("{k}.{sk}");
                v.add("invalid_type", format!("{f} must be a boolean"), Some(&f));
            }
        }
    }
}

/// 404 `PLAN_RESOLUTION_FAILED` for an id of the plan this space does not have.
fn unresolved(field: &str, message: String) -> SimResponse {
    err1(
        404,
        "Plan resolution failed",
        "PLAN_RESOLUTION_FAILED",
        &message,
        Some(field),
    )
}

impl Cx<'_> {
    pub(super) fn look_usable(&self, id: &str) -> bool {
        self.st
            .hoox
            .looks
            .get(id)
            .is_some_and(|l| l.status(self.now) == LookStatus::Ready)
    }

    pub(super) fn voice_exists(&self, id: &str) -> bool {
        self.st.hoox.voices.iter().any(|v| v.id == id)
    }

    pub(super) fn generation_start(&mut self, b: Map<String, Value>) -> SimResponse {
        let req = match GenRequest::parse(&b) {
            Ok(r) => r,
            Err(e) => return e,
        };
        let plan = match req
            .plan
            .as_ref()
            .map(|p| parse_plan(p, req.voice_id.as_deref()))
        {
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
        if let Err(e) = self.resolve_ids(&req, plan.as_ref()) {
            return e;
        }
        if req
            .prompt
            .as_deref()
            .is_some_and(|p| p.contains(SCRIPT_ERROR))
            && plan.is_none()
        {
            return err1(
                500,
                "Script generation failed",
                "SCRIPT_GENERATION_FAILED",
                "Failed to generate a script from the prompt",
                None,
            );
        }
        let (seconds, text) = req.length_and_text(plan.as_ref());
        let cost = req.cost(seconds);
        if let Err(e) = self.debit(cost, "INSUFFICIENT_CREDITS") {
            return e;
        }
        let job_id = self.record_generation(req, plan, seconds, text, cost);
        SimResponse::json(
            201,
            &json!({"job_id": job_id, "status": "pending", "estimated_credits": num(cost)}),
        )
    }

    /// The voice, the look and every id of the plan exist in this space.
    fn resolve_ids(&self, req: &GenRequest, plan: Option<&Plan>) -> Result<(), SimResponse> {
        if let Some(id) = &req.voice_id {
            if !self.voice_exists(id) {
                let msg = format!("Voice with ID \"{id}\" not found");
                return Err(err1(400, &msg, "invalid_voice_id", &msg, Some("voice_id")));
            }
        }
        if let Some(id) = &req.avatar_id {
            if !self.look_usable(id) {
                let msg = format!("Avatar look with ID \"{id}\" not found");
                return Err(err1(
                    400,
                    &msg,
                    "invalid_avatar_id",
                    &msg,
                    Some("avatar_id"),
                ));
            }
        }
        let Some(p) = plan else { return Ok(()) };
        for (field, vid) in &p.voices {
            if !self.voice_exists(vid) {
                return Err(unresolved(
                    field,
                    format!("Voice \"{vid}\" not found in your space"),
                ));
            }
        }
        for (field, lid) in &p.looks {
            if !self.look_usable(lid) {
                return Err(unresolved(
                    field,
                    format!("Look \"{lid}\" not found in your space"),
                ));
            }
        }
        for (field, aid) in &p.avatars {
            if self.st.hoox.avatar(aid).is_none() {
                return Err(unresolved(
                    field,
                    format!("Avatar \"{aid}\" not found in your space"),
                ));
            }
        }
        Ok(())
    }

    /// Stores the job and its video, schedules the webhook; returns the job id.
    fn record_generation(
        &mut self,
        req: GenRequest,
        plan: Option<Plan>,
        seconds: f64,
        text: String,
        cost: f64,
    ) -> String {
        let fail = [
            req.prompt.as_deref(),
            req.script.as_deref(),
            Some(text.as_str()),
        ]
        .into_iter()
        .flatten()
        .any(|s| s.contains(FAIL));
        let export_fails = [req.prompt.as_deref(), req.script.as_deref()]
            .into_iter()
            .flatten()
            .any(|s| s.contains(EXPORT_FAIL));
        let t = Timing::new(self.inner.cfg.job_seconds);
        let job_id = new_id("run_", 20);
        let video_id = new_id("vid_", 16);
        let look_id = req.avatar_id.clone().or_else(|| {
            plan.as_ref()
                .and_then(|p| p.looks.first().map(|(_, l)| l.clone()))
        });
        let mut steps = Vec::with_capacity(8);
        if !req.media_urls.is_empty() {
            steps.push("MEDIA_UPLOAD");
        }
        steps.extend_from_slice(GEN_STEPS);
        if req.animate {
            steps.insert(steps.len() - 2, "ANIMATE_IMAGES");
        }
        let video = HVideo {
            id: video_id.clone(),
            other_space: false,
            ready: t,
            gen_failed: fail,
            never_ready: false,
            has_avatar: look_id.is_some() || req.avatar_url,
            look_id,
            use_veo3: req.use_veo3,
            duration: seconds,
            format: req.format,
            width: req.dims[0],
            height: req.dims[1],
            voice_id: req.voice_id,
            script: if text.is_empty() {
                req.prompt.unwrap_or_default()
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
        let id = job_id.clone();
        self.notify(req.webhook, t.secs, move |inner, h| {
            h.gens.get(&id).map(|j| gen_webhook(inner, h, j))
        });
        job_id
    }

    /// 403 for another space's job, else 404.
    pub(super) fn job_lookup_error(&self, id: &str) -> SimResponse {
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

    pub(super) fn generation_status(&mut self, id: &str) -> SimResponse {
        let h = &self.st.hoox;
        match h.gens.get(id) {
            Some(j) => SimResponse::json(200, &gen_status_json(self.inner, h, j, self.now, false)),
            None => self.job_lookup_error(id),
        }
    }
}

/// The job as `/generation/status` shows it at `now` (`terminal`: as it ends).
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
