# The public entry points: run/arun (a whole batch), plan/run_row (one row at a time,
# for task queues), estimate, status; argument checks, the sync-to-async bridge, the
# worker pool and the lease heartbeat.
"""Running a batch.

`arun` does the work on the asyncio client; `run` drives the same coroutine for a sync
client (through an asyncio twin of it that shares its connection pool and limits).
Everything is checked, and the rows registered in the ledger, before the first request.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Coroutine
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

from .._errors import ReelkitError, ValidationError
from ._display import open_batch_display
from ._ledger import FINAL, Entry, Ledger, Record, changed_keys, new_owner, open_ledger
from ._ops import OpSpec, estimate_row, ops_for, precheck
from ._pipeline import Batch, Budget, drive, durable
from ._report import BatchEstimate, BatchReport, BatchRow, EstimateRow, row_from_record
from ._rows import _is_dataframe, normalize

__all__ = [
    "aestimate",
    "arun",
    "arun_row",
    "estimate",
    "plan",
    "run",
    "run_row",
    "status",
]

T = TypeVar("T")


# -- clients -------------------------------------------------------------------------------


def _provider(client: Any) -> str:
    from .._client import AsyncClient, SyncClient

    if not isinstance(client, (SyncClient, AsyncClient)):
        raise ValidationError(
            "client", f"must be a reelkit Hoox or Hooked client, got {type(client).__name__}"
        )
    return str(client._provider.native_name)


def _async_twin(client: Any) -> Any:
    """An asyncio client sharing `client`'s native transport (pool, retries, limits)."""
    from .._client import AsyncClient

    if isinstance(client, AsyncClient):
        return client
    if _provider(client) == "hoox":
        from ..hoox import AsyncHoox as cls
    else:
        from ..hooked import AsyncHooked as cls  # type: ignore[assignment]
    # As `with_options` copies a client: the same key, configuration and native
    # transport; the resource groups load on first use.
    twin = object.__new__(cls)
    twin._api_key = client._api_key
    twin._config = dict(client._config)
    twin._native = client._native
    return twin


def _sync_only(client: Any, name: str) -> None:
    from .._client import AsyncClient

    if isinstance(client, AsyncClient):
        raise ValidationError(
            "client", f"is an asyncio client: use `await reelkit.batch.a{name}(...)`"
        )


def _blocking(coro: Coroutine[Any, Any, T]) -> T:
    """Run `coro` to completion from sync code, also inside a running event loop (a
    notebook): then on a private loop in a thread. Ctrl-C cancels it either way."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    loop = asyncio.new_event_loop()
    task = loop.create_task(coro)
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = loop.run_until_complete(task)
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            loop.close()

    thread = threading.Thread(target=target, name="reelkit-batch", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.1)
    except KeyboardInterrupt:
        loop.call_soon_threadsafe(task.cancel)
        thread.join()
        raise
    if "error" in outcome:
        if isinstance(outcome["error"], asyncio.CancelledError):
            raise KeyboardInterrupt
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


# -- checks ------------------------------------------------------------------------------


def _refuse(problems: list[tuple[str, str]]) -> None:
    if not problems:
        return
    if len(problems) == 1:
        raise ValidationError(*problems[0])
    lines = [f"{field}: {rule}" for field, rule in problems[:20]]
    if len(problems) > 20:
        lines.append(f"... and {len(problems) - 20} more")
    raise ValidationError(
        "rows", f"{len(problems)} problems, nothing was sent:\n  " + "\n  ".join(lines)
    )


def _resources(provider: str) -> Any:
    """Resource objects to check calls with (plans are built, never sent)."""
    if provider == "hoox":
        from .._resources import hoox as r

        return SimpleNamespace(
            generations=r.Generations(None),
            exports=r.Exports(None),
            videos=r.Videos(None),
            avatars=r.Avatars(None),
            assets=r.Assets(None),
        )
    from .._resources import hooked as h

    return SimpleNamespace(projects=h.Projects(None))


def _entries(
    rows: Any, provider: str, op: str | None, checked: dict[str, Any] | None = None
) -> tuple[list[Entry], dict[str, OpSpec]]:
    """Normalise and check every row as the SDK would, before anything is sent. With
    `checked`, keeps there each row's first paid request as checked (see `precheck`)."""
    entries = normalize(rows, provider, op)
    ops = ops_for(provider)
    resources = _resources(provider)
    problems: list[tuple[str, str]] = []
    for e in entries:
        try:
            first = precheck(resources, ops[e.op], e.params)
        except ValidationError as exc:
            problems.append((f"row {e.key!r}: {exc.field}", exc.rule))
            continue
        if checked is not None and first is not None:
            checked[e.key] = first
    _refuse(problems)
    return entries, ops


def _check_options(
    concurrency: Any, max_credits: Any, out_dir: Any, flags: dict[str, Any]
) -> Path | None:
    from .._validation import check_number

    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValidationError("concurrency", f"must be a whole number >= 1, got {concurrency!r}")
    check_number("max_credits", max_credits, minimum=0)
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise ValidationError(name, f"must be True or False, got {value!r}")
    if out_dir is None:
        return None
    if not isinstance(out_dir, (str, os.PathLike)):
        raise ValidationError("out_dir", f"must be a folder path, got {type(out_dir).__name__}")
    path = Path(out_dir).absolute()  # the ledger's paths stay right from any cwd
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError("out_dir", f"cannot create {path}: {exc.strerror or exc}") from None
    return path


def _check_poll(poll_interval: Any) -> None:
    from .._validation import check_number

    check_number("poll_interval", poll_interval, minimum=0)


async def _in_thread(fn: Any, *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(None, fn, *args)


async def _register(
    led: Ledger, provider: str, entries: list[Entry], owner: str | None = None
) -> dict[str, Record]:
    """Refuse rows whose parameters changed after something was paid, then record
    the batch (new rows pending; changed unpaid rows start over), claiming its rows
    for `owner` in the same write."""
    known = {r.key: r for r in await _in_thread(led.records, [e.key for e in entries])}
    problems = []
    for e in entries:
        rec = known.get(e.key)
        if rec is None or (rec.params_hash == e.params_hash and rec.op == e.op):
            continue
        if rec.paid_progress():
            what = ", ".join(changed_keys(rec.params, e.params)) if rec.op == e.op else "op"
            problems.append(
                (
                    f"row {e.key!r}",
                    f"its parameters changed since the ledger {led.location} recorded it "
                    f"({what}) and its request was already sent; restore them, or give the "
                    "row a new key to make it again",
                )
            )
    _refuse(problems)
    return await _in_thread(led.register, provider, entries, owner)  # type: ignore[no-any-return]


async def _heartbeat(led: Ledger, owner: str) -> None:
    while True:
        await asyncio.sleep(led.lease / 3)
        try:
            await durable(led.renew(owner))
        except ReelkitError:
            # Redis briefly away: try again; a claim that lapses meanwhile is taken
            # over safely (this runner's next write for it fails and it lets go).
            continue


def _wait_poll(led: Ledger) -> float:
    """How often to look at rows another runner holds."""
    return min(max(led.lease / 10, 0.05), 1.0)


# -- run ----------------------------------------------------------------------------------


async def arun(
    client: Any,
    rows: Any,
    *,
    ledger: Any,
    op: str | None = None,
    concurrency: int = 4,
    max_credits: float | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    progress: bool = False,
    resubmit_unknown: bool = False,
    retry_failed: bool = False,
    poll_interval: float | None = None,
    lease: float | None = None,
) -> BatchReport:
    """Run a batch on an `AsyncHoox` / `AsyncHooked` client (see `run`)."""
    provider = _provider(client)
    _check_poll(poll_interval)
    flags = {
        "progress": progress,
        "resubmit_unknown": resubmit_unknown,
        "retry_failed": retry_failed,
    }
    out = _check_options(concurrency, max_credits, out_dir, flags)
    checked: dict[str, Any] = {}
    entries, ops = _entries(rows, provider, op, checked)
    led = open_ledger(ledger, lease=lease)
    own = led is not ledger
    owner = new_owner()
    display = open_batch_display(len(entries)) if progress else None
    try:
        # A shared ledger's rows are claimed one by one as they start, so that the
        # runners sharing the batch split it; a local one's all at once (one write).
        records = await _register(led, provider, entries, None if led.shared else owner)
        budget = Budget(max_credits, priced=provider == "hoox")
        for rec in records.values():
            budget.add(rec)
        batch = Batch(
            client,
            provider,
            ops,
            led,
            owner,
            out_dir=out,
            resubmit_unknown=resubmit_unknown,
            retry_failed=retry_failed,
            budget=budget,
            poll_interval=poll_interval,
            checked=checked,
        )
        if display is not None:
            batch.on_change = lambda: display.update(
                batch.counts, batch.running, round(batch.spent, 4)
            )
        keys = [e.key for e in entries]
        if not led.shared:
            batch.claimed = {k: (r if r.owner == owner else None) for k, r in records.items()}
        try:
            await _drive_all(batch, keys, concurrency)
            await batch.barrier()
        finally:
            if not own:  # the caller's ledger stays open: still flush what is queued
                await asyncio.shield(durable(led.flush()))
        report = BatchReport(tuple(batch.finished[k] for k in keys))
        if display is not None:
            display.close(True)
            display = None
        return report
    finally:
        if display is not None:
            display.close(False)
        if own:
            await _in_thread(led.close)


async def _drive_all(batch: Batch, keys: list[str], concurrency: int) -> None:
    """Drive every row this runner can claim; then wait for the rows other runners
    hold: each ends when its runner finishes it, or is taken over (and resumed from
    its recorded ids) once that runner's lease has run out."""
    led = batch.ledger
    heartbeat = asyncio.ensure_future(_heartbeat(led, batch.owner))
    try:
        busy = await _drive_keys(batch, keys, concurrency)
        while busy:
            await asyncio.sleep(_wait_poll(led))
            todo = []
            for rec in await _in_thread(led.records, busy):
                if rec.state in FINAL and rec.owner is None:
                    batch.finish(rec)  # finished by another runner
                else:
                    todo.append(rec.key)
            busy = await _drive_keys(batch, todo, concurrency)
    finally:
        heartbeat.cancel()


async def _drive_keys(batch: Batch, keys: list[str], concurrency: int) -> list[str]:
    """Drive `keys` with `concurrency` workers; returns those another runner holds."""
    pending = iter(keys)
    busy: list[str] = []

    async def worker() -> None:
        for key in pending:
            if await drive(batch, key) is None:
                busy.append(key)

    workers = [asyncio.ensure_future(worker()) for _ in range(min(concurrency, len(keys)))]
    try:
        await asyncio.gather(*workers)
    except BaseException:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        raise
    order = {k: i for i, k in enumerate(keys)}
    return sorted(busy, key=order.__getitem__)


def run(
    client: Any,
    rows: Any,
    *,
    ledger: Any,
    op: str | None = None,
    concurrency: int = 4,
    max_credits: float | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    progress: bool = False,
    resubmit_unknown: bool = False,
    retry_failed: bool = False,
    poll_interval: float | None = None,
    lease: float | None = None,
) -> BatchReport:
    """Run every row of a batch on a `Hoox` or `Hooked` client and return a
    `BatchReport`; resumable from its `ledger` after a crash.

    `ledger`: a file path (SQLite, the default store) or a ``redis://host:port/db``
    URL (``?batch=NAME`` to keep several batches apart), which several runners on
    several machines can share: each row is claimed by one runner under a lease of
    `lease` seconds (default 30) that it renews while it works, and a runner that
    dies loses its rows when their leases run out, to runners that resume them from
    their recorded ids. A run returns once every row of `rows` has ended, whoever
    ran it.

    `rows`: dicts, `csv.DictReader` rows or a pandas DataFrame, each with a unique
    `key`, an `op` (or `op=` for all) and the op's parameters. At most `concurrency`
    rows are in flight. With `max_credits` no row starts whose estimate would take
    spent plus committed credits above it (it ends `skipped`). With `out_dir` videos
    are downloaded to `out_dir/<key>.mp4`. `progress=True` shows one bar. Running it
    again leaves `done` rows alone, resumes rows in flight from their recorded ids,
    and never resends a request whose answer was not recorded (`unknown`) unless
    `resubmit_unknown=True`. Rows whose job failed are retried only with
    `retry_failed=True`. `poll_interval` overrides the documented polling schedule.
    """
    _sync_only(client, "run")
    return _blocking(
        arun(
            _async_twin(client),
            rows,
            ledger=ledger,
            op=op,
            concurrency=concurrency,
            max_credits=max_credits,
            out_dir=out_dir,
            progress=progress,
            resubmit_unknown=resubmit_unknown,
            retry_failed=retry_failed,
            poll_interval=poll_interval,
            lease=lease,
        )
    )


# -- one row at a time ----------------------------------------------------------------------


def _provider_of_ops(names: set[str]) -> str:
    """Hoox's and Hooked's op names differ: the rows' ops tell the provider."""
    for provider in ("hoox", "hooked"):
        if names and names <= set(ops_for(provider)):
            return provider
    raise ValidationError(
        "op",
        f"{', '.join(sorted(names)) or 'no op given'}: give ops of one provider (or provider=)",
    )


def _op_names(rows: Any, op: str | None) -> set[str]:
    names = {op} if op else set()
    if _is_dataframe(rows):
        if "op" in rows.columns:
            names |= {str(v) for v in rows["op"].dropna().unique() if str(v).strip()}
        return names
    for row in rows:
        value = row.get("op") if isinstance(row, dict) else None
        if isinstance(value, str) and value.strip():
            names.add(value.strip())
    return names


def plan(
    ledger: Any, rows: Any, *, op: str | None = None, provider: str | None = None
) -> list[str]:
    """Check `rows` and record them in `ledger` without running anything; returns the
    keys still to run (not `done`), for `run_row` calls (e.g. one task each). The
    provider is the ledger's, else `provider`, else the one whose ops the rows use."""
    if not _is_dataframe(rows) and not isinstance(rows, (str, bytes, dict)):
        rows = list(rows)  # read twice below (a csv.DictReader only once)
    led = open_ledger(ledger)
    try:
        provider = provider or led.provider() or _provider_of_ops(_op_names(rows, op))
        if provider not in ("hoox", "hooked"):
            raise ValidationError("provider", "must be 'hoox' or 'hooked'")
        entries, _ = _entries(rows, provider, op)
        records = _blocking(_register(led, provider, entries))
        return [e.key for e in entries if records[e.key].state != "done"]
    finally:
        if led is not ledger:
            led.close()


async def arun_row(
    client: Any,
    ledger: Any,
    key: str,
    *,
    out_dir: str | os.PathLike[str] | None = None,
    resubmit_unknown: bool = False,
    retry_failed: bool = False,
    poll_interval: float | None = None,
    lease: float | None = None,
    wait: bool = True,
) -> BatchRow:
    """Drive one recorded row (see `plan`) to a state on an asyncio client (see
    `run_row`)."""
    provider = _provider(client)
    _check_poll(poll_interval)
    flags = {"resubmit_unknown": resubmit_unknown, "retry_failed": retry_failed, "wait": wait}
    out = _check_options(1, None, out_dir, flags)
    if not isinstance(key, str):
        raise ValidationError("key", f"must be a row key (str), got {type(key).__name__}")
    led = open_ledger(ledger, lease=lease)
    try:
        found = await _in_thread(led.records, [key])
        if not found:
            raise ValidationError(
                "key", f"{key!r} is not in the ledger {led.location} (plan it first)"
            )
        recorded = await _in_thread(led.provider)
        if recorded != provider:
            raise ValidationError("client", f"the ledger records a {recorded} batch")
        budget = Budget(None, priced=provider == "hoox")
        batch = Batch(
            client,
            provider,
            ops_for(provider),
            led,
            new_owner(),
            out_dir=out,
            resubmit_unknown=resubmit_unknown,
            retry_failed=retry_failed,
            budget=budget,
            poll_interval=poll_interval,
        )
        heartbeat = asyncio.ensure_future(_heartbeat(led, batch.owner))
        try:
            while True:
                rec = await drive(batch, key)
                if rec is not None:
                    break
                # Another runner holds it: its outcome, or the row once its lease ran out.
                (now,) = await _in_thread(led.records, [key])
                if (now.state in FINAL and now.owner is None) or not wait:
                    rec = now
                    break
                await asyncio.sleep(_wait_poll(led))
        finally:
            heartbeat.cancel()
        await batch.barrier()
        return row_from_record(rec)
    finally:
        if led is not ledger:
            await _in_thread(led.close)


def run_row(
    client: Any,
    ledger: Any,
    key: str,
    *,
    out_dir: str | os.PathLike[str] | None = None,
    resubmit_unknown: bool = False,
    retry_failed: bool = False,
    poll_interval: float | None = None,
    lease: float | None = None,
    wait: bool = True,
) -> BatchRow:
    """Drive one row recorded by `plan` to a state with a `Hoox`/`Hooked` client and
    return its `BatchRow`: claim it, run or resume it from its recorded ids, record
    its end. For task queues (one task per row). Safe to call for the same key from
    several processes or machines at once, or again after it ended: a claim keeps one
    runner at a time on the row, and nothing recorded is sent again. While another
    live runner holds the row it waits (with `wait=False`: returns the row as the
    ledger has it, e.g. `running`) until that runner ends it, or until its `lease`
    ran out (it died), then takes the row over."""
    _sync_only(client, "run_row")
    return _blocking(
        arun_row(
            _async_twin(client),
            ledger,
            key,
            out_dir=out_dir,
            resubmit_unknown=resubmit_unknown,
            retry_failed=retry_failed,
            poll_interval=poll_interval,
            lease=lease,
            wait=wait,
        )
    )


def status(ledger: Any) -> BatchReport:
    """Every row the ledger holds, as it stands (rows of a batch still running may be
    `pending` or `running`)."""
    led = open_ledger(ledger)
    try:
        return BatchReport.from_records(led.records())
    finally:
        if led is not ledger:
            led.close()


# -- estimate ---------------------------------------------------------------------------------


async def aestimate(client: Any, rows: Any, *, op: str | None = None) -> BatchEstimate:
    """Estimated credits per row and in total, spending nothing (see `estimate`)."""
    provider = _provider(client)
    entries, ops = _entries(rows, provider, op)
    out = []
    for e in entries:
        spec = ops[e.op]
        if spec.kind == "hooked":
            out.append(EstimateRow(e.key, e.op, None, "Hooked publishes no prices"))
            continue
        try:
            credits = await estimate_row(client, spec, e.params)
            out.append(EstimateRow(e.key, e.op, credits))
        except ReelkitError as exc:  # a missing input, or no quote for an asset
            out.append(EstimateRow(e.key, e.op, None, f"cannot be estimated: {exc}"))
    return BatchEstimate(tuple(out))


def estimate(client: Any, rows: Any, *, op: str | None = None) -> BatchEstimate:
    """Estimated credits per row and in total, spending nothing: the offline Hoox
    estimates (assets: the server's free price quote). Rows that cannot be estimated
    (Hooked, unpublished rates, missing lengths) are listed with why, never counted
    as zero."""
    _sync_only(client, "estimate")
    return _blocking(aestimate(_async_twin(client), rows, op=op))
