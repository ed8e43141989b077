"""Typing: the stubs match the code (generated stubs current, stubtest on the native
module with its `testing` submodule, and the resource modules) and the public API type-checks under
`mypy --strict` and pyright on `examples/` and `tests/typing/usage.py`."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TARGETS = [str(ROOT / "examples"), str(ROOT / "tests" / "typing" / "usage.py")]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_generated_stubs_are_current():
    result = run(sys.executable, ".ci/gen_stubs.py", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


needs_mypy = pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy missing")


@needs_mypy
def test_stubtest_native_and_resources():
    result = run(
        sys.executable,
        "-m",
        "mypy.stubtest",
        "reelkit._native",
        "reelkit._resources.hoox",
        "reelkit._resources.hooked",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@needs_mypy
def test_mypy_strict():
    result = run(sys.executable, "-m", "mypy", "--strict", *TARGETS)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(
    shutil.which("basedpyright") is None
    and not (Path(sys.executable).parent / "basedpyright").exists(),
    reason="pyright missing",
)
def test_pyright():
    exe = shutil.which("basedpyright") or str(Path(sys.executable).parent / "basedpyright")
    result = run(exe, "--level", "error", *TARGETS)
    assert result.returncode == 0, result.stdout + result.stderr
