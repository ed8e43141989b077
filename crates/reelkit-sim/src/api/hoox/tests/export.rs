//! Tests of Hoox `/export/*` and `/video/duplicate`: lifecycle, media, error codes, costs.

use crate::api::testkit::*;
use crate::types::SimResponse;
use serde_json::{json, Value};

#[test]
fn export_lifecycle_media_and_failure() {
    let s = sim_with(|c| c.job_seconds = 1.0);
    let (clock, r) = JobClock::start(1.0, || {
        hx(
            &s,
            "POST",
            "/export/start",
            Some(json!({"video_id": "vid_seed_done", "format": "vertical"})),
        )
    });
    assert_eq!(r.status, 201);
    let v = js(&r);
    assert_eq!(v["status"], "pending");
    assert_eq!(v["estimated_credits"], 24);
    let job = v["job_id"].as_str().unwrap().to_string();
    let st = || js(&hx(&s, "GET", &format!("/export/status/{job}"), None));
    wait(0.3);
    let (v, span) = clock.read(st);
    span.check(&v["status"], EXPORT);
    if v["status"] == "processing" {
        let step = v["current_step"].as_str().unwrap();
        assert!(["render-audio", "avatar", "render"].contains(&step));
        assert!(v["progress"].as_i64().unwrap() > 0);
    }
    wait(0.8);
    let (v, span) = clock.read(st);
    span.check(&v["status"], EXPORT);
    assert_eq!(v["status"], "completed");
    assert_eq!(v["progress"], 100);
    assert_eq!(v["result"]["cost"], 24);
    let url = v["result"]["video_url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{BASE}/media/export_{job}.mp4?expires=")));
    let m = fetch(&s, url, &[]);
    assert_eq!(m.status, 200);
    assert_eq!(hdr(&m, "content-type"), Some("video/mp4"));
    assert_eq!(&bytes_of(&m)[4..8], b"ftyp");
    // Failing export.
    let r = hx(
        &s,
        "POST",
        "/export/start",
        Some(json!({"video_id": "vid_seed_export_fails"})),
    );
    let job = js(&r)["job_id"].as_str().unwrap().to_string();
    wait(1.05);
    let v = js(&hx(&s, "GET", &format!("/export/status/{job}"), None));
    assert_eq!(v["status"], "failed");
    assert_eq!(v["error"]["code"], "EXPORT_FAILED");
}

/// Videos that can be neither exported nor duplicated, and the answer.
fn unfinished_videos() -> [(Value, u16, &'static str); 3] {
    [
        (json!({"video_id": "vid_nope"}), 404, "VIDEO_NOT_FOUND"),
        (
            json!({"video_id": "vid_other_space"}),
            403,
            "UNAUTHORIZED_VIDEO",
        ),
        (
            json!({"video_id": "vid_seed_processing"}),
            400,
            "VIDEO_NOT_READY",
        ),
    ]
}

#[test]
fn export_error_codes_and_costs() {
    let s = sim();
    let post = |b: Value| hx(&s, "POST", "/export/start", Some(b));
    let check = |r: SimResponse, status: u16, code: &str| {
        assert_eq!(
            r.status,
            status,
            "{}",
            String::from_utf8_lossy(&bytes_of(&r))
        );
        assert_eq!(js(&r)["details"][0]["code"], code);
    };
    let mut cases = vec![(json!({}), 400, "MISSING_VIDEO_ID")];
    cases.extend(unfinished_videos());
    cases.extend([
        (
            json!({"video_id": "vid_seed_done", "avatar_model": "mega"}),
            400,
            "INVALID_AVATAR_MODEL",
        ),
        (
            json!({"video_id": "vid_seed_done", "format": "cinema"}),
            400,
            "invalid_format",
        ),
        (
            json!({"video_id": "vid_seed_done", "format": "custom", "width": 9000}),
            400,
            "invalid_value",
        ),
        (
            json!({"video_id": "vid_seed_done", "avatar_model": "standard"}),
            400,
            "INCOMPATIBLE_AVATAR_MODEL",
        ),
        (
            json!({"video_id": "vid_seed_video_look", "avatar_model": "premium"}),
            400,
            "INCOMPATIBLE_AVATAR_MODEL",
        ),
        (
            json!({"video_id": "vid_seed_no_avatar", "avatar_model": "premium"}),
            400,
            "INVALID_PARAMETER",
        ),
        (
            json!({"video_id": "vid_seed_done", "webhook_url": "nope"}),
            400,
            "INVALID_WEBHOOK_URL",
        ),
    ]);
    for (body, status, code) in cases {
        check(post(body), status, code);
    }
    let cost = |b: Value| {
        let r = post(b);
        assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&bytes_of(&r)));
        js(&r)["estimated_credits"].as_f64().unwrap()
    };
    assert_eq!(cost(json!({"video_id": "vid_seed_video_look"})), 0.0);
    assert_eq!(
        cost(
            json!({"video_id": "vid_seed_no_avatar", "format": "custom", "width": 3840, "height": 2160})
        ),
        2.5
    );
    assert_eq!(cost(json!({"video_id": "vid_seed_veo3"})), 73.6); // veo-3-fast: 4 x 8 s x 2.3
    assert_eq!(
        cost(json!({"video_id": "vid_seed_done", "avatar_model": "veo-3"})),
        160.0
    );
    assert_eq!(
        cost(json!({"video_id": "vid_seed_done", "avatar_model": "ultra"})),
        69.0
    );
}

#[test]
fn duplicate_error_codes() {
    let s = sim();
    let post = |b: Value| hx(&s, "POST", "/video/duplicate", Some(b));
    let check = |r: SimResponse, status: u16, code: &str| {
        assert_eq!(r.status, status);
        let v = js(&r);
        assert_eq!(v["code"], code);
        assert_eq!(v["details"][0]["code"], code);
        assert!(v["error"].is_string());
    };
    let mut cases = vec![
        (json!({}), 400, "MISSING_VIDEO_ID"),
        (json!({"video_id": 12}), 400, "INVALID_TYPE"),
        (
            json!({"video_id": "vid_seed_done", "voice_id": ["x"]}),
            400,
            "INVALID_TYPE",
        ),
        (
            json!({"video_id": "vid_seed_done", "voice_id": "voice_nope"}),
            400,
            "INVALID_VOICE_ID",
        ),
        (
            json!({"video_id": "vid_seed_done", "avatar_look_id": "look_nope"}),
            400,
            "INVALID_AVATAR_ID",
        ),
    ];
    cases.extend(unfinished_videos());
    for (body, status, code) in cases {
        check(post(body), status, code);
    }
    let r = post(
        json!({"video_id": "vid_seed_done", "voice_id": "voice_en_us_female_1", "avatar_look_id": "avatar_business_woman_office_1"}),
    );
    assert_eq!(r.status, 201);
    let v = js(&r);
    assert_eq!(v["status"], "done");
    assert_eq!(
        v["changes_applied"],
        json!({"voice_changed": true, "avatar_changed": true})
    );
    assert_eq!(
        v["message"],
        "Video duplicated successfully. The video will need to be exported to generate the final output."
    );
    let dup = v["video_id"].as_str().unwrap();
    assert_ne!(dup, "vid_seed_done");
    let r = post(json!({"video_id": "vid_seed_done"}));
    assert_eq!(
        js(&r)["changes_applied"],
        json!({"voice_changed": false, "avatar_changed": false})
    );
    assert_eq!(
        hx(&s, "POST", "/export/start", Some(json!({"video_id": dup}))).status,
        201
    );
    assert_eq!(s.hoox_credits_used(), 24.0);
}
