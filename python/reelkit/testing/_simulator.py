"""``Simulator``: the offline Hoox + Hooked API simulator on ``127.0.0.1``.

Presentation only: the server, the provider simulation, faults and request
recording are Rust (``reelkit._native.testing.NativeSimServer``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from reelkit._native import testing as _native_testing
from reelkit.testing._requests import RecordedRequest
from reelkit.testing.faults import Fault

if TYPE_CHECKING:
    from typing_extensions import Self


class Simulator:
    """Run the simulator for the duration of a ``with`` (or ``async with``) block.

    The server starts in the constructor and listens on ``127.0.0.1:port`` (``0`` =
    a free port); ``close()`` (or leaving the block) stops it and frees the port.

    Point clients at ``hoox_base_url`` / ``hooked_base_url`` with ``hoox_api_key`` /
    ``hooked_api_key``. ``job_seconds`` is how long a render or other job takes;
    ``credits`` the starting balance of each provider; ``rate_limit_per_minute`` the
    Hoox limit (``0`` = none) over a sliding window of ``rate_limit_window_seconds``
    (60, as on the server; shorter makes rate-limit tests fast); ``url_ttl_seconds``
    the lifetime of signed media URLs;
    ``video_bytes`` the size of rendered MP4s (``0`` = a small valid MP4);
    ``hoox_enterprise=False`` makes Hoox answer ``403 plan_required``;
    ``webhook_delay_scale`` scales the documented webhook retry delays.
    """

    def __init__(
        self,
        *,
        job_seconds: float = 2.0,
        credits: float = 1000.0,
        rate_limit_per_minute: int = 100,
        url_ttl_seconds: float = 86400,
        video_bytes: int = 0,
        port: int = 0,
        hoox_enterprise: bool = True,
        webhook_delay_scale: float = 0.01,
        hoox_api_key: str | None = None,
        hooked_api_key: str | None = None,
        rate_limit_window_seconds: float = 60.0,
    ) -> None:
        self._native = _native_testing.NativeSimServer(
            job_seconds=float(job_seconds),
            credits=float(credits),
            rate_limit_per_minute=int(rate_limit_per_minute),
            url_ttl_seconds=float(url_ttl_seconds),
            video_bytes=int(video_bytes),
            port=int(port),
            hoox_enterprise=bool(hoox_enterprise),
            webhook_delay_scale=float(webhook_delay_scale),
            hoox_api_key=hoox_api_key,
            hooked_api_key=hooked_api_key,
            rate_limit_window_seconds=float(rate_limit_window_seconds),
        )
        self.url: str = self._native.base_url
        self.hoox_base_url: str = self._native.hoox_base_url
        self.hooked_base_url: str = self._native.hooked_base_url
        self.hoox_api_key: str = self._native.hoox_api_key
        self.hooked_api_key: str = self._native.hooked_api_key
        self.port: int = self._native.port

    @property
    def base_url(self) -> str:
        """Same as ``url``: ``http://127.0.0.1:PORT``."""
        return self.url

    # -- faults and inspection

    def inject(
        self,
        method: str,
        path_pattern: str,
        fault: Fault | Mapping[str, Any],
        times: int = 1,
    ) -> None:
        """Make the next ``times`` requests (``0`` = all) with ``method`` (``"*"`` =
        any) whose path matches ``path_pattern`` (``*`` matches anything, ``/``
        included) fail with ``fault`` (see :mod:`reelkit.testing.faults`)."""
        self._native.inject(method, path_pattern, _fault_dict(fault), times)

    def clear_faults(self) -> None:
        """Disarm every injected fault."""
        self._native.clear_faults()

    def requests(self) -> list[RecordedRequest]:
        """Every request received so far (the last 10,000), oldest first."""
        return [RecordedRequest._from_native(d) for d in self._native.requests()]

    def clear_requests(self) -> None:
        """Forget the recorded requests."""
        self._native.clear_requests()

    # -- provider state

    @property
    def hoox_credits_used(self) -> float:
        return self._native.hoox_credits_used

    @property
    def hooked_credits_used(self) -> float:
        return self._native.hooked_credits_used

    @property
    def hoox_rate_limited(self) -> int:
        """How many requests the Hoox rate limit answered with 429 so far."""
        return self._native.hoox_rate_limited

    @property
    def credits_used(self) -> float:
        """Credits spent across both providers."""
        return self.hoox_credits_used + self.hooked_credits_used

    # -- lifecycle

    @property
    def running(self) -> bool:
        return self._native.running

    def close(self) -> None:
        """Stop the server and free the port (idempotent)."""
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
        state = "running" if self.running else "closed"
        return f"<Simulator {self.url} {state}>"


def _fault_dict(fault: Fault | Mapping[str, Any]) -> dict:
    if isinstance(fault, Fault):
        return fault.to_dict()
    if isinstance(fault, Mapping):
        return dict(fault)
    raise TypeError(f"fault must be a reelkit.testing.faults value or a dict, not {type(fault)!r}")
