"""Raw responses (`client.<resource>.with_raw_response.<method>(...)`, as in
openai-python): every endpoint of every client has a twin, sync and async, that
returns an `APIResponse` (HTTP status, headers, request id, elapsed time; `.parse()`
gives the usual result). The request is the same one, sent once."""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
from pathlib import Path

import pytest

import reelkit
from reelkit.testing import Simulator, faults

CLIENTS = [reelkit.Hoox, reelkit.AsyncHoox, reelkit.Hooked, reelkit.AsyncHooked]


def _endpoints(client):
    for rname in type(client)._resource_names:
        resource = getattr(client, rname)
        for name in dir(type(resource)):
            method = getattr(resource, name)
            if getattr(method, "__reelkit_endpoint__", False):
                yield rname, name, method, resource


@pytest.mark.parametrize("cls", CLIENTS, ids=lambda c: c.__name__)
def test_every_endpoint_has_a_raw_twin_with_its_signature(cls):
    client = cls(api_key="k", base_url="http://127.0.0.1:9")
    count = 0
    for rname, name, method, resource in _endpoints(client):
        twin = getattr(resource.with_raw_response, name)
        assert inspect.signature(twin) == inspect.signature(method), f"{rname}.{name}"
        paginated = name == "iter" or name.startswith("iter_")
        is_async = cls.__name__.startswith("Async") and not paginated
        assert inspect.iscoroutinefunction(twin) is is_async, f"{rname}.{name}"
        count += 1
    assert count >= 25  # Hoox 29, Hooked 37


@pytest.fixture(scope="module")
def sim():
    with Simulator(job_seconds=0.1, rate_limit_per_minute=100) as s:
        yield s


def run(mode, sim, provider, scenario):
    """`scenario(client)` with the sync client, or awaited with the asyncio one."""
    if provider == "hoox":
        pair, key, url = (reelkit.Hoox, reelkit.AsyncHoox), sim.hoox_api_key, sim.hoox_base_url
    else:
        pair = (reelkit.Hooked, reelkit.AsyncHooked)
        key, url = sim.hooked_api_key, sim.hooked_base_url
    if mode == "sync":
        with pair[0](api_key=key, base_url=url) as client:
            return scenario(client)

    async def main():
        async with pair[1](api_key=key, base_url=url) as client:
            result = scenario(client)
            if inspect.isasyncgen(result):
                return [item async for item in result]
            return await result

    return asyncio.run(main())


MODES = ["sync", "async"]


@pytest.mark.parametrize("mode", MODES)
def test_a_get_reports_status_headers_and_time(sim, mode):
    sim.clear_requests()
    resp = run(mode, sim, "hoox", lambda c: c.voices.with_raw_response.get("voice_en_us_female_1"))
    assert isinstance(resp, reelkit.APIResponse)
    assert resp.status_code == 200 and (resp.method, resp.path) == (
        "GET",
        "/voice/voice_en_us_female_1",
    )
    # Hoox's documented rate-limit headers, looked up case-insensitively.
    assert int(resp.headers["X-RateLimit-Remaining"]) < int(resp.headers["x-ratelimit-limit"])
    assert resp.headers.get_list("content-type") == ["application/json"]
    assert isinstance(resp.elapsed, dt.timedelta) and resp.elapsed.total_seconds() > 0
    assert resp.retries_taken == 0
    voice = resp.parse()
    assert type(voice).__name__ == "Voice" and voice.id == "voice_en_us_female_1"
    assert resp.parse() is voice  # parsed once
    assert len(sim.requests()) == 1


@pytest.mark.cassette("hooked/get_video")
def test_the_request_id_is_reported(cassette, run):
    resp = run.hooked(
        cassette.hooked_base_url, lambda c: c.videos.with_raw_response.get("vid_abc123")
    )
    assert resp.request_id == "req_hk_get"
    assert resp.parse().url.endswith("vid_abc123.mp4")


@pytest.mark.parametrize("mode", MODES)
def test_a_credit_spending_post_is_sent_once(sim, mode):
    sim.clear_requests()
    resp = run(
        mode,
        sim,
        "hoox",
        lambda c: c.generations.with_raw_response.start(
            script="Hello there.", voice_id="voice_en_us_female_1"
        ),
    )
    assert resp.status_code == 201 and resp.path == "/generation/start"
    assert resp.parse().job_id
    assert [r.method for r in sim.requests()] == ["POST"]


@pytest.mark.parametrize("mode", MODES)
def test_a_composite_reports_its_last_call(sim, mode):
    # create_and_wait: the start, then polls; the response is the final poll's.
    resp = run(
        mode,
        sim,
        "hoox",
        lambda c: c.generations.with_raw_response.create_and_wait(
            script="Hello there.", voice_id="voice_en_us_female_1", poll_interval=0.05
        ),
    )
    assert resp.method == "GET" and resp.path.startswith("/generation/status/")
    status = resp.parse()
    assert status.is_complete and status.video_id


@pytest.mark.parametrize("mode", MODES)
def test_a_wait_and_a_download(sim, mode, tmp_path):
    hooked = reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url)
    avatar, voice = hooked.avatars.list()[0], hooked.voices.list()[0]
    project = hooked.projects.create_talking_avatar(
        script="Hi.", avatar_id=avatar.id, voice_id=voice.id
    )
    waited = run(
        mode,
        sim,
        "hooked",
        lambda c: c.videos.with_raw_response.wait(project.video_id, poll_interval=0.05),
    )
    assert waited.status_code == 200 and waited.path == f"/video/{project.video_id}"
    assert waited.parse().status == "COMPLETED"
    target = tmp_path / "v.mp4"
    got = run(
        mode, sim, "hooked", lambda c: c.videos.with_raw_response.download(project.video_id, target)
    )
    assert got.status_code == 200 and got.parse() == Path(target) and target.stat().st_size > 0


@pytest.mark.parametrize("mode", MODES)
def test_iter_yields_one_response_per_page(sim, mode):
    # Two videos of its own: the test must not depend on which tests ran before it.
    hooked = reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url)
    avatar, voice = hooked.avatars.list()[0], hooked.voices.list()[0]
    for _ in range(2):
        hooked.projects.create_talking_avatar(script="Hi.", avatar_id=avatar.id, voice_id=voice.id)
    pages = run(mode, sim, "hooked", lambda c: c.videos.with_raw_response.iter(limit=1))
    if mode == "sync":
        pages = list(pages)
    assert len(pages) >= 2
    assert all(p.status_code == 200 and p.path == "/video/list" for p in pages)
    offsets = [p.parse().offset for p in pages]
    assert offsets == list(range(len(pages)))


@pytest.mark.parametrize("mode", MODES)
def test_parse_is_where_a_bad_body_fails(sim, mode):
    # The response is there to inspect even when it does not parse.
    sim.inject(
        "GET", "/v1/video/vid_bad", faults.status(200, {"success": True, "data": {"id": "vid_bad"}})
    )
    resp = run(mode, sim, "hooked", lambda c: c.videos.with_raw_response.get("vid_bad"))
    assert resp.status_code == 200
    with pytest.raises(reelkit.APIResponseError, match="GET /video/vid_bad"):
        resp.parse()


@pytest.mark.parametrize("mode", MODES)
def test_errors_are_raised_as_usual(sim, mode):
    with pytest.raises(reelkit.NotFoundError):
        run(mode, sim, "hoox", lambda c: c.voices.with_raw_response.get("no_such_voice"))
    with pytest.raises(reelkit.ValidationError):  # refused before sending
        run(mode, sim, "hoox", lambda c: c.voices.with_raw_response.list(gender="robot"))


def test_the_raw_response_never_shows_the_key(sim):
    client = reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url)
    resp = client.voices.with_raw_response.list()
    assert sim.hoox_api_key not in repr(resp) + repr(resp.headers) + repr(
        client.voices.with_raw_response
    )
