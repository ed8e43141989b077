"""The webhook receiver examples, served for real on 127.0.0.1: the FastAPI app by
uvicorn (in a thread), the Django project by `manage.py runserver` (a subprocess).
The Simulator delivers each provider's webhooks to them; every event must be
recorded exactly once, also when the app fails the first delivery on purpose and
the simulator retries, and forged or replayed deliveries must not be recorded."""

from __future__ import annotations

import importlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import reelkit
from reelkit.testing import Simulator

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DJANGO_DIR = EXAMPLES / "django_webhooks"
VOICE = "voice_en_us_female_sarah"
HOOX_HEADERS = {"X-Hoox-Webhook": "true", "User-Agent": "Hoox-API/1.0"}


@pytest.fixture(scope="module")
def sim():
    with Simulator(job_seconds=0.3, webhook_delay_scale=0.01, rate_limit_per_minute=0) as s:
        yield s


def sim_env(sim) -> dict[str, str]:
    return {
        "HOOX_API_KEY": sim.hoox_api_key,
        "HOOX_BASE_URL": sim.hoox_base_url,
        "HOOKED_API_KEY": sim.hooked_api_key,
        "HOOKED_BASE_URL": sim.hooked_base_url,
    }


def http(method: str, url: str, body: bytes | None = None, headers=None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


class App:
    """A running receiver: its base URL and what it recorded (via GET /events)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.hoox_url = f"{base}/webhooks/hoox"
        self.hooked_url = f"{base}/webhooks/hooked"

    def state(self) -> dict:
        status, data = http("GET", f"{self.base}/events")
        assert status == 200, data
        return data

    def outcomes(self, key: str) -> list[str]:
        return [d["outcome"] for d in self.state()["deliveries"] if d["key"] == key]

    def wait_for(self, predicate, timeout: float = 20.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            state = self.state()
            if predicate(state):
                return state
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; the receiver has {json.dumps(state)[:2000]}")
            time.sleep(0.05)

    def wait_recorded(self, *keys: str) -> dict:
        return self.wait_for(lambda s: all(k in s["events"] for k in keys))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(app: App, proc: subprocess.Popen | None = None, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the server exited: {proc.stderr.read()}")
        try:
            app.state()
            return
        except (OSError, AssertionError):
            time.sleep(0.1)
    raise AssertionError("the receiver did not come up")


def run_fastapi(sim, tmp_path, monkeypatch, fail_first: int):
    pytest.importorskip(
        "fastapi", reason="fastapi is not installed (pip install reelkit[examples])"
    )
    uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed")
    for name, value in sim_env(sim).items():
        monkeypatch.setenv(name, value)  # the app builds its clients from the environment
    monkeypatch.syspath_prepend(str(EXAMPLES))
    module = importlib.import_module("fastapi_webhooks")
    app = module.create_app(tmp_path / "events.json", fail_first=fail_first)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    receiver = App(f"http://127.0.0.1:{port}")
    try:
        yield receiver
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def run_django(sim, tmp_path, fail_first: int):
    pytest.importorskip("django", reason="django is not installed (pip install reelkit[examples])")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("HOOX_", "HOOKED_"))},
        **sim_env(sim),
        "DJANGO_SETTINGS_MODULE": "webhooks_project.settings",
        "WEBHOOK_DB": str(tmp_path / "events.sqlite3"),
        "WEBHOOK_FAIL_FIRST": str(fail_first),
    }
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=DJANGO_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    receiver = App(f"http://127.0.0.1:{port}")
    try:
        wait_until_up(receiver, proc)
        yield receiver
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


FRAMEWORKS = ["fastapi", "django"]


def receiver_fixture(fail_first: int):
    @pytest.fixture(params=FRAMEWORKS)
    def fixture(request, sim, tmp_path, monkeypatch):
        if request.param == "fastapi":
            yield from run_fastapi(sim, tmp_path, monkeypatch, fail_first)
        else:
            yield from run_django(sim, tmp_path, fail_first)

    return fixture


app = receiver_fixture(fail_first=0)
flaky_app = receiver_fixture(fail_first=1)


@pytest.fixture
def hoox(sim):
    with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as client:
        yield client


@pytest.fixture
def hooked(sim):
    with reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url) as client:
        yield client


def assert_once(app: App, *keys: str) -> None:
    """Each key was recorded once: one delivery processed, any others duplicates."""
    time.sleep(0.3)  # let any (wrong) extra delivery arrive before counting
    for key in keys:
        outcomes = app.outcomes(key)
        assert outcomes.count("recorded") == 1, (key, outcomes)
        assert set(outcomes) <= {"recorded", "duplicate"}, (key, outcomes)


# -- delivered by the simulator ----------------------------------------------------------


def test_hoox_webhooks_are_confirmed_and_recorded_once(app, hoox):
    generation = hoox.generations.start(
        script="Webhooks all the way down.", voice_id=VOICE, webhook_url=app.hoox_url
    )
    failing = hoox.generations.start(
        script="SIMULATE_FAILURE please", voice_id=VOICE, webhook_url=app.hoox_url
    )
    look = hoox.avatars.create(prompt="A potter at the wheel", webhook_url=app.hoox_url)
    state = app.wait_recorded(f"hoox:{generation.job_id}", f"hoox:{failing.job_id}")
    done = state["events"][f"hoox:{generation.job_id}"]
    assert (done["task"], done["status"]) == ("video_generate", "completed")
    assert done["video_id"].startswith("vid_")
    failed = state["events"][f"hoox:{failing.job_id}"]
    assert failed["status"] == "failed" and failed["error"]["code"].upper() == "GENERATION_FAILED"

    export = hoox.exports.start(done["video_id"], webhook_url=app.hoox_url)
    state = app.wait_recorded(f"hoox:{export.job_id}", f"hoox:{look.look_id}")
    exported = state["events"][f"hoox:{export.job_id}"]
    assert exported["task"] == "video_export" and exported["video_url"].startswith("http")
    avatar = state["events"][f"hoox:{look.look_id}"]
    assert (avatar["avatar_id"], avatar["status"]) == (look.avatar_id, "completed")

    keys = [generation.job_id, failing.job_id, export.job_id, look.look_id]
    assert_once(app, *(f"hoox:{k}" for k in keys))
    assert len(app.state()["events"]) == 4


def test_hooked_webhooks_are_confirmed_and_recorded_once(app, hooked):
    avatar, voice = hooked.avatars.list()[0], hooked.voices.list()[0]
    ok = hooked.projects.create_talking_avatar(
        script="Hello, receiver.",
        avatar_id=avatar.id,
        voice_id=voice.id,
        webhook=app.hooked_url,
        metadata={"order": "42"},
    )
    bad = hooked.projects.create_talking_avatar(
        script="SIMULATE_FAILURE now",
        avatar_id=avatar.id,
        voice_id=voice.id,
        webhook=app.hooked_url,
    )
    state = app.wait_recorded(f"hooked:{ok.project_id}", f"hooked:{bad.project_id}")
    done = state["events"][f"hooked:{ok.project_id}"]
    assert (done["event"], done["video_id"], done["status"]) == (
        "project.completed",
        ok.video_id,
        "COMPLETED",
    )
    assert done["metadata"] == {"order": "42"} and done["url"]
    # The failure payload names only the project: the app found its video by scanning.
    failed = state["events"][f"hooked:{bad.project_id}"]
    assert (failed["event"], failed["video_id"], failed["status"]) == (
        "project.failed",
        bad.video_id,
        "FAILED",
    )
    assert_once(app, f"hooked:{ok.project_id}", f"hooked:{bad.project_id}")


def test_a_redelivery_after_a_500_is_acknowledged_not_reprocessed(flaky_app, hoox, hooked):
    # The app records the first delivery, then answers 500 as if it crashed before
    # replying; the simulator retries and the retry must be a duplicate.
    job = hoox.generations.start(script="Retry me.", voice_id=VOICE, webhook_url=flaky_app.hoox_url)
    key = f"hoox:{job.job_id}"
    flaky_app.wait_for(lambda s: "duplicate" in [d["outcome"] for d in s["deliveries"]])
    assert flaky_app.outcomes(key) == ["recorded", "duplicate"]
    time.sleep(0.5)  # the 200 ended the retries
    assert flaky_app.outcomes(key) == ["recorded", "duplicate"]
    assert list(flaky_app.state()["events"]) == [key]

    # Only the first delivery fails on purpose: a Hooked one goes through at once.
    avatar, voice = hooked.avatars.list()[0], hooked.voices.list()[0]
    project = hooked.projects.create_talking_avatar(
        script="Once.", avatar_id=avatar.id, voice_id=voice.id, webhook=flaky_app.hooked_url
    )
    flaky_app.wait_recorded(f"hooked:{project.project_id}")
    assert_once(flaky_app, key, f"hooked:{project.project_id}")


# -- forged, malformed and replayed deliveries ---------------------------------------------


def post(url: str, payload, headers=None) -> tuple[int, dict]:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return http("POST", url, body, {"Content-Type": "application/json", **(headers or {})})


def test_forged_and_replayed_deliveries_are_not_recorded(app, hoox, hooked):
    real = hoox.generations.create_and_wait(script="Real job.", voice_id=VOICE, poll_interval=0.05)
    payload = {
        "task": "video_generate",
        "job_id": real.job_id,
        "status": "completed",
        "result": {"video_id": real.video_id},
    }

    # Without Hoox's headers, or with only one of them: rejected before parsing.
    assert post(app.hoox_url, payload)[0] == 401
    assert post(app.hoox_url, payload, {"X-Hoox-Webhook": "true"})[0] == 401
    assert post(app.hoox_url, payload, {"User-Agent": "Hoox-API/1.0"})[0] == 401
    # Not a webhook body.
    assert post(app.hoox_url, b"{not json", HOOX_HEADERS)[0] == 400
    assert post(app.hooked_url, b"[1, 2]")[0] == 400
    # A job the API does not know.
    forged = {**payload, "job_id": "run_forged000000000000"}
    status, answer = post(app.hoox_url, forged, HOOX_HEADERS)
    assert (status, answer["status"]) == (400, "not confirmed")
    status, _ = post(
        app.hooked_url, {"event": "project.failed", "projectId": "proj_forged", "status": "failed"}
    )
    assert status == 400
    # A status the API contradicts: the job completed, the payload claims failure.
    contradicted = {**payload, "status": "failed", "error": {"code": "X", "message": "forged"}}
    assert post(app.hoox_url, contradicted, HOOX_HEADERS)[0] == 400
    assert app.state()["events"] == {}

    # A job still running, claimed completed: not recorded, and 503 so that a genuine
    # early webhook would be retried.
    running = hoox.generations.start(script="Still going.", voice_id=VOICE)
    early = {**payload, "job_id": running.job_id}
    status, answer = post(app.hoox_url, early, HOOX_HEADERS)
    assert (status, answer["status"]) == (503, "not confirmed")
    assert app.state()["events"] == {}

    # The genuine delivery is recorded; replaying it is acknowledged as a duplicate.
    status, answer = post(app.hoox_url, payload, HOOX_HEADERS)
    assert (status, answer["status"]) == (200, "recorded")
    for _ in range(3):
        status, answer = post(app.hoox_url, payload, HOOX_HEADERS)
        assert (status, answer["status"]) == (200, "duplicate")
    outcomes = app.outcomes(f"hoox:{real.job_id}")
    assert outcomes[0].startswith("not confirmed")  # the contradicted one, above
    assert outcomes[1:] == ["recorded"] + ["duplicate"] * 3
    assert list(app.state()["events"]) == [f"hoox:{real.job_id}"]


def test_concurrent_duplicates_are_processed_once(app, hoox):
    real = hoox.generations.create_and_wait(script="Race me.", voice_id=VOICE, poll_interval=0.05)
    payload = {"task": "video_generate", "job_id": real.job_id, "status": "completed"}
    results: list[tuple[int, dict]] = []
    threads = [
        threading.Thread(target=lambda: results.append(post(app.hoox_url, payload, HOOX_HEADERS)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcomes = sorted(answer["status"] for _, answer in results)
    assert outcomes.count("recorded") == 1
    # The others were told "duplicate" (200) or "in progress" (409: retry later).
    assert set(outcomes) <= {"recorded", "duplicate", "in progress"}
    assert app.outcomes(f"hoox:{real.job_id}").count("recorded") == 1
