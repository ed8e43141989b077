//! Hooked videos: `/video/{id}`, `/video/list` (type and status filters, paging), the
//! video JSON at each stage, its media URLs, and the `project.completed` /
//! `project.failed` webhook payload (hooked.md §5–7).

use super::super::credits::HOOKED_VIDEO_CREDITS;
use super::super::util::{iso, num, unix_now};
use super::super::validate::{enum_message, Issues};
use super::super::Inner;
use super::state::{HkVideo, VStatus};
use super::{fail, ok, page, paging, Cx};
use crate::types::{SimRequest, SimResponse};
use serde_json::{json, Value};
use std::time::Instant;

/// Frames per second of every rendered video.
pub(super) const FPS: f64 = 25.0;

use super::super::rules::HOOKED_VIDEO_TYPES as VIDEO_TYPES;

impl Cx<'_> {
    pub(super) fn video_get(&mut self, id: &str) -> SimResponse {
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

    pub(super) fn video_list(&mut self, req: &SimRequest) -> SimResponse {
        let mut z = Issues::default();
        let ty = req.query_param("type").filter(|s| !s.is_empty());
        if let Some(t) = ty.filter(|t| !VIDEO_TYPES.contains(t)) {
            z.issue("type", enum_message(VIDEO_TYPES, &json!(t)));
        }
        let status = req
            .query_param("status")
            .filter(|s| !s.is_empty())
            .map(str::to_ascii_lowercase);
        // `None`: any; `Some(None)`: drafts (never listed).
        let want: Option<Option<VStatus>> = match status.as_deref() {
            None => None,
            Some("processing") | Some("started") => Some(Some(VStatus::Started)),
            Some("completed") => Some(Some(VStatus::Completed)),
            Some("failed") => Some(Some(VStatus::Failed)),
            Some("draft") => Some(None),
            Some(other) => {
                let allowed = ["draft", "processing", "completed", "failed"];
                z.issue("status", enum_message(&allowed, &json!(other)));
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
}

pub(super) fn media_url(inner: &Inner, v: &HkVideo) -> String {
    inner.media.url(
        &inner.base,
        &format!("{}.mp4", v.id),
        inner.cfg.url_ttl_seconds,
    )
}

pub(super) fn thumbnail(inner: &Inner, v: &HkVideo) -> String {
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

pub(super) fn webhook_payload(inner: &Inner, v: &HkVideo) -> Value {
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
