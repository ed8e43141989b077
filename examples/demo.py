"""reelkit's end-to-end demo: every main workflow of both APIs, offline by default.

    python examples/demo.py            # against the built-in simulator (no key, no network)
    python examples/demo.py --live     # against the real APIs (HOOX_API_KEY / HOOKED_API_KEY)

Hoox: create an avatar from a prompt and wait for its look, generate a video with it
and wait, export the MP4 and download it into ./out/, then duplicate the video with
another voice. Hooked: create a talking-avatar video, wait and download it. Batch: five
videos from five rows with reelkit.batch (into ./out/batch/), then the same batch again,
which finds everything done in its ledger and redoes nothing. Waits and downloads show
progress bars (tqdm if installed, else a plain line). Prints what it did, the credits
used and the files written.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import reelkit
import reelkit.batch


def need(value: str | None, what: str) -> str:
    """Catalogue entries and finished jobs carry ids; say so loudly if one does not."""
    if not value:
        raise RuntimeError(f"the API returned no {what}")
    return value


def run_hoox(client: reelkit.Hoox, out: Path, poll: float | None) -> list[Path]:
    print("Hoox")
    voices = client.voices.list(language="en")
    if len(voices) < 2:
        voices = client.voices.list()
    print(f"  {len(voices)} voices; using {voices[0].name!r} ({voices[0].id})")

    job = client.avatars.create(
        prompt="Young entrepreneur in a modern office, confident smile",
        style="iphone",
        format="vertical",
        name="Alex",
        resolution="2K",
    )
    print(f"  avatar {job.avatar_id}: generating look {job.look_id}")
    look = client.avatars.wait(
        job.avatar_id,
        job.look_id,
        poll_interval=poll,
        progress=True,
    )
    print(f"  look {look.look_id} is {look.status}")

    started = client.generations.start(
        script="Stop scrolling. Here is the three-step morning routine that changed everything.",
        voice_id=need(voices[0].id, "voice id"),
        avatar_id=job.look_id,
        format="vertical",
    )
    print(f"  generation {started.job_id} started (estimated {started.estimated_credits} credits)")
    generation = client.generations.wait(
        started.job_id,
        poll_interval=poll,
        progress=True,
    )
    video_id = need(generation.video_id, "generated video id")
    print(
        f"  video {video_id} generated ({(generation.result or {}).get('duration')} s, "
        f"{(generation.result or {}).get('cost')} credits)"
    )

    export = client.exports.start(video_id, format="vertical")
    client.exports.wait(export.job_id, poll_interval=poll, progress=True)
    path = client.exports.download(export.job_id, out / f"hoox-{video_id}.mp4", progress=True)
    print(f"  exported and downloaded {path} ({path.stat().st_size} bytes)")

    other_voice = need((voices[1] if len(voices) > 1 else voices[0]).id, "voice id")
    copy = client.videos.duplicate(video_id, voice_id=other_voice)
    print(f"  duplicated as {copy.video_id} with voice {other_voice}: {copy.changes_applied}")
    return [path]


def run_hooked(client: reelkit.Hooked, out: Path, poll: float | None) -> list[Path]:
    print("Hooked")
    avatars = client.avatars.list(type="library")
    voices = client.voices.list()
    print(f"  {len(avatars)} avatars, {len(voices)} voices; using {avatars[0].name!r}")
    project = client.projects.create_talking_avatar(
        script="Hey! I tried this app for a week and here's what happened.",
        avatar_id=need(avatars[0].id, "avatar id"),
        voice_id=need(voices[0].id, "voice id"),
        name="reelkit demo",
        caption={"preset": "tiktok", "alignment": "bottom"},
    )
    print(f"  project {project.project_id}: video {project.video_id} {project.status}")
    video = client.videos.wait(
        need(project.video_id, "video id"),
        poll_interval=poll,
        progress=True,
    )
    video_id = need(video.id, "video id")
    path = client.videos.download(video_id, out / f"hooked-{video_id}.mp4", progress=True)
    print(f"  downloaded {path} ({path.stat().st_size} bytes, {video.used_credits} credits)")
    return [path]


def run_batch(client: reelkit.Hoox, out: Path, poll: float | None, sim: Any) -> None:
    print("Batch")
    voice = need(client.voices.list()[0].id, "voice id")
    rows = [
        {"key": f"ad-{i}", "script": f"Ad {i}: five videos, one call.", "voice_id": voice}
        for i in range(1, 6)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "batch.db"
        options: dict[str, Any] = {"op": "generate", "out_dir": out / "batch"}
        first = reelkit.batch.run(
            client, rows, ledger=ledger, progress=True, concurrency=5, poll_interval=poll, **options
        )
        print(f"  {first.summary()} -> {out / 'batch'}")
        before = len(sim.requests()) if sim is not None else 0
        again = reelkit.batch.run(client, rows, ledger=ledger, **options)
        sent = f"{len(sim.requests()) - before} requests sent, " if sim is not None else ""
        same = [r.job_id for r in again.rows] == [r.job_id for r in first.rows]
        print(f"  again: {again.summary()}; {sent}{'nothing redone' if same else 'REDONE'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--live", action="store_true", help="use the real APIs (keys from env)")
    parser.add_argument("--out", default="out", help="folder for the MP4s (default ./out)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    with contextlib.ExitStack() as stack:
        if args.live:
            if not (os.environ.get("HOOX_API_KEY") and os.environ.get("HOOKED_API_KEY")):
                parser.error("--live needs HOOX_API_KEY and HOOKED_API_KEY")
            hoox, hooked, poll, sim = reelkit.Hoox(), reelkit.Hooked(), None, None
        else:
            from reelkit.testing import Simulator

            # The simulator enforces Hoox's 100 requests a minute; the clients follow its
            # X-RateLimit-* headers, so the demo's fast polling never meets a 429.
            sim = stack.enter_context(Simulator(job_seconds=2.0))
            print(f"Simulator at {sim.url} (offline; pass --live for the real APIs)")
            hoox = reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url)
            hooked = reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url)
            poll = 0.25
        stack.enter_context(hoox)
        stack.enter_context(hooked)
        files = run_hoox(hoox, out, poll) + run_hooked(hooked, out, poll)
        run_batch(hoox, out, poll, sim)
        print()
        if sim is not None:
            print(
                f"Credits used: {sim.hoox_credits_used:g} on Hoox, "
                f"{sim.hooked_credits_used:g} on Hooked (simulated)"
            )
        print("Files written:")
        for path in files:
            print(f"  {path} ({path.stat().st_size} bytes)")
        print(f"Done in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
