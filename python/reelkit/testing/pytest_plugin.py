"""pytest fixtures for testing reelkit applications offline.

Enable with ``pytest_plugins = ["reelkit.testing.pytest_plugin"]`` in a top-level
``conftest.py`` (or ``-p reelkit.testing.pytest_plugin``).

- ``reelkit_simulator``: a fresh :class:`~reelkit.testing.Simulator` per test, with
  fast jobs (``job_seconds=0.05``). Override per test with
  ``@pytest.mark.reelkit_simulator(job_seconds=1, credits=10, ...)``.
- ``hoox_sim`` / ``hooked_sim``: a ``reelkit.Hoox`` / ``reelkit.Hooked`` client
  bound to that simulator.
- ``reelkit_replay``: a function ``reelkit_replay(path, strict=True)`` that starts a
  :class:`~reelkit.testing.Replay`; relative paths are resolved against the test
  file's folder. At teardown it stops the server and fails the test on any
  mismatch or unused interaction.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reelkit.testing._cassettes import Replay
from reelkit.testing._simulator import Simulator

#: Defaults of the ``reelkit_simulator`` fixture (fast jobs).
SIMULATOR_DEFAULTS = {"job_seconds": 0.05}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "reelkit_simulator(**options): options for the reelkit_simulator fixture "
        "(job_seconds, credits, rate_limit_per_minute, url_ttl_seconds, video_bytes, ...)",
    )


@pytest.fixture
def reelkit_simulator(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    """A running simulator for this test, stopped afterwards."""
    options = dict(SIMULATOR_DEFAULTS)
    marker = request.node.get_closest_marker("reelkit_simulator")
    if marker is not None:
        options.update(marker.kwargs)
    with Simulator(**options) as sim:
        yield sim


def _close_client(client: Any) -> None:
    close = getattr(client, "close", None)
    if callable(close):
        close()


@pytest.fixture
def hoox_sim(reelkit_simulator: Simulator) -> Iterator[Any]:
    """A ``reelkit.Hoox`` client talking to ``reelkit_simulator``."""
    import reelkit

    client = reelkit.Hoox(
        api_key=reelkit_simulator.hoox_api_key, base_url=reelkit_simulator.hoox_base_url
    )
    yield client
    _close_client(client)


@pytest.fixture
def hooked_sim(reelkit_simulator: Simulator) -> Iterator[Any]:
    """A ``reelkit.Hooked`` client talking to ``reelkit_simulator``."""
    import reelkit

    client = reelkit.Hooked(
        api_key=reelkit_simulator.hooked_api_key, base_url=reelkit_simulator.hooked_base_url
    )
    yield client
    _close_client(client)


@pytest.fixture
def reelkit_replay(request: pytest.FixtureRequest) -> Iterator[Callable[..., Replay]]:
    """``reelkit_replay(path, strict=True) -> Replay``; checked at teardown."""
    started: list[Replay] = []
    base = Path(str(request.node.path if hasattr(request.node, "path") else request.fspath))

    def start(path: str | os.PathLike[str], strict: bool = True) -> Replay:
        p = Path(path)
        if not p.is_absolute():
            p = base.parent / p
        replay = Replay(p, strict=strict)
        started.append(replay)
        return replay

    yield start
    problems = []
    for replay in started:
        replay.close()
        text = replay.report()
        if text:
            problems.append(text)
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)
