"""``RecordedRequest``: one request as a simulator or replay server received it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RecordedRequest:
    """A received request, secrets redacted (``authorization: Bearer <redacted>``,
    ``x-api-key: <redacted>``).

    ``query`` maps each name to its value, or to a list of values when the name is
    repeated. ``json`` is the parsed JSON body (``None`` without one or when the body
    is not JSON, in which case ``text`` holds it). Header names are lower-case.
    """

    method: str
    path: str
    query: dict[str, str | list[str]]
    json: Any
    headers: dict[str, str]
    text: str | None = None

    @classmethod
    def _from_native(cls, d: dict) -> RecordedRequest:
        query: dict[str, str | list[str]] = {}
        for name, value in d.get("query", []):
            if name not in query:
                query[name] = value
            elif isinstance(query[name], list):
                query[name].append(value)
            else:
                query[name] = [query[name], value]
        return cls(
            method=d["method"],
            path=d["path"],
            query=query,
            json=d.get("json"),
            headers=dict(d.get("headers", {})),
            text=d.get("text"),
        )

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (any case), or ``None``."""
        return self.headers.get(name.lower())
