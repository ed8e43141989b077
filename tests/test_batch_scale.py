"""Scaling out: three `reelkit batch run` processes share one Redis ledger (a real
redis-server, tests/_redis_server.py) and a 40-row Hoox batch against a Simulator of
this process. They split it (each runs some rows), every row ends done, and the
simulator sees exactly one paid start per row. Then one runner is killed with SIGKILL
mid-batch: its rows stay its own until their (short) lease runs out, the other two
take them over and finish them, still one paid start per row (or the row is unknown
and listed). Plus: an unreachable Redis is refused before anything is sent, and no
Redis key or value holds the API key."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import reelkit
import reelkit.batch
from _batch_util import generate_rows, paid_starts, run_cli, start_cli, write_csv
from _redis_server import redis_server  # noqa: F401  (a fixture)
from reelkit.batch._ledger import open_ledger
from reelkit.testing import Simulator

ROWS = 40
LEASE = 4.0  # the killed runner's rows wait this long
SPLIT_LEASE = 10.0  # no runner dies there: long enough for a stalled machine
CREDITS = 5.0  # each short script's generation


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(job_seconds=0.5, rate_limit_per_minute=0) as s:
        yield s


def _args(csv_path: Path, ledger: str, lease: float = LEASE) -> list[str]:
    return [
        "batch", "run", str(csv_path), "--provider", "hoox", "--op", "generate",
        "--ledger", ledger, "--lease", str(lease), "--concurrency", "2", "--json",
        "--no-progress",
    ]  # fmt: skip


def _finish(proc: subprocess.Popen[str], timeout: float = 120) -> tuple[int, Any, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, json.loads(out.removeprefix("ready\n")), err


def _pid(owner: str | None) -> int | None:
    return int(owner.split(":")[1]) if owner else None


def _sender_pids(ledger: str) -> Counter[int]:
    """Which runner (pid) sent each row's paid generation start."""
    led = open_ledger(ledger)
    try:
        return Counter(
            _pid(r.steps["generation"].get("by")) or 0
            for r in led.records()
            if "generation" in r.steps
        )
    finally:
        led.close()


def test_three_runners_split_a_batch_and_pay_once_per_row(
    redis_server: str,  # noqa: F811
    sim: Simulator,
    tmp_path: Path,
) -> None:
    csv_path = write_csv(tmp_path / "rows.csv", generate_rows(ROWS))
    ledger = f"{redis_server}/0?batch=split-{uuid.uuid4().hex[:8]}"
    procs = [start_cli(sim, *_args(csv_path, ledger, SPLIT_LEASE)) for _ in range(3)]
    results = [_finish(p) for p in procs]
    for code, doc, err in results:
        assert code == 0, err[-2000:]
        assert doc["counts"]["done"] == ROWS  # each reports the whole batch
        assert [r["key"] for r in doc["rows"]] == [f"r{i:02d}" for i in range(ROWS)]
    generations, exports = paid_starts(sim)
    assert generations == Counter({f"r{i:02d}": 1 for i in range(ROWS)})
    assert len(exports) == ROWS and set(exports.values()) == {1}
    senders = _sender_pids(ledger)
    assert set(senders) == {p.pid for p in procs}, senders  # each ran some rows
    assert sum(senders.values()) == ROWS
    assert results[0][1]["credits"] == sim.hoox_credits_used == ROWS * CREDITS
    sim.clear_requests()
    code, doc, err = run_cli(sim, "batch", "status", ledger, "--json")
    assert code == 0 and doc["counts"]["done"] == ROWS, err
    assert sim.requests() == []
    print(f"rows per runner: {sorted(senders.values())}")


def test_a_killed_runners_rows_are_finished_by_the_others_after_its_lease(
    redis_server: str,  # noqa: F811
    sim: Simulator,
    tmp_path: Path,
) -> None:
    csv_path = write_csv(tmp_path / "rows.csv", generate_rows(ROWS))
    ledger = f"{redis_server}/0?batch=kill-{uuid.uuid4().hex[:8]}"
    procs = [start_cli(sim, *_args(csv_path, ledger)) for _ in range(3)]
    victim, survivors = procs[0], procs[1:]
    watch = open_ledger(ledger)
    try:
        # Mid-batch: some rows done, and the victim holding rows in flight.
        deadline = time.monotonic() + 60
        while True:
            assert time.monotonic() < deadline, "the batch never got going"
            recs = watch.records()
            held = [r for r in recs if _pid(r.owner) == victim.pid and r.state == "running"]
            if held and sum(r.state == "done" for r in recs) >= 4:
                break
            time.sleep(0.01)
        victim.send_signal(signal.SIGKILL)
        victim.communicate(timeout=30)
        # The rows it held when it died, each with its claim's end (the Redis server's
        # clock, ms). Rows seen in flight before may have ended meanwhile.
        leases: dict[str, int] = {}
        for key in [r.key for r in watch.records() if _pid(r.owner) == victim.pid]:
            owner, lease = watch._client.hmget(watch._row(key), "owner", "lease")
            if _pid(owner) == victim.pid:
                leases[key] = int(lease)
        orphans = {r.key for r in held} | set(leases)
        # Its rows stay its own while their lease lasts: a row taken over by now must
        # have had its lease run out by the server's clock, whatever the machine's pace.
        time.sleep(LEASE / 3)
        taken = [r.key for r in watch.records(list(leases)) if _pid(r.owner) != victim.pid]
        secs, micros = watch._client.time()
        now_ms = secs * 1000 + micros // 1000
        early = sorted(k for k in taken if leases[k] >= now_ms)
        assert not early, f"taken over before the lease ran out: {early}"
        results = [_finish(p) for p in survivors]
        final = {r.key: r for r in watch.records()}
    finally:
        watch.close()

    generations, exports = paid_starts(sim)
    for code, doc, err in results:
        assert code in (0, 6), err[-2000:]
        rows = {r["key"]: r for r in doc["rows"]}
        assert len(rows) == ROWS
        done = [r for r in doc["rows"] if r["state"] == "done"]
        unknown = [r for r in doc["rows"] if r["state"] == "unknown"]
        assert len(done) + len(unknown) == ROWS, doc["counts"]
        assert code == (6 if unknown else 0)
        for r in done:
            assert generations[r["key"]] == 1, r
            assert exports[r["video_id"]] == 1, r
        for r in unknown:  # listed, with what to check; only the killed runner's
            assert "may have gone out" in r["error"], r
            assert _pid(final[r["key"]].steps["generation"].get("by")) == victim.pid
            assert generations[r["key"]] <= 1
        for key in orphans:  # the killed runner's rows were finished by the others
            assert rows[key]["state"] in ("done", "unknown")
            assert final[key].owner is None
    assert set(generations) == {f"r{i:02d}" for i in range(ROWS)}
    assert max(generations.values()) == 1
    doc = results[0][1]
    charged_unknown = sum(
        CREDITS for r in doc["rows"] if r["state"] == "unknown" and r["credits"] is None
    )
    assert abs(sim.hoox_credits_used - (doc["credits"] + charged_unknown)) < 1e-6
    print(f"killed with {len(orphans)} rows in flight; unknown: {doc['counts']['unknown']}")


def test_an_unreachable_redis_is_refused_before_anything_is_sent(
    sim: Simulator, tmp_path: Path
) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"redis://:s3cret@127.0.0.1:{port}/0?batch=b"
    with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as client:
        with pytest.raises(reelkit.ValidationError) as info:
            reelkit.batch.run(client, generate_rows(2), ledger=url, op="generate")
    message = str(info.value)
    assert f"redis://:***@127.0.0.1:{port}/0?batch=b" in message and "s3cret" not in message
    assert "nothing was sent" in message
    assert sim.requests() == []
    with pytest.raises(reelkit.ValidationError, match="batch name"):
        open_ledger("redis://127.0.0.1:1/0?batch=a b")


def test_no_redis_key_or_value_holds_the_api_key(
    redis_server: str,  # noqa: F811
    sim: Simulator,
) -> None:
    import redis

    ledger = f"{redis_server}/1?batch=secret-check"
    with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as client:
        report = reelkit.batch.run(client, generate_rows(3), ledger=ledger, op="generate")
    assert report.counts["done"] == 3
    r = redis.Redis.from_url(f"{redis_server}/1", decode_responses=True)
    keys = r.keys("*")
    assert keys and all(k.startswith("reelkit:batch:{secret-check}:") for k in keys)
    dump = json.dumps(
        {k: r.hgetall(k) if r.type(k) == "hash" else r.zrange(k, 0, -1) for k in keys}
    )
    assert sim.hoox_api_key not in dump and sim.hoox_api_key[:12] not in dump
    r.close()
