"""A short run of each atheris harness under fuzz/ (20,000 inputs each, seconds):
only reelkit exceptions (or none) may come out of webhook parsing, response
decoding and error-body parsing. The million-input runs and their figures are in
fuzz/README.md. Skipped when atheris is not installed (it is in the `test` extra;
it ships wheels for CPython on Linux and macOS)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parent.parent / "fuzz"
RUNS = 20_000

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("atheris") is None,
    reason="atheris is not installed (pip install atheris; it needs a CPython wheel)",
)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("harness", ["fuzz_webhooks", "fuzz_decode", "fuzz_error_body"])
def test_harness_finds_nothing(harness: str, tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(FUZZ / f"{harness}.py"),
            f"-atheris_runs={RUNS}",
            f"-artifact_prefix={tmp_path}/",
            "-seed=1",
        ],
        capture_output=True,
        text=True,
        timeout=280,
        cwd=tmp_path,
    )
    log = proc.stdout + proc.stderr
    crashes = sorted(p.name for p in tmp_path.glob("crash-*"))
    assert proc.returncode == 0 and not crashes, log[-4000:]
    assert f"Done {RUNS} " in log, log[-2000:]
