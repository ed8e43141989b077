//! Small shared helpers of the API simulation: wall clock and ISO-8601 text,
//! random ids, JSON number/field helpers, URL checks and path percent-decoding.

use serde_json::{Map, Value};
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch (wall clock).
pub fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `2025-01-15T10:30:00.000Z` for a Unix time.
pub fn iso(unix: f64) -> String {
    let ms_total = (unix * 1000.0).round() as i64;
    let secs = ms_total.div_euclid(1000);
    let ms = ms_total.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}Z",
        sod / 3600,
        (sod / 60) % 60,
        sod % 60
    )
}

/// Parses `YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)` (the zone may be omitted: UTC).
pub fn parse_iso(s: &str) -> Option<f64> {
    let b = s.trim().as_bytes();
    let digits = |from: usize, n: usize| -> Option<i64> {
        let part = b.get(from..from + n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let y = digits(0, 4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let mo = digits(5, 2)?;
    let d = digits(8, 2)?;
    if !matches!(b.get(10), Some(b'T') | Some(b't') | Some(b' ')) || b.get(13) != Some(&b':') {
        return None;
    }
    let h = digits(11, 2)?;
    let mi = digits(14, 2)?;
    let mut i = 16;
    let mut sec = 0.0;
    if b.get(i) == Some(&b':') {
        sec = digits(17, 2)? as f64;
        i = 19;
        if b.get(i) == Some(&b'.') {
            let start = i + 1;
            let mut j = start;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j == start {
                return None;
            }
            let frac: f64 = std::str::from_utf8(&b[i..j]).ok()?.parse().ok()?;
            sec += frac;
            i = j;
        }
    }
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec >= 61.0 {
        return None;
    }
    let offset = match b.get(i) {
        None => 0,
        Some(b'Z') | Some(b'z') if i + 1 == b.len() => 0,
        Some(&c @ (b'+' | b'-')) => {
            let oh = digits(i + 1, 2)?;
            let om = if b.get(i + 3) == Some(&b':') {
                digits(i + 4, 2)?
            } else {
                digits(i + 3, 2)?
            };
            let end = if b.get(i + 3) == Some(&b':') {
                i + 6
            } else {
                i + 5
            };
            if end != b.len() {
                return None;
            }
            let o = oh * 3600 + om * 60;
            if c == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    Some((days * 86_400 + h * 3600 + mi * 60 - offset) as f64 + sec)
}

const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// `prefix` followed by `n` random lowercase alphanumerics.
pub fn new_id(prefix: &str, n: usize) -> String {
    let mut s = String::with_capacity(prefix.len() + n);
    s.push_str(prefix);
    for _ in 0..n {
        s.push(ALNUM[rand::random_range(0..ALNUM.len())] as char);
    }
    s
}

/// A 24-hex-digit id shaped like a Mongo ObjectId.
pub fn object_id() -> String {
    let hi: u32 = (unix_now() as u64 & 0xffff_ffff) as u32;
    let lo: u64 = rand::random();
    format!("{hi:08x}{lo:016x}")
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A JSON number, written as an integer when it has no fractional part.
pub fn num(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Value::from(x as i64)
    } else {
        Value::from(round2(x))
    }
}

/// A credit amount for a message: `85`, `0.3`, `55.2`.
pub fn fmt_num(x: f64) -> String {
    let x = round2(x);
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// True for a parseable absolute http(s) URL with a host.
pub fn is_http_url(s: &str) -> bool {
    match url::Url::parse(s) {
        Ok(u) => {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
        }
        Err(_) => false,
    }
}

/// True for an https URL, or an http URL on the loopback (the simulator's one
/// relaxation, so tests can receive webhooks on 127.0.0.1).
pub fn is_https_or_loopback(s: &str) -> bool {
    match url::Url::parse(s) {
        Ok(u) => match u.scheme() {
            "https" => u.host_str().is_some(),
            "http" => matches!(
                u.host_str(),
                Some("127.0.0.1") | Some("localhost") | Some("[::1]") | Some("::1")
            ),
            _ => false,
        },
        Err(_) => false,
    }
}

/// Percent-decodes one path segment (invalid escapes are kept as they are).
pub fn pct_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Builds a JSON object from `(key, value)` pairs, skipping `None`s.
pub fn obj<const N: usize>(pairs: [(&str, Option<Value>); N]) -> Value {
    let mut m = Map::with_capacity(N);
    for (k, v) in pairs {
        if let Some(v) = v {
            m.insert(k.to_string(), v);
        }
    }
    Value::Object(m)
}

/// A comma-separated query value split into trimmed, non-empty, lower-cased items.
pub fn csv_lower(s: &str) -> Vec<String> {
    s.split(',')
        .map(|p| p.trim().to_ascii_lowercase())
        .filter(|p| !p.is_empty())
        .collect()
}

/// `true`/`1`/`yes` (case-insensitive).
pub fn truthy(s: &str) -> bool {
    matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trip() {
        let t = 1_705_314_600.0; // 2024-01-15T10:30:00Z
        assert_eq!(iso(t), "2024-01-15T10:30:00.000Z");
        assert_eq!(parse_iso("2024-01-15T10:30:00Z"), Some(t));
        assert_eq!(parse_iso("2024-01-15T10:30:00.000Z"), Some(t));
        assert_eq!(parse_iso("2024-01-15T11:30:00+01:00"), Some(t));
        assert_eq!(parse_iso("2024-01-15T10:30:00.5Z"), Some(t + 0.5));
        assert_eq!(parse_iso("2024-13-15T10:30:00Z"), None);
        assert_eq!(parse_iso("tomorrow"), None);
        assert_eq!(iso(0.0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn numbers_and_ids() {
        assert_eq!(num(5.0), Value::from(5));
        assert_eq!(num(0.30000000000000004), Value::from(0.3));
        assert_eq!(fmt_num(55.2), "55.2");
        assert_eq!(fmt_num(85.0), "85");
        let id = new_id("run_", 20);
        assert_eq!(id.len(), 24);
        assert_eq!(object_id().len(), 24);
        assert_eq!(pct_decode("a%20b%2"), "a b%2");
        assert!(is_http_url("https://example.com/x"));
        assert!(!is_http_url("ftp://example.com"));
        assert!(!is_http_url("not a url"));
        assert!(is_https_or_loopback("http://127.0.0.1:9/x"));
        assert!(!is_https_or_loopback("http://example.com/x"));
    }
}
