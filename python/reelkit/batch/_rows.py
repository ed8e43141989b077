# Rows in: dicts, csv.DictReader rows or a pandas DataFrame, turned into checked
# entries (key, op, parameters, hash) before anything is sent.
"""Input rows -> `Entry` objects.

Each row has a unique ``key``, an ``op`` (or the ``op=`` argument) and the op's
parameters under the SDK's keyword names. Text cells (CSV) are read as follows: an
empty cell is an absent parameter; a cell holding a JSON list or object is that list
or object; ``true``/``false`` are booleans and numbers are numbers, except for
parameters that only take text (ids, scripts), which keep the text as written. A
column that is not a parameter of the row's op is refused, naming it.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .._errors import ValidationError
from ._ledger import Entry, canonical_json
from ._ops import OpSpec, ops_for

__all__ = ["check_key", "normalize", "params_hash"]

_INT = re.compile(r"[+-]?\d+")
_BAD_KEY = re.compile(r"[/\\\x00-\x1f]")
_FLOAT = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?")
_RESERVED = ("key", "op")
_MAX_KEY = 200


def _is_dataframe(rows: Any) -> bool:
    # Duck-typed so that pandas is never imported by reelkit itself.
    return hasattr(rows, "to_dict") and hasattr(rows, "columns") and hasattr(rows, "iloc")


_PLAIN = (str, int, bool, list, dict)


def _plain(value: Any) -> Any:
    """A pandas/numpy cell as a plain Python value; missing values as None."""
    if value is None or type(value) in _PLAIN:
        return value
    if isinstance(value, float) and math.isnan(value):
        return None
    kind = type(value).__module__
    if kind.startswith(("numpy", "pandas")):
        if type(value).__name__ in ("NAType", "NaTType"):
            return None
        item = getattr(value, "item", None)
        if callable(item):
            value = item()
            if isinstance(value, float) and math.isnan(value):
                return None
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
    return value


def _records(rows: Any) -> Iterable[tuple[int, Mapping[Any, Any]]]:
    if _is_dataframe(rows):
        for i, row in enumerate(rows.to_dict("records")):
            yield i, {k: _plain(v) for k, v in row.items()}
        return
    if isinstance(rows, (str, bytes, Mapping)):
        raise ValidationError(
            "rows", "must be an iterable of rows (dicts, csv.DictReader) or a pandas DataFrame"
        )
    try:
        iterator = iter(rows)
    except TypeError:
        raise ValidationError(
            "rows", f"must be an iterable of rows or a DataFrame, got {type(rows).__name__}"
        ) from None
    for i, row in enumerate(iterator):
        if not isinstance(row, Mapping):
            raise ValidationError(f"rows[{i}]", f"must be a mapping, got {type(row).__name__}")
        yield i, row


def _cell(spec: OpSpec, column: str, value: Any, key: str) -> Any:
    """A cell's parameter value (None = absent)."""
    value = _plain(value)
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    if spec.str_only(column):
        return value
    if text[0] in "[{":
        try:
            parsed = json.loads(text)
        except ValueError as exc:
            raise ValidationError(
                column, f"row {key!r}: the cell starts like JSON but is not valid JSON ({exc})"
            ) from None
        return parsed
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return value


def check_key(value: Any, index: int) -> str:
    """A row key: text (or a whole number), unique, usable as a file name."""
    if isinstance(value, bool) or value is None:
        raise ValidationError(f"rows[{index}].key", "every row needs a key (a unique name)")
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise ValidationError(
            f"rows[{index}].key", f"must be text or a whole number, got {type(value).__name__}"
        )
    key = value.strip()
    if not key:
        raise ValidationError(f"rows[{index}].key", "every row needs a key (a unique name)")
    if len(key) > _MAX_KEY:
        raise ValidationError(f"rows[{index}].key", f"at most {_MAX_KEY} characters")
    if key in (".", "..") or _BAD_KEY.search(key):
        raise ValidationError(
            f"rows[{index}].key",
            f"{key!r} cannot name a file (it becomes <out_dir>/<key>.mp4): no '/', '\\' "
            "or control characters, not '.' or '..'",
        )
    return key


def params_hash(op: str, params: Mapping[str, Any]) -> str:
    return _hash(op, canonical_json(params))


def _hash(op: str, params_json: str) -> str:
    # The text of canonical_json({"op": op, "params": params}) ("op" sorts first),
    # from the parameters' text already encoded.
    text = '{"op":' + canonical_json(op) + ',"params":' + params_json + "}"
    return hashlib.sha256(text.encode()).hexdigest()


def _canonical(value: Any, column: str, key: str) -> Any:
    """JSON-able form of a value (what the ledger stores and compares)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    try:
        return json.loads(json.dumps(value, sort_keys=True, default=_to_json))
    except (TypeError, ValueError) as exc:
        raise ValidationError(column, f"row {key!r}: cannot be recorded ({exc})") from None


def _to_json(value: Any) -> Any:
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON data")


def normalize(rows: Any, provider: str, op: str | None) -> list[Entry]:
    """Check every row and return its entry; raises `ValidationError` naming the row,
    the column and the rule before anything is sent."""
    ops = ops_for(provider)
    if op is not None and op not in ops:
        raise ValidationError("op", f"{op!r} is not a {provider} operation: {', '.join(ops)}")
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    columns: set[str] = set()
    for index, row in _records(rows):
        if None in row:
            raise ValidationError(f"rows[{index}]", "has more cells than the header has columns")
        key = check_key(row.get("key"), index)
        if key in seen:
            raise ValidationError("key", f"{key!r} is used by rows {seen[key]} and {index}")
        seen[key] = index
        row_op = _plain(row.get("op"))
        if isinstance(row_op, str):
            row_op = row_op.strip() or None
        name = row_op or op
        if name is None:
            raise ValidationError("op", f"row {key!r}: give an op column or op=...")
        spec = ops.get(name) if isinstance(name, str) else None
        if spec is None:
            raise ValidationError(
                "op", f"row {key!r}: {name!r} is not a {provider} operation: {', '.join(ops)}"
            )
        params: dict[str, Any] = {}
        for column, raw in row.items():
            column = str(column)
            if column in _RESERVED:
                continue
            columns.add(column)
            if column not in spec.params:
                if _empty(raw):
                    continue  # an empty cell of another op's column
                raise ValidationError(
                    column,
                    f"row {key!r}: not a parameter of {provider} {name!r} (its parameters: "
                    f"{', '.join(sorted(spec.params))})",
                )
            value = _cell(spec, column, raw, key)
            if value is not None:
                params[column] = _canonical(value, column, key)
        text = canonical_json(params)
        entries.append(Entry(key, name, params, _hash(name, text), index, text))
    if _is_dataframe(rows):
        columns |= {str(c) for c in rows.columns}
    _check_columns(entries, columns, provider)
    return entries


def _empty(value: Any) -> bool:
    value = _plain(value)
    return value is None or (isinstance(value, str) and not value.strip())


def _check_columns(entries: list[Entry], columns: set[str], provider: str) -> None:
    """A column that no op of the batch takes is refused even when it is empty in
    every row (a misspelt column would otherwise be dropped silently)."""
    known = set(_RESERVED)
    ops = ops_for(provider)
    for entry in entries:
        known |= set(ops[entry.op].params)
    for column in sorted(columns - known):
        raise ValidationError(
            column, f"is not a parameter of any {provider} operation of this batch"
        )
