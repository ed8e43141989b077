"""Crash consistency of `reelkit batch run`: the runner (the CLI in a subprocess) is
killed with SIGKILL at 20 random moments of a 40-row Hoox generate batch against a
Simulator of this process, plus a few moments right after a paid POST reached the
server (the window a crash is most costly in), and run again each time until the batch
completes. Every row must end done, or unknown and listed; the simulator must have seen
exactly one paid start per done row and at most one per unknown row; no partial file
may be left; the simulator's credits must equal the report's (plus what unknown rows
were charged, which only the server knows)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

from _batch_util import (
    EXPORT_START,
    GENERATION_START,
    generate_rows,
    run_cli,
    start_cli,
    write_csv,
)
from reelkit.testing import Simulator, faults

RANDOM_KILLS = 20
POST_KILLS = 3
VIDEO_BYTES = 256 * 1024
GENERATION_CREDITS = 5.0  # what the simulator charges each of these short scripts
# The simulator's video bytes (src/sim/types.rs pattern_byte): a resumed file that is
# not a prefix plus the rest of the same video shows here.
EXPECTED = bytes(((i * 31) + (i >> 8)) & 0xFF for i in range(VIDEO_BYTES))


class Log:
    """The simulator's requests, drained after each run (so that waiting for a POST
    stays cheap) and counted per row key and per exported video."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.generations: Counter[str] = Counter()
        self.exports: Counter[str] = Counter()
        self.media_ranges = 0

    def drain(self) -> list[Any]:
        requests = self.sim.requests()
        self.sim.clear_requests()
        for req in requests:
            if req.method == "POST" and isinstance(req.json, dict):
                if req.path == GENERATION_START:
                    script = str(req.json.get("script", ""))
                    self.generations[script.split(".")[0].removeprefix("Batch row ")] += 1
                elif req.path == EXPORT_START:
                    self.exports[str(req.json.get("video_id"))] += 1
            if req.path.startswith("/media/") and req.header("range"):
                self.media_ranges += 1
        return requests

    def wait_for_paid_post(self, proc: subprocess.Popen[str], timeout: float) -> bool:
        """Poll (cheaply: the log holds this run's requests only) until a paid POST
        arrives; True if one did while the runner still runs."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and proc.poll() is None:
            native = self.sim._native.requests()
            if any(
                r["method"] == "POST" and r["path"] in (GENERATION_START, EXPORT_START)
                for r in native
            ):
                return True
            time.sleep(0.001)
        return False


def _kill(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def test_sigkill_at_random_moments_pays_once_and_leaves_no_partial_file(tmp_path: Path) -> None:
    seed = int(os.environ.get("REELKIT_CRASH_SEED") or random.randrange(1 << 30))
    rng = random.Random(seed)
    moments = ["random"] * RANDOM_KILLS + ["after-post"] * POST_KILLS
    rng.shuffle(moments)
    rows = generate_rows(40)
    csv_path = write_csv(tmp_path / "rows.csv", rows)
    ledger, out = tmp_path / "ledger.db", tmp_path / "out"
    args = [
        "batch", "run", str(csv_path), "--provider", "hoox", "--op", "generate",
        "--ledger", str(ledger), "--out", str(out), "--concurrency", "4", "--json",
        "--no-progress",
    ]  # fmt: skip
    # Jobs long enough that 20 kills (each at most 0.4 s into a run) cannot finish the
    # batch however fast the machine: the test needs its kills to land mid-batch.
    with Simulator(job_seconds=1.0, rate_limit_per_minute=0, video_bytes=VIDEO_BYTES) as sim:
        log = Log(sim)
        # Slow media for part of the run: kills then also land inside downloads.
        sim.inject("GET", "/media/*", faults.trickle(32 * 1024, 0.01), times=12)
        kills: list[str] = []
        for moment in moments:
            proc = start_cli(sim, *args)
            assert proc.stdout is not None and proc.stdout.readline() == "ready\n", seed
            if moment == "random":
                time.sleep(rng.uniform(0.0, 0.4))
                hit = proc.poll() is None
            else:
                hit = log.wait_for_paid_post(proc, timeout=5.0)
            if not hit:
                proc.communicate(timeout=60)
                break  # the batch finished before this moment came
            _kill(proc)
            kills.append(moment)
            time.sleep(0.2)  # requests the dead runner had sent are all served
            log.drain()
        code, doc, err = run_cli(sim, *args)
        log.drain()
        assert code in (0, 6), (seed, code, err[-2000:])
        used = sim.hoox_credits_used

    assert kills.count("random") >= RANDOM_KILLS, (seed, kills, "the batch ran out too early")
    by_key = {row["key"]: row for row in doc["rows"]}
    assert sorted(by_key) == sorted(r["key"] for r in rows)
    done = [r for r in doc["rows"] if r["state"] == "done"]
    unknown = [r for r in doc["rows"] if r["state"] == "unknown"]
    assert len(done) + len(unknown) == 40, (seed, doc["counts"])
    assert doc["counts"]["unknown"] == len(unknown)
    assert code == (6 if unknown else 0)
    for row in unknown:  # listed, with what to check
        assert "may have gone out" in row["error"] and "resubmit" in row["error"], row

    # Exactly one paid start per done row, at most one per unknown row, none other.
    for row in done:
        assert log.generations[row["key"]] == 1, (seed, row, log.generations[row["key"]])
        assert log.exports[row["video_id"]] == 1, (seed, row)
        assert row["credits"] == GENERATION_CREDITS, row
    for row in unknown:
        assert log.generations[row["key"]] <= 1, (seed, row)
        if row["video_id"]:
            assert log.exports[row["video_id"]] <= 1, (seed, row)
    assert set(log.generations) <= set(by_key), seed
    assert set(log.exports) <= {r["video_id"] for r in doc["rows"] if r["video_id"]}, seed

    # No partial file: exactly the done rows' videos, complete; nothing beside them.
    assert sorted(os.listdir(out)) == sorted(f"{r['key']}.mp4" for r in done), seed
    for row in done:
        assert Path(row["path"]).read_bytes() == EXPECTED, row
    assert not [p for p in tmp_path.rglob("*.part")], seed

    # The server's bill: the report's credits, plus the unknown rows it charged.
    charged_unknown = sum(
        GENERATION_CREDITS
        for r in unknown
        if r["credits"] is None and log.generations[r["key"]] == 1
    )
    assert abs(used - (doc["credits"] + charged_unknown)) < 1e-6, (seed, used, doc["credits"])
    print(
        f"seed {seed}: {len(kills)} kills ({kills.count('after-post')} right after a paid "
        f"POST), {len(unknown)} unknown, {log.media_ranges} downloads resumed with Range"
    )


def test_download_killed_midway_is_resumed_with_range_by_the_next_run(tmp_path: Path) -> None:
    """The temporary file is named per target and job: the next run finds what the
    killed one wrote, asks only for the rest (Range), and leaves nothing behind, also
    removing a stale temporary file of an older naming."""
    size = 2 * 1024 * 1024
    expected = bytes(((i * 31) + (i >> 8)) & 0xFF for i in range(size))
    csv_path = write_csv(tmp_path / "rows.csv", generate_rows(1))
    out = tmp_path / "out"
    args = [
        "batch", "run", str(csv_path), "--provider", "hoox", "--op", "generate",
        "--ledger", str(tmp_path / "ledger.db"), "--out", str(out), "--json", "--no-progress",
    ]  # fmt: skip
    with Simulator(job_seconds=0.1, rate_limit_per_minute=0, video_bytes=size) as sim:
        sim.inject("GET", "/media/*", faults.trickle(64 * 1024, 0.02), times=1)
        proc = start_cli(sim, *args)
        deadline = time.monotonic() + 60
        parts: list[Path] = []
        while time.monotonic() < deadline and proc.poll() is None:
            parts = [p for p in out.glob(".r00.mp4.*.part") if p.stat().st_size > 256 * 1024]
            if parts:
                break
            time.sleep(0.005)
        assert parts, "the download never started"
        _kill(proc)
        (left,) = list(out.glob(".r00.mp4.*.part"))  # what the kill left
        written = left.stat().st_size
        assert 0 < written < size
        stale = out / ".r00.mp4.4242.0badf00d.part"  # an older version's per-process name
        stale.write_bytes(b"x" * 10)
        sim.clear_requests()

        code, doc, err = run_cli(sim, *args)
        assert code == 0, err
        ranges = [r.header("range") for r in sim.requests() if r.path.startswith("/media/")]
        assert len(ranges) == 1 and ranges[0] is not None
        start = int(ranges[0].removeprefix("bytes=").rstrip("-"))
        assert start == written, (written, ranges)  # resumed where the kill stopped it
        generations = [r for r in sim.requests() if r.path == GENERATION_START]
        assert generations == []  # the rerun paid for nothing
    assert (out / "r00.mp4").read_bytes() == expected
    assert sorted(os.listdir(out)) == ["r00.mp4"]
    assert doc["rows"][0]["path"] == str(out / "r00.mp4")
