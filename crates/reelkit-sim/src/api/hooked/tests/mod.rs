//! Tests of the Hooked simulation through `handle()`, one file per family; this one
//! holds auth, the envelope and the Zod-style validation messages.

mod catalogue;
mod projects;
mod schedules;
mod videos;

use crate::api::testkit::*;
use crate::types::Handler;
use serde_json::{json, Value};

#[test]
fn hooked_auth_and_envelope() {
    let s = sim();
    let r = s.handle(&request("GET", "/v1/video/list", &[], None));
    assert_eq!(r.status, 401);
    assert_eq!(
        js(&r),
        json!({"success": false, "message": "API key is required", "code": "MISSING_API_KEY"})
    );
    let r = s.handle(&request(
        "GET",
        "/v1/video/list",
        &[("x-api-key", "wrong")],
        None,
    ));
    assert_eq!(r.status, 401);
    assert_eq!(
        js(&r),
        json!({"success": false, "message": "Invalid API key"})
    );
    let r = hk(&s, "GET", "/video/vid_abc123", None);
    assert_eq!(r.status, 200);
    let v = js(&r);
    assert_eq!(v["success"], true);
    assert_eq!(v["message"], "Video details fetched successfully");
    let d = &v["data"];
    for (k, want) in [
        ("id", json!("vid_abc123")),
        ("name", json!("Product Tutorial")),
        ("type", json!("class")),
        ("status", json!("COMPLETED")),
        ("progress", json!(100)),
        ("message", json!("Video completed successfully")),
        ("durationInFrames", json!(7500)),
        ("durationInSeconds", json!(300)),
        ("avatarId", json!("avatar_sarah_01")),
        ("voiceId", json!("tzX5paJ07p5hyWFcU3uG")),
        ("musicId", json!("1")),
        (
            "videoSettings",
            json!({"aspectRatio": "ratio_9_16", "caption": {"disabled": false, "preset": "classic"}}),
        ),
        ("script", json!("Hello! Welcome to this tutorial...")),
        ("projectId", json!("proj_abc123")),
        ("createdAt", json!("2024-01-15T10:00:00Z")),
        ("updatedAt", json!("2024-01-15T10:05:00Z")),
        ("usedCredits", json!(5)),
        ("webhook", Value::Null),
    ] {
        assert_eq!(d[k], want, "field {k}");
    }
    let url = d["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{BASE}/media/vid_abc123.mp4?expires=")));
    assert_eq!(fetch(&s, url, &[]).status, 200);
    let r = hk(&s, "GET", "/video/nope", None);
    assert_eq!(r.status, 404);
    assert_eq!(js(&r)["message"], "Video not found");
    assert_eq!(hk(&s, "GET", "/video/vid_other_team", None).status, 403);
    // The /api/v1 prefix is accepted too.
    let key = s.config().hooked_api_key.clone();
    assert_eq!(
        s.handle(&request(
            "GET",
            "/api/v1/voice/list",
            &[("x-api-key", &key)],
            None
        ))
        .status,
        200
    );
}

#[test]
fn hooked_validation_messages() {
    let s = sim();
    let slide = |d: Value| json!({"aspectRatio": "ratio_9_16", "language": "en", "slides": [{"media": "med_1", "duration": d}]});
    let r = hk(
        &s,
        "POST",
        "/project/create/tiktok-slideshow",
        Some(slide(json!(11))),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        message(&r),
        "slides.0.duration: Number must be between 1 and 10"
    );
    assert_eq!(js(&r)["success"], false);
    let r = hk(
        &s,
        "POST",
        "/project/create/tiktok-slideshow",
        Some(json!({"aspectRatio": "ratio_9_16", "language": "en", "slides": []})),
    );
    assert_eq!(message(&r), "slides: At least one slide is required");
    let r = hk(
        &s,
        "POST",
        "/project/create/talking-avatar",
        Some(json!({"avatarId": "avt_sophia", "voiceId": "v"})),
    );
    assert_eq!(message(&r), "script: Required");
    let r = hk(
        &s,
        "POST",
        "/project/create/talking-avatar",
        Some(
            json!({"script": "", "avatarId": "avt_sophia", "voiceId": "v", "lipsyncModel": "max"}),
        ),
    );
    assert_eq!(
        message(&r),
        "script: String must contain at least 1 character(s), lipsyncModel: Invalid enum value. Expected 'base' | 'pro', received 'max'"
    );
    let ext = |d: Value| {
        hk(
            &s,
            "POST",
            "/project/create/extend-video",
            Some(json!({"media": "m", "prompt": "p", "targetDuration": d})),
        )
    };
    assert_eq!(
        message(&ext(json!(6))),
        "targetDuration: Target duration must be a multiple of 4"
    );
    assert_eq!(
        message(&ext(json!(64))),
        "targetDuration: Number must be less than or equal to 60"
    );
    assert_eq!(
        message(&ext(json!(2))),
        "targetDuration: Number must be greater than or equal to 4"
    );
    let r = hk(
        &s,
        "POST",
        "/project/create/remove-background",
        Some(json!({"media": "m", "webhook": "http://example.com/h"})),
    );
    assert_eq!(message(&r), "webhook: Webhook URL must use HTTPS");
    let long = format!("https://example.com/{}", "a".repeat(500));
    let r = hk(
        &s,
        "POST",
        "/project/create/remove-background",
        Some(json!({"media": "m", "webhook": long})),
    );
    assert_eq!(
        message(&r),
        "webhook: String must contain at most 500 character(s)"
    );
    let r = hk(
        &s,
        "POST",
        "/project/create/remove-background",
        Some(json!({"media": "m", "metadata": {"blob": "x".repeat(6000)}})),
    );
    assert_eq!(message(&r), "metadata: Metadata must be less than 5KB");
    let r = hk(
        &s,
        "POST",
        "/project/create/prompt-to-video",
        Some(json!({"prompt": "p", "voiceId": "v", "mediaType": "ai-images", "targetDuration": 5})),
    );
    assert_eq!(
        message(&r),
        "targetDuration: Number must be greater than or equal to 10"
    );
    let r = hk(
        &s,
        "POST",
        "/project/create/script-to-video",
        Some(json!({"script": "s", "voiceId": "v", "mediaType": "media"})),
    );
    assert_eq!(message(&r), "media: Required");
    let r = hk(
        &s,
        "POST",
        "/project/create/ugc-ads",
        Some(json!({"script": "s", "avatarId": "avt_sophia", "voiceId": "v", "media": []})),
    );
    assert_eq!(
        message(&r),
        "media: Array must contain at least 1 element(s)"
    );
    let r = hk(
        &s,
        "POST",
        "/project/create/scenes",
        Some(json!({"scenes": [{"type": "avatar", "avatarId": "avt_sophia", "voiceId": "v"}]})),
    );
    assert_eq!(message(&r), "scenes.0.script: Required");
    let r = hk(
        &s,
        "POST",
        "/project/create/product-ads",
        Some(
            json!({"script": "s", "productAdSettings": {"websiteUrl": "http://e.com", "avatarIntroSeconds": 40}}),
        ),
    );
    assert_eq!(
        message(&r),
        "productAdSettings.websiteUrl: Website URL must use HTTPS, productAdSettings.avatarIntroSeconds: Number must be less than or equal to 30"
    );
    let r = hk(
        &s,
        "POST",
        "/project/create",
        Some(
            json!({"type": "class", "templateId": "tpl_123", "title": "t", "caption": true, "language": "eng", "scenes": [{"script": "Hi"}]}),
        ),
    );
    assert_eq!(
        message(&r),
        "language: String must contain exactly 2 character(s)"
    );
    let r = hk(
        &s,
        "POST",
        "/project/create",
        Some(
            json!({"type": "class", "templateId": "tpl_nope", "title": "t", "caption": true, "language": "en", "scenes": [{"script": "Hi"}]}),
        ),
    );
    assert_eq!((r.status, message(&r)), (404, "Template not found".into()));
    let r = hk(
        &s,
        "POST",
        "/project/create/talking-avatar",
        Some(json!({"script": "s", "avatarId": "avt_nope", "voiceId": "v"})),
    );
    assert_eq!((r.status, message(&r)), (404, "Avatar not found".into()));
    assert_eq!(s.hooked_credits_used(), 0.0);
}
