# The embedded ledger: one SQLite file (WAL, synchronous=FULL), written by one thread
# that commits whatever is queued together, so hundreds of rows share each fsync.
"""`SQLiteLedger`: the default batch ledger, a single file next to your data.

Every write goes through one writer thread. It takes everything queued, applies it in
one transaction and commits (an fsync in WAL mode with ``synchronous=FULL``), then
resolves each write's future: a caller that waits for its future knows the write is
on disk, and many rows' writes share one commit. Claims are leases in the table
itself, so several processes on one machine can share a ledger file safely.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .._errors import ReelkitError, ValidationError
from ._ledger import Entry, Ledger, LostClaim, Record, canonical_json, owner_is_dead

__all__ = ["SQLiteLedger"]

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rows (
    key TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    op TEXT NOT NULL,
    params TEXT NOT NULL,
    params_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    data TEXT NOT NULL,
    owner TEXT,
    lease_until REAL,
    updated REAL NOT NULL
) WITHOUT ROWID;
"""

_COLUMNS = "key, seq, op, params, params_hash, state, data, owner, updated"

# Most writes one commit takes (bounds a transaction's size, not the throughput).
_MAX_BATCH = 4096


class _Persist:
    """One record write (a class, so that the writer can see which row it is for and
    send a commit's writes to SQLite together)."""

    __slots__ = ("at", "data", "key", "lease", "owner", "release", "state")

    def __init__(
        self, key: str, state: str, data: str, owner: str | None, release: bool, lease: float
    ) -> None:
        self.key, self.state, self.data = key, state, data
        self.owner, self.release, self.at, self.lease = owner, release, time.time(), lease

    def statement(self) -> tuple[str, tuple[Any, ...]]:
        """The UPDATE (one of four shapes, so that writes of one shape go to SQLite in
        one `executemany`) and its arguments."""
        sql = "UPDATE rows SET state=?, data=?, updated=?"
        args: tuple[Any, ...] = (self.state, self.data, self.at)
        if self.release:
            sql += ", owner=NULL, lease_until=NULL"
        elif self.owner is not None:  # a write is a sign of life: it renews the claim
            sql += ", lease_until=?"
            args += (self.at + self.lease,)
        if self.owner is None:
            return sql + " WHERE key=?", (*args, self.key)
        # The owner was checked before (`_write_records`): this only guards the row.
        return sql + " WHERE key=? AND owner=?", (*args, self.key, self.owner)


# What the writer runs: a record write, or a function of the connection (claims, reads).
_Work = _Persist | Callable[[sqlite3.Connection], Any]

# Keys per `SELECT ... IN (...)` (SQLite before 3.32 allows 999 parameters).
_KEYS_PER_SELECT = 900


def _write_records(conn: sqlite3.Connection, writes: list[_Persist]) -> dict[str, LostClaim]:
    """Apply record writes (one per key) inside the writer's transaction: writes of one
    shape in one `executemany`, which hands the GIL over far less often than a call per
    row. A write by a runner that no longer holds its row is not applied: its key maps
    to the `LostClaim` it fails with. (The transaction holds SQLite's write lock, so no
    other process changes an owner between the check and the writes.)"""
    owned = [w.key for w in writes if w.owner is not None]
    owners: dict[str, str | None] = {}
    for at in range(0, len(owned), _KEYS_PER_SELECT):
        chunk = owned[at : at + _KEYS_PER_SELECT]
        marks = ",".join("?" * len(chunk))
        owners.update(conn.execute(f"SELECT key, owner FROM rows WHERE key IN ({marks})", chunk))
    lost: dict[str, LostClaim] = {}
    shapes: dict[str, list[tuple[Any, ...]]] = {}
    for w in writes:
        if w.owner is not None and owners.get(w.key) != w.owner:
            lost[w.key] = LostClaim(
                f"row {w.key!r}: another runner took it over (its claim expired); "
                "this runner stopped driving it"
            )
            continue
        sql, args = w.statement()
        shapes.setdefault(sql, []).append(args)
    for sql, rows in shapes.items():
        conn.executemany(sql, rows)
    return lost


def _record(row: tuple[Any, ...]) -> Record:
    key, seq, op, params, params_hash, state, data, owner, updated = row
    rec = Record(
        key=key,
        op=op,
        params=json.loads(params),
        params_hash=params_hash,
        seq=seq,
        state=state,
        updated=updated,
        owner=owner,
    )
    rec.load_data(data)
    return rec


class SQLiteLedger(Ledger):
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.location = os.fspath(path)
        parent = os.path.dirname(os.path.abspath(self.location))
        if not os.path.isdir(parent):
            raise ValidationError("ledger", f"its folder {parent} does not exist")
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._closed = False
        # Failures of writes nobody waits for, raised by the next flush().
        self._errors: list[BaseException] = []
        self._lock = threading.Lock()
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = threading.Thread(
            target=self._writer, args=(ready,), name="reelkit-ledger", daemon=True
        )
        self._thread.start()
        ready.result()  # raises if the file cannot be opened as a ledger

    # -- the writer thread -------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.location, timeout=30.0, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit is on disk (WAL fsynced) before the call returns.
            conn.execute("PRAGMA synchronous=FULL")
            # One transaction (one fsync) for a new file's schema.
            conn.executescript(f"BEGIN IMMEDIATE; {_SCHEMA}")
            found = conn.execute("SELECT value FROM meta WHERE name='schema'").fetchone()
            if found is None:
                conn.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            conn.execute("COMMIT")
            if found is not None and found[0] != SCHEMA_VERSION:
                raise ValidationError(
                    "ledger",
                    f"{self.location} has ledger schema {found[0]}; this reelkit reads "
                    f"schema {SCHEMA_VERSION}",
                )
        except sqlite3.DatabaseError as exc:
            raise ValidationError(
                "ledger", f"{self.location} cannot be used as a ledger: {exc}"
            ) from None
        return conn

    def _writer(self, ready: concurrent.futures.Future[None]) -> None:
        try:
            conn = self._connect()
        except BaseException as exc:
            ready.set_exception(exc)
            return
        ready.set_result(None)
        try:
            stop = False
            while not stop:
                batch = [self._queue.get()]
                while len(batch) < _MAX_BATCH:
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                work = []
                for item in batch:
                    if item is None:
                        stop = True
                    else:
                        work.append(item)
                if work:
                    self._apply(conn, work)
        finally:
            conn.close()

    def _apply(self, conn: sqlite3.Connection, work: list[tuple[_Work, Any]]) -> None:
        results: list[tuple[Any, Any, BaseException | None]] = []
        # A row written twice in one commit: only the last write matters (it holds the
        # whole record), and the earlier one shares its outcome.
        last = {fn.key: i for i, (fn, _) in enumerate(work) if isinstance(fn, _Persist)}
        try:
            conn.execute("BEGIN IMMEDIATE")
            at = 0
            while at < len(work):
                fn, future = work[at]
                if isinstance(fn, _Persist):
                    # A run of record writes goes to SQLite together, in queue order
                    # with the other work (claims, reads) around it.
                    writes: list[tuple[_Persist, Any]] = []
                    while at < len(work) and isinstance(work[at][0], _Persist):
                        writes.append(work[at])  # type: ignore[arg-type]
                        at += 1
                    first = at - len(writes)
                    run = [w for i, (w, _) in enumerate(writes, first) if last[w.key] == i]
                    lost = _write_records(conn, run)
                    for w, f in writes:
                        results.append((f, None, lost.get(w.key)))
                    continue
                # Run even if the caller stopped waiting (a cancelled task): a job id
                # must reach the disk whoever still listens.
                try:
                    results.append((future, fn(conn), None))
                except Exception as exc:
                    results.append((future, None, exc))
                at += 1
            for i, (fn, _) in enumerate(work):
                if isinstance(fn, _Persist) and last[fn.key] != i:
                    results[i] = (results[i][0], None, results[last[fn.key]][2])
            conn.execute("COMMIT")
        except Exception as exc:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            failure = ReelkitError(f"the batch ledger could not be written: {exc}")
            results = [(future, None, failure) for _, future in work]
        for future, value, error in results:
            if future is None:
                # A lost claim's write is dropped: the row is another runner's now.
                if error is not None and not isinstance(error, LostClaim):
                    self._errors.append(error)
            elif future.cancelled():
                continue
            elif error is not None:
                future.set_exception(error)
            else:
                future.set_result(value)

    def _submit(self, fn: _Work, *, wait: bool = True) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] | None = (
            concurrent.futures.Future() if wait else None
        )
        with self._lock:
            if self._closed:
                raise ReelkitError(f"the batch ledger {self.location} is closed")
            self._queue.put((fn, future))
        return future  # type: ignore[return-value]

    def _call(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        return self._submit(fn).result()

    # -- Ledger --------------------------------------------------------------------------

    def provider(self) -> str | None:
        def read(conn: sqlite3.Connection) -> str | None:
            row = conn.execute("SELECT value FROM meta WHERE name='provider'").fetchone()
            return row[0] if row else None

        return self._call(read)  # type: ignore[no-any-return]

    def register(
        self, provider: str, entries: Sequence[Entry], owner: str | None = None
    ) -> dict[str, Record]:
        now = time.time()

        def write(conn: sqlite3.Connection) -> dict[str, Record]:
            found = conn.execute("SELECT value FROM meta WHERE name='provider'").fetchone()
            if found is None:
                conn.execute("INSERT INTO meta VALUES ('provider', ?)", (provider,))
            elif found[0] != provider:
                raise ValidationError(
                    "ledger",
                    f"{self.location} records a {found[0]} batch; use another file for "
                    f"{provider} rows",
                )
            leases: dict[str, float | None] = {}
            current = _select(conn, [e.key for e in entries], leases)
            out: dict[str, Record] = {}
            inserts, claims = [], []
            lease = now + self.lease if owner is not None else None
            fresh = Record("", "", {}, "", 0).encode()  # a new row's data
            for e in entries:
                rec = current.get(e.key)
                if rec is None:
                    # New rows are claimed as they are written.
                    rec = Record(e.key, e.op, e.params, e.params_hash, e.seq, updated=now)
                    rec.owner = owner
                    inserts.append((*_row(rec, e.params_text(), fresh), owner, lease))
                    out[e.key] = rec
                    continue
                if rec.params_hash != e.params_hash or rec.op != e.op:
                    # Nothing was paid for it (the caller checked): start over.
                    if rec.steps:
                        rec.history.append({"params": rec.params, "steps": rec.steps})
                    rec.op, rec.params, rec.params_hash = e.op, e.params, e.params_hash
                    rec.steps, rec.state, rec.error, rec.seq = {}, "pending", None, e.seq
                    conn.execute(
                        "UPDATE rows SET seq=?, op=?, params=?, params_hash=?, state=?, data=?,"
                        " updated=? WHERE key=?",
                        (*_row(rec)[1:7], now, rec.key),
                    )
                if owner is not None and _free(rec.owner, leases.get(e.key), owner, now):
                    rec.owner = owner
                    claims.append((owner, lease, e.key))
                out[e.key] = rec
            conn.executemany(
                "INSERT INTO rows (key, seq, op, params, params_hash, state, data, updated,"
                " owner, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                inserts,
            )
            conn.executemany("UPDATE rows SET owner=?, lease_until=? WHERE key=?", claims)
            return out

        return self._call(write)  # type: ignore[no-any-return]

    def claim(self, key: str, owner: str) -> concurrent.futures.Future[Record | None]:
        return self._submit(
            lambda conn: _claim(conn, key, owner, time.time(), self.location, self.lease)
        )

    def flush(self) -> concurrent.futures.Future[None]:
        def barrier(conn: sqlite3.Connection) -> None:
            # Runs after every write queued before it (one writer, in order).
            if self._errors:
                error, self._errors[:] = self._errors[0], []
                raise error

        return self._submit(barrier)

    def renew(self, owner: str) -> concurrent.futures.Future[None]:
        until = time.time() + self.lease

        def write(conn: sqlite3.Connection) -> None:
            conn.execute("UPDATE rows SET lease_until=? WHERE owner=?", (until, owner))

        return self._submit(write)

    def release(self, key: str, owner: str) -> None:
        def write(conn: sqlite3.Connection) -> None:
            conn.execute(
                "UPDATE rows SET owner=NULL, lease_until=NULL WHERE key=? AND owner=?",
                (key, owner),
            )

        self._submit(write, wait=False)

    def persist(
        self, record: Record, owner: str | None, *, wait: bool = True, release: bool = False
    ) -> concurrent.futures.Future[None] | None:
        # Encoded now: the record goes on changing while the write waits in the queue.
        write = _Persist(record.key, record.state, record.encode(), owner, release, self.lease)
        future = self._submit(write, wait=wait)
        return future if wait else None

    def records(self, keys: Iterable[str] | None = None) -> list[Record]:
        wanted = None if keys is None else list(keys)

        def read(conn: sqlite3.Connection) -> list[Record]:
            if wanted is None:
                rows = conn.execute(f"SELECT {_COLUMNS} FROM rows ORDER BY seq, key").fetchall()
                return [_record(r) for r in rows]
            found = _select(conn, wanted)
            return [found[k] for k in wanted if k in found]

        return self._call(read)  # type: ignore[no-any-return]

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(None)
        self._thread.join()

    def __repr__(self) -> str:
        return f"<SQLiteLedger {self.location}>"


def _row(rec: Record, params_json: str = "", data: str = "") -> tuple[Any, ...]:
    """The row's columns as `_COLUMNS` lists them (without the owner); `params_json`
    and `data` when they are already encoded."""
    return (
        rec.key,
        rec.seq,
        rec.op,
        params_json or canonical_json(rec.params),
        rec.params_hash,
        rec.state,
        data or rec.encode(),
        rec.updated,
    )


def _free(holder: str | None, lease_until: float | None, owner: str, now: float) -> bool:
    """Whether `owner` may take a row `holder` holds until `lease_until`."""
    return holder is None or holder == owner or (lease_until or 0) < now or owner_is_dead(holder)


def _claim(
    conn: sqlite3.Connection, key: str, owner: str, now: float, location: str, lease: float
) -> Record | None:
    """Take the row unless a live runner holds it (inside the writer's transaction,
    which BEGIN IMMEDIATE makes exclusive across processes)."""
    row = conn.execute(f"SELECT {_COLUMNS}, lease_until FROM rows WHERE key=?", (key,)).fetchone()
    if row is None:
        raise ValidationError("key", f"{key!r} is not in the ledger {location}")
    if not _free(row[7], row[9], owner, now):
        return None
    conn.execute("UPDATE rows SET owner=?, lease_until=? WHERE key=?", (owner, now + lease, key))
    rec = _record(row[:9])
    rec.owner = owner
    return rec


def _select(
    conn: sqlite3.Connection, keys: list[str], leases: dict[str, float | None] | None = None
) -> dict[str, Record]:
    out: dict[str, Record] = {}
    # SQLite caps bound parameters (32,766 since 3.32); stay well below.
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT {_COLUMNS}, lease_until FROM rows WHERE key IN ({marks})"
        for row in conn.execute(sql, chunk):
            out[row[0]] = _record(row[:9])
            if leases is not None:
                leases[row[0]] = row[9]
    return out
