"""``Replay`` and ``Recorder``: serve a cassette on ``127.0.0.1``, or record one
through a loopback proxy in front of the real API. The format is described in
``tests/cassettes/README.md``; the servers are Rust (``reelkit._native.testing``)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Union

from reelkit._native import testing as _native_testing
from reelkit.testing._requests import RecordedRequest
from reelkit.testing._simulator import _fault_dict
from reelkit.testing.faults import Fault

if TYPE_CHECKING:
    from typing_extensions import Self

#: Origins of the real APIs, for ``Recorder(path, upstream=...)``.
HOOX_UPSTREAM = "https://app.hoox.video"
HOOKED_UPSTREAM = "https://api.hooked.so"

PathLike = Union[str, "os.PathLike[str]"]


class Replay:
    """Serve the cassette at ``cassette_path`` for the duration of a ``with`` block.

    Strict (default): requests must arrive in cassette order; a request that does
    not match the next interaction gets a ``599`` with a diff. Non-strict: any
    order, and the last matching interaction repeats. Leaving the block raises
    ``AssertionError`` listing every mismatch and every interaction never used
    (unless the block itself raised).
    """

    def __init__(self, cassette_path: PathLike, *, strict: bool = True, port: int = 0) -> None:
        self.cassette_path = os.fspath(cassette_path)
        self._native = _native_testing.NativeReplayServer(
            self.cassette_path, strict=strict, port=port
        )
        self.base_url: str = self._native.base_url
        self.hoox_base_url: str = self._native.hoox_base_url
        self.hooked_base_url: str = self._native.hooked_base_url
        self.strict = strict
        self._mismatches: list[dict] | None = None
        self._unused: list[dict] | None = None

    @property
    def url(self) -> str:
        return self.base_url

    @property
    def mismatches(self) -> list[dict]:
        """``[{"request": {...}, "expected": index or None, "diff": str}, ...]``"""
        if self._mismatches is not None:
            return self._mismatches
        return self._native.mismatches()

    @property
    def unused(self) -> list[dict]:
        """``[{"index": int, "summary": "GET /path"}, ...]``: never served."""
        if self._unused is not None:
            return self._unused
        return self._native.unused()

    def requests(self) -> list[RecordedRequest]:
        return [RecordedRequest._from_native(d) for d in self._native.requests()]

    def inject(
        self,
        method: str,
        path_pattern: str,
        fault: Fault | Mapping[str, Any],
        times: int = 1,
    ) -> None:
        """Inject a fault, as on ``Simulator.inject`` (consumes no interaction)."""
        self._native.inject(method, path_pattern, _fault_dict(fault), times)

    def close(self) -> None:
        """Stop serving (idempotent); ``mismatches`` and ``unused`` stay readable."""
        if self._mismatches is None:
            self._mismatches = self._native.mismatches()
            self._unused = self._native.unused()
        self._native.stop()

    def report(self) -> str:
        """A readable account of mismatches and unused interactions ("" if none)."""
        lines: list[str] = []
        if self.mismatches:
            lines.append(f"{len(self.mismatches)} request(s) did not match the cassette:")
            for m in self.mismatches:
                req = m["request"]
                lines.append(f"  {req['method']} {req['path']}")
                lines.extend("    " + line for line in m["diff"].rstrip().splitlines())
        if self.unused:
            lines.append(f"{len(self.unused)} interaction(s) were never used:")
            lines.extend(f"  #{u['index']} {u['summary']}" for u in self.unused)
        if not lines:
            return ""
        return f"replay of {self.cassette_path}:\n" + "\n".join(lines)

    def check(self) -> None:
        """Raise ``AssertionError`` if there were mismatches or unused interactions."""
        text = self.report()
        if text:
            raise AssertionError(text)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        self.close()
        if exc_type is None:
            self.check()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: object, *exc_info: object) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.close)
        if exc_type is None:
            self.check()

    def __repr__(self) -> str:
        return f"<Replay {self.cassette_path} at {self.base_url}>"


class Recorder:
    """Record a cassette: a plain-HTTP proxy on ``127.0.0.1`` forwards to
    ``upstream`` (e.g. :data:`HOOX_UPSTREAM`) and the cassette is written, with
    API keys and signed-URL secrets redacted, when the block exits.

    This talks to the real, paid API: point a client at ``hoox_base_url`` /
    ``hooked_base_url`` with a real key.
    """

    def __init__(
        self,
        cassette_path: PathLike,
        upstream: str,
        *,
        port: int = 0,
        description: str | None = None,
    ) -> None:
        self.cassette_path = os.fspath(cassette_path)
        self.upstream = upstream
        self._native = _native_testing.NativeRecordServer(
            upstream, self.cassette_path, port=port, description=description
        )
        self.base_url: str = self._native.base_url
        self.hoox_base_url: str = self._native.hoox_base_url
        self.hooked_base_url: str = self._native.hooked_base_url

    @property
    def url(self) -> str:
        return self.base_url

    def __len__(self) -> int:
        return len(self._native)

    def save(self) -> None:
        """Write the cassette now (recording goes on)."""
        self._native.save()

    def close(self) -> None:
        """Stop the proxy and write the cassette (idempotent)."""
        self._native.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.close)

    def __repr__(self) -> str:
        return f"<Recorder {self.upstream} -> {self.cassette_path} at {self.base_url}>"
