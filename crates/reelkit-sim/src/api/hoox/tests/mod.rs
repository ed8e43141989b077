//! Tests of the Hoox simulation through `handle()`, one file per resource; this one
//! holds auth and the rate limit.

mod asset;
mod avatar;
mod export;
mod generation;

use crate::api::testkit::*;
use crate::api::util;
use crate::types::Handler;
use serde_json::json;

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
    // The 429 carries the headers too: nothing left until the oldest request leaves.
    assert_eq!(hdr(&r, "x-ratelimit-remaining"), Some("0"));
    let reset: f64 = hdr(&r, "x-ratelimit-reset").unwrap().parse().unwrap();
    assert!(reset > util::unix_now() && reset - util::unix_now() <= 61.0);
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
