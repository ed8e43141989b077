//! Tests of Hoox voices, avatars and looks: the catalogue, filters, and look
//! generation by `/avatar/create` and `/avatar/edit`.

use crate::api::testkit::*;
use serde_json::{json, Value};

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
    let (clock, r) = JobClock::start(1.0, || {
        hx(
            &s,
            "POST",
            "/avatar/create",
            Some(
                json!({"prompt": "Young entrepreneur", "style": "iphone", "name": "Alex", "place": "office"}),
            ),
        )
    });
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
    let look = || js(&hx(&s, "GET", &format!("/avatar/{aid}/look/{lid}"), None));
    // Pending for the first 150 ms (as far as the measured elapsed time tells).
    let (v, span) = clock.read(|| status(&aid, &lid));
    span.check(&v["status"], LOOK);
    if v["status"] == "pending" {
        assert_eq!(
            v,
            json!({"avatar_id": aid, "look_id": lid, "status": "pending"})
        );
    }
    let (v, span) = clock.read(look);
    span.check(&v["status"], LOOK_DETAIL);
    wait(0.3);
    let (v, span) = clock.read(|| status(&aid, &lid));
    span.check(&v["status"], LOOK);
    wait(0.8);
    let (v, span) = clock.read(|| status(&aid, &lid));
    span.check(&v["status"], LOOK);
    assert_eq!(v["status"], "completed");
    assert_eq!(v["result"]["id"], lid.as_str());
    assert!(v["result"]["thumbnail_url"].is_string());
    assert_eq!(look()["status"], "ready");
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
