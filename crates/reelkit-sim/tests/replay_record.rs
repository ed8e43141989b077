//! Integration tests of the cassette replay server and the recording proxy:
//! replay order, strict mismatches and unused interactions, non-strict matching,
//! cassette faults and placeholders, and a record → replay round trip (with
//! redaction) against a local upstream. Loopback only.

use futures_util::StreamExt;
use reelkit_sim::cassette::{Cassette, RequestBody, ResponseBody};
use reelkit_sim::record::RecordServer;
use reelkit_sim::replay::{ReplayServer, MISMATCH_HEADER, MISMATCH_STATUS};
use reelkit_sim::server::SimServer;
use reelkit_sim::types::{pattern_byte, Body, Handler, SimConfig, SimRequest, SimResponse};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

fn polling_cassette() -> Cassette {
    Cassette::from_json(&json!({
        "reelkit_cassette": 1,
        "description": "create then poll",
        "source": "hand-written",
        "interactions": [
            {"request": {"method": "POST", "path": "/api/public/v1/video/duplicate",
                         "json": {"video_id": "vid_abc123", "options": {"a": 1, "b": [1, 2]}}},
             "response": {"status": 201, "headers": {"x-request-id": "req_1"},
                          "json": {"video_id": "vid_dup_456"}}},
            {"request": {"method": "GET", "path": "/api/public/v1/video/vid_dup_456",
                         "query": {"fields": ["a", "b"], "x": "1"}},
             "response": {"status": 200, "json": {"status": "processing"}}},
            {"request": {"method": "GET", "path": "/api/public/v1/video/vid_dup_456",
                         "query": {"fields": ["a", "b"], "x": "1"}},
             "response": {"status": 200, "json": {"status": "completed",
                          "url": "{{base_url}}/media/vid_dup_456.mp4"}}},
            {"request": {"method": "GET", "path": "/media/vid_dup_456.mp4"},
             "response": {"status": 200, "headers": {"content-type": "video/mp4"}, "pattern_bytes": 1000}}
        ]
    }))
    .unwrap()
}

#[tokio::test]
async fn strict_replay_in_order() {
    let server = ReplayServer::start(polling_cassette(), true).unwrap();
    assert_eq!(
        server.hoox_base_url(),
        format!("{}/api/public/v1", server.base_url())
    );
    let c = client();
    let base = server.hoox_base_url();
    // key order differs from the cassette: structural equality
    let r = c
        .post(format!("{base}/video/duplicate"))
        .header("authorization", "Bearer hx_whatever")
        .body(r#"{"options": {"b": [1, 2], "a": 1}, "video_id": "vid_abc123"}"#)
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["x-request-id"], "req_1");
    assert_eq!(r.headers()["content-type"], "application/json");
    assert_eq!(r.json::<Value>().await.unwrap()["video_id"], "vid_dup_456");
    // query order differs: order-insensitive
    let poll = format!("{base}/video/vid_dup_456?x=1&fields=b&fields=a");
    let v: Value = c.get(&poll).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["status"], "processing");
    let v: Value = c.get(&poll).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["status"], "completed");
    let url = v["url"].as_str().unwrap();
    assert_eq!(url, format!("{}/media/vid_dup_456.mp4", server.base_url()));
    let b = c.get(url).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(b.len(), 1000);
    assert!(b
        .iter()
        .enumerate()
        .all(|(i, x)| *x == pattern_byte(i as u64)));
    assert!(server.mismatches().is_empty());
    assert!(server.unused().is_empty());
    assert_eq!(server.requests().len(), 4);
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("Bearer <redacted>")
    );

    // one more: every interaction is used -> 599
    let r = c.get(&poll).send().await.unwrap();
    assert_eq!(r.status().as_u16(), MISMATCH_STATUS);
    let text = r.text().await.unwrap();
    assert!(text.contains("already used"), "{text}");
    assert_eq!(server.mismatches().len(), 1);
}

#[tokio::test]
async fn strict_mismatch_diff_and_unused() {
    let server = ReplayServer::start(polling_cassette(), true).unwrap();
    let c = client();
    let base = server.hoox_base_url();
    // wrong body
    let r = c
        .post(format!("{base}/video/duplicate"))
        .json(&json!({"video_id": "vid_OTHER", "options": {"a": 1, "b": [1, 2]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 599);
    assert_eq!(r.headers()[MISMATCH_HEADER], "1");
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = r.text().await.unwrap();
    assert!(text.contains("#0"), "{text}");
    assert!(
        text.contains("$.video_id: expected \"vid_abc123\", got \"vid_OTHER\""),
        "{text}"
    );
    // out of order (the poll before the create)
    let r = c
        .get(format!("{base}/video/vid_dup_456?x=1&fields=a&fields=b"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 599);
    let text = r.text().await.unwrap();
    assert!(text.contains("method: expected POST, got GET"), "{text}");
    // the expected interaction is still next
    let r = c
        .post(format!("{base}/video/duplicate"))
        .json(&json!({"video_id": "vid_abc123", "options": {"a": 1, "b": [1, 2]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let m = server.mismatches();
    assert_eq!(m.len(), 2);
    assert_eq!(m[0].expected, Some(0));
    assert_eq!(m[0].request.json().unwrap()["video_id"], "vid_OTHER");
    let unused = server.unused();
    assert_eq!(
        unused.iter().map(|u| u.index).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert!(unused[0]
        .summary
        .starts_with("GET /api/public/v1/video/vid_dup_456?"));
}

#[tokio::test]
async fn non_strict_matching_and_repeat() {
    let server = ReplayServer::start(polling_cassette(), false).unwrap();
    let c = client();
    let base = server.hoox_base_url();
    let poll = format!("{base}/video/vid_dup_456?x=1&fields=a&fields=b");
    // out of order is fine
    let v: Value = c.get(&poll).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["status"], "processing");
    let v: Value = c.get(&poll).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["status"], "completed");
    // polled more often than recorded: the last one repeats
    let v: Value = c.get(&poll).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["status"], "completed");
    // no match at all
    let r = c.get(format!("{base}/video/nope")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 599);
    let text = r.text().await.unwrap();
    assert!(text.contains("no interaction"), "{text}");
    // same path, different query: the closest interaction is explained
    let r = c
        .get(format!("{base}/video/vid_dup_456?x=2"))
        .send()
        .await
        .unwrap();
    let text = r.text().await.unwrap();
    assert!(
        text.contains("closest") && text.contains("query: expected"),
        "{text}"
    );
    assert_eq!(server.mismatches().len(), 2);
    assert_eq!(
        server.unused().iter().map(|u| u.index).collect::<Vec<_>>(),
        vec![0, 3]
    );
}

#[tokio::test]
async fn cassette_faults_delay_and_bodies() {
    let cassette = Cassette::from_json(&json!({
        "reelkit_cassette": 1,
        "interactions": [
            {"request": {"method": "GET", "path": "/v1/a"},
             "response": {"status": 200, "pattern_bytes": 100000, "fault": {"kind": "reset_mid_body"}}},
            {"request": {"method": "GET", "path": "/v1/a"},
             "response": {"status": 503, "headers": {"retry-after": "1"}, "text": "busy {{base_url}}",
                          "delay_seconds": 0.2}},
            {"request": {"method": "GET", "path": "/v1/a"},
             "response": {"status": 200, "body_base64": "AP8=", "headers": {"content-type": "application/octet-stream"}}},
            {"request": {"method": "DELETE", "path": "/v1/a"}, "response": {"status": 204}}
        ]
    }))
    .unwrap();
    let server = ReplayServer::start(cassette, true).unwrap();
    let c = client();
    let url = format!("{}/a", server.hooked_base_url());
    let r = c.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let mut s = r.bytes_stream();
    let mut failed = false;
    while let Some(x) = s.next().await {
        if x.is_err() {
            failed = true;
            break;
        }
    }
    assert!(failed, "reset_mid_body from the cassette");
    let t = Instant::now();
    let r = c.get(&url).send().await.unwrap();
    assert!(t.elapsed() >= Duration::from_millis(190));
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "1");
    assert_eq!(
        r.text().await.unwrap(),
        format!("busy {}", server.base_url())
    );
    let r = c.get(&url).send().await.unwrap();
    assert_eq!(r.bytes().await.unwrap().as_ref(), &[0u8, 255]);
    let r = c.delete(&url).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert!(server.mismatches().is_empty());
    assert!(server.unused().is_empty());
}

// ------------------------------------------------------------------ recording

const KEY: &str = "hx_live_0123456789abcdef";

/// The "real API" for the recorder tests.
struct Upstream;

impl Handler for Upstream {
    fn handle(&self, req: &SimRequest) -> SimResponse {
        let auth_ok = req.header("authorization") == Some(&format!("Bearer {KEY}"));
        match (req.method.as_str(), req.path.as_str()) {
            ("POST", "/api/public/v1/video/duplicate") => SimResponse::json(
                201,
                &json!({
                    "video_id": "vid_dup_456",
                    "auth_ok": auth_ok,
                    "echo": req.json().ok().flatten(),
                    "debug": format!("key was {KEY}"),
                }),
            )
            .with_header("x-request-id", "req_9")
            .with_header("set-cookie", "session=abc"),
            ("GET", "/api/public/v1/video/vid_dup_456") => SimResponse::json(
                200,
                &json!({
                    "status": "completed",
                    "query": req.query,
                    "url": "https://cdn.example/v.mp4?X-Amz-Credential=AKIA&X-Amz-Signature=deadbeef&X-Amz-Expires=3600&response-content-type=video%2Fmp4",
                    "thumb": "https://cdn.example/t.jpg?Expires=1700000000&Signature=abc&Key-Pair-Id=K1",
                }),
            ),
            ("GET", "/api/public/v1/redirect") => SimResponse::text(302, "text/plain", "moved")
                .with_header("location", "https://elsewhere.example/x?token=secret123"),
            ("GET", "/api/public/v1/bytes") => SimResponse {
                status: 200,
                headers: vec![("content-type".into(), "application/octet-stream".into())],
                body: Body::Bytes(bytes::Bytes::from_static(&[0, 159, 255, 1])),
            },
            _ => SimResponse::json(404, &json!({"error": "Not found"})),
        }
    }
}

async fn exercise(c: &reqwest::Client, base: &str) -> Vec<(u16, Vec<u8>)> {
    let mut out = Vec::new();
    let r = c
        .post(format!("{base}/api/public/v1/video/duplicate"))
        .header("authorization", format!("Bearer {KEY}"))
        .json(&json!({"video_id": "vid_abc123"}))
        .send()
        .await
        .unwrap();
    out.push((r.status().as_u16(), r.bytes().await.unwrap().to_vec()));
    let r = c
        .get(format!(
            "{base}/api/public/v1/video/vid_dup_456?fields=a&fields=b&q=a%20b"
        ))
        .header("authorization", format!("Bearer {KEY}"))
        .send()
        .await
        .unwrap();
    out.push((r.status().as_u16(), r.bytes().await.unwrap().to_vec()));
    let r = c
        .get(format!("{base}/api/public/v1/redirect"))
        .header("authorization", format!("Bearer {KEY}"))
        .send()
        .await
        .unwrap();
    let loc = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    out.push((r.status().as_u16(), loc.unwrap_or_default().into_bytes()));
    let r = c
        .get(format!("{base}/api/public/v1/bytes"))
        .send()
        .await
        .unwrap();
    out.push((r.status().as_u16(), r.bytes().await.unwrap().to_vec()));
    out
}

#[tokio::test]
async fn record_then_replay_round_trip_with_redaction() {
    let upstream = SimServer::start(SimConfig::default(), 0, |_| Arc::new(Upstream)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/flow.json");
    let c = client();

    let mut rec = RecordServer::start(upstream.base_url().parse().unwrap(), &path).unwrap();
    let live = exercise(&c, rec.base_url()).await;
    // the client saw the upstream's real answers
    let created: Value = serde_json::from_slice(&live[0].1).unwrap();
    assert_eq!(live[0].0, 201);
    assert_eq!(created["auth_ok"], true, "auth header forwarded upstream");
    assert_eq!(created["debug"], format!("key was {KEY}"));
    assert_eq!(created["echo"], json!({"video_id": "vid_abc123"}));
    let polled: Value = serde_json::from_slice(&live[1].1).unwrap();
    assert!(polled["url"].as_str().unwrap().contains("deadbeef"));
    assert_eq!(polled["query"][2], json!(["q", "a b"]));
    assert_eq!(live[2].0, 302, "redirects are not followed");
    assert_eq!(live[2].1, b"https://elsewhere.example/x?token=secret123");
    assert_eq!(live[3].1, vec![0, 159, 255, 1]);
    assert_eq!(rec.len(), 4);
    rec.stop().unwrap();
    rec.stop().unwrap(); // idempotent

    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        !text.contains(KEY),
        "the API key leaked into the cassette:\n{text}"
    );
    assert!(
        !text.contains("deadbeef") && !text.contains("secret123") && !text.contains("session=abc"),
        "{text}"
    );
    let cassette = Cassette::load(&path).unwrap();
    assert_eq!(cassette.interactions.len(), 4);
    let i0 = &cassette.interactions[0];
    assert_eq!(i0.request.method, "POST");
    assert_eq!(i0.request.path, "/api/public/v1/video/duplicate");
    assert_eq!(
        i0.request.body,
        RequestBody::Json(json!({"video_id": "vid_abc123"}))
    );
    let auth = i0
        .request
        .headers
        .iter()
        .find(|(k, _)| k == "authorization")
        .unwrap();
    assert_eq!(auth.1, "Bearer <redacted>");
    assert_eq!(i0.response.status, 201);
    assert!(i0
        .response
        .headers
        .contains(&("x-request-id".into(), "req_9".into())));
    match &i0.response.body {
        ResponseBody::Json(v) => assert_eq!(v["debug"], "key was <redacted>"),
        other => panic!("{other:?}"),
    }
    let i1 = &cassette.interactions[1];
    assert_eq!(i1.request.query.len(), 3);
    match &i1.response.body {
        ResponseBody::Json(v) => {
            assert_eq!(
                v["url"],
                "https://cdn.example/v.mp4?X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Expires=3600&response-content-type=video%2Fmp4"
            );
            assert_eq!(v["thumb"], "https://cdn.example/t.jpg?Expires=REDACTED&Signature=REDACTED&Key-Pair-Id=REDACTED");
        }
        other => panic!("{other:?}"),
    }
    assert!(cassette.interactions[2].response.headers.contains(&(
        "location".into(),
        "https://elsewhere.example/x?token=REDACTED".into()
    )));
    assert_eq!(
        cassette.interactions[3].response.body,
        ResponseBody::Binary(vec![0, 159, 255, 1])
    );

    // replay it, strictly, with the same client code: same statuses and bodies
    // (up to the redacted values)
    let replay = ReplayServer::start_file(&path, true).unwrap();
    let again = exercise(&c, replay.base_url()).await;
    assert!(replay.mismatches().is_empty(), "{:?}", replay.mismatches());
    assert!(replay.unused().is_empty());
    for (a, b) in live.iter().zip(&again) {
        assert_eq!(a.0, b.0);
    }
    let created2: Value = serde_json::from_slice(&again[0].1).unwrap();
    assert_eq!(created2["video_id"], "vid_dup_456");
    assert_eq!(created2["auth_ok"], true);
    assert_eq!(again[3].1, vec![0, 159, 255, 1]);
}

#[tokio::test]
async fn recorder_upstream_down_is_502_and_not_recorded() {
    // a port with nothing listening
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.json");
    let mut rec =
        RecordServer::start(format!("http://127.0.0.1:{port}").parse().unwrap(), &path).unwrap();
    let r = client()
        .get(format!("{}/v1/x", rec.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 502);
    assert!(r.text().await.unwrap().contains("upstream request failed"));
    rec.stop().unwrap();
    assert!(Cassette::load(&path).unwrap().interactions.is_empty());
}

#[test]
fn recorder_rejects_bad_upstream() {
    let e = RecordServer::start("ftp://x".parse().unwrap(), "/tmp/never.json")
        .err()
        .unwrap();
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
}
