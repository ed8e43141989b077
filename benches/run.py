"""reelkit benchmarks (issue 7): every benchmark, side by side, in one run.

    python benches/run.py [--quick] [--out benches/results.md] [--only B1,B2]
                          [--rounds N] [--port N] [--baseline benches/baseline.json]

Starts the simulator in its own process (``python -m reelkit.testing --port N``), a
replay server for B4, then runs one fresh worker process per (benchmark, client,
round), interleaving the clients round by round so that load drifts hit them all
alike, and writes a markdown table of medians and ratios (plus the raw numbers as
JSON next to it). With ``--baseline`` (a JSON written by an earlier run), reelkit's
earlier numbers are shown as "before" rows.

Only 127.0.0.1 is used; every wait is bounded. Targets are reported, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import queue
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import _batch  # noqa: E402  (B7, the batch runner)
from _ratelimit_bench import redis_server, report_b8, run_b8  # noqa: E402  (B8)

WORKER = HERE / "_worker.py"
REPLAY = HERE / "_replay.py"
ROOT = HERE.parent
MiB = 1024 * 1024

# ---------------------------------------------------------------------------- processes


class Server:
    """A server subprocess whose startup lines are read with a deadline."""

    def __init__(self, argv: Sequence[str], ready: str, lines: int, timeout: float = 30.0):
        self.argv = list(argv)
        self.proc = subprocess.Popen(
            self.argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines = self._read(lines, timeout)
        if not self.lines or not self.lines[0].startswith(ready):
            self.stop()
            raise RuntimeError(f"{' '.join(self.argv)} did not start: {self.lines!r}")

    def _read(self, count: int, timeout: float) -> list[str]:
        """The first `count` stdout lines, or fewer if `timeout` passes first."""
        assert self.proc.stdout is not None
        stdout = self.proc.stdout
        lines: queue.Queue[str] = queue.Queue()
        # A daemon reader: readline() on a pipe cannot take a timeout itself.
        threading.Thread(
            target=lambda: [lines.put(stdout.readline()) for _ in range(count)], daemon=True
        ).start()
        got: list[str] = []
        deadline = time.monotonic() + timeout
        while len(got) < count:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if not line:
                break
            got.append(line.rstrip("\n"))
        return got

    def stop(self) -> str:
        """SIGTERM, then the rest of stdout (SIGKILL after 30 s)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            out, _ = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate(timeout=10)
        return out or ""


class Simulator(Server):
    def __init__(self, port: int, job_seconds: float, video_bytes: int = 0) -> None:
        argv = [sys.executable, "-m", "reelkit.testing", "--port", str(port)]
        argv += ["--job-seconds", str(job_seconds), "--credits", "1e12", "--rate-limit", "0"]
        argv += ["--video-bytes", str(video_bytes)]
        super().__init__(argv, "reelkit simulator listening on", 2)
        m = re.search(r"base_url=(\S+)\s+api_key=(\S+)", self.lines[1])
        assert m, self.lines
        self.base_url, self.api_key = m.group(1), m.group(2)

    def stop_and_count(self) -> int | None:
        """Stop; how many requests it served (printed by `python -m reelkit.testing`)."""
        m = re.search(r"\((\d+) requests served\)", self.stop())
        return int(m.group(1)) if m else None


def worker(
    spec: dict[str, Any], timeout: float = 900.0, script: str | Path = WORKER
) -> dict[str, Any]:
    try:
        p = subprocess.run(
            [sys.executable, str(script), json.dumps(spec)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={k: v for k, v in os.environ.items() if not k.startswith(("REELKIT_", "HOOX_"))},
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if p.returncode != 0:
        tail = (p.stderr or p.stdout).strip().splitlines()[-3:]
        return {"error": " | ".join(tail)}
    return json.loads(p.stdout.strip().splitlines()[-1])


def available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "-"


# ---------------------------------------------------------------------------- plan


def rotated(items: Sequence[Any], r: int) -> list[Any]:
    """The clients in a different order each round (so none is always first)."""
    k = r % len(items) if items else 0
    return list(items[k:]) + list(items[:k])


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class Results:
    """rows[bench][client] -> list of per-round result dicts."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
        self.errors: list[str] = []

    def add(self, bench: str, client: str, result: dict[str, Any]) -> None:
        if "error" in result:
            self.errors.append(f"{bench} {client}: {result['error']}")
            log(f"  {bench:10} {client:22} ERROR {result['error']}")
            return
        self.rows.setdefault(bench, {}).setdefault(client, []).append(result)
        shown = ", ".join(
            f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()
        )
        log(f"  {bench:10} {client:22} {shown}")

    def median(self, bench: str, client: str, key: str) -> float | None:
        values = [
            r[key] for r in self.rows.get(bench, {}).get(client, []) if r.get(key) is not None
        ]
        return statistics.median(values) if values else None

    def to_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "errors": self.errors}


def run_benchmarks(args: argparse.Namespace, res: Results) -> dict[str, Any]:
    quick = args.quick
    only = {b.strip().upper() for b in args.only.split(",")} if args.only else None
    wanted = lambda b: only is None or b in only  # noqa: E731
    rounds = args.rounds or (1 if quick else 5)
    video_bytes = args.video_bytes or (32 * MiB if quick else 256 * MiB)
    info: dict[str, Any] = {"rounds": rounds, "video_bytes": video_bytes}

    sync_clients = ["reelkit"] + [c for c in ("httpx", "requests", "pyreqwest") if available(c)]
    async_clients = ["reelkit"] + [c for c in ("aiohttp", "httpx", "pyreqwest") if available(c)]
    b1_n = 300 if quick else 2000
    b2_n = 1000 if quick else 5000
    b3_jobs = 200 if quick else 1000
    b3_interval, b3_job_seconds = 0.5, 3.0
    b4_items = 5000
    b4_n = 3 if quick else 15
    b8_sync, b8_async = (300, 1000) if quick else (2000, 5000)
    info.update(
        b8_sync_calls=b8_sync,
        b8_async_calls=b8_async,
        b1_calls=b1_n,
        b2_calls=b2_n,
        b3_jobs=b3_jobs,
        b3_poll_interval=b3_interval,
        b3_job_seconds=b3_job_seconds,
        b4_items=b4_items,
        b4_calls=b4_n,
    )

    from reelkit.hoox import Hoox

    sim = Simulator(args.port, job_seconds=0.2, video_bytes=video_bytes)
    replay = None
    tmp = tempfile.TemporaryDirectory(prefix="reelkit-bench-", dir=args.tmp)
    stack = contextlib.ExitStack()
    try:
        store = stack.enter_context(redis_server()) if wanted("B8") else None
        base, key = sim.base_url, sim.api_key
        with Hoox(api_key=key, base_url=base) as client:
            job = client.generations.start(prompt="benchmark status calls", duration=30)
            status = client.generations.wait(job.job_id, poll_interval=0.05, timeout=60)
            export = client.exports.create_and_wait("vid_seed_done", poll_interval=0.05)
        video_url = export.result["video_url"]
        info["status_body_bytes"] = len(json.dumps(status.raw))
        common = {"base_url": base, "api_key": key}
        if wanted("B4"):
            replay = Server(
                [sys.executable, str(REPLAY), "--items", str(b4_items)], "replay listening on", 1
            )
            replay_base = replay.lines[0].split()[-1]

        for r in range(rounds):
            log(f"round {r + 1}/{rounds}")
            if wanted("B1"):
                for c in rotated(sync_clients, r):
                    spec = {"bench": "b1", "client": c, "job_id": job.job_id, **common}
                    res.add("B1", c, worker({**spec, "n": b1_n, "warmup": 100}))
            if wanted("B2"):
                for conc in (32, 256):
                    for c in rotated(async_clients, r):
                        spec = {"bench": "b2", "client": c, "job_id": job.job_id, **common}
                        spec.update(n=b2_n, concurrency=conc)
                        res.add(f"B2 c={conc}", c, worker(spec))
            if wanted("B3"):
                b3_clients = ["reelkit", "reelkit+on_progress"] + async_clients[1:]
                for c in rotated(b3_clients, r):
                    res.add("B3", c, run_b3(args.port, c, b3_jobs, b3_interval, b3_job_seconds))
            if wanted("B4"):
                b4_clients = ["reelkit", "json.loads+dataclass"] + [
                    c for c in ("httpx", "pyreqwest") if available(c)
                ]
                for c in rotated(b4_clients, r):
                    spec = {"bench": "b4", "client": c, "base_url": replay_base, "api_key": "x"}
                    spec.update(n=b4_n, warmup=2, items=b4_items)
                    res.add("B4", c, worker(spec))
            if wanted("B5"):
                b5_clients = ["reelkit", "httpx"] + (["curl"] if has_curl() else [])
                for c in rotated(b5_clients, r):
                    spec = {"bench": "b5", "client": c, "url": video_url, **common}
                    spec.update(bytes=video_bytes, dir=tmp.name, export_job_id=export.job_id)
                    res.add("B5", c, worker(spec))
            if wanted("B6"):
                run_b6(res, r, quick)
            if wanted("B7"):
                _batch.run_b7(res, worker, Simulator, args.port, tmp.name, r)
            if wanted("B8"):
                b8_common = {**common, "job_id": job.job_id}
                run_b8(res, worker, rotated, b8_common, r, store, b8_sync, b8_async)
    finally:
        stack.close()
        if replay is not None:
            replay.stop()
        sim.stop()
        tmp.cleanup()
    return info


def run_b3(port: int, client: str, jobs: int, interval: float, job_seconds: float) -> dict:
    """One B3 run on a fresh simulator, so its request count is this run's polls."""
    # A separate port from the main simulator's (which is still running).
    sim = Simulator(0 if port == 0 else port + 1, job_seconds=job_seconds)
    try:
        spec = {"bench": "b3", "client": client, "base_url": sim.base_url, "api_key": sim.api_key}
        spec.update(jobs=jobs, poll_interval=interval, connections=256)
        result = worker(spec)
    finally:
        served = sim.stop_and_count()
    if "error" in result:
        return result
    polls = served - result["created"] if served is not None else None
    result["server_polls"] = polls
    result["polls"] = polls if polls is not None else result["client_polls"]
    result["cpu_us_per_poll"] = result["cpu_s"] / result["polls"] * 1e6
    result["polls_per_job"] = result["polls"] / jobs
    return result


def has_curl() -> bool:
    try:
        subprocess.run(["curl", "--version"], capture_output=True, timeout=10, check=True)
        return True
    except (OSError, subprocess.SubprocessError):
        return False


B6_MODULES = ["reelkit", "reelkit.hoox", "httpx", "requests", "aiohttp", "pyreqwest", "openai"]

_RSS_SNIPPET = """
import sys
def rss():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
before = rss()
t0 = __import__("time").perf_counter()
__import__(sys.argv[1])
t1 = __import__("time").perf_counter()
print(rss() - before, (t1 - t0) * 1e6)
"""


def import_cumulative_us(module: str) -> float | None:
    p = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if p.returncode != 0:
        return None
    top = None
    for line in p.stderr.splitlines():
        parts = [x.strip() for x in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == module.split(".")[0] and parts[1].isdigit():
            top = int(parts[1])
        if len(parts) == 3 and parts[2] == module and parts[1].isdigit():
            top = int(parts[1])
    return float(top) if top is not None else None


def run_b6(res: Results, r: int, quick: bool) -> None:
    reps = 3 if quick else 7
    for m in rotated([m for m in B6_MODULES if available(m.split(".")[0])], r):
        for _ in range(reps):
            p = subprocess.run(
                [sys.executable, "-c", _RSS_SNIPPET, m], capture_output=True, text=True, timeout=60
            )
            if p.returncode != 0:
                res.add("B6", m, {"error": p.stderr.strip().splitlines()[-1:]})
                break
            rss_kb, in_process_us = p.stdout.split()
            res.add(
                "B6",
                m,
                {
                    "importtime_ms": (import_cumulative_us(m) or float("nan")) / 1e3,
                    "import_ms": float(in_process_us) / 1e3,
                    "rss_mb": int(rss_kb) / 1024,
                },
            )


# ---------------------------------------------------------------------------- report


def fmt(x: float | None, digits: int = 0) -> str:
    if x is None:
        return "-"
    return f"{x:,.{digits}f}"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def verdict(value: float | None, target: float, higher_is_better: bool) -> str:
    if value is None:
        return "n/a"
    ok = value >= target if higher_is_better else value <= target
    return "met" if ok else "**missed**"


def machine() -> dict[str, Any]:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_before": os.getloadavg(),
        "versions": {
            d: version(d)
            for d in ("reelkit", "httpx", "requests", "aiohttp", "pyreqwest", "openai", "pydantic")
        },
        "curl": curl_version(),
    }


def curl_version() -> str:
    try:
        out = subprocess.run(["curl", "--version"], capture_output=True, text=True, timeout=10)
        return out.stdout.split()[1]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "-"


Row = tuple[str, ...]


def table(header: Row, rows: list[Row]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def report(
    res: Results,
    info: dict[str, Any],
    mach: dict[str, Any],
    base: Results | None,
    label: str,
) -> str:
    med = res.median
    bmed: Callable[[str, str, str], float | None] = (
        base.median if base is not None else (lambda *a: None)
    )
    lines: list[str] = []
    load = mach["load_before"]
    lines += [
        f"Machine: {mach['cores']} cores, {mach['cpu']}; {mach['platform']}; "
        f"Python {mach['python']}.",
        f"Load average (1/5/15 min) before: {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}, "
        f"after: {info['load_after'][0]:.2f}/{info['load_after'][1]:.2f}/"
        f"{info['load_after'][2]:.2f}. Run took {info['seconds']:.0f} s, "
        f"{info['rounds']} round(s); medians over rounds.",
        "Versions: "
        + ", ".join(f"{k} {v}" for k, v in mach["versions"].items())
        + f", curl {mach['curl']}.",
        "",
    ]
    summary: list[Row] = []

    def before_row(bench: str, client: str, cols: Callable[[Callable], Row]) -> list[Row]:
        if base is None or not base.rows.get(bench, {}).get(client):
            return []
        return [cols(bmed)]

    # B1
    if "B1" in res.rows:
        lines.append(f"### B1: sync call overhead ({info['b1_calls']:,} `generations.status`)")
        lines.append("")
        ref_w, ref_c = med("B1", "httpx", "wall_us"), med("B1", "httpx", "cpu_us")
        rows: list[Row] = []
        for c in res.rows["B1"]:

            def cols(m: Callable, c: str = c, tag: str = "") -> Row:
                w, cpu = m("B1", c, "wall_us"), m("B1", c, "cpu_us")
                return (
                    c + tag,
                    fmt(w),
                    fmt(cpu),
                    fmt(ratio(w, ref_w), 2),
                    fmt(ratio(cpu, ref_c), 2),
                )

            if c == "reelkit":
                rows += before_row("B1", c, lambda m: cols(m, tag=f" ({label})"))
            rows.append(cols(med))
        lines += table(
            ("client", "wall µs/call", "CPU µs/call", "wall ÷ httpx", "CPU ÷ httpx"), rows
        )
        lines.append("")
        rk_w, rk_c = med("B1", "reelkit", "wall_us"), med("B1", "reelkit", "cpu_us")
        pr_w, pr_c = med("B1", "pyreqwest", "wall_us"), med("B1", "pyreqwest", "cpu_us")
        for metric, a, b, t, name in (
            ("wall", rk_w, ref_w, 0.5, "httpx"),
            ("CPU", rk_c, ref_c, 0.5, "httpx"),
            ("wall", rk_w, pr_w, 1.25, "pyreqwest"),
            ("CPU", rk_c, pr_c, 1.25, "pyreqwest"),
        ):
            v = ratio(a, b)
            summary.append(
                (f"B1 {metric} reelkit ÷ {name}", f"≤ {t}", fmt(v, 2), verdict(v, t, False))
            )

    # B2
    b2 = [k for k in res.rows if k.startswith("B2")]
    if b2:
        lines.append(f"### B2: async throughput ({info['b2_calls']:,} status calls)")
        lines.append("")
        rows = []
        for bench in b2:
            ref = med(bench, "httpx", "calls_per_s")
            for c in res.rows[bench]:

                def cols(
                    m: Callable, c: str = c, bench: str = bench, ref: Any = ref, tag: str = ""
                ) -> Row:
                    t, cpu = m(bench, c, "calls_per_s"), m(bench, c, "cpu_us")
                    return (bench[3:], c + tag, fmt(t), fmt(cpu), fmt(ratio(t, ref), 1))

                if c == "reelkit":
                    rows += before_row(bench, c, lambda m: cols(m, tag=f" ({label})"))
                rows.append(cols(med))
            rk = med(bench, "reelkit", "calls_per_s")
            for name, t in (("aiohttp", 1.0), ("httpx", 5.0)):
                v = ratio(rk, med(bench, name, "calls_per_s"))
                summary.append(
                    (
                        f"B2 {bench[3:]} calls/s reelkit ÷ {name}",
                        f"≥ {t}",
                        fmt(v, 2),
                        verdict(v, t, True),
                    )
                )
        lines += table(("concurrency", "client", "calls/s", "CPU µs/call", "calls/s ÷ httpx"), rows)
        lines.append("")

    # B3
    if "B3" in res.rows:
        lines.append(
            f"### B3: {info['b3_jobs']:,} concurrent waits (job {info['b3_job_seconds']} s, "
            f"poll_interval {info['b3_poll_interval']} s)"
        )
        lines.append("")
        ref = med("B3", "aiohttp", "cpu_us_per_poll")
        rows = []
        for c in res.rows["B3"]:

            def cols(m: Callable, c: str = c, tag: str = "") -> Row:
                per = m("B3", c, "cpu_us_per_poll")
                return (
                    c + tag,
                    fmt(m("B3", c, "polls")),
                    fmt(m("B3", c, "wall_s"), 2),
                    fmt(m("B3", c, "cpu_s"), 2),
                    fmt(per),
                    fmt(ratio(per, ref), 2),
                )

            if c == "reelkit":
                rows += before_row("B3", c, lambda m: cols(m, tag=f" ({label})"))
            rows.append(cols(med))
        lines += table(
            ("client", "polls", "wall s", "client CPU s", "CPU µs/poll", "÷ aiohttp"), rows
        )
        lines += [
            "",
            "Polls are counted by the simulator (requests served minus job creations); "
            "`reelkit+on_progress` also runs a Python callback (model built) per poll.",
            "",
        ]

    # B4
    if "B4" in res.rows:
        lines.append(f"### B4: decode a {info['b4_items']:,}-item `avatars.list` into models")
        lines.append("")
        ref = med("B4", "json.loads+dataclass", "wall_ms")
        ref_h = med("B4", "httpx", "wall_ms")
        rows = []
        for c in res.rows["B4"]:

            def cols(m: Callable, c: str = c, tag: str = "") -> Row:
                w = m("B4", c, "wall_ms")
                return (
                    c + tag,
                    fmt(w, 1),
                    fmt(m("B4", c, "cpu_ms"), 1),
                    fmt(ratio(w, ref), 2),
                    fmt(ratio(w, ref_h), 2),
                )

            if c == "reelkit":
                rows += before_row("B4", c, lambda m: cols(m, tag=f" ({label})"))
            rows.append(cols(med))
        lines += table(
            ("client", "wall ms/call", "CPU ms/call", "÷ json.loads+dataclass", "÷ httpx"), rows
        )
        lines += [
            "",
            "`json.loads+dataclass` decodes a body already in memory (no HTTP); every other "
            "row is the whole call over loopback, so the ratio against it is conservative.",
            "",
        ]
        v = ratio(med("B4", "reelkit", "wall_ms"), ref)
        summary.append(
            ("B4 reelkit ÷ json.loads+dataclass", "≤ 0.5", fmt(v, 2), verdict(v, 0.5, False))
        )

    # B5
    if "B5" in res.rows:
        lines.append(f"### B5: download a {info['video_bytes'] / MiB:.0f} MiB video to disk")
        lines.append("")
        ref = med("B5", "curl", "mb_per_s")
        rows = []
        for c in res.rows["B5"]:

            def cols(m: Callable, c: str = c, tag: str = "") -> Row:
                t = m("B5", c, "mb_per_s")
                growth = m("B5", c, "rss_growth_mb")
                peak = m("B5", c, "curl_peak_rss_mb")
                return (
                    c + tag,
                    fmt(t),
                    fmt(ratio(t, ref), 2),
                    fmt(m("B5", c, "cpu_s"), 2),
                    fmt(growth, 1) if c != "curl" else f"(curl's own peak RSS {fmt(peak, 1)})",
                )

            if c == "reelkit":
                rows += before_row("B5", c, lambda m: cols(m, tag=f" ({label})"))
            rows.append(cols(med))
        lines += table(("client", "MB/s", "÷ curl", "client CPU s", "peak RSS growth MB"), rows)
        lines.append("")
        v = ratio(med("B5", "reelkit", "mb_per_s"), ref)
        summary.append(("B5 throughput reelkit ÷ curl", "≥ 0.9", fmt(v, 2), verdict(v, 0.9, True)))
        g = med("B5", "reelkit", "rss_growth_mb")
        summary.append(
            ("B5 reelkit peak RSS growth (MB)", "≤ 32", fmt(g, 1), verdict(g, 32, False))
        )

    # B6
    if "B6" in res.rows:
        lines.append("### B6: import (fresh interpreter)")
        lines.append("")
        rows = []
        for c in res.rows["B6"]:

            def cols(m: Callable, c: str = c, tag: str = "") -> Row:
                return (
                    f"`import {c}`" + tag,
                    fmt(m("B6", c, "import_ms"), 1),
                    fmt(m("B6", c, "importtime_ms"), 1),
                    fmt(m("B6", c, "rss_mb"), 1),
                )

            if c.startswith("reelkit"):
                rows += before_row("B6", c, lambda m: cols(m, tag=f" ({label})"))
            rows.append(cols(med))
        lines += table(("module", "import ms", "-X importtime ms", "RSS after import MB"), rows)
        lines += [
            "",
            "`import ms`: wall time of the import statement in a fresh interpreter; "
            "`-X importtime`: the module's cumulative time as CPython reports it (the "
            "tracing adds overhead); RSS: growth of VmRSS across the import.",
            "",
        ]
        v = med("B6", "reelkit", "import_ms")
        summary.append(("B6 `import reelkit` ms", "< 50", fmt(v, 1), verdict(v, 50, False)))

    if "B7" in res.rows:
        b7_lines, b7_summary = _batch.report_b7(res, fmt, ratio, verdict, table)
        lines += b7_lines
        summary += b7_summary
    lines += report_b8(res, med, fmt, table, info)

    head = ["## Summary", ""] + table(("target", "goal", "measured", ""), summary) + [""]
    errors = ["## Errors", ""] + [f"- {e}" for e in res.errors] + [""] if res.errors else []
    return "\n".join(head + lines + errors)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true", help="fewer calls, one round (a smoke run)")
    p.add_argument("--out", default=str(HERE / "results.md"), help="markdown report")
    p.add_argument("--json", default=None, help="raw results (default: --out with .json)")
    p.add_argument("--only", default=None, help="comma list, e.g. B1,B4")
    p.add_argument("--rounds", type=int, default=0, help="rounds (default 5, --quick 1)")
    p.add_argument("--port", type=int, default=0, help="simulator port (0 = a free one)")
    p.add_argument("--video-bytes", type=int, default=0, help="B5 size (default 256 MiB)")
    p.add_argument("--baseline", default=None, help="JSON of an earlier run: 'before' rows")
    p.add_argument("--label", default="before", help="tag of the baseline rows")
    p.add_argument("--tmp", default=None, help="directory for B5's downloads")
    args = p.parse_args(argv)

    mach = machine()
    log(f"load average before: {mach['load_before']}")
    res = Results()
    t0 = time.monotonic()
    info = run_benchmarks(args, res)
    info["seconds"] = time.monotonic() - t0
    info["load_after"] = os.getloadavg()
    base = None
    if args.baseline:
        data = json.loads(Path(args.baseline).read_text())
        base = Results()
        base.rows = data["results"]["rows"]
    text = "# reelkit benchmarks\n\n" + report(res, info, mach, base, args.label) + "\n"
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    raw = Path(args.json) if args.json else out.with_suffix(".json")
    raw.write_text(
        json.dumps({"machine": mach, "info": info, "results": res.to_json()}, indent=1) + "\n"
    )
    print(text)
    log(f"wrote {out} and {raw}")
    return 1 if res.errors else 0


if __name__ == "__main__":
    sys.exit(main())
