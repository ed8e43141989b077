//! Hoox finished videos: `/export/start` and `/export/status/{job_id}` with the export
//! webhook (hoox.md §3.4–3.5), and `/video/duplicate` (§3.6).

use super::super::credits;
use super::super::util::{iso, new_id, num, unix_now};
use super::super::validate::{present, Details};
use super::super::{Inner, Timing};
use super::catalog as cat;
use super::reply::{combo, err1};
use super::state::{ExportJob, HVideo, VState};
use super::{custom_dims, thumb_url, video_format, Cx, EXPORT_FAIL};
use crate::types::SimResponse;
use serde_json::{json, Map, Value};
use std::time::Instant;

const EXPORT_STEPS: &[&str] = &["render-audio", "avatar", "render"];

/// Why a video cannot be exported or duplicated.
enum Unfinished {
    Missing,
    OtherSpace,
    NotReady,
}

/// The export options that passed the field rules.
struct ExportRequest {
    video_id: String,
    format: Option<String>,
    dims: [Option<f64>; 2],
    model: Option<String>,
    webhook: Option<String>,
}

impl ExportRequest {
    /// `video_id` first (its own errors), then every other field rule at once.
    fn parse(b: &Map<String, Value>) -> Result<ExportRequest, SimResponse> {
        let video_id = match present(b, "video_id") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(Value::String(_)) | None => {
                return Err(err1(
                    400,
                    "video_id is required",
                    "MISSING_VIDEO_ID",
                    "video_id is required",
                    Some("video_id"),
                ));
            }
            Some(_) => {
                return Err(err1(
                    400,
                    "Validation failed",
                    "invalid_type",
                    "video_id must be a string",
                    Some("video_id"),
                ));
            }
        };
        let mut v = Details::default();
        let format = video_format(&mut v, b);
        let dims = custom_dims(&mut v, b);
        let mut model = None;
        if let Some(m) = present(b, "avatar_model") {
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
        let webhook = v.url_opt(b, "webhook_url", "INVALID_WEBHOOK_URL");
        if !v.ok() {
            return Err(v.into_response());
        }
        Ok(ExportRequest {
            video_id,
            format,
            dims,
            model,
            webhook,
        })
    }
}

impl Cx<'_> {
    /// A video of this space whose generation is done.
    fn finished_video(&self, id: &str) -> Result<&HVideo, Unfinished> {
        let now = self.now;
        match self.st.hoox.videos.get(id) {
            Some(v) if v.state(now) == VState::Missing => Err(Unfinished::Missing),
            None => Err(Unfinished::Missing),
            Some(v) if v.other_space => Err(Unfinished::OtherSpace),
            Some(v) if v.state(now) != VState::Done => Err(Unfinished::NotReady),
            Some(v) => Ok(v),
        }
    }

    pub(super) fn export_start(&mut self, b: Map<String, Value>) -> SimResponse {
        let req = match ExportRequest::parse(&b) {
            Ok(r) => r,
            Err(e) => return e,
        };
        let video = match self.finished_video(&req.video_id) {
            Ok(v) => v,
            Err(why) => return export_refusal(why, &req.video_id),
        };
        let avatar_model = match self.avatar_model(video, req.model) {
            Ok(m) => m,
            Err(e) => return e,
        };
        let fmt = req.format.unwrap_or_else(|| video.format.clone());
        let (w, h) = if fmt == "custom" {
            (
                req.dims[0].or(video.width).unwrap_or(1080.0),
                req.dims[1].or(video.height).unwrap_or(1920.0),
            )
        } else {
            (0.0, 0.0)
        };
        let high_res = fmt == "custom" && (w > 1920.0 || h > 1080.0);
        let cost = credits::export_cost(video.duration, high_res, avatar_model.as_deref(), None);
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
                video_id: req.video_id,
                cost,
                fail,
            },
        );
        let jid = id.clone();
        self.notify(req.webhook, t.secs, move |inner, h| {
            h.exports.get(&jid).map(|j| export_webhook(inner, j))
        });
        SimResponse::json(
            201,
            &json!({"job_id": id, "status": "pending", "estimated_credits": num(cost)}),
        )
    }

    /// The avatar model an export of `video` uses: the requested one if the video's look
    /// takes it, else the look's default; none for a video without an avatar.
    fn avatar_model(
        &self,
        video: &HVideo,
        requested: Option<String>,
    ) -> Result<Option<String>, SimResponse> {
        if !video.has_avatar {
            if requested.is_some() {
                return Err(err1(
                    400,
                    "avatar_model cannot be used on a video without an avatar",
                    "INVALID_PARAMETER",
                    "This video has no avatar",
                    Some("avatar_model"),
                ));
            }
            return Ok(None);
        }
        let video_look = video
            .look_id
            .as_ref()
            .and_then(|l| self.st.hoox.looks.get(l))
            .is_some_and(|l| l.video);
        let chosen = requested.unwrap_or_else(|| {
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
            return Err(err1(
                400,
                &msg,
                "INCOMPATIBLE_AVATAR_MODEL",
                &msg,
                Some("avatar_model"),
            ));
        }
        Ok(Some(chosen))
    }

    pub(super) fn export_status(&mut self, id: &str) -> SimResponse {
        match self.st.hoox.exports.get(id) {
            Some(j) => SimResponse::json(200, &export_status_json(self.inner, j, self.now, false)),
            None => self.job_lookup_error(id),
        }
    }

    pub(super) fn duplicate(&mut self, b: Map<String, Value>) -> SimResponse {
        let missing = || {
            combo(
                400,
                "video_id is required",
                "MISSING_VIDEO_ID",
                Some("video_id"),
            )
        };
        match present(&b, "video_id") {
            None => return missing(),
            Some(Value::String(s)) if s.trim().is_empty() => return missing(),
            Some(_) => {}
        }
        for k in ["video_id", "voice_id", "avatar_look_id"] {
            if present(&b, k).is_some_and(|x| !x.is_string()) {
                return combo(
                    400,
                    &format!("{k} must be a string"),
                    "INVALID_TYPE",
                    Some(k),
                );
            }
        }
        let text = |k: &str| present(&b, k).and_then(Value::as_str).map(str::to_string);
        let video_id = text("video_id").unwrap_or_default();
        let voice = text("voice_id");
        let look = text("avatar_look_id");
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
        let src = match self.finished_video(&video_id) {
            Ok(v) => v,
            Err(why) => return duplicate_refusal(why, &video_id),
        };
        let copy_id = new_id("vid_", 16);
        let copy = HVideo {
            id: copy_id.clone(),
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
        self.hoox().videos.insert(copy_id.clone(), copy);
        SimResponse::json(
            201,
            &json!({"video_id": copy_id, "status": "done",
                    "message": "Video duplicated successfully. The video will need to be exported to generate the final output.",
                    "changes_applied": {"voice_changed": voice.is_some(), "avatar_changed": look.is_some()}}),
        )
    }
}

/// Shape 1, as the export routes answer.
fn export_refusal(why: Unfinished, video_id: &str) -> SimResponse {
    match why {
        Unfinished::Missing => err1(
            404,
            "Video not found",
            "VIDEO_NOT_FOUND",
            &format!("Video with ID \"{video_id}\" not found"),
            Some("video_id"),
        ),
        Unfinished::OtherSpace => err1(
            403,
            "Video does not belong to your space",
            "UNAUTHORIZED_VIDEO",
            "Video does not belong to your space",
            Some("video_id"),
        ),
        Unfinished::NotReady => err1(
            400,
            "Video is not ready for export",
            "VIDEO_NOT_READY",
            "Video generation must be completed (state done) before export",
            Some("video_id"),
        ),
    }
}

/// Both forms, as `/video/duplicate` answers.
fn duplicate_refusal(why: Unfinished, video_id: &str) -> SimResponse {
    let (status, error, code) = match why {
        Unfinished::Missing => (
            404,
            format!("Video with ID \"{video_id}\" not found"),
            "VIDEO_NOT_FOUND",
        ),
        Unfinished::OtherSpace => (
            403,
            "Video does not belong to your space".into(),
            "UNAUTHORIZED_VIDEO",
        ),
        Unfinished::NotReady => (
            400,
            "Video must be completed before duplication".into(),
            "VIDEO_NOT_READY",
        ),
    };
    combo(status, &error, code, Some("video_id"))
}

/// The job as `/export/status` shows it at `now` (`terminal`: as it ends).
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
