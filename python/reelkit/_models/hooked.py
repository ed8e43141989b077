"""Hooked response models. Hooked's wire names are camelCase; fields are snake_case
(`duration_in_frames` <- `durationInFrames`). `raw` is the envelope's `data` object."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from ._base import Model, StatusModel, model, wire

__all__ = ["Video", "CreatedProject", "Avatar", "Voice", "HookedWebhookEvent"]


@model
class Video(StatusModel):
    """`GET /v1/video/{id}`: status is STARTED, COMPLETED or FAILED; `url` is a signed
    URL valid for 24 h once COMPLETED."""

    _wire_case: ClassVar[str] = "camel"
    id: str | None
    name: str | None
    type: str | None
    status: str | None
    url: str | None
    thumbnail: str | None
    progress: float | None
    message: str | None
    duration_in_frames: int | None
    duration_in_seconds: float | None
    avatar_id: str | None
    voice_id: str | None
    music_id: str | None
    video_settings: dict[str, Any] | None
    script: str | None
    project_id: str | None
    team_id: str | None
    size: int | None
    created_at: datetime | None
    updated_at: datetime | None
    used_credits: float | None
    webhook: str | None


@model
class CreatedProject(StatusModel):
    """What every create endpoint returns. `video_id` is absent for scenes projects."""

    _wire_case: ClassVar[str] = "camel"
    video_id: str | None
    project_id: str | None
    status: str | None
    message: str | None


@model
class Avatar(Model):
    _wire_case: ClassVar[str] = "camel"
    id: str | None
    name: str | None
    type: str | None
    gender: str | None
    age: str | None
    thumbnail: str | None
    is_custom: bool | None
    is_pro: bool | None
    is_hd: bool | None = wire("isHD")


@model
class Voice(Model):
    """A Hooked voice. The list page is undocumented: unknown fields stay in `raw`."""

    _wire_case: ClassVar[str] = "camel"
    id: str | None
    name: str | None
    language: str | None
    gender: str | None
    accent: str | None
    preview_url: str | None


@model
class HookedWebhookEvent(StatusModel):
    """`project.completed` / `project.failed`. Not signed by Hooked: confirm with
    `videos.get(event.video_id)` before acting on it."""

    event: str | None
    project_id: str | None
    video_id: str | None
    status: str | None
    video: dict[str, Any] | None
    message: str | None
    metadata: dict[str, Any] | None
    created_at: datetime | None
    completed_at: datetime | None
