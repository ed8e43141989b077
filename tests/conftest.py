"""Shared fixtures. HTTP happens in Rust, so Python-level mocks cannot see it: every
test talks to `reelkit.testing.Replay`, a loopback server replaying a cassette from
`tests/cassettes/<provider>/<name>.json`, strictly and in order.

- `cassette`: the Replay of the cassette named by `@pytest.mark.cassette("hoox/x")`,
  checked (mismatches, unused interactions) when the test ends.
- `open_cassette(name, strict=True)`: a Replay context manager, for tests that pick
  the cassette at run time or expect the replay check itself to fail.
- `mode` / `run`: every client test runs twice, with the sync client and with the
  asyncio one (driven by `asyncio.run`), from one scenario. A scenario is
  `lambda client: client.x(...)` or a generator that yields each client call and
  receives its result (exceptions are raised at the `yield`, so `pytest.raises`
  works inside the scenario in both modes).
"""

from __future__ import annotations

import asyncio
import inspect
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# Waits never sleep in tests unless a test asks for it (read per wait() call).
os.environ["REELKIT_POLL_INTERVAL"] = "0"

import reelkit
from reelkit.testing import Replay

CASSETTES = Path(__file__).parent / "cassettes"
HOOX_KEY = "hx_test_reelkit_key"
HOOKED_KEY = "hk_test_reelkit_key"

_PROVIDER_ENV = ("HOOX_API_KEY", "HOOX_BASE_URL", "HOOKED_API_KEY", "HOOKED_BASE_URL")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "cassette(name, strict=True): replay tests/cassettes/<name>.json"
    )


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's real keys or base URLs."""
    for name in _PROVIDER_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REELKIT_POLL_INTERVAL", "0")


def cassette_path(name: str) -> Path:
    path = CASSETTES / f"{name}.json"
    assert path.is_file(), f"no cassette {path}"
    return path


@pytest.fixture
def open_cassette() -> Callable[..., Replay]:
    def open_(name: str | os.PathLike[str], *, strict: bool = True) -> Replay:
        path = Path(name) if os.fspath(name).endswith(".json") else cassette_path(os.fspath(name))
        return Replay(path, strict=strict)

    return open_


@pytest.fixture
def cassette(request: pytest.FixtureRequest, open_cassette: Callable[..., Replay]):
    marker = request.node.get_closest_marker("cassette")
    assert marker is not None, "use @pytest.mark.cassette('provider/name') with this fixture"
    with open_cassette(marker.args[0], strict=marker.kwargs.get("strict", True)) as replay:
        yield replay


def _drive_sync(gen: Any) -> Any:
    value: Any = None
    while True:
        try:
            value = gen.send(value)
        except StopIteration as stop:
            return stop.value


async def _drive_async(gen: Any) -> Any:
    send: Any = gen.send
    value: Any = None
    while True:
        try:
            awaitable = send(value)
        except StopIteration as stop:
            return stop.value
        try:
            value, send = await awaitable, gen.send
        except Exception as exc:
            value, send = exc, gen.throw


class Runner:
    """Runs a scenario against a sync or an async client (see the module docstring)."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.is_async = mode == "async"

    def hoox_cls(self) -> type:
        return reelkit.AsyncHoox if self.is_async else reelkit.Hoox

    def hooked_cls(self) -> type:
        return reelkit.AsyncHooked if self.is_async else reelkit.Hooked

    def hoox(
        self,
        base_url: str | None,
        scenario: Callable[[Any], Any],
        *,
        api_key: str | None = HOOX_KEY,
        **kwargs: Any,
    ) -> Any:
        cls = self.hoox_cls()
        return self.client(lambda: cls(api_key, base_url=base_url, **kwargs), scenario)

    def hooked(
        self,
        base_url: str | None,
        scenario: Callable[[Any], Any],
        *,
        api_key: str | None = HOOKED_KEY,
        **kwargs: Any,
    ) -> Any:
        cls = self.hooked_cls()
        return self.client(lambda: cls(api_key, base_url=base_url, **kwargs), scenario)

    def client(self, make: Callable[[], Any], scenario: Callable[[Any], Any]) -> Any:
        if not self.is_async:
            with make() as client:
                out = scenario(client)
                return _drive_sync(out) if inspect.isgenerator(out) else out

        async def main() -> Any:
            async with make() as client:
                out = scenario(client)
                if inspect.isgenerator(out):
                    return await _drive_async(out)
                assert inspect.isawaitable(out), f"async client returned {out!r}, not an awaitable"
                return await out

        return asyncio.run(main())


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def run(mode: str) -> Runner:
    return Runner(mode)
