"""Hoox response models (wire names are snake_case, so fields match them).

Every model keeps the whole payload in `.raw`; enum-like fields (status, format,
gender, ...) are plain strings, so values the API adds later are accepted as-is.
Job `result`/`error` objects stay dicts (their shape varies by task) and are
exposed through typed properties (`video_id`, `error_code`, ...)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from ._base import Model, StatusModel, model, wire

__all__ = [
    "AssetCapabilities",
    "AssetJob",
    "AssetModel",
    "AssetModelDetail",
    "AssetModelSetting",
    "AssetPricing",
    "AssetStatus",
    "Avatar",
    "AvatarJob",
    "AvatarLook",
    "AvatarStatus",
    "DuplicatedVideo",
    "ExportJob",
    "ExportStatus",
    "Folder",
    "GenerationJob",
    "GenerationStatus",
    "HooxWebhookEvent",
    "Look",
    "Script",
    "Voice",
]


class _JobErrorMixin:
    """`error_code` / `error_message` read from a `{code, message}` error object."""

    error: dict[str, Any] | None

    @property
    def error_code(self) -> str | None:
        error = self.error if isinstance(self.error, dict) else {}
        return error.get("code")

    @property
    def error_message(self) -> str | None:
        error = self.error if isinstance(self.error, dict) else {}
        return error.get("message")


def _result_field(status: Any, key: str) -> Any:
    result = status.result
    return result.get(key) if isinstance(result, dict) else None


@model
class Script(Model):
    """`POST /script/generate`: the script, the credits charged, and the images
    scraped from `urls` (pass them as `media_urls` to `generations.start`)."""

    script: str | None
    cost: float | None
    extracted_images: list[str] | None = wire("extractedImages")


@model
class DuplicatedVideo(Model):
    """Result of `POST /video/duplicate`: a new video in `done` state, ready to export."""

    video_id: str
    status: str | None
    message: str | None
    changes_applied: dict[str, Any] | None


@model
class AvatarJob(Model):
    """Result of avatar create/edit: the avatar and the (new) look being generated."""

    avatar_id: str
    look_id: str


@model
class Look(Model):
    """A look (`/avatar/list` item, `/avatar/{id}/look/{look_id}`). Its `id` is what
    `generations.start(avatar_id=...)` takes. Older payloads carry `tags`/`name`
    instead of the descriptive attributes; both are kept."""

    id: str | None
    avatar_id: str | None
    avatar_name: str | None
    look_name: str | None
    name: str | None
    gender: str | None
    age_range: str | None
    ethnicity: str | None
    hair_color: str | None
    place: str | None
    accessories: list[str] | None
    action: str | None
    emotion: str | None
    selfie: bool | None
    format: str | None
    thumbnail: str | None
    preview: str | None
    model_available: list[str] | None
    status: str | None
    error_message: str | None
    tags: list[str] | None

    def supports_model(self, avatar_model: str) -> bool:
        """Whether `exports.start(avatar_model=...)` may use this look (per its
        `model_available`; True when the server did not say)."""
        return self.model_available is None or avatar_model in self.model_available


@model
class AvatarLook(Model):
    """A look inside `GET /avatar/{avatar_id}` (`Avatar.looks`)."""

    id: str | None
    name: str | None
    place: str | None
    accessories: list[str] | None
    action: str | None
    emotion: str | None
    selfie: bool | None
    format: str | None
    thumbnail: str | None
    preview: str | None
    status: str | None
    model_available: list[str] | None
    tags: list[str] | None

    def supports_model(self, avatar_model: str) -> bool:
        """See `Look.supports_model`."""
        return self.model_available is None or avatar_model in self.model_available


@model
class Avatar(Model):
    """`GET /avatar/{avatar_id}`: an avatar (space or public) and its looks."""

    id: str | None
    name: str | None
    gender: str | None
    age: str | None
    age_range: str | None
    ethnicity: str | None
    hair_color: str | None
    thumbnail: str | None
    looks: list[AvatarLook] | None
    created_at: datetime | None
    tags: list[str] | None


@model
class AvatarStatus(_JobErrorMixin, StatusModel):
    """`GET /avatar/status`. A look's `ready`/`error` count as complete/failed too."""

    avatar_id: str | None
    look_id: str | None
    status: str | None
    result: dict[str, Any] | None
    error: dict[str, Any] | None
    _complete: ClassVar[frozenset[str]] = frozenset({"completed", "ready"})
    _failed: ClassVar[frozenset[str]] = frozenset({"failed", "error"})

    @property
    def look(self) -> Look | None:
        """The finished look (`result`), when completed."""
        return Look.from_raw(self.result) if isinstance(self.result, dict) else None


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

    job_id: str
    status: str | None
    estimated_credits: float | None


@model
class GenerationStatus(_JobErrorMixin, StatusModel):
    """`GET /generation/status/{job_id}`; `result.video_id` is the video to export.
    `progress_step` is the progress of the *current step* (0-100), not overall."""

    job_id: str | None
    status: str | None
    progress_step: float | None
    current_step: str | None
    result: dict[str, Any] | None
    error: dict[str, Any] | None

    @property
    def video_id(self) -> str | None:
        return _result_field(self, "video_id")

    @property
    def thumbnail_url(self) -> str | None:
        return _result_field(self, "thumbnail_url")

    @property
    def duration(self) -> float | None:
        """Seconds (may be fractional)."""
        return _result_field(self, "duration")

    @property
    def cost(self) -> float | None:
        """Credits actually charged."""
        return _result_field(self, "cost")


@model
class ExportJob(Model):
    """`POST /export/start` (201)."""

    job_id: str
    status: str | None
    estimated_credits: float | None


@model
class ExportStatus(_JobErrorMixin, StatusModel):
    """`GET /export/status/{job_id}`; `result.video_url` is the MP4 (valid ~7 days)."""

    job_id: str | None
    status: str | None
    progress: float | None
    current_step: str | None
    result: dict[str, Any] | None
    error: dict[str, Any] | None

    @property
    def video_url(self) -> str | None:
        return _result_field(self, "video_url")

    @property
    def thumbnail_url(self) -> str | None:
        return _result_field(self, "thumbnail_url")

    @property
    def cost(self) -> float | None:
        return _result_field(self, "cost")


@model
class AssetCapabilities(Model):
    """What an asset model accepts (`capabilities` of `/asset/models` items)."""

    max_images: int | None
    min_images: int | None
    supported_aspect_ratios: list[str] | None
    default_aspect_ratio: str | None
    supported_durations: list[float] | None
    default_duration: float | None
    supported_resolutions: list[str] | None
    default_resolution: str | None
    input_types: list[str] | None


@model
class AssetModel(Model):
    """An `/asset/models` item. `type`/`provider` are filled in even when the server
    hoisted them to the response root (filtered listings)."""

    name: str | None
    label: str | None
    type: str | None
    provider: str | None
    tags: list[str] | None
    base_cost: float | None
    has_audio: bool | None
    max_resolution: str | None
    max_duration: float | None
    required_plans: list[str] | None
    capabilities: AssetCapabilities | None


@model
class AssetModelSetting(Model):
    """One per-model toggle (`model_settings` key) of `/asset/models/{name}`."""

    key: str | None
    type: str | None
    label: str | None
    default_value: Any
    affects_cost: bool | None
    options: list[Any] | None


@model
class AssetModelDetail(AssetModel):
    """`GET /asset/models/{name}`: the summary plus settings and the JSON Schema of
    `/asset/start`'s input for this model."""

    max_prompt_length: int | None
    restricted_countries: list[str] | None
    settings: list[AssetModelSetting] | None
    input_schema: dict[str, Any] | None


@model
class AssetPricing(Model):
    """`POST /asset/pricing`: an exact quote (nothing is debited). `normalized` holds
    the inputs the engine coerced (e.g. a duration snapped to a supported one)."""

    model: str | None
    cost_per_generation: float | None
    total_cost: float | None
    currency: str | None
    generation_count: int | None
    normalized: dict[str, Any] | None


@model
class AssetJob(Model):
    """`POST /asset/start` (201): one asset id per generation, debited up front."""

    asset_ids: list[str] | None
    status: str | None
    count: int | None
    cost_per_generation: float | None
    total_cost: float | None

    @property
    def asset_id(self) -> str | None:
        """The first asset id (the only one when `generation_count` is 1)."""
        return self.asset_ids[0] if self.asset_ids else None


@model
class AssetStatus(_JobErrorMixin, StatusModel):
    """`GET /asset/status/{asset_id}`: pending -> generating -> completed | failed
    (failed generations are refunded)."""

    asset_id: str | None
    status: str | None
    type: str | None
    url: str | None
    thumbnail_url: str | None
    width: int | None
    height: int | None
    duration_seconds: float | None
    cost: float | None
    created_at: datetime | None
    generation_params: dict[str, Any] | None
    error: dict[str, Any] | None


@model
class Folder(Model):
    """An asset or video folder (`/folder/create`, `/folder/list`)."""

    id: str
    name: str | None
    type: str | None
    parent_folder_id: str | None
    created_at: datetime | None


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
