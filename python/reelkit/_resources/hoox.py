"""Hoox endpoints, each declared once (see `_endpoint.py`); the sync and asyncio
clients both serve them. Paths are relative to the base URL
(`https://app.hoox.video/api/public/v1`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import os
from pathlib import Path

from .._endpoint import Call, Download, Resource, Wait, endpoint
from .._errors import ValidationError
from .._models.hoox import (
    AvatarJob,
    AvatarStatus,
    DuplicatedVideo,
    ExportJob,
    ExportStatus,
    GenerationJob,
    GenerationStatus,
    Voice,
)
from .._validation import (
    check_bool,
    check_enum,
    check_mapping,
    check_number,
    check_str,
    check_str_list,
    check_url,
    drop_none,
)
from ._common import check_timeout, error_of, segment

__all__ = ["Videos", "Avatars", "Generations", "Exports", "Voices"]

# Documented polling cadence (hoox.md §1.10).
GENERATION_SCHEDULE = [(0.0, 5.0), (60.0, 10.0), (300.0, 30.0)]
EXPORT_SCHEDULE = [(0.0, 3.0), (30.0, 5.0), (120.0, 10.0)]
AVATAR_SCHEDULE = [(0.0, 3.0), (30.0, 5.0), (120.0, 10.0)]

# generation/export `format`: the server (Oct 2025) accepted vertical/square/ads/custom;
# the newest docs and the official MCP client also send `horizontal`. We accept it
# (the server answers invalid_format if it still refuses).
VIDEO_FORMATS = ("vertical", "horizontal", "square", "ads", "custom")
AVATAR_FORMATS = ("vertical", "horizontal")
AVATAR_STYLES = ("iphone", "selfie", "podcast", "car", "conference", "raw")
# The MCP client also documents "1K"; the newest docs list 2K (default) and 4K.
AVATAR_RESOLUTIONS = ("1K", "2K", "4K")
AVATAR_MODELS = (
    "standard", "premium", "ultra", "veo-3-fast", "veo-3", "veo-3-lite", "omni-flash",
    "ora-lite", "ora-standard", "ora-pro", "seedance-2", "seedance-2-fast", "seedance-2-1080p",
)


def _poll_interval(value: Any) -> float | None:
    return None if value is None else check_timeout("poll_interval", value)


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
            hint="Check your Hoox space for a new copy of this video before duplicating again.",
        )


class Avatars(Resource):
    @endpoint
    def create(
        self,
        *,
        prompt: str,
        style: str | None = None,
        format: str | None = None,
        resolution: str | None = None,
        name: str | None = None,
        place: str | None = None,
        element_images: Sequence[str] | None = None,
        webhook_url: str | None = None,
    ) -> AvatarJob:
        """Create an avatar from a text prompt (2 credits at 2K, 4 at 4K). The look
        starts `pending`; wait with `avatars.wait(avatar_id, look_id)`."""
        check_str("prompt", prompt, required=True)
        check_enum("style", style, AVATAR_STYLES)
        check_enum("format", format, AVATAR_FORMATS)
        check_enum("resolution", resolution, AVATAR_RESOLUTIONS)
        check_str("name", name)
        check_str("place", place)
        check_str_list("element_images", element_images, urls=True)
        check_url("webhook_url", webhook_url)
        body = drop_none(
            prompt=prompt, style=style, format=format, resolution=resolution, name=name,
            place=place, webhook_url=webhook_url,
        )
        if element_images is not None:
            body["elementImages"] = list(element_images)
        return Call("POST", "/avatar/create", body=body, parse=AvatarJob.from_raw,
                    hint="Look for a new avatar in your Hoox space before creating it again.")

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
        check_str_list("image_urls", image_urls, required=True, min_items=1, urls=True)
        check_str("name", name)
        check_str("place", place)
        check_url("webhook_url", webhook_url)
        body = {"imageUrls": list(image_urls), **drop_none(name=name, place=place, webhook_url=webhook_url)}
        return Call("POST", "/avatar/create", body=body, parse=AvatarJob.from_raw,
                    hint="Look for a new avatar in your Hoox space before creating it again.")

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
        upscale: bool | None = None,
        webhook_url: str | None = None,
    ) -> AvatarJob:
        """Generate a new look from an existing one (2 credits at 2K, 4 at 4K, +1.5
        with upscale). Extra reference images are sent as `imageUrls`: the docs'
        example says `images`, but the newest official clients (skill, MCP) send
        `imageUrls`, and we follow them."""
        check_str("avatar_id", avatar_id, required=True)
        check_str("look_id", look_id, required=True)
        check_str("prompt", prompt, required=True)
        check_enum("style", style, AVATAR_STYLES)
        check_enum("format", format, AVATAR_FORMATS)
        check_enum("resolution", resolution, AVATAR_RESOLUTIONS)
        check_str_list("images", images, urls=True)
        check_bool("upscale", upscale)
        check_url("webhook_url", webhook_url)
        body = drop_none(
            avatar_id=avatar_id, look_id=look_id, prompt=prompt, style=style, format=format,
            resolution=resolution, upscale=upscale, webhook_url=webhook_url,
        )
        if images is not None:
            body["imageUrls"] = list(images)
        return Call("POST", "/avatar/edit", body=body, parse=AvatarJob.from_raw,
                    hint="Look for a new look on this avatar before editing again.")

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
            failure=error_of,
            resume=f"client.avatars.wait({avatar_id!r}, {look_id!r})",
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
        web_search: dict[str, bool] | None = None,
        animate_image: bool | None = None,
        animate_mode: str | None = None,
        animate_image_max: int | None = None,
        emotion_enhancement: bool | None = None,
        use_veo3: bool | None = None,
        use_space_media: bool | None = None,
        save_media_to_space: bool | None = None,
        enable: dict[str, bool] | None = None,
        sequence_plan: list[dict[str, Any]] | None = None,
        webhook_url: str | None = None,
    ) -> GenerationJob:
        """Start an AI video generation (about 5 credits per 30 s). Give a `prompt`
        (with `duration`), a `script` (with a voice), custom media, or a
        `sequence_plan`. `avatar_id` is a *look* id from `avatars.list()`."""
        check_str("prompt", prompt, min_len=1)
        check_str("script", script, min_len=1)
        check_number("duration", duration, minimum=10, maximum=600)
        check_str("voice_id", voice_id, min_len=1)
        check_url("voice_url", voice_url)
        check_str("avatar_id", avatar_id, min_len=1)
        check_url("avatar_url", avatar_url)
        if sequence_plan is None and not (prompt or script or voice_url or avatar_url):
            raise ValidationError(
                "prompt", "one of prompt, script, voice_url, avatar_url or sequence_plan is required"
            )
        if prompt and sequence_plan is None and duration is None:
            raise ValidationError("duration", "is required when using prompt (10-600 seconds)")
        if script and sequence_plan is None and not (voice_id or voice_url or avatar_url):
            raise ValidationError("voice_id", "is required with script (or give voice_url/avatar_url)")
        check_enum("format", format, VIDEO_FORMATS)
        check_number("width", width, minimum=1, maximum=5000, integer=True)
        check_number("height", height, minimum=1, maximum=5000, integer=True)
        check_str_list("media_urls", media_urls, urls=True)
        check_str_list("web_urls", web_urls, max_items=10, urls=True)
        web_search = check_mapping("web_search", web_search)
        for key, value in (web_search or {}).items():
            check_enum("web_search", key, ("script", "images"))
            check_bool(f"web_search.{key}", value)
        check_bool("animate_image", animate_image)
        check_enum("animate_mode", animate_mode, ("standard", "pro"))
        check_number("animate_image_max", animate_image_max, minimum=0, integer=True)
        check_bool("emotion_enhancement", emotion_enhancement)
        check_bool("use_veo3", use_veo3)
        check_bool("use_space_media", use_space_media)
        check_bool("save_media_to_space", save_media_to_space)
        enable = check_mapping("enable", enable)
        for key, value in (enable or {}).items():
            check_enum("enable", key, ("subtitles", "broll", "music", "transitions"))
            check_bool(f"enable.{key}", value)
        if sequence_plan is not None and not isinstance(sequence_plan, list):
            raise ValidationError("sequence_plan", "must be a list of speech blocks")
        check_url("webhook_url", webhook_url)
        body = drop_none(
            prompt=prompt, duration=duration, script=script, voice_id=voice_id,
            voice_url=voice_url, avatar_id=avatar_id, avatar_url=avatar_url, format=format,
            width=width, height=height,
            media_urls=list(media_urls) if media_urls is not None else None,
            web_urls=list(web_urls) if web_urls is not None else None,
            web_search=web_search, animate_image=animate_image, animate_mode=animate_mode,
            animate_image_max=animate_image_max, emotion_enhancement=emotion_enhancement,
            use_veo3=use_veo3, use_space_media=use_space_media,
            save_media_to_space=save_media_to_space, enable=enable, sequence_plan=sequence_plan,
            webhook_url=webhook_url,
        )
        return Call("POST", "/generation/start", body=body, parse=GenerationJob.from_raw,
                    hint="Check your Hoox space for a new generation before starting another.")

    def _status_call(self, job_id: str) -> Call:
        return Call("GET", f"/generation/status/{segment('job_id', job_id)}",
                    parse=GenerationStatus.from_raw)

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
    ) -> GenerationStatus:
        """Poll (5 s, then 10 s after a minute, 30 s after five) until completed."""
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
            failure=error_of,
            resume=f"client.generations.wait({job_id!r})",
        )


class Exports(Resource):
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
    ) -> ExportJob:
        """Render a `done` video to MP4 (the first export of an API video is free)."""
        check_str("video_id", video_id, required=True)
        check_enum("format", format, VIDEO_FORMATS)
        check_number("width", width, minimum=1, maximum=5000, integer=True)
        check_number("height", height, minimum=1, maximum=5000, integer=True)
        check_enum("avatar_model", avatar_model, AVATAR_MODELS)
        check_url("webhook_url", webhook_url)
        body = drop_none(video_id=video_id, format=format, width=width, height=height,
                         avatar_model=avatar_model, webhook_url=webhook_url)
        return Call("POST", "/export/start", body=body, parse=ExportJob.from_raw,
                    hint="Check your Hoox space for a running export of this video first.")

    def _status_call(self, job_id: str) -> Call:
        return Call("GET", f"/export/status/{segment('job_id', job_id)}", parse=ExportStatus.from_raw)

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
    ) -> ExportStatus:
        """Poll (3 s, 5 s after 30 s, 10 s after 2 min) until the MP4 URL is known."""
        return Wait(
            call=self._status_call(job_id),
            job_id=job_id,
            parse=ExportStatus.from_raw,
            complete=["completed"],
            failed=["failed"],
            complete_requires="/result/video_url",
            schedule=EXPORT_SCHEDULE,
            timeout=check_timeout("timeout", timeout),
            poll_interval=_poll_interval(poll_interval),
            on_progress=on_progress,
            failure=error_of,
            resume=f"client.exports.wait({job_id!r})",
        )

    @endpoint
    def download(
        self,
        job_id: str,
        path: str | Any,
        *,
        on_progress: Callable[[int, int | None], Any] | None = None,
    ) -> Any:
        """Stream the exported MP4 to `path` (atomically; a fresh URL is fetched if
        the signed one expired). Returns the `pathlib.Path` written."""
        target = os.fspath(path)
        report = yield Download(refresh=self._status_call(job_id),
                                url_pointer="/result/video_url", path=target,
                                on_progress=on_progress)
        return Path(report["path"])


def _items(raw: Any, key: str) -> list[Any]:
    """A bare array, or the array under `key` (tolerates a wrapped list)."""
    if isinstance(raw, dict):
        raw = raw.get(key)
    return raw if isinstance(raw, list) else []


def _voices(raw: Any) -> list[Voice]:
    return [Voice.from_raw(v) for v in _items(raw, "voices")]


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
        """Voices of your space first, then the catalogue voices your plan allows."""
        check_str("language", language)
        check_enum("gender", gender, ("male", "female"))
        if isinstance(tags, str):
            tags = [t for t in tags.split(",") if t]
        check_str_list("tags", tags)
        check_bool("only_public", only_public)
        query = []
        if language:
            query.append(("language", language))
        if gender:
            query.append(("gender", gender))
        if tags:
            query.append(("tags", ",".join(tags)))
        if only_public is not None:
            query.append(("onlyPublic", "true" if only_public else "false"))
        return Call("GET", "/voice/list", query=query,
                    parse=_voices)

    @endpoint
    def get(self, voice_id: str) -> Voice:
        return Call("GET", f"/voice/{segment('voice_id', voice_id)}", parse=Voice.from_raw)
