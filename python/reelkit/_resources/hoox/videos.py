"""Hoox `/video/duplicate`: copies of finished videos."""

from __future__ import annotations

from ..._endpoint import Call, Resource, async_variant, endpoint
from ..._models.hoox import DuplicatedVideo
from ..._validation import check_str, drop_none
from ._shared import SPACE_HINT

__all__ = ["AsyncVideos", "Videos"]


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
            hint=SPACE_HINT.format(what="a new copy of this video"),
        )


AsyncVideos = async_variant(Videos)
