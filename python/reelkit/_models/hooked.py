"""Hooked models. Hooked's wire names are camelCase; fields are snake_case
(`duration_in_frames` <- `durationInFrames`). A response model's `raw` is the
envelope's `data` object (unknown fields included). Fields hooked.md (§6, §10) shows
in every response are typed without `None` (a response without one raises
`APIResponseError`); enum-like fields are `Literal[...]` where the set is closed,
`str` where servers send other values (a video's status: STARTED/COMPLETED/FAILED
documented, `processing` and lowercase forms seen).

The second half of the module holds the typed request options (`Caption`, `Slide`,
`Scene`, ...): plain frozen dataclasses with snake_case fields that the create
endpoints accept wherever they accept a dict; unset (None) fields are not sent."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, ClassVar, Literal

from ._base import Model, StatusModel, model, wire

__all__ = [
    "AdSettings",
    "Audio",
    "Avatar",
    "Caption",
    "CreatedProject",
    "DeletedSchedule",
    "HookedWebhookEvent",
    "Integration",
    "IntegrationAccount",
    "IntegrationHealth",
    "Music",
    "Niche",
    "PlatformData",
    "Point",
    "PresetSettings",
    "ProductAdSettings",
    "Scene",
    "SchedulePage",
    "ScheduledPost",
    "ScheduledVideo",
    "Slide",
    "SlideText",
    "SocialSearch",
    "Template",
    "TemplateAvatar",
    "TemplateCaptionBox",
    "TemplateScene",
    "TemplateVariable",
    "TextSettings",
    "TrendPage",
    "TrendingVideo",
    "Video",
    "VideoPage",
    "Voice",
]


# -- responses ---------------------------------------------------------------------


@model
class Video(StatusModel):
    """`GET /v1/video/{id}`: status is STARTED, COMPLETED or FAILED; `url` is a signed
    URL valid for 24 h once COMPLETED (a player in a notebook)."""

    _wire_case: ClassVar[str] = "camel"
    _html_video: ClassVar[str | None] = "url"
    _html_image: ClassVar[str | None] = "thumbnail"
    id: str
    name: str | None
    type: str | None
    status: str
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


def _obj(value: Any) -> dict[str, Any]:
    """A nested object of the payload, or {} when the server sent something else."""
    return value if isinstance(value, dict) else {}


def _count(value: Any) -> int | None:
    """A count of the payload (total, limit, offset), or None when it is not one."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class _OffsetPage(Model):
    """One page of an offset-paginated list: the items plus `total`, `limit`, `offset`.
    Iterating a page iterates its items."""

    _items_field: ClassVar[str] = ""
    # Any here: each page narrows them (`int` where documented, else `int | None`).
    total: Any
    limit: Any
    offset: Any

    @property
    def items(self) -> list[Any]:
        items = getattr(self, self._items_field)
        return items if isinstance(items, list) else []

    @property
    def has_more(self) -> bool:
        """False once this page reaches `total` (or is empty)."""
        if not self.items:
            return False
        total, limit = _count(self.total), _count(self.limit)
        if total is None:
            # No total in the payload: a full page may be followed by another.
            return limit is not None and len(self.items) >= limit
        return (_count(self.offset) or 0) + len(self.items) < total

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def _repr_html_(self) -> str:
        from ._html import table

        title = f"{type(self).__name__} (offset {_count(self.offset) or 0})"
        return table(self.items, title=title, total=_count(self.total))


@model
class VideoPage(_OffsetPage):
    """`GET /v1/video/list`: `{videos, total, limit, offset}` (templates excluded)."""

    _wire_case: ClassVar[str] = "camel"
    _items_field: ClassVar[str] = "videos"
    videos: list[Video]
    total: int
    limit: int
    offset: int


@model
class CreatedProject(StatusModel):
    """What every create endpoint returns. `video_id` is absent for scenes and
    template projects, `status` for scenes."""

    _wire_case: ClassVar[str] = "camel"
    video_id: str | None
    project_id: str
    #: STARTED (documented), COMPLETED (hook-demo), processing (template): open.
    status: str | None
    message: str | None


@model
class Avatar(Model):
    """A Hooked avatar (`avatar_id` of the create endpoints). `type` is AI or
    Realistic, `gender` Male, Female or Non-binary (the field list is truncated in the
    docs, so these stay `str`)."""

    _wire_case: ClassVar[str] = "camel"
    _html_image: ClassVar[str | None] = "thumbnail"
    id: str
    name: str
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
class Music(Model):
    """A background track (`musicId`). The list page is undocumented: unknown fields
    stay in `raw`."""

    _wire_case: ClassVar[str] = "camel"
    id: str | None
    name: str | None
    url: str | None
    preview_url: str | None
    duration: float | None
    genre: str | None
    mood: str | None


@model
class Template(Model):
    """A video template (type "class") to generate from with
    `projects.create_from_template`. `scenes` has the template-generate input shape."""

    _wire_case: ClassVar[str] = "camel"
    _html_image: ClassVar[str | None] = "thumbnail"
    id: str
    name: str | None
    type: str | None
    thumbnail: str | None
    is_template: bool | None
    video_settings: dict[str, Any] | None
    scenes: list[Any] | None
    webhook: str | None
    created_at: datetime | None


@model
class Niche(Model):
    """A niche, the `niche` filter of `trends.videos`. The list page is undocumented:
    unknown fields stay in `raw`."""

    _wire_case: ClassVar[str] = "camel"
    id: str | None
    name: str | None
    slug: str | None


@model
class TrendingVideo(Model):
    """A trending TikTok/YouTube video. Only `id` .. `video_url` are documented; the
    rest follows the social-search video shape and may be None."""

    _wire_case: ClassVar[str] = "camel"
    _html_image: ClassVar[str | None] = "thumbnail_url"
    id: str
    external_id: str | None
    platform: Literal["tiktok", "youtube"] | None
    niche: str | None
    title: str | None
    thumbnail_url: str | None
    video_url: str | None
    description: str | None
    duration: float | None
    creator: dict[str, Any] | None
    stats: dict[str, Any] | None
    viral_score: float | None
    engagement_rate: float | None
    hashtags: list[Any] | None
    published_at: datetime | None


@model
class TrendPage(_OffsetPage):
    """`GET /v1/trends/videos`: `{videos, total?, limit?, offset?}` (the page fields
    past `videos` are undocumented, so any of them may be None)."""

    _wire_case: ClassVar[str] = "camel"
    _items_field: ClassVar[str] = "videos"
    videos: list[TrendingVideo]
    total: int | None
    limit: int | None
    offset: int | None


@model
class SocialSearch(Model):
    """A social search (TikTok or YouTube videos for a term) with its analytics. From
    `social_search.get` it also carries one page of `videos` and its `pagination`
    (`total`, `limit`, `offset`, `hasMore`); from `social_search.create`, `videos_found`.
    `keywords_status` is pending until the keyword analysis completes."""

    _wire_case: ClassVar[str] = "camel"
    id: str
    search_term: str
    platform: Literal["tiktok", "youtube"]
    total_results: int | None
    analytics: dict[str, Any] | None
    top_hashtags: list[Any] | None
    keywords: list[Any] | None
    keywords_status: Literal["pending", "completed"] | None
    last_searched: datetime | None
    created_at: datetime | None
    videos_found: int | None
    videos: list[TrendingVideo] | None
    music: list[Any] | None
    pagination: dict[str, Any] | None

    # The page interface of `_OffsetPage`, read from `pagination`.
    @property
    def items(self) -> list[TrendingVideo]:
        return self.videos if isinstance(self.videos, list) else []

    @property
    def total(self) -> int | None:
        return _obj(self.pagination).get("total")

    @property
    def limit(self) -> int | None:
        return _obj(self.pagination).get("limit")

    @property
    def offset(self) -> int | None:
        return _obj(self.pagination).get("offset")

    @property
    def has_more(self) -> bool:
        more = _obj(self.pagination).get("hasMore")
        if isinstance(more, bool):
            return more and bool(self.items)
        return _OffsetPage.has_more.fget(self)  # type: ignore[union-attr]


@model
class IntegrationHealth(Model):
    """`health` of a social integration: `status` is healthy, expired or error."""

    _wire_case: ClassVar[str] = "camel"
    status: Literal["healthy", "expired", "error"]
    token_valid: bool | None
    last_checked: datetime | None

    @property
    def is_healthy(self) -> bool:
        """Posting works only with a healthy status AND a valid token; anything else
        (expired, error, missing) means reconnecting the account in the dashboard."""
        return self.status == "healthy" and self.token_valid is True


@model
class IntegrationAccount(Model):
    _wire_case: ClassVar[str] = "camel"
    _html_image: ClassVar[str | None] = "avatar_url"
    id: str
    name: str | None
    username: str | None
    avatar_url: str | None


@model
class Integration(Model):
    """A connected social account (`type`: youtube, tiktok or instagram). Check
    `is_healthy` before scheduling: an expired token makes the post fail."""

    _wire_case: ClassVar[str] = "camel"
    id: str
    type: Literal["youtube", "tiktok", "instagram"]
    identifier: str | None
    account: IntegrationAccount | None
    health: IntegrationHealth | None
    created_at: datetime | None

    @property
    def is_healthy(self) -> bool:
        return self.health is not None and self.health.is_healthy


@model
class ScheduledVideo(Model):
    """The video of a scheduled post (`ScheduledPost.video`): a signed URL and a few
    details, no status (hooked.md §6.22)."""

    _wire_case: ClassVar[str] = "camel"
    _html_video: ClassVar[str | None] = "url"
    _html_image: ClassVar[str | None] = "thumbnail"
    id: str
    name: str | None
    url: str | None
    thumbnail: str | None
    duration_in_seconds: float | None


@model
class ScheduledPost(StatusModel):
    """A scheduled social post. Status is pending, published, failed or draft; once
    published `published_url` is set, once failed `error`. `schedule_id` and `id`
    are the same value (create answers `scheduleId`, the other endpoints `id`: one
    of the two is required)."""

    _wire_case: ClassVar[str] = "camel"
    _complete: ClassVar[frozenset[str]] = frozenset({"published"})
    _required_exempt: ClassVar[frozenset[str]] = frozenset({"id", "scheduleId"})
    schedule_id: str
    id: str
    status: Literal["pending", "published", "failed", "draft"]
    scheduled_date_time: datetime | None
    platform: str | None
    video_id: str | None
    integration: Integration | None
    video: ScheduledVideo | None
    platform_data: dict[str, Any] | None
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def _post_fill(cls, values: dict[str, Any]) -> None:
        values["schedule_id"] = values["schedule_id"] or values["id"]
        values["id"] = values["id"] or values["schedule_id"]
        if values["id"] is None:
            raise cls._missing_error(
                ["id"], values["raw"], "`id` or `scheduleId` (ScheduledPost.id)"
            )
        if values["video_id"] is None and values["video"] is not None:
            values["video_id"] = values["video"].id

    @property
    def published_url(self) -> str | None:
        return _obj(self.platform_data).get("publishedUrl")

    @property
    def error(self) -> Any:
        return _obj(self.platform_data).get("error")


@model
class SchedulePage(_OffsetPage):
    """`GET /v1/schedule/list`: `{scheduledPosts, total, limit, offset}`."""

    _wire_case: ClassVar[str] = "camel"
    _items_field: ClassVar[str] = "scheduled_posts"
    scheduled_posts: list[ScheduledPost]
    total: int
    limit: int
    offset: int


@model
class DeletedSchedule(Model):
    """`DELETE /v1/schedule/{id}`: `{id, deleted: true}`."""

    _wire_case: ClassVar[str] = "camel"
    id: str
    deleted: bool


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


# -- request options ---------------------------------------------------------------
# Each mirrors a documented nested object; field names are the snake_case of the wire
# names. Plain dicts (snake_case or camelCase keys) work everywhere these do.

_option = dataclasses.dataclass(frozen=True)


@_option
class Caption:
    """`caption`: preset (see `CAPTION_PRESETS`), alignment top/middle/bottom."""

    preset: str | None = None
    alignment: str | None = None
    disabled: bool | None = None


@_option
class Audio:
    """`audio` voice settings (documented defaults: speed 1, stability 0.5,
    similarity_boost 0.75, style 0, use_speaker_boost True)."""

    speed: float | None = None
    stability: float | None = None
    similarity_boost: float | None = None
    style: float | None = None
    use_speaker_boost: bool | None = None


@_option
class AdSettings:
    """`adSettings` of a UGC ad, e.g. `b_roll_type="rounded-cover"`."""

    b_roll_type: str | None = None
    remove_avatar_background: bool | None = None


@_option
class TextSettings:
    """`textSettings` of a hook-demo's on-screen text."""

    preset: str | None = None
    alignment: str | None = None
    text_color: str | None = None
    background_color: str | None = None
    disabled: bool | None = None


@_option
class ProductAdSettings:
    """`productAdSettings`: the HTTPS page to scroll, when it appears (1-30 s after the
    avatar intro) and how fast it scrolls."""

    website_url: str
    avatar_intro_seconds: float | None = None
    scroll_interval: float | None = None


@_option
class PresetSettings:
    """`presetSettings` of script/prompt-to-video, e.g. preset "realistic", quality "pro"."""

    preset: str | None = None
    quality: str | None = None


@_option
class SlideText:
    """A text overlay on a slide (`slides[].texts[]`): 1-500 characters; x/y in % of
    the frame (defaults 0 and 43.13)."""

    text: str
    x: float | None = None
    y: float | None = None
    width: float | None = None
    height: float | None = None
    font_size: float | None = None
    font_weight: Any = None
    color: str | None = None
    background_color: str | None = None
    text_align: str | None = None
    border_radius: float | None = None
    padding: float | None = None
    opacity: float | None = None
    rotation: float | None = None
    scale: float | None = None
    z_index: int | None = None


@_option
class Slide:
    """One slide of a TikTok slideshow: a media ID, 1-10 s, up to 10 text overlays."""

    media: str
    duration: float | None = None
    texts: Sequence[SlideText | dict[str, Any]] | None = None


@_option
class Scene:
    """One scene of a scenes project. `type` decides what is required: avatar
    (script, avatar_id, voice_id), video (media_id), picture_in_picture (all four),
    start_end_frame (start/end frame media IDs and frame_prompt)."""

    type: str
    script: str | None = None
    avatar_id: str | None = None
    voice_id: str | None = None
    media_id: str | None = None
    start_frame_media_id: str | None = None
    end_frame_media_id: str | None = None
    frame_model: str | None = None
    frame_prompt: str | None = None
    frame_duration: float | None = None


@_option
class Point:
    x: float
    y: float


@_option
class TemplateVariable:
    """A `{{key}}` substitution in a template scene's script; `type` text or media."""

    key: str
    value: str
    type: str | None = None


@_option
class TemplateAvatar:
    id: str
    top_left: Point | dict[str, float] | None = None
    bottom_right: Point | dict[str, float] | None = None


@_option
class TemplateCaptionBox:
    top_left: Point | dict[str, float] | None = None
    bottom_right: Point | dict[str, float] | None = None


@_option
class TemplateScene:
    """One scene of `projects.create_from_template`: the script (may use `{{key}}`
    placeholders), its variables, and optional avatar / caption boxes and voice."""

    script: str
    variables: Sequence[TemplateVariable | dict[str, Any]] | None = None
    avatar: TemplateAvatar | dict[str, Any] | None = None
    caption: TemplateCaptionBox | dict[str, Any] | None = None
    voice_id: str | None = None


@_option
class PlatformData:
    """`platformData` of a scheduled post (title/description limits are YouTube's;
    TikTok and Instagram descriptions allow 2200 characters, tags become hashtags)."""

    title: str | None = None
    description: str | None = None
    tags: Sequence[str] | None = None
    privacy_status: str | None = None
    made_for_kids: bool | None = None
