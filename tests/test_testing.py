"""Tests of reelkit.testing: Simulator (faults, inspection, lifecycle), Replay,
Recorder, the pytest fixtures and ``python -m reelkit.testing``. Loopback only; the
HTTP client is the standard library's, so these run without the SDK clients."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest

import reelkit
from reelkit.testing import RecordedRequest, Recorder, Replay, Simulator, faults


def call(base_url, method, path, body=None, headers=None, timeout=10):
    """One request on a fresh connection: (status, headers, body bytes)."""
    u = urlsplit(base_url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        hdrs = dict(headers or {})
        if data is not None:
            hdrs.setdefault("content-type", "application/json")
        conn.request(method, u.path.rstrip("/") + path, body=data, headers=hdrs)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


# ------------------------------------------------------------------ Simulator


def test_simulator_urls_keys_and_inspection():
    with Simulator(job_seconds=0.1, credits=50) as sim:
        assert sim.url.startswith("http://127.0.0.1:")
        assert sim.base_url == sim.url
        assert sim.hoox_base_url == sim.url + "/api/public/v1"
        assert sim.hooked_base_url == sim.url + "/v1"
        assert sim.hoox_api_key.startswith("hx_")
        assert sim.hooked_api_key
        assert sim.running
        call(
            sim.hoox_base_url,
            "POST",
            "/video/duplicate?a=1&b=x%20y&b=2",
            body={"video_id": "vid_1"},
            headers={"Authorization": f"Bearer {sim.hoox_api_key}"},
        )
        call(sim.hooked_base_url, "GET", "/videos", headers={"x-api-key": sim.hooked_api_key})
        reqs = sim.requests()
        assert len(reqs) == 2
        r = reqs[0]
        assert isinstance(r, RecordedRequest)
        assert r.method == "POST"
        assert r.path == "/api/public/v1/video/duplicate"
        assert r.query == {"a": "1", "b": ["x y", "2"]}
        assert r.json == {"video_id": "vid_1"}
        assert r.headers["authorization"] == "Bearer <redacted>"
        assert r.header("Authorization") == "Bearer <redacted>"
        assert reqs[1].headers["x-api-key"] == "<redacted>"
        assert reqs[1].json is None
        with pytest.raises(AttributeError):
            r.method = "GET"  # frozen
        sim.clear_requests()
        assert sim.requests() == []
        assert sim.credits_used == sim.hoox_credits_used + sim.hooked_credits_used
    assert not sim.running
    sim.close()  # idempotent


def test_status_fault_times_and_clear():
    with Simulator() as sim:
        sim.inject(
            "GET",
            "/v1/*",
            faults.status(503, body={"error": "busy"}, headers={"Retry-After": "3"}),
            times=2,
        )
        for _ in range(2):
            status, headers, body = call(sim.url, "GET", "/v1/videos/abc")
            assert status == 503
            assert headers["retry-after"] == "3"
            assert json.loads(body) == {"error": "busy"}
        status, _, _ = call(sim.url, "GET", "/v1/videos/abc")
        assert status != 503
        sim.inject("*", "*", faults.status(500, body="plain text"), times=0)
        for _ in range(3):
            status, headers, body = call(sim.url, "DELETE", "/anything")
            assert (status, body) == (500, b"plain text")
            assert headers["content-type"].startswith("text/plain")
        sim.clear_faults()
        assert call(sim.url, "GET", "/x")[0] != 500
        # a plain dict works too
        sim.inject("*", "*", {"kind": "status", "status": 429})
        status, _, body = call(sim.url, "GET", "/x")
        assert status == 429
        assert json.loads(body)["code"] == "simulated_fault"


def test_every_fault_kind_from_a_client():
    with Simulator() as sim:
        # reset: no bytes, a reset (or at least a dropped connection)
        sim.inject("*", "*", faults.reset())
        with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected)):
            call(sim.url, "GET", "/v1/x")
        # reset mid body / truncated: the headers arrive, the body does not complete
        sim.inject("*", "*", faults.reset_mid_body())
        with pytest.raises((ConnectionResetError, http.client.IncompleteRead)):
            call(sim.url, "GET", "/v1/x")
        sim.inject("*", "*", faults.truncated_body())
        with pytest.raises(http.client.IncompleteRead):
            call(sim.url, "GET", "/v1/x")
        # malformed JSON
        sim.inject("*", "*", faults.malformed_json())
        status, headers, body = call(sim.url, "GET", "/v1/x")
        assert (status, body) == (200, b'{"status": "comp')
        assert headers["content-type"] == "application/json"
        with pytest.raises(ValueError):
            json.loads(body)
        # nginx page
        sim.inject("*", "*", faults.html_error(504))
        status, headers, body = call(sim.url, "GET", "/v1/x")
        assert status == 504
        assert headers["content-type"] == "text/html"
        assert b"<title>504 Gateway Timeout</title>" in body and b"nginx" in body
        # not UTF-8
        sim.inject("*", "*", faults.non_utf8())
        status, headers, body = call(sim.url, "GET", "/v1/x")
        assert status == 200 and headers["content-type"] == "application/json"
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        # oversized
        sim.inject("*", "*", faults.oversized(3_000_000))
        status, headers, body = call(sim.url, "GET", "/v1/x")
        assert status == 200 and len(body) == 3_000_000
        assert headers["content-length"] == "3000000"
        # delay, and a client timeout shorter than it
        sim.inject("*", "*", faults.delay(0.3))
        t = time.monotonic()
        call(sim.url, "GET", "/v1/x")
        assert time.monotonic() - t >= 0.29
        sim.inject("*", "*", faults.delay(2))
        with pytest.raises(socket.timeout):
            call(sim.url, "GET", "/v1/x", timeout=0.2)
        # trickle
        sim.inject("*", "*", faults.trickle(bytes_per_chunk=20, interval_seconds=0.02))
        t = time.monotonic()
        status, _, body = call(sim.url, "GET", "/v1/x")
        assert time.monotonic() - t >= 0.04
        assert len(body) > 20
        # all of them were recorded
        assert len(sim.requests()) == 10


def test_bad_arguments_raise_python_errors():
    with Simulator() as sim:
        with pytest.raises(ValueError, match="unknown fault kind"):
            sim.inject("*", "*", {"kind": "explode"})
        with pytest.raises(ValueError):
            sim.inject("*", "*", {"kind": "delay"})
        with pytest.raises(ValueError):
            sim.inject("*", "*", faults.status(503), times=-1)
        with pytest.raises(TypeError):
            sim.inject("*", "*", "reset")
        # the port is taken
        with pytest.raises(OSError):
            Simulator(port=sim.port)
    with pytest.raises(ValueError):
        Simulator(job_seconds=-1)
    with pytest.raises(ValueError):
        Simulator(port=70000)


def test_close_releases_the_port():
    sim = Simulator()
    port = sim.port
    sim.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))
    with Simulator(port=port) as again:
        assert again.port == port


def test_async_with():
    async def main():
        async with Simulator() as sim:
            loop = asyncio.get_running_loop()
            status, _, _ = await loop.run_in_executor(None, call, sim.url, "GET", "/v1/x")
            assert status
            return sim

    sim = asyncio.run(main())
    assert not sim.running


def test_fault_values():
    assert faults.status(503, body={"e": 1}).to_dict() == {
        "kind": "status",
        "status": 503,
        "json": {"e": 1},
    }
    assert faults.reset().to_dict() == {"kind": "reset_before_response"}
    assert faults.trickle(5, 0.5).to_dict() == {
        "kind": "trickle",
        "bytes_per_chunk": 5,
        "interval_seconds": 0.5,
    }
    assert repr(faults.oversized(10)) == "faults.oversized(bytes=10)"
    assert faults.delay(1) == faults.delay(1.0)


# ------------------------------------------------------------------ Replay / Recorder


def write_cassette(path, interactions):
    path.write_text(
        json.dumps({"reelkit_cassette": 1, "description": "t", "interactions": interactions})
    )
    return path


POLL = [
    {
        "request": {"method": "POST", "path": "/v1/videos", "json": {"script": "hi"}},
        "response": {"status": 201, "json": {"id": "v1", "status": "queued"}},
    },
    {
        "request": {"method": "GET", "path": "/v1/videos/v1"},
        "response": {"status": 200, "json": {"id": "v1", "status": "processing"}},
    },
    {
        "request": {"method": "GET", "path": "/v1/videos/v1"},
        "response": {
            "status": 200,
            "json": {"id": "v1", "status": "completed", "url": "{{base_url}}/media/v1.mp4"},
        },
    },
]


def test_replay_in_order(tmp_path):
    path = write_cassette(tmp_path / "poll.json", POLL)
    with Replay(path) as replay:
        assert replay.hooked_base_url == replay.base_url + "/v1"
        assert call(replay.hooked_base_url, "POST", "/videos", body={"script": "hi"})[0] == 201
        s1 = json.loads(call(replay.hooked_base_url, "GET", "/videos/v1")[2])["status"]
        done = json.loads(call(replay.hooked_base_url, "GET", "/videos/v1")[2])
        assert (s1, done["status"]) == ("processing", "completed")
        assert done["url"] == replay.base_url + "/media/v1.mp4"
    assert replay.mismatches == [] and replay.unused == []


def test_replay_mismatch_and_unused_raise(tmp_path):
    path = write_cassette(tmp_path / "poll.json", POLL)
    with pytest.raises(AssertionError) as info, Replay(path) as replay:
        status, headers, body = call(
            replay.hooked_base_url, "POST", "/videos", body={"script": "bye"}
        )
        assert status == 599
        assert headers["x-reelkit-replay-mismatch"] == "1"
        assert b'$.script: expected "hi", got "bye"' in body
    text = str(info.value)
    assert "did not match" in text and '$.script: expected "hi", got "bye"' in text
    assert "3 interaction(s) were never used" in text
    assert "#1 GET /v1/videos/v1" in text


def test_replay_does_not_mask_the_block_exception(tmp_path):
    path = write_cassette(tmp_path / "poll.json", POLL)
    with pytest.raises(KeyError), Replay(path):
        raise KeyError("mine")


def test_replay_non_strict_and_bad_cassette(tmp_path):
    path = write_cassette(tmp_path / "poll.json", POLL)
    with Replay(path, strict=False) as replay:
        for _ in range(3):
            call(replay.hooked_base_url, "GET", "/videos/v1")
        call(replay.hooked_base_url, "POST", "/videos", body={"script": "hi"})
    bad = tmp_path / "bad.json"
    bad.write_text('{"reelkit_cassette": 2, "interactions": []}')
    with pytest.raises(ValueError, match="version"):
        Replay(bad)
    with pytest.raises(ValueError, match="cannot read"):
        Replay(tmp_path / "missing.json")


def test_record_then_replay(tmp_path):
    upstream_cassette = write_cassette(
        tmp_path / "upstream.json",
        [
            {
                "request": {"method": "POST", "path": "/v1/videos", "json": {"script": "hi"}},
                "response": {
                    "status": 201,
                    "headers": {"x-request-id": "req_1"},
                    "json": {
                        "id": "v1",
                        "url": "https://cdn.example/v1.mp4?X-Amz-Signature=s3cr3t&a=1",
                    },
                },
            }
        ],
    )
    key = "hk_live_abcdefghijklmnop"
    cassette = tmp_path / "recorded" / "flow.json"
    with Replay(upstream_cassette) as upstream:
        with Recorder(cassette, upstream=upstream.base_url, description="demo") as rec:
            status, headers, body = call(
                rec.hooked_base_url,
                "POST",
                "/videos",
                body={"script": "hi"},
                headers={"x-api-key": key},
            )
            assert status == 201
            assert headers["x-request-id"] == "req_1"
            assert b"s3cr3t" in body  # the client sees the real bytes
            assert len(rec) == 1
        assert upstream.requests()[0].headers["x-api-key"] == "<redacted>"
    text = cassette.read_text()
    assert key not in text and "s3cr3t" not in text
    data = json.loads(text)
    assert data["description"] == "demo"
    (interaction,) = data["interactions"]
    assert interaction["request"]["headers"]["x-api-key"] == "<redacted>"
    assert interaction["response"]["json"]["url"].endswith("X-Amz-Signature=REDACTED&a=1")
    with Replay(cassette) as replay:
        status, _, body = call(replay.hooked_base_url, "POST", "/videos", body={"script": "hi"})
        assert status == 201 and json.loads(body)["id"] == "v1"


def test_recorder_rejects_bad_upstream(tmp_path):
    with pytest.raises(ValueError):
        Recorder(tmp_path / "x.json", upstream="not a url")
    with pytest.raises(ValueError):
        Recorder(tmp_path / "x.json", upstream="ftp://example.com")


# ------------------------------------------------------------------ pytest plugin


@pytest.mark.reelkit_simulator(credits=7)
def test_simulator_fixture(reelkit_simulator):
    assert reelkit_simulator.running
    assert call(reelkit_simulator.url, "GET", "/v1/x")[0]
    assert len(reelkit_simulator.requests()) == 1


@pytest.mark.reelkit_simulator(credits=7)
def test_simulator_marker_options_apply(hooked_sim, reelkit_simulator):
    avatar = hooked_sim.avatars.list()[0]
    voice = hooked_sim.voices.list()[0]
    hooked_sim.projects.create_talking_avatar(script="a", avatar_id=avatar.id, voice_id=voice.id)
    with pytest.raises(reelkit.InsufficientCreditsError):
        hooked_sim.projects.create_talking_avatar(
            script="b", avatar_id=avatar.id, voice_id=voice.id
        )


def test_replay_fixture(reelkit_replay, tmp_path):
    path = write_cassette(tmp_path / "poll.json", POLL[:1])
    replay = reelkit_replay(path)
    assert call(replay.hooked_base_url, "POST", "/videos", body={"script": "hi"})[0] == 201


def test_replay_fixture_fails_on_unused(pytester):
    pytester.makepyfile(
        test_inner=f"""
        def test_it(reelkit_replay):
            reelkit_replay({str(write_cassette(pytester.path / "c.json", POLL))!r})
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*3 interaction(s) were never used*"])


def test_client_fixtures_end_to_end(hoox_sim, hooked_sim, reelkit_simulator):
    assert hoox_sim is not None
    avatar = hooked_sim.avatars.list()[0]
    voice = hooked_sim.voices.list()[0]
    assert reelkit_simulator.credits_used == 0
    hooked_sim.projects.create_talking_avatar(script="Hi", avatar_id=avatar.id, voice_id=voice.id)
    assert reelkit_simulator.hooked_credits_used > 0
    assert reelkit_simulator.credits_used == reelkit_simulator.hooked_credits_used
    create = [r for r in reelkit_simulator.requests() if r.method == "POST"][-1]
    assert create.path == "/v1/project/create/talking-avatar"
    assert create.json["script"] == "Hi"
    assert create.headers["x-api-key"] == "<redacted>"
    # a fault seen through the real client
    reelkit_simulator.inject("GET", "/v1/avatar/*", faults.status(500), times=0)
    with pytest.raises(reelkit.ReelkitError):
        hooked_sim.avatars.list()


# ------------------------------------------------------------------ __main__


def test_main_runs_and_stops_on_sigterm():
    proc = subprocess.Popen(
        [sys.executable, "-m", "reelkit.testing", "--port", "0", "--job-seconds", "0.5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("reelkit simulator listening on http://127.0.0.1:"), line
        url = line.split()[-1]
        hoox = proc.stdout.readline()
        assert "api_key=hx_" in hoox and url + "/api/public/v1" in hoox
        assert call(url, "GET", "/v1/x")[0]
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
        assert proc.returncode == 0, err
        assert "stopped (1 requests served)." in out, out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_replay_fixture_relative_path_and_example_cassette(reelkit_replay):
    replay = reelkit_replay("cassettes/example_hooked_poll.json")
    base = replay.hooked_base_url
    assert call(base, "POST", "/videos", body={"script": "Hello from reelkit"})[0] == 201
    assert json.loads(call(base, "GET", "/videos/vid_example_1")[2])["status"] == "processing"
    done = json.loads(call(base, "GET", "/videos/vid_example_1")[2])
    assert done["status"] == "completed"
    status, headers, body = call(done["url"], "GET", "")
    assert status == 200 and len(body) == 4096 and headers["content-type"] == "video/mp4"
