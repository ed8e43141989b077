"""Helpers for the Hooked API tests (no tests here): run one scenario with the sync and
with the asyncio client against a `Simulator` or a `Replay`, and read what was sent.

A scenario is `lambda client: client.x(...)`: with the sync client it returns the
result, with the async one an awaitable, which `run` awaits inside `asyncio.run`.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import reelkit
from reelkit.testing import Replay, Simulator

CASSETTES = Path(__file__).parent / "cassettes" / "hooked"
REPLAY_KEY = "hk_test_reelkit_key"
MODES = ("sync", "async")


def client_class(mode: str) -> type:
    return reelkit.AsyncHooked if mode == "async" else reelkit.Hooked


def run(mode: str, server: Any, scenario: Callable[[Any], Any], **client_options: Any) -> Any:
    """Run `scenario(client)` with a fresh client of `mode` pointed at `server`."""
    key = getattr(server, "hooked_api_key", REPLAY_KEY)
    cls = client_class(mode)
    if mode == "sync":
        with cls(key, base_url=server.hooked_base_url, **client_options) as client:
            return scenario(client)

    async def main() -> Any:
        async with cls(key, base_url=server.hooked_base_url, **client_options) as client:
            out = scenario(client)
            assert inspect.isawaitable(out), f"async client returned {out!r}"
            return await out

    return asyncio.run(main())


def collect(mode: str, server: Any, make_iterator: Callable[[Any], Any], **options: Any) -> list:
    """Drain an `iter*` endpoint: a plain iterator (sync) or an async iterator."""
    key = getattr(server, "hooked_api_key", REPLAY_KEY)
    cls = client_class(mode)
    if mode == "sync":
        with cls(key, base_url=server.hooked_base_url, **options) as client:
            iterator = make_iterator(client)
            assert not hasattr(iterator, "__aiter__")
            return list(iterator)

    async def main() -> list:
        async with cls(key, base_url=server.hooked_base_url, **options) as client:
            iterator = make_iterator(client)
            assert hasattr(iterator, "__aiter__") and not inspect.isawaitable(iterator)
            return [item async for item in iterator]

    return asyncio.run(main())


def api_requests(sim: Simulator) -> list:
    """The requests the simulator received under the Hooked API (`/v1/...`)."""
    return [r for r in sim.requests() if r.path.startswith("/v1/")]


def last_request(sim: Simulator) -> Any:
    sent = api_requests(sim)
    assert sent, "no request reached the simulator"
    return sent[-1]


def cassette(name: str) -> Path:
    path = CASSETTES / f"api_{name}.json"
    assert path.is_file(), f"missing cassette {path}"
    return path


def cassette_request_json(name: str, index: int = 0) -> Any:
    """The request body a cassette expects (the documented example)."""
    data = json.loads(cassette(name).read_text())
    return data["interactions"][index]["request"].get("json")


def replay(name: str) -> Replay:
    return Replay(cassette(name))
