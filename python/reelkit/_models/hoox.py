"""Hoox response models (wire names are snake_case, so fields match them)."""

from __future__ import annotations

from typing import Any, ClassVar

from ._base import Model, StatusModel, model

__all__ = [
    "DuplicatedVideo",
    "AvatarJob",
    "AvatarStatus",
    "Voice",
    "GenerationJob",
    "GenerationStatus",
    "ExportJob",
    "ExportStatus",
    "HooxWebhookEvent",
]


@model
class DuplicatedVideo(Model):
    """Result of `POST /video/duplicate`: a new video in `done` state, ready to export."""

    video_id: str | None
    status: str | None
    message: str | None
    changes_applied: dict[str, Any] | None


@model
class AvatarJob(Model):
    """Result of avatar create/edit: the avatar and the (new) look being generated."""

    avatar_id: str | None
    look_id: str | None


@model
class AvatarStatus(StatusModel):
    """`GET /avatar/status`. A look's `ready`/`error` count as complete/failed too."""

    avatar_id: str | None
    look_id: str | None
    status: str | None
    result: dict[str, Any] | None
    error: dict[str, Any] | None
    _complete: ClassVar[frozenset[str]] = frozenset({"completed", "ready"})
    _failed: ClassVar[frozenset[str]] = frozenset({"failed", "error"})


@model
class Voice(Model):
    """A voice from `/voice/list` or `/voice/{id}`; `id` is what `voice_id` takes."""

    id: str | None
    name: str | None
    language: str | None
    gender: str | None
    tags: list[str] | None
    source: str | None
    accent: str | None
    preview: str | None


@model
class GenerationJob(Model):
    """`POST /generation/start` (201): the job to poll and the credit estimate."""

    job_id: str | None
    status: str | None
    estimated_credits: float | None


@model
class GenerationStatus(StatusModel):
    """`GET /generation/status/{job_id}`; `result.video_id` is the video to export."""

    job_id: str | None
    status: str | None
    progress_step: float | None
    current_step: str | None
    result: dict[str, Any] | None
    error: dict[str, Any] | None

    @property
    def video_id(self) -> str | None:
        return (self.result or {}).get("video_id")


@model
class ExportJob(Model):
    """`POST /export/start` (201)."""

    job_id: str | None
    status: str | None
    estimated_credits: float | None


@model
class ExportStatus(StatusModel):
    """`GET /export/status/{job_id}`; `result.video_url` is the MP4 (valid ~7 days)."""

    job_id: str | None
    status: str | None
    progress: float | None
    current_step: str | None
    result: dict[str, Any] | None
    error: dict[str, Any] | None

    @property
    def video_url(self) -> str | None:
        return (self.result or {}).get("video_url")


@model
class HooxWebhookEvent(StatusModel):
    """A Hoox webhook. `task` is None for payloads without it (older format); then
    `job_id` is whatever the payload carries (for avatar payloads, the look id)."""

    task: str | None
    job_id: str | None
    avatar_id: str | None
    look_id: str | None
    asset_id: str | None
    status: str | None
    result: dict[str, Any] | None
    error: dict[str, Any] | None

    @property
    def id(self) -> str | None:
        """The id to deduplicate on: job id, else look id, else asset id."""
        return self.job_id or self.look_id or self.asset_id


