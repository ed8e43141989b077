"""The equivalent clients: small hand-written functions over httpx, requests,
aiohttp and pyreqwest that make the same call as reelkit, parse the JSON with
`json.loads` and build the same model class reelkit returns, the plain way (the
frozen dataclass's own `__init__`).

Each client exposes the few operations the benchmarks need:

- sync: ``get_json(path)``, ``close()``
- async: ``await get_json(path)``, ``await post_json(path, body)``, ``await aclose()``

Paths are relative to the Hoox base URL; URLs are built by plain concatenation.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

__all__ = ["ASYNC_CLIENTS", "SYNC_CLIENTS", "plain_builder", "make_async", "make_sync"]


def plain_builder(cls: type) -> Callable[[dict[str, Any]], Any]:
    """`d -> cls(**fields, raw=d)`: the model built through its dataclass `__init__`."""
    pairs = tuple(
        (f.name, f.metadata.get("wire", f.name)) for f in dataclasses.fields(cls) if f.name != "raw"
    )

    def build(d: dict[str, Any]) -> Any:
        return cls(**{name: d.get(wire) for name, wire in pairs}, raw=d)

    return build


def _headers(api_key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {api_key}", "accept": "application/json"}


class _HTTPStatusError(RuntimeError):
    pass


def _check(status: int, body: bytes, url: str) -> None:
    if not 200 <= status < 300:
        raise _HTTPStatusError(f"{url} answered {status}: {body[:200]!r}")


# ---------------------------------------------------------------------------- sync


class HttpxSync:
    def __init__(self, base_url: str, api_key: str) -> None:
        import httpx

        self.base = base_url
        self.client = httpx.Client(headers=_headers(api_key), timeout=60.0)

    def get_json(self, path: str) -> Any:
        url = self.base + path
        r = self.client.get(url)
        _check(r.status_code, r.content, url)
        return json.loads(r.content)

    def close(self) -> None:
        self.client.close()


class RequestsSync:
    def __init__(self, base_url: str, api_key: str) -> None:
        import requests

        self.base = base_url
        self.session = requests.Session()
        self.session.headers.update(_headers(api_key))

    def get_json(self, path: str) -> Any:
        url = self.base + path
        r = self.session.get(url, timeout=60.0)
        _check(r.status_code, r.content, url)
        return json.loads(r.content)

    def close(self) -> None:
        self.session.close()


class PyreqwestSync:
    def __init__(self, base_url: str, api_key: str) -> None:
        from pyreqwest.client import SyncClientBuilder

        self.base = base_url
        self.client = SyncClientBuilder().default_headers(_headers(api_key)).build()

    def get_json(self, path: str) -> Any:
        url = self.base + path
        r = self.client.get(url).build().send()
        body = bytes(r.bytes())
        _check(r.status, body, url)
        return json.loads(body)

    def close(self) -> None:
        self.client.close()


SYNC_CLIENTS: dict[str, type] = {
    "httpx": HttpxSync,
    "requests": RequestsSync,
    "pyreqwest": PyreqwestSync,
}


def make_sync(name: str, base_url: str, api_key: str) -> Any:
    return SYNC_CLIENTS[name](base_url, api_key)


# ---------------------------------------------------------------------------- async


class AiohttpAsync:
    def __init__(self, base_url: str, api_key: str, connections: int) -> None:
        import aiohttp

        self.base = base_url
        self.session = aiohttp.ClientSession(
            headers=_headers(api_key),
            connector=aiohttp.TCPConnector(limit=connections),
            timeout=aiohttp.ClientTimeout(total=120),
        )

    async def get_json(self, path: str) -> Any:
        url = self.base + path
        async with self.session.get(url) as r:
            body = await r.read()
            _check(r.status, body, url)
        return json.loads(body)

    async def post_json(self, path: str, payload: dict[str, Any]) -> Any:
        url = self.base + path
        async with self.session.post(url, json=payload) as r:
            body = await r.read()
            _check(r.status, body, url)
        return json.loads(body)

    async def aclose(self) -> None:
        await self.session.close()


class HttpxAsync:
    def __init__(self, base_url: str, api_key: str, connections: int) -> None:
        import httpx

        self.base = base_url
        self.client = httpx.AsyncClient(
            headers=_headers(api_key),
            timeout=120.0,
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
        )

    async def get_json(self, path: str) -> Any:
        url = self.base + path
        r = await self.client.get(url)
        _check(r.status_code, r.content, url)
        return json.loads(r.content)

    async def post_json(self, path: str, payload: dict[str, Any]) -> Any:
        url = self.base + path
        r = await self.client.post(url, json=payload)
        _check(r.status_code, r.content, url)
        return json.loads(r.content)

    async def aclose(self) -> None:
        await self.client.aclose()


class PyreqwestAsync:
    def __init__(self, base_url: str, api_key: str, connections: int) -> None:
        from pyreqwest.client import ClientBuilder

        self.base = base_url
        self.client = (
            ClientBuilder().default_headers(_headers(api_key)).max_connections(connections).build()
        )

    async def get_json(self, path: str) -> Any:
        url = self.base + path
        r = await self.client.get(url).build().send()
        body = bytes(await r.bytes())
        _check(r.status, body, url)
        return json.loads(body)

    async def post_json(self, path: str, payload: dict[str, Any]) -> Any:
        url = self.base + path
        r = await (
            self.client.post(url)
            .header("content-type", "application/json")
            .body_bytes(json.dumps(payload).encode())
            .build()
            .send()
        )
        body = bytes(await r.bytes())
        _check(r.status, body, url)
        return json.loads(body)

    async def aclose(self) -> None:
        await self.client.close()


ASYNC_CLIENTS: dict[str, type] = {
    "aiohttp": AiohttpAsync,
    "httpx": HttpxAsync,
    "pyreqwest": PyreqwestAsync,
}


def make_async(name: str, base_url: str, api_key: str, connections: int) -> Any:
    return ASYNC_CLIENTS[name](base_url, api_key, connections)
