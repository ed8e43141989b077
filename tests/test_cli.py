"""The `reelkit` command line, run as a subprocess against a Simulator: every command,
human and --json output, and every documented exit code (0 ok, 1 unexpected, 2 usage,
3 API error, 4 wait timeout, 5 job failed, 130 interrupted), with job ids printed on
failures."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import reelkit
from reelkit.testing import Simulator, faults

VOICE = "voice_en_us_female_sarah"
SCRIPT_BIN = Path(sys.executable).parent / "reelkit"


def cli_command() -> list[str]:
    # The console script when reelkit is installed into this interpreter's
    # environment (maturin develop / pip install), else the same main via -m.
    return [str(SCRIPT_BIN)] if SCRIPT_BIN.exists() else [sys.executable, "-m", "reelkit"]


@pytest.fixture(scope="module")
def sim():
    with Simulator(job_seconds=0.3, rate_limit_per_minute=0) as s:
        yield s


def sim_env(sim):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HOOX_", "HOOKED_"))}
    return {
        **clean,
        "HOOX_API_KEY": sim.hoox_api_key,
        "HOOX_BASE_URL": sim.hoox_base_url,
        "HOOKED_API_KEY": sim.hooked_api_key,
        "HOOKED_BASE_URL": sim.hooked_base_url,
        "REELKIT_POLL_INTERVAL": "0.05",
    }


@pytest.fixture
def env(sim):
    return sim_env(sim)


@pytest.fixture(scope="module")
def slow_env():
    """Jobs that take a minute: a short wait times out however loaded the machine is."""
    with Simulator(job_seconds=60, rate_limit_per_minute=0) as slow:
        yield sim_env(slow)


def cli(env, *args, stdin=None, timeout=60):
    return subprocess.run(
        [*cli_command(), *map(str, args)],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "script.txt"
    path.write_text("Three habits that changed my mornings.\n", encoding="utf-8")
    return path


@pytest.fixture
def hoox(sim):
    with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as client:
        yield client


@pytest.fixture
def hooked_video(sim):
    """A completed Hooked video id."""
    with reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url) as client:
        avatar, voice = client.avatars.list()[0], client.voices.list()[0]
        project = client.projects.create_talking_avatar(
            script="Hello from the CLI tests.", avatar_id=avatar.id, voice_id=voice.id
        )
        client.videos.wait(project.video_id, poll_interval=0.05)
        return project.video_id


def posts(sim, path_end):
    return [r for r in sim.requests() if r.method == "POST" and r.path.endswith(path_end)]


# -- exit 0: every command -------------------------------------------------------------


def test_console_script_is_installed():
    if not SCRIPT_BIN.exists():
        pytest.skip("reelkit is not installed into this environment (PYTHONPATH run)")
    out = subprocess.run([str(SCRIPT_BIN), "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == f"reelkit {reelkit.__version__}"


def test_help_lists_commands_and_exit_codes(env):
    out = cli(env, "--help")
    assert out.returncode == 0
    for text in ("hoox", "hooked", "sim", "exit codes", "4  a wait timed out"):
        assert text in out.stdout


def test_hoox_voices_human_and_json(env):
    out = cli(env, "hoox", "voices")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["ID", "NAME", "LANGUAGE", "GENDER"]
    assert any(line.startswith(VOICE) for line in lines)

    out = cli(env, "hoox", "voices", "--language", "fr", "--json")
    assert out.returncode == 0, out.stderr
    voices = json.loads(out.stdout)
    assert voices and all(v["language"] == "fr" for v in voices)
    assert set(voices[0]) >= {"id", "name", "language", "gender"}


def test_json_before_or_after_the_command(env):
    for args in (("--json", "hoox", "voices"), ("hoox", "voices", "--json")):
        out = cli(env, *args)
        assert isinstance(json.loads(out.stdout), list)


def test_hoox_generate_starts_a_job(env, sim, script):
    out = cli(env, "hoox", "generate", "--script", script, "--voice", VOICE, "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["generation_job_id"].startswith("run_") and result["estimated_credits"]
    assert "video_id" not in result  # no --wait: nothing waited for
    sent = posts(sim, "/generation/start")[-1].json
    assert sent["script"] == script.read_text().strip() and sent["voice_id"] == VOICE


def test_hoox_generate_wait_export_download(env, sim, script, tmp_path, hoox):
    look = hoox.avatars.list()[0].id
    target = tmp_path / "out" / "video.mp4"
    target.parent.mkdir()
    out = cli(
        env, "hoox", "generate", "--script", script, "--voice", VOICE, "--avatar", look,
        "--download", target, "--json",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)  # stdout is only the JSON document
    assert target.stat().st_size == result["bytes"] > 0
    assert result["path"] == str(target)
    assert result["video_id"] and result["export_job_id"] and result["video_url"]
    assert posts(sim, "/generation/start")[-1].json["avatar_id"] == look
    assert posts(sim, "/export/start")[-1].json["video_id"] == result["video_id"]
    # Progress went to stderr: both waits and the download.
    for text in (result["generation_job_id"], result["export_job_id"], "video.mp4", "100%"):
        assert text in out.stderr


def test_hoox_generate_human_output_and_script_from_stdin(env, sim):
    out = cli(
        env, "hoox", "generate", "--script", "-", "--voice", VOICE, "--export", "--no-progress",
        stdin="A script piped in.",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "started" in out.stdout and "completed: video vid_" in out.stdout
    assert "video_url: http://127.0.0.1" in out.stdout
    assert out.stderr == ""  # --no-progress
    assert posts(sim, "/generation/start")[-1].json["script"] == "A script piped in."


def test_hoox_duplicate(env, sim, hoox):
    video_id = hoox.generations.create_and_wait(
        script="Duplicate me.", voice_id=VOICE, poll_interval=0.05
    ).video_id
    look = hoox.avatars.list()[0].id
    out = cli(env, "hoox", "duplicate", video_id, "--voice", "voice_fr_male_01", "--look", look)
    assert out.returncode == 0, out.stderr
    assert f"copy of {video_id}" in out.stdout
    assert posts(sim, "/video/duplicate")[-1].json == {
        "video_id": video_id,
        "voice_id": "voice_fr_male_01",
        "avatar_look_id": look,
    }
    out = cli(env, "--json", "hoox", "duplicate", video_id, "--voice", VOICE)
    copy = json.loads(out.stdout)
    assert copy["video_id"] and copy["video_id"] != video_id


def test_hooked_video_get(env, hooked_video):
    out = cli(env, "hooked", "video", "get", hooked_video)
    assert out.returncode == 0, out.stderr
    assert f"id: {hooked_video}" in out.stdout and "status: COMPLETED" in out.stdout
    video = json.loads(cli(env, "hooked", "video", "get", hooked_video, "--json").stdout)
    assert video["id"] == hooked_video and video["url"]


def test_hooked_video_download(env, hooked_video, tmp_path):
    target = tmp_path / "hooked.mp4"
    out = cli(env, "hooked", "video", "download", hooked_video, target)
    assert out.returncode == 0, out.stderr
    assert f"downloaded {target} ({target.stat().st_size} bytes)" in out.stdout
    assert "hooked.mp4" in out.stderr  # progress


def test_hooked_video_download_waits_first(env, sim, tmp_path):
    with reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url) as client:
        avatar, voice = client.avatars.list()[0], client.voices.list()[0]
        project = client.projects.create_talking_avatar(
            script="Still rendering.", avatar_id=avatar.id, voice_id=voice.id
        )
    target = tmp_path / "waited.mp4"
    out = cli(env, "hooked", "video", "download", project.video_id, target, "--wait", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["bytes"] == target.stat().st_size > 0


def test_base_url_flag_overrides_the_environment(env, sim):
    env = {**env, "HOOX_BASE_URL": "http://127.0.0.1:9/nothing-here"}
    out = cli(env, "--base-url", sim.hoox_base_url, "hoox", "voices", "--json")
    assert out.returncode == 0, out.stderr


def test_sim_runs_until_terminated(env, tmp_path):
    proc = subprocess.Popen(
        [*cli_command(), "sim", "--port", "0", "--json", "--job-seconds", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        info = json.loads(proc.stdout.readline())
        assert info["url"].startswith("http://127.0.0.1:")
        sim_env = {**env, **info["env"]}
        out = cli(sim_env, "hoox", "voices", "--json")
        assert out.returncode == 0 and json.loads(out.stdout)
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=20)
    assert code == 0
    assert "stopped" in proc.stderr.read()


def test_sim_human_output_prints_exports(env):
    proc = subprocess.Popen(
        [*cli_command(), "sim"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        lines = [proc.stdout.readline() for _ in range(6)]
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    assert lines[0].startswith("reelkit simulator listening on http://127.0.0.1:")
    assert any(line.strip().startswith("export HOOX_API_KEY=") for line in lines)


# -- exit 1: unexpected ----------------------------------------------------------------


def test_exit_1_when_the_simulator_port_is_taken(env):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        out = cli(env, "sim", "--port", taken.getsockname()[1])
    assert out.returncode == 1
    assert "cannot start the simulator" in out.stderr


# -- exit 2: usage ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        (),  # no command
        ("hoox",),
        ("hoox", "generate", "--voice", VOICE),  # --script missing
        ("hooked", "video", "download", "vid_1"),  # path missing
        ("hoox", "voices", "--bogus"),
        ("sim", "--port", "not-a-number"),
    ],
)
def test_exit_2_on_argparse_usage_errors(env, args):
    out = cli(env, *args)
    assert out.returncode == 2
    assert "usage: reelkit" in out.stderr


def test_exit_2_on_invalid_input_before_anything_is_sent(env, sim, script, tmp_path):
    sim.clear_requests()
    missing = tmp_path / "missing.txt"
    cases = [
        (("hoox", "generate", "--script", missing, "--voice", VOICE), "cannot read"),
        (("hoox", "duplicate", "vid_1"), "--voice and/or --look"),
        (("hoox", "generate", "--script", script, "--voice", VOICE, "--format", "round"), "format"),
    ]  # fmt: skip
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    cases.append((("hoox", "generate", "--script", empty, "--voice", VOICE), "is empty"))
    for args, message in cases:
        out = cli(env, *args)
        assert out.returncode == 2, (args, out.stderr)
        assert message in out.stderr
    assert sim.requests() == []


def test_exit_2_without_an_api_key(env):
    env = {k: v for k, v in env.items() if k != "HOOX_API_KEY"}
    out = cli(env, "--json", "hoox", "voices")
    assert out.returncode == 2
    assert "HOOX_API_KEY" in out.stderr
    assert json.loads(out.stdout)["error"]["exit_code"] == 2


# -- exit 3: API errors ----------------------------------------------------------------


def test_exit_3_on_an_api_error(env):
    out = cli(env, "hooked", "video", "get", "vid_missing")
    assert out.returncode == 3
    assert "404" in out.stderr and "VIDEO_NOT_FOUND" in out.stderr
    out = cli(env, "--json", "hooked", "video", "get", "vid_missing")
    error = json.loads(out.stdout)["error"]
    assert (error["type"], error["status_code"], error["exit_code"]) == ("NotFoundError", 404, 3)


def test_exit_3_after_a_job_started_prints_what_exists(env, sim, script):
    # The generation completes, then the export request fails: the generation job and
    # its video (both paid for) must still be reported.
    sim.inject("POST", "/api/public/v1/export/start", faults.status(400), times=1)
    out = cli(env, "hoox", "generate", "--script", script, "--voice", VOICE, "--export", "--json")
    assert out.returncode == 3
    result = json.loads(out.stdout)
    assert result["generation_job_id"] and result["video_id"]
    assert result["error"]["status_code"] == 400
    assert f"generation_job_id: {result['generation_job_id']}" in out.stderr
    assert f"video_id: {result['video_id']}" in out.stderr


# -- exit 4: wait timeout --------------------------------------------------------------


def test_exit_4_on_wait_timeout_with_the_job_id(slow_env, script):
    out = cli(
        slow_env, "hoox", "generate", "--script", script, "--voice", VOICE, "--wait",
        "--wait-timeout", "0.2",
    )  # fmt: skip
    assert out.returncode == 4
    job_id = out.stdout.split()[1]  # "generation <id> started ..."
    assert job_id.startswith("run_")
    assert f"generation_job_id: {job_id}" in out.stderr
    assert "may still be running" in out.stderr


def test_exit_4_in_json_mode(slow_env, script):
    out = cli(
        slow_env, "--json", "hoox", "generate", "--script", script, "--voice", VOICE, "--wait",
        "--wait-timeout", "0.2",
    )  # fmt: skip
    assert out.returncode == 4
    result = json.loads(out.stdout)
    assert result["error"]["job_id"] == result["generation_job_id"]
    assert result["error"]["type"] == "WaitTimeoutError"


# -- exit 5: job failed ----------------------------------------------------------------


def test_exit_5_on_a_failed_job_with_the_job_id(env, tmp_path):
    failing = tmp_path / "fail.txt"
    failing.write_text("SIMULATE_FAILURE please")
    out = cli(env, "--json", "hoox", "generate", "--script", failing, "--voice", VOICE, "--wait")
    assert out.returncode == 5
    result = json.loads(out.stdout)
    assert result["error"]["job_id"] == result["generation_job_id"]
    assert result["error"]["code"] == "GENERATION_FAILED"
    assert f"generation_job_id: {result['generation_job_id']}" in out.stderr


# -- 130: interrupted ------------------------------------------------------------------


def test_ctrl_c_while_waiting_prints_the_job_id(slow_env, script):
    proc = subprocess.Popen(
        [*cli_command(), "hoox", "generate", "--script", str(script), "--voice", VOICE, "--wait"],
        env=slow_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        started = proc.stdout.readline()  # "generation <id> started ...": now waiting
        job_id = started.split()[1]
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert f"generation_job_id: {job_id}" in err
