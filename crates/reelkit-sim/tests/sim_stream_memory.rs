//! The simulator streams a large Pattern body with bounded memory. Its own test
//! binary, so the process's memory is this test's alone: in a binary shared with
//! other tests, their threads allocate while it measures.

use futures_util::StreamExt;
use reelkit_sim::server::SimServer;
use reelkit_sim::types::{pattern_byte, Body, Handler, SimConfig, SimRequest, SimResponse};
use std::time::{Duration, Instant};

/// `/big/<n>` answers `n` pattern bytes, streamed (never allocated whole).
struct Big;

impl Handler for Big {
    fn handle(&self, req: &SimRequest) -> SimResponse {
        let len: u64 = req
            .path
            .strip_prefix("/big/")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        SimResponse {
            status: 200,
            headers: vec![("content-type".into(), "video/mp4".into())],
            body: Body::Pattern { len, offset: 0 },
        }
    }
}

/// (VmRSS, VmHWM) in KiB: now and the peak so far.
fn memory_kib() -> Option<(u64, u64)> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = s.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

async fn fetch(client: &reqwest::Client, base: &str, n: u64) -> u64 {
    let r = client.get(format!("{base}/big/{n}")).send().await.unwrap();
    assert_eq!(r.content_length(), Some(n));
    let mut pos = 0u64;
    let mut s = r.bytes_stream();
    while let Some(b) = s.next().await {
        let b = b.unwrap();
        // spot-check content (checking every byte is slow in debug builds)
        for (j, byte) in b.iter().enumerate().step_by(997) {
            assert_eq!(*byte, pattern_byte(pos + j as u64));
        }
        pos += b.len() as u64;
    }
    pos
}

#[tokio::test]
async fn stream_64mib_pattern_with_bounded_memory() {
    let server = SimServer::start(SimConfig::default(), 0, |_| std::sync::Arc::new(Big)).unwrap();
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    // Warm up: runtime threads, connection and buffers exist before measuring.
    assert_eq!(fetch(&client, server.base_url(), 1 << 20).await, 1 << 20);
    const N: u64 = 64 << 20;
    // Reset the peak (VmHWM) to the current RSS, so the peak below is this fetch's.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = memory_kib();
    let t = Instant::now();
    assert_eq!(fetch(&client, server.base_url(), N).await, N);
    let Some(((rss_before, _), (rss_after, peak))) = before.zip(memory_kib()) else {
        return; // no /proc: nothing to measure
    };
    let grown = peak.saturating_sub(rss_before) * 1024;
    eprintln!(
        "{} MiB streamed in {:?}; RSS {rss_before} -> {rss_after} KiB, peak {peak} KiB",
        N >> 20,
        t.elapsed()
    );
    // Holding the body would grow the peak by N; streaming keeps it to buffers. A
    // quarter of the body is far above those and far below a buffered copy.
    assert!(grown < N / 4, "peak RSS grew by {} KiB", grown / 1024);
}
