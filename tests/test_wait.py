"""`wait()` on both providers: terminal failure (`JobFailedError`), timeout
(`WaitTimeoutError`), the progress callback, and where the poll interval comes
from (explicit argument > REELKIT_POLL_INTERVAL > the documented schedule)."""

from __future__ import annotations

import time

import pytest

from reelkit import JobFailedError, ReelkitError, ValidationError, WaitTimeoutError


def wait_edit(client, **kwargs):
    return client.avatars.wait("avtr_abc", "look_edit_789", **kwargs)


# ------------------------------------------------------------------- failures


@pytest.mark.cassette("hoox/avatar_wait_failed")
def test_avatar_failure_raises_job_failed_error(cassette, run):
    with pytest.raises(JobFailedError) as info:
        run.hoox(cassette.hoox_base_url, wait_edit)
    exc = info.value
    assert isinstance(exc, ReelkitError)
    assert exc.job_id == "look_edit_789"
    assert exc.code == "GENERATION_FAILED"
    assert exc.error_message == "Edit failed"
    assert type(exc.status).__name__ == "AvatarStatus"
    assert exc.status.status == "failed" and exc.status.is_failed
    assert exc.status.error == {"code": "GENERATION_FAILED", "message": "Edit failed"}
    assert "look_edit_789" in str(exc) and "Edit failed" in str(exc)


@pytest.mark.cassette("hoox/avatar_wait_look_error")
def test_look_error_status_is_a_failure(cassette, run):
    with pytest.raises(JobFailedError) as info:
        run.hoox(cassette.hoox_base_url, lambda c: c.avatars.wait("avtr_abc", "look_123"))
    exc = info.value
    assert exc.job_id == "look_123"
    assert exc.code == "LOOK_GENERATION_FAILED"  # upper-cased
    assert exc.error_message == "Look generation failed"
    assert exc.status.status == "error"


@pytest.mark.cassette("hooked/wait_failed")
def test_hooked_failure_raises_job_failed_error(cassette, run):
    with pytest.raises(JobFailedError) as info:
        run.hooked(cassette.hooked_base_url, lambda c: c.videos.wait("vid_abc123"))
    exc = info.value
    assert exc.job_id == "vid_abc123"
    assert exc.error_message == "Script too short to generate video"
    assert type(exc.status).__name__ == "Video"
    assert exc.status.status == "FAILED" and exc.status.is_failed
    assert "vid_abc123" in str(exc)


# -------------------------------------------------------------------- timeout


@pytest.mark.cassette("hoox/avatar_wait_forever_pending", strict=False)
def test_wait_timeout_keeps_the_job_id_and_last_status(cassette, run):
    started = time.monotonic()
    with pytest.raises(WaitTimeoutError) as info:
        run.hoox(
            cassette.hoox_base_url,
            lambda c: c.avatars.wait("avtr_abc", "look_123", timeout=0.4, poll_interval=0.05),
        )
    elapsed = time.monotonic() - started
    exc = info.value
    assert isinstance(exc, ReelkitError)
    assert exc.job_id == "look_123"
    assert type(exc.last_status).__name__ == "AvatarStatus"
    assert exc.last_status.status == "pending"
    assert exc.last_status.look_id == "look_123"
    assert "look_123" in str(exc)
    assert 0.35 <= elapsed < 3
    assert len(cassette.requests()) >= 2  # it kept polling until the deadline


@pytest.mark.cassette("hooked/wait_forever_started", strict=False)
def test_hooked_wait_timeout(cassette, run):
    with pytest.raises(WaitTimeoutError) as info:
        run.hooked(
            cassette.hooked_base_url,
            lambda c: c.videos.wait("vid_abc123", timeout=0.3, poll_interval=0.05),
        )
    exc = info.value
    assert exc.job_id == "vid_abc123"
    assert type(exc.last_status).__name__ == "Video"
    assert (exc.last_status.status, exc.last_status.progress) == ("STARTED", 40)


@pytest.mark.cassette("hoox/avatar_wait_rides_out_errors")
def test_wait_rides_out_a_failed_poll(cassette, run):
    # Giving up on the first failed poll would lose track of a paid job.
    done = run.hoox(cassette.hoox_base_url, wait_edit, max_retries=2)
    assert done.status == "completed"
    assert len(cassette.requests()) == 4


# ---------------------------------------------------------------- on_progress


@pytest.mark.cassette("hoox/avatar_wait_two_pending")
def test_on_progress_receives_status_models(cassette, run):
    seen = []
    done = run.hoox(cassette.hoox_base_url, lambda c: wait_edit(c, on_progress=seen.append))
    assert done.status == "completed"
    assert [s.status for s in seen][:2] == ["pending", "pending"]
    assert len(seen) in (2, 3)
    assert all(type(s).__name__ == "AvatarStatus" and s.look_id == "look_edit_789" for s in seen)


@pytest.mark.cassette("hoox/avatar_wait_two_pending")
def test_on_progress_exception_stops_waiting(cassette, run):
    class Stop(Exception):
        pass

    def stop(status):
        raise Stop(status.status)

    with pytest.raises(Stop, match="pending"):
        run.hoox(cassette.hoox_base_url, lambda c: wait_edit(c, on_progress=stop))
    # Stopped after the first poll: consume the rest so the strict replay is satisfied
    # (any other count would fail at teardown).
    run.hoox(cassette.hoox_base_url, lambda c: wait_edit(c))


# -------------------------------------------------------------- poll interval


@pytest.mark.cassette("hoox/avatar_wait_two_pending")
def test_env_poll_interval_is_used(cassette, run, monkeypatch):
    monkeypatch.setenv("REELKIT_POLL_INTERVAL", "0.25")
    started = time.monotonic()
    run.hoox(cassette.hoox_base_url, wait_edit)
    assert 0.45 <= time.monotonic() - started < 3  # two sleeps of 0.25 s


@pytest.mark.cassette("hoox/avatar_wait_two_pending")
def test_explicit_poll_interval_wins_over_env(cassette, run, monkeypatch):
    monkeypatch.setenv("REELKIT_POLL_INTERVAL", "30")
    started = time.monotonic()
    run.hoox(cassette.hoox_base_url, lambda c: wait_edit(c, poll_interval=0))
    assert time.monotonic() - started < 3


@pytest.mark.cassette("hoox/avatar_wait_two_pending")
def test_explicit_poll_interval_is_used(cassette, run, monkeypatch):
    monkeypatch.setenv("REELKIT_POLL_INTERVAL", "0")
    started = time.monotonic()
    run.hoox(cassette.hoox_base_url, lambda c: wait_edit(c, poll_interval=0.25))
    assert 0.45 <= time.monotonic() - started < 3


@pytest.mark.cassette("hoox/no_requests")
def test_invalid_env_poll_interval_is_a_validation_error(cassette, run, monkeypatch):
    monkeypatch.setenv("REELKIT_POLL_INTERVAL", "soon")
    with pytest.raises(ValidationError, match="REELKIT_POLL_INTERVAL"):
        run.hoox(cassette.hoox_base_url, wait_edit)


@pytest.mark.cassette("hoox/avatar_wait_two_pending")
def test_documented_schedule_without_any_override(cassette, run, monkeypatch):
    # No env, no argument: the documented avatar cadence (3 s first) applies, so a
    # 0.5 s timeout expires before a third poll (at 0 s polling it would complete).
    monkeypatch.delenv("REELKIT_POLL_INTERVAL")
    started = time.monotonic()
    with pytest.raises(WaitTimeoutError):
        run.hoox(cassette.hoox_base_url, lambda c: wait_edit(c, timeout=0.5))
    assert 0.45 <= time.monotonic() - started < 3
    # Two polls happened (at 0 s and at the deadline); finish the cassette.
    run.hoox(cassette.hoox_base_url, wait_edit)


@pytest.mark.cassette("hoox/avatar_wait_forever_pending", strict=False)
def test_cancelling_an_async_wait_stops_polling(cassette):
    import asyncio

    import reelkit

    async def main():
        async with reelkit.AsyncHoox("hx_test_reelkit_key", base_url=cassette.hoox_base_url) as c:
            waiting = c.avatars.wait("avtr_abc", "look_123", poll_interval=0.05)
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(waiting, 0.3)
            polls = len(cassette.requests())
            await asyncio.sleep(0.3)
            return polls, len(cassette.requests())

    before, after = asyncio.run(main())
    assert before >= 2
    assert after == before  # no poll after the cancellation
