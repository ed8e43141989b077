"""Hooked endpoints, each declared once (see `_endpoint.py`). Paths are relative to
the base URL (`https://api.hooked.so/v1`). Keyword arguments are snake_case and are
sent under Hooked's camelCase wire names; nested options (dicts with snake_case or
camelCase keys, or the dataclasses of `_models/hooked.py`) are converted
recursively, `metadata` is sent verbatim. Only what the caller set is sent.

Every documented constraint is checked before sending; a `ValidationError` names the
field the way Hooked's own (Zod) messages do: wire names, dotted paths with list
indexes (`slides.0.duration`, `scenes.1.mediaId`, `productAdSettings.websiteUrl`).

Where the official MCP server sends other bodies than the docs (script-to-video,
prompt-to-video, ugc-ads, tiktok-slideshow: api/hooked.md §9), these follow the docs;
`extra_body=` (accepted by every endpoint) adds or overrides any wire field.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .._endpoint import Call, Download, Paginate, Resource, Wait, async_variant, endpoint
from .._errors import ValidationError
from .._models._base import camel, parse_datetime
from .._models.hooked import (
    Avatar,
    CreatedProject,
    DeletedSchedule,
    Integration,
    Music,
    Niche,
    ScheduledPost,
    SchedulePage,
    SocialSearch,
    Template,
    TrendPage,
    Video,
    VideoPage,
    Voice,
)
from .._validation import check_bool, check_enum, check_mapping, check_number, check_str, check_url
from ._common import check_path, check_timeout, segment

__all__ = [
    "Avatars",
    "Integrations",
    "MusicTracks",
    "Niches",
    "Projects",
    "Schedules",
    "SocialSearches",
    "Templates",
    "Trends",
    "Videos",
    "Voices",
    "to_wire",
    "AsyncVideos",
    "AsyncProjects",
    "AsyncAvatars",
    "AsyncVoices",
    "AsyncMusicTracks",
    "AsyncTemplates",
    "AsyncNiches",
    "AsyncTrends",
    "AsyncSchedules",
    "AsyncIntegrations",
    "AsyncSocialSearches",
]

VIDEO_SCHEDULE = [(0.0, 5.0), (120.0, 10.0)]
CAPTION_PRESETS = (
    "default",
    "beast",
    "umi",
    "tiktok",
    "wrap1",
    "wrap2",
    "ariel",
    "hooked",
    "classic",
    "active",
    "bubble",
    "glass",
    "comic",
    "glow",
    "pastel",
    "neon",
    "retroTV",
    "red",
    "marker",
    "modern",
    "blue",
    "vivid",
)
ALIGNMENTS = ("top", "middle", "bottom")
LIPSYNC_MODELS = ("base", "pro")
ASPECT_RATIOS = ("ratio_9_16", "ratio_16_9", "ratio_1_1")
MEDIA_TYPES = ("ai-images", "ai-videos", "media", "gameplay")
# What each scene type needs (api/hooked.md §6.16).
SCENE_REQUIRED = {
    "avatar": ("script", "avatarId", "voiceId"),
    "video": ("mediaId",),
    "picture_in_picture": ("script", "avatarId", "voiceId", "mediaId"),
    "start_end_frame": ("startFrameMediaId", "endFrameMediaId", "framePrompt"),
}
VIDEO_TYPES = (
    "class",
    "ugc_ads",
    "ugc_video",
    "script_to_video",
    "prompt_to_video",
    "hook_demo",
    "product_ads",
    "scenes",
    "add_captions",
    "extend_video",
    "remove_background",
    "tiktok_slideshow",
)
VIDEO_STATUSES = ("draft", "processing", "completed", "failed")
SCHEDULE_STATUSES = ("pending", "published", "failed", "draft")
TREND_PLATFORMS = ("tiktok", "youtube")
AVATAR_TYPES = ("library", "custom", "all")
TEMPLATE_VARIABLE_TYPES = ("text", "media")
METADATA_MAX_BYTES = 5 * 1024
MAX_MEDIA_ITEMS = 50
# Page sizes the server uses when `limit` is omitted (api/hooked.md §8).
VIDEO_PAGE_SIZE, SCHEDULE_PAGE_SIZE, TREND_PAGE_SIZE, SEARCH_PAGE_SIZE = 50, 50, 20, 20

CREATE_HINT = "Check your Hooked videos for this project before creating it again."
SCHEDULE_HINT = "Check client.schedules.list() for this post before scheduling it again."


# -- wire conversion ---------------------------------------------------------------


def to_wire(value: Any) -> Any:
    """snake_case keys -> camelCase (camelCase keys are unchanged), recursively;
    option dataclasses become dicts; unset (None) fields and keys are dropped, since
    Hooked's schemas treat an explicit null as a wrong type, not as "absent"."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            camel(f.name): to_wire(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not None
        }
    if isinstance(value, Mapping):
        return {camel(str(k)): to_wire(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    return value


def _object(field: str, value: Any, *, required: bool = False) -> dict[str, Any] | None:
    """A nested option (dict or option dataclass) in wire form."""
    if value is None:
        if required:
            raise ValidationError(field, "is required")
        return None
    if not isinstance(value, Mapping) and not (
        dataclasses.is_dataclass(value) and not isinstance(value, type)
    ):
        raise ValidationError(field, f"must be an object (a dict), got {type(value).__name__}")
    return to_wire(value)


def _list(
    field: str,
    value: Any,
    *,
    required: bool = False,
    min_items: int | None = None,
    max_items: int | None = None,
) -> list[Any] | None:
    if value is None:
        if required:
            raise ValidationError(field, "is required")
        return None
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise ValidationError(field, f"must be a list, got {type(value).__name__}")
    items = list(value)
    if min_items is not None and len(items) < min_items:
        raise ValidationError(field, f"must have at least {min_items} item(s), got {len(items)}")
    if max_items is not None and len(items) > max_items:
        raise ValidationError(field, f"must have at most {max_items} items, got {len(items)}")
    return items


def _id_list(field: str, value: Any, *, required: bool = False) -> list[str] | None:
    """Media IDs already uploaded to the account: 1 to 50 non-empty strings."""
    items = _list(field, value, required=required, min_items=1, max_items=MAX_MEDIA_ITEMS)
    for index, item in enumerate(items or ()):
        check_str(f"{field}.{index}", item, required=True)
    return items


def _name(value: Any) -> None:
    check_str("name", value, min_len=1, max_len=100)


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def check_webhook(field: str, value: Any) -> None:
    """HTTPS, at most 500 characters. Plain http is let through only to a loopback
    host, so a local receiver can be tested against the Simulator (which accepts it);
    Hooked itself refuses it."""
    check_url(field, value, max_len=500)
    if value is not None:
        parts = urlsplit(value.strip())
        if parts.scheme != "https" and parts.hostname not in LOOPBACK_HOSTS:
            raise ValidationError(field, f"must be an https:// URL, got {value!r}")


def check_metadata(value: Any) -> dict[str, Any] | None:
    metadata = check_mapping("metadata", value)
    if metadata is None:
        return None
    try:
        size = len(json.dumps(metadata, separators=(",", ":")).encode())
    except (TypeError, ValueError) as exc:
        raise ValidationError("metadata", f"must be JSON-serialisable ({exc})") from None
    if size > METADATA_MAX_BYTES:
        raise ValidationError("metadata", f"must be at most 5 KB as JSON, got {size} bytes")
    return metadata


def check_caption(value: Any) -> dict[str, Any] | None:
    caption = _object("caption", value)
    if caption is None:
        return None
    check_enum("caption.preset", caption.get("preset"), CAPTION_PRESETS)
    check_enum("caption.alignment", caption.get("alignment"), ALIGNMENTS)
    check_bool("caption.disabled", caption.get("disabled"))
    return caption


def check_audio(value: Any) -> dict[str, Any] | None:
    audio = _object("audio", value)
    if audio is None:
        return None
    # Only the types are documented (ElevenLabs-style settings); the ranges are not.
    for key in ("speed", "stability", "similarityBoost", "style"):
        check_number(f"audio.{key}", audio.get(key))
    check_bool("audio.useSpeakerBoost", audio.get("useSpeakerBoost"))
    return audio


def _common_options(
    *,
    name: Any = None,
    music_id: Any = None,
    caption: Any = None,
    audio: Any = None,
    aspect_ratio: Any = None,
    language: Any = None,
    add_stickers: Any = None,
    lipsync_model: Any = None,
    webhook: Any = None,
    metadata: Any = None,
) -> dict[str, Any]:
    """The shared create options (api/hooked.md §4), validated, in wire form."""
    _name(name)
    # 30 is documented on some pages (add-captions, slideshow) and holds for all IDs seen.
    check_str("musicId", music_id, min_len=1, max_len=30)
    check_enum("aspectRatio", aspect_ratio, ASPECT_RATIOS)
    check_str("language", language, min_len=2, max_len=2)
    check_bool("addStickers", add_stickers)
    check_enum("lipsyncModel", lipsync_model, LIPSYNC_MODELS)
    check_webhook("webhook", webhook)
    return _compact(
        {
            "name": name,
            "lipsyncModel": lipsync_model,
            "musicId": music_id,
            "caption": check_caption(caption),
            "audio": check_audio(audio),
            "aspectRatio": aspect_ratio,
            "language": language,
            "addStickers": add_stickers,
            "webhook": webhook,
            "metadata": check_metadata(metadata),
        }
    )


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _create(path: str, body: dict[str, Any]) -> Call:
    return Call("POST", path, body=body, parse=CreatedProject.from_raw, hint=CREATE_HINT)


def _media_options(
    media_type: Any, media: Any, gameplay_settings: Any, preset_settings: Any
) -> dict[str, Any]:
    """mediaType and what it requires: `media` IDs for "media", `gameplaySettings`
    for "gameplay" (script-to-video and prompt-to-video)."""
    check_enum("mediaType", media_type, MEDIA_TYPES, required=True)
    media_ids = _id_list("media", media, required=media_type == "media")
    gameplay = _object("gameplaySettings", gameplay_settings, required=media_type == "gameplay")
    preset = _object("presetSettings", preset_settings)
    if preset is not None:
        check_str("presetSettings.preset", preset.get("preset"))
        check_str("presetSettings.quality", preset.get("quality"))
    return _compact(
        {
            "mediaType": media_type,
            "presetSettings": preset,
            "media": media_ids,
            "gameplaySettings": gameplay,
        }
    )


def _check_point(field: str, value: Any) -> None:
    point = check_mapping(field, value)
    if point is not None:
        check_number(f"{field}.x", point.get("x"), required=True)
        check_number(f"{field}.y", point.get("y"), required=True)


def _template_scenes(value: Any) -> list[dict[str, Any]]:
    scenes = _list("scenes", value, required=True, min_items=1, max_items=20)
    assert scenes is not None
    wire_scenes = []
    for i, raw_scene in enumerate(scenes):
        scene = _object(f"scenes.{i}", raw_scene, required=True)
        assert scene is not None
        check_str(f"scenes.{i}.script", scene.get("script"), required=True, max_len=5000)
        variables = _list(f"scenes.{i}.variables", scene.get("variables"), max_items=20)
        for j, variable in enumerate(variables or ()):
            path = f"scenes.{i}.variables.{j}"
            variable = check_mapping(path, variable) or {}
            check_str(f"{path}.key", variable.get("key"), required=True, max_len=100)
            check_str(f"{path}.value", variable.get("value"), required=True, max_len=2000)
            check_enum(f"{path}.type", variable.get("type"), TEMPLATE_VARIABLE_TYPES)
        avatar = check_mapping(f"scenes.{i}.avatar", scene.get("avatar"))
        if avatar is not None:
            check_str(f"scenes.{i}.avatar.id", avatar.get("id"), required=True)
            _check_point(f"scenes.{i}.avatar.topLeft", avatar.get("topLeft"))
            _check_point(f"scenes.{i}.avatar.bottomRight", avatar.get("bottomRight"))
        caption = check_mapping(f"scenes.{i}.caption", scene.get("caption"))
        if caption is not None:
            _check_point(f"scenes.{i}.caption.topLeft", caption.get("topLeft"))
            _check_point(f"scenes.{i}.caption.bottomRight", caption.get("bottomRight"))
        check_str(f"scenes.{i}.voiceId", scene.get("voiceId"), min_len=1, max_len=20)
        wire_scenes.append(scene)
    return wire_scenes


def _scenes(value: Any) -> list[dict[str, Any]]:
    scenes = _list("scenes", value, required=True, min_items=1, max_items=50)
    assert scenes is not None
    wire_scenes = []
    for i, raw_scene in enumerate(scenes):
        scene = _object(f"scenes.{i}", raw_scene, required=True)
        assert scene is not None
        scene_type = check_enum(
            f"scenes.{i}.type", scene.get("type"), SCENE_REQUIRED, required=True
        )
        for key in SCENE_REQUIRED[str(scene_type)]:
            check_str(f"scenes.{i}.{key}", scene.get(key), required=True)
        for key in (
            "avatarId",
            "voiceId",
            "mediaId",
            "startFrameMediaId",
            "endFrameMediaId",
            "frameModel",
            "framePrompt",
        ):
            check_str(f"scenes.{i}.{key}", scene.get(key))
        check_str(f"scenes.{i}.script", scene.get("script"), max_len=5000)
        check_number(f"scenes.{i}.frameDuration", scene.get("frameDuration"), minimum=0)
        wire_scenes.append(scene)
    return wire_scenes


def _slides(value: Any) -> list[dict[str, Any]]:
    slides = _list("slides", value, required=True, min_items=1, max_items=50)
    assert slides is not None
    wire_slides = []
    for i, raw_slide in enumerate(slides):
        slide = _object(f"slides.{i}", raw_slide, required=True)
        assert slide is not None
        check_str(f"slides.{i}.media", slide.get("media"), required=True)
        check_number(f"slides.{i}.duration", slide.get("duration"), minimum=1, maximum=10)
        texts = _list(f"slides.{i}.texts", slide.get("texts"), max_items=10)
        for j, text in enumerate(texts or ()):
            path = f"slides.{i}.texts.{j}"
            text = check_mapping(path, text) or {}
            check_str(f"{path}.text", text.get("text"), required=True, max_len=500)
            check_number(f"{path}.x", text.get("x"))
            check_number(f"{path}.y", text.get("y"))
        wire_slides.append(slide)
    return wire_slides


def _product_ad_settings(value: Any) -> dict[str, Any]:
    settings = _object("productAdSettings", value, required=True)
    assert settings is not None
    check_url(
        "productAdSettings.websiteUrl",
        settings.get("websiteUrl"),
        required=True,
        https_only=True,
        max_len=500,
    )
    # `showWebsiteAfter` is the older name of `avatarIntroSeconds`; both are 1-30 s.
    for key in ("avatarIntroSeconds", "showWebsiteAfter"):
        check_number(f"productAdSettings.{key}", settings.get(key), minimum=1, maximum=30)
    check_number("productAdSettings.scrollInterval", settings.get("scrollInterval"), minimum=0)
    return settings


def _text_settings(value: Any) -> dict[str, Any] | None:
    settings = _object("textSettings", value)
    if settings is not None:
        # Documented only by example ("modern", "middle", "#FFFFFF"): types, no enums.
        for key in ("preset", "alignment", "textColor", "backgroundColor"):
            check_str(f"textSettings.{key}", settings.get(key))
        check_bool("textSettings.disabled", settings.get("disabled"))
    return settings


def _ad_settings(value: Any) -> dict[str, Any] | None:
    settings = _object("adSettings", value)
    if settings is not None:
        # bRollType's full enum was not published (only "rounded-cover" is known).
        check_str("adSettings.bRollType", settings.get("bRollType"))
        check_bool("adSettings.removeAvatarBackground", settings.get("removeAvatarBackground"))
    return settings


# -- queries and pages -------------------------------------------------------------


def _page_query(limit: Any, offset: Any, *, max_limit: int | None) -> list[tuple[str, str]]:
    limit = check_number("limit", limit, minimum=1, maximum=max_limit, integer=True)
    offset = check_number("offset", offset, minimum=0, integer=True)
    return [(k, str(v)) for k, v in (("limit", limit), ("offset", offset)) if v is not None]


def _offset_pages(
    fetch: Callable[[int | None], Call], requested_limit: Any, default_limit: int
) -> Paginate:
    """Page after page from `fetch(offset)`; the first request is exactly the one
    `list()` sends for the same arguments (`offset` None = the caller's own)."""
    page_size = requested_limit or default_limit

    def next_offset(page: Any, offset: int | None) -> int | None:
        items = page.items
        if not items:
            return None
        start = offset if offset is not None else (page.offset or 0)
        following = start + len(items)
        if page.total is not None:
            return following if following < page.total else None
        # No total (trends): a short page is the last one.
        return following if len(items) >= (page.limit or page_size) else None

    return Paginate(fetch=fetch, items=lambda page: page.items, next_cursor=next_offset)


def _items(raw: Any, *keys: str) -> list[Any]:
    """A list payload that is either a bare list or a list under one of `keys` (the
    voice, music, niche and integration list shapes are undocumented)."""
    if isinstance(raw, list):
        return raw
    if isinstance(raw, dict):
        for key in (*keys, "items", "results", "data"):
            if isinstance(raw.get(key), list):
                return raw[key]
        lists = [v for v in raw.values() if isinstance(v, list)]
        if len(lists) == 1:
            return lists[0]
    return []


def _list_of(model: Any, *keys: str) -> Callable[[Any], list[Any]]:
    return lambda raw: model.list_from_raw(_items(raw, *keys))


def _one(model: Any, key: str) -> Callable[[Any], Any]:
    """A single object, also when wrapped as `{key: {...}}`."""

    def parse(raw: Any) -> Any:
        if isinstance(raw, dict) and isinstance(raw.get(key), dict) and "id" not in raw:
            raw = raw[key]
        return model.from_raw(raw)

    return parse


def _utc_timestamp(field: str, value: Any) -> str:
    """A future instant as ISO 8601 UTC with milliseconds and `Z` (what Hooked's
    examples send). Naive datetimes and offset-less strings are taken as UTC."""
    if isinstance(value, datetime):
        when = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    elif isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValidationError(field, f"must be an ISO 8601 date-time, got {value!r}")
        when = parsed
    else:
        raise ValidationError(
            field, f"must be a datetime or an ISO 8601 string, got {type(value).__name__}"
        )
    when = when.astimezone(timezone.utc)
    if when <= datetime.now(timezone.utc):
        raise ValidationError(field, f"must be in the future, got {when.isoformat()}")
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _platform_data(value: Any) -> dict[str, Any] | None:
    data = _object("platformData", value)
    if data is None:
        return None
    # The platform is only known from the integration, so each limit is the loosest
    # one documented: title 100 (YouTube), description 5000 (YouTube; TikTok and
    # Instagram stop at 2200, which the server reports).
    check_str("platformData.title", data.get("title"), max_len=100)
    check_str("platformData.description", data.get("description"), max_len=5000, strip=False)
    tags = _list("platformData.tags", data.get("tags"))
    for i, tag in enumerate(tags or ()):
        check_str(f"platformData.tags.{i}", tag, required=True)
    check_str("platformData.privacyStatus", data.get("privacyStatus"))
    check_bool("platformData.madeForKids", data.get("madeForKids"))
    return data


def _failure(video: Video) -> tuple[str | None, str | None]:
    return "FAILED", video.message


# -- resources ---------------------------------------------------------------------


class Videos(Resource):
    def _get_call(self, video_id: str) -> Call:
        return Call("GET", f"/video/{segment('video_id', video_id)}", parse=Video.from_raw)

    @endpoint
    def get(self, video_id: str) -> Video:
        """Status and details of one video of your team."""
        return self._get_call(video_id)

    def _list_call(
        self, type: Any, status: Any, limit: Any, offset: Any
    ) -> Callable[[int | None], Call]:
        check_enum("type", type, VIDEO_TYPES)
        check_enum("status", status, VIDEO_STATUSES)
        filters = [(k, v) for k, v in (("type", type), ("status", status)) if v is not None]
        _page_query(limit, offset, max_limit=100)

        def fetch(page_offset: int | None) -> Call:
            query = filters + _page_query(
                limit, offset if page_offset is None else page_offset, max_limit=100
            )
            return Call("GET", "/video/list", query=query, parse=VideoPage.from_raw)

        return fetch

    @endpoint
    def list(
        self,
        *,
        type: str | None = None,
        status: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> VideoPage:
        """One page of your team's videos (templates excluded), newest first.
        `type`: a project type (`ugc_ads`, `scenes`, ...); `status`: draft, processing,
        completed or failed; `limit` 1-100 (server default 50)."""
        return self._list_call(type, status, limit, offset)(None)

    @endpoint
    def iter(
        self,
        *,
        type: str | None = None,
        status: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> Any:
        """Every video, fetched lazily page by page (`limit` = page size). An iterator
        on `Hooked`, an async iterator (`async for`) on `AsyncHooked`."""
        return _offset_pages(self._list_call(type, status, limit, offset), limit, VIDEO_PAGE_SIZE)

    @endpoint
    def wait(
        self,
        video_id: str,
        *,
        timeout: float = 1800.0,
        poll_interval: float | None = None,
        on_progress: Callable[[Video], Any] | None = None,
        progress: bool = False,
    ) -> Video:
        """Poll until COMPLETED (returned) or FAILED (`JobFailedError`)."""
        return Wait(
            call=self._get_call(video_id),
            job_id=video_id,
            parse=Video.from_raw,
            complete=["completed"],
            failed=["failed"],
            complete_requires="/url",
            schedule=VIDEO_SCHEDULE,
            timeout=check_timeout("timeout", timeout),
            poll_interval=None
            if poll_interval is None
            else check_timeout("poll_interval", poll_interval),
            on_progress=on_progress,
            progress=progress,
            failure=_failure,
            resume=f"client.videos.wait({video_id!r})",
        )

    @endpoint
    def download(
        self,
        video_id: str,
        path: str | os.PathLike[str],
        *,
        on_progress: Callable[[int, int | None], Any] | None = None,
        progress: bool = False,
    ) -> Path:
        """Stream the video's MP4 to `path`: bounded memory, written to a temporary
        file renamed into place only when complete; an expired signed URL (storage
        answers 403) is replaced by fetching the video again."""
        report = yield Download(
            refresh=self._get_call(video_id),
            url_pointer="/url",
            path=check_path("path", path),
            on_progress=on_progress,
            progress=progress,
        )
        return Path(report["path"])


class Projects(Resource):
    """One method per create endpoint; each returns a `CreatedProject` whose
    `video_id` is what `videos.wait` / `videos.download` take.

    The older `POST /project/create/ugc-video` is left out: the current docs replace
    it with talking-avatar (`create_talking_avatar`), and it is only documented on the
    previous brand's site and the white-label clone."""

    @endpoint
    def create_from_template(
        self,
        *,
        template_id: str,
        title: str,
        caption: bool,
        language: str,
        scenes: Sequence[Any],
        aspect_ratio: str | None = None,
        webhook: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> CreatedProject:
        """A video from one of your templates (`POST /project/create`, type "class").
        `scenes` (1-20): `TemplateScene` or dicts with `script` (may use `{{key}}`
        placeholders filled from `variables`), optional `avatar`, `caption` box and
        `voice_id`. The answer has `project_id` and status "processing"."""
        check_str("templateId", template_id, required=True, max_len=20)
        check_str("title", title, required=True, max_len=100)
        if caption is None:
            raise ValidationError("caption", "is required (True to add captions)")
        check_bool("caption", caption)
        check_str("language", language, required=True, min_len=2, max_len=2)
        wire_scenes = _template_scenes(scenes)
        body = {
            "type": "class",
            "templateId": template_id,
            "title": title,
            "caption": caption,
            "language": language,
            "scenes": wire_scenes,
        }
        body.update(_common_options(aspect_ratio=aspect_ratio, webhook=webhook, metadata=metadata))
        return _create("/project/create", body)

    @endpoint
    def create_ugc_ad(
        self,
        *,
        script: str,
        avatar_id: str,
        voice_id: str,
        media: Sequence[str],
        name: str | None = None,
        lipsync_model: str | None = None,
        ad_settings: Mapping[str, Any] | None = None,
        music_id: str | None = None,
        caption: Mapping[str, Any] | None = None,
        aspect_ratio: str | None = None,
        language: str | None = None,
        webhook: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> CreatedProject:
        """A UGC ad: an avatar reading `script` with your product media as B-roll
        (`POST /project/create/ugc-ads`; `media`: 1-50 uploaded media IDs)."""
        # The MCP server sends productUrl/hook/cta and no media; the docs win (§9).
        check_str("script", script, required=True, max_len=10000)
        check_str("avatarId", avatar_id, required=True)
        check_str("voiceId", voice_id, required=True)
        body: dict[str, Any] = {
            "script": script,
            "avatarId": avatar_id,
            "voiceId": voice_id,
            "media": _id_list("media", media, required=True),
        }
        body.update(_compact({"adSettings": _ad_settings(ad_settings)}))
        body.update(
            _common_options(
                name=name,
                lipsync_model=lipsync_model,
                music_id=music_id,
                caption=caption,
                aspect_ratio=aspect_ratio,
                language=language,
                webhook=webhook,
                metadata=metadata,
            )
        )
        return _create("/project/create/ugc-ads", body)

    @endpoint
    def create_talking_avatar(
        self,
        *,
        script: str,
        avatar_id: str,
        voice_id: str,
        name: str | None = None,
        lipsync_model: str | None = None,
        music_id: str | None = None,
        caption: Mapping[str, Any] | None = None,
        audio: Mapping[str, Any] | None = None,
        aspect_ratio: str | None = None,
        language: str | None = None,
        webhook: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> CreatedProject:
        """A talking-avatar video (`POST /project/create/talking-avatar`)."""
        check_str("script", script, required=True, max_len=10000)
        check_str("avatarId", avatar_id, required=True)
        check_str("voiceId", voice_id, required=True)
        body: dict[str, Any] = {"script": script, "avatarId": avatar_id, "voiceId": voice_id}
        body.update(
            _common_options(
                name=name,
                lipsync_model=lipsync_model,
                music_id=music_id,
                caption=caption,
                audio=audio,
                aspect_ratio=aspect_ratio,
                language=language,
                webhook=webhook,
                metadata=metadata,
            )
        )
        return _create("/project/create/talking-avatar", body)

    @endpoint
    def create_script_to_video(
        self,
        *,
        script: str,
        voice_id: str,
        media_type: str,
        name: str | None = None,
        preset_settings: Mapping[str, Any] | None = None,
        media: Sequence[str] | None = None,
        gameplay_settings: Mapping[str, Any] | None = None,
        music_id: str | None = None,
        aspect_ratio: str | None = None,
        caption: Mapping[str, Any] | None = None,
        language: str | None = None,
        add_stickers: bool | None = None,
        audio: Mapping[str, Any] | None = None,
        webhook: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> CreatedProject:
        """A narrated video over AI images, AI videos, your media or gameplay
        (`POST /project/create/script-to-video`). `media_type`: ai-images, ai-videos,
        media (needs `media`) or gameplay (needs `gameplay_settings`)."""
        # The MCP server sends avatarId/captionStyle here instead; the docs win (§9).
        check_str("script", script, required=True, max_len=10000)
        check_str("voiceId", voice_id, required=True)
        body: dict[str, Any] = {"script": script, "voiceId": voice_id}
        body.update(_media_options(media_type, media, gameplay_settings, preset_settings))
        body.update(
            _common_options(
                name=name,
                music_id=music_id,
                aspect_ratio=aspect_ratio,
                caption=caption,
                language=language,
                add_stickers=add_stickers,
                audio=audio,
                webhook=webhook,
                metadata=metadata,
            )
        )
        return _create("/project/create/script-to-video", body)

    @endpoint
    def create_prompt_to_video(
        self,
        *,
        prompt: str,
        voice_id: str,
        media_type: str,
        target_duration: int | None = None,
        preset_settings: Mapping[str, Any] | None = None,
        aspect_ratio: str | None = None,
        language: str | None = None,
        name: str | None = None,
        media: Sequence[str] | None = None,
        gameplay_settings: Mapping[str, Any] | None = None,
        music_id: str | None = None,
        caption: Mapping[str, Any] | None = None,
        add_stickers: bool | None = None,
        audio: Mapping[str, Any] | None = None,
        webhook: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> CreatedProject:
        """A video from a prompt: Hooked writes the script, then renders it like
        script-to-video (`POST /project/create/prompt-to-video`; `target_duration`
        10-120 s, server default 60)."""
        # The MCP server sends only prompt/avatarId/voiceId/webhook; the docs win (§9).
        # The white-label clone also marks aspectRatio and language required; Hooked's
        # own page (truncated) does not say, so they stay optional and the server rules.
        check_str("prompt", prompt, required=True, max_len=4000)
        check_str("voiceId", voice_id, required=True)
        target = check_number(
            "targetDuration", target_duration, minimum=10, maximum=120, integer=True
        )
        body: dict[str, Any] = {"prompt": prompt, "voiceId": voice_id}
        body.update(_media_options(media_type, media, gameplay_settings, preset_settings))
        body.update(_compact({"targetDuration": target}))
        body.update(
            _common_options(
                name=name,
                music_id=music_id,
                aspect_ratio=aspect_ratio,
                caption=caption,
                language=language,
                add_stickers=add_stickers,
                audio=audio,
                webhook=webhook,
                metadata=metadata,
            )
        )
        return _create("/project/create/prompt-to-video", body)

    @endpoint
    def create_hook_demo(
        self,
        *,
        avatar_id: str,
        text: str,
        name: str | None = None,
        media: Sequence[str] | None = None,
        music_id: str | None = None,
        text_settings: Mapping[str, Any] | None = None,
        aspect_ratio: str | None = None,
        webhook: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> CreatedProject:
        """An avatar hook with on-screen `text` (1-5000 characters) followed by your
        demo media (`POST /project/create/hook-demo`). May come back already
        COMPLETED: it is generated in real time."""
        check_str("avatarId", avatar_id, required=True)
        check_str("text", text, required=True, max_len=5000)
        body: dict[str, Any] = {"avatarId": avatar_id, "text": text}
        body.update(
            _compact(
                {"media": _id_list("media", media), "textSettings": _text_settings(text_settings)}
            )
        )
        body.update(
            _common_options(
                name=name,
                music_id=music_id,
                aspect_ratio=aspect_ratio,
                webhook=webhook,
                metadata=metadata,
            )
        )
        return _create("/project/create/hook-demo", body)

    @endpoint
    def create_product_ad(
        self,
        *,
        script: str,
        product_ad_settings: Mapping[str, Any],
        avatar_id: str | None = None,
        voice_id: str | None = None,
        name: str | None = None,
        lipsync_model: str | None = None,
        music_id: str | None = None,
        caption: Mapping[str, Any] | None = None,
        audio: Mapping[str, Any] | None = None,
        aspect_ratio: str | None = None,
        language: str | None = None,
        webhook: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> CreatedProject:
        """An avatar intro, then a scroll through your website
        (`POST /project/create/product-ads`). `product_ad_settings`: `website_url`
        (HTTPS, required), `avatar_intro_seconds` (1-30), `scroll_interval`."""
        # The published field list stops after productAdSettings; avatarId/voiceId are
        # in the docs' example, so they are offered but not required here.
        check_str("script", script, required=True, max_len=10000)
        check_str("avatarId", avatar_id)
        check_str("voiceId", voice_id)
        body: dict[str, Any] = {"script": script}
        body.update(_compact({"avatarId": avatar_id, "voiceId": voice_id}))
        body["productAdSettings"] = _product_ad_settings(product_ad_settings)
        body.update(
            _common_options(
                name=name,
                lipsync_model=lipsync_model,
                music_id=music_id,
                caption=caption,
                audio=audio,
                aspect_ratio=aspect_ratio,
                language=language,
                webhook=webhook,
                metadata=metadata,
            )
        )
        return _create("/project/create/product-ads", body)

    @endpoint
    def create_scenes(
        self,
        *,
        scenes: Sequence[Any],
        name: str | None = None,
        music_id: str | None = None,
        caption: Mapping[str, Any] | None = None,
        aspect_ratio: str | None = None,
        add_stickers: bool | None = None,
        audio: Mapping[str, Any] | None = None,
        language: str | None = None,
        webhook: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> CreatedProject:
        """A multi-scene video (`POST /project/create/scenes`; 1-50 `Scene`s or dicts:
        avatar, video, picture_in_picture, start_end_frame). The answer carries only
        `project_id`: no video ID until the project renders."""
        body: dict[str, Any] = {"scenes": _scenes(scenes)}
        body.update(
            _common_options(
                name=name,
                music_id=music_id,
                caption=caption,
                aspect_ratio=aspect_ratio,
                add_stickers=add_stickers,
                audio=audio,
                language=language,
                webhook=webhook,
                metadata=metadata,
            )
        )
        return _create("/project/create/scenes", body)

    @endpoint
    def add_captions(
        self,
        *,
        media: str,
        name: str | None = None,
        music_id: str | None = None,
        caption: Mapping[str, Any] | None = None,
        language: str | None = None,
        add_stickers: bool | None = None,
        webhook: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> CreatedProject:
        """Caption an uploaded video (`POST /project/create/add-captions`; server
        defaults: preset classic, alignment bottom, language en)."""
        check_str("media", media, required=True)
        body: dict[str, Any] = {"media": media}
        body.update(
            _common_options(
                name=name,
                music_id=music_id,
                caption=caption,
                language=language,
                add_stickers=add_stickers,
                webhook=webhook,
                metadata=metadata,
            )
        )
        return _create("/project/create/add-captions", body)

    @endpoint
    def extend_video(
        self,
        *,
        media: str,
        prompt: str,
        name: str | None = None,
        target_duration: int | None = None,
        generate_audio: bool | None = None,
        webhook: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> CreatedProject:
        """Extend an uploaded video with Veo 3.1 (`POST /project/create/extend-video`;
        `target_duration` 4-60 s in steps of 4, server default 4)."""
        check_str("media", media, required=True)
        check_str("prompt", prompt, required=True, max_len=2000)
        # Veo extends in 4-second segments, hence the multiple of 4.
        target = check_number(
            "targetDuration", target_duration, minimum=4, maximum=60, integer=True, multiple_of=4
        )
        check_bool("generateAudio", generate_audio)
        body: dict[str, Any] = {"media": media, "prompt": prompt}
        body.update(_compact({"targetDuration": target, "generateAudio": generate_audio}))
        body.update(_common_options(name=name, webhook=webhook, metadata=metadata))
        return _create("/project/create/extend-video", body)

    @endpoint
    def remove_background(
        self,
        *,
        media: str,
        name: str | None = None,
        webhook: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> CreatedProject:
        """Remove an uploaded video's background
        (`POST /project/create/remove-background`)."""
        check_str("media", media, required=True)
        body: dict[str, Any] = {"media": media}
        body.update(_common_options(name=name, webhook=webhook, metadata=metadata))
        return _create("/project/create/remove-background", body)

    @endpoint
    def create_tiktok_slideshow(
        self,
        *,
        slides: Sequence[Any],
        aspect_ratio: str,
        language: str,
        name: str | None = None,
        script: str | None = None,
        voice_id: str | None = None,
        avatar_id: str | None = None,
        lipsync_model: str | None = None,
        music_id: str | None = None,
        webhook: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> CreatedProject:
        """A TikTok-style slideshow (`POST /project/create/tiktok-slideshow`): 1-50
        `Slide`s (media ID, 1-10 s, up to 10 `SlideText` overlays), optionally
        narrated (`script` needs `voice_id`)."""
        # The MCP server sends title/slides[{text, imageUrl}]; the docs win (§9).
        wire_slides = _slides(slides)
        check_enum("aspectRatio", aspect_ratio, ASPECT_RATIOS, required=True)
        check_str("language", language, required=True, min_len=2, max_len=2)
        check_str("script", script, max_len=10000)
        check_str("voiceId", voice_id, min_len=1, max_len=30)
        check_str("avatarId", avatar_id, min_len=1, max_len=30)
        if script is not None and voice_id is None:
            raise ValidationError("voiceId", "is required when script is set (narration)")
        body: dict[str, Any] = {"slides": wire_slides}
        body.update(_compact({"script": script, "voiceId": voice_id, "avatarId": avatar_id}))
        body.update(
            _common_options(
                name=name,
                aspect_ratio=aspect_ratio,
                language=language,
                lipsync_model=lipsync_model,
                music_id=music_id,
                webhook=webhook,
                metadata=metadata,
            )
        )
        return _create("/project/create/tiktok-slideshow", body)


class Avatars(Resource):
    @endpoint
    def list(self, *, type: str | None = None) -> list[Avatar]:
        """Library and/or custom avatars (`type`: library, custom or all)."""
        check_enum("type", type, AVATAR_TYPES)
        query = [("type", type)] if type else []
        return Call("GET", "/avatar/list", query=query, parse=_list_of(Avatar, "avatars"))


class Voices(Resource):
    @endpoint
    def list(self) -> list[Voice]:
        """Voices for `voice_id`."""
        return Call("GET", "/voice/list", parse=_list_of(Voice, "voices"))


class MusicTracks(Resource):
    @endpoint
    def list(self) -> list[Music]:
        """Background tracks for `music_id`."""
        return Call("GET", "/music/list", parse=_list_of(Music, "music", "tracks", "musics"))


class Templates(Resource):
    @endpoint
    def list(self) -> list[Template]:
        """Your templates, for `projects.create_from_template`."""
        return Call("GET", "/template/list", parse=_list_of(Template, "templates"))

    @endpoint
    def get(self, template_id: str) -> Template:
        """One template, with its scenes and settings."""
        return Call(
            "GET",
            f"/template/{segment('template_id', template_id)}",
            parse=_one(Template, "template"),
        )


class Niches(Resource):
    @endpoint
    def list(self) -> list[Niche]:
        """Niches, the `niche` filter of `trends.videos`."""
        return Call("GET", "/niche/list", parse=_list_of(Niche, "niches"))


class Trends(Resource):
    def _videos_call(
        self, platform: Any, niche: Any, limit: Any, offset: Any
    ) -> Callable[[int | None], Call]:
        check_enum("platform", platform, TREND_PLATFORMS)
        check_str("niche", niche, min_len=1)
        filters = [(k, v) for k, v in (("platform", platform), ("niche", niche)) if v is not None]
        _page_query(limit, offset, max_limit=50)

        def fetch(page_offset: int | None) -> Call:
            query = filters + _page_query(
                limit, offset if page_offset is None else page_offset, max_limit=50
            )
            return Call("GET", "/trends/videos", query=query, parse=_trend_page)

        return fetch

    @endpoint
    def videos(
        self,
        *,
        platform: str | None = None,
        niche: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> TrendPage:
        """One page of trending videos (`platform`: tiktok or youtube; `niche`: an ID
        from `niches.list()`; `limit` 1-50, server default 20)."""
        return self._videos_call(platform, niche, limit, offset)(None)

    @endpoint
    def iter_videos(
        self,
        *,
        platform: str | None = None,
        niche: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> Any:
        """Every trending video, page by page (`limit` = page size); an async iterator
        on `AsyncHooked`."""
        return _offset_pages(
            self._videos_call(platform, niche, limit, offset), limit, TREND_PAGE_SIZE
        )


class SocialSearches(Resource):
    """Searches of TikTok / YouTube for a term, with engagement analytics. Documented
    on the previous brand's site (docs.tryhooked.ai) only."""

    @endpoint
    def create(self, search_term: str, platform: str, *, limit: int | None = None) -> SocialSearch:
        """Search `platform` (tiktok or youtube) for `search_term` (1-200 characters,
        trimmed by the server) and analyse up to `limit` (1-50, default 20) videos."""
        check_str("searchTerm", search_term, required=True, max_len=200)
        check_enum("platform", platform, TREND_PLATFORMS, required=True)
        check_number("limit", limit, minimum=1, maximum=50, integer=True)
        body = _compact({"searchTerm": search_term, "platform": platform, "limit": limit})
        return Call(
            "POST",
            "/social/search/create",
            body=body,
            parse=_created_search,
            hint="Check your Hooked social searches before searching again.",
        )

    def _get_call(self, search_id: Any, limit: Any, offset: Any) -> Callable[[int | None], Call]:
        path = f"/social/search/{segment('search_id', search_id)}"
        _page_query(limit, offset, max_limit=50)

        def fetch(page_offset: int | None) -> Call:
            query = _page_query(limit, offset if page_offset is None else page_offset, max_limit=50)
            return Call("GET", path, query=query, parse=SocialSearch.from_raw)

        return fetch

    @endpoint
    def get(
        self, search_id: str, *, limit: int | None = None, offset: int | None = None
    ) -> SocialSearch:
        """The search, its analytics and one page of the videos found."""
        return self._get_call(search_id, limit, offset)(None)

    @endpoint
    def iter_videos(
        self, search_id: str, *, limit: int | None = None, offset: int | None = None
    ) -> Any:
        """Every video the search found, page by page (`limit` = page size)."""
        return _offset_pages(self._get_call(search_id, limit, offset), limit, SEARCH_PAGE_SIZE)


def _created_search(raw: Any) -> SocialSearch:
    # create answers {search: {...}, videosFound}: one model, `raw` the whole data.
    fields = dict(raw.get("search") or {}) if isinstance(raw, dict) else {}
    if isinstance(raw, dict):
        fields["videosFound"] = raw.get("videosFound")
    search = SocialSearch.from_raw(fields)
    object.__setattr__(search, "raw", raw)
    return search


def _trend_page(raw: Any) -> TrendPage:
    # Only `data.videos[]` is documented; a bare list is taken as the videos.
    if isinstance(raw, list):
        page = TrendPage.from_raw({"videos": raw})
        object.__setattr__(page, "raw", raw)
        return page
    return TrendPage.from_raw(raw)


class Schedules(Resource):
    """Posts of finished videos to connected social accounts (see `integrations`)."""

    @endpoint
    def create(
        self,
        video_id: str,
        integration_id: str,
        scheduled_date_time: datetime | str,
        *,
        platform_data: Mapping[str, Any] | None = None,
    ) -> ScheduledPost:
        """Schedule a COMPLETED video for posting at `scheduled_date_time` (a future
        aware datetime, a naive one taken as UTC, or an ISO 8601 string).
        `platform_data`: title, description, tags, privacy_status, made_for_kids."""
        check_str("videoId", video_id, required=True)
        check_str("integrationId", integration_id, required=True)
        body: dict[str, Any] = {
            "videoId": video_id,
            "integrationId": integration_id,
            "scheduledDateTime": _utc_timestamp("scheduledDateTime", scheduled_date_time),
        }
        body.update(_compact({"platformData": _platform_data(platform_data)}))
        return Call(
            "POST", "/schedule/create", body=body, parse=ScheduledPost.from_raw, hint=SCHEDULE_HINT
        )

    def _list_call(
        self, status: Any, platform: Any, limit: Any, offset: Any
    ) -> Callable[[int | None], Call]:
        check_enum("status", status, SCHEDULE_STATUSES)
        check_str("platform", platform, min_len=1)
        filters = [(k, v) for k, v in (("status", status), ("platform", platform)) if v is not None]
        _page_query(limit, offset, max_limit=None)

        def fetch(page_offset: int | None) -> Call:
            query = filters + _page_query(
                limit, offset if page_offset is None else page_offset, max_limit=None
            )
            return Call("GET", "/schedule/list", query=query, parse=SchedulePage.from_raw)

        return fetch

    @endpoint
    def list(
        self,
        *,
        status: str | None = None,
        platform: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> SchedulePage:
        """One page of scheduled posts (`status`: pending, published, failed or draft;
        `platform`: e.g. youtube, tiktok, instagram; server default `limit` 50)."""
        return self._list_call(status, platform, limit, offset)(None)

    @endpoint
    def iter(
        self,
        *,
        status: str | None = None,
        platform: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> Any:
        """Every scheduled post, page by page (`limit` = page size); an async iterator
        on `AsyncHooked`."""
        return _offset_pages(
            self._list_call(status, platform, limit, offset), limit, SCHEDULE_PAGE_SIZE
        )

    @endpoint
    def get(self, schedule_id: str) -> ScheduledPost:
        """One scheduled post: status, the integration, the video and `platform_data`
        (`publishedUrl` once published, `error` once failed)."""
        return Call(
            "GET", f"/schedule/{segment('schedule_id', schedule_id)}", parse=ScheduledPost.from_raw
        )

    @endpoint
    def update(
        self,
        schedule_id: str,
        *,
        scheduled_date_time: datetime | str | None = None,
        platform_data: Mapping[str, Any] | None = None,
    ) -> ScheduledPost:
        """Move a pending post and/or change its `platform_data` (merged into the
        existing value by the server)."""
        path = f"/schedule/{segment('schedule_id', schedule_id)}"
        body = _compact(
            {
                "scheduledDateTime": None
                if scheduled_date_time is None
                else _utc_timestamp("scheduledDateTime", scheduled_date_time),
                "platformData": _platform_data(platform_data),
            }
        )
        # Setting the same values twice has the same effect, so retrying is safe.
        return Call("PATCH", path, body=body, parse=ScheduledPost.from_raw, idempotent=True)

    @endpoint
    def delete(self, schedule_id: str) -> DeletedSchedule:
        """Cancel a pending post (a published one cannot be deleted)."""
        return Call(
            "DELETE",
            f"/schedule/{segment('schedule_id', schedule_id)}",
            parse=DeletedSchedule.from_raw,
        )


class Integrations(Resource):
    """Connected social accounts. `is_healthy` is False for an expired token or an
    error: reconnect the account at https://hooked.so/settings/integrations."""

    @endpoint
    def list(self) -> list[Integration]:
        return Call("GET", "/integration/list", parse=_list_of(Integration, "integrations"))

    @endpoint
    def get(self, integration_id: str) -> Integration:
        return Call(
            "GET",
            f"/integration/{segment('integration_id', integration_id)}",
            parse=_one(Integration, "integration"),
        )


# The asyncio twins, derived from the declarations above (see `async_variant`).
AsyncVideos = async_variant(Videos)
AsyncProjects = async_variant(Projects)
AsyncAvatars = async_variant(Avatars)
AsyncVoices = async_variant(Voices)
AsyncMusicTracks = async_variant(MusicTracks)
AsyncTemplates = async_variant(Templates)
AsyncNiches = async_variant(Niches)
AsyncTrends = async_variant(Trends)
AsyncSchedules = async_variant(Schedules)
AsyncIntegrations = async_variant(Integrations)
AsyncSocialSearches = async_variant(SocialSearches)
