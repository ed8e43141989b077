//! Waiting on jobs: poll a status endpoint on a schedule until a terminal status or
//! the deadline. Unknown statuses count as pending; transient errors (timeouts,
//! 5xx, 429) are ridden out until the deadline, because giving up early would lose
//! track of a job the user already paid for.

use crate::error::Error;
use crate::transport::{ApiRequest, Transport};
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
    /// report an export `completed` before its download URL is known).
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
    TimedOut {
        last: Option<Value>,
        last_error: Option<Error>,
        polls: u32,
    },
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
                Phase::Pending
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

pub async fn wait<F, E>(
    transport: &Transport,
    spec: &PollSpec,
    mut on_status: F,
) -> Result<WaitOutcome, WaitError<E>>
where
    F: FnMut(&Value) -> Result<(), E>,
{
    let started = Instant::now();
    let deadline = started + spec.timeout.min(MAX_WAIT);
    let mut last: Option<Value> = None;
    let mut last_error: Option<Error> = None;
    let mut polls = 0u32;
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
        match tokio::time::timeout(bound, transport.json(&spec.request)).await {
            Ok(Ok(value)) => {
                last_error = None;
                // Every status, the final one included (a progress bar reaches 100%).
                on_status(&value).map_err(WaitError::Callback)?;
                match spec.phase(&value) {
                    Phase::Complete => return Ok(WaitOutcome::Complete(value)),
                    Phase::Failed => return Ok(WaitOutcome::Failed(value)),
                    Phase::Pending => last = Some(value),
                }
            }
            Ok(Err(error)) if error.is_transient() => {
                log::warn!(
                    "polling {} failed, will keep trying: {error}",
                    spec.request.path
                );
                last_error = Some(error);
            }
            Ok(Err(error)) => return Err(WaitError::Api(error)),
            Err(_) => {}
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(WaitOutcome::TimedOut {
                last,
                last_error,
                polls,
            });
        }
        let interval = spec.interval_at(now.duration_since(started).as_secs_f64());
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
        assert_eq!(s.phase(&json!({"status": "completed"})), Phase::Pending);
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
