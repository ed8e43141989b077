//! Tests of Hoox `/script/generate` and `/generation/*`: validation, cost, lifecycle,
//! failure triggers and 402.

use crate::api::testkit::*;
use crate::api::util;
use serde_json::{json, Value};

#[test]
fn script_generate_validation_cost_and_errors() {
    let s = sim();
    let r = hx(&s, "POST", "/script/generate", Some(json!({})));
    assert_eq!(r.status, 400);
    let v = js(&r);
    assert_eq!(v["error"], "Validation failed");
    assert_eq!(codes(&v), [("missing_field".into(), "prompt".into())]);
    let urls: Vec<String> = (0..11).map(|i| format!("https://e.com/{i}")).collect();
    let r = hx(
        &s,
        "POST",
        "/script/generate",
        Some(json!({"prompt": "  ", "duration": 5, "urls": urls, "webSearch": "yes"})),
    );
    let c = codes(&js(&r));
    assert!(c.contains(&("invalid_value".into(), "prompt".into())));
    assert!(c.contains(&("invalid_value".into(), "duration".into())));
    assert!(c.contains(&("invalid_value".into(), "urls".into())));
    assert!(c.contains(&("invalid_type".into(), "webSearch".into())));
    let r = hx(
        &s,
        "POST",
        "/script/generate",
        Some(
            json!({"prompt": "Apple Watch", "duration": 60, "webSearch": true, "urls": ["https://www.apple.com/watch"]}),
        ),
    );
    assert_eq!(r.status, 200);
    let v = js(&r);
    assert_eq!(v["cost"], json!(0.3));
    assert!(v["script"].as_str().unwrap().len() > 500);
    assert_eq!(v["extractedImages"].as_array().unwrap().len(), 1);
    assert_eq!(s.hoox_credits_used(), 0.3);
    let r = hx(
        &s,
        "POST",
        "/script/generate",
        Some(json!({"prompt": "SIMULATE_SCRIPT_ERROR"})),
    );
    assert_eq!(r.status, 500);
    assert_eq!(js(&r)["code"], "SCRIPT_GENERATION_FAILED");
    // Every counted answer carries the rate-limit headers, a 500 included.
    assert!(hdr(&r, "x-ratelimit-limit").is_some());
    let s = sim_with(|c| c.credits = 0.05);
    let r = hx(&s, "POST", "/script/generate", Some(json!({"prompt": "x"})));
    assert_eq!(r.status, 402);
    assert_eq!(
        js(&r),
        json!({"error": "Insufficient credits. Required: 0.1, Available: 0.05", "code": "insufficient_credits"})
    );
}

#[test]
fn generation_validation_families() {
    let s = sim();
    let post = |b: Value| hx(&s, "POST", "/generation/start", Some(b));
    let r = post(json!({}));
    assert_eq!(r.status, 400);
    assert_eq!(codes(&js(&r)), [("missing_content".into(), "".into())]);
    let r = post(json!({"prompt": "A video"}));
    assert_eq!(
        js(&r),
        json!({"error": "Validation failed", "details": [{"code": "missing_field", "message": "Duration is required when using prompt", "field": "duration"}]})
    );
    let r = post(json!({"script": "Hello"}));
    assert_eq!(
        codes(&js(&r)),
        [("missing_voice".into(), "voice_id".into())]
    );
    let r = post(
        json!({"prompt": "x", "duration": "60", "format": "cinema", "width": 0, "animate_mode": "max",
                        "web_urls": "x", "media_urls": ["nope"], "voice_url": "bad", "avatar_url": "bad",
                        "webhook_url": "bad"}),
    );
    let c = codes(&js(&r));
    for want in [
        ("invalid_type", "duration"),
        ("invalid_format", "format"),
        ("invalid_value", "width"),
        ("invalid_animate_mode", "animate_mode"),
        ("invalid_type", "web_urls"),
        ("invalid_media_url", "media_urls[0]"),
        ("invalid_voice_url", "voice_url"),
        ("invalid_avatar_url", "avatar_url"),
        ("INVALID_WEBHOOK_URL", "webhook_url"),
    ] {
        assert!(
            c.contains(&(want.0.into(), want.1.into())),
            "{want:?} missing in {c:?}"
        );
    }
    let r = post(json!({"prompt": "x", "duration": 700}));
    assert_eq!(
        codes(&js(&r)),
        [("invalid_value".into(), "duration".into())]
    );
    let r = post(json!({"script": "Hi", "voice_id": "voice_nope"}));
    assert_eq!(r.status, 400);
    assert_eq!(js(&r)["details"][0]["code"], "invalid_voice_id");
    assert_eq!(js(&r)["error"], "Voice with ID \"voice_nope\" not found");
    let r =
        post(json!({"script": "Hi", "voice_id": "voice_fr_female_01", "avatar_id": "look_nope"}));
    assert_eq!(js(&r)["details"][0]["code"], "invalid_avatar_id");
    let r = post(json!({"prompt": "SIMULATE_SCRIPT_ERROR", "duration": 30}));
    assert_eq!(r.status, 500);
    assert_eq!(js(&r)["details"][0]["code"], "SCRIPT_GENERATION_FAILED");
    // sequence_plan
    let r = post(json!({"voice_id": "voice_en_us_female_1", "sequence_plan": [{"sequences": []}]}));
    assert_eq!(r.status, 400);
    assert_eq!(js(&r)["details"][0]["code"], "INVALID_PLAN");
    assert_eq!(js(&r)["details"][0]["field"], "sequence_plan[0].sequences");
    let r = post(json!({"voice_id": "voice_en_us_female_1",
                        "sequence_plan": [{"sequences": [{"text": "Hi", "look_id": "look_missing"}]}]}));
    assert_eq!(r.status, 404);
    assert_eq!(js(&r)["details"][0]["code"], "PLAN_RESOLUTION_FAILED");
    let r = post(
        json!({"voice_id": "voice_en_us_female_1", "avatar_id": "look_123",
                        "sequence_plan": [{"sequences": [{"text": "We waste 3 hours a day", "media": {"url": "https://e.com/a.jpg", "show": "full"}}]},
                                          {"sequences": [{"text": null, "duration_ms": 1200}]},
                                          {"voice_id": "voice_en_us_male_1", "look_id": "look_emma_casual",
                                           "sequences": [{"text": "Oh yeah? How come?"}]}]}),
    );
    assert_eq!(r.status, 201);
    assert_eq!(js(&r)["estimated_credits"], 5);
    assert_eq!(s.hoox_credits_used(), 5.0);
}

#[test]
fn generation_lifecycle_and_credits() {
    let s = sim_with(|c| c.job_seconds = 1.0);
    let (clock, r) = JobClock::start(1.0, || {
        hx(
            &s,
            "POST",
            "/generation/start",
            Some(
                json!({"prompt": "Sustainable energy", "duration": 60, "voice_id": "voice_en_us_female_1",
                        "avatar_id": "avatar_business_woman_1", "media_urls": ["https://e.com/a.jpg", "https://e.com/b.mp4"],
                        "animate_image": true, "animate_mode": "pro"}),
            ),
        )
    });
    assert_eq!(r.status, 201);
    assert!(hdr(&r, "x-ratelimit-remaining").is_some());
    let v = js(&r);
    assert_eq!(v["status"], "pending");
    assert_eq!(v["estimated_credits"], 17); // 10 + 1 image x 7 (pro)
    assert_eq!(s.hoox_credits_used(), 17.0);
    let job = v["job_id"].as_str().unwrap().to_string();
    assert!(job.starts_with("run_"));
    let status = || js(&hx(&s, "GET", &format!("/generation/status/{job}"), None));
    // Pending for the first 150 ms: the state expected is the one the measured elapsed
    // time allows (pending alone on an idle machine).
    let (v, span) = clock.read(status);
    span.check(&v["status"], GENERATION);
    if v["status"] == "pending" {
        assert_eq!(
            v,
            json!({"job_id": job, "status": "pending", "progress_step": 0, "current_step": "QUEUE"})
        );
    }
    wait(0.3);
    let (a, span) = clock.read(status);
    span.check(&a["status"], GENERATION);
    wait(0.2);
    let (b, span) = clock.read(status);
    span.check(&b["status"], GENERATION);
    assert!(b["progress_step"].as_i64() >= a["progress_step"].as_i64());
    let steps = [
        "MEDIA_UPLOAD",
        "VOICE_GENERATION",
        "TRANSCRIPTION",
        "SEARCH_MEDIA",
        "ANALYZE_FOUND_MEDIA",
        "ANIMATE_IMAGES",
        "PLACE_BROLL",
        "DISPLAY_BROLL",
    ];
    if b["status"] == "processing" {
        assert!(steps.contains(&b["current_step"].as_str().unwrap()));
    }
    wait(0.6);
    let (v, span) = clock.read(status);
    span.check(&v["status"], GENERATION);
    assert_eq!(v["status"], "completed");
    assert_eq!(v["progress_step"], 100);
    assert_eq!(v["current_step"], Value::Null);
    let res = &v["result"];
    assert_eq!(res["duration"], 60);
    assert_eq!(res["cost"], 17);
    assert!(res["thumbnail_url"].as_str().unwrap().starts_with(BASE));
    assert!(util::parse_iso(res["created_at"].as_str().unwrap()).is_some());
    let vid = res["video_id"].as_str().unwrap().to_string();
    // The video can now be exported.
    let r = hx(&s, "POST", "/export/start", Some(json!({"video_id": vid})));
    assert_eq!(r.status, 201);
    assert_eq!(js(&r)["estimated_credits"], 48); // premium 0.8/s x 60 s
    assert_eq!(s.hoox_credits_used(), 65.0);
    // Unknown job.
    let r = hx(&s, "GET", "/generation/status/run_nope", None);
    assert_eq!(r.status, 404);
    assert_eq!(js(&r)["details"][0]["code"], "job_not_found");
    assert_eq!(js(&r)["error"], "Job with ID \"run_nope\" not found");
    let r = hx(&s, "GET", "/export/status/run_other_space", None);
    assert_eq!(r.status, 403);
    assert_eq!(js(&r)["details"][0]["code"], "unauthorized_job");
}

#[test]
fn generation_failure_and_402() {
    let s = sim_with(|c| c.credits = 12.0);
    let r = hx(
        &s,
        "POST",
        "/generation/start",
        Some(json!({"script": "SIMULATE_FAILURE please", "voice_id": "voice_fr_female_01"})),
    );
    assert_eq!(r.status, 201);
    assert_eq!(js(&r)["estimated_credits"], 5);
    let job = js(&r)["job_id"].as_str().unwrap().to_string();
    let r = hx(
        &s,
        "POST",
        "/generation/start",
        Some(json!({"prompt": "x", "duration": 60})),
    );
    assert_eq!(r.status, 402);
    assert_eq!(
        js(&r),
        json!({"error": "Insufficient credits. Required: 10, Available: 7", "code": "INSUFFICIENT_CREDITS"})
    );
    assert!(hdr(&r, "x-ratelimit-limit").is_some());
    wait(0.25);
    let v = js(&hx(&s, "GET", &format!("/generation/status/{job}"), None));
    assert_eq!(v["status"], "failed");
    assert_eq!(v["error"]["code"], "GENERATION_FAILED");
    assert!(v.get("result").is_none());
}
