//! The Redis store of shared rate-limit budgets (`RateLimit(store="redis://...")`).
//! Each budget is a sorted set of turns scored by the Redis server's own clock
//! (`TIME`), checked and taken atomically by a Lua script, so every process and
//! machine using the key shares one sliding window whatever their clocks say. Key
//! names carry a digest of (origin, API key), never the key.

use crate::error::{Error, ErrorKind, Result};
use crate::ratelimit::Rule;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// KEYS[1] the budget's turns (member -> ms), KEYS[2] its block flag (set by a 429);
/// ARGV[1] the new turn's member, then (requests, window ms) pairs. Returns 0 when
/// the turn was taken, else the milliseconds to wait.
const ACQUIRE: &str = r#"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then return blocked end
local longest = 60000
for i = 2, #ARGV, 2 do
  local w = tonumber(ARGV[i + 1])
  if w > longest then longest = w end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest)
local wait = 0
for i = 2, #ARGV, 2 do
  local limit = tonumber(ARGV[i])
  local w = tonumber(ARGV[i + 1])
  local used = redis.call('ZCOUNT', KEYS[1], '(' .. (now - w), '+inf')
  if used >= limit then
    local e = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - w), '+inf',
                        'WITHSCORES', 'LIMIT', used - limit, 1)
    local free = tonumber(e[2]) + w - now
    if free < 1 then free = 1 end
    if free > wait then wait = free end
  end
end
if wait > 0 then return wait end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], longest + 1000)
return 0
"#;

/// A finished request's turn moves to its end time: the server may have counted it
/// at any moment until then.
const FINISH: &str = r#"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
return 1
"#;

/// A 429 blocks the budget for ARGV[1] ms (never shortening a longer block).
const BLOCK: &str = r#"
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ms then
  redis.call('SET', KEYS[1], '1', 'PX', ms)
end
return 1
"#;

/// Longest a single store operation may take when the call's deadline is further.
const STORE_OP_TIMEOUT: Duration = Duration::from_secs(5);

struct Scripts {
    acquire: redis::Script,
    finish: redis::Script,
    block: redis::Script,
}

fn scripts() -> &'static Scripts {
    static S: OnceLock<Scripts> = OnceLock::new();
    S.get_or_init(|| Scripts {
        acquire: redis::Script::new(ACQUIRE),
        finish: redis::Script::new(FINISH),
        block: redis::Script::new(BLOCK),
    })
}

/// One store URL's client and (per process) connection.
pub struct RedisStore {
    client: redis::Client,
    display: String,
    conn: tokio::sync::Mutex<Option<(u32, redis::aio::MultiplexedConnection)>>,
    prefix: String,
    counter: AtomicU64,
}

static STORES: OnceLock<Mutex<HashMap<String, Arc<RedisStore>>>> = OnceLock::new();

/// The URL with any password replaced, for messages and reprs.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            u.to_string()
        }
        Err(_) => url.to_string(),
    }
}

fn store_error(display: &str, what: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Connection,
        format!(
            "the rate-limit store {display} could not be used ({what}); the request was not sent"
        ),
    )
}

impl RedisStore {
    /// The process-wide store for `url` (checked here, connected on first use).
    pub fn shared(url: &str) -> Result<Arc<RedisStore>> {
        let mut stores = STORES
            .get_or_init(|| Mutex::new(HashMap::new()))
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(s) = stores.get(url) {
            return Ok(s.clone());
        }
        let display = redact(url);
        let client = redis::Client::open(url).map_err(|e| {
            Error::config(format!(
                "rate_limit store {display:?} is not a usable Redis URL: {e}"
            ))
        })?;
        let store = Arc::new(RedisStore {
            client,
            display,
            conn: tokio::sync::Mutex::new(None),
            prefix: format!("{:016x}", rand::random::<u64>()),
            counter: AtomicU64::new(0),
        });
        stores.insert(url.to_string(), store.clone());
        Ok(store)
    }

    pub fn display_url(&self) -> &str {
        &self.display
    }

    fn keys(budget: &str) -> (String, String) {
        (
            format!("reelkit:ratelimit:{budget}"),
            format!("reelkit:ratelimit:{budget}:block"),
        )
    }

    /// The connection of this process (a forked child connects anew).
    async fn connection(&self, timeout: Duration) -> Result<redis::aio::MultiplexedConnection> {
        let pid = std::process::id();
        let mut slot = self.conn.lock().await;
        if let Some((owner, c)) = slot.as_ref() {
            if *owner == pid {
                return Ok(c.clone());
            }
            // The parent's connection task does not run here.
            std::mem::forget(slot.take());
        }
        let config = redis::AsyncConnectionConfig::new()
            .set_connection_timeout(timeout)
            .set_response_timeout(STORE_OP_TIMEOUT);
        let conn = tokio::time::timeout(
            timeout,
            self.client
                .get_multiplexed_async_connection_with_config(&config),
        )
        .await
        .map_err(|_| store_error(&self.display, "no connection within the timeout"))?
        .map_err(|e| store_error(&self.display, e))?;
        *slot = Some((pid, conn.clone()));
        Ok(conn)
    }

    async fn forget_connection(&self) {
        *self.conn.lock().await = None;
    }

    /// Take a turn under `rules`: `Ok(Ok(member))` when taken, `Ok(Err(wait))` when
    /// the budget allows the next turn only after `wait`.
    pub async fn acquire(
        &self,
        budget: &str,
        rules: &[Rule],
        deadline: Instant,
    ) -> Result<std::result::Result<String, Duration>> {
        let timeout = deadline
            .saturating_duration_since(Instant::now())
            .clamp(Duration::from_millis(1), STORE_OP_TIMEOUT);
        let mut conn = self.connection(timeout).await?;
        let member = format!(
            "{}:{}",
            self.prefix,
            self.counter.fetch_add(1, Ordering::Relaxed)
        );
        let (log_key, block_key) = Self::keys(budget);
        let mut call = scripts().acquire.prepare_invoke();
        call.key(&log_key).key(&block_key).arg(&member);
        for r in rules {
            call.arg(r.requests).arg((r.per.as_millis() as u64).max(1));
        }
        let result = tokio::time::timeout(timeout, call.invoke_async::<i64>(&mut conn)).await;
        match result {
            Ok(Ok(0)) => Ok(Ok(member)),
            Ok(Ok(ms)) => Ok(Err(Duration::from_millis(ms.max(1) as u64))),
            Ok(Err(e)) => {
                self.forget_connection().await;
                Err(store_error(&self.display, e))
            }
            Err(_) => {
                self.forget_connection().await;
                Err(store_error(&self.display, "no answer within the timeout"))
            }
        }
    }

    /// Move the turn `member` to now (in the background: the response is not held).
    pub fn finish(self: Arc<Self>, budget: &str, member: String) {
        let (log_key, _) = Self::keys(budget);
        self.spawn(move |store, mut conn| async move {
            let r = scripts()
                .finish
                .key(&log_key)
                .arg(&member)
                .invoke_async::<i64>(&mut conn)
                .await;
            if let Err(e) = r {
                log::debug!(
                    "rate-limit store {}: finishing a turn failed: {e}",
                    store.display
                );
            }
        });
    }

    /// Block the budget for `wait` (after a 429), for every process.
    pub fn block(self: Arc<Self>, budget: &str, wait: Duration) {
        let (_, block_key) = Self::keys(budget);
        let ms = (wait.as_millis() as u64).max(1);
        self.spawn(move |store, mut conn| async move {
            let r = scripts()
                .block
                .key(&block_key)
                .arg(ms)
                .invoke_async::<i64>(&mut conn)
                .await;
            if let Err(e) = r {
                log::debug!(
                    "rate-limit store {}: recording a 429 failed: {e}",
                    store.display
                );
            }
        });
    }

    fn spawn<F, Fut>(self: Arc<Self>, f: F)
    where
        F: FnOnce(Arc<Self>, redis::aio::MultiplexedConnection) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send,
    {
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            return;
        };
        handle.spawn(async move {
            match self.connection(STORE_OP_TIMEOUT).await {
                Ok(conn) => {
                    let _ = tokio::time::timeout(STORE_OP_TIMEOUT, f(self.clone(), conn)).await;
                }
                Err(e) => log::debug!("{e}"),
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("redis://user:hunter2@127.0.0.1:6379/0"),
            "redis://user:***@127.0.0.1:6379/0"
        );
        assert_eq!(
            redact("redis://127.0.0.1:6379/1"),
            "redis://127.0.0.1:6379/1"
        );
    }

    #[test]
    fn bad_urls_are_refused_up_front() {
        let e = RedisStore::shared("http://127.0.0.1:6379")
            .err()
            .expect("not a Redis URL");
        assert_eq!(e.kind, ErrorKind::Config);
    }
}
