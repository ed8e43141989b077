"""Client configuration and the two drivers (sync and asyncio) that run endpoint
plans on the native transport. Provider clients (`Hoox`, `AsyncHoox`, `Hooked`,
`AsyncHooked`) are a provider definition plus one of these drivers.

Building a client loads nothing it does not need yet: resource groups
(`client.videos`) import their endpoints and models on first use, and asyncio,
`_endpoint` (dataclasses, inspect) and the progress display load with the first
request that needs them. That keeps `import reelkit; reelkit.Hoox()` fast (README,
"First call")."""

from __future__ import annotations

import importlib
import os
import weakref
from collections.abc import AsyncIterator, Generator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TypeVar

from . import _errors, _logging, _native
from ._ratelimit import RateLimit, native_rate_limit
from ._validation import check_seconds

if TYPE_CHECKING:
    from ._endpoint import Call, Download, Paginate, Plan, Step, Wait
    from ._progress import Display
    from ._response import APIResponse

__all__ = ["ProviderInfo", "SyncClient", "AsyncClient", "resource"]

# Plan kinds (`_endpoint.Call._kind`, ...): the drivers dispatch on them, so this
# module does not import `_endpoint` (and dataclasses, inspect) at import time.
_CALL, _WAIT, _DOWNLOAD, _PAGINATE = "call", "wait", "download", "paginate"


def _kind(plan: Any) -> str:
    return getattr(plan, "_kind", "drive")  # a generator: a composite plan


class ProviderInfo(NamedTuple):
    name: str
    native_name: str
    key_env: str
    base_url_env: str
    default_base_url: str


class _LazyResource:
    """A client attribute (`client.videos`): the resource class is imported, and
    the instance built and cached on the client, on first access."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name, self.attr = module, name, name

    def __set_name__(self, owner: type, attr: str) -> None:
        self.attr = attr

    def __get__(self, client: Any, owner: type | None = None) -> Any:
        if client is None:
            return self
        _logging.install()  # the first request is near: route the core's records
        value = getattr(importlib.import_module(self.module), self.name)(client)
        client.__dict__[self.attr] = value
        return value


def resource(module: str, name: str) -> Any:
    """Declare a resource group of a client class: `videos: _r.Videos =
    resource("reelkit._resources.hooked", "Videos")`."""
    return _LazyResource(module, name)


def _response(meta: Any, **kwargs: Any) -> APIResponse[Any]:
    from ._response import APIResponse

    return APIResponse(meta, **kwargs)


class _Secret:
    """Holds the API key so that no repr, vars() dump or log line shows it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<redacted>"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("the API key is not picklable on its own")


def _restore(cls: type, config: dict[str, Any]) -> Any:
    return cls(**config)


_Client = TypeVar("_Client", bound="_ClientBase")


class _ClientBase:
    _provider: ClassVar[ProviderInfo]

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 2,
        default_headers: Mapping[str, str] | None = None,
        allow_insecure_http: bool = False,
        pickle_api_key: bool = False,
        rate_limit: int | bool | RateLimit | None = None,
    ) -> None:
        info = self._provider
        # Read the environment here, at construction (never as a default argument).
        if api_key is None:
            api_key = os.environ.get(info.key_env)
        if not api_key:
            raise _errors.ReelkitError(
                f"No {info.name} API key: pass api_key=... or set the {info.key_env} "
                "environment variable."
            )
        if not isinstance(api_key, str):
            raise _errors.ValidationError(
                "api_key", f"must be a string, got {type(api_key).__name__}"
            )
        if base_url is None:
            base_url = os.environ.get(info.base_url_env) or info.default_base_url
        check_seconds("timeout", timeout, positive=True)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise _errors.ValidationError(
                "max_retries", f"must be a whole number >= 0, got {max_retries!r}"
            )
        headers = [(str(k), str(v)) for k, v in (default_headers or {}).items()]
        native_limit = native_rate_limit(rate_limit)
        self._api_key = _Secret(api_key)
        self._config = {
            "base_url": base_url,
            "timeout": float(timeout),
            "max_retries": max_retries,
            "default_headers": dict(headers),
            "allow_insecure_http": allow_insecure_http,
            "pickle_api_key": pickle_api_key,
            "rate_limit": rate_limit,
        }
        _logging.refresh()
        try:
            self._native = _native.NativeClient(
                info.native_name,
                api_key,
                base_url,
                float(timeout),
                max_retries,
                headers,
                allow_insecure_http,
                native_limit,
            )
        except _native.NativeError as exc:
            raise self._error(exc) from None

    # -- configuration -------------------------------------------------------------

    #: The resource group attributes (`scripts`, `videos`, ...), in declaration order.
    _resource_names: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = tuple(n for n, v in vars(cls).items() if isinstance(v, _LazyResource))
        cls._resource_names = cls._resource_names + own

    @property
    def base_url(self) -> str:
        return str(self._config["base_url"])

    @property
    def timeout(self) -> float:
        return float(self._config["timeout"])

    @property
    def max_retries(self) -> int:
        return int(self._config["max_retries"])

    @property
    def rate_limit(self) -> int | bool | RateLimit | None:
        """The `rate_limit=` this client was built with (None = the default)."""
        value: int | bool | RateLimit | None = self._config["rate_limit"]
        return value

    def with_options(
        self: _Client,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
        rate_limit: int | bool | RateLimit | None = None,
    ) -> _Client:
        """A copy with other defaults that shares this client's connection pool and
        rate-limit budget (`rate_limit=None` keeps this client's setting)."""
        if timeout is not None:
            check_seconds("timeout", timeout, positive=True)
        if max_retries is not None and (
            isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0
        ):
            raise _errors.ValidationError(
                "max_retries", f"must be a whole number >= 0, got {max_retries!r}"
            )
        native_limit = None if rate_limit is None else native_rate_limit(rate_limit)
        clone = object.__new__(type(self))
        clone._api_key = self._api_key
        clone._config = dict(self._config)
        if timeout is not None:
            clone._config["timeout"] = float(timeout)
        if max_retries is not None:
            clone._config["max_retries"] = max_retries
        if rate_limit is not None:
            clone._config["rate_limit"] = rate_limit
        try:
            clone._native = self._native.with_options(
                float(timeout) if timeout is not None else None, max_retries, native_limit
            )
        except _native.NativeError as exc:
            raise self._error(exc) from None
        return clone

    def __repr__(self) -> str:
        limit = self._config["rate_limit"]
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, timeout={self.timeout}, "
            f"max_retries={self.max_retries}"
            + (f", rate_limit={limit!r}" if limit is not None else "")
            + ")"
        )

    def __reduce__(self) -> Any:
        # Pickled as configuration; the key travels only when the user opted in,
        # otherwise the receiving process reads it from its environment.
        config = dict(self._config)
        config["api_key"] = self._api_key.get() if config["pickle_api_key"] else None
        return (_restore, (type(self), config))

    # -- shared step handling ------------------------------------------------------

    def _error(self, exc: BaseException, hint: str | None = None) -> _errors.ReelkitError:
        fields = (
            exc.args[0] if exc.args and isinstance(exc.args[0], dict) else {"message": str(exc)}
        )
        return _errors.from_native(fields, hint=hint, secrets=(self._api_key.get(),))

    @staticmethod
    def _display(step: Wait | Download) -> Display | None:
        """The progress display a `progress=True` step asked for, else None."""
        if not step.progress:
            return None
        from . import _progress

        if step._kind == _WAIT:
            # "/generation/status/job_1" -> "generation job_1"; "/video/v1" -> "video v1".
            kind = step.call.path.strip("/").split("/", 1)[0]
            return _progress.open_display(f"{kind} {step.job_id}", "wait")
        return _progress.open_display(os.path.basename(step.path) or step.path, "download")

    @staticmethod
    def _on_status(step: Wait, display: Display | None) -> Any:
        """The native poller's callback: parse each status once (so a status without
        a documented field fails at once, not at the deadline), then show it and hand
        it to the user's `on_progress`."""
        callback = step.on_progress
        parse = step.parse

        def on_status(raw: Any) -> None:
            status = parse(raw)
            if display is not None:
                display.status(status)
            if callback is not None:
                callback(status)

        return on_status

    @staticmethod
    def _with_display(step: Download, display: Display | None) -> Download:
        """The download step with its byte callback also feeding `display`."""
        if display is None:
            return step
        callback = step.on_progress

        def on_bytes(done: int, total: int | None) -> None:
            display.bytes(done, total)
            if callback is not None:
                callback(done, total)

        import dataclasses

        return dataclasses.replace(step, on_progress=on_bytes)

    def _finish_wait(self, step: Wait, result: dict[str, Any], display: Display | None) -> Any:
        if display is not None and result.get("value") is not None:
            # The display ends on the final status (completed, failed or the last seen).
            display.status(step.parse(result["value"]))
        return self._wait_result(step, result)

    def _wait_result(self, step: Wait, result: dict[str, Any]) -> Any:
        outcome = result["outcome"]
        if outcome == "complete":
            return step.parse(result["value"])
        if outcome == "complete_missing":
            raise self._missing_after_complete(step, result)
        if outcome == "failed":
            status = step.parse(result["value"])
            code, message = step.failure(status)
            text = f"Job {step.job_id} failed"
            if code:
                text += f" with {code}"
            if message:
                text += f": {message}"
            raise _errors.JobFailedError(
                text, job_id=step.job_id, code=code, error_message=message, status=status
            )
        last = step.parse(result["value"]) if result.get("value") is not None else None
        last_error = result.get("last_error")
        text = (
            f"Job {step.job_id} did not finish within {step.timeout:g} s"
            + (f" (last status: {last.status})" if last is not None else "")
            + ". It may still be running and spending credits"
            + (f"; resume with {step.resume}" if step.resume else "")
            + "."
        )
        if last_error:
            text += f" Last polling error: {last_error.get('message')}"
        raise _errors.WaitTimeoutError(
            text,
            job_id=step.job_id,
            last_status=last,
            timeout=step.timeout,
            last_error=self._error(_native.NativeError(last_error)) if last_error else None,
        )

    @staticmethod
    def _missing_after_complete(step: Wait, result: dict[str, Any]) -> _errors.APIResponseError:
        """A terminal status still lacking the field `complete_requires` names after
        the core's bounded extra polls (src/core/poll.rs): the job is done, so this
        is a response problem, never a timeout."""
        status = step.parse(result["value"])
        field = (step.complete_requires or "").strip("/").replace("/", ".")
        error = _errors.APIResponseError(
            f"Job {step.job_id} completed (status {status.status!r}), but its status has no "
            f"`{field}` after {result.get('extra_polls', 0)} more polls over "
            f"{result.get('extra_seconds', 0.0):.1f} s. The job is finished (it is not "
            f"running or spending credits); the API did not give its URL. Check again "
            f"later with {step.resume or 'the status endpoint'}.",
            method=step.call.method,
            path=step.call.path,
            body=result["value"],
        )
        error.job_id = step.job_id
        error.status = status  # type: ignore[attr-defined]
        return error

    @staticmethod
    def _response_error(
        exc: _errors.APIResponseError, step: Call, meta: Any = None
    ) -> _errors.APIResponseError:
        """Name the endpoint (and request id) in a model's missing-field error; a
        credit-spending call's 2xx means the server acted on it."""
        if exc.path is None:
            exc.method, exc.path = step.method, step.path
            request_id = meta.get("request_id") if isinstance(meta, dict) else None
            exc.request_id = exc.request_id or request_id
            text = f"{step.method} {step.path}: {exc}"
            if request_id:
                text += f" (request id {request_id})"
            if not step.idempotent:
                exc.may_have_acted = True
                text += ". The server accepted the request" + (
                    f": {step.hint}" if step.hint else "."
                )
            exc._text = text
            exc.args = (text,)
        return exc

    def _step_response_error(
        self, exc: _errors.APIResponseError, step: Wait | Download
    ) -> _errors.APIResponseError:
        if step._kind == _DOWNLOAD:
            return self._response_error(exc, step.refresh)
        if exc.path is None:
            self._response_error(exc, step.call)
            exc.job_id = step.job_id
            exc._annotate(
                f" [while waiting for job {step.job_id}"
                + (f"; resume with {step.resume}]" if step.resume else "]")
            )
        return exc

    def _parse(self, step: Call, payload: Any, meta: Any = None) -> Any:
        if step.parse is None:
            return payload
        try:
            return step.parse(payload)
        except _errors.APIResponseError as exc:
            raise self._response_error(exc, step, meta) from None

    def _call_response(self, call: Call, payload: Any, meta: Any) -> APIResponse[Any]:
        """The `APIResponse` of a single call: its payload is parsed only by `.parse()`."""
        return _response(
            meta,
            method=call.method,
            path=call.path,
            parse=lambda: self._parse(call, payload, meta),
        )

    @staticmethod
    def _raw_response(rec: list[tuple[Step, Any]], value: Any) -> APIResponse[Any]:
        """The `APIResponse` of a multi-step plan: its last API call's, with `value`."""
        step, meta = rec[-1]
        call = step if step._kind == _CALL else step.call if step._kind == _WAIT else step.refresh
        return _response(
            meta or {"status_code": 0}, method=call.method, path=call.path, value=value
        )

    def _step_error(self, exc: BaseException, step: Step) -> _errors.ReelkitError:
        error = self._error(exc, step.hint if step._kind == _CALL else None)
        if step._kind == _WAIT:
            # Whatever broke the wait, the job may still be running: say which one.
            error.job_id = step.job_id  # type: ignore[attr-defined]
            error._annotate(
                f" [while waiting for job {step.job_id}"
                + (f"; resume with {step.resume}]" if step.resume else "]")
            )
        return error


_Sync = TypeVar("_Sync", bound="SyncClient")
_Async = TypeVar("_Async", bound="AsyncClient")


class SyncClient(_ClientBase):
    """Runs endpoint plans to completion on the calling thread (GIL released)."""

    def _run(self, plan: Plan) -> Any:
        if _kind(plan) in (_CALL, _WAIT, _DOWNLOAD):
            return self._step(plan)
        if _kind(plan) == _PAGINATE:
            return self._paginate(plan)
        return self._drive(plan)

    def _run_raw(self, plan: Plan) -> Any:
        """`with_raw_response`: the plan's result as an `APIResponse` of its last call
        (a single call's payload is parsed only by `.parse()`); pages one by one."""
        if _kind(plan) == _PAGINATE:
            return self._paginate_raw(plan)
        if _kind(plan) == _CALL:
            payload, meta = self._request_raw(plan)
            return self._call_response(plan, payload, meta)
        rec: list[tuple[Step, Any]] = []
        if _kind(plan) in (_WAIT, _DOWNLOAD):
            value = self._step(plan, rec)
        else:
            value = self._drive(plan, rec)
        return self._raw_response(rec, value)

    def _request_raw(self, step: Call) -> tuple[Any, Any]:
        step.raw_response = True
        try:
            payload, meta = self._native.request(step)
        except _native.NativeError as exc:
            raise self._step_error(exc, step) from None
        return payload, meta

    def _paginate(self, plan: Paginate) -> Iterator[Any]:
        # A generator: nothing is requested until the caller asks for the first item.
        cursor = plan.start
        while True:
            page = self._step(plan.fetch(cursor))
            yield from plan.items(page)
            cursor = plan.next_cursor(page, cursor)
            if cursor is None:
                return

    def _paginate_raw(self, plan: Paginate) -> Iterator[APIResponse[Any]]:
        cursor = plan.start
        while True:
            call = plan.fetch(cursor)
            payload, meta = self._request_raw(call)
            page = self._parse(call, payload, meta)
            yield _response(meta, method=call.method, path=call.path, value=page)
            cursor = plan.next_cursor(page, cursor)
            if cursor is None:
                return

    def _drive(self, plan: Generator[Step, Any, Any], rec: list[Any] | None = None) -> Any:
        send: Any = plan.send
        value: Any = None
        while True:
            try:
                step = send(value)
            except StopIteration as stop:
                return stop.value
            try:
                value, send = self._step(step, rec), plan.send
            except Exception as exc:  # let the composite see (and maybe handle) it
                value, send = exc, plan.throw

    def _step(self, step: Step, rec: list[Any] | None = None) -> Any:
        native = self._native
        if step._kind == _CALL:
            if rec is not None:
                payload, meta = self._request_raw(step)
                rec.append((step, meta))
                return self._parse(step, payload, meta)
            try:
                raw = native.request(step)
            except _native.NativeError as exc:
                raise self._step_error(exc, step) from None
            return self._parse(step, raw)
        display = self._display(step)
        ok = False
        try:
            if step._kind == _WAIT:
                result = native.wait(step, self._on_status(step, display))
                if rec is not None:
                    rec.append((step, result.get("response")))
                value = self._finish_wait(step, result, display)
            else:
                value = native.download(self._with_display(step, display))
                if rec is not None:
                    rec.append((step, value.get("response")))
            ok = True
            return value
        except _native.NativeError as exc:
            raise self._step_error(exc, step) from None
        except _errors.APIResponseError as exc:
            raise self._step_response_error(exc, step) from None
        finally:
            if display is not None:
                display.close(ok)

    def close(self) -> None:
        """Close pooled connections."""
        self._native.close()

    def __enter__(self: _Sync) -> _Sync:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


# One native completion queue per event loop (see src/py/bridge.rs): results come
# back on the loop's own thread, a burst of them with a single wake-up. Loops that
# cannot watch a socket (Windows' proactor) map to None and use the portable path.
_bridges: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_last_bridge: tuple[Any, Any] = (None, None)


def _loop_bridge(loop: Any) -> Any:
    global _last_bridge
    last_loop, bridge = _last_bridge
    if last_loop is loop:
        return bridge
    try:
        bridge = _bridges[loop]
    except KeyError:
        try:
            bridge = _native.LoopBridge(loop)
        except NotImplementedError:
            bridge = None
        _bridges[loop] = bridge
    _last_bridge = (loop, bridge)
    return bridge


_get_running_loop: Any = None


async def _native_await(start: Any, *args: Any) -> Any:
    """Run a native async operation (`request_async`, ...) and await its result;
    cancelling the waiter aborts the operation (closing its connection)."""
    global _get_running_loop
    if _get_running_loop is None:  # asyncio is imported once a coroutine runs
        import asyncio

        _get_running_loop = asyncio.get_running_loop
    loop = _get_running_loop()
    bridge = _loop_bridge(loop)
    if bridge is None:
        # pyo3-async-runtimes' awaitable: cancelling it drops the Rust future.
        return await start(*args)
    future = loop.create_future()
    task = start(*args, future, bridge)
    try:
        return await future
    except BaseException:
        task.abort()  # a no-op once the operation has finished
        raise


class AsyncClient(_ClientBase):
    """Runs endpoint plans as coroutines on the shared tokio runtime."""

    def _run(self, plan: Plan) -> Any:
        if _kind(plan) in (_CALL, _WAIT, _DOWNLOAD):
            return self._step(plan)
        if _kind(plan) == _PAGINATE:
            return self._paginate(plan)
        return self._drive(plan)

    def _run_raw(self, plan: Plan) -> Any:
        """The asyncio `_run_raw` (see `SyncClient._run_raw`)."""
        if _kind(plan) == _PAGINATE:
            return self._paginate_raw(plan)
        return self._raw(plan)

    async def _raw(self, plan: Plan) -> APIResponse[Any]:
        if _kind(plan) == _CALL:
            payload, meta = await self._request_raw(plan)
            return self._call_response(plan, payload, meta)
        rec: list[tuple[Step, Any]] = []
        if _kind(plan) in (_WAIT, _DOWNLOAD):
            value = await self._step(plan, rec)
        else:
            value = await self._drive(plan, rec)  # type: ignore[arg-type]
        return self._raw_response(rec, value)

    async def _request_raw(self, step: Call) -> tuple[Any, Any]:
        step.raw_response = True
        try:
            payload, meta = await _native_await(self._native.request_async, step)
        except _native.NativeError as exc:
            raise self._step_error(exc, step) from None
        return payload, meta

    async def _paginate(self, plan: Paginate) -> AsyncIterator[Any]:
        # An async generator (used with `async for`, not awaited), fetching lazily.
        cursor = plan.start
        while True:
            page = await self._step(plan.fetch(cursor))
            for item in plan.items(page):
                yield item
            cursor = plan.next_cursor(page, cursor)
            if cursor is None:
                return

    async def _paginate_raw(self, plan: Paginate) -> AsyncIterator[APIResponse[Any]]:
        cursor = plan.start
        while True:
            call = plan.fetch(cursor)
            payload, meta = await self._request_raw(call)
            page = self._parse(call, payload, meta)
            yield _response(meta, method=call.method, path=call.path, value=page)
            cursor = plan.next_cursor(page, cursor)
            if cursor is None:
                return

    async def _drive(self, plan: Generator[Step, Any, Any], rec: list[Any] | None = None) -> Any:
        send: Any = plan.send
        value: Any = None
        while True:
            try:
                step = send(value)
            except StopIteration as stop:
                return stop.value
            try:
                value, send = await self._step(step, rec), plan.send
            except Exception as exc:
                value, send = exc, plan.throw

    async def _step(self, step: Step, rec: list[Any] | None = None) -> Any:
        native = self._native
        if step._kind == _CALL:
            if rec is not None:
                payload, meta = await self._request_raw(step)
                rec.append((step, meta))
                return self._parse(step, payload, meta)
            try:
                raw = await _native_await(native.request_async, step)
            except _native.NativeError as exc:
                raise self._step_error(exc, step) from None
            return self._parse(step, raw)
        display = self._display(step)
        ok = False
        try:
            if step._kind == _WAIT:
                result = await _native_await(
                    native.wait_async, step, self._on_status(step, display)
                )
                if rec is not None:
                    rec.append((step, result.get("response")))
                value = self._finish_wait(step, result, display)
            else:
                value = await _native_await(
                    native.download_async, self._with_display(step, display)
                )
                if rec is not None:
                    rec.append((step, value.get("response")))
            ok = True
            return value
        except _native.NativeError as exc:
            raise self._step_error(exc, step) from None
        except _errors.APIResponseError as exc:
            raise self._step_response_error(exc, step) from None
        finally:
            if display is not None:
                display.close(ok)

    async def close(self) -> None:
        """Close pooled connections."""
        self._native.close()

    async def __aenter__(self: _Async) -> _Async:
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.close()
