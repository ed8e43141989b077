//! Tests of what both providers share: routing by prefix, the signed media under
//! `/media/...`, and webhook delivery with retries (a local TCP listener on 127.0.0.1).

use super::testkit::*;
use super::WebhookOutcome;
use crate::types::{Body, Handler};
use serde_json::{json, Value};
use std::time::Duration;

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
