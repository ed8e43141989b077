"""A Rust panic surfaces as a Python exception, never an abort, on every path into
the core, and the process keeps working afterwards.

| where the panic happens                        | what Python sees                         |
| ---------------------------------------------- | ---------------------------------------- |
| in a native function called from Python        | `pyo3_runtime.PanicException`            |
| in a task on the runtime, awaited by a sync call | `RuntimeError` ("reelkit internal error") |
| in a task on the runtime, awaited by asyncio   | `pyo3_async_runtimes.RustPanic`          |

`_native._panic_for_testing` panics on purpose (test-only, see
src/py/diagnostics.rs). The release profile keeps `panic = "unwind"` (Cargo.toml),
which is what makes this possible; the subprocess test proves the process survives
(an abort would kill it with SIGABRT)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap

import pytest

import reelkit
from reelkit import _native
from reelkit.testing import Simulator

SEED_VIDEO = "vid_abc123"


def trigger(where: str) -> BaseException:
    try:
        if where == "async":

            async def go() -> None:
                await _native._panic_for_testing("async")

            asyncio.run(go())
        else:
            _native._panic_for_testing(where)
    except BaseException as exc:  # PanicException derives from BaseException
        return exc
    pytest.fail(f"no exception from a panic in {where}")


@pytest.mark.parametrize(
    ("where", "type_name"),
    [("call", "PanicException"), ("task", "RuntimeError"), ("async", "RustPanic")],
)
def test_panic_becomes_an_exception(where: str, type_name: str) -> None:
    exc = trigger(where)
    assert type(exc).__name__ == type_name, repr(exc)
    assert not isinstance(exc, (KeyboardInterrupt, SystemExit))
    # Again: a panicked task must not have poisoned the runtime or its workers.
    assert type(trigger(where)).__name__ == type_name


def test_clients_keep_working_after_panics() -> None:
    for where in ("call", "task", "async", "task", "async"):
        trigger(where)
    with Simulator() as sim:
        with reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url) as c:
            assert c.videos.get(SEED_VIDEO).id == SEED_VIDEO

        async def go() -> str:
            async with reelkit.AsyncHooked(
                api_key=sim.hooked_api_key, base_url=sim.hooked_base_url
            ) as c:
                videos = await asyncio.gather(*(c.videos.get(SEED_VIDEO) for _ in range(20)))
                return videos[-1].id

        assert asyncio.run(go()) == SEED_VIDEO


SCRIPT = textwrap.dedent(
    """
    import asyncio
    from reelkit import _native
    caught = []
    for where in ("call", "task", "async") * 3:
        try:
            if where == "async":
                async def go():
                    await _native._panic_for_testing("async")
                asyncio.run(go())
            else:
                _native._panic_for_testing(where)
        except BaseException as exc:
            caught.append(type(exc).__name__)
    print(",".join(caught), flush=True)
    """
)


def test_the_process_survives_panics() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
    assert proc.stdout.strip() == ",".join(["PanicException", "RuntimeError", "RustPanic"] * 3)
