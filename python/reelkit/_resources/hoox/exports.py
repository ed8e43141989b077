"""Hoox exports: MP4 rendering (`ExportRequest`), its status, wait, download."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ... import _credits
from ..._endpoint import Call, Resource, async_variant, endpoint
from ..._errors import ValidationError
from ..._models.hoox import ExportJob, ExportStatus
from ..._validation import check_enum, check_number, check_str, check_url, drop_none
from .._common import check_path, download_to, takes
from ._shared import SPACE_HINT, VIDEO_FORMATS, JobKind, check_width_height, estimate_budget

__all__ = ["AsyncExports", "Exports"]

EXPORT_SCHEDULE = [(0.0, 3.0), (30.0, 5.0), (120.0, 10.0)]
AVATAR_MODELS = (
    "standard",
    "premium",
    "ultra",
    "veo-3-fast",
    "veo-3",
    "veo-3-lite",
    "omni-flash",
    "ora-lite",
    "ora-standard",
    "ora-pro",
    "seedance-2",
    "seedance-2-fast",
    "seedance-2-1080p",
)

# "completed" can arrive before the download URL is known (hoox.md §3.5).
_EXPORT = JobKind(
    "exports",
    "/export/status",
    ExportStatus,
    EXPORT_SCHEDULE,
    complete_requires="/result/video_url",
)


@dataclasses.dataclass(frozen=True)
class ExportRequest:
    """The options of `exports.start` (and `create_and_wait`) after `video_id`."""

    format: str | None = None
    width: int | None = None
    height: int | None = None
    avatar_model: str | None = None
    webhook_url: str | None = None
    # Not sent: the budget, and what the offline estimate needs to check it.
    max_credits: float | None = None
    avatar_seconds: float | None = None
    video_duration: float | None = None


def _start_call(video_id: str, request: ExportRequest) -> Call:
    """Validate `exports.start`'s arguments and build its request."""
    avatar_model, width, height = request.avatar_model, request.width, request.height
    check_str("video_id", video_id, required=True)
    fmt = check_enum("format", request.format, VIDEO_FORMATS)
    check_width_height(fmt, width, height, unset_may_be_custom=True)
    check_enum("avatar_model", avatar_model, AVATAR_MODELS)
    check_url("webhook_url", request.webhook_url)
    avatar_seconds = check_number("avatar_seconds", request.avatar_seconds, minimum=0)
    video_duration = check_number("video_duration", request.video_duration, minimum=0)

    def estimate() -> float:
        model = avatar_model
        if model is None and avatar_seconds != 0:
            # The server picks the model; bound the cost by the costliest default.
            model = _credits.COSTLIEST_DEFAULT_AVATAR_MODEL
            if avatar_seconds is None and video_duration is None:
                raise ValidationError(
                    "avatar_seconds",
                    "is needed with max_credits when avatar_model is not set (the server "
                    "picks one that may bill per second); 0 if no avatar is shown",
                )
        try:
            return _credits.export_credits(
                avatar_model=model,
                avatar_seconds=avatar_seconds,
                duration=video_duration,
                width=width,
                height=height,
                format=fmt,
            )
        except ValidationError as exc:
            if exc.field != "duration":
                raise
            raise ValidationError("video_duration", exc.rule) from None

    estimate_budget(request.max_credits, estimate)
    body = drop_none(
        video_id=video_id,
        format=fmt,
        width=width,
        height=height,
        avatar_model=avatar_model,
        webhook_url=request.webhook_url,
    )
    return Call(
        "POST",
        "/export/start",
        body=body,
        parse=ExportJob.from_raw,
        hint=SPACE_HINT.format(what="a running export of this video"),
    )


class Exports(Resource):
    @endpoint
    @takes(ExportRequest, into="request")
    def start(self, video_id: str, *, request: ExportRequest) -> ExportJob:
        """Render a `done` video to MP4 (the first export of an API video is free;
        avatar models bill per visible second, hoox.md §3.4). `avatar_seconds` and
        `video_duration` are not sent: they only feed the `max_credits` estimate."""
        return _start_call(video_id, request)

    @endpoint
    def status(self, job_id: str) -> ExportStatus:
        return _EXPORT.status(job_id)

    @endpoint
    def wait(
        self,
        job_id: str,
        *,
        timeout: float = 1200.0,
        poll_interval: float | None = None,
        on_progress: Callable[[ExportStatus], Any] | None = None,
        progress: bool = False,
    ) -> ExportStatus:
        """Poll (3 s, 5 s after 30 s, 10 s after 2 min) until the MP4 URL is known."""
        return _EXPORT.wait(job_id, timeout, poll_interval, on_progress, progress)

    @endpoint
    @takes(ExportRequest, into="request")
    def create_and_wait(
        self,
        video_id: str,
        *,
        request: ExportRequest,
        timeout: float = 1200.0,
        poll_interval: float | None = None,
        on_progress: Callable[[ExportStatus], Any] | None = None,
        progress: bool = False,
    ) -> ExportStatus:
        """`start(...)` then `wait(job_id)`: returns the completed status, whose
        `video_url` is the MP4 (or call `download(job_id, path)`)."""
        start = _start_call(video_id, request)
        return _EXPORT.start_then_wait(start, timeout, poll_interval, on_progress, progress)

    @endpoint
    def download(
        self,
        job_id: str,
        path: str | os.PathLike[str],
        *,
        on_progress: Callable[[int, int | None], Any] | None = None,
        progress: bool = False,
    ) -> Path:
        """Stream the exported MP4 to `path` (atomically; a fresh URL is fetched if
        the signed one expired). Returns the `pathlib.Path` written."""
        refresh = _EXPORT.status(job_id)
        target = check_path("path", path)
        return download_to(refresh, "/result/video_url", target, on_progress, progress)


AsyncExports = async_variant(Exports)
