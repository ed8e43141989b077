"""Concurrency: one client shared by many threads, one asyncio client driving a
thousand tasks, and both at once on the shared runtime.

Each scenario mixes reads (a video, two catalogues) with credit-spending POSTs
(a Hooked project per call) and checks, at the end:

- every call returned the right result (the seeded video, the same catalogues);
- every POST created exactly one project: the server saw as many POSTs as were
  made, and every returned video id is distinct (nothing lost, nothing paid twice);
- everything finished within the scenario's time bound (no deadlock: worker
  threads are daemons joined with a timeout, tasks run under `asyncio.wait_for`).

| scenario                    | threads x calls | asyncio tasks | bound |
| --------------------------- | --------------- | ------------- | ----- |
| sync client, 32 threads     | 32 x 50         | -             | 120 s |
| async client, 1,000 tasks   | -               | 1,000         | 120 s |
| sync threads + async tasks  | 8 x 25          | 250           | 120 s |
"""

from __future__ import annotations

import asyncio
import resource
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

import reelkit
from reelkit.testing import Simulator

SEED_VIDEO = "vid_abc123"  # pre-seeded COMPLETED Hooked video
CREATE_PATH = "/v1/project/create/talking-avatar"
BOUND = 120.0


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(job_seconds=3600, credits=1e9, rate_limit_per_minute=0) as s:
        yield s


@pytest.fixture(scope="module")
def reference(sim: Simulator) -> dict:
    """What the reads must return, fetched once, alone."""
    with reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url) as hooked:
        avatar, voice = hooked.avatars.list()[0], hooked.voices.list()[0]
        return {
            "hooked_voices": [v.id for v in hooked.voices.list()],
            "hoox_voices": [
                v.id
                for v in reelkit.Hoox(
                    api_key=sim.hoox_api_key, base_url=sim.hoox_base_url
                ).voices.list()
            ],
            "avatar_id": avatar.id,
            "voice_id": voice.id,
        }


@dataclass
class Tally:
    """What the calls returned, shared by all workers (under a lock)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    kinds: Counter = field(default_factory=Counter)
    created: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def record(self, kind: str, result, reference: dict) -> None:
        problem = None
        if kind == "get" and (result.id != SEED_VIDEO or result.status != "COMPLETED"):
            problem = f"get returned {result!r}"
        if kind == "hooked_voices" and [v.id for v in result] != reference["hooked_voices"]:
            problem = "hooked voices differ"
        if kind == "hoox_voices" and [v.id for v in result] != reference["hoox_voices"]:
            problem = "hoox voices differ"
        with self.lock:
            self.kinds[kind] += 1
            if kind == "create":
                self.created.append(result.video_id)
            if problem:
                self.wrong.append(problem)


KINDS = ("get", "hooked_voices", "hoox_voices", "create")


def sync_call(kind: str, hooked, hoox, ref: dict, label: str):
    if kind == "get":
        return hooked.videos.get(SEED_VIDEO)
    if kind == "hooked_voices":
        return hooked.voices.list()
    if kind == "hoox_voices":
        return hoox.voices.list()
    return hooked.projects.create_talking_avatar(
        script=f"Concurrency check {label}.", avatar_id=ref["avatar_id"], voice_id=ref["voice_id"]
    )


def run_threads(
    hooked, hoox, ref: dict, tally: Tally, threads: int, calls: int
) -> list[threading.Thread]:
    start = threading.Barrier(threads)

    def worker(i: int) -> None:
        start.wait(30)
        for j in range(calls):
            kind = KINDS[(i + j) % len(KINDS)]
            try:
                tally.record(kind, sync_call(kind, hooked, hoox, ref, f"t{i}.{j}"), ref)
            except BaseException as exc:  # reported below, never swallowed
                with tally.lock:
                    tally.wrong.append(f"thread {i} call {j} ({kind}): {exc!r}")

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for t in pool:
        t.start()
    return pool


async def run_tasks(ahooked, ahoox, ref: dict, tally: Tally, tasks: int) -> None:
    async def one(i: int) -> None:
        kind = KINDS[i % len(KINDS)]
        try:
            if kind == "get":
                result = await ahooked.videos.get(SEED_VIDEO)
            elif kind == "hooked_voices":
                result = await ahooked.voices.list()
            elif kind == "hoox_voices":
                result = await ahoox.voices.list()
            else:
                result = await ahooked.projects.create_talking_avatar(
                    script=f"Concurrency check task {i}.",
                    avatar_id=ref["avatar_id"],
                    voice_id=ref["voice_id"],
                )
            tally.record(kind, result, ref)
        except Exception as exc:
            with tally.lock:
                tally.wrong.append(f"task {i} ({kind}): {exc!r}")

    await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(tasks))), BOUND)


def creates_seen(sim: Simulator) -> int:
    return sum(1 for r in sim.requests() if r.method == "POST" and r.path == CREATE_PATH)


def check(sim: Simulator, tally: Tally, expected_calls: int) -> None:
    assert tally.wrong == [], tally.wrong[:5]
    assert sum(tally.kinds.values()) == expected_calls, tally.kinds
    # One POST on the wire per create call, one distinct project per POST.
    assert creates_seen(sim) == tally.kinds["create"]
    assert len(set(tally.created)) == len(tally.created) == tally.kinds["create"]


@pytest.fixture(autouse=True)
def _fresh(sim: Simulator) -> None:
    sim.clear_faults()
    sim.clear_requests()


@pytest.fixture
def enough_fds() -> None:
    """1,000 client connections and 1,000 server ones live in this one process."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 4096
    if soft < want:
        if hard != resource.RLIM_INFINITY and hard < want:
            pytest.skip(f"needs {want} open files, the hard limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        yield
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    else:
        yield


def clients(sim: Simulator, sync: bool = True):
    hooked_cls, hoox_cls = (
        (reelkit.Hooked, reelkit.Hoox) if sync else (reelkit.AsyncHooked, reelkit.AsyncHoox)
    )
    return (
        hooked_cls(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url),
        hoox_cls(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url),
    )


def join_all(pool: list[threading.Thread], deadline: float) -> None:
    for t in pool:
        t.join(max(0.0, deadline - time.monotonic()))
    stuck = sum(t.is_alive() for t in pool)
    assert stuck == 0, f"{stuck} threads still running after {BOUND:.0f} s: a deadlock?"


def test_one_sync_client_shared_by_32_threads(sim: Simulator, reference: dict) -> None:
    hooked, hoox = clients(sim)
    tally = Tally()
    started = time.monotonic()
    join_all(run_threads(hooked, hoox, reference, tally, 32, 50), started + BOUND)
    elapsed = time.monotonic() - started
    check(sim, tally, 32 * 50)
    print(f"\n  32 threads x 50 calls: {elapsed:.2f} s ({32 * 50 / elapsed:.0f} calls/s)")


def test_one_async_client_driving_1000_tasks(
    sim: Simulator, reference: dict, enough_fds: None
) -> None:
    tally = Tally()

    async def scenario() -> float:
        ahooked, ahoox = clients(sim, sync=False)
        async with ahooked, ahoox:
            started = time.monotonic()
            await run_tasks(ahooked, ahoox, reference, tally, 1000)
            return time.monotonic() - started

    elapsed = asyncio.run(scenario())
    check(sim, tally, 1000)
    print(f"\n  1,000 tasks: {elapsed:.2f} s ({1000 / elapsed:.0f} calls/s)")


def test_sync_threads_and_async_tasks_at_once(
    sim: Simulator, reference: dict, enough_fds: None
) -> None:
    hooked, hoox = clients(sim)
    tally = Tally()
    started = time.monotonic()
    pool = run_threads(hooked, hoox, reference, tally, 8, 25)

    async def tasks() -> None:
        ahooked, ahoox = clients(sim, sync=False)
        async with ahooked, ahoox:
            await run_tasks(ahooked, ahoox, reference, tally, 250)

    asyncio.run(tasks())
    join_all(pool, started + BOUND)
    check(sim, tally, 8 * 25 + 250)
