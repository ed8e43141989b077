"""`progress=True` on waits and downloads: a tqdm bar when tqdm imports, one line on
stderr when it does not (the import is monkeypatched away), sync and async, with
`on_progress` callbacks still called alongside."""

from __future__ import annotations

import asyncio
import inspect
import io
import sys
import types

import pytest

import reelkit
from reelkit import _progress
from reelkit.testing import Simulator

VOICE = "voice_en_us_female_sarah"
POLL = 0.05


@pytest.fixture(scope="module")
def sim():
    with Simulator(job_seconds=0.3, rate_limit_per_minute=0) as s:
        yield s


@pytest.fixture(params=["tqdm", "fallback"])
def display(request, monkeypatch, capsys):
    """Which display `progress=True` gets: the real tqdm.auto on a terminal, or the
    line display with tqdm not importable. `display.err()` is what went to stderr."""
    if request.param == "tqdm":
        pytest.importorskip("tqdm.auto")
        # Not a replaced sys.stderr: pytest's capture would swap it back before the test.
        monkeypatch.setattr(_progress, "_stderr_is_tty", lambda: True)
    else:
        # A None entry in sys.modules makes `import tqdm.auto` raise ImportError.
        monkeypatch.setitem(sys.modules, "tqdm", None)
        monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    return types.SimpleNamespace(kind=request.param, err=lambda: capsys.readouterr().err)


def run(mode, client_cls, async_cls, kwargs, fn):
    if mode == "sync":
        with client_cls(**kwargs) as client:
            return fn(client)

    async def main():
        async with async_cls(**kwargs) as client:
            return await fn(client)

    return asyncio.run(main())


def hoox(sim, mode, fn):
    kwargs = {"api_key": sim.hoox_api_key, "base_url": sim.hoox_base_url}
    return run(mode, reelkit.Hoox, reelkit.AsyncHoox, kwargs, fn)


def hooked(sim, mode, fn):
    kwargs = {"api_key": sim.hooked_api_key, "base_url": sim.hooked_base_url}
    return run(mode, reelkit.Hooked, reelkit.AsyncHooked, kwargs, fn)


async def _maybe(value):
    # One flow serves both clients: a sync client's results are returned as they are.
    return await value if inspect.isawaitable(value) else value


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_hoox_generation_export_download_show_progress(sim, display, mode, tmp_path):
    seen_status, seen_bytes = [], []

    async def flow(client):
        job = await _maybe(client.generations.start(script="Progress bars.", voice_id=VOICE))
        done = await _maybe(
            client.generations.wait(
                job.job_id, poll_interval=POLL, progress=True, on_progress=seen_status.append
            )
        )
        export = await _maybe(client.exports.start(done.video_id))
        await _maybe(client.exports.wait(export.job_id, poll_interval=POLL, progress=True))
        path = await _maybe(
            client.exports.download(
                export.job_id,
                tmp_path / "out.mp4",
                progress=True,
                on_progress=lambda d, t: seen_bytes.append((d, t)),
            )
        )
        return job, export, path

    if mode == "sync":
        job, export, path = hoox(sim, mode, lambda c: asyncio.run(flow(c)))
    else:
        job, export, path = hoox(sim, mode, flow)
    assert path.stat().st_size > 0
    # The user's callbacks still see every update.
    assert seen_status and seen_status[-1].status in ("completed", "processing", "pending")
    assert seen_bytes and seen_bytes[-1][0] == path.stat().st_size
    err = display.err()
    assert f"generation {job.job_id}" in err
    assert f"export {export.job_id}" in err
    assert "out.mp4" in err
    assert "100%" in err
    if display.kind == "fallback":
        # One line per change, ending on the final status; no carriage returns to a file.
        assert "\r" not in err
        gen_lines = [line for line in err.splitlines() if job.job_id in line]
        assert gen_lines[-1].startswith(f"generation {job.job_id}: completed 100%")
        assert len(gen_lines) == len(set(line.split(" [")[0] for line in gen_lines))
        assert f"out.mp4: {path.stat().st_size} B / {path.stat().st_size} B 100%" in err
    else:
        assert "|" in err  # a tqdm bar


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_hooked_wait_and_download_show_progress(sim, display, mode, tmp_path):
    async def flow(client):
        avatar = (await _maybe(client.avatars.list()))[0]
        voice = (await _maybe(client.voices.list()))[0]
        project = await _maybe(
            client.projects.create_talking_avatar(
                script="Hello.", avatar_id=avatar.id, voice_id=voice.id
            )
        )
        video = await _maybe(
            client.videos.wait(project.video_id, poll_interval=POLL, progress=True)
        )
        path = await _maybe(client.videos.download(video.id, tmp_path / "v.mp4", progress=True))
        return video, path

    if mode == "sync":
        video, path = hooked(sim, mode, lambda c: asyncio.run(flow(c)))
    else:
        video, path = hooked(sim, mode, flow)
    assert video.is_complete and path.exists()
    err = display.err()
    assert f"video {video.id}" in err and "v.mp4" in err and "100%" in err


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_avatar_asset_and_create_and_wait_show_progress(sim, display, mode):
    async def flow(client):
        look = await _maybe(client.avatars.create(prompt="A baker at dawn"))
        await _maybe(
            client.avatars.wait(look.avatar_id, look.look_id, poll_interval=POLL, progress=True)
        )
        asset = await _maybe(client.assets.start("z-image-turbo", type="image", prompt="bread"))
        await _maybe(client.assets.wait(asset.asset_id, poll_interval=POLL, progress=True))
        done = await _maybe(
            client.generations.create_and_wait(
                script="All at once.", voice_id=VOICE, poll_interval=POLL, progress=True
            )
        )
        await _maybe(
            client.exports.create_and_wait(done.video_id, poll_interval=POLL, progress=True)
        )
        return look, asset, done

    if mode == "sync":
        look, asset, done = hoox(sim, mode, lambda c: asyncio.run(flow(c)))
    else:
        look, asset, done = hoox(sim, mode, flow)
    err = display.err()
    assert f"avatar {look.look_id}" in err
    assert f"asset {asset.asset_id}" in err
    assert f"generation {done.job_id}" in err
    assert "export " in err


def test_failed_job_keeps_its_error_and_ends_the_display(sim, display):
    with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as client:
        job = client.generations.start(script="SIMULATE_FAILURE please", voice_id=VOICE)
        with pytest.raises(reelkit.JobFailedError) as info:
            client.generations.wait(job.job_id, poll_interval=POLL, progress=True)
    assert info.value.job_id == job.job_id
    err = display.err()
    assert job.job_id in err and "failed" in err


def test_wait_timeout_with_progress(display):
    # A minute-long job: the short wait times out however loaded the machine is.
    with (
        Simulator(job_seconds=60, rate_limit_per_minute=0) as slow,
        reelkit.Hoox(api_key=slow.hoox_api_key, base_url=slow.hoox_base_url) as client,
    ):
        job = client.generations.start(script="Too slow.", voice_id=VOICE)
        with pytest.raises(reelkit.WaitTimeoutError) as info:
            client.generations.wait(job.job_id, poll_interval=POLL, timeout=0.2, progress=True)
    assert info.value.job_id == job.job_id
    assert job.job_id in display.err()


def test_no_display_without_progress(sim, capsys):
    with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as client:
        job = client.generations.start(script="Quiet.", voice_id=VOICE)
        client.generations.wait(job.job_id, poll_interval=POLL)
    assert capsys.readouterr().err == ""


def test_a_broken_display_never_breaks_the_wait(sim, monkeypatch):
    class Exploding:
        def __init__(self, *args, **kwargs):
            self.n, self.total = 0, kwargs.get("total")

        def update(self, n):
            raise RuntimeError("display bug")

        def set_description_str(self, *args, **kwargs):
            raise RuntimeError("display bug")

        def close(self):
            raise RuntimeError("display bug")

    Exploding.__module__ = "tqdm.notebook"  # drawn even though stderr is not a terminal
    monkeypatch.setattr(_progress, "_tqdm", lambda: Exploding)
    seen = []
    with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as client:
        job = client.generations.start(script="Still fine.", voice_id=VOICE)
        done = client.generations.wait(
            job.job_id, poll_interval=POLL, progress=True, on_progress=seen.append
        )
    assert done.is_complete and seen


def test_tqdm_that_cannot_start_falls_back_to_a_line(sim, monkeypatch, capsys):
    def no_widgets(*args, **kwargs):
        raise ImportError("IProgress not found")  # tqdm.notebook without ipywidgets

    no_widgets.__module__ = "tqdm.notebook"
    monkeypatch.setattr(_progress, "_tqdm", lambda: no_widgets)
    with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as client:
        job = client.generations.start(script="Fallback.", voice_id=VOICE)
        client.generations.wait(job.job_id, poll_interval=POLL, progress=True)
    assert f"generation {job.job_id}: completed" in capsys.readouterr().err


def test_tqdm_is_not_used_when_stderr_is_a_log(sim, monkeypatch, capsys):
    pytest.importorskip("tqdm.auto")
    with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as client:
        job = client.generations.start(script="Logged.", voice_id=VOICE)
        client.generations.wait(job.job_id, poll_interval=POLL, progress=True)
    err = capsys.readouterr().err
    # Plain lines, no tqdm carriage-return redraws piling up in the file.
    assert "\r" not in err and "|" not in err
    assert f"generation {job.job_id}: completed 100%" in err


def test_a_notebook_gets_tqdm_whatever_stderr_is(monkeypatch):
    made = []

    class NotebookBar:
        def __init__(self, *args, **kwargs):
            made.append(kwargs)
            self.n, self.total = 0, kwargs.get("total")

        def update(self, n):
            self.n += n

        def set_description_str(self, text, refresh=True):
            self.desc = text

        def close(self):
            self.closed = True

    NotebookBar.__module__ = "tqdm.notebook"
    monkeypatch.setattr(_progress, "_tqdm", lambda: NotebookBar)
    bar = _progress.open_display("video v1", "wait")
    bar.status(types.SimpleNamespace(status="STARTED", progress=40))
    assert bar.bar.n == 40 and bar.bar.desc == "video v1 STARTED"
    bar.close(True)
    assert bar.bar.n == 100 and bar.bar.closed and made[0]["total"] == 100


def test_progress_must_be_a_bool_and_is_checked_before_sending(sim):
    with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as client:
        sim.clear_requests()
        with pytest.raises(reelkit.ValidationError, match="progress"):
            client.generations.create_and_wait(script="x", voice_id=VOICE, progress="yes")
        with pytest.raises(reelkit.ValidationError, match="progress"):
            client.exports.download("job", "out.mp4", progress=1)
        assert sim.requests() == []


def test_terminal_redraws_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)

    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()  # set in the test body, after pytest's capture has started
    monkeypatch.setattr(sys, "stderr", stream)
    bar = _progress.open_display("file.mp4", "download")
    bar.bytes(0, 2048)
    monkeypatch.setattr(_progress.time, "monotonic", lambda: 10**6)  # past the throttle
    bar.bytes(2048, 2048)
    bar.close(True)
    out = stream.getvalue()
    assert out.startswith("\rfile.mp4: 0 B / 2.0 KiB 0%")
    assert "\rfile.mp4: 2.0 KiB / 2.0 KiB 100%" in out and out.endswith("\n")
    assert out.count("\n") == 1


def test_every_wait_and_download_takes_progress():
    clients = [reelkit.Hoox, reelkit.AsyncHoox, reelkit.Hooked, reelkit.AsyncHooked]
    checked = 0
    for cls in clients:
        client = cls(api_key="k", base_url="http://127.0.0.1:9")
        for rname in type(client)._resource_names:
            resource = getattr(client, rname)  # resource groups load on first access
            assert isinstance(resource, reelkit._endpoint.Resource)
            for name in dir(resource):
                if name in ("wait", "download", "create_and_wait"):
                    params = inspect.signature(getattr(resource, name)).parameters
                    assert "progress" in params, f"{cls.__name__}.{name}"
                    assert "on_progress" in params
                    checked += 1
    # Hoox: 4 waits, 2 create_and_wait, 1 download; Hooked: 1 wait, 1 download.
    assert checked == 2 * (7 + 2)
