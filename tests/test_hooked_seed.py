"""The Hooked seed workflow (shared/seeds/hooked-get-video.txt): get a video, wait
until COMPLETED, download it; sync and async."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path

import pytest

from reelkit.testing import Replay

VIDEO_BYTES = 65_536 + 123

SEED_FIELDS = {
    "id": "vid_abc123",
    "name": "Product Tutorial",
    "type": "class",
    "status": "COMPLETED",
    "url": "https://s3.amazonaws.com/hooked-videos/vid_abc123.mp4",
    "thumbnail": "https://cdn.tryhooked.ai/thumbnails/abc123.jpg",
    "progress": 100,
    "message": "Video completed successfully",
    "duration_in_frames": 7500,
    "duration_in_seconds": 300,
    "avatar_id": "avatar_sarah_01",
    "voice_id": "tzX5paJ07p5hyWFcU3uG",
    "music_id": "1",
    "video_settings": {
        "aspectRatio": "ratio_9_16",
        "caption": {"disabled": False, "preset": "classic"},
    },
    "script": "Hello! Welcome to this tutorial...",
    "project_id": "proj_abc123",
    "created_at": datetime(2024, 1, 15, 10, 0, tzinfo=timezone.utc),
    "updated_at": datetime(2024, 1, 15, 10, 5, tzinfo=timezone.utc),
    "used_credits": 5,
    "webhook": None,
}


def pattern(n: int) -> bytes:
    """The bytes a cassette's `pattern_bytes: n` serves (sim::types::pattern_byte)."""
    return bytes(((i * 31) + (i >> 8)) & 0xFF for i in range(n))


@pytest.mark.cassette("hooked/get_video")
def test_get_video_maps_every_seed_field(cassette, run):
    video = run.hooked(cassette.hooked_base_url, lambda c: c.videos.get("vid_abc123"))

    assert type(video).__name__ == "Video"
    for name, expected in SEED_FIELDS.items():
        assert getattr(video, name) == expected, name
    assert video.created_at.tzinfo is not None and video.updated_at.tzinfo is not None
    assert video.created_at.utcoffset().total_seconds() == 0
    # The status string is kept as the server sent it; phases are case-insensitive.
    assert video.is_complete and not video.is_failed and not video.is_pending
    # raw is the envelope's `data` object, untouched (camelCase wire names).
    assert video.raw["durationInFrames"] == 7500
    assert video.raw["createdAt"] == "2024-01-15T10:00:00Z"
    assert "success" not in video.raw
    # to_dict(): the snake_case fields, no `raw`.
    as_dict = video.to_dict()
    assert "raw" not in as_dict
    for name, expected in SEED_FIELDS.items():
        assert as_dict[name] == expected, name
    with pytest.raises(dataclasses.FrozenInstanceError):
        video.status = "FAILED"  # type: ignore[misc]


@pytest.mark.cassette("hooked/wait_until_completed")
def test_wait_until_completed_reports_progress(cassette, run):
    seen = []
    video = run.hooked(
        cassette.hooked_base_url,
        lambda c: c.videos.wait("vid_abc123", on_progress=seen.append),
    )
    assert video.status == "COMPLETED"
    assert video.url == "https://s3.amazonaws.com/hooked-videos/vid_abc123.mp4"
    assert [(v.status, v.progress) for v in seen][:2] == [("STARTED", 40), ("STARTED", 80)]
    assert len(seen) in (2, 3)
    assert all(type(v).__name__ == "Video" for v in seen)
    assert seen[0].is_pending and seen[0].url is None


@pytest.mark.cassette("hooked/wait_completed_requires_url")
def test_wait_does_not_return_a_completed_video_without_url(cassette, run):
    video = run.hooked(cassette.hooked_base_url, lambda c: c.videos.wait("vid_abc123"))
    # The first COMPLETED had url null; the strict cassette also proves a second poll.
    assert video.url == "https://s3.amazonaws.com/hooked-videos/vid_abc123.mp4"


@pytest.mark.cassette("hooked/seed_get_wait_download")
def test_seed_get_wait_download(cassette: Replay, run, tmp_path: Path):
    target = tmp_path / "tutorial.mp4"
    progress: list[tuple[int, int | None]] = []

    def scenario(client):
        first = yield client.videos.get("vid_abc123")
        assert first.status == "STARTED" and first.progress == 40 and first.url is None
        done = yield client.videos.wait("vid_abc123")
        path = yield client.videos.download(
            "vid_abc123", target, on_progress=lambda d, t: progress.append((d, t))
        )
        return done, path

    done, path = run.hooked(cassette.hooked_base_url, scenario)
    assert done.is_complete
    assert done.url == cassette.base_url + "/media/vid_abc123.mp4?signature=x"
    assert isinstance(path, Path) and path == target
    assert target.read_bytes() == pattern(VIDEO_BYTES)
    assert progress and progress[-1] == (VIDEO_BYTES, VIDEO_BYTES)
    assert sorted(p.name for p in target.parent.iterdir()) == ["tutorial.mp4"]

    # The signed storage URL never receives the API key.
    media = [r for r in cassette.requests() if r.path.startswith("/media/")]
    assert len(media) == 1
    assert media[0].header("x-api-key") is None and media[0].header("authorization") is None
    api = [r for r in cassette.requests() if r.path.startswith("/v1/")]
    assert api and all(r.header("x-api-key") is not None for r in api)
