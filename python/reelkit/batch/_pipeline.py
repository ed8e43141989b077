# One row's state machine: claim it, decide what its recorded steps allow, check the
# budget, then run its op step by step, recording the intent before each paid POST and
# every result after; a rerun replays recorded steps instead of repeating them.
"""The per-row pipeline.

An op is a coroutine written as a straight sequence of steps (`Row.paid` for a
credit-spending POST, `Row.follow` for a wait or a download). Each step looks in the
row's record first: a finished step returns what it recorded, so running the op again
after a crash resumes where it stopped, with no new POST. A paid step whose answer was
never recorded makes the row `unknown`, and it is not sent again unless the batch was
told to resubmit unknown rows.

Only an intent is waited for (it must be on disk before its POST may go out). Every
other write is queued behind it in order, so a later intent's commit also makes all
earlier records durable; `Batch.barrier` flushes the rest before a run returns.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from .. import _credits
from .._errors import (
    APIError,
    APIResponseError,
    JobFailedError,
    RateLimitError,
    ReelkitError,
    ValidationError,
)
from ._ledger import Ledger, LostClaim, Record
from ._ops import OpSpec, avatar_call, estimate_row, export_params, main_params, wants_export
from ._report import BatchRow, row_credits, row_from_record

__all__ = ["Batch", "Budget", "drive"]

_PROVIDER_NAMES = {"hoox": "Hoox", "hooked": "Hooked"}


class _End(Exception):
    """Ends a row's run in `state` with `error`."""

    def __init__(self, state: str, error: str | None) -> None:
        super().__init__(error)
        self.state = state
        self.error = error


class _Wakeups:
    """Hands a loop the ledger futures its tasks wait for, many per wake-up: one
    commit resolves hundreds of intents at once, and `asyncio.wrap_future` would wake
    the loop (a write to its self-pipe, a callback) once for each."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._lock = threading.Lock()
        self._ready: list[tuple[concurrent.futures.Future[Any], asyncio.Future[Any]]] = []

    def watch(self, future: concurrent.futures.Future[Any]) -> asyncio.Future[Any]:
        waiter = self._loop.create_future()
        future.add_done_callback(lambda f: self._done(f, waiter))
        return waiter

    def _done(self, future: concurrent.futures.Future[Any], waiter: asyncio.Future[Any]) -> None:
        with self._lock:
            first = not self._ready
            self._ready.append((future, waiter))
        if first:
            try:
                self._loop.call_soon_threadsafe(self._deliver)
            except RuntimeError:  # the loop is closed: nobody waits any more
                pass

    def _deliver(self) -> None:
        with self._lock:
            ready, self._ready = self._ready, []
        for future, waiter in ready:
            if waiter.done():  # its task was cancelled meanwhile
                continue
            if future.cancelled():
                waiter.cancel()
            elif future.exception() is not None:
                waiter.set_exception(future.exception())  # type: ignore[arg-type]
            else:
                waiter.set_result(future.result())


_WAKEUPS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Wakeups] = (
    weakref.WeakKeyDictionary()
)


async def durable(future: concurrent.futures.Future[Any] | None) -> Any:
    # The write happens even if this task is cancelled meanwhile (see _sqlite._apply).
    if future is None:
        return None
    loop = asyncio.get_running_loop()
    wakeups = _WAKEUPS.get(loop)
    if wakeups is None:
        wakeups = _WAKEUPS[loop] = _Wakeups(loop)
    return await wakeups.watch(future)


def _first(*values: Any) -> Any:
    return next((v for v in values if v is not None), None)


class Budget:
    """`max_credits` across the batch: a row starts only if spent plus committed plus
    its estimate stays within it. Unknown rows count their estimate as spent (they
    may have been charged). Hooked publishes no prices: there it counts the credits
    the videos report, and no row starts once they reach the budget."""

    def __init__(self, max_credits: float | None, priced: bool) -> None:
        self.max = max_credits
        self.priced = priced
        self.spent = 0.0
        self.reserved: dict[str, float] = {}
        self._base: dict[str, float] = {}

    @staticmethod
    def charge(rec: Record) -> float:
        known = row_credits(rec) or 0.0
        if rec.state == "unknown":
            return max(known, rec.estimate or 0.0)
        return known

    def add(self, rec: Record) -> None:
        """Count a row as the ledger has it (at the start of a run)."""
        if self.max is None:
            return
        self._base[rec.key] = self.charge(rec)
        self.spent += self._base[rec.key]

    def refusal(self, rec: Record, estimate: float | None) -> str | None:
        """Why the row may not start (None: it may), reserving its estimate if so."""
        if self.max is None:
            return None
        committed = self.spent + sum(self.reserved.values())
        if not self.priced:
            if self.spent >= self.max - 1e-9:
                return (
                    f"not started: the batch's videos report {self.spent:g} credits, "
                    f"max_credits={self.max:g} (Hooked publishes no prices to estimate by)"
                )
            return None
        if estimate is None:
            return "not started: its cost cannot be estimated under max_credits"
        if committed + estimate > self.max + 1e-9:
            return (
                f"not started: its estimate of {estimate:g} credits on top of {committed:g} "
                f"spent or committed would pass max_credits={self.max:g}"
            )
        self.reserved[rec.key] = estimate
        return None

    def settle(self, rec: Record) -> None:
        if self.max is None:
            return
        self.reserved.pop(rec.key, None)
        now = self.charge(rec)
        self.spent += now - self._base.get(rec.key, 0.0)
        self._base[rec.key] = now


class Batch:
    """What every row of one run shares."""

    def __init__(
        self,
        client: Any,
        provider: str,
        ops: dict[str, OpSpec],
        ledger: Ledger,
        owner: str,
        *,
        out_dir: Path | None,
        resubmit_unknown: bool,
        retry_failed: bool,
        budget: Budget,
        poll_interval: float | None = None,
        on_change: Callable[[], None] | None = None,
        checked: dict[str, Any] | None = None,
    ) -> None:
        self.client = client
        #: Rows' first paid requests as the up-front check built them (by key).
        self.checked = checked if checked is not None else {}
        self.provider = provider
        self.ops = ops
        self.ledger = ledger
        self.owner = owner
        self.out_dir = out_dir
        self.resubmit_unknown = resubmit_unknown
        self.retry_failed = retry_failed
        self.budget = budget
        self.poll_interval = poll_interval
        self.on_change = on_change
        self.running = 0
        #: Each ended row's outcome (by key), with its states counted and its credits
        #: summed as it ends (what the progress bar shows, in constant time).
        self.finished: dict[str, BatchRow] = {}
        self.counts: dict[str, int] = {}
        self.spent = 0.0
        #: Records claimed ahead (a whole batch at once); others are claimed per row.
        self.claimed: dict[str, Record | None] = {}

    def changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def finish(self, rec: Record) -> None:
        """The row has ended (here or in another runner): keep its outcome."""
        row = row_from_record(rec)
        old = self.finished.get(rec.key)
        if old is not None:
            self.counts[old.state] -= 1
            self.spent -= old.credits or 0.0
        self.finished[rec.key] = row
        self.counts[row.state] = self.counts.get(row.state, 0) + 1
        self.spent += row.credits or 0.0
        self.changed()

    async def barrier(self) -> None:
        """Wait until every write queued so far is on disk (raises one that failed)."""
        await durable(self.ledger.flush())


class Row:
    """One row being driven: its record and the step primitives ops are written in."""

    def __init__(self, batch: Batch, rec: Record) -> None:
        self.batch = batch
        self.rec = rec
        self.client = batch.client
        self.params = rec.params

    def _save(self) -> None:
        self.batch.ledger.persist(self.rec, self.batch.owner, wait=False)

    def checked_or(self, send: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[Any]]:
        """The row's first paid request as the up-front check built it from these
        parameters (sent as is), or `send` when the check kept none."""
        checked = self.batch.checked.pop(self.rec.key, None)
        if checked is None:
            return send
        return lambda: self.client._run(checked)

    async def paid(
        self,
        step: str,
        request: str,
        start: Callable[[], Awaitable[Any]],
        answer: Callable[[Any], dict[str, Any]],
    ) -> dict[str, Any]:
        """A credit-spending POST: its intent is on disk before it may go out, its
        answer (the job id) right after."""
        steps = self.rec.steps
        done = steps.get(step)
        if done is not None and done.get("s") == "ok":
            return done["v"]  # type: ignore[no-any-return]
        ledger, owner = self.batch.ledger, self.batch.owner
        await durable(ledger.record_intent(self.rec, step, request, owner))
        try:
            result = await _past_rate_limits(start)
            value = answer(result)
        except ValidationError as exc:
            steps[step] = self._failed(step, request, exc, sent=False)
            raise _End("failed", f"{step}: {exc}") from None
        except APIError as exc:
            if exc.may_have_acted:
                steps[step] = self._unknown(step, request, str(exc))
                raise _End(
                    "unknown", unknown_text(self.batch.provider, step, steps[step])
                ) from None
            steps[step] = self._failed(step, request, exc, sent=False)
            raise _End("failed", f"{step}: {exc}") from None
        except asyncio.CancelledError:
            steps[step] = self._unknown(
                step, request, "interrupted while the request was in flight"
            )
            self._save()  # queued: flushed when the run ends or the ledger closes
            raise
        except Exception as exc:
            # Whatever broke after the request may have gone out: it may exist.
            steps[step] = self._unknown(step, request, f"{type(exc).__name__}: {exc}")
            raise _End("unknown", unknown_text(self.batch.provider, step, steps[step])) from None
        ledger.record_step(self.rec, step, value, owner, paid=True)
        return value

    async def follow(
        self,
        step: str,
        run: Callable[[], Awaitable[Any]],
        value_of: Callable[[Any], dict[str, Any]],
        *,
        after: str | None = None,
        last: bool = False,
        charged: float | None = None,
    ) -> dict[str, Any]:
        """A step that spends nothing (a wait, a download): redone freely on a rerun
        until it succeeds. A job that failed (`after` names its paid step) ends the
        row `failed` for good, unless the batch retries failed rows; `charged` is what
        such a job still costs (a Hoox generation or export is not refunded)."""
        steps = self.rec.steps
        done = steps.get(step)
        if done is not None and done.get("s") == "ok":
            return done["v"]  # type: ignore[no-any-return]
        try:
            value = value_of(await run())
        except JobFailedError as exc:
            steps[step] = {"s": "failed", "final": True, "after": after, "error": str(exc)}
            if charged:
                steps[step]["credits"] = charged
            raise _End("failed", f"{step}: {exc}") from None
        except ReelkitError as exc:
            steps[step] = {"s": "failed", "error": str(exc)}
            raise _End("failed", f"{step}: {exc}") from None
        self.batch.ledger.record_step(self.rec, step, value, self.batch.owner, save=not last)
        return value

    def _failed(self, step: str, request: str, exc: Exception, *, sent: bool) -> dict[str, Any]:
        return {"s": "failed", "paid": True, "sent": sent, "req": request, "error": str(exc)}

    def _unknown(self, step: str, request: str, why: str) -> dict[str, Any]:
        return {"s": "unknown", "paid": True, "req": request, "error": why, "at": time.time()}

    def target(self) -> Path:
        assert self.batch.out_dir is not None
        return self.batch.out_dir / f"{self.rec.key}.mp4"


# A 429 proves the server did not act, so a paid POST may be sent again after it; the
# client already retried it `max_retries` times, the batch keeps at it a while longer
# (the rows share one rate budget, so some wait their turn).
_RATE_LIMIT_TRIES = 12
_RATE_LIMIT_MAX_WAIT = 30.0


async def _past_rate_limits(start: Callable[[], Awaitable[Any]]) -> Any:
    for attempt in range(_RATE_LIMIT_TRIES):
        try:
            return await start()
        except RateLimitError as exc:
            if attempt == _RATE_LIMIT_TRIES - 1:
                raise
            delay = exc.retry_after if exc.retry_after else 2.0 * 2**attempt
            await asyncio.sleep(min(max(delay, 0.5), _RATE_LIMIT_MAX_WAIT))
    raise AssertionError("unreachable")


def unknown_text(provider: str, step: str, st: dict[str, Any]) -> str:
    at = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(st.get("at") or time.time()))
    cause = st.get("error") or "the runner stopped after recording the intent"
    name = _PROVIDER_NAMES.get(provider, provider)
    return (
        f"{step}: {st.get('req', step)} may have gone out at {at} UTC but its answer was "
        f"never recorded ({cause}). A job may exist and may have cost credits: check your "
        f"{name} account for one created around then. reelkit does not send it again by "
        "itself; run with resubmit_unknown=True (CLI --resubmit-unknown) to send it again, "
        "accepting that it may be paid twice."
    )


# -- the operations ------------------------------------------------------------------


def _need(value: Any, what: str, step: str) -> Any:
    if not value:
        raise APIResponseError(f"{step} finished without {what}")
    return value


async def _export(row: Row, video_id: str) -> None:
    c, out = row.client, row.batch.out_dir
    job = await row.paid(
        "export",
        "POST /export/start",
        lambda: c.exports.start(video_id, **export_params(row.params)),
        lambda j: {"export_job_id": j.job_id, "job_id": j.job_id, "estimated": j.estimated_credits},
    )
    job_id = job["export_job_id"]
    await row.follow(
        "export_wait",
        lambda: c.exports.wait(job_id, poll_interval=row.batch.poll_interval),
        lambda st: {
            "url": _need(st.video_url, "a video URL", "export"),
            "credits": _first(st.cost, job.get("estimated"), 0.0),
        },
        after="export",
        last=out is None,
        charged=job.get("estimated"),
    )
    if out is not None:
        target = row.target()
        await row.follow(
            "download",
            lambda: c.exports.download(job_id, target),
            lambda path: {"path": str(path)},
            last=True,
        )


async def _generate(row: Row) -> None:
    c = row.client
    job = await row.paid(
        "generation",
        "POST /generation/start",
        row.checked_or(lambda: c.generations.start(**main_params(row.params))),
        lambda j: {"job_id": j.job_id, "estimated": j.estimated_credits},
    )
    export = wants_export(row.params)
    done = await row.follow(
        "generation_wait",
        lambda: c.generations.wait(job["job_id"], poll_interval=row.batch.poll_interval),
        lambda st: {
            "video_id": _need(st.video_id, "a video id", "generation"),
            "credits": _first(st.cost, job.get("estimated")),
        },
        after="generation",
        last=not export,
        charged=job.get("estimated"),
    )
    if export:
        await _export(row, done["video_id"])


async def _duplicate(row: Row) -> None:
    c = row.client
    copy = await row.paid(
        "duplicate",
        "POST /video/duplicate",
        row.checked_or(lambda: c.videos.duplicate(**main_params(row.params))),
        lambda d: {"video_id": d.video_id},
    )
    if wants_export(row.params):
        await _export(row, copy["video_id"])


async def _avatar(row: Row) -> None:
    c = row.client
    method, call = avatar_call(row.params)
    job = await row.paid(
        "avatar",
        "POST /avatar/create",
        row.checked_or(lambda: getattr(c.avatars, method)(**call)),
        lambda j: {"job_id": j.look_id, "avatar_id": j.avatar_id, "look_id": j.look_id},
    )
    price = _credits.avatar_credits(
        resolution=row.params.get("resolution"), from_images=method == "create_from_images"
    )
    await row.follow(
        "avatar_wait",
        lambda: c.avatars.wait(
            job["avatar_id"], job["look_id"], poll_interval=row.batch.poll_interval
        ),
        lambda st: {
            "url": (st.result or {}).get("thumbnail_url") or (st.result or {}).get("thumbnail"),
            "credits": price,  # the documented fixed price (no cost is reported)
        },
        after="avatar",
        last=True,
    )


async def _asset(row: Row) -> None:
    c = row.client
    job = await row.paid(
        "asset",
        "POST /asset/start",
        row.checked_or(lambda: c.assets.start(**row.params)),
        lambda j: {
            "job_id": ",".join(j.asset_ids or []) or None,
            "asset_ids": j.asset_ids,
            "total_cost": j.total_cost,
        },
    )
    ids = _need(job.get("asset_ids"), "asset ids", "asset")

    async def wait_all() -> list[Any]:
        poll = row.batch.poll_interval
        return list(await asyncio.gather(*(c.assets.wait(i, poll_interval=poll) for i in ids)))

    await row.follow(
        "asset_wait",
        wait_all,
        # Debited up front; a failed generation is refunded (then this never runs).
        lambda done: {"url": done[0].url, "credits": job.get("total_cost")},
        after="asset",
        last=True,
    )


async def _hooked(row: Row) -> None:
    c, out = row.client, row.batch.out_dir
    spec = row.batch.ops[row.rec.op]
    project = await row.paid(
        "project",
        f"POST (projects.{spec.method})",
        row.checked_or(lambda: getattr(c.projects, spec.method)(**row.params)),
        lambda p: {"job_id": p.project_id, "video_id": p.video_id},
    )
    video_id = project.get("video_id")
    if not video_id:
        return  # the answer names no video: the op ends with the project
    await row.follow(
        "video_wait",
        lambda: c.videos.wait(video_id, poll_interval=row.batch.poll_interval),
        lambda v: {"url": v.url, "credits": v.used_credits},
        after="project",
        last=out is None,
    )
    if out is not None:
        target = row.target()
        await row.follow(
            "download",
            lambda: c.videos.download(video_id, target),
            lambda path: {"path": str(path)},
            last=True,
        )


_OPS = {
    "generate": _generate,
    "duplicate": _duplicate,
    "avatar": _avatar,
    "asset": _asset,
    "hooked": _hooked,
}


# -- one row ----------------------------------------------------------------------------


def _prepare(batch: Batch, rec: Record) -> tuple[str, str | None] | None:
    """What the recorded steps allow: an end state for the row, or None to run it
    (steps to redo are moved to the row's history)."""
    if rec.state == "done":
        return "done", rec.error
    steps = rec.steps
    for name in list(steps):
        st = steps[name]
        status = st.get("s")
        if status == "intent":
            # Its runner is gone (we hold the claim): the POST may have gone out.
            st["s"] = "unknown"
            st["error"] = "the runner stopped after recording the intent, before the answer"
            status = "unknown"
        if status == "unknown":
            if not batch.resubmit_unknown:
                return "unknown", unknown_text(batch.provider, name, st)
            rec.history.append({"steps": {name: steps.pop(name)}})
        elif status == "failed":
            if st.get("final") and not batch.retry_failed:
                return "failed", rec.error or st.get("error")
            redo = [name]
            if st.get("final") and st.get("after") in steps:
                redo.insert(0, st["after"])  # the job failed: start a new one
            rec.history.append({"steps": {n: steps.pop(n) for n in redo}})
    return None


async def drive(batch: Batch, key: str) -> Record | None:
    """Run one row to a state and record it; never raises for the row's own failure.
    None when another live runner holds the row, or took it over from this one (its
    lease ran out): the row's outcome is then that runner's."""
    ledger, owner = batch.ledger, batch.owner
    if key in batch.claimed:
        rec = batch.claimed.pop(key)
    else:
        rec = await durable(ledger.claim(key, owner))
    if rec is None:
        return None
    before = (rec.state, rec.error)
    released = lost = False
    try:
        end = _prepare(batch, rec)
        if end is not None:
            rec.state, rec.error = end
            if (rec.state, rec.error) != before:
                ledger.persist(rec, owner, wait=False, release=True)
                released = True
            return rec
        if batch.budget.max is not None and not rec.paid_progress():
            rec.estimate, why = await _estimate(batch, rec)
            reason = batch.budget.refusal(rec, rec.estimate)
            if reason is not None:
                rec.state, rec.error = "skipped", reason + (f" ({why})" if why else "")
                ledger.persist(rec, owner, wait=False, release=True)
                released = True
                return rec
        batch.running += 1
        batch.changed()
        try:
            await _OPS[batch.ops[rec.op].kind](Row(batch, rec))
            rec.state, rec.error = "done", None
        except LostClaim:
            raise
        except _End as end_:
            rec.state, rec.error = end_.state, end_.error
        except ReelkitError as exc:
            rec.state, rec.error = "failed", str(exc)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # one row's bug must not stop the others
            rec.state, rec.error = "failed", f"unexpected {type(exc).__name__}: {exc}"
        finally:
            batch.running -= 1
        # Queued, not waited for: the next intent's commit (or the run's flush) covers it.
        ledger.persist(rec, owner, wait=False, release=True)
        released = True
        return rec
    except LostClaim:
        # Another runner took the row over: nothing more is sent or written for it
        # here (an intent that was refused never went out).
        lost = True
        return None
    finally:
        batch.budget.settle(rec)
        if lost:
            batch.changed()
        else:
            if not released:
                ledger.release(key, owner)
            batch.finish(rec)


async def _estimate(batch: Batch, rec: Record) -> tuple[float | None, str | None]:
    """The row's estimate, or None and why it has none."""
    spec = batch.ops[rec.op]
    try:
        return await estimate_row(batch.client, spec, rec.params), None
    except ReelkitError as exc:
        return None, str(exc)
