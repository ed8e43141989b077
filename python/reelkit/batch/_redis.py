# The shared ledger: one Redis hash per row; every claim, renewal and write is one Lua
# script (atomic on the server, timed by the server's clock), so runners on several
# machines can share a batch. Needs the optional `redis` package (reelkit[redis]).
"""`RedisLedger`: a batch ledger that several runners (processes, machines, task-queue
workers) share.

    ledger = "redis://localhost:6379/0?batch=spring-campaign"

Keys live under ``reelkit:batch:{NAME}:`` (NAME from ``?batch=``, default
``default``): ``meta`` (provider, schema), ``order`` (the rows' input order) and one
``row:KEY`` hash per row with its parameters, state, steps, and the claim: who holds
it (``owner``) and until when (``lease``, the server's clock in ms). Nothing
derived from an API key is ever part of a name or a value.

Claims, renewals and writes are Lua scripts, so a row's state changes atomically: of
two runners claiming a row, one gets it; a runner whose lease expired and was taken
over writes nothing more to it. Registration (which may reset a changed, unpaid row)
is a WATCH/MULTI transaction, retried when a row changes under it.

Durability is the server's: run Redis with ``appendonly yes`` (``appendfsync always``
gives the SQLite ledger's guarantee that an intent is on disk before its POST goes
out; ``everysec`` may lose the last second in a power cut).

One thread per ledger talks to Redis: it takes whatever is queued and sends it as one
pipeline (a round trip for many rows' writes), in the order it was submitted.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import queue
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .._errors import ReelkitError, ValidationError
from ._ledger import Entry, Ledger, LostClaim, Record, canonical_json

__all__ = ["RedisLedger", "redact_url"]

SCHEMA_VERSION = "1"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")
_CHUNK = 500  # rows per registration transaction / read pipeline

# -- the scripts (KEYS[1] is the row's hash unless said otherwise) ------------------------

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# ARGV: owner, lease ms -> {1, fields} claimed; {2, holder} held by a live runner; {0} absent.
_CLAIM = (
    _NOW
    + """
local f = redis.call('HMGET', KEYS[1], 'owner', 'lease', 'seq')
if not f[3] then return {0} end
if f[1] and f[1] ~= ARGV[1] and tonumber(f[2] or '0') >= now then return {2, f[1]} end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'lease', now + tonumber(ARGV[2]))
return {1, redis.call('HGETALL', KEYS[1])}
"""
)

# ARGV: owner ('' = unclaimed write), state, data, release ('1'), lease ms
# -> 1 written; 0 the row is not (or no longer) the owner's; -1 no such row.
_PERSIST = (
    _NOW
    + """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if ARGV[1] ~= '' and redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'data', ARGV[3], 'updated', tostring(now / 1000))
if ARGV[4] == '1' then
  redis.call('HDEL', KEYS[1], 'owner', 'lease')
elseif ARGV[1] ~= '' then
  redis.call('HSET', KEYS[1], 'lease', now + tonumber(ARGV[5]))
end
return 1
"""
)

# KEYS: rows; ARGV: owner, lease ms -> the (1-based) positions of rows no longer held.
_RENEW = (
    _NOW
    + """
local lost = {}
for i, key in ipairs(KEYS) do
  if redis.call('HGET', key, 'owner') == ARGV[1] then
    redis.call('HSET', key, 'lease', now + tonumber(ARGV[2]))
  else
    lost[#lost + 1] = i
  end
end
return lost
"""
)

# ARGV: owner -> 1 released, 0 not held.
_RELEASE = """
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'owner', 'lease')
  return 1
end
return 0
"""


def redact_url(url: str) -> str:
    """`url` with its password replaced (for reprs and messages)."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<a Redis URL that cannot be parsed>"
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def _split(url: str) -> tuple[str, str]:
    """(the URL for redis-py, the batch name) from ``redis://...?batch=NAME``."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    names = [v for k, v in query if k == "batch"]
    rest = [(k, v) for k, v in query if k != "batch"]
    name = names[-1] if names else "default"
    if not _NAME.fullmatch(name):
        raise ValidationError(
            "ledger",
            f"batch={name!r} in {redact_url(url)}: a batch name is 1-100 letters, digits, "
            "'.', '_', ':' or '-', starting with a letter or digit",
        )
    plain = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(rest)))
    return plain, name


def _record(fields: dict[str, str]) -> Record:
    rec = Record(
        key=fields["key"],
        op=fields["op"],
        params=json.loads(fields["params"]),
        params_hash=fields["params_hash"],
        seq=int(fields["seq"]),
        state=fields["state"],
        updated=float(fields.get("updated") or 0.0),
        owner=fields.get("owner") or None,
    )
    rec.load_data(fields.get("data"))
    return rec


def _fields(rec: Record, now: float, params_json: str | None = None) -> dict[str, Any]:
    return {
        "key": rec.key,
        "seq": rec.seq,
        "op": rec.op,
        "params": params_json or canonical_json(rec.params),
        "params_hash": rec.params_hash,
        "state": rec.state,
        "data": rec.encode(),
        "updated": repr(now),
    }


def _pairs(flat: list[str]) -> dict[str, str]:
    return dict(zip(flat[::2], flat[1::2], strict=True))


class _Script:
    """A queued script call: sent in the writer's next pipeline."""

    __slots__ = ("args", "convert", "future", "keys", "script")

    def __init__(
        self,
        script: Any,
        keys: list[str],
        args: list[Any],
        convert: Callable[[Any], Any],
        future: concurrent.futures.Future[Any] | None,
    ) -> None:
        self.script, self.keys, self.args = script, keys, args
        self.convert, self.future = convert, future


class RedisLedger(Ledger):
    """The shared ledger at ``redis://host:port/db[?batch=NAME]`` (see the module)."""

    shared = True

    def __init__(self, url: str) -> None:
        try:
            import redis
        except ImportError:
            raise ValidationError(
                "ledger",
                "a redis:// ledger needs the redis package: pip install 'reelkit[redis]'",
            ) from None
        self.location = redact_url(url)
        plain, self.name = _split(url)
        self._prefix = f"reelkit:batch:{{{self.name}}}:"
        self._meta = self._prefix + "meta"
        self._order = self._prefix + "order"
        try:
            self._client = redis.Redis.from_url(
                plain, decode_responses=True, socket_connect_timeout=5, socket_timeout=30
            )
            self._client.ping()
            schema: str | None = self._client.hget(self._meta, "schema")  # type: ignore[assignment]
        except (redis.RedisError, ValueError, OSError) as exc:
            raise ValidationError(
                "ledger", f"cannot use Redis at {self.location}: {exc} (nothing was sent)"
            ) from None
        if schema is not None and schema != SCHEMA_VERSION:
            raise ValidationError(
                "ledger",
                f"{self.location} holds ledger schema {schema}; this reelkit reads schema "
                f"{SCHEMA_VERSION}",
            )
        self._redis_error = redis.RedisError
        self._watch_error = redis.WatchError
        self._claim = self._client.register_script(_CLAIM)
        self._persist = self._client.register_script(_PERSIST)
        self._renew = self._client.register_script(_RENEW)
        self._release = self._client.register_script(_RELEASE)
        # Rows each owner of this process holds (renewed together by `renew`); only
        # the writer thread touches it.
        self._held: dict[str, set[str]] = {}
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._errors: list[BaseException] = []
        self._lock = threading.Lock()
        self._closed = False
        self._pid = os.getpid()
        self._thread = threading.Thread(target=self._writer, name="reelkit-ledger", daemon=True)
        self._thread.start()

    def _row(self, key: str) -> str:
        return self._prefix + "row:" + key

    # -- the writer thread -----------------------------------------------------------

    def _writer(self) -> None:
        stop = False
        while not stop:
            items = [self._queue.get()]
            while True:
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            scripts: list[_Script] = []
            for item in items:
                if item is None:
                    stop = True
                elif isinstance(item, _Script):
                    scripts.append(item)
                else:  # a call: after every script queued before it
                    self._send(scripts)
                    scripts = []
                    fn, future = item
                    self._settle(future, fn)
            self._send(scripts)

    def _settle(self, future: concurrent.futures.Future[Any] | None, fn: Callable[[], Any]) -> None:
        try:
            value = fn()
        except BaseException as exc:
            if isinstance(exc, self._redis_error):
                exc = ReelkitError(f"the batch ledger {self.location} failed: {exc}")
            if future is None:
                if not isinstance(exc, LostClaim):  # dropped: the row is another's
                    self._errors.append(exc)
            elif not future.cancelled():
                future.set_exception(exc)
            return
        if future is not None and not future.cancelled():
            future.set_result(value)

    def _send(self, scripts: list[_Script]) -> None:
        if not scripts:
            return
        try:
            with self._client.pipeline(transaction=False) as pipe:
                for s in scripts:
                    s.script(keys=s.keys, args=s.args, client=pipe)
                results = pipe.execute(raise_on_error=False)
        except Exception as exc:
            failure = ReelkitError(f"the batch ledger {self.location} could not be written: {exc}")
            results = [failure] * len(scripts)
        for s, result in zip(scripts, results, strict=True):

            def convert(s: _Script = s, result: Any = result) -> Any:
                if isinstance(result, BaseException):
                    raise result
                return s.convert(result)

            # Run even if the caller stopped waiting: the ids it wrote are what counts.
            self._settle(s.future, convert)

    def _submit_script(
        self,
        script: Any,
        keys: list[str],
        args: list[Any],
        convert: Callable[[Any], Any],
        *,
        wait: bool = True,
    ) -> concurrent.futures.Future[Any] | None:
        future: concurrent.futures.Future[Any] | None = (
            concurrent.futures.Future() if wait else None
        )
        self._put(_Script(script, keys, args, convert, future))
        return future

    def _submit(self, fn: Callable[[], Any]) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._put((fn, future))
        return future

    def _put(self, item: Any) -> None:
        with self._lock:
            if self._closed:
                raise ReelkitError(f"the batch ledger {self.location} is closed")
            if os.getpid() != self._pid:  # its thread stayed in the parent
                raise ReelkitError(
                    f"the batch ledger {self.location} was opened before this process "
                    "was forked: open it (or pass its URL) in each process"
                )
            self._queue.put(item)

    def _call(self, fn: Callable[[], Any]) -> Any:
        return self._submit(fn).result()

    def _ms(self) -> int:
        return max(1, round(self.lease * 1000))

    # -- Ledger --------------------------------------------------------------------------

    def provider(self) -> str | None:
        return self._call(lambda: self._client.hget(self._meta, "provider"))  # type: ignore[no-any-return]

    def register(
        self, provider: str, entries: Sequence[Entry], owner: str | None = None
    ) -> dict[str, Record]:
        def write() -> dict[str, Record]:
            out: dict[str, Record] = {}
            for i in range(0, len(entries), _CHUNK):
                out.update(self._register_chunk(provider, entries[i : i + _CHUNK]))
            if owner is not None:
                for key in list(out):
                    result = self._claim(keys=[self._row(key)], args=[owner, self._ms()])
                    if result[0] == 2:
                        out[key].owner = result[1]  # who holds it
                    else:
                        out[key] = self._claimed(key, owner, result) or out[key]
            return out

        return self._call(write)  # type: ignore[no-any-return]

    def _register_chunk(self, provider: str, entries: Sequence[Entry]) -> dict[str, Record]:
        keys = [self._row(e.key) for e in entries]
        while True:
            with self._client.pipeline(transaction=True) as tx:
                try:
                    tx.watch(self._meta, *keys)
                    return self._register_watched(tx, provider, entries, keys)
                except self._watch_error:
                    continue  # a row changed meanwhile: read it again

    def _register_watched(
        self, tx: Any, provider: str, entries: Sequence[Entry], keys: list[str]
    ) -> dict[str, Record]:
        found = tx.hget(self._meta, "provider")
        if found is not None and found != provider:
            raise ValidationError(
                "ledger",
                f"{self.location} records a {found} batch; use another batch name "
                f"(?batch=NAME) for {provider} rows",
            )
        with self._client.pipeline(transaction=False) as read:
            for k in keys:
                read.hgetall(k)
            read.time()
            *current, (secs, micros) = read.execute()
        now = secs + micros / 1e6
        out: dict[str, Record] = {}
        writes: list[tuple[str, dict[str, Any], Entry | None]] = []
        for e, key, fields in zip(entries, keys, current, strict=True):
            if not fields:
                rec = Record(e.key, e.op, e.params, e.params_hash, e.seq, updated=now)
                writes.append((key, _fields(rec, now, e.params_text()), e))
            else:
                rec = _record(fields)
                if rec.params_hash != e.params_hash or rec.op != e.op:
                    self._check_reset(rec, fields, now)
                    if rec.steps:
                        rec.history.append({"params": rec.params, "steps": rec.steps})
                    rec.op, rec.params, rec.params_hash = e.op, e.params, e.params_hash
                    rec.steps, rec.state, rec.error, rec.seq = {}, "pending", None, e.seq
                    rec.updated = now
                    writes.append((key, _fields(rec, now), None))
            out[e.key] = rec
        tx.multi()
        if found is None:
            tx.hset(self._meta, mapping={"provider": provider, "schema": SCHEMA_VERSION})
        for key, mapping, new in writes:
            tx.hset(key, mapping=mapping)
            if new is not None:
                tx.zadd(self._order, {new.key: new.seq}, nx=True)
        tx.execute()
        return out

    def _check_reset(self, rec: Record, fields: dict[str, str], now: float) -> None:
        """A changed row starts over only if nothing was paid for it and no live runner
        holds it (the caller checked the first before; this is the atomic check)."""
        if rec.paid_progress():
            raise ValidationError(
                f"row {rec.key!r}",
                f"its parameters changed since the ledger {self.location} recorded it and "
                "its request was already sent; restore them, or give the row a new key",
            )
        lease = float(fields.get("lease") or 0) / 1000
        if rec.owner and lease >= now:
            raise ValidationError(
                f"row {rec.key!r}",
                f"another runner ({rec.owner}) is running it with other parameters right now",
            )

    def _claimed(self, key: str, owner: str, result: Any) -> Record | None:
        if result[0] == 0:
            raise ValidationError("key", f"{key!r} is not in the ledger {self.location}")
        if result[0] == 2:
            return None
        self._held.setdefault(owner, set()).add(key)
        return _record(_pairs(result[1]))

    def claim(self, key: str, owner: str) -> concurrent.futures.Future[Record | None]:
        future = self._submit_script(
            self._claim,
            [self._row(key)],
            [owner, self._ms()],
            lambda result: self._claimed(key, owner, result),
        )
        assert future is not None
        return future

    def flush(self) -> concurrent.futures.Future[None]:
        def barrier() -> None:
            # Runs after every write queued before it (one writer, in order).
            if self._errors:
                error, self._errors[:] = self._errors[0], []
                raise error

        return self._submit(barrier)

    def renew(self, owner: str) -> concurrent.futures.Future[None]:
        def write() -> None:
            held = sorted(self._held.get(owner, ()))
            if not held:
                return
            lost = self._renew(keys=[self._row(k) for k in held], args=[owner, self._ms()])
            for i in lost:
                self._held[owner].discard(held[int(i) - 1])

        return self._submit(write)

    def _let_go(self, key: str, owner: str | None) -> None:
        if owner is not None:
            self._held.get(owner, set()).discard(key)

    def release(self, key: str, owner: str) -> None:
        def done(result: Any) -> None:
            self._let_go(key, owner)

        self._submit_script(self._release, [self._row(key)], [owner], done, wait=False)

    def persist(
        self, record: Record, owner: str | None, *, wait: bool = True, release: bool = False
    ) -> concurrent.futures.Future[None] | None:
        # Encoded now: the record goes on changing while the write waits in the queue.
        args = [owner or "", record.state, record.encode(), "1" if release else "0", self._ms()]
        key = record.key

        def check(result: Any) -> None:
            if result == 1:
                if release:
                    self._let_go(key, owner)
                return
            self._let_go(key, owner)
            if result == -1:
                raise ValidationError("key", f"{key!r} is not in the ledger {self.location}")
            raise LostClaim(
                f"row {key!r}: another runner took it over (its claim expired); this runner "
                "stopped driving it"
            )

        return self._submit_script(self._persist, [self._row(key)], args, check, wait=wait)

    def records(self, keys: Iterable[str] | None = None) -> list[Record]:
        wanted = None if keys is None else list(keys)

        def read() -> list[Record]:
            names: list[str] = (
                wanted if wanted is not None else self._client.zrange(self._order, 0, -1)  # type: ignore[assignment]
            )
            out: list[Record] = []
            for i in range(0, len(names), _CHUNK):
                chunk = names[i : i + _CHUNK]
                with self._client.pipeline(transaction=False) as pipe:
                    for name in chunk:
                        pipe.hgetall(self._row(name))
                    out += [_record(f) for f in pipe.execute() if f]
            return out

        return self._call(read)  # type: ignore[no-any-return]

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(None)
        self._thread.join()
        self._client.close()

    def __repr__(self) -> str:
        return f"<RedisLedger {self.location}>"
