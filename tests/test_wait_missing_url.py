"""`wait` on a job that reports a terminal (complete) status without the field its
`complete_requires` names (a Hooked video COMPLETED without `url`, a Hoox export
completed without `result.video_url`): a bounded number of extra polls
(`MISSING_FIELD_POLLS` = 3, at most 2 s apart, src/core/poll.rs), then an
`APIResponseError` saying the job completed and the URL is missing; never the
timeout message that says the job may still be running."""

from __future__ import annotations

import pytest

import reelkit

EXTRA_POLLS = 3  # src/core/poll.rs MISSING_FIELD_POLLS


def _check(exc: BaseException, job_id: str, field: str) -> None:
    assert isinstance(exc, reelkit.APIResponseError)
    assert not isinstance(exc, reelkit.WaitTimeoutError)
    text = str(exc)
    assert f"Job {job_id} completed" in text and f"`{field}`" in text
    assert f"after {EXTRA_POLLS} more polls" in text
    assert "may still be running" not in text and "did not finish" not in text
    assert exc.job_id == job_id


@pytest.mark.cassette("hooked/wait_completed_without_url", strict=False)
def test_hooked_completed_video_without_url(cassette, run):
    with pytest.raises(reelkit.APIError) as info:
        run.hooked(cassette.hooked_base_url, lambda c: c.videos.wait("vid_abc123", timeout=30))
    _check(info.value, "vid_abc123", "url")
    assert info.value.status.status == "COMPLETED" and info.value.status.url is None
    assert len(cassette.requests()) == 1 + EXTRA_POLLS


@pytest.mark.cassette("hoox/export_wait_completed_without_url", strict=False)
def test_hoox_completed_export_without_video_url(cassette, run):
    with pytest.raises(reelkit.APIError) as info:
        run.hoox(cassette.hoox_base_url, lambda c: c.exports.wait("export_abcd1234", timeout=30))
    _check(info.value, "export_abcd1234", "result.video_url")
    assert info.value.path == "/export/status/export_abcd1234"
    assert len(cassette.requests()) == 1 + EXTRA_POLLS


@pytest.mark.cassette("hooked/wait_completed_without_url", strict=False)
def test_the_deadline_during_the_extra_polls_is_not_a_timeout(cassette, run):
    # The deadline passes after the first extra poll: the job still completed.
    with pytest.raises(reelkit.APIError) as info:
        run.hooked(
            cassette.hooked_base_url,
            lambda c: c.videos.wait("vid_abc123", timeout=0.3, poll_interval=0.25),
        )
    exc = info.value
    assert isinstance(exc, reelkit.APIResponseError), type(exc)
    assert "completed" in str(exc) and "may still be running" not in str(exc)
    assert len(cassette.requests()) < 1 + EXTRA_POLLS


@pytest.mark.cassette("hooked/wait_url_arrives_late")
def test_the_url_arriving_during_the_extra_polls_completes_the_wait(cassette, run):
    video = run.hooked(cassette.hooked_base_url, lambda c: c.videos.wait("vid_abc123"))
    assert video.status == "COMPLETED" and video.url is not None
    assert len(cassette.requests()) == 3
