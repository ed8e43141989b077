"""Typing: the stubs match the code (generated stubs current, stubtest on the native
module with its `testing` submodule, and the resource modules) and the public API
type-checks under `mypy --strict` and pyright on `examples/`, `tests/typing/usage.py`
and `tests/typing/models.py` (every model's required fields, typed without `None`)."""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import inspect
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TYPING = ROOT / "tests" / "typing"
TARGETS = [str(ROOT / "examples"), str(TYPING / "usage.py"), str(TYPING / "models.py")]


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


def test_the_models_usage_file_reads_every_required_field():
    # Each `req_<Model>(m: hx.<Model>)` in tests/typing/models.py must read every
    # field the model types without None, so that mypy/pyright check them all.
    from reelkit._models import _base, hooked, hoox

    read: dict[str, set[str]] = {}
    for node in ast.parse((TYPING / "models.py").read_text()).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("req_"):
            annotation = node.args.args[0].annotation
            assert isinstance(annotation, ast.Attribute), node.name
            module = {"hx": "hoox", "hk": "hooked"}[annotation.value.id]  # type: ignore[attr-defined]
            fields = {
                n.attr
                for n in ast.walk(node)
                if isinstance(n, ast.Attribute)
                and isinstance(n.value, ast.Name)
                and n.value.id == "m"
            }
            read[f"{module}.{annotation.attr}"] = fields
    for module in (hoox, hooked):
        for name, cls in vars(module).items():
            if not (
                inspect.isclass(cls)
                and issubclass(cls, _base.Model)
                and cls.__module__ == module.__name__
                and dataclasses.is_dataclass(cls)
                and not name.startswith("_")
            ):
                continue
            wanted = {
                field
                for field, wire, _ in cls._fields_table
                if wire in cls._required or wire in cls._required_exempt
            }
            key = f"{module.__name__.rsplit('.', 1)[1]}.{name}"
            if wanted:
                assert key in read, f"tests/typing/models.py has no req_ function for {key}"
                assert wanted <= read[key], f"{key}: not read: {wanted - read[key]}"
