"""Hooked `videos.download`: exactly the served bytes end up at the target path, an
expired signed URL is replaced by re-reading the video, a dropped connection is
ridden out, and no partial file is ever left at (or beside) the target."""

from __future__ import annotations

from pathlib import Path

import pytest

import reelkit


def pattern(n: int) -> bytes:
    """The bytes a cassette's `pattern_bytes: n` serves (sim::types::pattern_byte)."""
    return bytes(((i * 31) + (i >> 8)) & 0xFF for i in range(n))


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.cassette("hooked/download")
def test_download_writes_exactly_the_served_bytes(cassette, run, tmp_path):
    target = tmp_path / "video.mp4"
    calls: list[tuple[int, int | None]] = []
    path = run.hooked(
        cassette.hooked_base_url,
        lambda c: c.videos.download(
            "vid_abc123", str(target), on_progress=lambda d, t: calls.append((d, t))
        ),
    )
    assert path == target and isinstance(path, Path)
    assert target.read_bytes() == pattern(65_536 + 123)
    assert files_in(tmp_path) == ["video.mp4"]
    assert calls[-1] == (65_536 + 123, 65_536 + 123)
    assert all(isinstance(d, int) for d, _ in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


@pytest.mark.cassette("hooked/download")
def test_download_replaces_an_existing_file(cassette, run, tmp_path):
    target = tmp_path / "video.mp4"
    target.write_bytes(b"old content")
    run.hooked(cassette.hooked_base_url, lambda c: c.videos.download("vid_abc123", target))
    assert target.read_bytes() == pattern(65_536 + 123)
    assert files_in(tmp_path) == ["video.mp4"]


@pytest.mark.cassette("hooked/download_expired_url")
def test_download_refreshes_an_expired_signed_url(cassette, run, tmp_path):
    target = tmp_path / "video.mp4"
    path = run.hooked(cassette.hooked_base_url, lambda c: c.videos.download("vid_abc123", target))
    assert path == target
    assert target.read_bytes() == pattern(65_536 + 123)
    assert files_in(tmp_path) == ["video.mp4"]
    # storage 403 -> GET video again -> the fresh URL (the strict cassette checks the order)
    media = [r.query.get("signature") for r in cassette.requests() if r.path.startswith("/media/")]
    assert media == ["expired", "fresh"]


@pytest.mark.cassette("hooked/download_url_always_refused")
def test_download_gives_up_when_every_url_is_refused(cassette, run, tmp_path):
    target = tmp_path / "video.mp4"
    with pytest.raises(reelkit.APIError) as info:
        run.hooked(cassette.hooked_base_url, lambda c: c.videos.download("vid_abc123", target))
    assert getattr(info.value, "status_code", None) == 403
    assert not target.exists()
    assert files_in(tmp_path) == []  # no partial file left behind


@pytest.mark.cassette("hooked/download_url_always_refused")
def test_download_failure_keeps_an_existing_file(cassette, run, tmp_path):
    target = tmp_path / "video.mp4"
    target.write_bytes(b"previous good copy")
    with pytest.raises(reelkit.APIError):
        run.hooked(cassette.hooked_base_url, lambda c: c.videos.download("vid_abc123", target))
    assert target.read_bytes() == b"previous good copy"
    assert files_in(tmp_path) == ["video.mp4"]


@pytest.mark.cassette("hooked/download_reset_mid_body")
def test_download_survives_a_dropped_connection(cassette, run, tmp_path):
    target = tmp_path / "video.mp4"
    path = run.hooked(cassette.hooked_base_url, lambda c: c.videos.download("vid_abc123", target))
    assert path == target
    assert target.read_bytes() == pattern(200_000)
    assert files_in(tmp_path) == ["video.mp4"]


@pytest.mark.cassette("hooked/download_not_ready")
def test_download_before_completion_fails_cleanly(cassette, run, tmp_path):
    target = tmp_path / "video.mp4"
    with pytest.raises(reelkit.APIError) as info:
        run.hooked(cassette.hooked_base_url, lambda c: c.videos.download("vid_abc123", target))
    assert "STARTED" in str(info.value) or "URL" in str(info.value)
    assert files_in(tmp_path) == []


@pytest.mark.cassette("hooked/download")
def test_download_progress_callback_error_propagates_and_cleans_up(cassette, run, tmp_path):
    class Stop(Exception):
        pass

    def boom(done, total):
        raise Stop

    target = tmp_path / "video.mp4"
    with pytest.raises(Stop):
        run.hooked(
            cassette.hooked_base_url,
            lambda c: c.videos.download("vid_abc123", target, on_progress=boom),
        )
    # Whenever the callback stops it, the target is either absent or complete
    # (the final 100 % report may come after the file is in place), never partial,
    # and no temporary file stays beside it.
    assert files_in(tmp_path) in ([], ["video.mp4"])
    if target.exists():
        assert target.read_bytes() == pattern(65_536 + 123)


def test_download_resumes_with_range_on_the_simulator(run, tmp_path):
    # The simulator's storage supports Range: after a drop, the download resumes
    # from exactly where it stopped instead of starting over, and the bytes match.
    import urllib.request

    from reelkit.testing import Simulator

    target = tmp_path / "video.mp4"
    with Simulator(video_bytes=2_000_000) as sim:
        reference = None

        def scenario(client):
            nonlocal reference
            video = yield client.videos.get("vid_abc123")  # pre-seeded COMPLETED video
            with urllib.request.urlopen(video.url) as response:
                reference = response.read()
            # Full Content-Length, the first 1,000,000 bytes, then a clean close.
            sim.inject("GET", "/media/*", {"kind": "truncated_body"}, 1)
            return (yield client.videos.download("vid_abc123", target))

        path = run.hooked(sim.hooked_base_url, scenario, api_key=sim.hooked_api_key)
        media = [r for r in sim.requests() if r.path.startswith("/media/")]
    assert path == target
    assert len(reference) == 2_000_000
    assert target.read_bytes() == reference
    assert files_in(tmp_path) == ["video.mp4"]
    # reference fetch, the cut download, then the resume from byte 1,000,000
    assert len(media) == 3
    assert media[0].header("range") is None and media[1].header("range") is None
    assert media[2].header("range") == "bytes=1000000-"


@pytest.mark.cassette("hooked/download_trickle")
def test_progress_callback_can_abort_mid_download(cassette, run, tmp_path):
    class Stop(Exception):
        pass

    calls = []

    def stop_midway(done, total):
        calls.append((done, total))
        raise Stop

    target = tmp_path / "video.mp4"
    with pytest.raises(Stop):
        run.hooked(
            cassette.hooked_base_url,
            lambda c: c.videos.download("vid_abc123", target, on_progress=stop_midway),
        )
    assert len(calls) == 1
    done, total = calls[0]
    assert total == 3000 and 0 < done < 3000  # really mid-download
    assert files_in(tmp_path) == []  # no partial file, no temporary file


@pytest.mark.cassette("hooked/download_trickle")
def test_progress_is_reported_while_downloading(cassette, run, tmp_path):
    calls = []
    target = tmp_path / "video.mp4"
    run.hooked(
        cassette.hooked_base_url,
        lambda c: c.videos.download(
            "vid_abc123", target, on_progress=lambda d, t: calls.append((d, t))
        ),
    )
    assert target.read_bytes() == pattern(3000)
    assert len(calls) >= 2  # at least one report before the end
    assert calls[-1] == (3000, 3000)
    assert all(t == 3000 for _, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
