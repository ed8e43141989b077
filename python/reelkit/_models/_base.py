"""The model machinery: frozen dataclasses built from server payloads.

Every model keeps the full payload in `.raw` (unknown fields included), exposes its
documented fields under snake_case names, and has `to_dict()`. Building goes through
a per-class plan computed on first use (field names, wire names, converters; lazily,
because resolving type hints is the slowest part of importing the models), and
instances are filled directly, which is several times faster than calling a frozen
dataclass's generated `__init__`.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import types
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T", bound="Model")

_new = object.__new__

#: A model's build plan: field names, wire names (the same tuple object when they
#: are equal), (field, converter) pairs, required wire names, and the full
#: (field, wire, converter or None) table.
_Plan = tuple[
    tuple[str, ...],
    tuple[str, ...],
    tuple[tuple[str, Callable[[Any], Any]], ...],
    tuple[str, ...],
    tuple[tuple[str, str, Callable[[Any], Any] | None], ...],
]


class _FromPlan:
    """A class attribute read from the model's lazily built plan (`Model._plan`)."""

    def __init__(self, index: int) -> None:
        self.index = index

    def __get__(self, obj: Any, cls: Any) -> Any:
        return (cls._plan or cls._build_plan())[self.index]


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
    #: (field names, wire names, [(field, converter)...], required wire names): built
    #: on first use, since resolving the type hints is the slowest part of defining a
    #: model. Required = fields annotated without `| None`: the SDK needs them (a job
    #: id to poll, a video id to export), so a payload without them is not what the
    #: API documents and raises `APIResponseError` instead of surfacing a silent None.
    _plan: ClassVar[_Plan | None] = None
    #: Required wire names the class checks itself (in `_post_fill`), e.g. "one of
    #: `id` / `scheduleId`".
    _required_exempt: ClassVar[frozenset[str]] = frozenset()
    #: Called with the filled (and converted) values, when set.
    _post_fill: ClassVar[Callable[[dict[str, Any]], None] | None] = None

    @classmethod
    def _build_plan(cls) -> _Plan:
        hints = get_type_hints(cls, localns={"datetime": _dt.datetime, "Any": Any})
        names: list[str] = []
        wires: list[str] = []
        converted: list[tuple[str, Callable[[Any], Any]]] = []
        required: list[str] = []
        table: list[tuple[str, str, Callable[[Any], Any] | None]] = []
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.name == "raw":
                continue
            wire = f.metadata.get("wire") or (
                camel(f.name) if cls._wire_case == "camel" else f.name
            )
            names.append(f.name)
            wires.append(wire)
            hint = hints.get(f.name, Any)
            convert = _converter(hint)
            table.append((f.name, wire, convert))
            if convert is not None:
                converted.append((f.name, convert))
            if (
                hint is not Any
                and _unwrap_optional(hint) is hint
                and type(None) not in get_args(hint)
                and wire not in cls._required_exempt
            ):
                required.append(wire)
        names_t, wires_t = tuple(names), tuple(wires)
        # `wires is names` tells from_raw that wire names are the field names.
        plan = (
            names_t,
            names_t if wires_t == names_t else wires_t,
            tuple(converted),
            tuple(required),
            tuple(table),
        )
        cls._plan = plan
        return plan

    #: (field, wire name, converter or None) for every field, and the required wire
    #: names: views of the plan.
    _fields_table: ClassVar[tuple[tuple[str, str, Callable[[Any], Any] | None], ...]]
    _fields_table = _FromPlan(4)  # type: ignore[assignment]
    _required: ClassVar[tuple[str, ...]]
    _required = _FromPlan(3)  # type: ignore[assignment]

    @classmethod
    def from_raw(cls: type[T], raw: Any) -> T:
        if not isinstance(raw, dict):
            raw = {}
        names, wires, converted, required, _ = cls._plan or cls._build_plan()
        obj = _new(cls)
        values = obj.__dict__
        get = raw.get
        # A plain loop is the fastest way to fill the fields on CPython 3.11+
        # (faster than dict.update over zip/map, or a comprehension).
        if wires is names:
            for name in names:
                values[name] = get(name)
        else:
            for name, wire in zip(names, wires, strict=True):
                values[name] = get(wire)
        values["raw"] = raw
        if converted or required or cls._post_fill is not None:
            cls._convert_and_check(values, converted, required)
        return obj

    @classmethod
    def _convert_and_check(
        cls,
        values: dict[str, Any],
        converted: tuple[tuple[str, Callable[[Any], Any]], ...],
        required: tuple[str, ...],
    ) -> None:
        """After the fields are filled from `values["raw"]`: run the converters and
        raise APIResponseError when a required wire field is missing."""
        for name, convert in converted:
            value = values[name]
            if value is not None:
                values[name] = convert(value)
        if required:
            raw = values["raw"]
            missing = [wire for wire in required if raw.get(wire) is None]
            if missing:
                raise cls._missing_error(missing, raw)
        if cls._post_fill is not None:
            cls._post_fill(values)

    @classmethod
    def _missing_error(
        cls, missing: list[str], raw: dict[str, Any], described: str | None = None
    ) -> Exception:
        """The error for a payload without fields the API documents as always there;
        the driver adds the endpoint (`GET /video/x`) and the request id."""
        from .._errors import APIResponseError

        names = {wire: name for name, wire, _ in cls._fields_table}
        fields = described or ", ".join(
            f"`{wire}` ({cls.__name__}.{names.get(wire, wire)})" for wire in missing
        )
        error = APIResponseError(
            f"the response has no {fields}, which the API documents as always present "
            f"(got keys {sorted(raw)!r})",
            body=raw,
        )
        error.missing_fields = list(missing)  # type: ignore[attr-defined]
        return error

    @classmethod
    def list_from_raw(cls: type[T], items: Iterable[Any]) -> list[T]:
        """`[cls.from_raw(item) for item in items]`, with the field loop run natively
        (`_native.fill_models`; per item the call costs as much as it saves)."""
        from .. import _native

        names, wires, converted, required, _ = cls._plan or cls._build_plan()
        models: list[T] = _native.fill_models(cls, names, wires, items)
        if converted or required or cls._post_fill is not None:
            for model in models:
                cls._convert_and_check(model.__dict__, converted, required)
        return ModelList(models)

    def to_dict(self) -> dict[str, Any]:
        """The model's fields (not `raw`) as plain Python values."""
        names = (self._plan or self._build_plan())[0]
        values = self.__dict__
        return {name: _plain(values[name]) for name in names}

    def __repr__(self) -> str:
        return _model_repr(self, REPR_MAX, depth=0)

    #: For notebooks (`_repr_html_`): the attribute holding a playable video URL
    #: (shown as a player) or an image URL (shown as a thumbnail), if any.
    _html_video: ClassVar[str | None] = None
    _html_image: ClassVar[str | None] = None

    def _repr_html_(self) -> str:
        from ._html import model_html

        return model_html(self)


class ModelList(list[T]):
    """What list endpoints return: a plain `list` of models that a notebook shows as a
    compact table."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        from ._html import table

        return table(self)


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
    values = obj.__dict__
    parts = [
        f"{name}={_short(values[name], depth)}"
        for name in (obj._plan or obj._build_plan())[0]
        if values.get(name) is not None
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
    """Class decorator: frozen dataclass; `from_raw` builds its wire-name plan lazily."""
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
    cls._plan = None  # not the parent model's
    return cls


def wire(name: str, default: Any = None) -> Any:
    """A field whose wire name differs from the default naming rule."""
    return dataclasses.field(default=default, metadata={"wire": name})


class StatusModel(Model):
    """A model with a server `status` string (kept unchanged) and phase properties.
    Unknown status values count as pending."""

    # Any here: each model narrows it (`str`, a `Literal[...]` of a closed set, or
    # `str | None`), and a mutable attribute may not be narrowed by a subclass.
    status: Any
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
