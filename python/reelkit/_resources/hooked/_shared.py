"""What Hooked resources share: wire conversion, list checks, offset pagination."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..._endpoint import Call, Paginate
from ..._errors import ValidationError
from ..._models._base import camel
from ..._validation import check_number, check_str

MAX_MEDIA_ITEMS = 50


def to_wire(value: Any) -> Any:
    """snake_case keys -> camelCase (camelCase keys are unchanged), recursively;
    option dataclasses become dicts; unset (None) fields and keys are dropped, since
    Hooked's schemas treat an explicit null as a wrong type, not as "absent"."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            camel(f.name): to_wire(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not None
        }
    if isinstance(value, Mapping):
        return {camel(str(k)): to_wire(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    return value


def check_object(field: str, value: Any, *, required: bool = False) -> dict[str, Any] | None:
    """A nested option (dict or option dataclass) in wire form."""
    if value is None:
        if required:
            raise ValidationError(field, "is required")
        return None
    if not isinstance(value, Mapping) and not (
        dataclasses.is_dataclass(value) and not isinstance(value, type)
    ):
        raise ValidationError(field, f"must be an object (a dict), got {type(value).__name__}")
    return to_wire(value)


def check_list(
    field: str,
    value: Any,
    *,
    required: bool = False,
    min_items: int | None = None,
    max_items: int | None = None,
) -> list[Any] | None:
    if value is None:
        if required:
            raise ValidationError(field, "is required")
        return None
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise ValidationError(field, f"must be a list, got {type(value).__name__}")
    items = list(value)
    if min_items is not None and len(items) < min_items:
        raise ValidationError(field, f"must have at least {min_items} item(s), got {len(items)}")
    if max_items is not None and len(items) > max_items:
        raise ValidationError(field, f"must have at most {max_items} items, got {len(items)}")
    return items


def check_id_list(field: str, value: Any, *, required: bool = False) -> list[str] | None:
    """Media IDs already uploaded to the account: 1 to 50 non-empty strings."""
    items = check_list(field, value, required=required, min_items=1, max_items=MAX_MEDIA_ITEMS)
    for index, item in enumerate(items or ()):
        check_str(f"{field}.{index}", item, required=True)
    return items


def compact(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def present(*pairs: tuple[str, Any]) -> list[tuple[str, Any]]:
    """The query filters the caller set."""
    return [(key, value) for key, value in pairs if value is not None]


def page_query(limit: Any, offset: Any, *, max_limit: int | None) -> list[tuple[str, str]]:
    limit = check_number("limit", limit, minimum=1, maximum=max_limit, integer=True)
    offset = check_number("offset", offset, minimum=0, integer=True)
    return [(k, str(v)) for k, v in (("limit", limit), ("offset", offset)) if v is not None]


def offset_pages(
    fetch: Callable[[int | None], Call], requested_limit: Any, default_limit: int
) -> Paginate:
    """Page after page from `fetch(offset)`; the first request is exactly the one
    `list()` sends for the same arguments (`offset` None = the caller's own)."""
    page_size = requested_limit or default_limit

    def next_offset(page: Any, offset: int | None) -> int | None:
        items = page.items
        if not items:
            return None
        start = offset if offset is not None else (page.offset or 0)
        following = start + len(items)
        if page.total is not None:
            return following if following < page.total else None
        # No total (trends): a short page is the last one.
        return following if len(items) >= (page.limit or page_size) else None

    return Paginate(fetch=fetch, items=lambda page: page.items, next_cursor=next_offset)


def items_of(raw: Any, *keys: str) -> list[Any]:
    """A list payload that is either a bare list or a list under one of `keys` (the
    voice, music, niche and integration list shapes are undocumented)."""
    if isinstance(raw, list):
        return raw
    if isinstance(raw, dict):
        for key in (*keys, "items", "results", "data"):
            if isinstance(raw.get(key), list):
                return raw[key]
        lists = [v for v in raw.values() if isinstance(v, list)]
        if len(lists) == 1:
            return lists[0]
    return []


def list_of(model: Any, *keys: str) -> Callable[[Any], list[Any]]:
    return lambda raw: model.list_from_raw(items_of(raw, *keys))


def one_of(model: Any, key: str) -> Callable[[Any], Any]:
    """A single object, also when wrapped as `{key: {...}}`."""

    def parse(raw: Any) -> Any:
        if isinstance(raw, dict) and isinstance(raw.get(key), dict) and "id" not in raw:
            raw = raw[key]
        return model.from_raw(raw)

    return parse


def page_fetcher(
    path: str,
    filters: list[tuple[str, Any]],
    limit: Any,
    offset: Any,
    *,
    max_limit: int | None,
    parse: Callable[[Any], Any],
) -> Callable[[int | None], Call]:
    """`fetch(offset)` for an offset-paginated list: the caller's filters and `limit`,
    at `offset` (None: the caller's own). The paging arguments are checked now."""
    page_query(limit, offset, max_limit=max_limit)

    def fetch(page_offset: int | None) -> Call:
        query = filters + page_query(
            limit, offset if page_offset is None else page_offset, max_limit=max_limit
        )
        return Call("GET", path, query=query, parse=parse)

    return fetch


@dataclasses.dataclass(frozen=True)
class Paging:
    """`limit` (the page size) and `offset` of a paginated read, declared once."""

    limit: int | None = None
    offset: int | None = None
