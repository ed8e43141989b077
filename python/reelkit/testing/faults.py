"""Fault constructors for ``Simulator.inject`` and ``Replay.inject``.

Each returns a :class:`Fault`, a frozen value whose :meth:`Fault.to_dict` is the one
JSON spelling the Rust server understands (the same as a cassette's ``fault``)::

    sim.inject("POST", "/api/public/v1/video/*", faults.status(503), times=2)
    sim.inject("*", "/v1/videos/*", faults.reset_mid_body())
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Fault",
    "delay",
    "html_error",
    "malformed_json",
    "non_utf8",
    "oversized",
    "reset",
    "reset_before_response",
    "reset_mid_body",
    "status",
    "trickle",
    "truncated_body",
]


@dataclass(frozen=True)
class Fault:
    """One way for the server to misbehave: a ``kind`` and its parameters."""

    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The JSON spelling: ``{"kind": ..., **params}``."""
        return {"kind": self.kind, **self.params}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"faults.{self.kind}({args})"


def status(
    status: int,
    body: Any = None,
    headers: Mapping[str, str] | None = None,
) -> Fault:
    """Answer ``status`` instead of the real response (the handler is not called).

    ``body``: a ``str`` is sent as ``text/plain``; any other value (dict, list,
    number) as JSON; ``None`` sends ``{"error": <reason>, "code": "simulated_fault"}``.
    """
    params: dict = {"status": int(status)}
    if headers:
        params["headers"] = {str(k): str(v) for k, v in headers.items()}
    if isinstance(body, str):
        params["text"] = body
    elif body is not None:
        params["json"] = body
    return Fault("status", params)


def delay(seconds: float) -> Fault:
    """Wait ``seconds``, then send the normal response."""
    return Fault("delay", {"seconds": float(seconds)})


def reset() -> Fault:
    """Read the request, then reset the connection: the client gets no bytes."""
    return Fault("reset_before_response")


reset_before_response = reset


def reset_mid_body() -> Fault:
    """Send the headers and half of the real body, then reset the connection."""
    return Fault("reset_mid_body")


def truncated_body() -> Fault:
    """Send the real response's full Content-Length but only half the bytes, then close."""
    return Fault("truncated_body")


def malformed_json() -> Fault:
    """200 with a JSON content-type and the body ``{"status": "comp``."""
    return Fault("malformed_json")


def html_error(status: int = 502) -> Fault:
    """An nginx-like HTML error page (``content-type: text/html``)."""
    return Fault("html_error", {"status": int(status)})


def trickle(bytes_per_chunk: int = 1, interval_seconds: float = 0.1) -> Fault:
    """The real response, its body sent ``bytes_per_chunk`` bytes every ``interval_seconds``."""
    return Fault(
        "trickle",
        {"bytes_per_chunk": int(bytes_per_chunk), "interval_seconds": float(interval_seconds)},
    )


def non_utf8() -> Fault:
    """200 with a JSON content-type and a body that is not valid UTF-8."""
    return Fault("non_utf8")


def oversized(n: int) -> Fault:
    """200 with a JSON content-type and an ``n``-byte body (streamed by the server)."""
    return Fault("oversized", {"bytes": int(n)})
