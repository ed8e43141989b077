"""Client-side checks run before anything is sent. Each raises `ValidationError`
naming the field (with the wire name a server would use) and the rule broken."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._errors import ValidationError

__all__ = [
    "check_str",
    "check_enum",
    "check_number",
    "check_bool",
    "check_url",
    "check_str_list",
    "check_mapping",
    "check_seconds",
    "check_callable",
    "check_path",
    "drop_none",
    "MAX_SECONDS",
]

#: The longest timeout, wait or poll interval accepted: a year (beyond it a clock
#: would overflow; no job takes that long).
MAX_SECONDS = 366 * 86_400


def _type_name(value: Any) -> str:
    return type(value).__name__


def check_str(
    field: str,
    value: Any,
    *,
    required: bool = False,
    min_len: int | None = None,
    max_len: int | None = None,
    strip: bool = True,
) -> str | None:
    if value is None:
        if required:
            raise ValidationError(field, "is required")
        return None
    if not isinstance(value, str):
        raise ValidationError(field, f"must be a string, got {_type_name(value)}")
    length = len(value.strip()) if strip else len(value)
    if required and length == 0:
        raise ValidationError(field, "must not be empty")
    if min_len is not None and length < min_len:
        raise ValidationError(field, f"must be at least {min_len} characters, got {length}")
    if max_len is not None and len(value) > max_len:
        raise ValidationError(field, f"must be at most {max_len} characters, got {len(value)}")
    return value


def check_enum(
    field: str, value: Any, allowed: Iterable[str], *, required: bool = False
) -> str | None:
    value = check_str(field, value, required=required)
    if value is None:
        return None
    allowed = tuple(allowed)
    if value not in allowed:
        raise ValidationError(
            field, f"must be one of {', '.join(map(repr, allowed))}; got {value!r}"
        )
    return value


def check_number(
    field: str,
    value: Any,
    *,
    required: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
    integer: bool = False,
    multiple_of: int | None = None,
) -> float | int | None:
    if value is None:
        if required:
            raise ValidationError(field, "is required")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationError(field, f"must be a number, got {_type_name(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(field, f"must be a finite number, got {value}")
    if integer and not float(value).is_integer():
        raise ValidationError(field, f"must be a whole number, got {value}")
    if minimum is not None and value < minimum or maximum is not None and value > maximum:
        if minimum is not None and maximum is not None:
            rule = f"must be between {minimum:g} and {maximum:g}"
        elif minimum is not None:
            rule = f"must be at least {minimum:g}"
        else:
            rule = f"must be at most {maximum:g}"
        raise ValidationError(field, f"{rule}, got {value}")
    if multiple_of is not None and value % multiple_of != 0:
        raise ValidationError(field, f"must be a multiple of {multiple_of}, got {value}")
    return int(value) if integer else value


def check_bool(field: str, value: Any) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise ValidationError(field, f"must be True or False, got {_type_name(value)}")
    return value


def check_url(
    field: str,
    value: Any,
    *,
    required: bool = False,
    https_only: bool = False,
    max_len: int | None = None,
) -> str | None:
    value = check_str(field, value, required=required, max_len=max_len)
    if value is None:
        return None
    from urllib.parse import urlsplit  # here: it costs ~2 ms at import (ipaddress)

    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(field, f"must be an absolute http(s) URL, got {value!r}")
    if https_only and parts.scheme != "https":
        raise ValidationError(field, f"must be an https:// URL, got {value!r}")
    return value


def check_str_list(
    field: str,
    value: Any,
    *,
    required: bool = False,
    min_items: int | None = None,
    max_items: int | None = None,
    urls: bool = False,
    max_len: int | None = None,
) -> list[str] | None:
    if value is None:
        if required:
            raise ValidationError(field, "is required")
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ValidationError(field, f"must be a list of strings, got {_type_name(value)}")
    items = list(value)
    if min_items is not None and len(items) < min_items:
        raise ValidationError(field, f"must have at least {min_items} item(s), got {len(items)}")
    if max_items is not None and len(items) > max_items:
        raise ValidationError(field, f"must have at most {max_items} items, got {len(items)}")
    for i, item in enumerate(items):
        if urls:
            check_url(f"{field}[{i}]", item, required=True)
        else:
            check_str(f"{field}[{i}]", item, required=True, max_len=max_len)
    return items


def check_mapping(field: str, value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValidationError(field, f"must be a mapping, got {_type_name(value)}")
    return dict(value)


def check_seconds(field: str, value: Any, *, positive: bool = False) -> float:
    """A finite number of seconds, >= 0 (> 0 with `positive`), at most a year."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
        or (positive and value == 0)
        or value > MAX_SECONDS
    ):
        rule = "a positive number of seconds" if positive else "a number of seconds >= 0"
        raise ValidationError(field, f"must be {rule} (at most a year), got {value!r}")
    return float(value)


def check_callable(field: str, value: Any) -> Any:
    if value is not None and not callable(value):
        raise ValidationError(field, f"must be callable, got {_type_name(value)}")
    return value


def check_path(field: str, value: Any) -> str:
    """A file path: a str or an os.PathLike naming a str path."""
    if isinstance(value, str):
        path: Any = value
    elif isinstance(value, os.PathLike):
        path = os.fspath(value)
    else:
        raise ValidationError(
            field, f"must be a path (str or os.PathLike), got {_type_name(value)}"
        )
    if not isinstance(path, str) or not path.strip():
        raise ValidationError(field, f"must be a non-empty text path, got {path!r}")
    return path


def drop_none(**values: Any) -> dict[str, Any]:
    """The request body: only what the caller set."""
    return {k: v for k, v in values.items() if v is not None}
