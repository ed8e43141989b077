"""B8 (issue 13): what the client-side rate limiter costs per request when its budget
never binds, in-process and shared through Redis, against no limiter. Run by
`run.py` (a `redis-server` of its own on a free loopback port when the binary is
installed; without it the Redis rows are skipped and say so)."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from typing import Any

VARIANTS = ["none (rate_limit=0)", "default (headers only)", "in-process", "redis"]


@contextlib.contextmanager
def redis_server() -> Iterator[str | None]:
    """A throwaway `redis-server` on 127.0.0.1 (no persistence); None if absent."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    argv = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    proc = subprocess.Popen(
        argv + ["--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as c:
                    c.sendall(b"PING\r\n")
                    if c.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def run_b8(
    res: Any,
    worker: Callable[[dict[str, Any]], dict[str, Any]],
    rotated: Callable[[list[str], int], list[str]],
    common: dict[str, Any],
    r: int,
    store: str | None,
    sync_n: int,
    async_n: int,
) -> None:
    variants = [v for v in VARIANTS if v != "redis" or store is not None]
    for v in rotated(variants, r):
        spec = {"bench": "b8", "client": v, "store": store, **common}
        res.add("B8 sync", v, worker({**spec, "mode": "sync", "n": sync_n, "warmup": 100}))
    for v in rotated(variants, r):
        spec = {"bench": "b8", "client": v, "store": store, **common}
        res.add("B8 c=32", v, worker({**spec, "mode": "async", "n": async_n, "concurrency": 32}))


def report_b8(
    res: Any,
    med: Callable[[str, str, str], float | None],
    fmt: Callable[..., str],
    table: Callable[..., list[str]],
    info: dict[str, Any],
) -> list[str]:
    if "B8 sync" not in res.rows:
        return []
    lines = [
        f"### B8: rate limiter cost when the budget never binds "
        f"({info['b8_sync_calls']:,} sync calls, {info['b8_async_calls']:,} async at c=32)",
        "",
    ]
    ref_w = med("B8 sync", VARIANTS[0], "wall_us")
    ref_c = med("B8 sync", VARIANTS[0], "cpu_us")
    ref_a = med("B8 c=32", VARIANTS[0], "calls_per_s")
    rows = []
    for v in res.rows["B8 sync"]:
        w, c = med("B8 sync", v, "wall_us"), med("B8 sync", v, "cpu_us")
        a, ac = med("B8 c=32", v, "calls_per_s"), med("B8 c=32", v, "cpu_us")

        def diff(x: float | None, ref: float | None) -> str:
            return "" if x is None or ref is None else f"{x - ref:+.0f}"

        rows.append(
            (
                v,
                fmt(w),
                diff(w, ref_w),
                fmt(c),
                diff(c, ref_c),
                fmt(a),
                fmt(None if a is None or not ref_a else a / ref_a, 2),
                fmt(ac),
            )
        )
    header = (
        "rate_limit",
        "sync wall µs/call",
        "Δ wall µs",
        "sync CPU µs/call",
        "Δ CPU µs",
        "c=32 calls/s",
        "÷ none",
        "c=32 CPU µs/call",
    )
    lines += table(header, rows)
    lines += [
        "",
        "`in-process` and `redis` are `RateLimit(10**9, per=60)` (never binding); "
        "`default` is the `rate_limit=None` of a loopback base URL (no fixed rule; the "
        "simulator runs without a limit, so no headers arrive). With Redis each request "
        "runs one script to take its turn and one (in the background) to record its end; "
        "a process's turns are taken one at a time (first come first served), so async "
        "throughput is bounded by the Redis round trip.",
        "",
    ]
    if not any(v == "redis" for v in res.rows["B8 sync"]):
        lines += ["(no `redis-server` installed: the Redis rows were skipped)", ""]
    return lines
