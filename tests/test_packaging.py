"""Packaging: the release wheel is one abi3 wheel (cp310-abi3) that installs into a
fresh virtualenv, with nothing from this checkout on the path, and works there (import,
clients, a simulator round trip, the console script); `maturin sdist` works too.

Slow: `REELKIT_WHEEL=path/to/wheel` reuses a built wheel, and `pytest -m "not slow"`
leaves these tests out. CI runs them with `REELKIT_PACKAGING_PROFILE=dev` (set by
.ci/run): the same `maturin build`, tags and packaging, but the dev profile whose
compiled tree the test build already has, instead of a cold 5-9 minute release build.
The default (release) is what a publisher runs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import textwrap
import time
from pathlib import Path

import pytest

import reelkit

ROOT = Path(__file__).resolve().parent.parent
# A cold release build takes 5-9 minutes on a loaded 2-core machine.
# One worker builds the wheel once for the module (pytest-xdist, --dist loadgroup).
pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1800),
    pytest.mark.xdist_group("packaging"),
]

SMOKE = textwrap.dedent(
    """
    import asyncio, json, os, pathlib, sys, tempfile

    import reelkit
    from reelkit.testing import Simulator

    site = pathlib.Path(reelkit.__file__).resolve()
    assert "site-packages" in site.parts, site  # the installed copy, not the checkout
    out = pathlib.Path(tempfile.mkdtemp())
    with Simulator(job_seconds=0.2, rate_limit_per_minute=0) as sim:
        with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as hoox:
            voice = hoox.voices.list()[0]
            done = hoox.generations.create_and_wait(
                script="Packaged and shipped.", voice_id=voice.id, poll_interval=0.05
            )
            export = hoox.exports.create_and_wait(done.video_id, poll_interval=0.05)
            mp4 = hoox.exports.download(export.job_id, out / "hoox.mp4")
        with reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url) as hooked:
            avatar, hvoice = hooked.avatars.list()[0], hooked.voices.list()[0]
            project = hooked.projects.create_talking_avatar(
                script="Hello.", avatar_id=avatar.id, voice_id=hvoice.id
            )
            video = hooked.videos.wait(project.video_id, poll_interval=0.05)
            hooked_mp4 = hooked.videos.download(video.id, out / "hooked.mp4")

        async def aio():
            async with reelkit.AsyncHoox(
                api_key=sim.hoox_api_key, base_url=sim.hoox_base_url
            ) as client:
                return len(await client.voices.list())

        voices = asyncio.run(aio())
    event = reelkit.hoox.parse_webhook(
        {"task": "video_export", "job_id": "j1", "status": "completed", "result": {}}
    )
    assert event.id == "j1" and event.is_complete
    print(json.dumps({
        "version": reelkit.__version__,
        "hoox_bytes": mp4.stat().st_size,
        "hooked_bytes": hooked_mp4.stat().st_size,
        "async_voices": voices,
    }))
    """
)


def _maturin() -> list[str]:
    beside = Path(sys.executable).parent / "maturin"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("maturin")
    if found is None:
        pytest.skip("maturin is not installed")
    return [found]


_NOTES: list[str] = []


def _report(capsys, text: str) -> None:
    # Printed past pytest's capture (no -s needed): build time and sizes are worth seeing.
    with capsys.disabled():
        print(f"\n[packaging] {text}", flush=True)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    given = os.environ.get("REELKIT_WHEEL")
    if given:
        path = Path(given)
        assert path.is_file(), f"REELKIT_WHEEL={given} does not exist"
        return path
    out = tmp_path_factory.mktemp("dist")
    started = time.monotonic()
    profile = os.environ.get("REELKIT_PACKAGING_PROFILE", "release")
    flags = ["--release"] if profile == "release" else []
    build = subprocess.run(
        [*_maturin(), "build", *flags, "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    wheels = list(out.glob("*.whl"))
    assert len(wheels) == 1, wheels  # one abi3 wheel serves every CPython >= 3.10
    _NOTES.append(f"maturin build ({profile}) took {time.monotonic() - started:.0f} s")
    return wheels[0]


def test_one_abi3_wheel(wheel, capsys):
    while _NOTES:  # the build time, noted by the fixture
        _report(capsys, _NOTES.pop(0))
    name = wheel.name
    match = re.fullmatch(r"reelkit-([^-]+)-cp310-abi3-([^-]+)\.whl", name)
    assert match, f"not a cp310-abi3 wheel: {name}"
    assert match.group(1) == reelkit.__version__
    size = wheel.stat().st_size
    _report(capsys, f"{name}: {size / 2**20:.1f} MiB")
    assert size < 40 * 2**20  # a regression guard: today's wheel is a few MiB


def test_wheel_installs_and_works_in_a_fresh_virtualenv(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    # No index: reelkit has no runtime dependencies, so nothing else may be needed.
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith(("HOOX_", "HOOKED_"))
    }
    smoke = tmp_path / "smoke.py"
    smoke.write_text(SMOKE)
    run = subprocess.run(
        [str(python), str(smoke)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["version"] == reelkit.__version__
    assert result["hoox_bytes"] > 0 and result["hooked_bytes"] > 0 and result["async_voices"] > 0

    # The console script and `python -m reelkit` come with the wheel.
    version = subprocess.run(
        [str(venv / "bin" / "reelkit"), "--version"], env=env, capture_output=True, text=True
    )
    assert version.stdout.strip() == f"reelkit {reelkit.__version__}", version.stderr
    assert subprocess.run([str(python), "-m", "reelkit", "--help"], env=env).returncode == 0


def test_sdist(tmp_path, capsys):
    out = tmp_path / "sdist"
    started = time.monotonic()
    build = subprocess.run(
        [*_maturin(), "sdist", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    (sdist,) = out.glob("*.tar.gz")
    assert sdist.name == f"reelkit-{reelkit.__version__}.tar.gz"
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    for needed in (
        "pyproject.toml",
        "Cargo.toml",
        "Cargo.lock",
        "src/lib.rs",
        "crates/reelkit-core/Cargo.toml",
        "crates/reelkit-core/src/lib.rs",
        "crates/reelkit-sim/Cargo.toml",
        "crates/reelkit-sim/src/lib.rs",
        "python/reelkit/__init__.py",
        "python/reelkit/py.typed",
        "python/reelkit/_cli/__init__.py",
        "README.md",
    ):
        assert needed in names, f"{needed} missing from the sdist"
    assert not any(name.startswith(("target/", ".venv/")) for name in names)
    took = time.monotonic() - started
    _report(capsys, f"{sdist.name}: {sdist.stat().st_size / 2**10:.0f} KiB in {took:.1f} s")
