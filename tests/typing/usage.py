"""Typed usage of reelkit's public API: checked by mypy --strict and pyright
(tests/test_typing.py). Never executed: it only has to type-check."""

from __future__ import annotations

import asyncio
from pathlib import Path

import reelkit
from reelkit.hooked import Video
from reelkit.hoox import AvatarStatus, DuplicatedVideo, GenerationStatus, estimate_credits


def sync_usage() -> Path:
    client = reelkit.Hoox(api_key="hx_test_key", base_url="http://127.0.0.1:1", timeout=30.0)
    fast = client.with_options(timeout=5.0, max_retries=0)
    copy: DuplicatedVideo = fast.videos.duplicate("vid_1", voice_id="v", extra_headers={"x": "1"})
    assert copy.video_id is not None
    look: AvatarStatus = client.avatars.wait("avtr", "look", timeout=60.0, poll_interval=1.0)
    done: bool = look.is_complete
    status: GenerationStatus = client.generations.wait("run_1", on_progress=lambda s: None)
    video_id: str | None = status.video_id
    credits: float = estimate_credits("generation", duration=60)
    print(done, video_id, credits, copy.to_dict(), copy.raw)
    hooked = reelkit.Hooked(api_key="k")
    video: Video = hooked.videos.get("vid_abc123")
    for item in hooked.videos.iter(limit=50):
        print(item)
    return hooked.videos.download(video.id or "", "out/v.mp4")


async def async_usage() -> Video:
    async with reelkit.AsyncHooked(api_key="k") as hooked:
        videos = await asyncio.gather(hooked.videos.get("a"), hooked.videos.get("b"))
        async for item in hooked.videos.iter():
            print(item)
        path: Path = await hooked.videos.download("a", Path("out/a.mp4"))
        print(path)
        return await hooked.videos.wait(videos[0].id or "", timeout=10.0)


def errors() -> None:
    try:
        sync_usage()
    except reelkit.RateLimitError as exc:
        wait: float | None = exc.retry_after
        print(wait, exc.status_code, exc.code, exc.request_id)
    except reelkit.WaitTimeoutError as exc:
        print(exc.job_id, exc.last_status)
    except reelkit.JobFailedError as exc:
        print(exc.job_id, exc.code, exc.error_message)
    except reelkit.ValidationError as exc:
        print(exc.field, exc.rule)
    event = reelkit.hoox.parse_webhook(b"{}")
    print(event.id, event.is_complete)
