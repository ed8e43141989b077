"""Hooked endpoints, each declared once (see `_endpoint.py`). Paths are relative to
the base URL (`https://api.hooked.so/v1`). Keyword arguments are snake_case and are
sent under Hooked's camelCase wire names; nested option dicts are converted
recursively, `metadata` is sent verbatim."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .._endpoint import Call, Download, Resource, Wait, endpoint
from .._errors import ValidationError
from .._models._base import camel
from .._models.hooked import Avatar, CreatedProject, Video, Voice
from .._validation import check_enum, check_mapping, check_str, check_url
from ._common import check_timeout, segment

__all__ = ["Videos", "Projects", "Avatars", "Voices", "to_wire"]

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
METADATA_MAX_BYTES = 5 * 1024


def to_wire(value: Any) -> Any:
    """snake_case keys -> camelCase, recursively; dataclasses become dicts first."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {k: v for k, v in dataclasses.asdict(value).items() if v is not None}
    if isinstance(value, Mapping):
        return {camel(str(k)): to_wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    return value


def check_webhook(field: str, value: Any) -> None:
    check_url(field, value, https_only=True, max_len=500)


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
    caption = check_mapping("caption", to_wire(value) if value is not None else None)
    if caption is None:
        return None
    check_enum("caption.preset", caption.get("preset"), CAPTION_PRESETS)
    check_enum("caption.alignment", caption.get("alignment"), ALIGNMENTS)
    if caption.get("disabled") is not None and not isinstance(caption["disabled"], bool):
        raise ValidationError("caption.disabled", "must be True or False")
    return caption


def _failure(video: Video) -> tuple[str | None, str | None]:
    return "FAILED", video.message


class Videos(Resource):
    def _get_call(self, video_id: str) -> Call:
        return Call("GET", f"/video/{segment('video_id', video_id)}", parse=Video.from_raw)

    @endpoint
    def get(self, video_id: str) -> Video:
        """Status and details of one video of your team."""
        return self._get_call(video_id)

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
            path=os.fspath(path),
            on_progress=on_progress,
            progress=progress,
        )
        return Path(report["path"])


class Projects(Resource):
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
        check_str("name", name, max_len=100)
        check_enum("lipsyncModel", lipsync_model, LIPSYNC_MODELS)
        check_str("musicId", music_id)
        check_enum("aspectRatio", aspect_ratio, ("ratio_9_16", "ratio_16_9", "ratio_1_1"))
        check_str("language", language, min_len=2, max_len=2)
        check_webhook("webhook", webhook)
        body: dict[str, Any] = {"script": script, "avatarId": avatar_id, "voiceId": voice_id}
        for key, value in (
            ("name", name),
            ("lipsyncModel", lipsync_model),
            ("musicId", music_id),
            ("aspectRatio", aspect_ratio),
            ("language", language),
            ("webhook", webhook),
        ):
            if value is not None:
                body[key] = value
        if caption is not None:
            body["caption"] = check_caption(caption)
        if audio is not None:
            body["audio"] = check_mapping("audio", to_wire(audio))
        if metadata is not None:
            body["metadata"] = check_metadata(metadata)
        return Call(
            "POST",
            "/project/create/talking-avatar",
            body=body,
            parse=CreatedProject.from_raw,
            hint="Check your Hooked videos for this project before creating it again.",
        )


class Avatars(Resource):
    @endpoint
    def list(self, *, type: str | None = None) -> list[Avatar]:
        """Library and/or custom avatars (`type`: library, custom or all)."""
        check_enum("type", type, ("library", "custom", "all"))
        query = [("type", type)] if type else []
        return Call(
            "GET",
            "/avatar/list",
            query=query,
            parse=lambda raw: [Avatar.from_raw(a) for a in _items(raw, "avatars")],
        )


class Voices(Resource):
    @endpoint
    def list(self) -> list[Voice]:
        return Call(
            "GET",
            "/voice/list",
            parse=lambda raw: [Voice.from_raw(v) for v in _items(raw, "voices")],
        )


def _items(raw: Any, key: str) -> list[Any]:
    if isinstance(raw, dict):
        raw = raw.get(key)
    return raw if isinstance(raw, list) else []
