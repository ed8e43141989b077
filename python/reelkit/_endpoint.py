"""How an endpoint is declared once and served both sync and async.

A resource method is written once, as a plain function that validates its input and
returns a *plan*: one step (`Call`, `Wait`, `Download`) or a generator that yields
steps and receives their results (for composites such as `create_and_wait`). The
`@endpoint` decorator hands the plan to the client's driver: the sync clients run it
to completion, the asyncio clients return a coroutine that awaits each step. So
every endpoint has exactly one definition, and both surfaces derive from it.

A list endpoint's lazy walk over all pages is a `Paginate` plan: how to fetch the page
at a cursor, its items, and the next cursor. The sync clients turn it into an
iterator, the asyncio clients into an async iterator, both fetching page by page.

Every endpoint also has a raw-response twin (`client.videos.with_raw_response.get(id)`,
see `_response.py`): the same plan, run by the driver's `_run_raw`, which returns the
HTTP status, headers, request id and time of the last API call with `.parse()`.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import os
from collections.abc import Callable, Generator, Iterable
from typing import Any, ClassVar, TypeVar

from . import _errors
from ._validation import check_callable, check_mapping, check_seconds

T = TypeVar("T")

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclasses.dataclass
class Call:
    """One HTTP request and how to turn its payload into a model."""

    _kind: ClassVar[str] = "call"  # what the drivers dispatch on (see `_client.py`)
    method: str
    path: str
    query: list[tuple[str, str]] | None = None
    body: dict[str, Any] | None = None
    parse: Callable[[Any], Any] | None = None
    #: Reads are retried freely; anything else may spend credits and is resent only
    #: when the server provably did not act on it (see crates/reelkit-core/src/retry.rs).
    idempotent: bool | None = None
    timeout: float | None = None
    max_retries: int | None = None
    headers: list[tuple[str, str]] | None = None
    #: Shown when a credit-spending request's outcome is unknown: how to check.
    hint: str | None = None
    #: Set by the raw-response driver: the native client then also returns the
    #: response's status, headers, request id and elapsed time.
    raw_response: bool = False

    def __post_init__(self) -> None:
        if self.idempotent is None:
            self.idempotent = self.method.upper() in _SAFE_METHODS


@dataclasses.dataclass
class Wait:
    """Poll `call` until a terminal status (see crates/reelkit-core/src/poll.rs)."""

    _kind: ClassVar[str] = "wait"
    call: Call
    job_id: str
    parse: Callable[[Any], Any]
    complete: list[str]
    failed: list[str]
    schedule: list[tuple[float, float]]
    timeout: float
    poll_interval: float | None = None
    on_progress: Callable[[Any], Any] | None = None
    status_pointer: str = "/status"
    complete_requires: str | None = None
    #: Builds (code, message) from the final failed status model.
    failure: Callable[[Any], tuple[str | None, str | None]] = lambda status: (None, None)
    #: How to resume waiting, for the timeout message, e.g. "client.exports.wait('x')".
    resume: str = ""
    #: Show a progress bar (see `_progress.py`) alongside `on_progress`.
    progress: bool = False

    def __post_init__(self) -> None:
        self.progress = _check_progress(self.progress)
        check_callable("on_progress", self.on_progress)
        if self.poll_interval is None:
            env = os.environ.get("REELKIT_POLL_INTERVAL")
            if env:
                try:
                    self.poll_interval = float(env)
                except ValueError:
                    raise _errors.ValidationError(
                        "REELKIT_POLL_INTERVAL", f"must be a number of seconds, got {env!r}"
                    ) from None


@dataclasses.dataclass
class Download:
    """Stream a signed URL to disk (see crates/reelkit-core/src/download.rs)."""

    _kind: ClassVar[str] = "download"
    refresh: Call
    url_pointer: str
    path: str
    url: str | None = None
    on_progress: Callable[[int, int | None], Any] | None = None
    max_url_refreshes: int = 3
    max_retries: int = 5
    #: Show a progress bar (see `_progress.py`) alongside `on_progress`.
    progress: bool = False

    def __post_init__(self) -> None:
        self.progress = _check_progress(self.progress)
        check_callable("on_progress", self.on_progress)


def _check_progress(value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _errors.ValidationError("progress", f"must be True or False, got {value!r}")
    return value


@dataclasses.dataclass
class Paginate:
    """Walk a paginated list lazily, one page request at a time. `fetch(cursor)` is the
    Call for the page at `cursor` (its `parse` gives the page model), `items(page)` the
    page's items and `next_cursor(page, cursor)` where the next page starts, or None
    when this was the last page."""

    _kind: ClassVar[str] = "paginate"
    fetch: Callable[[Any], Call]
    items: Callable[[Any], Iterable[Any]]
    next_cursor: Callable[[Any, Any], Any]
    start: Any = None


Step = Call | Wait | Download
Plan = Step | Paginate | Generator[Step, Any, Any]

# Per-request options every endpoint accepts (applied to each Call of its plan).
_OPTIONS = ("extra_headers", "extra_query", "extra_body", "timeout", "max_retries")


def _check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Validate the per-request options before anything is built or sent."""
    for name in ("extra_headers", "extra_query", "extra_body"):
        check_mapping(name, options.get(name))
    if options.get("timeout") is not None:
        options["timeout"] = check_seconds("timeout", options["timeout"], positive=True)
    retries = options.get("max_retries")
    if retries is not None and (
        isinstance(retries, bool) or not isinstance(retries, int) or retries < 0
    ):
        raise _errors.ValidationError(
            "max_retries", f"must be a whole number >= 0, got {retries!r}"
        )
    return options


def _apply_options(step: Step, options: dict[str, Any]) -> Step:
    if not options:
        return step
    if isinstance(step, Wait):
        _apply_options(step.call, options)
        return step
    if isinstance(step, Download):
        _apply_options(step.refresh, options)
        return step
    if options.get("extra_headers"):
        step.headers = list(step.headers or []) + [
            (str(k), str(v)) for k, v in dict(options["extra_headers"]).items()
        ]
    if options.get("extra_query"):
        step.query = list(step.query or []) + [
            (str(k), str(v)) for k, v in dict(options["extra_query"]).items()
        ]
    if options.get("extra_body"):
        if step.method.upper() in _SAFE_METHODS:
            raise _errors.ValidationError("extra_body", f"{step.method} requests have no body")
        step.body = {**(step.body or {}), **dict(options["extra_body"])}
    if options.get("timeout") is not None:
        step.timeout = options["timeout"]
    if options.get("max_retries") is not None:
        step.max_retries = options["max_retries"]
    return step


def _with_options(plan: Plan, options: dict[str, Any]) -> Plan:
    if not options:
        return plan
    if isinstance(plan, (Call, Wait, Download)):
        return _apply_options(plan, options)
    if isinstance(plan, Paginate):
        # Every page request carries the options, not just the first. Applying them
        # once to the first page's Call now raises a bad option (extra_body on a GET)
        # at the call, as for other endpoints, instead of at the first iteration.
        fetch = plan.fetch
        _apply_options(fetch(plan.start), options)
        return dataclasses.replace(
            plan, fetch=lambda cursor: _apply_options(fetch(cursor), options)
        )

    def wrapped() -> Generator[Step, Any, Any]:
        result = None
        try:
            step = plan.send(None)
            while True:
                result = yield _apply_options(step, options)
                step = plan.send(result)
        except StopIteration as stop:
            return stop.value

    return wrapped()


def endpoint(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Declare a resource method. `fn(self, ...)` validates and returns a plan; the
    decorated method runs it on the owning client's driver (sync or async). Every
    endpoint also accepts `extra_headers`, `extra_query`, `extra_body`, `timeout`
    and `max_retries` keyword arguments."""

    def plan(self: Any, *args: Any, **kwargs: Any) -> Plan:
        options = {k: kwargs.pop(k) for k in _OPTIONS if k in kwargs and k not in _own_params}
        _check_options(options)
        return _with_options(fn(self, *args, **kwargs), options)

    @functools.wraps(fn)
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return self._client._run(plan(self, *args, **kwargs))

    signature = inspect.signature(fn)
    _own_params = set(signature.parameters)
    extra = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None)
        for name in _OPTIONS
        if name not in _own_params
    ]
    params = list(signature.parameters.values())
    var_kw = [p for p in params if p.kind is inspect.Parameter.VAR_KEYWORD]
    params = [p for p in params if p.kind is not inspect.Parameter.VAR_KEYWORD] + extra + var_kw
    method.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    method.__reelkit_endpoint__ = True  # type: ignore[attr-defined]
    method.__reelkit_plan__ = plan  # type: ignore[attr-defined]
    # `iter` / `iter_*` methods walk pages: an iterator (sync) or async iterator.
    method.__reelkit_paginated__ = fn.__name__ == "iter" or fn.__name__.startswith("iter_")  # type: ignore[attr-defined]
    return method


def _coroutine(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    async def coroutine(self: Any, *args: Any, **kwargs: Any) -> Any:
        return await method(self, *args, **kwargs)

    return coroutine


def async_variant(resource: type[Resource]) -> type[Resource]:
    """The asyncio twin of a resource class, derived from its one declaration: every
    endpoint becomes an `async def` (so `inspect.iscoroutinefunction` and IDEs see
    coroutines); paginating `iter*` methods keep returning async iterators."""
    namespace: dict[str, Any] = {
        "__doc__": resource.__doc__,
        "__module__": resource.__module__,
        "__qualname__": "Async" + resource.__qualname__,
        "_is_async": True,
    }
    for name in dir(resource):
        member = getattr(resource, name)
        if getattr(member, "__reelkit_endpoint__", False) and not getattr(
            member, "__reelkit_paginated__", False
        ):
            namespace[name] = _coroutine(member)
    return type("Async" + resource.__name__, (resource,), namespace)


def _raw_method(endpoint_method: Callable[..., Any], is_async: bool) -> Callable[..., Any]:
    """The raw-response twin of one endpoint: the same plan, run by `_run_raw`."""
    plan = endpoint_method.__reelkit_plan__  # type: ignore[attr-defined]
    paginated = getattr(endpoint_method, "__reelkit_paginated__", False)

    @functools.wraps(endpoint_method)
    def method(self: RawResponses, *args: Any, **kwargs: Any) -> Any:
        resource = self._resource
        return resource._client._run_raw(plan(resource, *args, **kwargs))

    if is_async and not paginated:
        return _coroutine(method)
    return method


class RawResponses:
    """`resource.with_raw_response`: every endpoint of `resource`, returning an
    `APIResponse` (status, headers, request id, elapsed, `.parse()`) instead of the
    model; `iter*` methods yield one `APIResponse` per page."""

    def __init__(self, resource: Resource) -> None:
        self._resource = resource

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._resource._client!r}>"


def _raw_class(resource: type[Resource]) -> type[RawResponses]:
    is_async = resource._is_async
    name = resource.__name__ + "WithRawResponse"
    namespace: dict[str, Any] = {"__module__": resource.__module__, "__qualname__": name}
    for attr in dir(resource):
        member = getattr(resource, attr)
        if getattr(member, "__reelkit_plan__", None) is not None:
            namespace[attr] = _raw_method(member, is_async)
    return type(name, (RawResponses,), namespace)


class Resource:
    """A group of endpoints (`client.videos`, ...), bound to one client. Declared once
    (sync signatures); `async_variant` derives the asyncio class."""

    _is_async = False
    #: Per resource class: its `RawResponses` class (built on first use).
    _raw_responses: type[RawResponses] | None = None

    def __init__(self, client: Any) -> None:
        self._client = client

    @property
    def with_raw_response(self) -> Any:
        """The same endpoints, each returning an `APIResponse` (HTTP status, headers,
        request id, elapsed time; `.parse()` gives the usual result)."""
        cls = type(self)
        raw = cls.__dict__.get("_raw_responses")
        if raw is None:
            raw = _raw_class(cls)
            cls._raw_responses = raw
        return raw(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"
