//! Tests of Hoox asset models, pricing and generation, and of folders.

use crate::api::testkit::*;
use crate::types::Handler;
use bytes::Bytes;
use serde_json::json;

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
    let (clock, r) = JobClock::start(0.5, || {
        hx(
            &s,
            "POST",
            "/asset/start",
            Some(
                json!({"type": "video", "model": "veo-3.1", "prompt": "A fox", "aspect_ratio": "9:16", "duration": 8, "resolution": "720p"}),
            ),
        )
    });
    assert_eq!(r.status, 201);
    let v = js(&r);
    assert_eq!(v["status"], "generating");
    assert_eq!(v["count"], 1);
    assert_eq!(v["total_cost"], 32);
    assert_eq!(s.hoox_credits_used(), 32.0);
    let id = v["asset_ids"][0].as_str().unwrap().to_string();
    assert_eq!(id.len(), 24);
    let status = || js(&hx(&s, "GET", &format!("/asset/status/{id}"), None));
    let (st, span) = clock.read(status);
    span.check(&st["status"], ASSET);
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
    let (st, span) = clock.read(status);
    span.check(&st["status"], ASSET);
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
