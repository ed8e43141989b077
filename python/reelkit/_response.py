"""`APIResponse`: what the raw-response twins (`client.videos.with_raw_response.get(id)`)
return: the HTTP status, headers, request id and time of a call, and `.parse()` for
the model the plain method returns."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar

__all__ = ["APIResponse", "Headers"]

T = TypeVar("T")
_UNSET: Any = object()


class Headers(Mapping[str, str]):
    """Response headers, looked up case-insensitively. A header sent several times
    reads as its values joined by ", " (RFC 9110); `get_list` gives them apart."""

    __slots__ = ("_items",)

    def __init__(self, items: Sequence[tuple[str, str]] = ()) -> None:
        self._items = [(str(k).lower(), str(v)) for k, v in items]

    def get_list(self, name: str) -> list[str]:
        key = name.lower()
        return [v for k, v in self._items if k == key]

    def __getitem__(self, name: str) -> str:
        values = self.get_list(name)
        if not values:
            raise KeyError(name)
        return ", ".join(values)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(k for k, _ in self._items))

    def __len__(self) -> int:
        return len(dict.fromkeys(k for k, _ in self._items))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and any(k == name.lower() for k, _ in self._items)

    def __repr__(self) -> str:
        return f"Headers({dict(self)!r})"


class APIResponse(Generic[T]):
    """One API call's response. For a method that makes several calls (`wait` polls,
    `create_and_wait`, `download` refreshes its URL), the last one's; `.parse()`
    gives what the plain method returns (parsed once, on first call)."""

    def __init__(
        self,
        meta: Mapping[str, Any],
        *,
        method: str,
        path: str,
        parse: Callable[[], T] | None = None,
        value: Any = _UNSET,
    ) -> None:
        self.status_code: int = int(meta["status_code"])
        self.headers: Headers = Headers(meta.get("headers") or ())
        self.request_id: str | None = meta.get("request_id")
        #: From sending the request (first attempt) to its decoded response.
        self.elapsed: _dt.timedelta = _dt.timedelta(seconds=float(meta.get("elapsed") or 0.0))
        self.retries_taken: int = max(int(meta.get("attempts") or 1) - 1, 0)
        self.method = method
        self.path = path
        self._parse = parse
        self._value = value

    def parse(self) -> T:
        """The model (or value) the plain method returns."""
        if self._value is _UNSET:
            assert self._parse is not None
            self._value = self._parse()
            self._parse = None
        value: T = self._value
        return value

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] {self.method} {self.path}>"
