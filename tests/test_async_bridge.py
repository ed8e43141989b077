"""Async results reach asyncio through a per-loop completion queue (src/py/bridge.rs):
no tokio thread touches Python and a burst of results costs one wake-up; loops
without `add_reader` use pyo3-async-runtimes' awaitables instead."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap

import pytest

import reelkit
from reelkit import _client
from reelkit.testing import Simulator


@pytest.fixture(scope="module")
def sim():
    with Simulator(job_seconds=0.2, rate_limit_per_minute=0, credits=1e9) as s:
        yield s


async def _statuses(sim: Simulator, count: int) -> list:
    async with reelkit.AsyncHoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as c:
        job = await c.generations.start(prompt="bridge test", duration=30)
        results = await asyncio.gather(*(c.generations.status(job.job_id) for _ in range(count)))
        assert all(r.job_id == job.job_id for r in results)
        return results


def test_a_burst_of_concurrent_calls_all_complete(sim):
    assert len(asyncio.run(_statuses(sim, 300))) == 300


def test_one_bridge_per_loop(sim):
    async def bridge():
        await _statuses(sim, 2)
        loop = asyncio.get_running_loop()
        assert _client._loop_bridge(loop) is _client._loop_bridge(loop)
        return _client._loop_bridge(loop)

    first = asyncio.run(bridge())
    if os.name == "posix":
        assert isinstance(first, reelkit._native.LoopBridge)
    assert asyncio.run(bridge()) is not first  # a new loop gets its own


class _NoReaderLoop(asyncio.SelectorEventLoop):
    """A loop without add_reader, like Windows' proactor loop."""

    def add_reader(self, *args, **kwargs):
        raise NotImplementedError


def test_loops_without_add_reader_use_the_portable_path(sim):
    loop = _NoReaderLoop()
    try:
        results = loop.run_until_complete(_statuses(sim, 50))
        assert len(results) == 50
        assert _client._loop_bridge(loop) is None
    finally:
        loop.close()


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_short_lived_loops_do_not_leak_sockets(sim):
    asyncio.run(_statuses(sim, 1))
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(30):
        asyncio.run(_statuses(sim, 1))
    import gc

    gc.collect()
    # At most the most recent loop's bridge (kept for the next call) stays open.
    assert len(os.listdir("/proc/self/fd")) <= before + 2


def test_errors_arrive_as_reelkit_errors(sim):
    async def go():
        async with reelkit.AsyncHoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as c:
            await c.generations.status("run_does_not_exist")

    with pytest.raises(reelkit.NotFoundError):
        asyncio.run(go())


def test_exit_with_requests_finishing_does_not_crash(sim):
    # Results used to be delivered by tokio's blocking threads taking the GIL, which
    # could crash the interpreter when they raced its shutdown.
    script = textwrap.dedent(
        f"""
        import asyncio, reelkit

        async def main():
            c = reelkit.AsyncHoox(api_key={sim.hoox_api_key!r}, base_url={sim.hoox_base_url!r})
            job = await c.generations.start(prompt="exit test", duration=30)
            calls = [c.generations.status(job.job_id) for _ in range(2000)]
            await asyncio.gather(*calls)
            # Leave some in flight while the interpreter exits.
            for _ in range(64):
                asyncio.ensure_future(c.generations.status(job.job_id))
            await asyncio.sleep(0)

        asyncio.run(main())
        """
    )
    for _ in range(4):
        proc = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
