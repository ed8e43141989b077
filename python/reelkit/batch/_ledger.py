# The ledger interface: what a batch records about each row, and the few operations
# every store (SQLite, Redis) implements; `open_ledger` picks the store for a path or URL.
"""The batch ledger: one record per row, written before and after every paid step.

A `Record` holds a row's parameters (and their hash), its state and its steps. Each
step is a small dict: ``{"s": "intent"}`` before a credit-spending POST goes out,
``{"s": "ok", "v": {...ids and results...}}`` once it is answered or finished,
``{"s": "unknown"}`` when a POST may have gone out unrecorded, ``{"s": "failed",
...}`` with the error. A store implements `Ledger`: register rows, claim one (a lease,
so that two runners never drive the same row), persist a record durably, read all.
A claim lasts `Ledger.lease` seconds unless its runner renews it; a runner that lost
its claim (it stalled past its lease and another runner took the row over) can write
nothing more to that row: its writes fail with `LostClaim`.
"""

from __future__ import annotations

import abc
import concurrent.futures
import dataclasses
import json
import os
import socket
import time
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from .._errors import ReelkitError

__all__ = [
    "Entry",
    "Ledger",
    "LostClaim",
    "Record",
    "canonical_json",
    "new_owner",
    "open_ledger",
]

#: Row states as stored. `pending` and `running` become a report state when a run ends.
STATES = ("pending", "running", "done", "failed", "unknown", "skipped")
#: States a run ends a row in (another runner's row in one of them is finished).
FINAL = ("done", "failed", "unknown", "skipped")

#: How long a claim lasts without renewal (runners renew every third of it).
LEASE_SECONDS = 30.0


class LostClaim(ReelkitError):
    """A write from a runner whose claim on the row was taken over: the row is another
    runner's now, and this one must stop driving it (nothing it still holds is sent)."""


_ENCODER = json.JSONEncoder(separators=(",", ":"), default=str)
# Parameters as stored and hashed: sorted keys, so that equal parameters give equal text.
_CANONICAL = json.JSONEncoder(separators=(",", ":"), sort_keys=True)


def canonical_json(value: Any) -> str:
    """`value` as the ledger stores (and hashes) parameters."""
    return _CANONICAL.encode(value)


@dataclasses.dataclass(frozen=True)
class Entry:
    """One input row, normalised: what `register` stores."""

    key: str
    op: str
    params: dict[str, Any]
    params_hash: str
    seq: int
    #: `params` as `canonical_json` writes them (computed once, for the hash).
    params_json: str = ""

    def params_text(self) -> str:
        return self.params_json or canonical_json(self.params)


@dataclasses.dataclass
class Record:
    """A row as the ledger holds it (mutable: the pipeline updates it, then persists)."""

    key: str
    op: str
    params: dict[str, Any]
    params_hash: str
    seq: int
    state: str = "pending"
    steps: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    #: Steps of earlier attempts (resubmitted unknown or retried failed steps).
    history: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    error: str | None = None
    estimate: float | None = None
    updated: float = 0.0
    owner: str | None = None

    def data(self) -> dict[str, Any]:
        """The mutable part, as stored (JSON)."""
        return {
            "steps": self.steps,
            "history": self.history,
            "error": self.error,
            "estimate": self.estimate,
        }

    def encode(self) -> str:
        return _ENCODER.encode(self.data())

    def load_data(self, text: str | None) -> None:
        data = json.loads(text) if text else {}
        self.steps = data.get("steps") or {}
        self.history = data.get("history") or []
        self.error = data.get("error")
        self.estimate = data.get("estimate")

    def paid_progress(self) -> bool:
        """Whether a credit-spending request of this row went out (or may have) and
        its job did not end in failure: such a row's parameters can no longer change."""
        ended = {
            st.get("after")
            for st in self.steps.values()
            if st.get("s") == "failed" and st.get("final")
        }
        for name, step in self.steps.items():
            if step.get("paid") and name not in ended and step.get("s") in _SENT:
                return True
        return False


# A paid step in one of these states went out (or may have).
_SENT = ("intent", "unknown", "ok")


def new_owner() -> str:
    """A runner's identity in claims: host, pid (so a dead runner is recognised at
    once on the same host) and a random part (pids are reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def owner_is_dead(owner: str) -> bool:
    """True when `owner` was a process on this host that no longer exists."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit() or os.name != "posix":
        # Elsewhere only the lease's expiry tells (on Windows os.kill would terminate).
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists but is not ours (EPERM)
        return False
    return False


def changed_keys(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The parameter names whose values differ."""
    return sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))


class Ledger(abc.ABC):
    """What a batch needs from its store. Every write is durable when its future
    resolves; writes of one runner are applied in the order they were submitted."""

    #: Where it lives (a path or URL, without a password), for messages.
    location: str = ""
    #: Seconds a claim lasts without renewal.
    lease: float = LEASE_SECONDS
    #: Made for several runners (machines) at once: a runner then claims each row as
    #: it starts it, instead of every free row when it registers the batch.
    shared: bool = False

    @abc.abstractmethod
    def register(
        self, provider: str, entries: Sequence[Entry], owner: str | None = None
    ) -> dict[str, Record]:
        """Record new rows (state `pending`) and return every entry's current record.
        A known row whose parameters differ takes the new ones and starts over (its
        steps move to its history): the caller refuses that beforehand for rows with
        paid progress. Refuses a ledger made for another provider. With `owner`, also
        claims every row that no live runner holds, in the same write (a record's
        `owner` then says who holds it)."""

    @abc.abstractmethod
    def claim(self, key: str, owner: str) -> concurrent.futures.Future[Record | None]:
        """Take the row for `owner` (a lease of `lease` seconds): its current record,
        or None while another live runner holds it. Atomic: of several runners
        claiming one row at once, exactly one gets it."""

    @abc.abstractmethod
    def flush(self) -> concurrent.futures.Future[None]:
        """Resolves once every write submitted before it is durable; fails with the
        first error of an unwaited write since the last flush."""

    @abc.abstractmethod
    def renew(self, owner: str) -> concurrent.futures.Future[None]:
        """Extend every claim `owner` still holds by `lease` seconds."""

    @abc.abstractmethod
    def release(self, key: str, owner: str) -> None:
        """Give the row back (queued like `persist(wait=False)`)."""

    @abc.abstractmethod
    def persist(
        self, record: Record, owner: str | None, *, wait: bool = True, release: bool = False
    ) -> concurrent.futures.Future[None] | None:
        """Write `record` (its state and data as they are now), after every write
        submitted before it. With `wait`, a future that resolves once it is durable;
        without, nothing to wait for, and a failure is raised by the next `flush`. A
        write by a runner that lost its claim fails with `LostClaim` (unwaited: it is
        dropped, the row is the other runner's); `release` gives the claim back in the
        same write."""

    @abc.abstractmethod
    def records(self, keys: Iterable[str] | None = None) -> list[Record]:
        """Every record (or those of `keys`), in input order."""

    @abc.abstractmethod
    def provider(self) -> str | None:
        """The provider the ledger was created for (None while empty)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Flush pending writes and release resources (idempotent)."""

    # -- the named transitions, in terms of `persist` ---------------------------------

    def record_intent(
        self, record: Record, step: str, request: str, owner: str
    ) -> concurrent.futures.Future[None]:
        """Before a credit-spending POST: wait for it, the request may go out only
        once it is durable."""
        record.steps[step] = {
            "s": "intent",
            "paid": True,
            "req": request,
            "at": time.time(),
            "by": owner,  # which runner sent it (host:pid:random), for operators
        }
        record.state = "running"
        future = self.persist(record, owner, wait=True)
        assert future is not None
        return future

    def record_step(
        self,
        record: Record,
        step: str,
        value: dict[str, Any],
        owner: str,
        *,
        paid: bool = False,
        save: bool = True,
    ) -> None:
        """A step's result: the job id after a POST, the outcome after a wait...
        Queued, not waited for: the next intent (or `flush`) is durable only after it.
        (`save=False` when the row's final state is written right after.)"""
        entry: dict[str, Any] = {"s": "ok", "v": value, "at": time.time()}
        if paid:
            entry["paid"] = True
            entry["by"] = owner
        record.steps[step] = entry
        if save:
            self.persist(record, owner, wait=False)

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


def open_ledger(ledger: Any, *, lease: float | None = None) -> Ledger:
    """A `Ledger` for `ledger`: an instance as is, a ``redis://host:port/db`` URL (with
    ``?batch=NAME`` to run several batches on one database) as the shared
    `RedisLedger`, a path (str or os.PathLike) as the embedded SQLite ledger. `lease`
    sets how long its claims last without renewal (default 30 s)."""
    from .._errors import ValidationError

    if lease is not None:
        from .._validation import check_number

        check_number("lease", lease, minimum=0.05, maximum=86400)
    if isinstance(ledger, Ledger):
        if lease is not None:
            ledger.lease = float(lease)
        return ledger
    if isinstance(ledger, (str, os.PathLike)):
        text = os.fspath(ledger)
        if not text:
            raise ValidationError("ledger", "must be a file path or a redis:// URL")
        if "://" in text:
            scheme = text.split("://")[0].lower()
            if scheme not in ("redis", "rediss", "unix"):
                raise ValidationError(
                    "ledger",
                    f"{scheme}:// ledgers are not supported; give a file path (SQLite) or a "
                    "redis://host:port/db URL",
                )
            from ._redis import RedisLedger

            found: Ledger = RedisLedger(text)
        else:
            from ._sqlite import SQLiteLedger

            found = SQLiteLedger(text)
        if lease is not None:
            found.lease = float(lease)
        return found
    raise ValidationError(
        "ledger", f"must be a file path, a redis:// URL or a Ledger, got {type(ledger).__name__}"
    )
