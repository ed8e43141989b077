"""Helpers shared by the resource modules."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .._validation import check_path, check_seconds, check_str

__all__ = ["check_path", "check_timeout", "error_of", "segment"]


def segment(field: str, value: Any) -> str:
    """A validated, percent-encoded path segment (an id can never escape its slot)."""
    text = check_str(field, value, required=True)
    assert text is not None
    return quote(text.strip(), safe="")


def error_of(status: Any) -> tuple[str | None, str | None]:
    """(code, message) from a status model whose `error` is `{code, message}`."""
    error = getattr(status, "error", None) or {}
    if not isinstance(error, dict):
        return None, str(error)
    code = error.get("code")
    return (str(code).upper() if code else None), error.get("message")


def check_timeout(field: str, value: Any) -> float:
    return check_seconds(field, value)
