"""Issue 13's scenario against the simulator, and the logging a rate-limited run
produces: 150 generations started and awaited in one `asyncio.gather` with a
default `AsyncHoox` finish 150 of 150, each paid once; with `rate_limit=100` the
simulator answers no 429 at all; a wait logs at most one WARNING per job; nothing
reaches stderr unless the application asked for logs. The simulator's window is
shortened (same 100 requests, a 2.5 s window) so the test takes seconds."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import textwrap
from collections import Counter

import pytest

import reelkit
from reelkit.testing import Simulator, faults

WINDOW = 2.5
JOBS = 150
GEN = {"prompt": "Solar energy", "duration": 30, "voice_id": "voice_en_us_female_1"}


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def records():
    handler = Records()
    logger = logging.getLogger("reelkit")
    old = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)


@pytest.mark.parametrize("rate_limit", [None, 100], ids=["default", "rate_limit=100"])
def test_150_generations_in_one_gather(rate_limit, records):
    with Simulator(
        job_seconds=0.5,
        credits=1e6,
        rate_limit_per_minute=100,
        rate_limit_window_seconds=WINDOW,
    ) as sim:
        # rate_limit=100 means 100 per 60 s; the shortened window needs the same
        # 100 per WINDOW seconds.
        limit = None if rate_limit is None else reelkit.RateLimit(rate_limit, per=WINDOW)

        async def main() -> list[object]:
            client = reelkit.AsyncHoox(
                sim.hoox_api_key, base_url=sim.hoox_base_url, rate_limit=limit
            )
            return await asyncio.gather(
                *(client.generations.create_and_wait(**GEN, poll_interval=1) for _ in range(JOBS)),
                return_exceptions=True,
            )

        results = asyncio.run(main())
        errors = [r for r in results if isinstance(r, BaseException)]
        assert not errors, errors[:3]
        assert all(r.is_complete for r in results)  # type: ignore[union-attr]
        # Each paid once: 5 credits per 30 s generation, one accepted start each.
        assert sim.hoox_credits_used == 5 * JOBS
        if rate_limit is not None:
            assert sim.hoox_rate_limited == 0
        else:
            # Only the first burst, sent before any header was known, can be refused.
            assert sim.hoox_rate_limited <= JOBS - 100
        warnings = [r for r in records if r.levelno >= logging.WARNING]
        per_job = Counter(r.getMessage().split(" ")[1] for r in warnings)
        assert all(n <= 1 for n in per_job.values()), per_job


def test_a_wait_warns_once_and_repeats_at_debug(records):
    with Simulator(job_seconds=0.3, rate_limit_per_minute=0) as sim:
        client = reelkit.Hoox(sim.hoox_api_key, base_url=sim.hoox_base_url, max_retries=0)
        job = client.generations.start(**GEN)
        sim.inject("GET", f"*/generation/status/{job.job_id}", faults.status(503), times=4)
        status = client.generations.wait(job.job_id, poll_interval=0.05)
        assert status.is_complete
    about_job = [r for r in records if job.job_id in r.getMessage() and "polling" in r.getMessage()]
    levels = [r.levelname for r in about_job]
    assert levels == ["WARNING", "DEBUG", "DEBUG", "DEBUG"], levels


SCRIPT = textwrap.dedent(
    """
    import reelkit
    from reelkit.testing import Simulator, faults

    with Simulator(job_seconds=0.2, rate_limit_per_minute=0) as sim:
        client = reelkit.Hoox(sim.hoox_api_key, base_url=sim.hoox_base_url, max_retries=0)
        job = client.generations.start(
            prompt="x", duration=30, voice_id="voice_en_us_female_1"
        )
        sim.inject("GET", "*/generation/status/*", faults.status(503), times=3)
        client.generations.wait(job.job_id, poll_interval=0.05)
    print("done")
    """
)


@pytest.mark.parametrize("env", [{}, {"REELKIT_LOG": "warning"}], ids=["quiet", "REELKIT_LOG"])
def test_nothing_on_stderr_unless_asked(env):
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "done"
    if env:
        lines = [line for line in out.stderr.splitlines() if "polling" in line]
        assert len(lines) == 1 and "WARNING" in lines[0], out.stderr
    else:
        assert out.stderr == ""
