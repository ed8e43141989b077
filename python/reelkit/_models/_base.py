"""The model machinery: frozen dataclasses built from server payloads.

Every model keeps the full payload in `.raw` (unknown fields included), exposes its
documented fields under snake_case names, and has `to_dict()`. Building goes through
a per-class table computed once (wire name -> field, converter), and instances are
filled directly, which is several times faster than calling a frozen dataclass's
generated `__init__`.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import types
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T", bound="Model")

_new = object.__new__


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def parse_datetime(value: Any) -> _dt.datetime | None:
    """ISO 8601 -> aware datetime (UTC when the string has no offset); None if unparsable."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = _dt.datetime.fromisoformat(text)
    except ValueError:
        # fromisoformat (3.10) accepts only 3 or 6 fractional digits.
        if "." in text:
            main, _, frac = text.partition(".")
            digits = "".join(ch for ch in frac if ch.isdigit())
            tz = frac[len(digits) :]
            try:
                parsed = _dt.datetime.fromisoformat(f"{main}.{(digits + '000000')[:6]}{tz}")
            except ValueError:
                return None
        else:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_dt.timezone.utc)
    return parsed


def _unwrap_optional(tp: Any) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _converter(tp: Any) -> Callable[[Any], Any] | None:
    tp = _unwrap_optional(tp)
    if tp is _dt.datetime:
        return parse_datetime
    if isinstance(tp, type) and issubclass(tp, Model):
        return lambda v, cls=tp: cls.from_raw(v) if isinstance(v, dict) else None
    if get_origin(tp) is list:
        (item,) = get_args(tp) or (Any,)
        inner = _converter(item)
        if inner is not None:
            return lambda v, f=inner: [f(x) for x in v] if isinstance(v, list) else None
    return None


class Model:
    """Base of every response model (subclasses are frozen dataclasses via `@model`)."""

    raw: dict[str, Any]
    #: "snake" (Hoox, wire names are field names) or "camel" (Hooked).
    _wire_case: ClassVar[str] = "snake"
    _fields_table: ClassVar[tuple[tuple[str, str, Callable[[Any], Any] | None], ...]] = ()

    #: Wire names of fields annotated without `| None`: the SDK needs them (a job id
    #: to poll, a video id to export), so a payload without them is not what the API
    #: documents and raises `APIResponseError` instead of surfacing a silent None.
    _required: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def from_raw(cls: type[T], raw: Any) -> T:
        if not isinstance(raw, dict):
            raw = {}
        obj = _new(cls)
        values = obj.__dict__
        get = raw.get
        for name, wire, convert in cls._fields_table:
            value = get(wire)
            if convert is not None and value is not None:
                value = convert(value)
            values[name] = value
        values["raw"] = raw
        if cls._required:
            missing = [wire for wire in cls._required if get(wire) is None]
            if missing:
                from .._errors import APIResponseError

                raise APIResponseError(
                    f"{cls.__name__}: the response has no {', '.join(missing)} "
                    f"(got {sorted(raw)!r}); the API did not answer as documented",
                    body=raw,
                )
        return obj

    def to_dict(self) -> dict[str, Any]:
        """The model's fields (not `raw`) as plain Python values."""
        return {name: _plain(self.__dict__[name]) for name, _, _ in self._fields_table}

    def __repr__(self) -> str:
        return _model_repr(self, REPR_MAX, depth=0)


# Reprs stay short in a notebook or a log line, whatever the payload (a 10,000-character
# script, a page of 100 videos): None fields are left out, long strings, lists and
# dicts are cut, and the whole is capped. `to_dict()` and `.raw` keep everything.
REPR_MAX = 300
_REPR_NESTED = 100
_REPR_STR = 60
_REPR_ITEMS = 3
_REPR_DEPTH = 2


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(value: Any, depth: int) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) <= _REPR_STR else repr(value[: _REPR_STR - 1] + "…")
    if isinstance(value, Model):
        return _model_repr(value, _REPR_NESTED, depth + 1)
    if isinstance(value, _dt.datetime):
        return f"datetime({value})"  # the ISO form reads better than the constructor's
    if isinstance(value, (list, tuple, dict)):
        if not value:
            return repr(value)
        if depth >= _REPR_DEPTH:
            return "[…]" if not isinstance(value, dict) else "{…}"
        if isinstance(value, dict):
            parts = [f"{k!r}: {_short(v, depth + 1)}" for k, v in list(value.items())[:_REPR_ITEMS]]
        else:
            parts = [_short(v, depth + 1) for v in value[:_REPR_ITEMS]]
        if len(value) > _REPR_ITEMS:
            parts.append(f"…+{len(value) - _REPR_ITEMS}")
        text = ", ".join(parts)
        return "{" + text + "}" if isinstance(value, dict) else "[" + text + "]"
    return _cut(repr(value), _REPR_STR)


def _model_repr(obj: Model, limit: int, depth: int) -> str:
    head = f"{type(obj).__name__}("
    parts = [
        f"{name}={_short(obj.__dict__[name], depth)}"
        for name, _, _ in obj._fields_table
        if obj.__dict__.get(name) is not None
    ]
    text, shown = head, 0
    for part in parts:
        part = _cut(part, _REPR_NESTED)
        if len(text) + len(part) + 2 > limit - 12:  # room for ", …+N more)"
            break
        text += (", " if shown else "") + part
        shown += 1
    if shown < len(parts):
        text += (", " if shown else "") + f"…+{len(parts) - shown} more"
    return text + ")"


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def model(cls: type[T]) -> type[T]:
    """Class decorator: frozen dataclass + the wire-name table used by `from_raw`."""
    annotations = cls.__dict__.get("__annotations__")
    if annotations is None:
        annotations = {}
        cls.__annotations__ = annotations
    for name in annotations:
        if name != "raw" and not hasattr(cls, name):
            setattr(cls, name, None)
    if "raw" not in annotations:
        annotations["raw"] = "dict[str, Any]"
    cls.raw = dataclasses.field(default_factory=dict, repr=False, compare=False)  # type: ignore[assignment]
    # repr=False: `Model.__repr__` (short, None fields left out) serves every model.
    cls = dataclasses.dataclass(frozen=True, repr=False)(cls)
    hints = get_type_hints(cls, localns={"datetime": _dt.datetime, "Any": Any})
    table = []
    required = []
    for f in dataclasses.fields(cls):
        if f.name == "raw":
            continue
        wire = f.metadata.get("wire") or (camel(f.name) if cls._wire_case == "camel" else f.name)
        hint = hints.get(f.name, Any)
        table.append((f.name, wire, _converter(hint)))
        if hint is not Any and _unwrap_optional(hint) is hint and type(None) not in get_args(hint):
            required.append(wire)
    cls._fields_table = tuple(table)
    cls._required = tuple(required)
    return cls


def wire(name: str, default: Any = None) -> Any:
    """A field whose wire name differs from the default naming rule."""
    return dataclasses.field(default=default, metadata={"wire": name})


class StatusModel(Model):
    """A model with a server `status` string (kept unchanged) and phase properties.
    Unknown status values count as pending."""

    status: str | None
    _complete: ClassVar[frozenset[str]] = frozenset({"completed"})
    _failed: ClassVar[frozenset[str]] = frozenset({"failed"})

    def _phase_text(self) -> str:
        # A status that is not a string (a server bug) is unknown, so pending.
        return self.status.lower() if isinstance(self.status, str) else ""

    @property
    def is_complete(self) -> bool:
        return self._phase_text() in self._complete

    @property
    def is_failed(self) -> bool:
        return self._phase_text() in self._failed

    @property
    def is_pending(self) -> bool:
        return not self.is_complete and not self.is_failed
