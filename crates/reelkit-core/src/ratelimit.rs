//! Client-side rate limiting: one budget per (API origin, API key), shared by every
//! client of the process (threads, asyncio tasks, sync and async clients) and, with a
//! Redis store, by every process using the key. Requests take turns first come first
//! served; each turn is checked against the client's rule (a sliding window), the
//! limit the server announced (`X-RateLimit-*`) and any wait a 429 imposed.

use crate::error::{Error, ErrorKind, Result};
use crate::ratestore::RedisStore;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::Notify;

/// The host whose documented limit applies by default (hoox.md §1.3).
pub const HOOX_HOST: &str = "app.hoox.video";
/// Hoox: 100 requests per minute per workspace.
pub const HOOX_RULE: Rule = Rule {
    requests: 100,
    per: Duration::from_secs(60),
};
/// Longest wait a server's headers can impose on one turn (a bogus far-away reset
/// would otherwise stall every request).
pub const MAX_SERVER_WAIT: Duration = Duration::from_secs(60);
/// How many 429s one call absorbs (waits out and resends) before the ordinary retry
/// policy takes over.
pub const MAX_ABSORBED_429: u32 = 8;
/// Waits together take at most 1/this of the budget (see `Limiter::poll_floor`).
const POLL_SHARE_DIVISOR: u32 = 2;
/// Sent entries are kept at least this long (a learned limit may need them).
const MIN_RETENTION: Duration = Duration::from_secs(60);

/// At most `requests` requests in any `per` window (a sliding window).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub requests: u32,
    pub per: Duration,
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} per {} s", self.requests, self.per.as_secs_f64())
    }
}

/// What a client asked for with `rate_limit=`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// The documented limit of the host (Hoox), else none; headers followed.
    Default,
    /// No client-side limiting at all (429s go to the ordinary retry policy).
    Off,
    /// At most `rule`, shared in-process or through the store (`redis://...`).
    Fixed { rule: Rule, store: Option<String> },
}

/// The shared state of one (origin, key) budget.
pub struct Budget {
    /// Hex digest of (origin, key): names the budget in logs and in Redis.
    id: String,
    state: Mutex<State>,
    pollers: AtomicUsize,
}

#[derive(Default)]
struct State {
    next_ticket: u64,
    /// Requests waiting for a turn, in arrival order (a resend keeps its ticket).
    waiters: BTreeMap<u64, Arc<Notify>>,
    /// The turn numbers of requests sent and not yet answered.
    inflight: BTreeSet<u64>,
    /// Completion times of finished requests (sorted: pushed under the lock).
    done: VecDeque<Instant>,
    retention: Duration,
    /// Set by a 429 (Retry-After / X-RateLimit-Reset): nothing goes out before it.
    blocked_until: Option<Instant>,
    /// The server's own limit, from X-RateLimit-Limit and the reset's distance;
    /// forgotten when a success comes without it (a server that stopped limiting, or
    /// another server on a reused address, is not held to it).
    learned: Option<Rule>,
    /// The server's X-RateLimit-Remaining minus what has been sent since.
    allowance: Option<Allowance>,
    /// Numbers the turns, so that only a fresher response updates the allowance.
    next_seq: u64,
}

#[derive(Debug, Clone, Copy)]
struct Allowance {
    left: i64,
    until: Instant,
    seq: u64,
}

/// What the local state says about the head of the queue.
enum Check {
    Ready,
    /// Not before this instant.
    At(Instant),
    /// Only when an in-flight request finishes.
    OnCompletion,
}

impl State {
    fn head(&self) -> Option<u64> {
        self.waiters.keys().next().copied()
    }

    fn wake_head(&self) {
        if let Some(n) = self.waiters.values().next() {
            n.notify_one();
        }
    }

    /// Whether a turn may be taken now under the server-imposed limits and `rules`.
    fn check(&mut self, now: Instant, rules: &[Rule]) -> Check {
        let mut at: Option<Instant> = None;
        let mut later = |t: Instant| at = Some(at.map_or(t, |a| a.max(t)));
        if let Some(t) = self.blocked_until {
            if t > now {
                later(t);
            } else {
                self.blocked_until = None;
            }
        }
        if let Some(a) = self.allowance {
            if a.until <= now {
                self.allowance = None;
            } else if a.left <= 0 {
                later(a.until);
            }
        }
        let mut on_completion = false;
        for rule in rules {
            let start = self
                .done
                .partition_point(|t| now.saturating_duration_since(*t) >= rule.per);
            let in_window = self.done.len() - start;
            let used = self.inflight.len() + in_window;
            if used < rule.requests as usize {
                continue;
            }
            // This many must leave the window; the oldest finished ones leave first.
            let must_leave = used - rule.requests as usize + 1;
            if must_leave <= in_window {
                later(self.done[start + must_leave - 1] + rule.per);
            } else {
                on_completion = true;
            }
        }
        match at {
            Some(t) if t > now => Check::At(t),
            _ if on_completion => Check::OnCompletion,
            _ => Check::Ready,
        }
    }

    fn prune(&mut self, now: Instant) {
        while let Some(&t) = self.done.front() {
            if now.saturating_duration_since(t) > self.retention {
                self.done.pop_front();
            } else {
                break;
            }
        }
    }

    fn grant(&mut self, now: Instant, rules: &[Rule]) -> u64 {
        let longest = rules.iter().map(|r| r.per).max().unwrap_or_default();
        self.retention = self.retention.max(longest).max(MIN_RETENTION);
        self.prune(now);
        if let Some(a) = self.allowance.as_mut() {
            a.left -= 1;
        }
        self.next_seq += 1;
        self.inflight.insert(self.next_seq);
        self.next_seq
    }
}

type Registry = HashMap<String, (u32, Arc<Budget>)>;
static BUDGETS: OnceLock<Mutex<Registry>> = OnceLock::new();

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The budget id: a digest of the origin and the key (the key itself is never kept
/// here, logged or sent to a store).
pub fn budget_id(origin: &str, api_key: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"reelkit rate limit\n");
    h.update(origin.as_bytes());
    h.update(b"\n");
    h.update(api_key.as_bytes());
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Budget {
    /// The process-wide budget for this (origin, key). Budgets live as long as the
    /// process (a client built per call still shares its predecessors' history); a
    /// forked child starts with fresh ones (the parent's in-flight requests are not
    /// its own).
    pub fn shared(base_url: &url::Url, api_key: &str) -> Arc<Budget> {
        let id = budget_id(&origin(base_url), api_key);
        let pid = std::process::id();
        let mut reg = lock(BUDGETS.get_or_init(|| Mutex::new(Registry::new())));
        if let Some((owner, b)) = reg.get(&id) {
            if *owner == pid {
                return b.clone();
            }
            std::mem::forget(std::mem::take(&mut *reg));
        }
        let b = Arc::new(Budget {
            id: id.clone(),
            state: Mutex::new(State::default()),
            pollers: AtomicUsize::new(0),
        });
        reg.insert(id, (pid, b.clone()));
        b
    }

    pub fn id(&self) -> &str {
        &self.id
    }
}

/// A transport's handle on its budget: its own rule over the shared state.
pub struct Limiter {
    budget: Arc<Budget>,
    rule: Option<Rule>,
    store: Option<Arc<RedisStore>>,
    setting: Setting,
}

impl std::fmt::Debug for Limiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limiter")
            .field("budget", &self.budget.id)
            .field("rule", &self.rule)
            .field("store", &self.store.as_ref().map(|s| s.display_url()))
            .finish()
    }
}

/// `scheme://host:port` of a base URL: the server whose budget is shared.
pub fn origin(url: &url::Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

impl Limiter {
    /// None for `Setting::Off`. Fails only on a store URL that cannot be used.
    pub fn new(
        setting: &Setting,
        base_url: &url::Url,
        budget: Arc<Budget>,
    ) -> Result<Option<Limiter>> {
        let (rule, store) = match setting {
            Setting::Off => return Ok(None),
            Setting::Default => {
                let hoox = base_url
                    .host_str()
                    .is_some_and(|h| h.eq_ignore_ascii_case(HOOX_HOST));
                (hoox.then_some(HOOX_RULE), None)
            }
            Setting::Fixed { rule, store } => {
                if rule.requests == 0 || rule.per.is_zero() {
                    return Err(Error::config(
                        "rate_limit: requests and per must be positive",
                    ));
                }
                let store = store.as_deref().map(RedisStore::shared).transpose()?;
                (Some(*rule), store)
            }
        };
        Ok(Some(Limiter {
            budget,
            rule,
            store,
            setting: setting.clone(),
        }))
    }

    pub fn setting(&self) -> &Setting {
        &self.setting
    }

    /// A place in the queue; a resend after a 429 keeps its place.
    pub fn ticket(&self) -> u64 {
        let mut st = lock(&self.budget.state);
        st.next_ticket += 1;
        st.next_ticket
    }

    fn rules(&self, learned: Option<Rule>) -> ([Rule; 2], usize) {
        let mut rules = [HOOX_RULE; 2];
        let mut n = 0;
        for r in [self.rule, learned].into_iter().flatten() {
            rules[n] = r;
            n += 1;
        }
        (rules, n)
    }

    fn describe(&self, learned: Option<Rule>) -> String {
        let mut parts = Vec::new();
        if let Some(r) = self.rule {
            parts.push(format!("rate_limit {r}"));
        }
        if let Some(r) = learned {
            parts.push(format!("server limit {r}"));
        }
        if let Some(s) = &self.store {
            parts.push(format!("shared through {}", s.display_url()));
        }
        if parts.is_empty() {
            "the server's rate-limit headers".into()
        } else {
            parts.join(", ")
        }
    }

    /// Wait for this ticket's turn; fails with a timeout (nothing sent) if the turn
    /// cannot come before `deadline`, or with a connection error naming the store.
    pub async fn acquire(&self, ticket: u64, deadline: Instant) -> Result<Permit> {
        let started = Instant::now();
        let notify = Arc::new(Notify::new());
        {
            let mut st = lock(&self.budget.state);
            let first = st.head().is_none_or(|h| h > ticket);
            if first && self.store.is_none() {
                let (rules, n) = self.rules(st.learned);
                if let Check::Ready = st.check(started, &rules[..n]) {
                    let seq = st.grant(started, &rules[..n]);
                    return Ok(self.permit(seq, None));
                }
            }
            st.waiters.insert(ticket, notify.clone());
        }
        let _queued = Queued {
            budget: &self.budget,
            ticket,
        };
        loop {
            let now = Instant::now();
            let (check, learned) = {
                let mut st = lock(&self.budget.state);
                let learned = st.learned;
                if st.head() != Some(ticket) {
                    (Check::OnCompletion, learned)
                } else if self.store.is_some() {
                    // The rules are checked by the store; only the server's word here.
                    (st.check(now, &[]), learned)
                } else {
                    let (rules, n) = self.rules(learned);
                    let c = st.check(now, &rules[..n]);
                    if let Check::Ready = c {
                        let seq = st.grant(now, &rules[..n]);
                        st.waiters.remove(&ticket);
                        st.wake_head();
                        drop(st);
                        self.log_wait(started, None);
                        return Ok(self.permit(seq, None));
                    }
                    (c, learned)
                }
            };
            let mut wake = match check {
                Check::At(t) => Some(t),
                Check::OnCompletion => None,
                Check::Ready => {
                    // Store mode, head of the queue: ask the store for a slot.
                    let store = self.store.as_ref().expect("store mode");
                    let (rules, n) = self.rules(learned);
                    match store
                        .acquire(&self.budget.id, &rules[..n], deadline)
                        .await?
                    {
                        Ok(member) => {
                            let seq = {
                                let mut st = lock(&self.budget.state);
                                let seq = st.grant(Instant::now(), &[]);
                                st.waiters.remove(&ticket);
                                st.wake_head();
                                seq
                            };
                            self.log_wait(started, Some(store));
                            return Ok(self.permit(seq, Some(member)));
                        }
                        Err(wait) => Some(Instant::now() + wait),
                    }
                }
            };
            if let Some(t) = wake {
                if t > deadline {
                    // Head of the queue and the turn comes too late: say so now.
                    return Err(self.turn_timeout(started, deadline, Some(t), learned));
                }
            }
            if Instant::now() >= deadline {
                return Err(self.turn_timeout(started, deadline, None, learned));
            }
            let until = wake.take().map_or(deadline, |t| t.min(deadline));
            tokio::select! {
                _ = notify.notified() => {}
                _ = tokio::time::sleep_until(until.into()) => {}
            }
        }
    }

    fn log_wait(&self, started: Instant, store: Option<&Arc<RedisStore>>) {
        let waited = started.elapsed();
        if waited >= Duration::from_millis(1) {
            log::debug!(
                "waited {:.3} s for a turn under the rate limit (budget {}{})",
                waited.as_secs_f64(),
                self.budget.id,
                store.map_or(String::new(), |s| format!(", {}", s.display_url()))
            );
        }
    }

    fn turn_timeout(
        &self,
        started: Instant,
        deadline: Instant,
        next: Option<Instant>,
        learned: Option<Rule>,
    ) -> Error {
        let budget = deadline.saturating_duration_since(started).as_secs_f64();
        let when = next.map_or(String::new(), |t| {
            format!(
                " (the next turn comes in {:.1} s)",
                t.saturating_duration_since(Instant::now()).as_secs_f64()
            )
        });
        Error::new(
            ErrorKind::Timeout,
            format!(
                "no turn under the rate limit within the {budget:.1} s timeout{when}: {}; \
                 the request was not sent",
                self.describe(learned)
            ),
        )
    }

    fn permit(&self, seq: u64, member: Option<String>) -> Permit {
        Permit {
            budget: self.budget.clone(),
            store: member.map(|m| (self.store.clone().expect("store mode"), m)),
            seq,
            sent_at: SystemTime::now(),
            finished: false,
        }
    }

    /// The shortest poll interval for `wait()`: the active waits on this budget
    /// together poll at most half as often as the tightest known limit allows,
    /// leaving the other half to starts and other calls (which still queue first
    /// come first served).
    pub fn poll_floor(&self) -> Duration {
        let learned = lock(&self.budget.state).learned;
        let pollers = self.budget.pollers.load(Ordering::Relaxed).max(1) as u32;
        [self.rule, learned]
            .into_iter()
            .flatten()
            .map(|r| r.per * POLL_SHARE_DIVISOR * pollers / r.requests)
            .max()
            .unwrap_or_default()
    }

    /// Counts an active `wait()` on this budget while held.
    pub fn poller(&self) -> Poller {
        self.budget.pollers.fetch_add(1, Ordering::Relaxed);
        Poller(self.budget.clone())
    }
}

/// Removes a waiter that gave up (timeout, cancelled task) and passes the turn on.
struct Queued<'a> {
    budget: &'a Arc<Budget>,
    ticket: u64,
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        let mut st = lock(&self.budget.state);
        if st.waiters.remove(&self.ticket).is_some() {
            st.wake_head();
        }
    }
}

pub struct Poller(Arc<Budget>);

impl Drop for Poller {
    fn drop(&mut self) {
        self.0.pollers.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A granted turn. Finishing it records when the request ended and what the
/// server's headers said; dropping it unfinished (a cancelled call) records the end.
pub struct Permit {
    budget: Arc<Budget>,
    store: Option<(Arc<RedisStore>, String)>,
    seq: u64,
    /// When the turn was granted: the server counted the request after it.
    sent_at: SystemTime,
    finished: bool,
}

/// What the server's rate-limit headers said.
#[derive(Debug, Default, Clone, Copy)]
struct Headers {
    limit: Option<u32>,
    remaining: Option<i64>,
    /// Seconds from now until the reset (X-RateLimit-Reset, absolute or relative).
    reset: Option<f64>,
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

fn parse_headers(headers: &[(String, String)], now: SystemTime) -> Headers {
    let now_secs = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    let reset = header(headers, "x-ratelimit-reset")
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite())
        .map(|v| if v > 1_000_000_000.0 { v - now_secs } else { v });
    Headers {
        limit: header(headers, "x-ratelimit-limit")
            .and_then(|v| v.parse::<u32>().ok())
            .filter(|&l| l > 0),
        remaining: header(headers, "x-ratelimit-remaining").and_then(|v| v.parse::<i64>().ok()),
        reset,
    }
}

/// How long a 429 asks to wait: Retry-After (seconds, HTTP date or `retry-after-ms`),
/// else X-RateLimit-Reset; capped at `MAX_SERVER_WAIT`.
pub fn wait_after_429(headers: &[(String, String)], now: SystemTime) -> Option<Duration> {
    let secs = header(headers, "retry-after-ms")
        .and_then(|v| v.parse::<f64>().ok())
        .map(|ms| ms / 1000.0)
        .or_else(|| crate::retry::requested_wait(headers, now))?;
    // A reset already past says nothing useful: the caller backs off instead.
    if !secs.is_finite() || secs <= 0.0 {
        return None;
    }
    Some(Duration::from_secs_f64(
        secs.min(MAX_SERVER_WAIT.as_secs_f64()),
    ))
}

fn clamp_wait(secs: f64) -> Duration {
    Duration::from_secs_f64(secs.clamp(0.0, MAX_SERVER_WAIT.as_secs_f64()))
}

impl Permit {
    /// Record the end of the request and learn from its answer (`status`, headers).
    /// A 429 blocks the budget for `wait_429` (learned from its headers by the
    /// caller); everyone's next turn waits for it.
    pub fn finish(
        mut self,
        answer: Option<(u16, &[(String, String)])>,
        wait_429: Option<Duration>,
    ) {
        self.finished = true;
        let now = Instant::now();
        let mut st = lock(&self.budget.state);
        st.inflight.remove(&self.seq);
        st.done.push_back(now);
        if let Some((status, headers)) = answer {
            let h = parse_headers(headers, SystemTime::now());
            if let Some(limit) = h.limit {
                // A sliding window as long as the reset is far from the moment the
                // server counted the request (Hoox: that moment + 60 s, rounded up to
                // whole seconds). Measured from the send, the distance is never
                // shorter than the window, and the shortest seen is the closest.
                // Remaining: 0 still holds everything until the reset.
                let since_sent = SystemTime::now()
                    .duration_since(self.sent_at)
                    .unwrap_or_default()
                    .as_secs_f64();
                let per = h.reset.map_or(MIN_RETENTION, |r| {
                    Duration::from_secs_f64(
                        (r + since_sent).clamp(1.0, MAX_SERVER_WAIT.as_secs_f64()),
                    )
                });
                let rule = match st.learned {
                    Some(old) if old.requests == limit => Rule {
                        requests: limit,
                        per: old.per.min(per),
                    },
                    _ => Rule {
                        requests: limit,
                        per,
                    },
                };
                st.learned = Some(rule);
            } else if (200..300).contains(&status) {
                st.learned = None;
                st.allowance = None;
            }
            if let Some(remaining) = h.remaining {
                let fresher = st.allowance.is_none_or(|a| a.seq < self.seq);
                if fresher {
                    // Requests sent after this one and still in flight were probably
                    // not counted yet; those sent before it were.
                    let later = st.inflight.range(self.seq + 1..).count() as i64;
                    let until = now + h.reset.map_or(Duration::from_secs(1), clamp_wait);
                    st.allowance = Some(Allowance {
                        left: remaining - later,
                        until,
                        seq: self.seq,
                    });
                }
            }
            if status == 429 {
                let wait = wait_429.unwrap_or(Duration::from_secs(1));
                let until = now + wait;
                st.blocked_until = Some(st.blocked_until.map_or(until, |b| b.max(until)));
                if let Some((store, _)) = &self.store {
                    store.clone().block(&self.budget.id, wait);
                }
            }
        }
        st.wake_head();
        drop(st);
        if let Some((store, member)) = self.store.take() {
            store.finish(&self.budget.id, member);
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        let mut st = lock(&self.budget.state);
        st.inflight.remove(&self.seq);
        st.done.push_back(Instant::now());
        st.wake_head();
        drop(st);
        if let Some((store, member)) = self.store.take() {
            store.finish(&self.budget.id, member);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st() -> State {
        State {
            retention: MIN_RETENTION,
            ..State::default()
        }
    }

    const R: Rule = Rule {
        requests: 3,
        per: Duration::from_secs(2),
    };

    #[test]
    fn sliding_window_frees_the_oldest_slot_first() {
        let mut s = st();
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(matches!(s.check(t0, &[R]), Check::Ready), "{i}");
            s.grant(t0, &[R]);
        }
        // All three in flight: only a completion can free a slot.
        assert!(matches!(s.check(t0, &[R]), Check::OnCompletion));
        s.inflight.clear();
        for ms in [0, 100, 200] {
            s.done.push_back(t0 + Duration::from_millis(ms));
        }
        match s.check(t0 + Duration::from_millis(300), &[R]) {
            Check::At(t) => assert_eq!(t, t0 + R.per),
            _ => panic!("expected a wait"),
        }
        assert!(matches!(s.check(t0 + R.per, &[R]), Check::Ready));
    }

    #[test]
    fn server_words_block() {
        let mut s = st();
        let t0 = Instant::now();
        s.allowance = Some(Allowance {
            left: 0,
            until: t0 + Duration::from_secs(5),
            seq: 1,
        });
        assert!(matches!(s.check(t0, &[]), Check::At(_)));
        assert!(matches!(
            s.check(t0 + Duration::from_secs(5), &[]),
            Check::Ready
        ));
        s.blocked_until = Some(t0 + Duration::from_secs(1));
        assert!(matches!(s.check(t0, &[]), Check::At(_)));
    }

    #[test]
    fn the_default_is_hoox_documented_limit_on_its_host_only() {
        let rule_for = |base: &str| {
            let url = url::Url::parse(base).unwrap();
            let budget = Budget::shared(&url, "hx_test_default");
            Limiter::new(&Setting::Default, &url, budget)
                .unwrap()
                .and_then(|l| l.rule)
        };
        let hoox = rule_for("https://app.hoox.video/api/public/v1");
        assert_eq!(hoox, Some(HOOX_RULE));
        assert_eq!((HOOX_RULE.requests, HOOX_RULE.per.as_secs()), (100, 60));
        assert_eq!(
            rule_for("https://APP.HOOX.VIDEO/api/public/v1"),
            Some(HOOX_RULE)
        );
        // The simulator, a proxy, Hooked: only the server's headers pace them.
        assert_eq!(rule_for("http://127.0.0.1:8080/api/public/v1"), None);
        assert_eq!(rule_for("https://api.hooked.so/v1"), None);
        assert_eq!(rule_for("https://proxy.example/app.hoox.video"), None);
        let off = url::Url::parse("https://app.hoox.video/").unwrap();
        let budget = Budget::shared(&off, "hx_test_default");
        assert!(Limiter::new(&Setting::Off, &off, budget).unwrap().is_none());
    }

    #[test]
    fn ids_hide_the_key_and_separate_origins() {
        let a = budget_id("https://app.hoox.video:443", "hx_secret_key");
        assert_eq!(a.len(), 32);
        assert!(!a.contains("secret"));
        assert_ne!(a, budget_id("http://127.0.0.1:80", "hx_secret_key"));
        assert_eq!(a, budget_id("https://app.hoox.video:443", "hx_secret_key"));
    }

    #[test]
    fn headers_and_429_waits() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let h = vec![
            ("x-ratelimit-limit".to_string(), "100".to_string()),
            ("x-ratelimit-remaining".to_string(), "0".to_string()),
            ("x-ratelimit-reset".to_string(), "1700000030".to_string()),
        ];
        let p = parse_headers(&h, now);
        assert_eq!((p.limit, p.remaining), (Some(100), Some(0)));
        assert_eq!(p.reset, Some(30.0));
        assert_eq!(wait_after_429(&h, now), Some(Duration::from_secs(30)));
        let far = vec![("retry-after".to_string(), "3600".to_string())];
        assert_eq!(wait_after_429(&far, now), Some(MAX_SERVER_WAIT));
        assert_eq!(wait_after_429(&[], now), None);
        let past = vec![("x-ratelimit-reset".to_string(), "1699999990".to_string())];
        assert_eq!(wait_after_429(&past, now), None);
    }
}
