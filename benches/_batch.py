"""B7 (issue 14): N Hoox `generate` rows (no export) against a simulator with instant
jobs and no rate limit, either through `reelkit.batch.arun` (SQLite ledger, WAL,
synchronous=FULL) or as a bare `asyncio.gather` of the same start + wait calls with
no ledger. As a worker it prints one JSON line: wall seconds, CPU seconds and peak RSS
growth in MB (this process's high-water mark, reset after set-up where the kernel
allows it). `run_b7` / `report_b7` are what benches/run.py calls.

    python benches/_batch.py '{"mode": "batch"|"gather", "n": 2000, "base_url": ...,
                               "api_key": ..., "concurrency": 256, "dir": ...}'
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from typing import Any


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    try:  # Linux >= 4.0: "5" resets VmHWM to the current RSS
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def rows(n: int) -> list[dict[str, Any]]:
    return [
        {
            "key": f"row{i:05d}",
            "prompt": f"Benchmark ad number {i}",
            "duration": 30,
            "export": False,
        }
        for i in range(n)
    ]


async def main(spec: dict[str, Any]) -> dict[str, Any]:
    import reelkit
    import reelkit.batch

    client = reelkit.AsyncHoox(api_key=spec["api_key"], base_url=spec["base_url"])
    items = rows(spec["n"])
    # Warm the connection pool and the code paths on a few calls first, both modes.
    job = await client.generations.start(prompt="warm up", duration=30)
    await client.generations.wait(job.job_id)
    ledger = os.path.join(spec["dir"], f"bench-{os.getpid()}.db")
    _reset_peak()
    before = _status_kb("VmRSS")
    cpu0, t0 = time.process_time(), time.perf_counter()
    if spec["mode"] == "batch":
        report = await reelkit.batch.arun(
            client, items, ledger=ledger, op="generate", concurrency=spec["concurrency"]
        )
        assert report.counts["done"] == spec["n"], report.counts
    else:

        async def one(params: dict[str, Any]) -> Any:
            started = await client.generations.start(
                prompt=params["prompt"], duration=params["duration"]
            )
            return await client.generations.wait(started.job_id)

        done = await asyncio.gather(*(one(r) for r in items))
        assert all(d.video_id for d in done)
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    peak = max(_status_kb("VmHWM"), _status_kb("VmRSS"))
    await client.close()
    return {"wall_s": wall, "cpu_s": cpu, "rss_growth_mb": (peak - before) / 1024}


# -- used by benches/run.py --------------------------------------------------------------

B7_ROWS = 2000
B7_CONCURRENCY = 100  # rows in flight for the runner; the gather has all 2,000 at once


def run_b7(res: Any, worker: Any, simulator: Any, port: int, tmp: str, r: int) -> None:
    """One round: both modes, in a rotating order, on a fresh instant-job simulator."""
    sim = simulator(0 if port == 0 else port + 2, job_seconds=0.0)
    try:
        for mode in ("gather", "batch") if r % 2 == 0 else ("batch", "gather"):
            spec = {"base_url": sim.base_url, "api_key": sim.api_key, "dir": tmp}
            spec.update(mode=mode, n=B7_ROWS, concurrency=B7_CONCURRENCY)
            res.add("B7", mode, worker(spec, script=__file__))
    finally:
        sim.stop()


def report_b7(
    res: Any, fmt: Any, ratio: Any, verdict: Any, table: Any
) -> tuple[list[str], list[Any]]:
    med = res.median
    lines = [
        f"### B7: batch of {B7_ROWS:,} `generate` rows (no export), instant jobs, no rate limit",
        "",
    ]
    rows = []
    for mode in ("gather", "batch"):
        rows.append(
            (
                "reelkit.batch.arun (SQLite ledger)" if mode == "batch" else "bare asyncio.gather",
                fmt(med("B7", mode, "wall_s"), 2),
                fmt(med("B7", mode, "cpu_s"), 2),
                fmt(med("B7", mode, "rss_growth_mb"), 1),
            )
        )
    lines += table(("", "wall s", "CPU s", "peak RSS growth MB"), rows)
    lines += [
        "",
        f"The runner keeps {B7_CONCURRENCY} rows in flight and commits each paid POST's "
        "intent (fsync) before sending it; the gather sends all calls at once, with no ledger.",
        "",
    ]
    v = ratio(med("B7", "batch", "wall_s"), med("B7", "gather", "wall_s"))
    g = med("B7", "batch", "rss_growth_mb")
    summary = [
        ("B7 batch wall ÷ bare gather", "≤ 1.5", fmt(v, 2), verdict(v, 1.5, False)),
        ("B7 batch peak RSS growth (MB)", "≤ 64", fmt(g, 1), verdict(g, 64, False)),
    ]
    return lines, summary


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(json.loads(sys.argv[1])))))
