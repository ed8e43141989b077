"""The Hooked catalogue: avatars, voices, music tracks, templates and niches."""

from __future__ import annotations

from ..._endpoint import Call, Resource, async_variant, endpoint
from ..._models.hooked import Avatar, Music, Niche, Template, Voice
from ..._validation import check_enum
from .._common import segment
from ._shared import list_of, one_of

__all__ = [
    "AsyncAvatars",
    "AsyncMusicTracks",
    "AsyncNiches",
    "AsyncTemplates",
    "AsyncVoices",
    "Avatars",
    "MusicTracks",
    "Niches",
    "Templates",
    "Voices",
]

AVATAR_TYPES = ("library", "custom", "all")


class Avatars(Resource):
    @endpoint
    def list(self, *, type: str | None = None) -> list[Avatar]:
        """Library and/or custom avatars (`type`: library, custom or all)."""
        check_enum("type", type, AVATAR_TYPES)
        query = [("type", type)] if type else []
        return Call("GET", "/avatar/list", query=query, parse=list_of(Avatar, "avatars"))


class Voices(Resource):
    @endpoint
    def list(self) -> list[Voice]:
        """Voices for `voice_id`."""
        return Call("GET", "/voice/list", parse=list_of(Voice, "voices"))


class MusicTracks(Resource):
    @endpoint
    def list(self) -> list[Music]:
        """Background tracks for `music_id`."""
        return Call("GET", "/music/list", parse=list_of(Music, "music", "tracks", "musics"))


class Templates(Resource):
    @endpoint
    def list(self) -> list[Template]:
        """Your templates, for `projects.create_from_template`."""
        return Call("GET", "/template/list", parse=list_of(Template, "templates"))

    @endpoint
    def get(self, template_id: str) -> Template:
        """One template, with its scenes and settings."""
        return Call(
            "GET",
            f"/template/{segment('template_id', template_id)}",
            parse=one_of(Template, "template"),
        )


class Niches(Resource):
    @endpoint
    def list(self) -> list[Niche]:
        """Niches, the `niche` filter of `trends.videos`."""
        return Call("GET", "/niche/list", parse=list_of(Niche, "niches"))


AsyncAvatars = async_variant(Avatars)
AsyncVoices = async_variant(Voices)
AsyncMusicTracks = async_variant(MusicTracks)
AsyncTemplates = async_variant(Templates)
AsyncNiches = async_variant(Niches)
