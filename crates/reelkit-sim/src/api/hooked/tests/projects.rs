//! Tests of Hooked project creation: every create endpoint, and a video's lifecycle,
//! credits and failure.

use crate::api::testkit::*;
use serde_json::{json, Value};

#[test]
fn hooked_every_create_endpoint_answers() {
    let s = sim();
    let cases = [
        (
            "talking-avatar",
            json!({"script": "Hey!", "avatarId": "avt_sophia", "voiceId": "tzX5paJ07p5hyWFcU3uG", "metadata": {"campaign": "spring"}}),
            "Talking avatar successfully created",
        ),
        (
            "ugc-video",
            json!({"script": "Hey!", "avatarId": "avt_sophia", "voiceId": "v", "caption": {"preset": "tiktok"}, "aspectRatio": "ratio_9_16", "language": "en"}),
            "UGC video successfully created",
        ),
        (
            "ugc-ads",
            json!({"script": "Serum", "avatarId": "avt_sophia", "voiceId": "v", "media": ["med_123"], "adSettings": {"bRollType": "rounded-cover"}}),
            "UGC ad successfully created",
        ),
        (
            "script-to-video",
            json!({"script": "Five facts", "voiceId": "v", "mediaType": "ai-images", "presetSettings": {"preset": "realistic", "quality": "pro"}}),
            "Script to Video successfully created",
        ),
        (
            "prompt-to-video",
            json!({"prompt": "Compound interest", "voiceId": "v", "mediaType": "ai-videos", "targetDuration": 30, "aspectRatio": "ratio_16_9", "language": "en"}),
            "Prompt to Video successfully created",
        ),
        (
            "product-ads",
            json!({"script": "Meet it", "avatarId": "avt_sophia", "voiceId": "v", "productAdSettings": {"websiteUrl": "https://example.com", "avatarIntroSeconds": 3}}),
            "Product ad successfully created",
        ),
        (
            "add-captions",
            json!({"media": "med_video_1", "caption": {"preset": "classic", "alignment": "bottom"}}),
            "Add captions successfully created",
        ),
        (
            "extend-video",
            json!({"media": "med_video_1", "prompt": "Continue", "targetDuration": 8}),
            "Extend video successfully created",
        ),
        (
            "remove-background",
            json!({"media": "med_video_1"}),
            "Remove Background successfully created",
        ),
        (
            "tiktok-slideshow",
            json!({"aspectRatio": "ratio_9_16", "language": "en", "slides": [{"media": "m1", "duration": 3, "texts": [{"text": "Tip 1", "x": 0, "y": 43.13}]}, {"media": "m2", "duration": 4}]}),
            "TikTok slideshow successfully created",
        ),
    ];
    for (kind, body, msg) in cases {
        let r = hk(&s, "POST", &format!("/project/create/{kind}"), Some(body));
        assert_eq!(
            r.status,
            200,
            "{kind}: {}",
            String::from_utf8_lossy(&bytes_of(&r))
        );
        let v = js(&r);
        assert_eq!(v["success"], true);
        assert_eq!(v["message"], msg);
        assert_eq!(v["data"]["status"], "STARTED", "{kind}");
        assert!(v["data"]["videoId"].is_string() && v["data"]["projectId"].is_string());
    }
    let r = hk(
        &s,
        "POST",
        "/project/create/hook-demo",
        Some(json!({"avatarId": "avt_sophia", "text": "POV", "media": ["med_demo_1"]})),
    );
    assert_eq!(js(&r)["data"]["status"], "COMPLETED");
    let r = hk(
        &s,
        "POST",
        "/project/create/scenes",
        Some(json!({"name": "Launch", "scenes": [
        {"type": "avatar", "script": "Big news today.", "avatarId": "avt_sophia", "voiceId": "v"},
        {"type": "video", "mediaId": "med_broll_1"},
        {"type": "start_end_frame", "startFrameMediaId": "a", "endFrameMediaId": "b", "frameModel": "veo_3_1", "framePrompt": "push-in", "frameDuration": 5}]})),
    );
    let v = js(&r);
    assert_eq!(v["message"], "Scenes project successfully created");
    assert!(v["projectId"].is_string());
    assert!(v.get("data").is_none());
    let r = hk(
        &s,
        "POST",
        "/project/create",
        Some(
            json!({"type": "class", "templateId": "tpl_123", "title": "Weekly promo", "caption": true, "language": "en",
        "scenes": [{"script": "Hi {{name}}", "variables": [{"key": "name", "value": "Alex", "type": "text"}], "avatar": {"id": "avt_sophia", "topLeft": {"x": 0, "y": 0}, "bottomRight": {"x": 1080, "y": 1920}}}]}),
        ),
    );
    let v = js(&r);
    assert_eq!(v["message"], "Project created successfully");
    assert_eq!(v["data"]["status"], "processing");
    assert_eq!(s.hooked_credits_used(), 65.0);
    let list = js(&hk(&s, "GET", "/video/list?type=hook_demo", None));
    assert_eq!(list["data"]["total"], 1);
    assert_eq!(list["data"]["videos"][0]["status"], "COMPLETED");
}

#[test]
fn hooked_video_lifecycle_credits_and_failure() {
    let s = sim_with(|c| {
        c.credits = 12.0;
        c.job_seconds = 1.0;
    });
    let (clock, r) = JobClock::start(1.0, || {
        hk(
            &s,
            "POST",
            "/project/create/talking-avatar",
            Some(
                json!({"script": "Hey! I tried this app for a week and here's what happened.", "avatarId": "avt_sophia", "voiceId": "tzX5paJ07p5hyWFcU3uG"}),
            ),
        )
    });
    let id = js(&r)["data"]["videoId"].as_str().unwrap().to_string();
    let r = hk(
        &s,
        "POST",
        "/project/create/talking-avatar",
        Some(json!({"script": "SIMULATE_FAILURE", "avatarId": "avt_sophia", "voiceId": "v"})),
    );
    let bad = js(&r)["data"]["videoId"].as_str().unwrap().to_string();
    assert_eq!(s.hooked_credits_used(), 10.0);
    let r = hk(
        &s,
        "POST",
        "/project/create/remove-background",
        Some(json!({"media": "m"})),
    );
    assert_eq!(r.status, 402);
    assert_eq!(js(&r)["code"], "INSUFFICIENT_CREDITS");
    let get = |id: &str| js(&hk(&s, "GET", &format!("/video/{id}"), None))["data"].clone();
    let (v, span) = clock.read(|| get(&id));
    span.check(&v["status"], HOOKED_VIDEO);
    if v["status"] == "STARTED" {
        assert_eq!(v["url"], Value::Null);
    }
    wait(0.3);
    let (v, span) = clock.read(|| get(&id));
    span.check(&v["status"], HOOKED_VIDEO);
    let p = v["progress"].as_i64().unwrap();
    if v["status"] == "STARTED" {
        assert!(p > 0 && p < 100, "{p}");
    }
    wait(0.8);
    let (v, span) = clock.read(|| get(&id));
    span.check(&v["status"], HOOKED_VIDEO);
    assert_eq!(v["status"], "COMPLETED");
    assert_eq!(v["progress"], 100);
    assert_eq!(v["usedCredits"], 5);
    assert!(v["durationInFrames"].as_i64().unwrap() > 0);
    assert_eq!(
        v["durationInSeconds"].as_f64().unwrap() * 25.0,
        v["durationInFrames"].as_f64().unwrap()
    );
    assert_eq!(
        v["size"].as_u64().unwrap(),
        bytes_of(&fetch(&s, v["url"].as_str().unwrap(), &[])).len() as u64
    );
    let v = get(&bad);
    assert_eq!(v["status"], "FAILED");
    assert!(v["message"].as_str().unwrap().contains("failed"));
    assert_eq!(s.hooked_credits_used(), 5.0);
}
