"""The seed workflows from a terminal, run as subprocesses against a Simulator:
`reelkit hoox avatars create/edit/status/wait`, `reelkit hoox exports
start/wait/download`, `reelkit hooked projects <creator>` (every creator, options
from its signature) and `reelkit hooked video wait`, with the same --json output and
exit codes as the other commands (2 nothing sent, 3 API error, 4 wait timeout with
the ids, 5 job failed with the ids)."""

from __future__ import annotations

import inspect
import json

import pytest

import reelkit
from reelkit._cli._hooked import creators
from reelkit._resources.hooked import Projects
from reelkit.testing import Simulator
from test_cli import VOICE, cli, sim_env

FAIL = "SIMULATE_FAILURE"  # the simulator fails jobs whose prompt/script has it
EXPORT_FAIL = "SIMULATE_EXPORT_FAILURE"
WAIT = ("--poll-interval", "0.05", "--no-progress")


@pytest.fixture(scope="module")
def sim():
    with Simulator(job_seconds=0.3, rate_limit_per_minute=0) as s:
        yield s


@pytest.fixture
def env(sim):
    return sim_env(sim)


@pytest.fixture(scope="module")
def slow_env():
    with Simulator(job_seconds=60, rate_limit_per_minute=0) as slow:
        yield sim_env(slow)


def run_json(env, *args):
    out = cli(env, "--json", *args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def posts(sim, path_end):
    return [r for r in sim.requests() if r.method == "POST" and r.path.endswith(path_end)]


# -- Hoox avatars ------------------------------------------------------------------------


def test_avatar_workflow(env, sim):
    out = cli(env, "hoox", "avatars", "create", "--prompt", "Young entrepreneur", "--wait", *WAIT)
    assert out.returncode == 0, out.stderr
    assert "avatar_id: avtr_" in out.stdout and "status: completed" in out.stdout
    job = run_json(env, "hoox", "avatars", "create", "--prompt", "Founder", "--resolution", "4K")
    avatar, look = job["avatar_id"], job["look_id"]
    assert posts(sim, "/avatar/create")[-1].json["resolution"] == "4K"
    status = run_json(env, "hoox", "avatars", "status", avatar, look)
    assert (status["avatar_id"], status["look_id"]) == (avatar, look)
    done = run_json(env, "hoox", "avatars", "wait", avatar, look, *WAIT)
    assert done["status"] == "completed"
    edited = run_json(
        env, "hoox", "avatars", "edit", avatar, look, "--prompt", "Same person, podcast",
        "--upscale", "--image-urls", "https://example.com/a.jpg", "--wait", *WAIT,
    )  # fmt: skip
    assert edited["avatar_id"] == avatar and edited["look_id"] != look
    assert edited["status"] == "completed"
    sent = posts(sim, "/avatar/edit")[-1].json
    assert sent["upscale"] is True and sent["imageUrls"] == ["https://example.com/a.jpg"]


def test_avatar_failure_exits_5_with_the_ids(env):
    out = cli(env, "--json", "hoox", "avatars", "create", "--prompt", f"{FAIL} me", "--wait", *WAIT)
    assert out.returncode == 5, out.stderr
    result = json.loads(out.stdout)
    assert result["error"]["type"] == "JobFailedError"
    assert f"look_id: {result['look_id']}" in out.stderr
    assert f"avatar_id: {result['avatar_id']}" in out.stderr


def test_avatar_wait_timeout_exits_4_with_the_ids(slow_env):
    job = run_json(slow_env, "hoox", "avatars", "create", "--prompt", "Slow one")
    out = cli(slow_env, "hoox", "avatars", "wait", job["avatar_id"], job["look_id"],
              "--wait-timeout", "0.3", *WAIT)  # fmt: skip
    assert out.returncode == 4
    assert job["look_id"] in out.stderr and "may still be running" in out.stderr


def test_avatar_bad_input_exits_2_before_sending(env, sim):
    sim.clear_requests()
    out = cli(env, "hoox", "avatars", "create", "--prompt", "x", "--resolution", "8K")
    assert out.returncode == 2 and "resolution" in out.stderr
    out = cli(env, "hoox", "avatars", "edit", "avtr_1", "look_1")  # --prompt is required
    assert out.returncode == 2 and "--prompt" in out.stderr
    assert sim.requests() == []


# -- Hoox exports ------------------------------------------------------------------------


@pytest.fixture
def done_video(sim):
    with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as hoox:
        job = hoox.generations.start(script="Three habits.", voice_id=VOICE)
        return hoox.generations.wait(job.job_id, poll_interval=0.05).video_id


def test_export_workflow(env, sim, done_video, tmp_path):
    started = run_json(env, "hoox", "exports", "start", done_video, "--format", "square")
    job = started["export_job_id"]
    assert posts(sim, "/export/start")[-1].json == {"video_id": done_video, "format": "square"}
    status = run_json(env, "hoox", "exports", "wait", job, *WAIT)
    assert status["status"] == "completed" and status["result"]["video_url"]
    target = tmp_path / "export.mp4"
    out = cli(env, "hoox", "exports", "download", job, target, "--no-progress")
    assert out.returncode == 0, out.stderr
    assert target.stat().st_size > 0 and f"downloaded {target}" in out.stdout
    # The whole chain in one command.
    chained = run_json(env, "hoox", "exports", "start", done_video, "--download",
                       tmp_path / "again.mp4", *WAIT)  # fmt: skip
    assert chained["bytes"] == (tmp_path / "again.mp4").stat().st_size > 0
    assert chained["export_job_id"] and chained["video_url"]


def test_export_failure_exits_5_with_the_job_id(env, sim):
    with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as hoox:
        job = hoox.generations.start(script=f"{EXPORT_FAIL} here.", voice_id=VOICE)
        video = hoox.generations.wait(job.job_id, poll_interval=0.05).video_id
    export = run_json(env, "hoox", "exports", "start", video)["export_job_id"]
    out = cli(env, "hoox", "exports", "wait", export, *WAIT)
    assert out.returncode == 5 and f"export_job_id: {export}" in out.stderr


def test_export_of_an_unknown_video_exits_3(env):
    out = cli(env, "hoox", "exports", "start", "vid_missing")
    assert out.returncode == 3 and "VIDEO_NOT_FOUND" in out.stderr


# -- Hooked projects ---------------------------------------------------------------------


def test_every_project_creator_is_a_command_with_its_options(env):
    names = creators()
    assert sorted(names.values()) == sorted(
        n for n in vars(Projects) if getattr(getattr(Projects, n), "__reelkit_endpoint__", False)
    )
    listing = cli(env, "hooked", "projects", "--help").stdout
    for cli_name, method in names.items():
        assert cli_name in listing
        text = cli(env, "hooked", "projects", cli_name, "--help").stdout
        params = inspect.signature(inspect.unwrap(getattr(Projects, method))).parameters
        for name in params:
            if name == "self":
                continue
            assert "--" + name.replace("_", "-") in text, (cli_name, name)


def test_talking_avatar_created_waited_and_downloaded(env, sim, tmp_path):
    target = tmp_path / "talking.mp4"
    result = run_json(
        env, "hooked", "projects", "talking-avatar", "--script", "Hello from a terminal",
        "--avatar-id", "avatar_sarah_01", "--voice-id", "tzX5paJ07p5hyWFcU3uG",
        "--caption", '{"preset": "tiktok"}', "--language", "en", "--wait", "--download", target,
        *WAIT,
    )  # fmt: skip
    assert result["status"] == "COMPLETED" and result["bytes"] == target.stat().st_size > 0
    sent = posts(sim, "/project/create/talking-avatar")[-1].json
    assert sent["caption"] == {"preset": "tiktok"} and sent["avatarId"] == "avatar_sarah_01"


def test_list_json_and_file_options(env, sim, tmp_path):
    slides = tmp_path / "slides.json"
    slides.write_text(json.dumps([{"media": "m1", "duration": 3, "texts": [{"text": "Hi"}]}]))
    result = run_json(
        env, "hooked", "projects", "tiktok-slideshow", "--slides", f"@{slides}",
        "--aspect-ratio", "ratio_9_16", "--language", "en",
    )  # fmt: skip
    assert result["project_id"]
    sent = posts(sim, "/project/create/tiktok-slideshow")[-1].json
    assert sent["slides"][0]["texts"] == [{"text": "Hi"}]
    ad = run_json(
        env, "hooked", "projects", "ugc-ad", "--script", "Buy it", "--avatar-id",
        "avatar_sarah_01", "--voice-id", "tzX5paJ07p5hyWFcU3uG", "--media", "m1", "m2",
    )  # fmt: skip
    assert posts(sim, "/project/create/ugc-ads")[-1].json["media"] == ["m1", "m2"]
    video = run_json(env, "hooked", "video", "wait", ad["video_id"], *WAIT)
    assert video["status"] == "COMPLETED" and video["url"]


def test_project_usage_errors_exit_2_before_sending(env, sim):
    sim.clear_requests()
    bad_json = cli(env, "hooked", "projects", "scenes", "--scenes", "[not json")
    assert bad_json.returncode == 2 and "JSON" in bad_json.stderr
    missing = cli(env, "hooked", "projects", "talking-avatar", "--script", "Hi")
    assert missing.returncode == 2 and "--avatar-id" in missing.stderr
    invalid = cli(env, "hooked", "projects", "extend-video", "--media", "m", "--prompt", "p",
                  "--target-duration", "7")  # fmt: skip
    assert invalid.returncode == 2 and "targetDuration" in invalid.stderr
    no_video = cli(env, "hooked", "projects", "scenes", "--scenes", "[]", "--wait")
    assert no_video.returncode == 2 and "no video id" in no_video.stderr
    assert sim.requests() == []


def test_a_failed_video_exits_5_with_its_ids(env):
    out = cli(
        env, "--json", "hooked", "projects", "talking-avatar", "--script", f"{FAIL} now",
        "--avatar-id", "avatar_sarah_01", "--voice-id", "tzX5paJ07p5hyWFcU3uG", "--wait", *WAIT,
    )  # fmt: skip
    assert out.returncode == 5
    result = json.loads(out.stdout)
    assert f"video_id: {result['video_id']}" in out.stderr
    assert f"project_id: {result['project_id']}" in out.stderr


def test_video_wait_timeout_exits_4(slow_env):
    with reelkit.Hooked(
        api_key=slow_env["HOOKED_API_KEY"], base_url=slow_env["HOOKED_BASE_URL"]
    ) as hooked:
        project = hooked.projects.create_talking_avatar(
            script="Slow", avatar_id="avatar_sarah_01", voice_id="tzX5paJ07p5hyWFcU3uG"
        )
    out = cli(slow_env, "hooked", "video", "wait", project.video_id, "--wait-timeout", "0.3", *WAIT)
    assert out.returncode == 4 and project.video_id in out.stderr
