"""A Celery app that makes videos with reelkit.batch, one task per row.

Redis is the broker, the batch ledger and the shared rate-limit store. Each task calls
`reelkit.batch.run_row`, which claims its row in the ledger, runs or resumes it and
records its end. With `acks_late=True` and `task_reject_on_worker_lost=True` a task
whose worker process dies (OOM, SIGKILL, a lost machine) goes back to the queue; the
worker that gets it finds the row in the ledger, waits until the dead worker's claim
(its lease) has run out, and resumes it from the recorded job id: nothing is paid
twice, and a request whose answer was never recorded is reported `unknown`, not resent.

    celery -A tasks worker --concurrency 4        # in this folder; see README.md

Settings (environment): REDIS_URL (redis://127.0.0.1:6379/0), BATCH_NAME (videos),
BATCH_PROVIDER (hoox or hooked), BATCH_LEASE (seconds, 30), BATCH_OUT (a folder to
download the videos to; unset: no download), BATCH_RATE_LIMIT (requests/seconds shared
by every worker, 100/60; "off" for none), and the client's usual HOOX_API_KEY /
HOOX_BASE_URL (HOOKED_* for Hooked).
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

import reelkit
import reelkit.batch

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
BATCH_NAME = os.environ.get("BATCH_NAME", "videos")
PROVIDER = os.environ.get("BATCH_PROVIDER", "hoox")
LEASE = float(os.environ.get("BATCH_LEASE", "30"))
OUT = os.environ.get("BATCH_OUT") or None
RATE_LIMIT = os.environ.get("BATCH_RATE_LIMIT", "100/60")
#: The ledger: the same Redis, under reelkit:batch:{BATCH_NAME}:*.
LEDGER = f"{REDIS_URL}{'&' if '?' in REDIS_URL else '?'}batch={BATCH_NAME}"

app = Celery("celery_batch", broker=REDIS_URL)
app.conf.update(
    task_acks_late=True,  # acknowledged once the task returns, not when it starts
    task_reject_on_worker_lost=True,  # a task whose process died is queued again
    worker_prefetch_multiplier=1,  # a worker takes one row at a time
    task_serializer="json",
    accept_content=["json"],
    # Longer than the longest row: a message not acknowledged by then is delivered
    # again (harmless, the ledger keeps the row to one runner, but wasted work).
    broker_transport_options={"visibility_timeout": 6 * 3600},
    broker_connection_retry_on_startup=True,
)

_client: Any = None
_client_pid = 0


def rate_limit() -> reelkit.RateLimit | None:
    """One request budget for every worker, kept in the same Redis: the key's budget is
    shared by every process and machine (Celery's own `rate_limit` is per worker)."""
    if RATE_LIMIT.strip().lower() == "off":
        return None
    requests, _, seconds = RATE_LIMIT.partition("/")
    return reelkit.RateLimit(int(requests), float(seconds or 60), store=REDIS_URL)


def client() -> Any:
    """The worker process's client, made in the process itself: a client made before
    Celery forks its pool would be shared by the children."""
    global _client, _client_pid
    if _client is None or _client_pid != os.getpid():
        limit = rate_limit()
        options: dict[str, Any] = {} if limit is None else {"rate_limit": limit}
        cls = reelkit.Hoox if PROVIDER == "hoox" else reelkit.Hooked
        _client, _client_pid = cls(**options), os.getpid()
    return _client


@app.task(name="celery_batch.run_row", acks_late=True, reject_on_worker_lost=True)
def run_row(key: str) -> dict[str, Any]:
    """Make one row's video; returns its BatchRow as a dict (state, ids, credits)."""
    row = reelkit.batch.run_row(client(), LEDGER, key, out_dir=OUT, lease=LEASE)
    return row.to_dict()
