"""`error.message` is what went wrong in the server's own words; `str(error)` is the
full actionable text (status, code, request, what to do next)."""

from __future__ import annotations

import pytest

import reelkit
from reelkit.testing import Simulator, faults


def test_api_error_message_is_the_servers_and_str_is_actionable():
    with Simulator() as sim:
        sim.inject(
            "GET",
            "/v1/video/*",
            faults.status(
                404,
                body={"success": False, "message": "Video not found"},
                headers={"x-request-id": "req_42"},
            ),
        )
        client = reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url)
        with pytest.raises(reelkit.NotFoundError) as info:
            client.videos.get("vid_1")
    error = info.value
    assert error.message == "Video not found"
    assert str(error) == "HTTP 404: Video not found (GET /video/vid_1, request id req_42)"
    assert error.request_id == "req_42" and error.status_code == 404


def test_job_failed_message_is_the_jobs_error():
    with Simulator(job_seconds=0.1) as sim:
        client = reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url)
        job = client.generations.start(
            script="SIMULATE_FAILURE", voice_id="voice_en_us_female_sarah"
        )
        with pytest.raises(reelkit.JobFailedError) as info:
            client.generations.wait(job.job_id, poll_interval=0.02)
    error = info.value
    assert error.job_id == job.job_id and error.code == "GENERATION_FAILED"
    assert error.message == error.error_message and error.message
    assert str(error).startswith(f"Job {job.job_id} failed with GENERATION_FAILED: ")
