"""Received webhook events in SQLite (stdlib `sqlite3`, no ORM, no migrations).

The primary key on the job id makes the claim atomic across threads and processes
(runserver threads, gunicorn workers): only the delivery whose INSERT succeeds
processes the job; the others see "duplicate" or, while it is being processed, "busy".
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Iterator
from typing import Any

# A claim older than this was left by a worker that died mid-processing: take it over.
STALE_CLAIM_SECONDS = 120.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    key TEXT PRIMARY KEY,
    state TEXT NOT NULL,              -- 'processing' or 'recorded'
    claimed_at REAL NOT NULL,
    data TEXT                         -- the confirmed event, as JSON
);
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    provider TEXT NOT NULL,
    key TEXT,
    outcome TEXT NOT NULL,
    at REAL NOT NULL
);
"""


class EventStore:
    def __init__(self, path: str) -> None:
        self.path = path
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # One short-lived autocommit connection per operation: safe from any thread.
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            yield db
        finally:
            db.close()

    def begin(self, key: str) -> str:
        """ "new" (the caller processes the job), "duplicate" or "busy"."""
        now = time.time()
        with self._connect() as db:
            # IMMEDIATE: the check and the claim happen under one write lock.
            db.execute("BEGIN IMMEDIATE")
            try:
                claim = self._claim(db, key, now)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            return claim

    @staticmethod
    def _claim(db: sqlite3.Connection, key: str, now: float) -> str:
        inserted = db.execute(
            "INSERT INTO events (key, state, claimed_at) VALUES (?, 'processing', ?) "
            "ON CONFLICT(key) DO NOTHING",
            (key, now),
        ).rowcount
        if inserted:
            return "new"
        state, claimed_at = db.execute(
            "SELECT state, claimed_at FROM events WHERE key = ?", (key,)
        ).fetchone()
        if state == "recorded":
            return "duplicate"
        if now - claimed_at > STALE_CLAIM_SECONDS:
            db.execute("UPDATE events SET claimed_at = ? WHERE key = ?", (now, key))
            return "new"
        return "busy"

    def finish(self, key: str, event: dict[str, Any] | None) -> None:
        """Record the confirmed `event`, or (None) drop the claim so a retry can."""
        with self._connect() as db:
            if event is None:
                db.execute("DELETE FROM events WHERE key = ? AND state = 'processing'", (key,))
            else:
                db.execute(
                    "UPDATE events SET state = 'recorded', data = ? WHERE key = ?",
                    (json.dumps(event, default=str), key),
                )

    def log(self, provider: str, key: str | None, outcome: str) -> None:
        with self._connect() as db:
            db.execute(
                "INSERT INTO deliveries (provider, key, outcome, at) VALUES (?, ?, ?, ?)",
                (provider, key, outcome, time.time()),
            )

    def events(self) -> dict[str, Any]:
        with self._connect() as db:
            rows = db.execute("SELECT key, data FROM events WHERE state = 'recorded'").fetchall()
        return {key: json.loads(data) for key, data in rows}

    def deliveries(self) -> list[dict[str, Any]]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT provider, key, outcome, at FROM deliveries ORDER BY id"
            ).fetchall()
        return [dict(zip(("provider", "key", "outcome", "at"), r, strict=True)) for r in rows]
