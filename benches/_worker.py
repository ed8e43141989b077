"""One measurement in a fresh interpreter.

    python benches/_worker.py '{"bench": "b1", "client": "httpx", ...}'

prints one JSON object (the result) as its last stdout line. `run.py` starts one
worker per (benchmark, client, round), so no client shares a process, a connection
pool or a heap high-water mark with another.

CPU is `time.process_time()`: user + system time of every thread of the process
(reelkit's and pyreqwest's Rust runtime threads included).
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _clients import make_async, make_sync, plain_builder


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux: write 5 to clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _timed(fn: Callable[[], Any], n: int) -> tuple[float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(n):
        fn()
    return time.perf_counter() - t0, time.process_time() - c0


# ------------------------------------------------------------------ B1 sync calls


def b1(spec: dict[str, Any]) -> dict[str, Any]:
    from reelkit._models.hoox import GenerationStatus

    name, base, key, job = spec["client"], spec["base_url"], spec["api_key"], spec["job_id"]
    if name == "reelkit":
        from reelkit.hoox import Hoox

        client = Hoox(api_key=key, base_url=base)
        status = client.generations.status

        def call() -> Any:
            return status(job)

    else:
        build = plain_builder(GenerationStatus)
        http = make_sync(name, base, key)
        path = f"/generation/status/{job}"
        get = http.get_json

        def call() -> Any:
            return build(get(path))

    for _ in range(spec["warmup"]):
        result = call()
    assert type(result) is GenerationStatus and result.job_id == job, result
    wall, cpu = _timed(call, spec["n"])
    n = spec["n"]
    return {"wall_us": wall / n * 1e6, "cpu_us": cpu / n * 1e6, "n": n}


# ------------------------------------------------------------------ B2 async throughput


async def _spread(call: Callable[[], Awaitable[Any]], n: int, concurrency: int) -> None:
    """`n` calls by `concurrency` tasks, each looping over its share."""

    async def worker(count: int) -> None:
        for _ in range(count):
            await call()

    share, extra = divmod(n, concurrency)
    await asyncio.gather(*(worker(share + (i < extra)) for i in range(concurrency)))


async def _b2(spec: dict[str, Any]) -> dict[str, Any]:
    from reelkit._models.hoox import GenerationStatus

    name, base, key, job = spec["client"], spec["base_url"], spec["api_key"], spec["job_id"]
    conc, n = spec["concurrency"], spec["n"]
    close: Callable[[], Awaitable[Any]]
    if name == "reelkit":
        from reelkit.hoox import AsyncHoox

        client = AsyncHoox(api_key=key, base_url=base)
        status = client.generations.status

        def call() -> Awaitable[Any]:
            return status(job)

        close = client.close
    else:
        build = plain_builder(GenerationStatus)
        http = make_async(name, base, key, conc)
        path = f"/generation/status/{job}"
        get = http.get_json

        async def call() -> Any:
            return build(await get(path))

        close = http.aclose

    result = await call()
    assert type(result) is GenerationStatus and result.job_id == job, result
    await _spread(call, 2 * conc, conc)  # open the connections
    t0, c0 = time.perf_counter(), time.process_time()
    await _spread(call, n, conc)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    await close()
    return {"calls_per_s": n / wall, "cpu_us": cpu / n * 1e6, "wall_s": wall, "n": n}


def b2(spec: dict[str, Any]) -> dict[str, Any]:
    return asyncio.run(_b2(spec))


# ------------------------------------------------------------------ B3 polling at scale


async def _bounded(coros: list[Awaitable[Any]], limit: int) -> list[Any]:
    sem = asyncio.Semaphore(limit)

    async def one(c: Awaitable[Any]) -> Any:
        async with sem:
            return await c

    return await asyncio.gather(*(one(c) for c in coros))


async def _b3(spec: dict[str, Any]) -> dict[str, Any]:
    from reelkit._models.hoox import GenerationJob, GenerationStatus

    name, base, key = spec["client"], spec["base_url"], spec["api_key"]
    jobs_n, interval = spec["jobs"], spec["poll_interval"]
    start_body = {"prompt": "benchmark polling", "duration": 30}
    polls = 0
    if name.startswith("reelkit"):
        from reelkit.hoox import AsyncHoox

        client = AsyncHoox(api_key=key, base_url=base)
        counting = name == "reelkit+on_progress"

        def on_progress(status: GenerationStatus) -> None:
            nonlocal polls
            polls += 1

        async def create() -> str:
            return (await client.generations.start(**start_body)).job_id

        async def wait(job: str) -> GenerationStatus:
            nonlocal polls
            result = await client.generations.wait(
                job,
                poll_interval=interval,
                timeout=600,
                on_progress=on_progress if counting else None,
            )
            if counting:
                polls += 1  # the final poll is not reported to on_progress
            return result

        close = client.close
    else:
        http = make_async(name, base, key, spec["connections"])
        build_status = plain_builder(GenerationStatus)
        build_job = plain_builder(GenerationJob)

        async def create() -> str:
            return build_job(await http.post_json("/generation/start", start_body)).job_id

        async def wait(job: str) -> GenerationStatus:
            nonlocal polls
            path = f"/generation/status/{job}"
            deadline = time.monotonic() + 600
            while True:
                status = build_status(await http.get_json(path))
                polls += 1
                if status.status in ("completed", "failed"):
                    return status
                if time.monotonic() > deadline:
                    raise TimeoutError(job)
                await asyncio.sleep(interval)

        close = http.aclose

    jobs = await _bounded([create() for _ in range(jobs_n)], 64)
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    done = await asyncio.gather(*(wait(j) for j in jobs))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    await close()
    completed = sum(1 for s in done if s.status == "completed")
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "client_polls": polls if name != "reelkit" else None,
        "created": jobs_n,
        "completed": completed,
    }


def b3(spec: dict[str, Any]) -> dict[str, Any]:
    return asyncio.run(_b3(spec))


# ------------------------------------------------------------------ B4 decode


def b4(spec: dict[str, Any]) -> dict[str, Any]:
    from reelkit._models.hoox import Look

    name, base, key, n = spec["client"], spec["base_url"], spec["api_key"], spec["n"]
    build = plain_builder(Look)
    if name == "reelkit":
        from reelkit.hoox import Hoox

        client = Hoox(api_key=key, base_url=base)
        call: Callable[[], Any] = client.avatars.list
    elif name == "json.loads+dataclass":
        # Decode only: the body is already in memory (no transport at all).
        body = make_sync("httpx", base, key).client.get(base + "/avatar/list").content

        def call() -> Any:
            return [build(x) for x in json.loads(body)]

    else:
        http = make_sync(name, base, key)

        def call() -> Any:
            return [build(x) for x in http.get_json("/avatar/list")]

    for _ in range(spec["warmup"]):
        result = call()
    assert len(result) == spec["items"] and type(result[0]) is Look, len(result)
    wall, cpu = _timed(call, n)
    return {"wall_ms": wall / n * 1e3, "cpu_ms": cpu / n * 1e3, "n": n}


# ------------------------------------------------------------------ B5 download


def b5(spec: dict[str, Any]) -> dict[str, Any]:
    name, url, size = spec["client"], spec["url"], spec["bytes"]
    target = Path(spec["dir"]) / f"b5-{name}-{os.getpid()}.mp4"
    extra: dict[str, Any] = {}
    try:
        if name == "reelkit":
            from reelkit.hoox import Hoox

            client = Hoox(api_key=spec["api_key"], base_url=spec["base_url"])
            job = spec["export_job_id"]

            def run() -> None:
                client.exports.download(job, target)

        elif name == "httpx":
            import httpx

            client = httpx.Client(timeout=60.0)

            def run() -> None:
                with client.stream("GET", url) as r, open(target, "wb") as f:
                    r.raise_for_status()
                    for chunk in r.iter_bytes():
                        f.write(chunk)

        elif name == "curl":

            def run() -> None:
                proc = subprocess.Popen(["curl", "-sS", "--fail", "-o", str(target), url])
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(status)
                if proc.returncode:
                    raise RuntimeError(f"curl exited with {proc.returncode}")
                extra["curl_peak_rss_mb"] = usage.ru_maxrss / 1024

        else:
            raise ValueError(name)
        gc.collect()
        rss0 = _status_kb("VmRSS")
        reset = _reset_peak_rss()
        t0, c0 = time.perf_counter(), time.process_time()
        run()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        hwm = _status_kb("VmHWM")
        got = target.stat().st_size
        assert got == size, (got, size)
    finally:
        target.unlink(missing_ok=True)
    return {
        "mb_per_s": size / wall / 1e6,
        "wall_s": wall,
        "cpu_s": cpu,
        "rss_growth_mb": (hwm - rss0) / 1024 if reset else None,
        **extra,
    }


# ------------------------------------------------------------------ B8 rate limiter


def _rate_limit(spec: dict[str, Any]) -> Any:
    """The `rate_limit=` of a B8 variant; the rules never bind (10^9 per minute)."""
    import reelkit

    return {
        "none (rate_limit=0)": 0,
        "default (headers only)": None,
        "in-process": reelkit.RateLimit(10**9, per=60),
        "redis": reelkit.RateLimit(10**9, per=60, store=spec.get("store")),
    }[spec["client"]]


def b8(spec: dict[str, Any]) -> dict[str, Any]:
    from reelkit.hoox import AsyncHoox, Hoox

    base, key, job, n = spec["base_url"], spec["api_key"], spec["job_id"], spec["n"]
    limit = _rate_limit(spec)
    if spec["mode"] == "sync":
        client = Hoox(api_key=key, base_url=base, rate_limit=limit)
        status = client.generations.status
        for _ in range(spec["warmup"]):
            status(job)
        wall, cpu = _timed(lambda: status(job), n)
        return {"wall_us": wall / n * 1e6, "cpu_us": cpu / n * 1e6, "n": n}

    async def run() -> dict[str, Any]:
        conc = spec["concurrency"]
        aclient = AsyncHoox(api_key=key, base_url=base, rate_limit=limit)
        astatus = aclient.generations.status
        await _spread(lambda: astatus(job), 2 * conc, conc)
        t0, c0 = time.perf_counter(), time.process_time()
        await _spread(lambda: astatus(job), n, conc)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        return {"calls_per_s": n / wall, "cpu_us": cpu / n * 1e6, "n": n}

    return asyncio.run(run())


BENCHES = {"b1": b1, "b2": b2, "b3": b3, "b4": b4, "b5": b5, "b8": b8}


def main() -> int:
    spec = json.loads(sys.argv[1])
    result = BENCHES[spec["bench"]](spec)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
