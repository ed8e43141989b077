"""What Hoox resources share: allowed values, checks, the budget, job waits."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Generator, Sequence
from typing import Any

from ... import _credits
from ..._endpoint import Call, Wait
from ..._errors import APIResponseError, ValidationError
from ..._validation import (
    check_bool,
    check_callable,
    check_enum,
    check_mapping,
    check_number,
    check_str_list,
)
from .._common import check_timeout, segment

# generation/export `format`: the server (Oct 2025) accepted vertical/square/ads/custom;
# the newest docs and the official MCP client (hoox-mcp 0.1.7) also send `horizontal`,
# so we accept it (the server answers invalid_format if it still refuses).
VIDEO_FORMATS = ("vertical", "horizontal", "square", "ads", "custom")
# The `gender` filter of /avatar/list and /voice/list (hoox.md §3.9, newest).
AVATAR_GENDERS = ("male", "female")

# `/avatar/list`, `/avatar/status`, `/voice/list` share their prefix with
# `/avatar/{id}` and `/voice/{id}`: such an id would call the wrong route.
_RESERVED_IDS = frozenset({"list", "status"})

SPACE_HINT = "Check your Hoox space (app.hoox.video) for {what} before trying again."


def poll_interval_of(value: Any) -> float | None:
    return None if value is None else check_timeout("poll_interval", value)


def route_id(field: str, value: Any) -> str:
    """A path segment for an id that must not collide with a sibling route."""
    text = segment(field, value)
    if text.lower() in _RESERVED_IDS:
        raise ValidationError(field, f"{value!r} is not an id (it names another route)")
    return text


def failure(status: Any) -> tuple[str | None, str | None]:
    """(code, message) of a failed job's `error` object, for `JobFailedError`."""
    code = getattr(status, "error_code", None)
    return (str(code).upper() if code else None), getattr(status, "error_message", None)


def items_of(raw: Any, key: str) -> list[Any]:
    """A bare array, or the array under `key` (tolerates a wrapped list)."""
    if isinstance(raw, dict):
        raw = raw.get(key)
    return raw if isinstance(raw, list) else []


def check_width_height(
    format: str | None, width: Any, height: Any, *, unset_may_be_custom: bool = False
) -> None:
    check_number("width", width, minimum=1, maximum=5000, integer=True)
    check_number("height", height, minimum=1, maximum=5000, integer=True)
    # The API uses width/height only with format="custom"; elsewhere they would be
    # silently ignored, which is never what the caller meant. An export without a
    # format keeps the video's own, which may be custom, so it is let through.
    if format == "custom" or (format is None and unset_may_be_custom):
        return
    for field, value in (("width", width), ("height", height)):
        if value is not None:
            raise ValidationError(field, 'is only used with format="custom"')


def check_flags(field: str, value: Any, keys: Sequence[str]) -> dict[str, bool] | None:
    """An object of documented boolean switches, e.g. `enable` or `web_search`."""
    flags = check_mapping(field, value)
    for key, flag in (flags or {}).items():
        if key not in keys:
            raise ValidationError(
                f"{field}.{key}", f"unknown key; expected one of {', '.join(map(repr, keys))}"
            )
        check_bool(f"{field}.{key}", flag)
    return flags


def multi(field: str, value: Any, allowed: Sequence[str] | None = None) -> str | None:
    """A multi-value query filter: a list or a comma string, sent comma-separated."""
    if value is None:
        return None
    if isinstance(value, str):
        items = [part.strip() for part in value.split(",") if part.strip()]
    else:
        items = check_str_list(field, value) or []
        items = [item.strip() for item in items]
    if not items:
        raise ValidationError(field, "must name at least one value")
    for item in items:
        if allowed is not None:
            check_enum(field, item, allowed)
    return ",".join(items)


def bool_query(value: bool) -> str:
    return "true" if value else "false"


def estimate_budget(max_credits: Any, estimate: Callable[[], float]) -> None:
    """Refuse before sending when the estimate exceeds `max_credits`."""
    if _credits.check_max_credits(max_credits) is None:
        return
    _credits.check_budget(estimate(), max_credits)


def job_wait(
    call: Call,
    job_id: str,
    *,
    parse: Callable[[Any], Any],
    schedule: list[tuple[float, float]],
    resume: str,
    timeout: Any,
    poll_interval: Any,
    on_progress: Any,
    progress: Any,
    complete: Sequence[str] = ("completed",),
    failed: Sequence[str] = ("failed",),
    complete_requires: str | None = None,
) -> Wait:
    """Poll `call` until the job is complete (returned) or failed (`JobFailedError`)."""
    return Wait(
        call=call,
        job_id=job_id,
        parse=parse,
        complete=list(complete),
        failed=list(failed),
        complete_requires=complete_requires,
        schedule=schedule,
        timeout=check_timeout("timeout", timeout),
        poll_interval=poll_interval_of(poll_interval),
        on_progress=on_progress,
        progress=progress,
        failure=failure,
        resume=resume,
    )


@dataclasses.dataclass(frozen=True)
class JobKind:
    """A kind of job looked up by id at `{status_path}/{id}` until it completes."""

    resource: str  # the client attribute, for the resume hint: "generations"
    status_path: str
    model: Any  # the status model
    schedule: list[tuple[float, float]]
    id_field: str = "job_id"
    complete_requires: str | None = None

    def status(self, job_id: Any) -> Call:
        path = f"{self.status_path}/{segment(self.id_field, job_id)}"
        return Call("GET", path, parse=self.model.from_raw)

    def wait(
        self, job_id: str, timeout: Any, poll_interval: Any, on_progress: Any, progress: Any
    ) -> Wait:
        return job_wait(
            self.status(job_id),
            job_id,
            parse=self.model.from_raw,
            schedule=self.schedule,
            resume=f"client.{self.resource}.wait({job_id!r})",
            complete_requires=self.complete_requires,
            timeout=timeout,
            poll_interval=poll_interval,
            on_progress=on_progress,
            progress=progress,
        )

    def start_then_wait(
        self, start: Call, timeout: Any, poll_interval: Any, on_progress: Any, progress: Any
    ) -> Generator[Any, Any, Any]:
        """`start`, then wait for the job it started. The wait's arguments are checked
        now, before the (credit-spending) start, not when the wait begins."""
        check_timeout("timeout", timeout)
        poll_interval_of(poll_interval)
        check_bool("progress", progress)
        check_callable("on_progress", on_progress)
        return self._started(
            start, lambda job_id: self.wait(job_id, timeout, poll_interval, on_progress, progress)
        )

    @staticmethod
    def _started(start: Call, wait: Callable[[str], Wait]) -> Generator[Any, Any, Any]:
        job = yield start
        if not job.job_id:
            raise APIResponseError(
                f"{start.path} answered without a job_id: {job.raw!r}",
                method=start.method,
                path=start.path,
                body=job.raw,
            )
        return (yield wait(job.job_id))
