"""Hoox voices: the catalogue and your space's voices."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..._endpoint import Call, Resource, async_variant, endpoint
from ..._models.hoox import Voice
from ..._validation import check_bool, check_enum, check_str
from ._shared import AVATAR_GENDERS, bool_query, items_of, multi, route_id

__all__ = ["AsyncVoices", "Voices"]


def _voices(raw: Any) -> list[Voice]:
    return Voice.list_from_raw(items_of(raw, "voices"))


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
        tag_query = multi("tags", tags)
        check_bool("only_public", only_public)
        query = []
        if language:
            query.append(("language", language))
        if gender:
            query.append(("gender", gender))
        if tag_query:
            query.append(("tags", tag_query))
        if only_public is not None:
            query.append(("onlyPublic", bool_query(only_public)))
        return Call("GET", "/voice/list", query=query, parse=_voices)

    @endpoint
    def get(self, voice_id: str) -> Voice:
        return Call("GET", f"/voice/{route_id('voice_id', voice_id)}", parse=Voice.from_raw)


AsyncVoices = async_variant(Voices)
