//! Hooked project creation (`/project/create` and `/project/create/{kind}`, hooked.md §5):
//! each family's file turns a body into a [`Spec`] (field rules only); this file adds the
//! rules every kind shares (caption, audio, webhook, metadata), resolves the template and
//! avatars, charges the credits and starts the video.
//!
//! Families: `avatar.rs` (talking-avatar, ugc-video, ugc-ads, hook-demo, product-ads),
//! `faceless.rs` (script-to-video, prompt-to-video, tiktok-slideshow), `scenes.rs`
//! (scenes, templates), `edits.rs` (add-captions, remove-background, extend-video).

mod avatar;
mod edits;
mod faceless;
mod scenes;

use super::super::credits::{Provider, HOOKED_VIDEO_CREDITS};
use super::super::util::{is_https_or_loopback, new_id, num};
use super::super::validate::{Issues, Num};
use super::super::Timing;
use super::catalogue as cat;
use super::state::{HkVideo, VStatus};
use super::videos::{webhook_payload, FPS};
use super::{fail, ok, Cx};
use crate::types::SimResponse;
use serde_json::{json, Map, Value};

/// In any script, prompt or text: the video ends `FAILED`.
const FAIL: &str = "SIMULATE_FAILURE";
use super::super::rules::{
    HOOKED_ASPECT_RATIOS as ASPECTS, HOOKED_CAPTION_ALIGNMENTS, HOOKED_CAPTION_PRESETS as PRESETS,
    HOOKED_LIPSYNC_MODELS as LIPSYNC,
};

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
    /// (preset, disabled).
    caption: (String, bool),
    media: usize,
    seconds: Option<f64>,
    template: Option<String>,
    webhook: Option<String>,
    metadata: Option<Value>,
    /// Completes at once (hook demo).
    instant: bool,
}

impl Spec {
    /// The texts that may hold the failure trigger.
    fn texts(&self) -> impl Iterator<Item = &str> {
        self.script
            .iter()
            .chain(self.prompt.iter())
            .chain(self.text.iter())
            .chain(self.texts.iter())
            .map(String::as_str)
    }
}

/// Spoken seconds of a script (about 15 characters per second), at least 3.
fn script_seconds(s: &str) -> f64 {
    (s.chars().count() as f64 / 15.0).max(3.0)
}

// ---------------------------------------------------------------------------------------
// Rules every kind shares

/// `caption` object; returns (preset, disabled).
fn caption(z: &mut Issues, o: &Map<String, Value>, required: bool, preset: &str) -> (String, bool) {
    let Some(c) = z.object(o, "", "caption", required) else {
        return (preset.into(), false);
    };
    let chosen = z.enumv(c, "caption", "preset", false, PRESETS);
    z.enumv(c, "caption", "alignment", false, HOOKED_CAPTION_ALIGNMENTS);
    let disabled = z.boolean(c, "caption", "disabled", false).unwrap_or(false);
    (chosen.unwrap_or_else(|| preset.into()), disabled)
}

/// The `script` an avatar speaks, the `avatarId` and the `voiceId`, all required.
fn speaker(z: &mut Issues, o: &Map<String, Value>, spec: &mut Spec) {
    spec.script = z.string(o, "", "script", true, 1, 10_000);
    spec.avatar = z.string(o, "", "avatarId", true, 1, 100);
    spec.voice = z.string(o, "", "voiceId", true, 1, 100);
}

/// The optional voice settings.
fn audio(z: &mut Issues, o: &Map<String, Value>) {
    if let Some(a) = z.object(o, "", "audio", false) {
        for k in ["speed", "stability", "similarityBoost", "style"] {
            z.number(a, "audio", k, false, Num::ANY);
        }
        z.boolean(a, "audio", "useSpeakerBoost", false);
    }
}

/// `webhook`: an HTTPS URL (http on the loopback), at most 500 characters.
fn webhook(z: &mut Issues, o: &Map<String, Value>) -> Option<String> {
    let s = z.string(o, "", "webhook", false, 0, 500)?;
    if url::Url::parse(&s).is_err() {
        z.issue("webhook", "Invalid url");
        return None;
    }
    if !is_https_or_loopback(&s) {
        z.issue("webhook", "Webhook URL must use HTTPS");
        return None;
    }
    Some(s)
}

/// `metadata`: an object under 5 KB, echoed in the webhook.
fn metadata(z: &mut Issues, o: &Map<String, Value>) -> Option<Value> {
    let m = z.object(o, "", "metadata", false)?;
    let size = serde_json::to_vec(m).map(|v| v.len()).unwrap_or(0);
    if size > 5 * 1024 {
        z.issue("metadata", "Metadata must be less than 5KB");
        return None;
    }
    Some(Value::Object(m.clone()))
}

// ---------------------------------------------------------------------------------------
// Create: validate, resolve, start

impl Cx<'_> {
    pub(super) fn create(&mut self, kind: &'static str, b: Map<String, Value>) -> SimResponse {
        let mut z = Issues::default();
        let mut spec = match kind {
            "talking-avatar" | "ugc-video" => avatar::talking(&mut z, &b, kind == "ugc-video"),
            "ugc-ads" => avatar::ugc_ads(&mut z, &b),
            "hook-demo" => avatar::hook_demo(&mut z, &b),
            "product-ads" => avatar::product_ads(&mut z, &b),
            "script-to-video" => faceless::to_video(&mut z, &b, false),
            "prompt-to-video" => faceless::to_video(&mut z, &b, true),
            "tiktok-slideshow" => faceless::slideshow(&mut z, &b),
            "scenes" => scenes::scenes(&mut z, &b),
            "add-captions" | "remove-background" | "extend-video" => edits::edit(&mut z, &b, kind),
            _ => scenes::template(&mut z, &b),
        };
        spec.webhook = webhook(&mut z, &b);
        spec.metadata = metadata(&mut z, &b);
        if !z.ok() {
            return z.into_response();
        }
        if let Err(e) = resolve(&spec) {
            return e;
        }
        self.start_video(kind, spec)
    }

    /// Debits one video (402 when short); refunds it when the video will fail.
    fn charge(&mut self, fails: bool, t: &Timing) -> Result<(), SimResponse> {
        let ledger = &mut self.st.ledger;
        let available = ledger.available(Provider::Hooked, self.now);
        if ledger
            .debit(Provider::Hooked, HOOKED_VIDEO_CREDITS, self.now)
            .is_err()
        {
            let mut v = json!({"success": false, "message": "Insufficient credits", "code": "INSUFFICIENT_CREDITS"});
            v["details"] = json!({"required": num(HOOKED_VIDEO_CREDITS), "available": num(available.max(0.0))});
            return Err(SimResponse::json(402, &v));
        }
        if fails {
            ledger.refund_at(Provider::Hooked, HOOKED_VIDEO_CREDITS, t.end_instant());
        }
        Ok(())
    }

    fn start_video(&mut self, kind: &'static str, spec: Spec) -> SimResponse {
        let fails = spec.texts().any(|t| t.contains(FAIL));
        let t = if spec.instant {
            Timing::new(0.0)
        } else {
            Timing::new(self.inner.cfg.job_seconds)
        };
        if let Err(e) = self.charge(fails, &t) {
            return e;
        }
        let h = &mut self.st.hooked;
        h.next_seq += 1;
        let video = new_video(kind, &spec, t, h.next_seq, fails);
        let (id, project_id) = (video.id.clone(), video.project_id.clone());
        let status = if video.status(self.now) == VStatus::Started {
            "STARTED"
        } else if fails {
            "FAILED"
        } else {
            "COMPLETED"
        };
        h.videos.insert(id.clone(), video);
        if let Some(url) = spec.webhook {
            let vid = id.clone();
            self.inner
                .notify_later(Provider::Hooked, url, t.secs, move |inner, st| {
                    st.hooked
                        .videos
                        .get(&vid)
                        .map(|v| webhook_payload(inner, v))
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
}

/// The template and every avatar named exist (404 otherwise).
fn resolve(spec: &Spec) -> Result<(), SimResponse> {
    if let Some(t) = &spec.template {
        if cat::template_json(t, false).is_none() {
            return Err(fail(404, "Template not found", Some("TEMPLATE_NOT_FOUND")));
        }
    }
    for a in spec.avatar.iter().chain(spec.scene_avatars.iter()) {
        if !cat::avatar_exists(a) {
            return Err(fail(404, "Avatar not found", Some("AVATAR_NOT_FOUND")));
        }
    }
    Ok(())
}

/// The video record of a new project: its length in whole frames, its name (given, or
/// the start of its text), and the settings it was made with.
fn new_video(kind: &'static str, spec: &Spec, t: Timing, seq: u64, fails: bool) -> HkVideo {
    let seconds = spec
        .seconds
        .unwrap_or_else(|| spec.script.as_deref().map(script_seconds).unwrap_or(30.0));
    let seconds = (seconds * FPS).round().max(1.0) / FPS;
    let id = new_id("vid_", 20);
    let project_id = new_id("proj_", 20);
    let text = spec
        .script
        .clone()
        .or(spec.prompt.clone())
        .or(spec.text.clone());
    let name = spec.name.clone().unwrap_or_else(|| {
        let src = text.as_deref().unwrap_or(kind);
        let n: String = src.chars().take(40).collect();
        n.trim().to_string()
    });
    HkVideo {
        id,
        project_id,
        name,
        kind: spec.kind,
        t,
        seq,
        seconds,
        fail: fails,
        avatar_id: spec
            .avatar
            .clone()
            .or_else(|| spec.scene_avatars.first().cloned()),
        voice_id: spec.voice.clone(),
        music_id: spec.music.clone(),
        aspect: spec.aspect.clone().unwrap_or_else(|| "ratio_9_16".into()),
        caption_preset: spec.caption.0.clone(),
        caption_disabled: spec.caption.1,
        script: text,
        webhook: spec.webhook.clone(),
        metadata: spec.metadata.clone(),
        other_team: false,
        created_at: None,
        updated_at: None,
        thumbnail: None,
    }
}
