"""Hoox response models (wire names are snake_case, so fields match them).

Every model keeps the whole payload in `.raw`. Fields the docs (hoox.md §3, the
seeds) show in every response are typed without `None`, and a response without one
raises `APIResponseError`. Enum-like fields are `Literal[...]` where hoox.md gives a
closed set (job statuses: the server maps anything else to pending), plain `str`
where sources disagree or the catalogue grows; any value is kept as sent at runtime.
Job `result`/`error` objects stay dicts (their shape varies by task) and are
exposed through typed properties (`video_id`, `error_code`, ...)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

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
    "JobStatus",
    "Look",
    "Script",
    "Voice",
]


#: Generation and export jobs (hoox.md §1.7): the server maps every other run state
#: to one of these.
JobStatus = Literal["pending", "processing", "completed", "failed"]
AssetStatusValue = Literal["pending", "generating", "completed", "failed"]
LookStatus = Literal["ready", "pending", "error"]
LookFormat = Literal["vertical", "horizontal"]
AssetType = Literal["image", "video"]


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

    script: str
    cost: float
    extracted_images: list[str] | None = wire("extractedImages")


@model
class DuplicatedVideo(Model):
    """Result of `POST /video/duplicate`: a new video in `done` state, ready to export."""

    video_id: str
    #: "done" (the only value documented): ready to export.
    status: str
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

    _html_image: ClassVar[str | None] = "thumbnail"
    id: str
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
    format: LookFormat | None
    thumbnail: str | None
    preview: str | None
    model_available: list[str] | None
    status: LookStatus | None
    error_message: str | None
    tags: list[str] | None

    def supports_model(self, avatar_model: str) -> bool:
        """Whether `exports.start(avatar_model=...)` may use this look (per its
        `model_available`; True when the server did not say)."""
        return self.model_available is None or avatar_model in self.model_available


@model
class AvatarLook(Model):
    """A look inside `GET /avatar/{avatar_id}` (`Avatar.looks`)."""

    _html_image: ClassVar[str | None] = "thumbnail"
    id: str
    name: str | None
    place: str | None
    accessories: list[str] | None
    action: str | None
    emotion: str | None
    selfie: bool | None
    format: LookFormat | None
    thumbnail: str | None
    preview: str | None
    status: LookStatus | None
    model_available: list[str] | None
    tags: list[str] | None

    def supports_model(self, avatar_model: str) -> bool:
        """See `Look.supports_model`."""
        return self.model_available is None or avatar_model in self.model_available


@model
class Avatar(Model):
    """`GET /avatar/{avatar_id}`: an avatar (space or public) and its looks. `name` is
    optional at creation, so it may be None."""

    _html_image: ClassVar[str | None] = "thumbnail"
    id: str
    name: str | None
    gender: str | None
    age: str | None
    age_range: str | None
    ethnicity: str | None
    hair_color: str | None
    thumbnail: str | None
    looks: list[AvatarLook]
    created_at: datetime | None
    tags: list[str] | None


@model
class AvatarStatus(_JobErrorMixin, StatusModel):
    """`GET /avatar/status`. A look's `ready`/`error` count as complete/failed too (the
    sources disagree on this status set, so it is a plain `str`)."""

    avatar_id: str
    look_id: str
    status: str
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

    id: str
    name: str
    language: str | None
    gender: str | None
    tags: list[str] | None
    source: Literal["space", "config"] | None
    accent: str | None
    preview: str | None


@model
class GenerationJob(Model):
    """`POST /generation/start` (201): the job to poll and the credit estimate."""

    job_id: str
    status: JobStatus
    estimated_credits: float


@model
class _RenderJobStatus(_JobErrorMixin, StatusModel):
    """What a generation's and an export's status share (hoox.md §3.3, §3.5): the job,
    its status and step, and `result` (completed) / `error` (failed) objects."""

    job_id: str
    status: JobStatus
    current_step: str | None
    result: dict[str, Any] | None
    error: dict[str, Any] | None

    @property
    def thumbnail_url(self) -> str | None:
        return _result_field(self, "thumbnail_url")

    @property
    def cost(self) -> float | None:
        """Credits actually charged."""
        return _result_field(self, "cost")


@model
class GenerationStatus(_RenderJobStatus):
    """`GET /generation/status/{job_id}`; `result.video_id` is the video to export.
    `progress_step` is the progress of the *current step* (0-100), not overall."""

    progress_step: float

    @property
    def video_id(self) -> str | None:
        return _result_field(self, "video_id")

    @property
    def duration(self) -> float | None:
        """Seconds (may be fractional)."""
        return _result_field(self, "duration")


@model
class ExportJob(Model):
    """`POST /export/start` (201)."""

    job_id: str
    status: JobStatus
    estimated_credits: float


@model
class ExportStatus(_RenderJobStatus):
    """`GET /export/status/{job_id}`; `result.video_url` is the MP4 (valid ~7 days),
    shown as a player in a notebook."""

    _html_video: ClassVar[str | None] = "video_url"
    _html_image: ClassVar[str | None] = "thumbnail_url"
    progress: float

    @property
    def video_url(self) -> str | None:
        return _result_field(self, "video_url")


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

    name: str
    label: str | None
    type: AssetType | None
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

    key: str
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

    model: str
    cost_per_generation: float
    total_cost: float
    currency: str | None
    generation_count: int | None
    normalized: dict[str, Any] | None


@model
class AssetJob(Model):
    """`POST /asset/start` (201): one asset id per generation, debited up front."""

    asset_ids: list[str]
    status: AssetStatusValue
    count: int | None
    cost_per_generation: float | None
    total_cost: float | None

    @property
    def asset_id(self) -> str | None:
        """The first asset id (the only one when `generation_count` is 1)."""
        ids = self.asset_ids
        return ids[0] if isinstance(ids, list) and ids else None


@model
class AssetStatus(_JobErrorMixin, StatusModel):
    """`GET /asset/status/{asset_id}`: pending -> generating -> completed | failed
    (failed generations are refunded). A video asset's `url` plays in a notebook."""

    asset_id: str
    status: AssetStatusValue
    type: AssetType | None
    url: str | None
    thumbnail_url: str | None
    width: int | None
    height: int | None
    duration_seconds: float | None
    cost: float | None
    created_at: datetime | None
    generation_params: dict[str, Any] | None
    error: dict[str, Any] | None

    def _repr_html_(self) -> str:
        from ._html import model_html, safe_url, thumbnail, video_player

        url = safe_url(self.url)
        if url is None:
            return model_html(self)
        shown = {"kind": "AssetStatus", "ident": self.asset_id, "status": self.status}
        if self.type == "video":
            return video_player(url, poster=self.thumbnail_url, **shown)
        return thumbnail(url, **shown)


@model
class Folder(Model):
    """An asset or video folder (`/folder/create`, `/folder/list`)."""

    id: str
    name: str
    type: Literal["assets", "videos"]
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
