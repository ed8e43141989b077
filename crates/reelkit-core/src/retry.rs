//! Which failures are retried and how long to wait before the next attempt.
//!
//! Reads (GET/HEAD/...) retry on connection errors, timeouts, 408, 429 and >= 500.
//! A POST may spend credits, so it is retried only when the server provably did not
//! act on it: the connection was never established (nothing was sent), or the server
//! answered 429 (Hoox counts the rate limit before doing anything). The delay is the
//! Stainless schedule `min(0.5 * 2^n, 8) s * (1 - 0.25 * jitter)`, unless the server
//! names one: `retry-after-ms`, `Retry-After` (seconds or HTTP date) or Hoox's
//! `X-RateLimit-Reset` (unix seconds), honoured when 0 < delay <= 60 s.

use std::time::{Duration, SystemTime};

pub const INITIAL_RETRY_DELAY: f64 = 0.5;
pub const MAX_RETRY_DELAY: f64 = 8.0;
/// Longest server-requested wait we honour; beyond it the backoff schedule is used.
pub const MAX_SERVER_DELAY: f64 = 60.0;

/// What went wrong with one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// No connection was established: the request was never sent.
    NotSent,
    /// The request may have reached the server (reset, timeout, truncated body).
    MaybeSent,
    /// The server answered with this status.
    Status(u16),
    /// A response that can never become valid by asking again (oversized, bad redirect).
    Invalid,
}

/// Whether another attempt is allowed for this failure.
/// `idempotent` is false for any request that may spend credits (every POST).
pub fn should_retry(idempotent: bool, failure: Failure, should_retry_header: Option<bool>) -> bool {
    if let Some(explicit) = should_retry_header {
        // The server's explicit word wins, except that it can never make a
        // possibly-acted-on POST safe to resend.
        if !explicit {
            return false;
        }
        if idempotent || matches!(failure, Failure::NotSent | Failure::Status(429)) {
            return true;
        }
    }
    match failure {
        Failure::NotSent => true,
        Failure::MaybeSent => idempotent,
        Failure::Status(429) => true,
        Failure::Status(408) | Failure::Status(500..=599) => idempotent,
        Failure::Status(_) | Failure::Invalid => false,
    }
}

/// Exponential backoff for the `retry_index`-th retry (0 = first retry), with
/// `jitter` in [0, 1) taking up to 25% off.
pub fn backoff_delay(retry_index: i64, jitter: f64) -> Duration {
    let n = retry_index.clamp(0, 1000) as i32;
    let base = (INITIAL_RETRY_DELAY * 2f64.powi(n)).min(MAX_RETRY_DELAY);
    let factor = 1.0 - 0.25 * jitter.clamp(0.0, 1.0);
    Duration::from_secs_f64(base * factor)
}

/// The delay the server asked for, if any and if within (0, 60] seconds.
/// `headers` are (lower-case name, value) pairs.
pub fn server_delay(headers: &[(String, String)], now: SystemTime) -> Option<Duration> {
    let get = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    };
    let valid =
        |secs: f64| (secs > 0.0 && secs <= MAX_SERVER_DELAY).then(|| Duration::from_secs_f64(secs));

    if let Some(ms) = get("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if ms.is_finite() {
            return valid(ms / 1000.0);
        }
    }
    if let Some(value) = get("retry-after") {
        if let Ok(secs) = value.parse::<f64>() {
            return if secs.is_finite() { valid(secs) } else { None };
        }
        if let Ok(date) = httpdate::parse_http_date(value) {
            return date
                .duration_since(now)
                .ok()
                .and_then(|d| valid(d.as_secs_f64()));
        }
        return None;
    }
    if let Some(reset) = get("x-ratelimit-reset").and_then(|v| v.parse::<f64>().ok()) {
        let now_secs = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .ok()?
            .as_secs_f64();
        // Hoox sends unix seconds; tolerate a relative "seconds from now" value too.
        let wait = if reset > 1_000_000_000.0 {
            reset - now_secs
        } else {
            reset
        };
        return valid(wait);
    }
    None
}

/// The delay before the `retry_index`-th retry.
pub fn retry_delay(
    retry_index: i64,
    headers: &[(String, String)],
    now: SystemTime,
    jitter: f64,
) -> Duration {
    server_delay(headers, now).unwrap_or_else(|| backoff_delay(retry_index, jitter))
}

/// The seconds a server asked us to wait, for error reporting (not capped).
pub fn requested_wait(headers: &[(String, String)], now: SystemTime) -> Option<f64> {
    let get = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    };
    if let Some(v) = get("retry-after") {
        if let Ok(secs) = v.parse::<f64>() {
            return Some(secs.max(0.0));
        }
        if let Ok(date) = httpdate::parse_http_date(v) {
            return Some(
                date.duration_since(now)
                    .map(|d| d.as_secs_f64())
                    .unwrap_or(0.0),
            );
        }
    }
    let reset = get("x-ratelimit-reset")?.parse::<f64>().ok()?;
    let now_secs = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    Some(if reset > 1_000_000_000.0 {
        (reset - now_secs).max(0.0)
    } else {
        reset.max(0.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // The conformance table of sdk-anchors.md §1.3 (Anthropic's test_client.py):
    // time frozen at 1696004797, max_retries = 3, tolerance 0.5 * 0.875.
    const NOW: u64 = 1_696_004_797;

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(NOW)
    }

    fn date(offset: i64) -> String {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs((NOW as i64 + offset) as u64);
        httpdate::fmt_http_date(t)
    }

    fn delay(remaining_retries: i64, retry_after: &str) -> f64 {
        let headers = vec![("retry-after".to_string(), retry_after.to_string())];
        let retry_index = 3 - remaining_retries;
        // Worst-case jitter both ways must stay within the tolerance.
        let hi = retry_delay(retry_index, &headers, now(), 0.0).as_secs_f64();
        let lo = retry_delay(retry_index, &headers, now(), 0.999).as_secs_f64();
        assert!(
            (hi - lo).abs() <= 0.5 * 0.875 * hi.max(1.0),
            "jitter too wide: {lo}..{hi}"
        );
        hi
    }

    fn close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() <= 0.5 * 0.875,
            "expected {expected}, got {actual}"
        );
    }

    #[test]
    fn anthropic_retry_after_table() {
        close(delay(3, "20"), 20.0);
        close(delay(3, "0"), 0.5);
        close(delay(3, "-10"), 0.5);
        close(delay(3, "60"), 60.0);
        close(delay(3, "61"), 0.5);
        close(delay(3, &date(20)), 20.0);
        close(delay(3, &date(0)), 0.5);
        close(delay(3, &date(-10)), 0.5);
        close(delay(3, &date(60)), 60.0);
        close(delay(3, &date(61)), 0.5);
        close(delay(3, "99999999999999999999999999999999999"), 0.5);
        close(delay(3, "Zun, 29 Sep 2023 16:26:57 GMT"), 0.5);
        close(delay(3, ""), 0.5);
        close(delay(2, ""), 1.0);
        close(delay(1, ""), 2.0);
        close(delay(-1100, ""), 8.0);
    }

    #[test]
    fn jitter_takes_at_most_a_quarter() {
        for n in 0..6 {
            let full = backoff_delay(n, 0.0).as_secs_f64();
            let least = backoff_delay(n, 0.9999).as_secs_f64();
            assert!(least >= full * 0.75 - 1e-9 && least <= full);
        }
        assert_eq!(backoff_delay(10, 0.0), Duration::from_secs(8));
    }

    #[test]
    fn retry_after_ms_and_ratelimit_reset() {
        let ms = vec![("retry-after-ms".to_string(), "1500".to_string())];
        assert_eq!(server_delay(&ms, now()), Some(Duration::from_millis(1500)));
        let reset = vec![("x-ratelimit-reset".to_string(), (NOW + 12).to_string())];
        assert_eq!(server_delay(&reset, now()), Some(Duration::from_secs(12)));
        let far = vec![("x-ratelimit-reset".to_string(), (NOW + 3600).to_string())];
        assert_eq!(server_delay(&far, now()), None);
        // Retry-After wins over X-RateLimit-Reset.
        let both = vec![
            ("retry-after".to_string(), "3".to_string()),
            ("x-ratelimit-reset".to_string(), (NOW + 30).to_string()),
        ];
        assert_eq!(server_delay(&both, now()), Some(Duration::from_secs(3)));
    }

    #[test]
    fn post_is_never_resent_when_it_may_have_acted() {
        for f in [
            Failure::MaybeSent,
            Failure::Status(500),
            Failure::Status(502),
            Failure::Status(503),
            Failure::Status(504),
            Failure::Status(408),
        ] {
            assert!(!should_retry(false, f, None), "{f:?}");
            assert!(
                !should_retry(false, f, Some(true)),
                "{f:?} with x-should-retry"
            );
            assert!(should_retry(true, f, None), "{f:?} for GET");
        }
        assert!(should_retry(false, Failure::NotSent, None));
        assert!(should_retry(false, Failure::Status(429), None));
        assert!(!should_retry(false, Failure::Status(400), None));
        assert!(!should_retry(true, Failure::Status(404), None));
        assert!(!should_retry(true, Failure::Status(503), Some(false)));
    }
}
