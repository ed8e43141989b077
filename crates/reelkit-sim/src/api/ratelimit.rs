//! The simulated Hoox rate limit (hoox.md §1.3): a sliding window per key, like the
//! server's Redis sorted set, counted before anything else is done. Every answer it
//! counted carries `X-RateLimit-Limit`, `-Remaining` and `-Reset` (unix seconds,
//! whole); a 429's reset is the moment the oldest request leaves the window.

use super::util::unix_now;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// The outcome of counting one request.
pub(crate) struct Verdict {
    /// False: answer 429 (the request was not counted).
    pub allowed: bool,
    pub headers: [(&'static str, String); 3],
}

/// The message of the documented 429 body.
pub(crate) fn exceeded_message(limit: u32, window: Duration) -> String {
    if window == Duration::from_secs(60) {
        format!("Rate limit exceeded. Maximum {limit} requests per minute.")
    } else {
        format!(
            "Rate limit exceeded. Maximum {limit} requests per {} seconds.",
            window.as_secs_f64()
        )
    }
}

/// Count a request at `now` in `sent` (the key's request times) against `limit`
/// per `window`.
pub(crate) fn count(
    sent: &mut VecDeque<Instant>,
    limit: u32,
    window: Duration,
    now: Instant,
) -> Verdict {
    while let Some(&t) = sent.front() {
        if now.saturating_duration_since(t) >= window {
            sent.pop_front();
        } else {
            break;
        }
    }
    let unix = unix_now();
    let reset_at = |secs_from_now: f64| ((unix + secs_from_now) - 1e-9).ceil().max(0.0) as u64;
    let allowed = sent.len() < limit as usize;
    let reset = if allowed {
        sent.push_back(now);
        // The server's formula: ceil((now_ms + window_ms) / 1000).
        reset_at(window.as_secs_f64())
    } else {
        let oldest = sent.front().copied().unwrap_or(now);
        reset_at(
            (oldest + window)
                .saturating_duration_since(now)
                .as_secs_f64(),
        )
    };
    let remaining = (limit as usize).saturating_sub(sent.len());
    Verdict {
        allowed,
        headers: [
            ("x-ratelimit-limit", limit.to_string()),
            ("x-ratelimit-remaining", remaining.to_string()),
            ("x-ratelimit-reset", reset.to_string()),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sliding_window() {
        let mut sent = VecDeque::new();
        let w = Duration::from_secs(2);
        let t0 = Instant::now();
        for i in 0..3 {
            let v = count(&mut sent, 3, w, t0 + Duration::from_millis(100 * i));
            assert!(v.allowed);
            assert_eq!(v.headers[1].1, (2 - i).to_string());
        }
        let v = count(&mut sent, 3, w, t0 + Duration::from_millis(1000));
        assert!(!v.allowed);
        assert_eq!(v.headers[1].1, "0");
        // The first leaves at 2.0 s, the second at 2.1 s.
        assert!(count(&mut sent, 3, w, t0 + Duration::from_millis(2000)).allowed);
        assert!(!count(&mut sent, 3, w, t0 + Duration::from_millis(2050)).allowed);
        assert!(count(&mut sent, 3, w, t0 + Duration::from_millis(2100)).allowed);
    }
}
