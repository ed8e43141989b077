"""The retry policy, proven on the wire: reads are retried on 500/502/503/504/429/408
and stop after `max_retries` (strict replay fails on any extra or missing request);
server-requested waits (Retry-After, Hoox's X-RateLimit-Reset) are honoured; a
credit-spending POST is resent only after a 429, never after a 5xx, a reset or a
timeout, and then says that the job may exist."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from reelkit import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
)
from reelkit.testing import Replay

CASSETTES = Path(__file__).parent / "cassettes"

DUP = {"voice_id": "voice_en_us_female_1", "avatar_look_id": "avatar_business_woman_office_1"}


def status_call(client):
    return client.avatars.status("avtr_abc", "look_123")


# ------------------------------------------------------------------ reads retry


@pytest.mark.cassette("hoox/retry_get_each_status")
def test_get_is_retried_on_each_transient_status(cassette, run):
    def scenario(client):
        results = []
        for _ in ("500", "502", "503", "504", "429", "408"):
            results.append((yield status_call(client)))
        return results

    started = time.monotonic()
    results = run.hoox(cassette.hoox_base_url, scenario)
    elapsed = time.monotonic() - started
    assert [r.status for r in results] == ["pending"] * 6
    assert len(cassette.requests()) == 12
    # Each failure asked for Retry-After: 0.05; six own backoffs would take >= 2.25 s.
    assert elapsed < 2.0


@pytest.mark.cassette("hoox/retry_get_exhausted")
def test_get_gives_up_after_max_retries(cassette, run):
    with pytest.raises(InternalServerError) as info:
        run.hoox(cassette.hoox_base_url, status_call, max_retries=2)
    exc = info.value
    assert exc.status_code == 503
    assert exc.attempts == 3
    assert exc.may_have_acted is False
    # Exactly 3 requests: a 4th would be a strict-replay mismatch at teardown.


@pytest.mark.cassette("hoox/retry_get_max_retries_one")
def test_max_retries_from_the_constructor(cassette, run):
    with pytest.raises(InternalServerError) as info:
        run.hoox(cassette.hoox_base_url, status_call, max_retries=1)
    assert info.value.attempts == 2


@pytest.mark.cassette("hoox/retry_get_max_retries_zero")
def test_max_retries_from_with_options(cassette, run):
    with pytest.raises(InternalServerError) as info:
        run.hoox(cassette.hoox_base_url, lambda c: status_call(c.with_options(max_retries=0)))
    assert info.value.attempts == 1


@pytest.mark.cassette("hoox/retry_get_max_retries_zero")
def test_max_retries_per_request(cassette, run):
    with pytest.raises(InternalServerError):
        run.hoox(
            cassette.hoox_base_url,
            lambda c: c.avatars.status("avtr_abc", "look_123", max_retries=0),
        )


@pytest.mark.cassette("hooked/retry_backoff")
def test_hooked_get_backs_off_without_server_hint(cassette, run):
    started = time.monotonic()
    video = run.hooked(cassette.hooked_base_url, lambda c: c.videos.get("vid_abc123"))
    elapsed = time.monotonic() - started
    assert video.status == "COMPLETED"
    # One backoff: 0.5 s shortened by at most 25 % jitter.
    assert 0.37 <= elapsed < 4


# ----------------------------------------------------------- server-named waits


@pytest.mark.cassette("hoox/retry_after_honoured")
def test_retry_after_is_honoured(cassette, run):
    started = time.monotonic()
    status = run.hoox(cassette.hoox_base_url, status_call)
    elapsed = time.monotonic() - started
    assert status.status == "pending"
    # 0.8 s asked; reelkit's own first backoff would be at most 0.5 s.
    assert 0.75 <= elapsed < 4


@pytest.mark.cassette("hooked/retry_after_then_ok")
def test_hooked_retry_after_is_honoured(cassette, run):
    started = time.monotonic()
    video = run.hooked(cassette.hooked_base_url, lambda c: c.videos.get("vid_abc123"))
    assert video.id == "vid_abc123"
    assert 0.75 <= time.monotonic() - started < 4


def test_hoox_ratelimit_reset_is_honoured(run, tmp_path: Path):
    # X-RateLimit-Reset is absolute (unix seconds), so the cassette is a template.
    doc = json.loads((CASSETTES / "hoox" / "rate_limit_reset.json").read_text())
    # An integer time 0.75-1.75 s ahead (Hoox sends whole seconds).
    reset_at = int(time.time() + 0.75) + 1
    headers = doc["interactions"][0]["response"]["headers"]
    assert headers["x-ratelimit-reset"] == "RESET_AT_UNIX_SECONDS"
    headers["x-ratelimit-reset"] = str(reset_at)
    path = tmp_path / "rate_limit_reset.json"
    path.write_text(json.dumps(doc))

    with Replay(path, strict=True) as replay:
        started = time.time()
        status = run.hoox(replay.hoox_base_url, status_call)
        finished = time.time()
    assert status.status == "pending"
    # Waited until (about) the reset time; backoff alone would take at most 0.5 s.
    assert finished >= reset_at - 0.1
    assert 0.65 <= finished - started < 5


# -------------------------------------------------- credit-spending POSTs


MAY_EXIST = re.compile(
    r"may (already )?exist|may have (been )?(created|started|acted|run)|outcome is unknown",
    re.IGNORECASE,
)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_post_is_not_resent_after_5xx(status, run, open_cassette):
    with open_cassette(f"hoox/post_{status}_not_resent") as replay:
        with pytest.raises(InternalServerError) as info:
            run.hoox(
                replay.hoox_base_url,
                lambda c: c.videos.duplicate("vid_abc123", **DUP),
                max_retries=2,
            )
        assert len(replay.requests()) == 1
    exc = info.value
    assert exc.status_code == status
    assert exc.attempts == 1
    assert exc.may_have_acted is True
    assert exc.request_id == f"req_post_{status}"
    assert MAY_EXIST.search(str(exc)), str(exc)
    assert "resen" in str(exc)  # says it was not resent


@pytest.mark.cassette("hoox/post_reset_not_resent")
def test_post_reset_mid_response_is_not_resent(cassette, run):
    with pytest.raises(APIConnectionError) as info:
        run.hoox(
            cassette.hoox_base_url, lambda c: c.videos.duplicate("vid_abc123", **DUP), max_retries=2
        )
    exc = info.value
    assert exc.may_have_acted is True
    assert MAY_EXIST.search(str(exc)), str(exc)
    assert len(cassette.requests()) == 1


@pytest.mark.cassette("hoox/post_timeout_not_resent")
def test_post_timeout_is_not_resent(cassette, run):
    with pytest.raises(APITimeoutError) as info:
        run.hoox(
            cassette.hoox_base_url,
            lambda c: c.with_options(timeout=0.2).videos.duplicate("vid_abc123", **DUP),
            max_retries=2,
        )
    exc = info.value
    assert exc.may_have_acted is True
    assert MAY_EXIST.search(str(exc)), str(exc)
    assert len(cassette.requests()) == 1


@pytest.mark.cassette("hoox/post_201_unparseable_body")
def test_post_2xx_with_unparseable_body_says_the_job_exists(cassette, run):
    # The server acted (2xx: the copy exists) but its id is lost: the caller must be
    # told that a job may exist, as after a 5xx or a reset.
    with pytest.raises(APIError) as info:
        run.hoox(cassette.hoox_base_url, lambda c: c.videos.duplicate("vid_abc123", **DUP))
    assert info.value.request_id == "req_dup_cut"
    assert info.value.may_have_acted is True
    assert MAY_EXIST.search(str(info.value)) or "exist" in str(info.value)


@pytest.mark.cassette("hoox/post_429_resent")
def test_post_is_resent_after_429(cassette, run):
    dup = run.hoox(cassette.hoox_base_url, lambda c: c.videos.duplicate("vid_abc123", **DUP))
    assert dup.video_id == "vid_dup_456"
    assert len(cassette.requests()) == 2


def test_post_429_with_max_retries_zero_leaves_the_retry_unused(run, open_cassette):
    # Without the rate limiter (rate_limit=0; it would absorb the 429) and with
    # max_retries=0, the 429 is final, and the strict replay reports the success
    # interaction as never used (this also proves the replay check really counts).
    replay = open_cassette("hoox/post_429_resent")
    with pytest.raises(AssertionError, match="never used|unused"), replay:
        with pytest.raises(RateLimitError) as info:
            run.hoox(
                replay.hoox_base_url,
                lambda c: c.videos.duplicate("vid_abc123", **DUP),
                max_retries=0,
                rate_limit=0,
            )
        assert info.value.may_have_acted is False
