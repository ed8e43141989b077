"""Soak: N requests through reelkit against the simulator, watching memory and
file descriptors for leaks.

    python benches/soak.py                      # 100,000 requests (a few minutes)
    python benches/soak.py --requests 5000      # the short run pytest does

The simulator runs as ``python -m reelkit.testing`` in a subprocess; this process
is the client. Requests go in rounds: a run of sync calls on one ``Hooked`` and one
``Hoox`` client, then a batch of concurrent asyncio calls on their async twins.
The mix covers the success path (a video, two catalogues), the error path (a
missing video: ``NotFoundError`` built and dropped) and a credit-spending POST.

Every ``--interval`` requests it prints the client's RSS and open file descriptors
(and the server's, for information: the simulator keeps every job it created, so
its memory grows by design). After ``--warmup`` requests the first sample is the
baseline; the run fails (exit 1) if a later sample's RSS exceeds it by more than
``--rss-slack-mib`` MiB, or its descriptors by more than ``--fd-slack``, or if any
call returned something wrong. Linux (``/proc``) gives exact figures; elsewhere
RSS is the peak (``getrusage``) and descriptors are counted in ``/dev/fd``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass

import reelkit

SEED_VIDEO = "vid_abc123"
MISSING_VIDEO = "vid_does_not_exist"
SYNC_RUN = 200  # sync calls per round
ASYNC_BATCH = 50  # concurrent asyncio calls per round


def rss_bytes(pid: int | None = None) -> int:
    path = f"/proc/{pid or 'self'}/status"
    try:
        with open(path) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    if pid is not None:
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def open_fds(pid: int | None = None) -> int:
    for path in (f"/proc/{pid or 'self'}/fd", "/dev/fd" if pid is None else ""):
        if path and os.path.isdir(path):
            try:
                return len(os.listdir(path))
            except OSError:
                continue
    return -1


@dataclass
class Sample:
    requests: int
    seconds: float
    rss_mib: float
    fds: int
    server_rss_mib: float
    server_fds: int


class Simulator:
    """`python -m reelkit.testing` in a subprocess, stopped with SIGTERM."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reelkit.testing", "--port", "0", "--rate-limit", "0",
             "--credits", "1e12", "--job-seconds", "3600"],
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        self.urls: dict[str, tuple[str, str]] = {}
        deadline = time.monotonic() + 30
        while len(self.urls) < 2 and time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if "base_url=" in line:
                name, rest = line.strip().split(":", 1)
                fields = dict(part.split("=", 1) for part in rest.split())
                self.urls[name.strip()] = (fields["base_url"], fields["api_key"])
        if len(self.urls) < 2:
            self.close()
            raise RuntimeError("the simulator did not start")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


class Soak:
    def __init__(self, sim: Simulator, args: argparse.Namespace) -> None:
        self.sim = sim
        self.args = args
        self.done = 0
        self.wrong: list[str] = []
        self.samples: list[Sample] = []
        self.started = time.monotonic()
        hooked_url, hooked_key = sim.urls["Hooked"]
        hoox_url, hoox_key = sim.urls["Hoox"]
        self.hooked = reelkit.Hooked(api_key=hooked_key, base_url=hooked_url)
        self.hoox = reelkit.Hoox(api_key=hoox_key, base_url=hoox_url)
        self.ahooked = reelkit.AsyncHooked(api_key=hooked_key, base_url=hooked_url)
        self.ahoox = reelkit.AsyncHoox(api_key=hoox_key, base_url=hoox_url)
        avatar, voice = self.hooked.avatars.list()[0], self.hooked.voices.list()[0]
        self.avatar_id, self.voice_id = avatar.id, voice.id
        self.voices = [v.id for v in self.hooked.voices.list()]
        self.hoox_voices = [v.id for v in self.hoox.voices.list()]

    # -- one call of each kind, checked ---------------------------------------------------

    def kind(self, i: int) -> str:
        if i % 25 == 0:
            return "create"
        if i % 10 == 0:
            return "missing"
        return ("get", "voices", "hoox_voices")[i % 3]

    def check(self, kind: str, result: object) -> None:
        ok = {
            "get": lambda r: r.id == SEED_VIDEO,
            "voices": lambda r: [v.id for v in r] == self.voices,
            "hoox_voices": lambda r: [v.id for v in r] == self.hoox_voices,
            "create": lambda r: bool(r.video_id),
            "missing": lambda r: isinstance(r, reelkit.NotFoundError),
        }[kind](result)
        if not ok and len(self.wrong) < 20:
            self.wrong.append(f"{kind}: {result!r}"[:300])

    def sync_call(self, kind: str) -> object:
        try:
            if kind == "get":
                return self.hooked.videos.get(SEED_VIDEO)
            if kind == "missing":
                return self.hooked.videos.get(MISSING_VIDEO)
            if kind == "voices":
                return self.hooked.voices.list()
            if kind == "hoox_voices":
                return self.hoox.voices.list()
            return self.hooked.projects.create_talking_avatar(
                script="Soak.", avatar_id=self.avatar_id, voice_id=self.voice_id
            )
        except reelkit.ReelkitError as exc:
            return exc

    async def async_call(self, kind: str) -> object:
        try:
            if kind == "get":
                return await self.ahooked.videos.get(SEED_VIDEO)
            if kind == "missing":
                return await self.ahooked.videos.get(MISSING_VIDEO)
            if kind == "voices":
                return await self.ahooked.voices.list()
            if kind == "hoox_voices":
                return await self.ahoox.voices.list()
            return await self.ahooked.projects.create_talking_avatar(
                script="Soak.", avatar_id=self.avatar_id, voice_id=self.voice_id
            )
        except reelkit.ReelkitError as exc:
            return exc

    # -- the run -------------------------------------------------------------------------

    def sample(self) -> None:
        s = Sample(
            requests=self.done,
            seconds=round(time.monotonic() - self.started, 2),
            rss_mib=round(rss_bytes() / 2**20, 2),
            fds=open_fds(),
            server_rss_mib=round(rss_bytes(self.sim.proc.pid) / 2**20, 2),
            server_fds=open_fds(self.sim.proc.pid),
        )
        self.samples.append(s)
        if not self.args.json:
            print(
                f"{s.requests:>9,} {s.seconds:>9.1f} {s.rss_mib:>10.1f} {s.fds:>6}"
                f" {s.server_rss_mib:>12.1f} {s.server_fds:>11}",
                flush=True,
            )

    async def run(self) -> None:
        n, interval = self.args.requests, self.args.interval
        deadline = self.started + self.args.max_seconds
        next_sample = 0
        while self.done < n:
            if time.monotonic() > deadline:
                self.wrong.append(f"gave up after {self.args.max_seconds:.0f} s at {self.done}")
                break
            for _ in range(min(SYNC_RUN, n - self.done)):
                kind = self.kind(self.done)
                self.check(kind, self.sync_call(kind))
                self.done += 1
            batch = [self.kind(self.done + k) for k in range(min(ASYNC_BATCH, n - self.done))]
            results = await asyncio.gather(*(self.async_call(k) for k in batch))
            for kind, result in zip(batch, results, strict=True):
                self.check(kind, result)
            self.done += len(batch)
            if self.done >= next_sample:
                self.sample()
                next_sample = self.done + interval
        if self.samples[-1].requests != self.done:
            self.sample()

    def verdict(self) -> list[str]:
        problems = list(self.wrong)
        after = [s for s in self.samples if s.requests >= self.args.warmup]
        if len(after) < 2:
            problems.append("too few samples after warm-up to judge growth")
            return problems
        base = after[0]
        worst_rss = max(after, key=lambda s: s.rss_mib)
        worst_fds = max(after, key=lambda s: s.fds)
        if worst_rss.rss_mib - base.rss_mib > self.args.rss_slack_mib:
            problems.append(
                f"RSS grew {worst_rss.rss_mib - base.rss_mib:.1f} MiB after warm-up "
                f"({base.rss_mib:.1f} -> {worst_rss.rss_mib:.1f} MiB at "
                f"{worst_rss.requests:,} requests; slack {self.args.rss_slack_mib} MiB)"
            )
        if worst_fds.fds - base.fds > self.args.fd_slack:
            problems.append(
                f"open descriptors grew by {worst_fds.fds - base.fds} after warm-up "
                f"({base.fds} -> {worst_fds.fds}; slack {self.args.fd_slack})"
            )
        return problems


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=100_000, help="how many calls in all")
    p.add_argument("--interval", type=int, default=None, help="calls between samples")
    p.add_argument("--warmup", type=int, default=None, help="calls before the baseline")
    p.add_argument("--rss-slack-mib", type=float, default=8.0, help="allowed RSS growth")
    p.add_argument("--fd-slack", type=int, default=4, help="allowed descriptor growth")
    p.add_argument("--max-seconds", type=float, default=3600.0, help="give up after this")
    p.add_argument("--json", action="store_true", help="print one JSON report at the end")
    args = p.parse_args(argv)
    if args.interval is None:
        args.interval = max(SYNC_RUN + ASYNC_BATCH, args.requests // 20)
    if args.warmup is None:
        args.warmup = max(1000, args.requests // 10)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sim = Simulator()
    try:
        soak = Soak(sim, args)
        if not args.json:
            print(f"soak: {args.requests:,} requests, warm-up {args.warmup:,}, "
                  f"sample every {args.interval:,}")  # fmt: skip
            print(f"{'requests':>9} {'seconds':>9} {'RSS MiB':>10} {'FDs':>6}"
                  f" {'server MiB':>12} {'server FDs':>11}")  # fmt: skip
        soak.sample()
        asyncio.run(soak.run())
        problems = soak.verdict()
    finally:
        sim.close()
    elapsed = time.monotonic() - soak.started
    if args.json:
        print(json.dumps({
            "requests": soak.done,
            "seconds": round(elapsed, 2),
            "samples": [asdict(s) for s in soak.samples],
            "problems": problems,
        }))  # fmt: skip
    else:
        print(f"{soak.done:,} requests in {elapsed:.1f} s ({soak.done / elapsed:,.0f}/s)")
        print("FAIL:\n  " + "\n  ".join(problems) if problems else "OK: no growth after warm-up")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
