"""Helpers shared by the resource packages of both providers."""

from __future__ import annotations

import dataclasses
import functools
import inspect
import typing
from collections.abc import Callable, Generator, Iterable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from .._endpoint import Call, Download
from .._validation import check_path, check_seconds, check_str

__all__ = ["check_path", "check_timeout", "download_to", "error_of", "segment", "takes"]

_F = TypeVar("_F", bound=Callable[..., Any])


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


def takes(spec: type, *, into: str, only: Iterable[str] | None = None) -> Callable[[_F], _F]:
    """Declare keyword arguments once, as the fields of the dataclass `spec`, and
    reuse them: the decorated method takes them (all, or `only` those) in place of
    its parameter `into`, which receives them as one `spec` instance. Its signature
    (what `inspect`, IDEs and .ci/gen_stubs.py see) lists each field as a keyword
    argument; anything else is passed on, so Python's own TypeErrors still apply."""
    fields = [f for f in dataclasses.fields(spec) if only is None or f.name in set(only)]
    names = [f.name for f in fields]
    unknown = sorted(set(only or ()) - set(names))
    if unknown:
        raise TypeError(f"{spec.__name__} has no field {unknown[0]!r}")
    expanded = [
        inspect.Parameter(
            f.name,
            inspect.Parameter.KEYWORD_ONLY,
            default=inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default,
            annotation=f.type,
        )
        for f in fields
    ]

    def decorate(fn: _F) -> _F:
        signature = inspect.signature(fn)
        params = list(signature.parameters.values())
        at = [p.name for p in params].index(into)
        clash = sorted(set(names) & set(signature.parameters))
        if clash:
            raise TypeError(f"{fn.__name__} declares {clash[0]!r}, also a field of {spec.__name__}")

        keyword_only = {p.name for p in params if p.kind is p.KEYWORD_ONLY} - {into}
        positional = fn.__code__.co_argcount

        def method(*args: Any, **kwargs: Any) -> Any:
            if into in kwargs:
                raise TypeError(f"{fn.__qualname__}() got an unexpected keyword argument {into!r}")
            values = {name: kwargs.pop(name) for name in names if name in kwargs}
            if len(args) > positional and set(kwargs) <= keyword_only:
                # Python's own message would count `into` and miss the fields given.
                raise TypeError(_too_many_positional(fn, len(args), len(kwargs) + len(values)))
            return fn(*args, **kwargs, **{into: spec(**values)})

        # The method as callers see it, and the end of `inspect.unwrap` (no
        # `__wrapped__`): tools that unwrap and read the signature or the type hints
        # (`typing.get_type_hints`, resolved now) find every field, not `into`.
        functools.update_wrapper(method, fn, updated=())
        del method.__wrapped__  # type: ignore[attr-defined]
        hints = {k: v for k, v in typing.get_type_hints(fn).items() if k != into}
        spec_hints = typing.get_type_hints(spec)
        method.__annotations__ = {**hints, **{name: spec_hints[name] for name in names}}
        parameters = params[:at] + expanded + params[at + 1 :]
        method.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        return method  # type: ignore[return-value]

    return decorate


def _too_many_positional(fn: Callable[..., Any], given: int, keyword_only: int) -> str:
    """CPython's TypeError message for `given` positional arguments to `fn`."""
    count, defaults = fn.__code__.co_argcount, len(fn.__defaults__ or ())
    expected = f"from {count - defaults} to {count}" if defaults else str(count)
    plural = "s" if defaults or count != 1 else ""
    also = ""
    if keyword_only:
        s, ks = ("s" if given != 1 else ""), ("s" if keyword_only != 1 else "")
        also = f" positional argument{s} (and {keyword_only} keyword-only argument{ks})"
    verb = "was" if given == 1 and not keyword_only else "were"
    name = fn.__qualname__
    return f"{name}() takes {expected} positional argument{plural} but {given}{also} {verb} given"


def download_to(
    refresh: Call,
    url_pointer: str,
    target: str,
    on_progress: Callable[[int, int | None], Any] | None,
    progress: bool,
) -> Generator[Any, Any, Path]:
    """Stream the signed URL at `url_pointer` of `refresh`'s answer to `target`
    (fetched again if it expired); the `pathlib.Path` written."""
    report = yield Download(
        refresh=refresh,
        url_pointer=url_pointer,
        path=target,
        on_progress=on_progress,
        progress=progress,
    )
    return Path(report["path"])
