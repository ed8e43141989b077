"""The fault matrix: every fault kind against a GET, a polling wait, a credit-spending
POST and a download, through the sync and the asyncio client.

Each row says what the server does, what the caller sees, and how many requests the
server saw. The rule behind the POST rows: a request that may spend credits is never
seen twice unless the first provably did nothing (refused connection, 429).
Add a row to extend it."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import reelkit
from reelkit.testing import Simulator, faults

HOOKED_VIDEO = "vid_abc123"  # pre-seeded COMPLETED Hooked video
HOOX_DONE_VIDEO = "vid_seed_done"  # pre-seeded done Hoox video
GET_PATH = f"/v1/video/{HOOKED_VIDEO}"
POST_PATH = "/api/public/v1/video/duplicate"
OVERSIZED = 33 * 1024 * 1024  # above the client's 32 MiB limit for API responses


@dataclass(frozen=True)
class Row:
    name: str
    fault: Any  # a reelkit.testing.faults value, or RateReset (built at request time)
    times: int  # how many requests it hits (0 = all)
    outcome: type | None  # None = success, else the exception class
    seen: int  # requests the server saw for this path
    may_have_acted: bool = False
    timeout: float = 5.0
    min_elapsed: float = 0.0


@dataclass(frozen=True)
class RateReset:
    """A 429 whose only hint is `X-RateLimit-Reset` (unix seconds), `seconds` whole
    seconds after the moment the fault is armed, i.e. just before the request. The
    reset falls 1-2 s ahead: longer than the first backoff (at most 0.5 s), so a
    client that ignores the header retries too early and the row fails."""

    seconds: int = 2


def arm(sim: Simulator, method: str, path: str, row: Row) -> float:
    """Inject the row's fault; returns the least time the call must take."""
    if not isinstance(row.fault, RateReset):
        sim.inject(method, path, row.fault, times=row.times)
        return row.min_elapsed
    now = time.time()
    reset = int(now) + row.fault.seconds
    sim.inject(method, path, faults.status(429, headers={"x-ratelimit-reset": str(reset)}), times=1)
    # 20 ms for clock reads on either side (time.time here, SystemTime in the client).
    return reset - now - 0.02


GET_ROWS = [
    Row("reset before response, once", faults.reset(), 1, None, 2),
    Row("reset mid body, once", faults.reset_mid_body(), 1, None, 2),
    Row("truncated body, once", faults.truncated_body(), 1, None, 2),
    Row("500 once", faults.status(500), 1, None, 2),
    Row("502 once", faults.status(502), 1, None, 2),
    Row("503 once", faults.status(503), 1, None, 2),
    Row("504 once", faults.status(504), 1, None, 2),
    Row("HTML 502 page once", faults.html_error(502), 1, None, 2),
    Row(
        "429 Retry-After",
        faults.status(429, headers={"retry-after": "0.4"}),
        1,
        None,
        2,
        min_elapsed=0.35,
    ),
    Row("429 X-RateLimit-Reset only", RateReset(), 1, None, 2),
    Row("slower than the timeout once", faults.delay(3.0), 1, None, 2, timeout=0.5),
    Row("503 always", faults.status(503), 0, reelkit.InternalServerError, 3),
    Row("reset always", faults.reset(), 0, reelkit.APIConnectionError, 3),
    Row(
        "slower than the timeout always",
        faults.delay(3.0),
        0,
        reelkit.APITimeoutError,
        3,
        timeout=0.4,
    ),
    Row("malformed JSON", faults.malformed_json(), 1, reelkit.APIResponseError, 1),
    Row("non-UTF-8 bytes", faults.non_utf8(), 1, reelkit.APIResponseError, 1),
    Row("oversized body", faults.oversized(OVERSIZED), 1, reelkit.APIResponseError, 1),
    Row(
        "404",
        faults.status(404, body={"success": False, "message": "Video not found"}),
        1,
        reelkit.NotFoundError,
        1,
    ),
]

POST_ROWS = [
    Row("reset before response", faults.reset(), 1, reelkit.APIConnectionError, 1, True),
    Row("reset mid body", faults.reset_mid_body(), 1, reelkit.APIConnectionError, 1, True),
    Row("truncated body", faults.truncated_body(), 1, reelkit.APIConnectionError, 1, True),
    Row("500", faults.status(500), 1, reelkit.InternalServerError, 1, True),
    Row("502", faults.status(502), 1, reelkit.InternalServerError, 1, True),
    Row("503", faults.status(503), 1, reelkit.InternalServerError, 1, True),
    Row("504", faults.status(504), 1, reelkit.InternalServerError, 1, True),
    Row("HTML 502 page", faults.html_error(502), 1, reelkit.InternalServerError, 1, True),
    Row(
        "slower than the timeout",
        faults.delay(3.0),
        1,
        reelkit.APITimeoutError,
        1,
        True,
        timeout=0.5,
    ),
    Row("malformed JSON 200", faults.malformed_json(), 1, reelkit.APIResponseError, 1, True),
    Row("non-UTF-8 200", faults.non_utf8(), 1, reelkit.APIResponseError, 1, True),
    Row("oversized 200", faults.oversized(OVERSIZED), 1, reelkit.APIResponseError, 1, True),
    Row(
        "429 Retry-After: resent",
        faults.status(429, headers={"retry-after": "0.3"}),
        1,
        None,
        2,
        min_elapsed=0.25,
    ),
    Row("429 X-RateLimit-Reset: resent", RateReset(), 1, None, 2),
    Row(
        # The rate limiter absorbs 8 429s (a 429 proves nothing was done), then the
        # two retries of max_retries=2 follow: 1 + 8 + 2 requests.
        "429 always",
        faults.status(429, headers={"retry-after": "0.1"}),
        0,
        reelkit.RateLimitError,
        11,
    ),
    Row(
        "400",
        faults.status(
            400,
            body={
                "error": "Validation failed",
                "details": [
                    {"code": "INVALID_TYPE", "message": "must be strings", "field": "voice_id"}
                ],
            },
        ),
        1,
        reelkit.BadRequestError,
        1,
    ),
]


@pytest.fixture(scope="module")
def sim():
    with Simulator(job_seconds=0.3, rate_limit_per_minute=0) as s:
        yield s


@pytest.fixture(autouse=True)
def clean(sim):
    sim.clear_faults()
    sim.clear_requests()
    yield
    sim.clear_faults()


def seen(sim: Simulator, method: str, path: str) -> int:
    return sum(1 for r in sim.requests() if r.method == method and r.path == path)


def call(mode: str, make, fn):
    """Run `fn(client)` with a sync client, or an async one inside asyncio.run."""
    if mode == "sync":
        with make(reelkit.Hooked if fn.provider == "hooked" else reelkit.Hoox) as client:
            return fn(client)

    async def run():
        cls = reelkit.AsyncHooked if fn.provider == "hooked" else reelkit.AsyncHoox
        async with make(cls) as client:
            return await fn(client)

    return asyncio.run(run())


def check(
    row: Row, sim: Simulator, method: str, path: str, mode: str, action, expect, min_elapsed: float
) -> None:
    """Run `action`; on success `expect(result)` must hold."""
    started = time.monotonic()
    if row.outcome is None:
        result = action()
        expect(result)
    else:
        with pytest.raises(row.outcome) as info:
            action()
        error = info.value
        assert error.may_have_acted is row.may_have_acted, str(error)
        if row.may_have_acted:
            assert "outcome is unknown" in str(error)
        assert error.method == method and error.path is not None
    elapsed = time.monotonic() - started
    assert elapsed >= min_elapsed, (
        f"retried after {elapsed:.3f} s, asked to wait {min_elapsed:.3f} s"
    )
    assert seen(sim, method, path) == row.seen, f"{mode}: server saw the wrong number of requests"


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("row", GET_ROWS, ids=lambda r: r.name)
def test_get(sim, row, mode):
    def make(cls):
        return cls(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url, timeout=row.timeout)

    def get(client):
        return client.videos.get(HOOKED_VIDEO)

    def expect(video):
        assert (video.id, video.status) == (HOOKED_VIDEO, "COMPLETED") and video.url

    get.provider = "hooked"
    min_elapsed = arm(sim, "GET", GET_PATH, row)
    check(row, sim, "GET", GET_PATH, mode, lambda: call(mode, make, get), expect, min_elapsed)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("row", POST_ROWS, ids=lambda r: r.name)
def test_credit_spending_post(sim, row, mode):
    def make(cls):
        return cls(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url, timeout=row.timeout)

    def duplicate(client):
        return client.videos.duplicate(HOOX_DONE_VIDEO)

    def expect(copy):
        assert copy.video_id.startswith("vid_") and copy.video_id != HOOX_DONE_VIDEO
        assert copy.status == "done"

    duplicate.provider = "hoox"
    min_elapsed = arm(sim, "POST", POST_PATH, row)
    check(
        row, sim, "POST", POST_PATH, mode, lambda: call(mode, make, duplicate), expect, min_elapsed
    )


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_connection_refused_is_retried_for_post_and_get(mode):
    base = f"http://127.0.0.1:{closed_port()}"

    def make(cls):
        return cls(api_key="hx_test_x", base_url=base, max_retries=2)

    def duplicate(client):
        return client.videos.duplicate(HOOX_DONE_VIDEO)

    duplicate.provider = "hoox"
    with pytest.raises(reelkit.APIConnectionError) as info:
        call(mode, make, duplicate)
    # Nothing was ever sent, so resending was safe: three attempts, no doubt left.
    assert info.value.attempts == 3
    assert info.value.may_have_acted is False
    assert "could not connect" in str(info.value)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_wait_rides_out_transient_errors(sim, mode):
    hooked = reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url)
    avatar = hooked.avatars.list()[0]
    voice = hooked.voices.list()[0]
    project = hooked.projects.create_talking_avatar(
        script="Hello there, this is a test.", avatar_id=avatar.id, voice_id=voice.id
    )
    path = f"/v1/video/{project.video_id}"
    for fault in (faults.status(503), faults.reset(), faults.html_error(502), faults.delay(2)):
        sim.inject("GET", path, fault, times=3)  # more than one call's retries

    def make(cls):
        return cls(
            api_key=sim.hooked_api_key, base_url=sim.hooked_base_url, timeout=0.5, max_retries=0
        )

    def wait(client):
        return client.videos.wait(project.video_id, poll_interval=0.05, timeout=30)

    wait.provider = "hooked"
    video = call(mode, make, wait)
    assert video.is_complete and video.url
    assert seen(sim, "GET", path) >= 13


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_wait_stops_on_a_non_transient_error_naming_the_job(sim, mode):
    sim.inject(
        "GET", GET_PATH, faults.status(401, body={"success": False, "message": "Invalid API key"})
    )

    def make(cls):
        return cls(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url)

    def wait(client):
        return client.videos.wait(HOOKED_VIDEO, poll_interval=0)

    wait.provider = "hooked"
    with pytest.raises(reelkit.AuthenticationError) as info:
        call(mode, make, wait)
    assert info.value.job_id == HOOKED_VIDEO
    assert HOOKED_VIDEO in str(info.value)


VIDEO_BYTES = 3 * 1024 * 1024
HALF = VIDEO_BYTES // 2  # what reset_mid_body / truncated_body let through

# The media requests after the first: the `Range` each must carry, as a predicate on
# the requested offset (None = no Range header: nothing to resume from).
RESUMED_AT_MOST_HALF = ("resumed", lambda start: 0 < start <= HALF)
RESUMED_AT_HALF = ("resumed", lambda start: start == HALF)
FROM_ZERO = ("from zero", None)

DOWNLOAD_ROWS = [
    (Row("reset mid body: resumed", faults.reset_mid_body(), 1, None, 2), [RESUMED_AT_MOST_HALF]),
    (Row("truncated body: resumed", faults.truncated_body(), 1, None, 2), [RESUMED_AT_HALF]),
    (Row("503 then ok", faults.status(503), 1, None, 2), [FROM_ZERO]),
    (
        Row(
            "expired URL (403): fresh URL",
            faults.status(403, body="<Error>AccessDenied</Error>"),
            1,
            None,
            2,
        ),
        [FROM_ZERO],
    ),
    # Every attempt dropped halfway: each resumes where the last stopped, none from zero.
    (
        Row("reset always", faults.reset_mid_body(), 0, reelkit.DownloadError, 6),
        [("resumed, never backwards", "forward")] * 5,
    ),
]


def range_start(request) -> int | None:
    value = request.header("range")
    if value is None:
        return None
    assert value.startswith("bytes=") and value.endswith("-"), value
    return int(value[len("bytes=") : -1])


def server_bytes(sim: Simulator) -> bytes:
    """The video as the simulator's storage holds it, fetched without reelkit."""
    request = urllib.request.Request(
        f"{sim.hooked_base_url}/video/{HOOKED_VIDEO}",
        headers={"x-api-key": sim.hooked_api_key},
    )
    with urllib.request.urlopen(request) as response:
        url = json.loads(response.read())["data"]["url"]
    with urllib.request.urlopen(url) as response:
        return response.read()


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("row", "ranges"), DOWNLOAD_ROWS, ids=lambda r: getattr(r, "name", ""))
def test_download(tmp_path: Path, row, ranges, mode):
    with Simulator(job_seconds=0.3, video_bytes=VIDEO_BYTES, rate_limit_per_minute=0) as s:
        reference = server_bytes(s)
        assert len(reference) == VIDEO_BYTES
        s.clear_requests()
        s.inject("GET", "/media/*", row.fault, times=row.times)
        target = tmp_path / "out" / "video.mp4"

        def make(cls):
            return cls(api_key=s.hooked_api_key, base_url=s.hooked_base_url, timeout=5)

        def download(client):
            return client.videos.download(HOOKED_VIDEO, target)

        download.provider = "hooked"
        if row.outcome is None:
            path = call(mode, make, download)
            assert path == target
            assert target.read_bytes() == reference  # the server's bytes, in order
        else:
            with pytest.raises(row.outcome):
                call(mode, make, download)
            assert not target.exists()
        media = [r for r in s.requests() if r.path.startswith("/media/")]
        assert len(media) == row.seen
        starts = [range_start(r) for r in media]
        assert starts[0] is None  # the first request asks for the whole file
        previous = 0
        for (what, rule), start in zip(ranges, starts[1:], strict=True):
            if rule is None:
                assert start is None, f"expected a request {what}, got Range from {start}"
            elif rule == "forward":
                assert start is not None and start >= max(previous, 1), f"{starts}: not {what}"
            else:
                assert start is not None and rule(start), f"{starts}: not {what}"
            previous = start or 0
        # No temporary file is left behind either way.
        leftovers = [p for p in (tmp_path / "out").iterdir() if p.name != "video.mp4"]
        assert leftovers == [], os.listdir(tmp_path / "out")
