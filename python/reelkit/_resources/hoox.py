"""Hoox endpoints, each declared once (see `_endpoint.py`); the sync and asyncio
clients both serve them. Paths are relative to the base URL
(`https://app.hoox.video/api/public/v1`); wire names follow hoox.md §3 exactly.

Every credit-spending method takes `max_credits=`: the cost is estimated offline
(`_credits.py`) or quoted by the server (assets) and the call is refused with
`BudgetExceededError` before anything is sent."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Generator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import _credits
from .._endpoint import Call, Download, Resource, Wait, async_variant, endpoint
from .._errors import APIResponseError, ValidationError
from .._models.hoox import (
    AssetJob,
    AssetModel,
    AssetModelDetail,
    AssetPricing,
    AssetStatus,
    Avatar,
    AvatarJob,
    AvatarStatus,
    DuplicatedVideo,
    ExportJob,
    ExportStatus,
    Folder,
    GenerationJob,
    GenerationStatus,
    Look,
    Script,
    Voice,
)
from .._validation import (
    check_bool,
    check_callable,
    check_enum,
    check_mapping,
    check_number,
    check_str,
    check_str_list,
    check_url,
    drop_none,
)
from ._common import check_path, check_timeout, segment

__all__ = [
    "Assets",
    "Avatars",
    "Exports",
    "Folders",
    "Generations",
    "Scripts",
    "Videos",
    "Voices",
    "AsyncScripts",
    "AsyncVideos",
    "AsyncAvatars",
    "AsyncGenerations",
    "AsyncExports",
    "AsyncVoices",
    "AsyncAssets",
    "AsyncFolders",
]

# Documented polling cadence (hoox.md §1.10); assets: "every 2-5 s", most < 2 min.
GENERATION_SCHEDULE = [(0.0, 5.0), (60.0, 10.0), (300.0, 30.0)]
EXPORT_SCHEDULE = [(0.0, 3.0), (30.0, 5.0), (120.0, 10.0)]
AVATAR_SCHEDULE = [(0.0, 3.0), (30.0, 5.0), (120.0, 10.0)]
ASSET_SCHEDULE = [(0.0, 3.0), (60.0, 5.0), (300.0, 10.0)]

# generation/export `format`: the server (Oct 2025) accepted vertical/square/ads/custom;
# the newest docs and the official MCP client (hoox-mcp 0.1.7) also send `horizontal`,
# so we accept it (the server answers invalid_format if it still refuses).
VIDEO_FORMATS = ("vertical", "horizontal", "square", "ads", "custom")
AVATAR_FORMATS = ("vertical", "horizontal")
AVATAR_STYLES = ("iphone", "selfie", "podcast", "car", "conference", "raw")
# The MCP client also documents "1K"; the newest docs list 2K (default) and 4K.
AVATAR_RESOLUTIONS = ("1K", "2K", "4K")
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
WEB_SEARCH_KEYS = ("script", "images")
ENABLE_KEYS = ("subtitles", "broll", "music", "transitions")
ANIMATE_MODES = ("standard", "pro")
MEDIA_SHOW = ("full", "half", "background", "hide")

# /avatar/list filters (hoox.md §3.9, newest).
AVATAR_GENDERS = ("male", "female")
AVATAR_AGE_RANGES = ("senior", "adult", "young_adult", "adolescent")
AVATAR_ETHNICITIES = (
    "black-or-african-american",
    "white-western-european",
    "white-eastern-european",
    "hispanic-or-latino",
    "middle-eastern-or-north-african",
    "east-asian",
    "southeast-asian",
    "south-asian",
)
AVATAR_HAIR_COLORS = ("black", "brown", "blonde", "red", "gray", "white", "bald")
AVATAR_PLACES = (
    "bathroom",
    "beach",
    "car",
    "bedroom",
    "podcast",
    "home",
    "office",
    "gym",
    "outdoor",
    "kitchen",
    "restaurant",
    "studio",
    "street",
    "classroom",
    "hospital",
    "hotel",
    "park",
    "store",
    "cafe",
    "other",
)
AVATAR_ACTIONS = (
    "working",
    "eating",
    "drinking",
    "cooking",
    "exercising",
    "reading",
    "driving",
    "listening_to_music",
    "getting_a_haircut",
    "presenting",
    "calling",
    "relaxing",
    "shopping",
    "traveling",
    "applying_skincare",
)
AVATAR_EMOTIONS = (
    "happy",
    "calm",
    "focused",
    "relaxed",
    "neutral",
    "excited",
    "confident",
    "sad",
    "skeptical",
    "bored",
    "engaged",
)
AVATAR_ACCESSORIES = (
    "microphone",
    "laptop",
    "phone",
    "headphones",
    "earbuds",
    "glasses",
    "watch",
    "drink",
    "skincare",
    "book",
    "bag",
    "camera",
    "pillow",
    "earrings",
    "necklace",
    "bracelet",
    "ring",
)

ASSET_TYPES = ("image", "video")
ASSET_ASPECT_RATIOS = ("16:9", "9:16", "1:1", "3:2", "2:3", "4:3", "3:4", "21:9", "auto")
ASSET_REFERENCE_KEYS = ("url", "asset_id", "avatar_id")
FOLDER_TYPES = ("assets", "videos")
# Inputs /asset/pricing documents (hoox.md §3.17); anything else goes via extra_body.
PRICING_INPUTS = ("duration", "resolution", "model_settings", "image_count", "generation_count")

# `/avatar/list`, `/avatar/status`, `/voice/list` share their prefix with
# `/avatar/{id}` and `/voice/{id}`: such an id would call the wrong route.
_RESERVED_IDS = frozenset({"list", "status"})

_SPACE_HINT = "Check your Hoox space (app.hoox.video) for {what} before trying again."


def _poll_interval(value: Any) -> float | None:
    return None if value is None else check_timeout("poll_interval", value)


def _id(field: str, value: Any) -> str:
    """A path segment for an id that must not collide with a sibling route."""
    text = segment(field, value)
    if text.lower() in _RESERVED_IDS:
        raise ValidationError(field, f"{value!r} is not an id (it names another route)")
    return text


def _failure(status: Any) -> tuple[str | None, str | None]:
    """(code, message) of a failed job's `error` object, for `JobFailedError`."""
    code = getattr(status, "error_code", None)
    return (str(code).upper() if code else None), getattr(status, "error_message", None)


def _items(raw: Any, key: str) -> list[Any]:
    """A bare array, or the array under `key` (tolerates a wrapped list)."""
    if isinstance(raw, dict):
        raw = raw.get(key)
    return raw if isinstance(raw, list) else []


def _check_width_height(
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


def _check_flags(field: str, value: Any, keys: Sequence[str]) -> dict[str, bool] | None:
    """An object of documented boolean switches, e.g. `enable` or `web_search`."""
    flags = check_mapping(field, value)
    for key, flag in (flags or {}).items():
        if key not in keys:
            raise ValidationError(
                f"{field}.{key}", f"unknown key; expected one of {', '.join(map(repr, keys))}"
            )
        check_bool(f"{field}.{key}", flag)
    return flags


def _multi(field: str, value: Any, allowed: Sequence[str] | None = None) -> str | None:
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


def _bool_query(value: bool) -> str:
    return "true" if value else "false"


def _estimate_budget(max_credits: Any, estimate: Callable[[], float]) -> None:
    """Refuse before sending when the estimate exceeds `max_credits`."""
    if _credits.check_max_credits(max_credits) is None:
        return
    _credits.check_budget(estimate(), max_credits)


# -- sequence_plan ---------------------------------------------------------------------


def _check_media(field: str, media: Any) -> None:
    media = check_mapping(field, media)
    assert media is not None
    check_str(f"{field}.asset_id", media.get("asset_id"), min_len=1)
    check_url(f"{field}.url", media.get("url"))
    if media.get("asset_id") is None and media.get("url") is None:
        raise ValidationError(field, "needs an asset_id or a url")
    check_enum(f"{field}.show", media.get("show"), MEDIA_SHOW)
    check_number(f"{field}.start_at", media.get("start_at"), minimum=0)


def _check_sequence(field: str, sequence: Any, alone: bool) -> None:
    sequence = check_mapping(field, sequence)
    assert sequence is not None
    if "text" not in sequence:
        raise ValidationError(f"{field}.text", "is required (a string, or None for a pause)")
    text = sequence["text"]
    duration_ms = sequence.get("duration_ms")
    if text is None:
        check_number(f"{field}.duration_ms", duration_ms, required=True, minimum=1)
        if not alone:
            raise ValidationError(field, "a silent sequence (text None) must be alone in its block")
    else:
        check_str(f"{field}.text", text, required=True)
        if duration_ms is not None:
            # Spoken timing comes from the voice; the API takes durations for pauses only.
            raise ValidationError(
                f"{field}.duration_ms", "is only for silent sequences (text None)"
            )
    check_str(f"{field}.look_id", sequence.get("look_id"), min_len=1)
    if sequence.get("media") is not None:
        _check_media(f"{field}.media", sequence["media"])


def _check_sequence_plan(plan: Any) -> list[dict[str, Any]] | None:
    """Validate the documented `sequence_plan` schema (hoox.md §3.2): a non-empty list
    of speech blocks, each with >= 1 sequences."""
    if plan is None:
        return None
    if isinstance(plan, (str, bytes, Mapping)) or not isinstance(plan, Sequence):
        raise ValidationError("sequence_plan", "must be a list of speech blocks")
    if not plan:
        raise ValidationError("sequence_plan", "must have at least one speech block")
    for i, block in enumerate(plan):
        field = f"sequence_plan[{i}]"
        block = check_mapping(field, block)
        assert block is not None
        for key in ("voice_id", "avatar_id", "look_id"):
            check_str(f"{field}.{key}", block.get(key), min_len=1)
        check_url(f"{field}.audio_url", block.get("audio_url"))
        sequences = block.get("sequences")
        if isinstance(sequences, (str, bytes, Mapping)) or not isinstance(sequences, Sequence):
            raise ValidationError(f"{field}.sequences", "is required: a list of sequences")
        if not sequences:
            raise ValidationError(f"{field}.sequences", "must have at least one sequence")
        for j, sequence in enumerate(sequences):
            _check_sequence(f"{field}.sequences[{j}]", sequence, alone=len(sequences) == 1)
    # A deep copy: the request must not change if the caller mutates the plan later.
    return copy.deepcopy([dict(block) for block in plan])


def _plan_seconds(plan: list[dict[str, Any]]) -> float:
    """Spoken length of a plan as the server estimates scripts, plus its pauses."""
    chars, pause_ms = 0, 0.0
    for i, block in enumerate(plan):
        if block.get("audio_url"):
            raise ValidationError(
                f"sequence_plan[{i}].audio_url",
                "its length is unknown offline, so max_credits cannot be checked",
            )
        for sequence in block["sequences"]:
            if sequence.get("text") is None:
                pause_ms += sequence.get("duration_ms") or 0
            else:
                chars += len(sequence["text"])
    return chars / _credits.SCRIPT_CHARS_PER_MINUTE * 60 + pause_ms / 1000


# -- endpoints -------------------------------------------------------------------------


class Scripts(Resource):
    @endpoint
    def generate(
        self,
        prompt: str,
        *,
        duration: float | None = None,
        urls: Sequence[str] | None = None,
        web_search: bool | None = None,
        max_credits: float | None = None,
    ) -> Script:
        """Write a narration script (0.1 credit per started minute, +0.1 with web
        search, +0.1 per URL). `duration` is 10-600 s (server default 60); `urls`
        (at most 10) are scraped, and their images come back as `extracted_images`."""
        check_str("prompt", prompt, required=True, max_len=10_000)
        check_number("duration", duration, minimum=10, maximum=600)
        check_str_list("urls", urls, max_items=10, urls=True)
        check_bool("webSearch", web_search)
        _estimate_budget(max_credits, lambda: _credits.script_credits(duration, web_search, urls))
        body = drop_none(
            prompt=prompt,
            duration=duration,
            urls=list(urls) if urls is not None else None,
            # The one camelCase field of the API (hoox.md §3.1).
            webSearch=web_search,
        )
        return Call(
            "POST",
            "/script/generate",
            body=body,
            parse=Script.from_raw,
            hint="A script has no job to look up: check your credit usage in your "
            "Hoox space before generating it again.",
        )


class Videos(Resource):
    @endpoint
    def duplicate(
        self, video_id: str, *, voice_id: str | None = None, avatar_look_id: str | None = None
    ) -> DuplicatedVideo:
        """Copy a finished (`done`) video, optionally with a new voice and/or avatar
        look. The copy must then be exported (`client.exports.start`)."""
        check_str("video_id", video_id, required=True)
        check_str("voice_id", voice_id, min_len=1)
        check_str("avatar_look_id", avatar_look_id, min_len=1)
        return Call(
            "POST",
            "/video/duplicate",
            body=drop_none(video_id=video_id, voice_id=voice_id, avatar_look_id=avatar_look_id),
            parse=DuplicatedVideo.from_raw,
            hint=_SPACE_HINT.format(what="a new copy of this video"),
        )


def _looks(raw: Any) -> list[Look]:
    return Look.list_from_raw(_items(raw, "looks"))


class Avatars(Resource):
    @endpoint
    def list(
        self,
        *,
        gender: Sequence[str] | str | None = None,
        age_range: Sequence[str] | str | None = None,
        ethnicity: Sequence[str] | str | None = None,
        hair_color: Sequence[str] | str | None = None,
        place: Sequence[str] | str | None = None,
        selfie: bool | None = None,
        action: Sequence[str] | str | None = None,
        emotion: Sequence[str] | str | None = None,
        accessories: Sequence[str] | str | None = None,
        tags: Sequence[str] | str | None = None,
        only_public: bool | None = None,
    ) -> list[Look]:
        """Avatar *looks* (flattened), your space's first, then the public catalogue.
        Multi-value filters take a list or a comma string; `tags` is the older API's
        filter. A look's `id` is what `generations.start(avatar_id=...)` takes."""
        filters = [
            ("gender", _multi("gender", gender, AVATAR_GENDERS)),
            ("age_range", _multi("age_range", age_range, AVATAR_AGE_RANGES)),
            ("ethnicity", _multi("ethnicity", ethnicity, AVATAR_ETHNICITIES)),
            ("hair_color", _multi("hair_color", hair_color, AVATAR_HAIR_COLORS)),
            ("place", _multi("place", place, AVATAR_PLACES)),
            ("selfie", _bool_query(selfie) if check_bool("selfie", selfie) is not None else None),
            ("action", _multi("action", action, AVATAR_ACTIONS)),
            ("emotion", _multi("emotion", emotion, AVATAR_EMOTIONS)),
            ("accessories", _multi("accessories", accessories, AVATAR_ACCESSORIES)),
            ("tags", _multi("tags", tags)),
            (
                "onlyPublic",
                _bool_query(only_public)
                if check_bool("only_public", only_public) is not None
                else None,
            ),
        ]
        query = [(name, value) for name, value in filters if value is not None]
        return Call("GET", "/avatar/list", query=query, parse=_looks)

    @endpoint
    def get(self, avatar_id: str) -> Avatar:
        """An avatar (yours or public) with all its looks."""
        return Call("GET", f"/avatar/{_id('avatar_id', avatar_id)}", parse=Avatar.from_raw)

    @endpoint
    def look(self, avatar_id: str, look_id: str) -> Look:
        """One look of an avatar, with its generation `status` and `error_message`."""
        path = f"/avatar/{_id('avatar_id', avatar_id)}/look/{segment('look_id', look_id)}"
        return Call("GET", path, parse=Look.from_raw)

    @endpoint
    def create(
        self,
        *,
        prompt: str | None = None,
        style: str | None = None,
        format: str | None = None,
        resolution: str | None = None,
        name: str | None = None,
        place: str | None = None,
        element_images: Sequence[str] | None = None,
        image_urls: Sequence[str] | None = None,
        webhook_url: str | None = None,
        max_credits: float | None = None,
    ) -> AvatarJob:
        """Create an avatar from a text prompt (2 credits at 1K/2K, 4 at 4K; the look
        starts `pending`: wait with `avatars.wait(avatar_id, look_id)`), or from
        `image_urls` used as-is (free, ready at once; see `create_from_images`). When
        both are given the API uses the prompt."""
        check_str("prompt", prompt, min_len=1)
        check_str_list("imageUrls", image_urls, min_items=1, urls=True)
        if prompt is None and image_urls is None:
            raise ValidationError("prompt", "give a prompt (or image_urls)")
        check_enum("style", style, AVATAR_STYLES)
        check_enum("format", format, AVATAR_FORMATS)
        check_enum("resolution", resolution, AVATAR_RESOLUTIONS)
        check_str("name", name)
        check_str("place", place)
        check_str_list("elementImages", element_images, urls=True)
        check_url("webhook_url", webhook_url)
        _estimate_budget(
            max_credits,
            lambda: _credits.avatar_credits(resolution=resolution, from_images=prompt is None),
        )
        body = drop_none(
            prompt=prompt,
            style=style,
            format=format,
            resolution=resolution,
            name=name,
            place=place,
            webhook_url=webhook_url,
        )
        if element_images is not None:
            body["elementImages"] = list(element_images)
        if image_urls is not None:
            # `imageUrls`, as the official clients send it (the docs also accept `images`).
            body["imageUrls"] = list(image_urls)
        return Call(
            "POST",
            "/avatar/create",
            body=body,
            parse=AvatarJob.from_raw,
            hint=_SPACE_HINT.format(what="a new avatar"),
        )

    @endpoint
    def create_from_images(
        self,
        image_urls: Sequence[str],
        *,
        name: str | None = None,
        place: str | None = None,
        webhook_url: str | None = None,
    ) -> AvatarJob:
        """Create an avatar whose looks are your images, as-is (free, ready at once).
        Sent as `imageUrls`, as the official clients do (the docs also accept `images`)."""
        check_str_list("imageUrls", image_urls, required=True, min_items=1, urls=True)
        check_str("name", name)
        check_str("place", place)
        check_url("webhook_url", webhook_url)
        body = {
            "imageUrls": list(image_urls),
            **drop_none(name=name, place=place, webhook_url=webhook_url),
        }
        return Call(
            "POST",
            "/avatar/create",
            body=body,
            parse=AvatarJob.from_raw,
            hint=_SPACE_HINT.format(what="a new avatar"),
        )

    @endpoint
    def edit(
        self,
        avatar_id: str,
        look_id: str,
        *,
        prompt: str,
        style: str | None = None,
        format: str | None = None,
        resolution: str | None = None,
        images: Sequence[str] | None = None,
        image_urls: Sequence[str] | None = None,
        upscale: bool | None = None,
        look_name: str | None = None,
        place: str | None = None,
        tags: Sequence[str] | None = None,
        webhook_url: str | None = None,
        max_credits: float | None = None,
    ) -> AvatarJob:
        """Generate a new look from an existing one (2 credits at 1K/2K, 4 at 4K, +1.5
        with upscale). Extra reference images are sent as `imageUrls`: the docs'
        example says `images`, but the newest official clients (skill, hoox-mcp
        0.1.7) send `imageUrls`, and we follow them. `image_urls` is the same
        argument under the MCP tool's name."""
        if images is not None and image_urls is not None:
            raise ValidationError("imageUrls", "give images or image_urls, not both")
        images = images if images is not None else image_urls
        check_str("avatar_id", avatar_id, required=True)
        check_str("look_id", look_id, required=True)
        check_str("prompt", prompt, required=True)
        check_enum("style", style, AVATAR_STYLES)
        check_enum("format", format, AVATAR_FORMATS)
        check_enum("resolution", resolution, AVATAR_RESOLUTIONS)
        check_str_list("imageUrls", images, urls=True)
        check_bool("upscale", upscale)
        check_str("look_name", look_name)
        check_str("place", place)
        check_str_list("tags", tags)
        check_url("webhook_url", webhook_url)
        _estimate_budget(
            max_credits, lambda: _credits.avatar_credits(resolution=resolution, upscale=upscale)
        )
        body = drop_none(
            avatar_id=avatar_id,
            look_id=look_id,
            prompt=prompt,
            style=style,
            format=format,
            resolution=resolution,
            upscale=upscale,
            look_name=look_name,
            place=place,
            tags=list(tags) if tags is not None else None,
            webhook_url=webhook_url,
        )
        if images is not None:
            body["imageUrls"] = list(images)
        return Call(
            "POST",
            "/avatar/edit",
            body=body,
            parse=AvatarJob.from_raw,
            hint=_SPACE_HINT.format(what="a new look on this avatar"),
        )

    def _status_call(self, avatar_id: str, look_id: str) -> Call:
        check_str("avatar_id", avatar_id, required=True)
        check_str("look_id", look_id, required=True)
        return Call(
            "GET",
            "/avatar/status",
            query=[("avatar_id", avatar_id), ("look_id", look_id)],
            parse=AvatarStatus.from_raw,
        )

    @endpoint
    def status(self, avatar_id: str, look_id: str) -> AvatarStatus:
        """Generation status of a look: pending, processing, completed or failed."""
        return self._status_call(avatar_id, look_id)

    @endpoint
    def wait(
        self,
        avatar_id: str,
        look_id: str,
        *,
        timeout: float = 600.0,
        poll_interval: float | None = None,
        on_progress: Callable[[AvatarStatus], Any] | None = None,
        progress: bool = False,
    ) -> AvatarStatus:
        """Poll until the look is completed (returned) or failed (`JobFailedError`);
        `WaitTimeoutError` after `timeout` seconds."""
        return Wait(
            call=self._status_call(avatar_id, look_id),
            job_id=look_id,
            parse=AvatarStatus.from_raw,
            complete=["completed", "ready"],
            failed=["failed", "error"],
            schedule=AVATAR_SCHEDULE,
            timeout=check_timeout("timeout", timeout),
            poll_interval=_poll_interval(poll_interval),
            on_progress=on_progress,
            progress=progress,
            failure=_failure,
            resume=f"client.avatars.wait({avatar_id!r}, {look_id!r})",
        )


def _generation_seconds(params: dict[str, Any], plan: list[dict[str, Any]] | None) -> float:
    """The duration the server bills a generation on (hoox.md §3.2)."""
    if plan is not None:
        return _plan_seconds(plan)
    if params["duration"] is not None:
        return params["duration"]
    if params["script"]:
        return _credits.script_seconds(params["script"])
    raise ValidationError(
        "max_credits",
        "cannot estimate a generation whose length comes from voice_url/avatar_url; "
        "give duration or drop max_credits",
    )


def _generation_start_call(params: dict[str, Any]) -> Call:
    """Validate `generations.start`'s arguments and build its request."""
    prompt, script, duration = params["prompt"], params["script"], params["duration"]
    voice_id, voice_url, avatar_url = params["voice_id"], params["voice_url"], params["avatar_url"]
    check_str("prompt", prompt, min_len=1)
    check_str("script", script, min_len=1)
    check_number("duration", duration, minimum=10, maximum=600)
    check_str("voice_id", voice_id, min_len=1)
    check_url("voice_url", voice_url)
    check_str("avatar_id", params["avatar_id"], min_len=1)
    check_url("avatar_url", avatar_url)
    plan = _check_sequence_plan(params["sequence_plan"])
    # The server's own order of checks (hoox.md §3.2): content, then duration, then voice.
    # A sequence_plan takes precedence over prompt/script and carries its own content.
    if plan is None:
        if not (prompt or script or voice_url or avatar_url):
            raise ValidationError(
                "prompt",
                "one of prompt, script, voice_url, avatar_url or sequence_plan is required",
            )
        if prompt and duration is None:
            raise ValidationError("duration", "is required when using prompt (10-600 seconds)")
        if script and not (voice_id or voice_url or avatar_url):
            raise ValidationError(
                "voice_id", "is required with script (or give voice_url/avatar_url)"
            )
    fmt = check_enum("format", params["format"], VIDEO_FORMATS)
    _check_width_height(fmt, params["width"], params["height"])
    check_str_list("media_urls", params["media_urls"], urls=True)
    check_str_list("web_urls", params["web_urls"], max_items=10, urls=True)
    web_search = _check_flags("web_search", params["web_search"], WEB_SEARCH_KEYS)
    animate_image = check_bool("animate_image", params["animate_image"])
    animate_mode = check_enum("animate_mode", params["animate_mode"], ANIMATE_MODES)
    animate_image_max = check_number(
        "animate_image_max", params["animate_image_max"], minimum=0, integer=True
    )
    for flag in ("emotion_enhancement", "use_veo3", "use_space_media", "save_media_to_space"):
        check_bool(flag, params[flag])
    enable = _check_flags("enable", params["enable"], ENABLE_KEYS)
    check_url("webhook_url", params["webhook_url"])

    def estimate() -> float:
        seconds = _generation_seconds(params, plan)
        if animate_image and animate_image_max is None:
            raise ValidationError(
                "animate_image_max",
                "is needed with animate_image and max_credits: it caps the animated images "
                "(+4 credits each, +7 with animate_mode='pro')",
            )
        animated = animate_image_max if animate_image else 0
        return _credits.generation_credits(seconds, animated or 0, animate_mode)

    _estimate_budget(params["max_credits"], estimate)
    media_urls, web_urls = params["media_urls"], params["web_urls"]
    body = drop_none(
        prompt=prompt,
        duration=duration,
        script=script,
        voice_id=voice_id,
        voice_url=voice_url,
        avatar_id=params["avatar_id"],
        avatar_url=avatar_url,
        format=fmt,
        width=params["width"],
        height=params["height"],
        media_urls=list(media_urls) if media_urls is not None else None,
        web_urls=list(web_urls) if web_urls is not None else None,
        web_search=web_search,
        animate_image=animate_image,
        animate_mode=animate_mode,
        animate_image_max=animate_image_max,
        emotion_enhancement=params["emotion_enhancement"],
        use_veo3=params["use_veo3"],
        use_space_media=params["use_space_media"],
        save_media_to_space=params["save_media_to_space"],
        enable=enable,
        sequence_plan=plan,
        webhook_url=params["webhook_url"],
    )
    return Call(
        "POST",
        "/generation/start",
        body=body,
        parse=GenerationJob.from_raw,
        hint=_SPACE_HINT.format(what="a new video generation")
        + (
            " Its webhook_url will also be called if the job exists."
            if params["webhook_url"]
            else ""
        ),
    )


class Generations(Resource):
    @endpoint
    def start(
        self,
        *,
        prompt: str | None = None,
        duration: float | None = None,
        script: str | None = None,
        voice_id: str | None = None,
        voice_url: str | None = None,
        avatar_id: str | None = None,
        avatar_url: str | None = None,
        format: str | None = None,
        width: int | None = None,
        height: int | None = None,
        media_urls: Sequence[str] | None = None,
        web_urls: Sequence[str] | None = None,
        web_search: Mapping[str, bool] | None = None,
        animate_image: bool | None = None,
        animate_mode: str | None = None,
        animate_image_max: int | None = None,
        emotion_enhancement: bool | None = None,
        use_veo3: bool | None = None,
        use_space_media: bool | None = None,
        save_media_to_space: bool | None = None,
        enable: Mapping[str, bool] | None = None,
        sequence_plan: Sequence[Mapping[str, Any]] | None = None,
        webhook_url: str | None = None,
        max_credits: float | None = None,
    ) -> GenerationJob:
        """Start an AI video generation (5 credits per 30 s, +4/+7 per animated
        image). Give a `prompt` (with `duration`), a `script` (with a voice), custom
        media (`voice_url`/`avatar_url`), or a `sequence_plan` (which wins over
        prompt/script). `avatar_id` is a *look* id from `avatars.list()`;
        `width`/`height` go with `format="custom"`."""
        params = dict(locals())
        del params["self"]
        return _generation_start_call(params)

    def _status_call(self, job_id: str) -> Call:
        return Call(
            "GET",
            f"/generation/status/{segment('job_id', job_id)}",
            parse=GenerationStatus.from_raw,
        )

    def _wait_step(
        self, job_id: str, timeout: Any, poll_interval: Any, on_progress: Any, progress: Any
    ) -> Wait:
        return Wait(
            call=self._status_call(job_id),
            job_id=job_id,
            parse=GenerationStatus.from_raw,
            complete=["completed"],
            failed=["failed"],
            schedule=GENERATION_SCHEDULE,
            timeout=check_timeout("timeout", timeout),
            poll_interval=_poll_interval(poll_interval),
            on_progress=on_progress,
            progress=progress,
            failure=_failure,
            resume=f"client.generations.wait({job_id!r})",
        )

    @endpoint
    def status(self, job_id: str) -> GenerationStatus:
        return self._status_call(job_id)

    @endpoint
    def wait(
        self,
        job_id: str,
        *,
        timeout: float = 1200.0,
        poll_interval: float | None = None,
        on_progress: Callable[[GenerationStatus], Any] | None = None,
        progress: bool = False,
    ) -> GenerationStatus:
        """Poll (5 s, then 10 s after a minute, 30 s after five) until completed;
        `JobFailedError` if it fails, `WaitTimeoutError` after `timeout` seconds."""
        return self._wait_step(job_id, timeout, poll_interval, on_progress, progress)

    @endpoint
    def create_and_wait(
        self,
        *,
        prompt: str | None = None,
        duration: float | None = None,
        script: str | None = None,
        voice_id: str | None = None,
        voice_url: str | None = None,
        avatar_id: str | None = None,
        avatar_url: str | None = None,
        format: str | None = None,
        width: int | None = None,
        height: int | None = None,
        media_urls: Sequence[str] | None = None,
        web_urls: Sequence[str] | None = None,
        web_search: Mapping[str, bool] | None = None,
        animate_image: bool | None = None,
        animate_mode: str | None = None,
        animate_image_max: int | None = None,
        emotion_enhancement: bool | None = None,
        use_veo3: bool | None = None,
        use_space_media: bool | None = None,
        save_media_to_space: bool | None = None,
        enable: Mapping[str, bool] | None = None,
        sequence_plan: Sequence[Mapping[str, Any]] | None = None,
        webhook_url: str | None = None,
        max_credits: float | None = None,
        timeout: float = 1200.0,
        poll_interval: float | None = None,
        on_progress: Callable[[GenerationStatus], Any] | None = None,
        progress: bool = False,
    ) -> GenerationStatus:
        """`start(...)` then `wait(job_id)`: returns the completed status (its
        `video_id` is ready to export). Arguments as for `start` and `wait`; all are
        checked before anything is sent."""
        params = dict(locals())
        for name in ("self", "timeout", "poll_interval", "on_progress", "progress"):
            del params[name]
        start = _generation_start_call(params)
        check_timeout("timeout", timeout)
        _poll_interval(poll_interval)
        check_bool("progress", progress)
        # Checked before the (credit-spending) start, not when the wait begins.
        check_callable("on_progress", on_progress)
        return self._start_then_wait(start, timeout, poll_interval, on_progress, progress)

    def _start_then_wait(
        self, start: Call, timeout: Any, poll_interval: Any, on_progress: Any, progress: Any
    ) -> Generator[Any, Any, GenerationStatus]:
        job: GenerationJob = yield start
        if not job.job_id:
            raise APIResponseError(
                f"{start.path} answered without a job_id: {job.raw!r}",
                method=start.method,
                path=start.path,
                body=job.raw,
            )
        return (yield self._wait_step(job.job_id, timeout, poll_interval, on_progress, progress))


class Exports(Resource):
    def _start_call(self, params: dict[str, Any]) -> Call:
        video_id, avatar_model = params["video_id"], params["avatar_model"]
        check_str("video_id", video_id, required=True)
        fmt = check_enum("format", params["format"], VIDEO_FORMATS)
        _check_width_height(fmt, params["width"], params["height"], unset_may_be_custom=True)
        check_enum("avatar_model", avatar_model, AVATAR_MODELS)
        check_url("webhook_url", params["webhook_url"])
        avatar_seconds = check_number("avatar_seconds", params["avatar_seconds"], minimum=0)
        video_duration = check_number("video_duration", params["video_duration"], minimum=0)

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
                    width=params["width"],
                    height=params["height"],
                    format=fmt,
                )
            except ValidationError as exc:
                if exc.field != "duration":
                    raise
                raise ValidationError("video_duration", exc.rule) from None

        _estimate_budget(params["max_credits"], estimate)
        body = drop_none(
            video_id=video_id,
            format=fmt,
            width=params["width"],
            height=params["height"],
            avatar_model=avatar_model,
            webhook_url=params["webhook_url"],
        )
        return Call(
            "POST",
            "/export/start",
            body=body,
            parse=ExportJob.from_raw,
            hint=_SPACE_HINT.format(what="a running export of this video"),
        )

    @endpoint
    def start(
        self,
        video_id: str,
        *,
        format: str | None = None,
        width: int | None = None,
        height: int | None = None,
        avatar_model: str | None = None,
        webhook_url: str | None = None,
        max_credits: float | None = None,
        avatar_seconds: float | None = None,
        video_duration: float | None = None,
    ) -> ExportJob:
        """Render a `done` video to MP4 (the first export of an API video is free;
        avatar models bill per visible second, hoox.md §3.4). `avatar_seconds` and
        `video_duration` are not sent: they only feed the `max_credits` estimate."""
        params = dict(locals())
        del params["self"]
        return self._start_call(params)

    def _status_call(self, job_id: str) -> Call:
        return Call(
            "GET", f"/export/status/{segment('job_id', job_id)}", parse=ExportStatus.from_raw
        )

    def _wait_step(
        self, job_id: str, timeout: Any, poll_interval: Any, on_progress: Any, progress: Any
    ) -> Wait:
        return Wait(
            call=self._status_call(job_id),
            job_id=job_id,
            parse=ExportStatus.from_raw,
            complete=["completed"],
            failed=["failed"],
            # "completed" can arrive before the download URL is known (hoox.md §3.5).
            complete_requires="/result/video_url",
            schedule=EXPORT_SCHEDULE,
            timeout=check_timeout("timeout", timeout),
            poll_interval=_poll_interval(poll_interval),
            on_progress=on_progress,
            progress=progress,
            failure=_failure,
            resume=f"client.exports.wait({job_id!r})",
        )

    @endpoint
    def status(self, job_id: str) -> ExportStatus:
        return self._status_call(job_id)

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
        return self._wait_step(job_id, timeout, poll_interval, on_progress, progress)

    @endpoint
    def create_and_wait(
        self,
        video_id: str,
        *,
        format: str | None = None,
        width: int | None = None,
        height: int | None = None,
        avatar_model: str | None = None,
        webhook_url: str | None = None,
        max_credits: float | None = None,
        avatar_seconds: float | None = None,
        video_duration: float | None = None,
        timeout: float = 1200.0,
        poll_interval: float | None = None,
        on_progress: Callable[[ExportStatus], Any] | None = None,
        progress: bool = False,
    ) -> ExportStatus:
        """`start(...)` then `wait(job_id)`: returns the completed status, whose
        `video_url` is the MP4 (or call `download(job_id, path)`)."""
        params = dict(locals())
        for name in ("self", "timeout", "poll_interval", "on_progress", "progress"):
            del params[name]
        start = self._start_call(params)
        check_timeout("timeout", timeout)
        _poll_interval(poll_interval)
        check_bool("progress", progress)
        # Checked before the (credit-spending) start, not when the wait begins.
        check_callable("on_progress", on_progress)
        return self._start_then_wait(start, timeout, poll_interval, on_progress, progress)

    def _start_then_wait(
        self, start: Call, timeout: Any, poll_interval: Any, on_progress: Any, progress: Any
    ) -> Generator[Any, Any, ExportStatus]:
        job: ExportJob = yield start
        if not job.job_id:
            raise APIResponseError(
                f"{start.path} answered without a job_id: {job.raw!r}",
                method=start.method,
                path=start.path,
                body=job.raw,
            )
        return (yield self._wait_step(job.job_id, timeout, poll_interval, on_progress, progress))

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
        refresh = self._status_call(job_id)
        target = check_path("path", path)
        return self._download(refresh, target, on_progress, progress)

    def _download(
        self, refresh: Call, target: str, on_progress: Any, progress: Any
    ) -> Generator[Any, Any, Path]:
        report = yield Download(
            refresh=refresh,
            url_pointer="/result/video_url",
            path=target,
            on_progress=on_progress,
            progress=progress,
        )
        return Path(report["path"])


def _voices(raw: Any) -> list[Voice]:
    return Voice.list_from_raw(_items(raw, "voices"))


class Voices(Resource):
    @endpoint
    def list(
        self,
        *,
        language: str | None = None,
        gender: str | None = None,
        tags: Sequence[str] | str | None = None,
        only_public: bool | None = None,
    ) -> list[Voice]:
        """Voices of your space first, then the catalogue voices your plan allows.
        `tags` (a list or a comma string) matches any; `only_public` drops your
        space's voices."""
        check_str("language", language, min_len=1)
        check_enum("gender", gender, AVATAR_GENDERS)
        tag_query = _multi("tags", tags)
        check_bool("only_public", only_public)
        query = []
        if language:
            query.append(("language", language))
        if gender:
            query.append(("gender", gender))
        if tag_query:
            query.append(("tags", tag_query))
        if only_public is not None:
            query.append(("onlyPublic", _bool_query(only_public)))
        return Call("GET", "/voice/list", query=query, parse=_voices)

    @endpoint
    def get(self, voice_id: str) -> Voice:
        return Call("GET", f"/voice/{_id('voice_id', voice_id)}", parse=Voice.from_raw)


def _asset_models(raw: Any) -> list[AssetModel]:
    """Un-hoist: a filtered listing returns `type`/`provider` once at the root and
    omits them from each item; put them back (in the model and in its `.raw`)."""
    hoisted = {}
    if isinstance(raw, dict):
        hoisted = {key: raw[key] for key in ("type", "provider") if raw.get(key) is not None}
    models = []
    for item in _items(raw, "models"):
        if isinstance(item, dict) and hoisted:
            item = {**hoisted, **item}
        models.append(AssetModel.from_raw(item))
    return models


def _check_reference(field: str, value: Any) -> dict[str, str]:
    """One input medium: exactly one of `{"url"}`, `{"asset_id"}`, `{"avatar_id"}`."""
    ref = check_mapping(field, value)
    assert ref is not None
    keys = [key for key in ASSET_REFERENCE_KEYS if ref.get(key) is not None]
    unknown = sorted(set(ref) - set(ASSET_REFERENCE_KEYS))
    if unknown:
        raise ValidationError(
            f"{field}.{unknown[0]}", "unknown key; use url, asset_id or avatar_id"
        )
    if len(keys) != 1:
        raise ValidationError(field, "needs exactly one of url, asset_id or avatar_id")
    key = keys[0]
    if key == "url":
        check_url(f"{field}.url", ref[key], required=True)
    else:
        check_str(f"{field}.{key}", ref[key], required=True)
    return {key: ref[key]}


def _check_pricing_inputs(inputs: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(inputs) - set(PRICING_INPUTS))
    if unknown:
        raise ValidationError(
            unknown[0], f"is not a pricing input; expected {', '.join(PRICING_INPUTS)}"
        )
    check_number("duration", inputs.get("duration"), minimum=0)
    check_str("resolution", inputs.get("resolution"), min_len=1)
    check_mapping("model_settings", inputs.get("model_settings"))
    check_number("image_count", inputs.get("image_count"), minimum=0, integer=True)
    check_number(
        "generation_count", inputs.get("generation_count"), minimum=1, maximum=4, integer=True
    )
    return drop_none(**{key: inputs.get(key) for key in PRICING_INPUTS})


class Assets(Resource):
    @endpoint
    def models(
        self, *, type: str | None = None, provider: str | None = None, tag: str | None = None
    ) -> list[AssetModel]:
        """Image/video generation models, optionally filtered (e.g. `provider="kling"`,
        `tag="image-to-video"`)."""
        check_enum("type", type, ASSET_TYPES)
        check_str("provider", provider, min_len=1)
        check_str("tag", tag, min_len=1)
        query = [
            (k, v)
            for k, v in (("type", type), ("provider", provider), ("tag", tag))
            if v is not None
        ]
        return Call("GET", "/asset/models", query=query, parse=_asset_models)

    @endpoint
    def model(self, name: str) -> AssetModelDetail:
        """One model with its settings and the JSON Schema of its `/asset/start` input."""
        return Call(
            "GET", f"/asset/models/{segment('name', name)}", parse=AssetModelDetail.from_raw
        )

    def _pricing_call(self, model: str, inputs: Mapping[str, Any]) -> Call:
        check_str("model", model, required=True)
        body = {"model": model, **_check_pricing_inputs(inputs)}
        # A quote spends nothing, so it is safe to resend.
        return Call(
            "POST", "/asset/pricing", body=body, parse=AssetPricing.from_raw, idempotent=True
        )

    @endpoint
    def pricing(self, model: str, **inputs: Any) -> AssetPricing:
        """An exact credit quote, nothing debited. Inputs: `duration` (s),
        `resolution`, `model_settings`, `image_count`, `generation_count` (1-4)."""
        return self._pricing_call(model, inputs)

    @endpoint
    def start(
        self,
        model: str,
        *,
        type: str,
        prompt: str,
        references: Sequence[Mapping[str, str]] | None = None,
        generation_count: int | None = None,
        aspect_ratio: str | None = None,
        resolution: str | None = None,
        duration: float | None = None,
        model_settings: Mapping[str, Any] | None = None,
        parent_media_id: str | None = None,
        folder_id: str | None = None,
        avatar_description: str | None = None,
        file_name: str | None = None,
        webhook_url: str | None = None,
        max_credits: float | None = None,
        named_inputs: Mapping[str, Mapping[str, str]] | None = None,
        **named_slots: Mapping[str, str],
    ) -> AssetJob:
        """Start 1-4 image/video generations (credits debited up front, refunded on
        failure). Inputs go either in `references` (a list of `{"url"}`,
        `{"asset_id"}` or `{"avatar_id"}`) or, for slot models, as named slots such as
        `first_frame={"url": ...}` (or `named_inputs={"first_frame": {...}}`, as the
        MCP tool takes them); not both. With `max_credits`, the server's quote
        (`/asset/pricing`) is checked first and nothing is started above it."""
        check_str("model", model, required=True)
        check_enum("type", type, ASSET_TYPES, required=True)
        check_str("prompt", prompt, required=True)
        refs = None
        if references is not None:
            if isinstance(references, (str, bytes, Mapping)) or not isinstance(
                references, Sequence
            ):
                raise ValidationError("references", "must be a list of {url|asset_id|avatar_id}")
            refs = [_check_reference(f"references[{i}]", ref) for i, ref in enumerate(references)]
        inputs = dict(check_mapping("named_inputs", named_inputs) or {})
        clashes = sorted(set(inputs) & set(named_slots))
        if clashes:
            raise ValidationError(clashes[0], "given both as a keyword and in named_inputs")
        inputs.update(named_slots)
        slots = {name: _check_reference(name, value) for name, value in inputs.items()}
        if refs is not None and slots:
            raise ValidationError(
                "references", f"cannot be combined with named slots ({', '.join(slots)})"
            )
        check_number("generation_count", generation_count, minimum=1, maximum=4, integer=True)
        check_enum("aspect_ratio", aspect_ratio, ASSET_ASPECT_RATIOS)
        check_str("resolution", resolution, min_len=1)
        check_number("duration", duration, minimum=0)
        settings = check_mapping("model_settings", model_settings)
        for field, text in (
            ("parent_media_id", parent_media_id),
            ("folder_id", folder_id),
            ("avatar_description", avatar_description),
            ("file_name", file_name),
        ):
            check_str(field, text, min_len=1)
        check_url("webhook_url", webhook_url)
        body = drop_none(type=type, model=model, prompt=prompt, references=refs)
        body.update(slots)
        body.update(
            drop_none(
                generation_count=generation_count,
                aspect_ratio=aspect_ratio,
                resolution=resolution,
                duration=duration,
                model_settings=settings,
                parent_media_id=parent_media_id,
                folder_id=folder_id,
                avatar_description=avatar_description,
                file_name=file_name,
                webhook_url=webhook_url,
            )
        )
        start = Call(
            "POST",
            "/asset/start",
            body=body,
            parse=AssetJob.from_raw,
            hint=_SPACE_HINT.format(what="new assets from this model")
            + (" Its webhook_url will also be called." if webhook_url else ""),
        )
        if _credits.check_max_credits(max_credits) is None:
            return start
        # Asset prices are per model and setting, known only to the server: get a quote
        # (free) for the same inputs, then start only within budget.
        quote = self._pricing_call(
            model,
            drop_none(
                duration=duration,
                resolution=resolution,
                model_settings=settings,
                generation_count=generation_count,
            ),
        )
        return self._start_within_budget(quote, start, max_credits)

    def _start_within_budget(
        self, quote: Call, start: Call, max_credits: float
    ) -> Generator[Any, Any, AssetJob]:
        pricing: AssetPricing = yield quote
        total = pricing.total_cost
        if total is None and pricing.cost_per_generation is not None:
            total = pricing.cost_per_generation * (pricing.generation_count or 1)
        if total is None:
            raise ValidationError(
                "max_credits", f"the pricing quote has no total_cost: {pricing.raw!r}"
            )
        _credits.check_budget(total, max_credits)
        return (yield start)

    def _status_call(self, asset_id: str) -> Call:
        return Call(
            "GET", f"/asset/status/{segment('asset_id', asset_id)}", parse=AssetStatus.from_raw
        )

    @endpoint
    def status(self, asset_id: str) -> AssetStatus:
        """pending -> generating -> completed (with `url`) | failed (refunded)."""
        return self._status_call(asset_id)

    @endpoint
    def wait(
        self,
        asset_id: str,
        *,
        timeout: float = 900.0,
        poll_interval: float | None = None,
        on_progress: Callable[[AssetStatus], Any] | None = None,
        progress: bool = False,
    ) -> AssetStatus:
        """Poll (3 s, 5 s after a minute, 10 s after five) until completed;
        `JobFailedError` if it fails, `WaitTimeoutError` after `timeout` seconds."""
        return Wait(
            call=self._status_call(asset_id),
            job_id=asset_id,
            parse=AssetStatus.from_raw,
            complete=["completed"],
            failed=["failed"],
            schedule=ASSET_SCHEDULE,
            timeout=check_timeout("timeout", timeout),
            poll_interval=_poll_interval(poll_interval),
            on_progress=on_progress,
            progress=progress,
            failure=_failure,
            resume=f"client.assets.wait({asset_id!r})",
        )


def _folders(raw: Any) -> list[Folder]:
    return Folder.list_from_raw(_items(raw, "folders"))


class Folders(Resource):
    @endpoint
    def create(
        self, name: str, *, type: str | None = None, parent_folder_id: str | None = None
    ) -> Folder:
        """Create a folder (`type` "assets", the server default, or "videos"); a
        subfolder's parent must be a folder of the same type."""
        check_str("name", name, required=True)
        check_enum("type", type, FOLDER_TYPES)
        check_str("parent_folder_id", parent_folder_id, min_len=1)
        body = drop_none(name=name, type=type, parent_folder_id=parent_folder_id)
        return Call(
            "POST",
            "/folder/create",
            body=body,
            parse=Folder.from_raw,
            hint="Call client.folders.list() to see whether it was created.",
        )

    @endpoint
    def list(self, *, type: str | None = None) -> list[Folder]:
        """All folders (or those of one `type`); subfolders have a `parent_folder_id`."""
        check_enum("type", type, FOLDER_TYPES)
        query = [("type", type)] if type is not None else []
        return Call("GET", "/folder/list", query=query, parse=_folders)


# The asyncio twins, derived from the declarations above (see `async_variant`).
AsyncScripts = async_variant(Scripts)
AsyncVideos = async_variant(Videos)
AsyncAvatars = async_variant(Avatars)
AsyncGenerations = async_variant(Generations)
AsyncExports = async_variant(Exports)
AsyncVoices = async_variant(Voices)
AsyncAssets = async_variant(Assets)
AsyncFolders = async_variant(Folders)
