//! Waiting on jobs: poll a status endpoint on a schedule until a terminal status or
//! the deadline. Unknown statuses count as pending; transient errors (timeouts,
//! 5xx, 429) are ridden out until the deadline, because giving up early would lose
//! track of a job the user already paid for. A terminal status that lacks the field
//! `complete_requires` names gets a few more polls, then is reported as such: the
//! job is done, so it is never reported as a timeout. Under a rate limit the
//! interval is stretched so that the waits on one budget leave room for other calls.

use crate::error::Error;
use crate::transport::{ApiRequest, ResponseMeta, Transport};
use serde_json::Value;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct PollSpec {
    pub request: ApiRequest,
    /// JSON pointer to the status string, e.g. `/status`.
    pub status_pointer: String,
    /// Terminal success statuses (compared case-insensitively).
    pub complete: Vec<String>,
    /// Terminal failure statuses (compared case-insensitively).
    pub failed: Vec<String>,
    /// A pointer that must be non-null before a complete status counts (Hoox can
    /// report an export `completed` before its download URL is known; see
    /// `MISSING_FIELD_POLLS`).
    pub complete_requires: Option<String>,
    /// (seconds since start, interval) steps; the last step whose start has passed wins.
    pub schedule: Vec<(f64, f64)>,
    /// An explicit interval overrides the schedule.
    pub poll_interval: Option<f64>,
    pub timeout: Duration,
}

#[derive(Debug)]
pub enum WaitOutcome {
    Complete(Value),
    Failed(Value),
    /// Complete, but still without `complete_requires` after the extra polls.
    CompleteMissing {
        value: Value,
        extra_polls: u32,
        extra: Duration,
    },
    TimedOut {
        last: Option<Value>,
        last_error: Option<Error>,
        polls: u32,
    },
}

/// The outcome and the last successful poll's response (for raw responses).
#[derive(Debug)]
pub struct WaitReport {
    pub outcome: WaitOutcome,
    pub response: Option<ResponseMeta>,
}

/// Either the API failed for good or the progress callback raised.
#[derive(Debug)]
pub enum WaitError<E> {
    Api(Error),
    Callback(E),
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum Phase {
    Pending,
    Complete,
    /// A complete status without the `complete_requires` field.
    CompleteMissing,
    Failed,
}

impl PollSpec {
    pub fn phase(&self, value: &Value) -> Phase {
        let Some(status) = value.pointer(&self.status_pointer).and_then(Value::as_str) else {
            return Phase::Pending;
        };
        if self.failed.iter().any(|s| s.eq_ignore_ascii_case(status)) {
            return Phase::Failed;
        }
        if self.complete.iter().any(|s| s.eq_ignore_ascii_case(status)) {
            let ready = self
                .complete_requires
                .as_ref()
                .is_none_or(|p| value.pointer(p).is_some_and(|v| !v.is_null()));
            return if ready {
                Phase::Complete
            } else {
                Phase::CompleteMissing
            };
        }
        Phase::Pending
    }

    pub fn interval_at(&self, elapsed: f64) -> Duration {
        if let Some(explicit) = self.poll_interval {
            return seconds(explicit);
        }
        let secs = self
            .schedule
            .iter()
            .filter(|(start, _)| elapsed >= *start)
            .map(|(_, interval)| *interval)
            .next_back()
            .unwrap_or(5.0);
        seconds(secs)
    }
}

/// Longest wait or poll interval the core keeps track of; a longer one (or an
/// infinite one) is clamped to it rather than overflowing a clock.
pub const MAX_WAIT: Duration = Duration::from_secs(100 * 365 * 86_400);

/// Non-negative seconds as a `Duration`, clamped to `MAX_WAIT` (NaN counts as 0).
pub fn seconds(secs: f64) -> Duration {
    Duration::try_from_secs_f64(secs.max(0.0))
        .unwrap_or(MAX_WAIT)
        .min(MAX_WAIT)
}

/// The longest a poll may run past the deadline (when the poll interval is longer).
pub const LAST_POLL_GRACE: Duration = Duration::from_millis(500);

/// A complete status without its `complete_requires` field is polled this many more
/// times, at most `MISSING_FIELD_INTERVAL` apart (so for about 6 s), before the wait
/// reports it as `CompleteMissing`.
pub const MISSING_FIELD_POLLS: u32 = 3;
pub const MISSING_FIELD_INTERVAL: Duration = Duration::from_secs(2);

pub async fn wait<F, E>(
    transport: &Transport,
    spec: &PollSpec,
    mut on_status: F,
) -> Result<WaitReport, WaitError<E>>
where
    F: FnMut(&Value) -> Result<(), E>,
{
    let started = Instant::now();
    let deadline = started + spec.timeout.min(MAX_WAIT);
    let mut last: Option<Value> = None;
    let mut last_error: Option<Error> = None;
    let mut response: Option<ResponseMeta> = None;
    // When the first complete-but-missing status came, and the extra polls since.
    let mut missing: Option<(Instant, u32)> = None;
    let mut polls = 0u32;
    let mut errors = 0u32;
    let _poller = transport.limiter().map(|l| l.poller());
    let done = |outcome, response| Ok(WaitReport { outcome, response });
    loop {
        let now = Instant::now();
        let remaining = deadline.saturating_duration_since(now);
        // A poll may outlive the deadline by at most one poll interval (and never by
        // more than LAST_POLL_GRACE): `wait` returns within one interval of its
        // deadline, and the poll sent at the deadline still gets a moment to answer.
        let grace = spec
            .interval_at(now.duration_since(started).as_secs_f64())
            .min(LAST_POLL_GRACE);
        let bound = remaining.max(grace);
        polls += 1;
        match tokio::time::timeout(bound, transport.json_with_meta(&spec.request)).await {
            Ok(Ok((value, meta))) => {
                last_error = None;
                response = Some(meta);
                // Every status, the final one included (a progress bar reaches 100%).
                on_status(&value).map_err(WaitError::Callback)?;
                match spec.phase(&value) {
                    Phase::Complete => return done(WaitOutcome::Complete(value), response),
                    Phase::Failed => return done(WaitOutcome::Failed(value), response),
                    Phase::CompleteMissing => {
                        let (since, extra) = match missing {
                            Some((since, extra)) => (since, extra + 1),
                            None => (Instant::now(), 0),
                        };
                        if extra >= MISSING_FIELD_POLLS {
                            let extra_time = since.elapsed();
                            let outcome = WaitOutcome::CompleteMissing {
                                value,
                                extra_polls: extra,
                                extra: extra_time,
                            };
                            return done(outcome, response);
                        }
                        missing = Some((since, extra));
                        last = Some(value);
                    }
                    Phase::Pending => {
                        missing = None;
                        last = Some(value);
                    }
                }
            }
            Ok(Err(error)) if error.is_transient() => {
                // One WARNING per wait; the repeats only at DEBUG.
                errors += 1;
                if errors == 1 {
                    log::warn!(
                        "polling {} failed, will keep trying (repeats are logged at DEBUG): \
                         {error}",
                        spec.request.path
                    );
                } else {
                    log::debug!(
                        "polling {} failed again ({errors} times), will keep trying: {error}",
                        spec.request.path
                    );
                }
                last_error = Some(error);
            }
            Ok(Err(error)) => return Err(WaitError::Api(error)),
            Err(_) => {}
        }
        let now = Instant::now();
        if now >= deadline {
            // The job finished: never a timeout, even without the field.
            if let (Some((since, extra)), Some(value)) = (missing, last.as_ref()) {
                let outcome = WaitOutcome::CompleteMissing {
                    value: value.clone(),
                    extra_polls: extra,
                    extra: since.elapsed(),
                };
                return done(outcome, response);
            }
            let outcome = WaitOutcome::TimedOut {
                last,
                last_error,
                polls,
            };
            return done(outcome, response);
        }
        let mut interval = spec.interval_at(now.duration_since(started).as_secs_f64());
        if missing.is_some() {
            interval = interval.min(MISSING_FIELD_INTERVAL);
        }
        if let Some(limiter) = transport.limiter() {
            interval = interval.max(limiter.poll_floor());
        }
        tokio::time::sleep(interval.min(deadline - now)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> PollSpec {
        PollSpec {
            request: ApiRequest::get("/x"),
            status_pointer: "/status".into(),
            complete: vec!["completed".into(), "ready".into()],
            failed: vec!["failed".into(), "error".into()],
            complete_requires: Some("/result/video_url".into()),
            schedule: vec![(0.0, 3.0), (30.0, 5.0), (120.0, 10.0)],
            poll_interval: None,
            timeout: Duration::from_secs(60),
        }
    }

    #[test]
    fn phases() {
        let s = spec();
        assert_eq!(s.phase(&json!({"status": "processing"})), Phase::Pending);
        assert_eq!(s.phase(&json!({"status": "who-knows"})), Phase::Pending);
        assert_eq!(s.phase(&json!({"status": "FAILED"})), Phase::Failed);
        assert_eq!(
            s.phase(&json!({"status": "completed"})),
            Phase::CompleteMissing
        );
        assert_eq!(
            s.phase(&json!({"status": "completed", "result": {"video_url": "u"}})),
            Phase::Complete
        );
    }

    #[test]
    fn schedule_steps() {
        let s = spec();
        assert_eq!(s.interval_at(0.0), Duration::from_secs(3));
        assert_eq!(s.interval_at(31.0), Duration::from_secs(5));
        assert_eq!(s.interval_at(500.0), Duration::from_secs(10));
        let mut fixed = spec();
        fixed.poll_interval = Some(0.0);
        assert_eq!(fixed.interval_at(500.0), Duration::ZERO);
    }
}
