"""`RateLimit`, the `rate_limit=` value of the clients, and its translation for the
native transport (which does the limiting: crates/reelkit-core/src/ratelimit.rs)."""

from __future__ import annotations

import math
from typing import Any

from ._errors import ValidationError

__all__ = ["RateLimit", "native_rate_limit"]

_STORE_SCHEMES = ("redis", "redis+unix", "unix")


def _redacted(url: str) -> str:
    """The store URL with its password replaced (for reprs and messages)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


class RateLimit:
    """At most `requests` requests in any `per`-second window (a sliding window, as
    Hoox counts), per base URL and API key.

    With `store=None` the budget is shared by every client of this process with the
    same base URL and key (threads, asyncio tasks, sync and async clients). With
    `store="redis://host:port/db"` it is shared through Redis by every process and
    machine using the key: turns are taken atomically by a script timed by the Redis
    server's clock, under key names derived from a hash of the key (never the key).
    Requests wait for their turn, first come first served.
    """

    __slots__ = ("_requests", "_per", "_store")

    def __init__(self, requests: int, per: float = 60.0, *, store: str | None = None) -> None:
        if isinstance(requests, bool) or not isinstance(requests, int) or requests < 1:
            raise ValidationError(
                "rate_limit.requests", f"must be a whole number >= 1, got {requests!r}"
            )
        if requests > 2**32 - 1:
            raise ValidationError("rate_limit.requests", f"must be at most {2**32 - 1}")
        if isinstance(per, bool) or not isinstance(per, (int, float)):
            raise ValidationError(
                "rate_limit.per", f"must be a number of seconds, got {type(per).__name__}"
            )
        if not math.isfinite(per) or per <= 0 or per > 366 * 86_400:
            raise ValidationError(
                "rate_limit.per", f"must be a positive number of seconds, got {per!r}"
            )
        if store is not None:
            if not isinstance(store, str):
                raise ValidationError(
                    "rate_limit.store",
                    f"must be a redis:// URL or None, got {type(store).__name__}",
                )
            scheme = store.partition("://")[0].lower() if "://" in store else ""
            if scheme == "rediss":
                raise ValidationError(
                    "rate_limit.store",
                    "rediss:// (Redis over TLS) is not supported; use redis:// "
                    "(e.g. through a TLS tunnel or on a private network)",
                )
            if scheme not in _STORE_SCHEMES:
                raise ValidationError(
                    "rate_limit.store",
                    f"must be a redis://host:port/db URL, got {_redacted(store)!r}",
                )
        self._requests = requests
        self._per = float(per)
        self._store = store

    @property
    def requests(self) -> int:
        return self._requests

    @property
    def per(self) -> float:
        return self._per

    @property
    def store(self) -> str | None:
        return self._store

    def __repr__(self) -> str:
        store = f", store={_redacted(self._store)!r}" if self._store else ""
        return f"RateLimit({self._requests}, per={self._per:g}{store})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RateLimit):
            return NotImplemented
        return (self._requests, self._per, self._store) == (
            other._requests,
            other._per,
            other._store,
        )

    def __hash__(self) -> int:
        return hash((self._requests, self._per, self._store))

    def __reduce__(self) -> Any:
        return (_rebuild, (self._requests, self._per, self._store))


def _rebuild(requests: int, per: float, store: str | None) -> RateLimit:
    return RateLimit(requests, per, store=store)


def native_rate_limit(value: Any) -> tuple[str, int, float, str | None]:
    """`rate_limit=` as the native client takes it; raises `ValidationError`."""
    if value is None:
        return ("default", 0, 0.0, None)
    if value is False or (type(value) is int and value == 0):
        return ("off", 0, 0.0, None)
    if isinstance(value, RateLimit):
        return ("fixed", value.requests, value.per, value.store)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return ("fixed", RateLimit(value).requests, 60.0, None)
    raise ValidationError(
        "rate_limit",
        "must be None (the documented default), a whole number of requests per minute "
        f"(0 = no limit), False, or reelkit.RateLimit(requests, per=...), got {value!r}",
    )
