"""Hoox avatars: listing looks, creating and editing avatars, waiting for a look."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ... import _credits
from ..._endpoint import Call, Resource, async_variant, endpoint
from ..._errors import ValidationError
from ..._models.hoox import Avatar, AvatarJob, AvatarStatus, Look
from ..._validation import check_bool, check_enum, check_str, check_str_list, check_url, drop_none
from .._common import segment
from ._shared import (
    AVATAR_GENDERS,
    SPACE_HINT,
    bool_query,
    estimate_budget,
    items_of,
    job_wait,
    multi,
    route_id,
)

__all__ = ["AsyncAvatars", "Avatars"]

AVATAR_SCHEDULE = [(0.0, 3.0), (30.0, 5.0), (120.0, 10.0)]
AVATAR_FORMATS = ("vertical", "horizontal")
AVATAR_STYLES = ("iphone", "selfie", "podcast", "car", "conference", "raw")
# The MCP client also documents "1K"; the newest docs list 2K (default) and 4K.
AVATAR_RESOLUTIONS = ("1K", "2K", "4K")

# /avatar/list filters (hoox.md §3.9, newest); AVATAR_GENDERS is shared with voices.
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


def _check_look(style: Any, format: Any, resolution: Any) -> None:
    check_enum("style", style, AVATAR_STYLES)
    check_enum("format", format, AVATAR_FORMATS)
    check_enum("resolution", resolution, AVATAR_RESOLUTIONS)


def _avatar_job(path: str, body: dict[str, Any], what: str) -> Call:
    """A POST that creates an avatar or a look, answered with the job to wait for."""
    hint = SPACE_HINT.format(what=what)
    return Call("POST", path, body=body, parse=AvatarJob.from_raw, hint=hint)


def _looks(raw: Any) -> list[Look]:
    return Look.list_from_raw(items_of(raw, "looks"))


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
            ("gender", multi("gender", gender, AVATAR_GENDERS)),
            ("age_range", multi("age_range", age_range, AVATAR_AGE_RANGES)),
            ("ethnicity", multi("ethnicity", ethnicity, AVATAR_ETHNICITIES)),
            ("hair_color", multi("hair_color", hair_color, AVATAR_HAIR_COLORS)),
            ("place", multi("place", place, AVATAR_PLACES)),
            ("selfie", bool_query(selfie) if check_bool("selfie", selfie) is not None else None),
            ("action", multi("action", action, AVATAR_ACTIONS)),
            ("emotion", multi("emotion", emotion, AVATAR_EMOTIONS)),
            ("accessories", multi("accessories", accessories, AVATAR_ACCESSORIES)),
            ("tags", multi("tags", tags)),
            (
                "onlyPublic",
                bool_query(only_public)
                if check_bool("only_public", only_public) is not None
                else None,
            ),
        ]
        query = [(name, value) for name, value in filters if value is not None]
        return Call("GET", "/avatar/list", query=query, parse=_looks)

    @endpoint
    def get(self, avatar_id: str) -> Avatar:
        """An avatar (yours or public) with all its looks."""
        return Call("GET", f"/avatar/{route_id('avatar_id', avatar_id)}", parse=Avatar.from_raw)

    @endpoint
    def look(self, avatar_id: str, look_id: str) -> Look:
        """One look of an avatar, with its generation `status` and `error_message`."""
        path = f"/avatar/{route_id('avatar_id', avatar_id)}/look/{segment('look_id', look_id)}"
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
        _check_look(style, format, resolution)
        check_str("name", name)
        check_str("place", place)
        check_str_list("elementImages", element_images, urls=True)
        check_url("webhook_url", webhook_url)
        estimate_budget(
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
        return _avatar_job("/avatar/create", body, "a new avatar")

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
        return _avatar_job("/avatar/create", body, "a new avatar")

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
        _check_look(style, format, resolution)
        check_str_list("imageUrls", images, urls=True)
        check_bool("upscale", upscale)
        check_str("look_name", look_name)
        check_str("place", place)
        check_str_list("tags", tags)
        check_url("webhook_url", webhook_url)
        estimate_budget(
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
        return _avatar_job("/avatar/edit", body, "a new look on this avatar")

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
        return job_wait(
            self._status_call(avatar_id, look_id),
            look_id,
            parse=AvatarStatus.from_raw,
            complete=["completed", "ready"],
            failed=["failed", "error"],
            schedule=AVATAR_SCHEDULE,
            resume=f"client.avatars.wait({avatar_id!r}, {look_id!r})",
            timeout=timeout,
            poll_interval=poll_interval,
            on_progress=on_progress,
            progress=progress,
        )


AsyncAvatars = async_variant(Avatars)
