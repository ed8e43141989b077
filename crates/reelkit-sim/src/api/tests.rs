//! Unit tests of the API simulation: `handle()` called directly with constructed requests
//! (no sockets), plus one webhook test with a local TCP listener on 127.0.0.1.

use super::*;
use crate::types::{pattern_byte, Body, SimConfig, SimRequest, SimResponse};
use bytes::Bytes;
use serde_json::{json, Value};
use std::thread::sleep;

const BASE: &str = "http://127.0.0.1:9";

fn cfg() -> SimConfig {
    SimConfig {
        job_seconds: 0.2,
        ..SimConfig::default()
    }
}

fn sim() -> Arc<ApiSim> {
    ApiSim::new(cfg(), BASE.into())
}

fn sim_with(f: impl FnOnce(&mut SimConfig)) -> Arc<ApiSim> {
    let mut c = cfg();
    f(&mut c);
    ApiSim::new(c, BASE.into())
}

fn request(
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> SimRequest {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (util::pct_decode(k), util::pct_decode(v))
        })
        .collect();
    SimRequest {
        method: method.into(),
        path: path.into(),
        query,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
            .collect(),
        body: body
            .map(|b| Bytes::from(serde_json::to_vec(b).unwrap()))
            .unwrap_or_default(),
    }
}

fn hx(s: &ApiSim, method: &str, path: &str, body: Option<Value>) -> SimResponse {
    let auth = format!("Bearer {}", s.config().hoox_api_key);
    s.handle(&request(
        method,
        &format!("/api/public/v1{path}"),
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        body.as_ref(),
    ))
}

fn hk(s: &ApiSim, method: &str, path: &str, body: Option<Value>) -> SimResponse {
    let key = s.config().hooked_api_key.clone();
    s.handle(&request(
        method,
        &format!("/v1{path}"),
        &[("x-api-key", &key), ("content-type", "application/json")],
        body.as_ref(),
    ))
}

fn bytes_of(r: &SimResponse) -> Vec<u8> {
    match &r.body {
        Body::Bytes(b) => b.to_vec(),
        Body::Pattern { len, offset } => (*offset..offset + len).map(pattern_byte).collect(),
    }
}

fn js(r: &SimResponse) -> Value {
    serde_json::from_slice(&bytes_of(r)).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {:?}",
            String::from_utf8_lossy(&bytes_of(r))
        )
    })
}

fn hdr<'a>(r: &'a SimResponse, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// GET a full media URL (`http://127.0.0.1:9/media/...`) through the handler.
fn fetch(s: &ApiSim, url: &str, extra: &[(&str, &str)]) -> SimResponse {
    let target = url.strip_prefix(BASE).expect("media URL on this server");
    s.handle(&request("GET", target, extra, None))
}

fn wait(secs: f64) {
    sleep(Duration::from_secs_f64(secs));
}

// ------------------------------------------------------------------------------------------
// Hoox: auth, rate limit, routing

#[test]
fn hoox_auth_errors() {
    let s = sim();
    let call = |auth: Option<&str>| {
        let h: Vec<(&str, &str)> = auth.map(|a| vec![("authorization", a)]).unwrap_or_default();
        s.handle(&request("GET", "/api/public/v1/voice/list", &h, None))
    };
    let r = call(None);
    assert_eq!(r.status, 401);
    assert_eq!(js(&r)["details"][0]["code"], "invalid_api_key");
    let r = call(Some("Bearer sk_nope"));
    assert_eq!(r.status, 401);
    assert_eq!(
        js(&r),
        json!({"error": "Invalid API key format", "details": [{"code": "invalid_api_key", "message": "Invalid API key format"}]})
    );
    let r = call(Some("Bearer hx_live_wrong"));
    assert_eq!(r.status, 401);
    assert_eq!(js(&r)["error"], "Invalid API key");
    assert!(hdr(&r, "x-ratelimit-limit").is_none());
    // script/generate uses the flat shape.
    let r = s.handle(&request(
        "POST",
        "/api/public/v1/script/generate",
        &[("authorization", "Bearer hx_live_wrong")],
        Some(&json!({"prompt": "x"})),
    ));
    assert_eq!(
        js(&r),
        json!({"error": "Invalid API key", "code": "invalid_api_key"})
    );

    let s = sim_with(|c| c.hoox_enterprise = false);
    let r = hx(&s, "GET", "/voice/list", None);
    assert_eq!(r.status, 403);
    assert_eq!(
        js(&r),
        json!({"error": "Enterprise plan required for API access",
               "details": [{"code": "plan_required", "message": "Enterprise plan required for API access"}]})
    );
}

#[test]
fn routing_404s() {
    let s = sim();
    let r = hx(&s, "GET", "/nope/thing", None);
    assert_eq!(r.status, 404);
    assert!(js(&r)["error"].is_string());
    let r = s.handle(&request("GET", "/elsewhere", &[], None));
    assert_eq!(r.status, 404);
    assert_eq!(hdr(&r, "content-type"), Some("application/json"));
    let r = hx(&s, "GET", "/generation/start", None);
    assert_eq!(r.status, 405);
    let r = hk(&s, "GET", "/nothing/here", None);
    assert_eq!(r.status, 404);
    assert_eq!(js(&r)["success"], false);
}

#[test]
fn hoox_rate_limit() {
    let s = sim_with(|c| c.rate_limit_per_minute = 3);
    let mut remaining = vec![];
    for _ in 0..2 {
        let r = hx(&s, "GET", "/voice/list", None);
        assert_eq!(r.status, 200);
        assert_eq!(hdr(&r, "x-ratelimit-limit"), Some("3"));
        let reset: f64 = hdr(&r, "x-ratelimit-reset").unwrap().parse().unwrap();
        assert!((reset - util::unix_now() - 60.0).abs() < 3.0);
        remaining.push(hdr(&r, "x-ratelimit-remaining").unwrap().to_string());
    }
    // A 4xx route answer also carries the headers (and counts).
    let r = hx(&s, "POST", "/script/generate", Some(json!({})));
    assert_eq!(r.status, 400);
    remaining.push(hdr(&r, "x-ratelimit-remaining").unwrap().to_string());
    assert_eq!(remaining, ["2", "1", "0"]);
    let r = hx(&s, "GET", "/voice/list", None);
    assert_eq!(r.status, 429);
    assert!(hdr(&r, "x-ratelimit-remaining").is_none());
    let msg = "Rate limit exceeded. Maximum 3 requests per minute.";
    assert_eq!(
        js(&r),
        json!({"error": msg, "details": [{"code": "rate_limit_exceeded", "message": msg}]})
    );
    // Unauthenticated calls are not counted and get 401, not 429.
    let r = s.handle(&request("GET", "/api/public/v1/voice/list", &[], None));
    assert_eq!(r.status, 401);
    // Disabled limiter: no headers.
    let s = sim_with(|c| c.rate_limit_per_minute = 0);
    for _ in 0..5 {
        let r = hx(&s, "GET", "/voice/list", None);
        assert_eq!(r.status, 200);
        assert!(hdr(&r, "x-ratelimit-limit").is_none());
    }
}

// ------------------------------------------------------------------------------------------
// Hoox: script, generation, export, duplicate

fn codes(v: &Value) -> Vec<(String, String)> {
    v["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["field"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

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
    assert!(hdr(&r, "x-ratelimit-limit").is_none());
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
    let r = hx(
        &s,
        "POST",
        "/generation/start",
        Some(
            json!({"prompt": "Sustainable energy", "duration": 60, "voice_id": "voice_en_us_female_1",
                    "avatar_id": "avatar_business_woman_1", "media_urls": ["https://e.com/a.jpg", "https://e.com/b.mp4"],
                    "animate_image": true, "animate_mode": "pro"}),
        ),
    );
    assert_eq!(r.status, 201);
    assert!(hdr(&r, "x-ratelimit-remaining").is_some());
    let v = js(&r);
    assert_eq!(v["status"], "pending");
    assert_eq!(v["estimated_credits"], 17); // 10 + 1 image x 7 (pro)
    assert_eq!(s.hoox_credits_used(), 17.0);
    let job = v["job_id"].as_str().unwrap().to_string();
    assert!(job.starts_with("run_"));
    let status = || js(&hx(&s, "GET", &format!("/generation/status/{job}"), None));
    let v = status();
    assert_eq!(
        v,
        json!({"job_id": job, "status": "pending", "progress_step": 0, "current_step": "QUEUE"})
    );
    wait(0.3);
    let a = status();
    assert_eq!(a["status"], "processing");
    wait(0.2);
    let b = status();
    assert_eq!(b["status"], "processing");
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
    assert!(steps.contains(&b["current_step"].as_str().unwrap()));
    wait(0.6);
    let v = status();
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

#[test]
fn export_lifecycle_media_and_failure() {
    let s = sim_with(|c| c.job_seconds = 1.0);
    let r = hx(
        &s,
        "POST",
        "/export/start",
        Some(json!({"video_id": "vid_seed_done", "format": "vertical"})),
    );
    assert_eq!(r.status, 201);
    let v = js(&r);
    assert_eq!(v["status"], "pending");
    assert_eq!(v["estimated_credits"], 24);
    let job = v["job_id"].as_str().unwrap().to_string();
    let st = || js(&hx(&s, "GET", &format!("/export/status/{job}"), None));
    wait(0.3);
    let v = st();
    assert_eq!(v["status"], "processing");
    assert!(["render-audio", "avatar", "render"].contains(&v["current_step"].as_str().unwrap()));
    assert!(v["progress"].as_i64().unwrap() > 0);
    wait(0.8);
    let v = st();
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
    check(post(json!({})), 400, "MISSING_VIDEO_ID");
    check(
        post(json!({"video_id": "vid_nope"})),
        404,
        "VIDEO_NOT_FOUND",
    );
    check(
        post(json!({"video_id": "vid_other_space"})),
        403,
        "UNAUTHORIZED_VIDEO",
    );
    check(
        post(json!({"video_id": "vid_seed_processing"})),
        400,
        "VIDEO_NOT_READY",
    );
    check(
        post(json!({"video_id": "vid_seed_done", "avatar_model": "mega"})),
        400,
        "INVALID_AVATAR_MODEL",
    );
    check(
        post(json!({"video_id": "vid_seed_done", "format": "cinema"})),
        400,
        "invalid_format",
    );
    check(
        post(json!({"video_id": "vid_seed_done", "format": "custom", "width": 9000})),
        400,
        "invalid_value",
    );
    check(
        post(json!({"video_id": "vid_seed_done", "avatar_model": "standard"})),
        400,
        "INCOMPATIBLE_AVATAR_MODEL",
    );
    check(
        post(json!({"video_id": "vid_seed_video_look", "avatar_model": "premium"})),
        400,
        "INCOMPATIBLE_AVATAR_MODEL",
    );
    check(
        post(json!({"video_id": "vid_seed_no_avatar", "avatar_model": "premium"})),
        400,
        "INVALID_PARAMETER",
    );
    check(
        post(json!({"video_id": "vid_seed_done", "webhook_url": "nope"})),
        400,
        "INVALID_WEBHOOK_URL",
    );
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
    check(post(json!({})), 400, "MISSING_VIDEO_ID");
    check(post(json!({"video_id": 12})), 400, "INVALID_TYPE");
    check(
        post(json!({"video_id": "vid_seed_done", "voice_id": ["x"]})),
        400,
        "INVALID_TYPE",
    );
    check(
        post(json!({"video_id": "vid_seed_done", "voice_id": "voice_nope"})),
        400,
        "INVALID_VOICE_ID",
    );
    check(
        post(json!({"video_id": "vid_seed_done", "avatar_look_id": "look_nope"})),
        400,
        "INVALID_AVATAR_ID",
    );
    check(
        post(json!({"video_id": "vid_nope"})),
        404,
        "VIDEO_NOT_FOUND",
    );
    check(
        post(json!({"video_id": "vid_other_space"})),
        403,
        "UNAUTHORIZED_VIDEO",
    );
    check(
        post(json!({"video_id": "vid_seed_processing"})),
        400,
        "VIDEO_NOT_READY",
    );
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

// ------------------------------------------------------------------------------------------
// Hoox: voices, avatars, assets, folders

#[test]
fn voice_and_avatar_catalogue() {
    let s = sim();
    let all = js(&hx(&s, "GET", "/voice/list", None));
    let all = all.as_array().unwrap();
    assert!(all.len() >= 8);
    assert_eq!(all[0]["source"], "space");
    let fr = js(&hx(
        &s,
        "GET",
        "/voice/list?language=FR&gender=female",
        None,
    ));
    assert_eq!(fr.as_array().unwrap().len(), 1);
    assert_eq!(
        fr[0],
        json!({"id": "voice_fr_female_01", "name": "Charlotte", "language": "fr", "accent": "Parisian", "gender": "female",
                             "tags": ["friendly", "warm"], "preview": "https://cdn.hoox.video/voices/voice_fr_female_01.mp3", "source": "config"})
    );
    let public = js(&hx(&s, "GET", "/voice/list?onlyPublic=true", None));
    assert!(public
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["source"] == "config"));
    let tagged = js(&hx(
        &s,
        "GET",
        "/voice/list?tags=narration,storytelling",
        None,
    ));
    assert_eq!(tagged.as_array().unwrap().len(), 3);
    assert_eq!(
        js(&hx(&s, "GET", "/voice/voice_es_male_01", None))["language"],
        "es"
    );
    assert_eq!(hx(&s, "GET", "/voice/nope", None).status, 404);

    let looks = js(&hx(&s, "GET", "/avatar/list", None));
    let looks = looks.as_array().unwrap();
    assert_eq!(looks[0]["avatar_id"], "avtr_space_jordan");
    let video_look = looks.iter().find(|l| l["id"] == "look_alex_video").unwrap();
    assert_eq!(video_look["model_available"], json!(["standard"]));
    assert!(video_look["preview"].is_string());
    let image_look = looks.iter().find(|l| l["id"] == "look_123").unwrap();
    assert_eq!(image_look["model_available"].as_array().unwrap().len(), 12);
    assert_eq!(image_look["preview"], Value::Null);
    let office = js(&hx(
        &s,
        "GET",
        "/avatar/list?place=office&gender=female",
        None,
    ));
    assert_eq!(office.as_array().unwrap().len(), 2);
    let acc = js(&hx(
        &s,
        "GET",
        "/avatar/list?accessories=headphones,earbuds&onlyPublic=true",
        None,
    ));
    assert_eq!(acc.as_array().unwrap().len(), 2);
    let a = js(&hx(&s, "GET", "/avatar/avtr_abc123", None));
    assert_eq!(a["name"], "Alex");
    assert_eq!(a["age"], "30");
    assert_eq!(a["looks"].as_array().unwrap().len(), 3);
    assert_eq!(a["looks"][0]["status"], "ready");
    let l = js(&hx(&s, "GET", "/avatar/avtr_abc123/look/look_123", None));
    assert_eq!(l["look_name"], "Office Look");
    assert_eq!(l["status"], "ready");
    assert_eq!(l["error_message"], Value::Null);
    assert_eq!(hx(&s, "GET", "/avatar/avtr_nope", None).status, 404);
    assert_eq!(
        hx(&s, "GET", "/avatar/avtr_abc123/look/look_nope", None).status,
        404
    );
    let legacy = js(&hx(&s, "GET", "/resources/avatars", None));
    assert_eq!(legacy[0]["model_available"].as_array().unwrap().len(), 4);
    assert!(js(&hx(&s, "GET", "/resources/voices", None))[0]
        .get("source")
        .is_none());
}

#[test]
fn avatar_create_edit_status() {
    let s = sim_with(|c| c.job_seconds = 1.0);
    // Prompt-based: 2 credits (2K), 4 (4K); pending -> completed.
    let r = hx(
        &s,
        "POST",
        "/avatar/create",
        Some(
            json!({"prompt": "Young entrepreneur", "style": "iphone", "name": "Alex", "place": "office"}),
        ),
    );
    assert_eq!(r.status, 201);
    let v = js(&r);
    let (aid, lid) = (
        v["avatar_id"].as_str().unwrap().to_string(),
        v["look_id"].as_str().unwrap().to_string(),
    );
    assert_eq!(s.hoox_credits_used(), 2.0);
    let status = |a: &str, l: &str| {
        js(&hx(
            &s,
            "GET",
            &format!("/avatar/status?avatar_id={a}&look_id={l}"),
            None,
        ))
    };
    assert_eq!(
        status(&aid, &lid),
        json!({"avatar_id": aid, "look_id": lid, "status": "pending"})
    );
    assert_eq!(
        js(&hx(&s, "GET", &format!("/avatar/{aid}/look/{lid}"), None))["status"],
        "pending"
    );
    wait(0.3);
    assert_eq!(status(&aid, &lid)["status"], "processing");
    wait(0.8);
    let v = status(&aid, &lid);
    assert_eq!(v["status"], "completed");
    assert_eq!(v["result"]["id"], lid.as_str());
    assert!(v["result"]["thumbnail_url"].is_string());
    assert_eq!(
        js(&hx(&s, "GET", &format!("/avatar/{aid}/look/{lid}"), None))["status"],
        "ready"
    );
    assert!(js(&hx(&s, "GET", "/avatar/list", None))
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["id"] == lid.as_str()));
    hx(
        &s,
        "POST",
        "/avatar/create",
        Some(json!({"prompt": "x", "resolution": "4K"})),
    );
    assert_eq!(s.hoox_credits_used(), 6.0);
    // Image-based: free and ready at once.
    let r = hx(
        &s,
        "POST",
        "/avatar/create",
        Some(
            json!({"imageUrls": ["https://e.com/1.jpg", "https://e.com/2.jpg"], "name": "Jordan"}),
        ),
    );
    assert_eq!(r.status, 201);
    let v = js(&r);
    assert_eq!(s.hoox_credits_used(), 6.0);
    let img = status(
        v["avatar_id"].as_str().unwrap(),
        v["look_id"].as_str().unwrap(),
    );
    assert_eq!(img["status"], "completed");
    assert_eq!(
        js(&hx(
            &s,
            "GET",
            &format!("/avatar/{}", v["avatar_id"].as_str().unwrap()),
            None
        ))["looks"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Validation.
    let r = hx(
        &s,
        "POST",
        "/avatar/create",
        Some(json!({"style": "cartoon"})),
    );
    assert_eq!(r.status, 400);
    assert_eq!(js(&r)["details"][0]["field"], "style");
    let r = hx(&s, "POST", "/avatar/create", Some(json!({})));
    assert_eq!(r.status, 400);
    // Edit: codes, public avatar duplicated into the space, upscale cost.
    let edit = |b: Value| hx(&s, "POST", "/avatar/edit", Some(b));
    assert_eq!(js(&edit(json!({})))["code"], "MISSING_AVATAR_ID");
    assert_eq!(
        js(&edit(json!({"avatar_id": "avtr_abc123"})))["code"],
        "MISSING_LOOK_ID"
    );
    assert_eq!(
        js(&edit(
            json!({"avatar_id": "avtr_abc123", "look_id": "look_123", "webhook_url": "x"})
        ))["code"],
        "INVALID_WEBHOOK_URL"
    );
    assert_eq!(
        js(&edit(
            json!({"avatar_id": "avtr_abc123", "look_id": "look_123"})
        ))["code"],
        "MISSING_PROMPT"
    );
    let r = edit(json!({"avatar_id": "avtr_nope", "look_id": "look_123", "prompt": "x"}));
    assert_eq!(
        (r.status, js(&r)["code"].clone()),
        (404, json!("AVATAR_NOT_FOUND"))
    );
    let r = edit(json!({"avatar_id": "avtr_abc123", "look_id": "look_nope", "prompt": "x"}));
    assert_eq!(
        (r.status, js(&r)["code"].clone()),
        (404, json!("LOOK_NOT_FOUND"))
    );
    let r = edit(
        json!({"avatar_id": "avtr_abc123", "look_id": "look_123", "prompt": "Add my product SIMULATE_FAILURE", "upscale": true}),
    );
    assert_eq!(r.status, 201);
    assert_eq!(s.hoox_credits_used(), 9.5);
    let v = js(&r);
    let (eaid, elid) = (
        v["avatar_id"].as_str().unwrap().to_string(),
        v["look_id"].as_str().unwrap().to_string(),
    );
    assert_ne!(eaid, "avtr_abc123");
    wait(1.05);
    let v = status(&eaid, &elid);
    assert_eq!(v["status"], "failed");
    assert_eq!(v["error"]["code"], "LOOK_GENERATION_FAILED");
    let l = js(&hx(&s, "GET", &format!("/avatar/{eaid}/look/{elid}"), None));
    assert_eq!(l["status"], "error");
    assert!(l["error_message"].is_string());
    let r = hx(&s, "GET", "/avatar/status?avatar_id=x", None);
    assert_eq!(r.status, 400);
    assert_eq!(js(&r)["code"], "INVALID_VALUE");
    let s2 = sim_with(|c| c.credits = 1.0);
    let r = hx(&s2, "POST", "/avatar/create", Some(json!({"prompt": "x"})));
    assert_eq!(r.status, 402);
    assert_eq!(js(&r)["code"], "INSUFFICIENT_CREDITS");
}

#[test]
fn asset_models_pricing_and_generation() {
    let s = sim_with(|c| c.job_seconds = 0.5);
    let v = js(&hx(&s, "GET", "/asset/models", None));
    assert!(v["count"].as_u64().unwrap() >= 10);
    assert!(v["models"][0].get("type").is_some());
    assert!(v.get("type").is_none());
    let v = js(&hx(
        &s,
        "GET",
        "/asset/models?type=video&provider=kling",
        None,
    ));
    assert_eq!(v["type"], "video");
    assert_eq!(v["provider"], "kling");
    let models = v["models"].as_array().unwrap();
    assert!(models.iter().any(|m| m["name"] == "kling-pro"));
    assert!(models
        .iter()
        .all(|m| m.get("type").is_none() && m.get("provider").is_none()));
    let kp = models.iter().find(|m| m["name"] == "kling-pro").unwrap();
    assert_eq!(kp["base_cost"], json!(7.5));
    assert_eq!(kp["capabilities"]["supported_durations"], json!([5, 10]));
    let v = js(&hx(&s, "GET", "/asset/models?tag=text-to-image", None));
    assert!(v["models"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["type"] == "image"));
    let d = js(&hx(&s, "GET", "/asset/models/veo-3.1", None));
    assert_eq!(d["input_schema"]["required"], json!(["prompt"]));
    assert_eq!(
        d["input_schema"]["properties"]["duration"]["enum"],
        json!([4, 6, 8])
    );
    assert_eq!(d["settings"][0]["key"], "generateAudio");
    assert_eq!(hx(&s, "GET", "/asset/models/nope", None).status, 404);
    // Pricing: a quote, no debit.
    let r = hx(
        &s,
        "POST",
        "/asset/pricing",
        Some(
            json!({"model": "veo-3.1", "duration": 8, "resolution": "1080p", "generation_count": 2}),
        ),
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        js(&r),
        json!({"model": "veo-3.1", "cost_per_generation": 80, "total_cost": 160, "currency": "credits", "generation_count": 2})
    );
    let r = hx(
        &s,
        "POST",
        "/asset/pricing",
        Some(json!({"model": "kling-pro", "duration": 7})),
    );
    assert_eq!(
        js(&r)["normalized"],
        json!({"duration": "5s", "duration_in_seconds": 5})
    );
    assert_eq!(
        hx(&s, "POST", "/asset/pricing", Some(json!({"model": "nope"}))).status,
        400
    );
    assert_eq!(s.hoox_credits_used(), 0.0);
    // Start validation.
    let r = hx(
        &s,
        "POST",
        "/asset/start",
        Some(json!({"type": "image", "model": "veo-3.1"})),
    );
    let c = codes(&js(&r));
    assert!(c.contains(&("invalid_value".into(), "type".into())));
    assert!(c.contains(&("missing_field".into(), "prompt".into())));
    let r = hx(
        &s,
        "POST",
        "/asset/start",
        Some(json!({"type": "video", "model": "veo-3.1-flf", "prompt": "x"})),
    );
    assert!(codes(&js(&r)).contains(&("missing_field".into(), "first_frame".into())));
    let r = hx(
        &s,
        "POST",
        "/asset/start",
        Some(json!({"type": "video", "model": "kling-standard", "prompt": "x"})),
    );
    assert!(codes(&js(&r)).contains(&("invalid_value".into(), "references".into())));
    let r = hx(
        &s,
        "POST",
        "/asset/start",
        Some(
            json!({"type": "video", "model": "veo-3.1", "prompt": "x", "references": [{"url": "https://e.com/a.jpg", "asset_id": "a"}], "generation_count": 5}),
        ),
    );
    let c = codes(&js(&r));
    assert!(c.contains(&("invalid_value".into(), "references[0]".into())));
    assert!(c.contains(&("invalid_value".into(), "generation_count".into())));
    // Start: debit up front, generating -> completed.
    let r = hx(
        &s,
        "POST",
        "/asset/start",
        Some(
            json!({"type": "video", "model": "veo-3.1", "prompt": "A fox", "aspect_ratio": "9:16", "duration": 8, "resolution": "720p"}),
        ),
    );
    assert_eq!(r.status, 201);
    let v = js(&r);
    assert_eq!(v["status"], "generating");
    assert_eq!(v["count"], 1);
    assert_eq!(v["total_cost"], 32);
    assert_eq!(s.hoox_credits_used(), 32.0);
    let id = v["asset_ids"][0].as_str().unwrap().to_string();
    assert_eq!(id.len(), 24);
    let st = js(&hx(&s, "GET", &format!("/asset/status/{id}"), None));
    assert_eq!(st["status"], "generating");
    assert_eq!(st["generation_params"]["model"], "veo-3.1");
    // Failing generations are refunded.
    let r = hx(
        &s,
        "POST",
        "/asset/start",
        Some(
            json!({"type": "image", "model": "gpt-image-2", "prompt": "SIMULATE_FAILURE", "generation_count": 2}),
        ),
    );
    let bad = js(&r)["asset_ids"][1].as_str().unwrap().to_string();
    assert_eq!(s.hoox_credits_used(), 32.6);
    wait(0.55);
    let st = js(&hx(&s, "GET", &format!("/asset/status/{id}"), None));
    assert_eq!(st["status"], "completed");
    assert_eq!(
        (st["width"].as_u64(), st["height"].as_u64()),
        (Some(720), Some(1280))
    );
    assert_eq!(st["duration_seconds"], 8);
    assert_eq!(fetch(&s, st["url"].as_str().unwrap(), &[]).status, 200);
    let st = js(&hx(&s, "GET", &format!("/asset/status/{bad}"), None));
    assert_eq!(st["status"], "failed");
    assert!(st["error"]["code"].is_string());
    assert_eq!(s.hoox_credits_used(), 32.0);
    assert_eq!(hx(&s, "GET", "/asset/status/nope", None).status, 404);
    let s2 = sim_with(|c| c.credits = 10.0);
    let r = hx(
        &s2,
        "POST",
        "/asset/start",
        Some(json!({"type": "video", "model": "veo-3.1", "prompt": "x"})),
    );
    assert_eq!(r.status, 402);
    assert_eq!(
        js(&r)["error"],
        "Insufficient credits. Required: 32, Available: 10"
    );
}

#[test]
fn folders() {
    let s = sim();
    let v = js(&hx(&s, "GET", "/folder/list", None));
    assert_eq!(v["folders"].as_array().unwrap().len(), 3);
    let v = js(&hx(&s, "GET", "/folder/list?type=videos", None));
    assert_eq!(v["folders"].as_array().unwrap().len(), 1);
    let r = hx(
        &s,
        "POST",
        "/folder/create",
        Some(json!({"name": "B-roll", "parent_folder_id": "662f8c1d3a4b5e6f70123456"})),
    );
    assert_eq!(r.status, 201);
    let v = js(&r);
    assert_eq!(v["type"], "assets");
    assert_eq!(v["parent_folder_id"], "662f8c1d3a4b5e6f70123456");
    assert_eq!(v["id"].as_str().unwrap().len(), 24);
    let r = hx(
        &s,
        "POST",
        "/folder/create",
        Some(
            json!({"name": "X", "type": "videos", "parent_folder_id": "662f8c1d3a4b5e6f70123456"}),
        ),
    );
    assert_eq!(
        codes(&js(&r)),
        [("invalid_value".into(), "parent_folder_id".into())]
    );
    let r = hx(
        &s,
        "POST",
        "/folder/create",
        Some(json!({"name": "X", "type": "music"})),
    );
    assert_eq!(codes(&js(&r)), [("invalid_value".into(), "type".into())]);
    assert_eq!(
        js(&hx(&s, "GET", "/folder/list?type=assets", None))["folders"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let r = s.handle(&request(
        "POST",
        "/api/public/v1/folder/create",
        &[("authorization", "Bearer hx_test_simulator0000000000000000")],
        None,
    ));
    assert_eq!(r.status, 400);
    let mut bad = request(
        "POST",
        "/api/public/v1/folder/create",
        &[("authorization", "Bearer hx_test_simulator0000000000000000")],
        None,
    );
    bad.body = Bytes::from_static(b"{not json");
    assert_eq!(s.handle(&bad).status, 400);
}

// ------------------------------------------------------------------------------------------
// Hooked

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

fn message(r: &SimResponse) -> String {
    js(r)["message"].as_str().unwrap().to_string()
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
    let r = hk(
        &s,
        "POST",
        "/project/create/talking-avatar",
        Some(
            json!({"script": "Hey! I tried this app for a week and here's what happened.", "avatarId": "avt_sophia", "voiceId": "tzX5paJ07p5hyWFcU3uG"}),
        ),
    );
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
    let v = get(&id);
    assert_eq!(v["status"], "STARTED");
    assert_eq!(v["url"], Value::Null);
    wait(0.3);
    let p = get(&id)["progress"].as_i64().unwrap();
    assert!(p > 0 && p < 100);
    wait(0.8);
    let v = get(&id);
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

#[test]
fn hooked_video_list_pagination_and_filters() {
    let s = sim_with(|c| c.job_seconds = 60.0);
    let mut ids = vec![];
    for i in 0..7 {
        let r = hk(
            &s,
            "POST",
            "/project/create/remove-background",
            Some(json!({"media": format!("m{i}")})),
        );
        ids.push(js(&r)["data"]["videoId"].as_str().unwrap().to_string());
    }
    let mut seen = vec![];
    for offset in [0, 3, 6] {
        let v = js(&hk(
            &s,
            "GET",
            &format!("/video/list?limit=3&offset={offset}"),
            None,
        ));
        let d = &v["data"];
        assert_eq!(d["total"], 8);
        assert_eq!(d["limit"], 3);
        assert_eq!(d["offset"], offset);
        for item in d["videos"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_string());
            for k in [
                "id",
                "name",
                "status",
                "url",
                "durationInFrames",
                "projectId",
                "thumbnail",
                "size",
                "progress",
                "message",
                "createdAt",
                "updatedAt",
            ] {
                assert!(item.get(k).is_some(), "{k}");
            }
        }
    }
    assert_eq!(seen.len(), 8);
    assert_eq!(seen[0], ids[6]); // newest first
    assert_eq!(seen[7], "vid_abc123");
    let v = js(&hk(&s, "GET", "/video/list", None));
    assert_eq!(v["data"]["limit"], 50);
    assert_eq!(v["data"]["videos"].as_array().unwrap().len(), 8);
    let v = js(&hk(&s, "GET", "/video/list?status=processing", None));
    assert_eq!(v["data"]["total"], 7);
    assert!(v["data"]["videos"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["status"] == "STARTED"));
    let v = js(&hk(&s, "GET", "/video/list?status=completed", None));
    assert_eq!(v["data"]["total"], 1);
    assert_eq!(
        js(&hk(&s, "GET", "/video/list?status=failed", None))["data"]["total"],
        0
    );
    assert_eq!(
        js(&hk(&s, "GET", "/video/list?status=draft", None))["data"]["total"],
        0
    );
    assert_eq!(
        js(&hk(&s, "GET", "/video/list?type=class", None))["data"]["total"],
        1
    );
    assert_eq!(
        js(&hk(
            &s,
            "GET",
            "/video/list?type=remove_background&limit=100",
            None
        ))["data"]["total"],
        7
    );
    let r = hk(&s, "GET", "/video/list?limit=101", None);
    assert_eq!(
        (r.status, message(&r)),
        (
            400,
            "limit: Number must be less than or equal to 100".into()
        )
    );
    let r = hk(&s, "GET", "/video/list?offset=-1", None);
    assert_eq!(r.status, 400);
    let r = hk(&s, "GET", "/video/list?status=done", None);
    assert_eq!(r.status, 400);
    let v = js(&hk(&s, "GET", "/video/list?offset=100", None));
    assert_eq!(v["data"]["videos"], json!([]));
}

#[test]
fn hooked_schedules() {
    let s = sim();
    let future = util::iso(util::unix_now() + 86_400.0);
    let past = "2024-03-20T15:00:00.000Z";
    let create = |b: Value| hk(&s, "POST", "/schedule/create", Some(b));
    let r = create(
        json!({"videoId": "vid_abc123", "integrationId": "int_yt_abc123", "scheduledDateTime": future,
                          "platformData": {"title": "3-step morning routine", "tags": ["morning"], "privacyStatus": "public", "madeForKids": false}}),
    );
    assert_eq!(r.status, 200);
    let v = js(&r);
    assert_eq!(v["message"], "Video scheduled successfully");
    assert_eq!(v["data"]["status"], "pending");
    assert_eq!(v["data"]["platform"], "youtube");
    assert_eq!(v["data"]["videoId"], "vid_abc123");
    let sid = v["data"]["scheduleId"].as_str().unwrap().to_string();
    assert!(sid.starts_with("post_"));
    let err = |r: SimResponse| (r.status, message(&r));
    assert_eq!(
        err(create(
            json!({"videoId": "vid_abc123", "integrationId": "int_yt_abc123", "scheduledDateTime": past})
        )),
        (400, "Scheduled time must be in the future".into())
    );
    assert_eq!(
        err(create(
            json!({"videoId": "vid_nope", "integrationId": "int_yt_abc123", "scheduledDateTime": future})
        )),
        (404, "Video not found".into())
    );
    assert_eq!(
        err(create(
            json!({"videoId": "vid_other_team", "integrationId": "int_yt_abc123", "scheduledDateTime": future})
        )),
        (403, "Video does not belong to your team".into())
    );
    assert_eq!(
        err(create(
            json!({"videoId": "vid_abc123", "integrationId": "int_nope", "scheduledDateTime": future})
        )),
        (404, "Integration not found".into())
    );
    assert_eq!(
        err(create(
            json!({"videoId": "vid_abc123", "integrationId": "int_yt_abc123", "scheduledDateTime": "tomorrow"})
        )),
        (400, "scheduledDateTime: Invalid datetime".into())
    );
    assert_eq!(
        err(create(
            json!({"integrationId": "int_yt_abc123", "scheduledDateTime": future})
        )),
        (400, "videoId: Required".into())
    );
    let r = hk(
        &s,
        "POST",
        "/project/create/remove-background",
        Some(json!({"media": "m"})),
    );
    let started = js(&r)["data"]["videoId"].as_str().unwrap().to_string();
    assert_eq!(
        err(create(
            json!({"videoId": started, "integrationId": "int_yt_abc123", "scheduledDateTime": future})
        )),
        (400, "Video must be completed".into())
    );
    // List / get.
    let v = js(&hk(&s, "GET", "/schedule/list", None));
    assert_eq!(v["message"], "Scheduled posts fetched successfully");
    assert_eq!(v["data"]["total"], 2);
    let v = js(&hk(
        &s,
        "GET",
        "/schedule/list?status=pending&limit=1",
        None,
    ));
    assert_eq!(v["data"]["total"], 1);
    let post = &v["data"]["scheduledPosts"][0];
    assert_eq!(post["id"], sid.as_str());
    assert_eq!(post["integration"]["account"]["name"], "My YouTube Channel");
    assert_eq!(post["video"]["id"], "vid_abc123");
    assert!(post["video"]["url"].as_str().unwrap().starts_with(BASE));
    assert_eq!(
        js(&hk(&s, "GET", "/schedule/list?status=published", None))["data"]["total"],
        1
    );
    assert_eq!(
        js(&hk(&s, "GET", "/schedule/list?platform=tiktok", None))["data"]["total"],
        0
    );
    assert_eq!(
        js(&hk(&s, "GET", &format!("/schedule/{sid}"), None))["data"]["status"],
        "pending"
    );
    assert_eq!(
        err(hk(&s, "GET", "/schedule/post_other_team", None)),
        (403, "Schedule does not belong to your team".into())
    );
    // Update.
    let later = util::iso(util::unix_now() + 2.0 * 86_400.0);
    let r = hk(
        &s,
        "PATCH",
        &format!("/schedule/{sid}"),
        Some(json!({"scheduledDateTime": later, "platformData": {"description": "New"}})),
    );
    let v = js(&r);
    assert_eq!(v["message"], "Schedule updated successfully");
    assert_eq!(v["data"]["scheduledDateTime"], later.as_str());
    assert_eq!(v["data"]["platformData"]["title"], "3-step morning routine");
    assert_eq!(v["data"]["platformData"]["description"], "New");
    assert_eq!(
        err(hk(
            &s,
            "PATCH",
            &format!("/schedule/{sid}"),
            Some(json!({"scheduledDateTime": past}))
        )),
        (400, "Scheduled time must be in the future".into())
    );
    assert_eq!(
        hk(
            &s,
            "PATCH",
            "/schedule/post_published_seed",
            Some(json!({"platformData": {"title": "x"}}))
        )
        .status,
        400
    );
    // Delete.
    assert_eq!(
        err(hk(&s, "DELETE", "/schedule/post_published_seed", None)),
        (400, "Cannot delete a published post".into())
    );
    assert_eq!(
        err(hk(&s, "DELETE", "/schedule/post_other_team", None)),
        (403, "Schedule does not belong to your team".into())
    );
    let v = js(&hk(&s, "DELETE", &format!("/schedule/{sid}"), None));
    assert_eq!(
        v,
        json!({"success": true, "message": "Schedule cancelled successfully", "data": {"id": sid, "deleted": true}})
    );
    assert_eq!(
        err(hk(&s, "GET", &format!("/schedule/{sid}"), None)),
        (404, "Schedule not found".into())
    );
    assert_eq!(hk(&s, "DELETE", "/schedule/post_nope", None).status, 404);
}

#[test]
fn hooked_catalogue_lists() {
    let s = sim();
    let v = js(&hk(&s, "GET", "/avatar/list", None));
    let all = v["data"]["avatars"].as_array().unwrap().len();
    let lib = js(&hk(&s, "GET", "/avatar/list?type=library", None))["data"]["avatars"]
        .as_array()
        .unwrap()
        .len();
    let custom = js(&hk(&s, "GET", "/avatar/list?type=custom", None))["data"]["avatars"].clone();
    assert_eq!(lib + custom.as_array().unwrap().len(), all);
    assert!(custom
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["isCustom"] == true));
    let sophia = &v["data"]["avatars"][0];
    for k in [
        "id",
        "name",
        "type",
        "gender",
        "age",
        "thumbnail",
        "isCustom",
        "isPro",
        "isHD",
    ] {
        assert!(sophia.get(k).is_some(), "{k}");
    }
    assert_eq!(hk(&s, "GET", "/avatar/list?type=robots", None).status, 400);
    assert!(
        js(&hk(&s, "GET", "/voice/list", None))["data"]["voices"][0]["id"]
            == "tzX5paJ07p5hyWFcU3uG"
    );
    assert_eq!(
        js(&hk(&s, "GET", "/music/list", None))["data"]["music"][0]["id"],
        "1"
    );
    let t = js(&hk(&s, "GET", "/template/list", None));
    assert_eq!(t["data"]["templates"][0]["isTemplate"], true);
    assert_eq!(
        js(&hk(&s, "GET", "/template/tpl_123", None))["data"]["id"],
        "tpl_123"
    );
    assert_eq!(hk(&s, "GET", "/template/tpl_nope", None).status, 404);
    let n = js(&hk(&s, "GET", "/niche/list", None));
    assert!(n["data"]["niches"].as_array().unwrap().len() >= 5);
    let v = js(&hk(&s, "GET", "/trends/videos", None));
    assert_eq!(v["data"]["limit"], 20);
    assert_eq!(v["data"]["total"], 36);
    assert_eq!(v["data"]["videos"].as_array().unwrap().len(), 20);
    let v = js(&hk(
        &s,
        "GET",
        "/trends/videos?platform=tiktok&limit=10&offset=10",
        None,
    ));
    assert_eq!(v["data"]["total"], 18);
    assert_eq!(v["data"]["videos"].as_array().unwrap().len(), 8);
    let v = js(&hk(&s, "GET", "/trends/videos?niche=fitness", None));
    assert!(v["data"]["videos"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["niche"] == "fitness"));
    assert_eq!(hk(&s, "GET", "/trends/videos?limit=51", None).status, 400);
    let v = js(&hk(&s, "GET", "/integration/list", None));
    let list = v["data"]["integrations"].as_array().unwrap();
    assert!(list.iter().any(|i| i["health"]["status"] == "healthy"));
    assert!(list.iter().any(|i| i["health"]["status"] == "expired"));
    let v = js(&hk(&s, "GET", "/integration/int_yt_abc123", None));
    assert_eq!(
        v,
        json!({"success": true, "data": {"id": "int_yt_abc123", "type": "youtube", "identifier": "UC1234567890",
        "account": {"id": "UC1234567890", "name": "My YouTube Channel", "username": "mychannel", "avatarUrl": "https://yt3.ggpht.com/mychannel.jpg"},
        "health": {"status": "healthy", "tokenValid": true, "lastChecked": "2024-03-15T10:00:00.000Z"}, "createdAt": "2024-01-15T08:30:00.000Z"}})
    );
    let r = hk(&s, "GET", "/integration/int_nope", None);
    assert_eq!(
        (r.status, message(&r)),
        (404, "Integration not found".into())
    );
}

#[test]
fn hooked_social_search() {
    let s = sim();
    let r = hk(
        &s,
        "POST",
        "/social/search/create",
        Some(json!({"searchTerm": "  skincare routine ", "platform": "tiktok", "limit": 7})),
    );
    assert_eq!(r.status, 200);
    let v = js(&r);
    assert_eq!(v["message"], "Search created successfully");
    assert_eq!(v["data"]["videosFound"], 7);
    let search = &v["data"]["search"];
    assert_eq!(search["searchTerm"], "skincare routine");
    assert_eq!(search["keywordsStatus"], "pending");
    let id = search["id"].as_str().unwrap().to_string();
    let v = js(&hk(
        &s,
        "GET",
        &format!("/social/search/{id}?limit=5&offset=5"),
        None,
    ));
    assert_eq!(v["data"]["videos"].as_array().unwrap().len(), 2);
    assert_eq!(
        v["data"]["pagination"],
        json!({"total": 7, "limit": 5, "offset": 5, "hasMore": false})
    );
    assert_eq!(v["data"]["videos"][0]["platform"], "tiktok");
    let r = hk(
        &s,
        "POST",
        "/social/search/create",
        Some(json!({"searchTerm": "x", "platform": "vine"})),
    );
    assert_eq!(
        message(&r),
        "platform: Invalid enum value. Expected 'tiktok' | 'youtube', received 'vine'"
    );
    assert_eq!(hk(&s, "GET", "/social/search/nope", None).status, 404);
}

// ------------------------------------------------------------------------------------------
// Media

#[test]
fn media_signatures_ranges_and_head() {
    let s = sim_with(|c| c.video_bytes = 10_000);
    let url = s.media_url("export_x.mp4");
    let r = fetch(&s, &url, &[]);
    assert_eq!(r.status, 200);
    assert_eq!(hdr(&r, "accept-ranges"), Some("bytes"));
    assert!(matches!(
        r.body,
        Body::Pattern {
            len: 10_000,
            offset: 0
        }
    ));
    let r = fetch(&s, &url, &[("range", "bytes=9000-")]);
    assert_eq!(r.status, 206);
    assert_eq!(hdr(&r, "content-range"), Some("bytes 9000-9999/10000"));
    assert!(matches!(
        r.body,
        Body::Pattern {
            len: 1000,
            offset: 9000
        }
    ));
    let r = fetch(&s, &url, &[("range", "bytes=20000-")]);
    assert_eq!(r.status, 416);
    assert_eq!(hdr(&r, "content-range"), Some("bytes */10000"));
    let target = url.strip_prefix(BASE).unwrap();
    let r = s.handle(&request("HEAD", target, &[], None));
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), 10_000);
    // Tampered signature, other name, missing and expired.
    let bad = format!("{}0", &url[..url.len() - 1]);
    let bad = if bad == url {
        format!("{}1", &url[..url.len() - 1])
    } else {
        bad
    };
    let r = fetch(&s, &bad, &[]);
    assert_eq!(r.status, 403);
    let text = String::from_utf8(bytes_of(&r)).unwrap();
    assert!(text.contains("<Code>AccessDenied</Code>"), "{text}");
    assert_eq!(hdr(&r, "content-type"), Some("application/xml"));
    assert_eq!(
        fetch(&s, &url.replace("export_x", "export_y"), &[]).status,
        403
    );
    assert_eq!(
        s.handle(&request("GET", "/media/export_x.mp4", &[], None))
            .status,
        403
    );
    let s = sim_with(|c| c.url_ttl_seconds = 1.0);
    let url = s.media_url("clip.mp4");
    assert_eq!(fetch(&s, &url, &[]).status, 200);
    wait(2.1);
    let r = fetch(&s, &url, &[]);
    assert_eq!(r.status, 403);
    assert!(String::from_utf8(bytes_of(&r))
        .unwrap()
        .contains("Request has expired"));
    // The built-in small MP4 when video_bytes == 0.
    let s = sim();
    let r = fetch(&s, &s.media_url("a.mp4"), &[("range", "bytes=0-7")]);
    assert_eq!(r.status, 206);
    assert_eq!(&bytes_of(&r)[4..8], b"ftyp");
}

// ------------------------------------------------------------------------------------------
// Webhooks (local TCP listener)

struct Received {
    headers: Vec<(String, String)>,
    body: Value,
}

/// Accepts connections on 127.0.0.1, answers the n-th request with `statuses[n]` (200 after).
async fn receiver(statuses: Vec<u16>) -> (String, tokio::sync::mpsc::UnboundedReceiver<Received>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut n = 0usize;
        while let Ok((mut sock, _)) = listener.accept().await {
            let status = statuses.get(n).copied().unwrap_or(200);
            n += 1;
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let k = match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(k) => k,
                    };
                    buf.extend_from_slice(&chunk[..k]);
                    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).to_string();
                    let headers: Vec<(String, String)> = head
                        .lines()
                        .skip(1)
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                        .collect();
                    let len: usize = headers
                        .iter()
                        .find(|(k, _)| k == "content-length")
                        .and_then(|(_, v)| v.parse().ok())
                        .unwrap_or(0);
                    if buf.len() < end + 4 + len {
                        continue;
                    }
                    let body =
                        serde_json::from_slice(&buf[end + 4..end + 4 + len]).unwrap_or(Value::Null);
                    let _ = tx.send(Received { headers, body });
                    let resp = format!(
                        "HTTP/1.1 {status} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
                    );
                    let _ = sock.write_all(resp.as_bytes()).await;
                    let _ = sock.shutdown().await;
                    return;
                }
            });
        }
    });
    (format!("http://{addr}"), rx)
}

#[test]
fn webhooks_are_delivered_with_retries() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let s = sim_with(|c| {
            c.job_seconds = 0.1;
            c.webhook_delay_scale = 0.01;
            c.webhook_timeout = Duration::from_secs(5);
        });
        // Hoox generation: first attempt gets 500, the retry (after 1 s x 0.01) gets 200.
        let (url, mut rx) = receiver(vec![500]).await;
        let r = hx(
            &s,
            "POST",
            "/generation/start",
            Some(json!({"script": "Hello there", "voice_id": "voice_fr_female_01", "webhook_url": format!("{url}/hoox")})),
        );
        assert_eq!(r.status, 201);
        let job = js(&r)["job_id"].as_str().unwrap().to_string();
        let first = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.unwrap().unwrap();
        let second = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.unwrap().unwrap();
        for got in [&first, &second] {
            let h = |k: &str| got.headers.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
            assert_eq!(h("user-agent"), Some("Hoox-API/1.0"));
            assert_eq!(h("x-hoox-webhook"), Some("true"));
            assert_eq!(h("content-type"), Some("application/json"));
            assert_eq!(got.body["task"], "video_generate");
            assert_eq!(got.body["job_id"], job.as_str());
            assert_eq!(got.body["status"], "completed");
            assert!(got.body["result"]["video_id"].is_string());
            assert!(got.body["result"].get("cost").is_some());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        let d = s.webhook_deliveries();
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].attempt, &d[0].outcome), (1, &WebhookOutcome::Status(500)));
        assert_eq!((d[1].attempt, &d[1].outcome), (2, &WebhookOutcome::Status(200)));
        assert_eq!(d[0].provider, "hoox");
        assert!(d[1].timestamp >= d[0].timestamp);

        // Hooked: project.completed with metadata echoed; avatar webhook with job_id = look id.
        let (url, mut rx) = receiver(vec![]).await;
        let r = hk(&s, "POST", "/project/create/talking-avatar", Some(json!({"script": "Hi", "avatarId": "avt_sophia", "voiceId": "v",
            "webhook": format!("{url}/hooked"), "metadata": {"campaign": "spring"}})));
        let vid = js(&r)["data"]["videoId"].as_str().unwrap().to_string();
        let got = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.unwrap().unwrap();
        assert_eq!(got.body["event"], "project.completed");
        assert_eq!(got.body["status"], "completed");
        assert_eq!(got.body["video"]["id"], vid.as_str());
        assert_eq!(got.body["video"]["aspectRatio"], "9:16");
        assert_eq!(got.body["video"]["resolution"], "1080x1920");
        assert_eq!(got.body["metadata"], json!({"campaign": "spring"}));
        assert!(got.body["completedAt"].is_string());
        let r = hx(&s, "POST", "/avatar/create", Some(json!({"prompt": "x SIMULATE_FAILURE", "webhook_url": format!("{url}/avatar")})));
        let look = js(&r)["look_id"].as_str().unwrap().to_string();
        let got = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.unwrap().unwrap();
        assert_eq!(got.body["task"], "avatar_create");
        assert_eq!(got.body["job_id"], look.as_str());
        assert_eq!(got.body["look_id"], look.as_str());
        assert_eq!(got.body["status"], "failed");
        assert_eq!(got.body["error"]["code"], "LOOK_GENERATION_FAILED");

        // An unreachable receiver: 4 attempts, each an error.
        let dead = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap()
        };
        hx(&s, "POST", "/export/start", Some(json!({"video_id": "vid_seed_done", "webhook_url": format!("http://{dead}/x")})));
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let n = s.webhook_deliveries().iter().filter(|d| d.url.contains(&dead.to_string())).count();
            if n == 4 || tokio::time::Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let attempts: Vec<_> = s
            .webhook_deliveries()
            .into_iter()
            .filter(|d| d.url.contains(&dead.to_string()))
            .collect();
        assert_eq!(attempts.len(), 4);
        assert!(attempts.iter().all(|d| matches!(d.outcome, WebhookOutcome::Error(_))));
        assert_eq!(attempts[3].attempt, 4);
        assert_eq!(attempts[0].payload["task"], "video_export");
    });
}
