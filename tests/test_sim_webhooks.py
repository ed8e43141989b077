"""The simulator delivers each provider's documented webhook on a job's terminal
state, and retries on receiver errors; reelkit's parsers read every delivery.
Jobs are started through the sync and the asyncio clients."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import reelkit
from reelkit.testing import Simulator


class Receiver:
    """A loopback webhook endpoint that records deliveries; it can fail the first N."""

    def __init__(self, fail_first: int = 0) -> None:
        self.deliveries: list[tuple[dict[str, str], bytes]] = []
        self.fail_first = fail_first
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                receiver.deliveries.append(({k.lower(): v for k, v in self.headers.items()}, body))
                failing = len(receiver.deliveries) <= receiver.fail_first
                self.send_response(500 if failing else 200)
                self.send_header("content-length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.deliveries) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.deliveries) >= count, f"got {len(self.deliveries)} deliveries"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def sim():
    with Simulator(job_seconds=0.3, webhook_delay_scale=0.05) as s:
        yield s


def run(mode, sim, provider, fn):
    """fn(client) with a sync client, or awaited with an async one."""
    if provider == "hoox":
        kwargs = {"api_key": sim.hoox_api_key, "base_url": sim.hoox_base_url}
        sync_cls, async_cls = reelkit.Hoox, reelkit.AsyncHoox
    else:
        kwargs = {"api_key": sim.hooked_api_key, "base_url": sim.hooked_base_url}
        sync_cls, async_cls = reelkit.Hooked, reelkit.AsyncHooked
    if mode == "sync":
        with sync_cls(**kwargs) as client:
            return fn(client)

    async def main():
        async with async_cls(**kwargs) as client:
            return await fn(client)

    return asyncio.run(main())


MODES = ["sync", "async"]


@pytest.mark.parametrize("mode", MODES)
def test_hoox_generation_and_export_webhooks(sim, receiver, mode):
    def generate(client):
        return client.generations.start(
            script="Webhooks are how the server tells you a render is done.",
            voice_id="voice_en_us_female_sarah",
            webhook_url=receiver.url,
        )

    job = run(mode, sim, "hoox", generate)
    receiver.wait_for(1)
    headers, body = receiver.deliveries[0]
    assert headers["x-hoox-webhook"] == "true"
    assert "Hoox-API" in headers["user-agent"]
    event = reelkit.hoox.parse_webhook(body)
    assert (event.task, event.job_id, event.status) == ("video_generate", job.job_id, "completed")
    assert event.is_complete and event.result["video_id"]

    def export(client):
        return client.exports.start(event.result["video_id"], webhook_url=receiver.url)

    export_job = run(mode, sim, "hoox", export)
    receiver.wait_for(2)
    exported = reelkit.hoox.parse_webhook(receiver.deliveries[1][1])
    assert (exported.task, exported.job_id) == ("video_export", export_job.job_id)
    assert exported.result["video_url"].startswith(sim.url)


@pytest.mark.parametrize("mode", MODES)
def test_hoox_failure_and_avatar_webhooks(sim, receiver, mode):
    def start(client):
        failing = client.generations.start(
            script="SIMULATE_FAILURE please",
            voice_id="voice_en_us_female_sarah",
            webhook_url=receiver.url,
        )
        look = client.avatars.create(prompt="A chef in a bright kitchen", webhook_url=receiver.url)
        return failing, look

    async def astart(client):
        failing = await client.generations.start(
            script="SIMULATE_FAILURE please",
            voice_id="voice_en_us_female_sarah",
            webhook_url=receiver.url,
        )
        look = await client.avatars.create(
            prompt="A chef in a bright kitchen", webhook_url=receiver.url
        )
        return failing, look

    failing, look = run(mode, sim, "hoox", start if mode == "sync" else astart)
    receiver.wait_for(2)
    events = [reelkit.hoox.parse_webhook(body) for _, body in receiver.deliveries]
    by_task = {e.task: e for e in events}
    failed = by_task["video_generate"]
    assert failed.job_id == failing.job_id and failed.is_failed
    assert failed.error["code"].upper() == "GENERATION_FAILED"
    avatar = by_task["avatar_create"]
    assert (avatar.avatar_id, avatar.look_id, avatar.status) == (
        look.avatar_id,
        look.look_id,
        "completed",
    )
    assert avatar.id == look.look_id  # job_id, else the look id


@pytest.mark.parametrize("mode", MODES)
def test_hooked_completed_and_failed_webhooks(sim, receiver, mode):
    def create(client):
        avatar = client.avatars.list()[0]
        voice = client.voices.list()[0]
        ok = client.projects.create_talking_avatar(
            script="Hello from the simulator.",
            avatar_id=avatar.id,
            voice_id=voice.id,
            webhook=receiver.url,
            metadata={"order": "42"},
        )
        bad = client.projects.create_talking_avatar(
            script="SIMULATE_FAILURE now",
            avatar_id=avatar.id,
            voice_id=voice.id,
            webhook=receiver.url,
        )
        return ok, bad

    if mode == "sync":
        ok, bad = run(mode, sim, "hooked", create)
    else:

        async def acreate(client):
            avatar = (await client.avatars.list())[0]
            voice = (await client.voices.list())[0]
            ok = await client.projects.create_talking_avatar(
                script="Hello from the simulator.",
                avatar_id=avatar.id,
                voice_id=voice.id,
                webhook=receiver.url,
                metadata={"order": "42"},
            )
            bad = await client.projects.create_talking_avatar(
                script="SIMULATE_FAILURE now",
                avatar_id=avatar.id,
                voice_id=voice.id,
                webhook=receiver.url,
            )
            return ok, bad

        ok, bad = run(mode, sim, "hooked", acreate)
    receiver.wait_for(2)
    events = {
        e.project_id: e
        for e in (reelkit.hooked.parse_webhook(body) for _, body in receiver.deliveries)
    }
    done = events[ok.project_id]
    assert (done.event, done.status, done.video_id) == (
        "project.completed",
        "completed",
        ok.video_id,
    )
    assert done.metadata == {"order": "42"} and done.video["url"]
    failed = events[bad.project_id]
    assert (failed.event, failed.status) == ("project.failed", "failed") and failed.message


def test_hoox_webhook_is_retried_on_receiver_errors(sim):
    receiver = Receiver(fail_first=2)
    try:
        with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as client:
            job = client.generations.start(
                script="Retry me.", voice_id="voice_en_us_female_sarah", webhook_url=receiver.url
            )
        receiver.wait_for(3)
        bodies = [json.loads(body) for _, body in receiver.deliveries]
        assert all(b["job_id"] == job.job_id for b in bodies)  # same event each attempt
        time.sleep(0.5)
        assert len(receiver.deliveries) == 3  # success stops the retries
    finally:
        receiver.close()
