"""One test suite for both batch ledgers, SQLite (the default) and Redis (a real
redis-server on a loopback port, tests/_redis_server.py): registration, claims as
leases (exclusive, atomic under contention, renewed, expiring, taken over), writes in
order and refused once a claim was lost, and, against the Simulator, `plan` /
`run_row` on each: the same row run twice at once or again after it ended sends
nothing twice, a row a dead runner left is resumed from its recorded ids after its
lease, and one whose POST went out unrecorded becomes unknown and stays unknown."""

from __future__ import annotations

import concurrent.futures
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import reelkit
import reelkit.batch
from _batch_util import GENERATION_START, generate_rows
from _redis_server import redis_server  # noqa: F401  (a fixture)
from reelkit.batch._ledger import Entry, Ledger, LostClaim, Record, open_ledger
from reelkit.batch._rows import params_hash
from reelkit.testing import Simulator

# A runner of another machine: never judged dead by its pid (it is not on this host).
ELSEWHERE = "elsewhere.example:4242:0123456789ab"

OpenLedger = Callable[..., Ledger]


@pytest.fixture(params=["sqlite", "redis"])
def open_same(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OpenLedger]:
    """Opens (another connection to) one fresh ledger of the kind under test, as a
    separate runner would; each is closed at the end."""
    if request.param == "sqlite":
        location: str = str(tmp_path / "ledger.db")
    else:
        base = request.getfixturevalue("redis_server")
        location = f"{base}/0?batch=t-{uuid.uuid4().hex[:12]}"
    opened: list[Ledger] = []

    def open_(lease: float | None = None) -> Ledger:
        led = open_ledger(location, lease=lease)
        opened.append(led)
        return led

    open_.location = location  # type: ignore[attr-defined]
    yield open_
    for led in opened:
        led.close()


def entries(n: int, prefix: str = "k", **params: Any) -> list[Entry]:
    out = []
    for i in range(n):
        p = {"script": f"row {prefix}{i}", "voice_id": "v", **params}
        out.append(Entry(f"{prefix}{i}", "generate", p, params_hash("generate", p), i))
    return out


def claim(led: Ledger, key: str, owner: str) -> Record | None:
    return led.claim(key, owner).result(timeout=30)


# -- the store --------------------------------------------------------------------------


def test_register_keeps_input_order_and_refuses_another_provider(open_same: OpenLedger) -> None:
    led = open_same()
    assert led.provider() is None
    first = led.register("hoox", entries(5))
    assert [r.state for r in first.values()] == ["pending"] * 5
    assert led.provider() == "hoox"
    again = open_same().register("hoox", entries(7))  # a second runner: 2 new rows
    assert set(again) == {f"k{i}" for i in range(7)}
    assert [r.key for r in led.records()] == [f"k{i}" for i in range(7)]
    assert [r.key for r in led.records(["k3", "k1", "nope"])] == ["k3", "k1"]
    with pytest.raises(reelkit.ValidationError, match="records a hoox batch"):
        led.register("hooked", entries(1))


def test_a_claim_is_exclusive_until_released_or_its_lease_runs_out(open_same: OpenLedger) -> None:
    a, b = open_same(lease=2.0), open_same(lease=2.0)
    a.register("hoox", entries(2))
    started = time.monotonic()
    assert claim(a, "k0", "A") is not None
    assert claim(b, "k0", "B") is None  # held by a live runner
    assert claim(a, "k0", "A") is not None  # its holder may claim again
    a.release("k0", "A")
    a.flush().result(timeout=30)
    got = claim(b, "k0", "B")
    assert got is not None and got.owner == "B"

    # A runner that stops renewing loses the row once its lease has run out.
    assert claim(a, "k1", ELSEWHERE) is not None
    started = time.monotonic()
    while claim(b, "k1", "B") is None:
        assert time.monotonic() - started < 30, "the lease never ran out"
        time.sleep(0.05)
    assert time.monotonic() - started >= 1.9  # not before the lease (minus clock rounding)
    with pytest.raises(reelkit.ValidationError, match="not in the ledger"):
        claim(a, "nope", "A")


def test_renewed_claims_outlive_their_lease(open_same: OpenLedger) -> None:
    a, b = open_same(lease=1.5), open_same(lease=1.5)
    a.register("hoox", entries(3))
    for key in ("k0", "k1"):
        assert claim(a, key, "A") is not None
    started = time.monotonic()
    while time.monotonic() - started < 3.5:  # more than two leases
        a.renew("A").result(timeout=30)
        assert claim(b, "k0", "B") is None and claim(b, "k1", "B") is None
        time.sleep(0.1)
    assert claim(b, "k2", "B") is not None  # a row A never held


def test_a_runner_that_lost_its_claim_writes_nothing(open_same: OpenLedger) -> None:
    a, b = open_same(lease=0.3), open_same(lease=60)
    (rec,) = a.register("hoox", entries(1)).values()
    mine = claim(a, "k0", "A")
    assert mine is not None
    deadline = time.monotonic() + 30
    while (theirs := claim(b, "k0", "B")) is None:  # A stalls past its lease
        assert time.monotonic() < deadline
        time.sleep(0.05)
    theirs.steps["generation"] = {"s": "ok", "v": {"job_id": "job-of-B"}}
    b.persist(theirs, "B").result(timeout=30)  # type: ignore[union-attr]

    # A's intent is refused (so its POST never goes out), its queued writes dropped.
    with pytest.raises(LostClaim, match="another runner took it over"):
        a.record_intent(mine, "generation", "POST /generation/start", "A").result(timeout=30)
    mine.state = "done"
    a.persist(mine, "A", wait=False, release=True)
    a.release("k0", "A")
    a.flush().result(timeout=30)  # a lost claim is not the run's failure
    (now,) = a.records(["k0"])
    assert now.owner == "B" and now.steps == theirs.steps and now.state == "pending"
    assert claim(a, "k0", "A") is None  # B still holds it


def test_writes_apply_in_order_and_other_runners_see_them(open_same: OpenLedger) -> None:
    a, b = open_same(), open_same()
    a.register("hoox", entries(20))
    recs = {k: claim(a, f"k{k}", "A") for k in range(20)}
    for step in range(10):  # queued, never waited for, except by the final flush
        for rec in recs.values():
            assert rec is not None
            rec.steps["n"] = {"s": "ok", "v": {"n": step}}
            rec.state = "running"
            a.persist(rec, "A", wait=False, release=step == 9)
    a.flush().result(timeout=30)
    seen = b.records()
    assert [r.steps["n"]["v"]["n"] for r in seen] == [9] * 20  # the last write of each
    assert {r.owner for r in seen} == {None}  # released with the last write
    assert all(claim(b, r.key, "B") is not None for r in seen)


def test_of_many_runners_claiming_one_row_at_once_exactly_one_gets_it(
    open_same: OpenLedger,
) -> None:
    runners = [open_same(lease=30) for _ in range(6)]
    rounds = 25
    runners[0].register("hoox", entries(rounds))
    start = threading.Barrier(len(runners))
    winners: dict[int, list[str]] = {i: [] for i in range(rounds)}
    lock = threading.Lock()

    def race(n: int) -> None:
        led = runners[n]
        for i in range(rounds):
            start.wait(timeout=60)
            if claim(led, f"k{i}", f"runner-{n}") is not None:
                with lock:
                    winners[i].append(f"runner-{n}")

    with concurrent.futures.ThreadPoolExecutor(len(runners)) as pool:
        for f in [pool.submit(race, n) for n in range(len(runners))]:
            f.result(timeout=120)
    assert {i: len(w) for i, w in winners.items()} == {i: 1 for i in range(rounds)}, winners
    for rec in runners[0].records():
        assert [rec.owner] == winners[rec.seq]


def test_a_changed_unpaid_row_starts_over_and_keeps_its_history(open_same: OpenLedger) -> None:
    led = open_same()
    (rec,) = led.register("hoox", entries(1)).values()
    rec.steps["estimate"] = {"s": "ok", "v": {"credits": 5}}
    led.persist(rec, None).result(timeout=30)  # type: ignore[union-attr]
    (changed,) = open_same().register("hoox", entries(1, voice_id="w")).values()
    assert changed.params["voice_id"] == "w" and changed.steps == {}
    assert changed.history == [{"params": rec.params, "steps": rec.steps}]
    assert led.records()[0].params["voice_id"] == "w"


# -- rows against the simulator -----------------------------------------------------------


@pytest.fixture
def sim(monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    monkeypatch.setenv("REELKIT_POLL_INTERVAL", "0.05")
    with Simulator(job_seconds=0.3, rate_limit_per_minute=0) as s:
        yield s


def starts(sim: Simulator) -> list[str]:
    return [
        r.json["script"]
        for r in sim.requests()
        if r.method == "POST" and r.path == GENERATION_START and isinstance(r.json, dict)
    ]


def test_the_same_row_run_twice_at_once_or_after_it_ended_is_paid_once(
    open_same: OpenLedger, sim: Simulator
) -> None:
    location = open_same.location  # type: ignore[attr-defined]
    rows = generate_rows(3)
    assert reelkit.batch.plan(location, rows, op="generate") == ["r00", "r01", "r02"]
    with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as client:
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            futures = [
                pool.submit(reelkit.batch.run_row, client, location, key)
                for key in ("r00", "r00", "r01", "r01")
            ]
            results = [f.result(timeout=60) for f in futures]
        assert results[0] == results[1] and results[2] == results[3]
        assert {r.state for r in results} == {"done"}
        assert sorted(starts(sim)) == sorted([rows[0]["script"], rows[1]["script"]])
        sim.clear_requests()
        assert reelkit.batch.run_row(client, location, "r00") == results[0]
        assert sim.requests() == []  # done: not even a status call
        report = reelkit.batch.run(client, rows, ledger=location, op="generate")
    assert report.counts["done"] == 3 and starts(sim) == [rows[2]["script"]]
    assert report.credits == sim.hoox_credits_used == 15


def test_a_dead_runners_row_is_resumed_after_its_lease_or_stays_unknown(
    open_same: OpenLedger, sim: Simulator
) -> None:
    location = open_same.location  # type: ignore[attr-defined]
    rows = generate_rows(2)
    reelkit.batch.plan(location, rows, op="generate")
    dead = open_same(lease=1.0)
    with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as client:
        # The dead runner had started r00 and recorded its job id; r01's POST went
        # out but its answer was never recorded.
        job = client.generations.start(**{k: v for k, v in rows[0].items() if k != "key"})
        r00, r01 = claim(dead, "r00", ELSEWHERE), claim(dead, "r01", ELSEWHERE)
        assert r00 is not None and r01 is not None
        dead.record_intent(r00, "generation", "POST /generation/start", ELSEWHERE).result()
        dead.record_step(r00, "generation", {"job_id": job.job_id, "estimated": 5.0}, ELSEWHERE)
        dead.record_intent(r01, "generation", "POST /generation/start", ELSEWHERE).result()
        dead.flush().result()
        sim.clear_requests()

        started = time.monotonic()
        resumed = reelkit.batch.run_row(client, location, "r00", lease=1.0)
        assert time.monotonic() - started >= 0.9  # only once the lease ran out
        assert resumed.state == "done" and resumed.job_id == job.job_id
        unknown = reelkit.batch.run_row(client, location, "r01", lease=1.0)
        assert unknown.state == "unknown" and "may have gone out" in (unknown.error or "")
        assert starts(sim) == []  # nothing sent again
        assert reelkit.batch.run_row(client, location, "r01").state == "unknown"
        (left,) = open_same().records(["r01"])
        assert left.steps["generation"]["by"] == ELSEWHERE  # who may have sent it
        report = reelkit.batch.run(client, rows, ledger=location, op="generate")
    assert report.counts == {"done": 1, "failed": 0, "unknown": 1, "skipped": 0}
    assert starts(sim) == []
