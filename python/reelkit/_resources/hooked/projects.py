"""Hooked projects: the create endpoints, their `SharedOptions` and body checks."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

from ..._endpoint import Call, Resource, async_variant, endpoint
from ..._errors import ValidationError
from ..._models.hooked import CreatedProject
from ..._validation import check_bool, check_enum, check_mapping, check_number, check_str, check_url
from .._common import takes
from ._shared import check_id_list, check_list, check_object, compact

__all__ = ["AsyncProjects", "Projects"]

_F = TypeVar("_F", bound=Callable[..., Any])

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
TEMPLATE_VARIABLE_TYPES = ("text", "media")
METADATA_MAX_BYTES = 5 * 1024
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

CREATE_HINT = "Check your Hooked videos for this project before creating it again."


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
    caption = check_object("caption", value)
    if caption is None:
        return None
    check_enum("caption.preset", caption.get("preset"), CAPTION_PRESETS)
    check_enum("caption.alignment", caption.get("alignment"), ALIGNMENTS)
    check_bool("caption.disabled", caption.get("disabled"))
    return caption


def check_audio(value: Any) -> dict[str, Any] | None:
    audio = check_object("audio", value)
    if audio is None:
        return None
    # Only the types are documented (ElevenLabs-style settings); the ranges are not.
    for key in ("speed", "stability", "similarityBoost", "style"):
        check_number(f"audio.{key}", audio.get(key))
    check_bool("audio.useSpeakerBoost", audio.get("useSpeakerBoost"))
    return audio


@dataclasses.dataclass(frozen=True)
class SharedOptions:
    """The options the create endpoints share (api/hooked.md §4), declared once: each
    `create_*` method takes those its endpoint documents (see `only`, `all_but`)."""

    name: str | None = None
    lipsync_model: str | None = None
    music_id: str | None = None
    caption: Mapping[str, Any] | None = None
    audio: Mapping[str, Any] | None = None
    aspect_ratio: str | None = None
    language: str | None = None
    add_stickers: bool | None = None
    webhook: str | None = None
    metadata: Mapping[str, Any] | None = None

    @classmethod
    def only(cls, names: str) -> Callable[[_F], _F]:
        """The method takes these options (space-separated) as keyword arguments, in
        place of its `shared` parameter, which receives them as one `SharedOptions`."""
        return takes(cls, into="shared", only=names.split())

    @classmethod
    def all_but(cls, names: str) -> Callable[[_F], _F]:
        """The method takes every option but these (see `only`)."""
        every = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(names.split()) - set(every))
        if unknown:
            raise TypeError(f"{cls.__name__} has no field {unknown[0]!r}")
        return cls.only(" ".join(name for name in every if name not in names.split()))

    def wire(self) -> dict[str, Any]:
        """Validated, in wire form: only what the caller set."""
        check_str("name", self.name, min_len=1, max_len=100)
        # 30 is documented on some pages (add-captions, slideshow) and holds for all IDs seen.
        check_str("musicId", self.music_id, min_len=1, max_len=30)
        check_enum("aspectRatio", self.aspect_ratio, ASPECT_RATIOS)
        check_str("language", self.language, min_len=2, max_len=2)
        check_bool("addStickers", self.add_stickers)
        check_enum("lipsyncModel", self.lipsync_model, LIPSYNC_MODELS)
        check_webhook("webhook", self.webhook)
        return compact(
            {
                "name": self.name,
                "lipsyncModel": self.lipsync_model,
                "musicId": self.music_id,
                "caption": check_caption(self.caption),
                "audio": check_audio(self.audio),
                "aspectRatio": self.aspect_ratio,
                "language": self.language,
                "addStickers": self.add_stickers,
                "webhook": self.webhook,
                "metadata": check_metadata(self.metadata),
            }
        )


def _create(path: str, body: dict[str, Any]) -> Call:
    return Call("POST", path, body=body, parse=CreatedProject.from_raw, hint=CREATE_HINT)


def _media_options(
    media_type: Any, media: Any, gameplay_settings: Any, preset_settings: Any
) -> dict[str, Any]:
    """mediaType and what it requires: `media` IDs for "media", `gameplaySettings`
    for "gameplay" (script-to-video and prompt-to-video)."""
    check_enum("mediaType", media_type, MEDIA_TYPES, required=True)
    media_ids = check_id_list("media", media, required=media_type == "media")
    gameplay = check_object(
        "gameplaySettings", gameplay_settings, required=media_type == "gameplay"
    )
    preset = check_object("presetSettings", preset_settings)
    if preset is not None:
        check_str("presetSettings.preset", preset.get("preset"))
        check_str("presetSettings.quality", preset.get("quality"))
    return compact(
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


def _objects(
    field: str, value: Any, max_items: int, check: Callable[[str, dict[str, Any]], None]
) -> list[dict[str, Any]]:
    """1 to `max_items` objects (dicts or option dataclasses) in wire form, each
    checked by `check(path, item)` (`path`: e.g. "scenes.1")."""
    items = check_list(field, value, required=True, min_items=1, max_items=max_items)
    assert items is not None
    wire = []
    for i, raw in enumerate(items):
        item = check_object(f"{field}.{i}", raw, required=True)
        assert item is not None
        check(f"{field}.{i}", item)
        wire.append(item)
    return wire


def _template_scene(at: str, scene: dict[str, Any]) -> None:
    check_str(f"{at}.script", scene.get("script"), required=True, max_len=5000)
    variables = check_list(f"{at}.variables", scene.get("variables"), max_items=20)
    for j, variable in enumerate(variables or ()):
        path = f"{at}.variables.{j}"
        variable = check_mapping(path, variable) or {}
        check_str(f"{path}.key", variable.get("key"), required=True, max_len=100)
        check_str(f"{path}.value", variable.get("value"), required=True, max_len=2000)
        check_enum(f"{path}.type", variable.get("type"), TEMPLATE_VARIABLE_TYPES)
    avatar = check_mapping(f"{at}.avatar", scene.get("avatar"))
    if avatar is not None:
        check_str(f"{at}.avatar.id", avatar.get("id"), required=True)
        _check_point(f"{at}.avatar.topLeft", avatar.get("topLeft"))
        _check_point(f"{at}.avatar.bottomRight", avatar.get("bottomRight"))
    caption = check_mapping(f"{at}.caption", scene.get("caption"))
    if caption is not None:
        _check_point(f"{at}.caption.topLeft", caption.get("topLeft"))
        _check_point(f"{at}.caption.bottomRight", caption.get("bottomRight"))
    check_str(f"{at}.voiceId", scene.get("voiceId"), min_len=1, max_len=20)


def _scene(at: str, scene: dict[str, Any]) -> None:
    scene_type = check_enum(f"{at}.type", scene.get("type"), SCENE_REQUIRED, required=True)
    for key in SCENE_REQUIRED[str(scene_type)]:
        check_str(f"{at}.{key}", scene.get(key), required=True)
    for key in (
        "avatarId",
        "voiceId",
        "mediaId",
        "startFrameMediaId",
        "endFrameMediaId",
        "frameModel",
        "framePrompt",
    ):
        check_str(f"{at}.{key}", scene.get(key))
    check_str(f"{at}.script", scene.get("script"), max_len=5000)
    check_number(f"{at}.frameDuration", scene.get("frameDuration"), minimum=0)


def _slide(at: str, slide: dict[str, Any]) -> None:
    check_str(f"{at}.media", slide.get("media"), required=True)
    check_number(f"{at}.duration", slide.get("duration"), minimum=1, maximum=10)
    texts = check_list(f"{at}.texts", slide.get("texts"), max_items=10)
    for j, text in enumerate(texts or ()):
        path = f"{at}.texts.{j}"
        text = check_mapping(path, text) or {}
        check_str(f"{path}.text", text.get("text"), required=True, max_len=500)
        check_number(f"{path}.x", text.get("x"))
        check_number(f"{path}.y", text.get("y"))


def _product_ad_settings(value: Any) -> dict[str, Any]:
    settings = check_object("productAdSettings", value, required=True)
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
    settings = check_object("textSettings", value)
    if settings is not None:
        # Documented only by example ("modern", "middle", "#FFFFFF"): types, no enums.
        for key in ("preset", "alignment", "textColor", "backgroundColor"):
            check_str(f"textSettings.{key}", settings.get(key))
        check_bool("textSettings.disabled", settings.get("disabled"))
    return settings


def _ad_settings(value: Any) -> dict[str, Any] | None:
    settings = check_object("adSettings", value)
    if settings is not None:
        # bRollType's full enum was not published (only "rounded-cover" is known).
        check_str("adSettings.bRollType", settings.get("bRollType"))
        check_bool("adSettings.removeAvatarBackground", settings.get("removeAvatarBackground"))
    return settings


class Projects(Resource):
    """One method per create endpoint; each returns a `CreatedProject` whose
    `video_id` is what `videos.wait` / `videos.download` take.

    The older `POST /project/create/ugc-video` is left out: the current docs replace
    it with talking-avatar (`create_talking_avatar`), and it is only documented on the
    previous brand's site and the white-label clone."""

    @endpoint
    @SharedOptions.only("aspect_ratio webhook metadata")
    def create_from_template(
        self,
        *,
        template_id: str,
        title: str,
        caption: bool,
        language: str,
        scenes: Sequence[Any],
        shared: SharedOptions,
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
        wire_scenes = _objects("scenes", scenes, 20, _template_scene)
        body = {
            "type": "class",
            "templateId": template_id,
            "title": title,
            "caption": caption,
            "language": language,
            "scenes": wire_scenes,
        }
        body.update(shared.wire())
        return _create("/project/create", body)

    @endpoint
    @SharedOptions.all_but("audio add_stickers")
    def create_ugc_ad(
        self,
        *,
        script: str,
        avatar_id: str,
        voice_id: str,
        media: Sequence[str],
        ad_settings: Mapping[str, Any] | None = None,
        shared: SharedOptions,
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
            "media": check_id_list("media", media, required=True),
        }
        body.update(compact({"adSettings": _ad_settings(ad_settings)}))
        body.update(shared.wire())
        return _create("/project/create/ugc-ads", body)

    @endpoint
    @SharedOptions.all_but("add_stickers")
    def create_talking_avatar(
        self, *, script: str, avatar_id: str, voice_id: str, shared: SharedOptions
    ) -> CreatedProject:
        """A talking-avatar video (`POST /project/create/talking-avatar`)."""
        check_str("script", script, required=True, max_len=10000)
        check_str("avatarId", avatar_id, required=True)
        check_str("voiceId", voice_id, required=True)
        body: dict[str, Any] = {"script": script, "avatarId": avatar_id, "voiceId": voice_id}
        body.update(shared.wire())
        return _create("/project/create/talking-avatar", body)

    @endpoint
    @SharedOptions.all_but("lipsync_model")
    def create_script_to_video(
        self,
        *,
        script: str,
        voice_id: str,
        media_type: str,
        preset_settings: Mapping[str, Any] | None = None,
        media: Sequence[str] | None = None,
        gameplay_settings: Mapping[str, Any] | None = None,
        shared: SharedOptions,
    ) -> CreatedProject:
        """A narrated video over AI images, AI videos, your media or gameplay
        (`POST /project/create/script-to-video`). `media_type`: ai-images, ai-videos,
        media (needs `media`) or gameplay (needs `gameplay_settings`)."""
        # The MCP server sends avatarId/captionStyle here instead; the docs win (§9).
        check_str("script", script, required=True, max_len=10000)
        check_str("voiceId", voice_id, required=True)
        body: dict[str, Any] = {"script": script, "voiceId": voice_id}
        body.update(_media_options(media_type, media, gameplay_settings, preset_settings))
        body.update(shared.wire())
        return _create("/project/create/script-to-video", body)

    @endpoint
    @SharedOptions.all_but("lipsync_model")
    def create_prompt_to_video(
        self,
        *,
        prompt: str,
        voice_id: str,
        media_type: str,
        target_duration: int | None = None,
        preset_settings: Mapping[str, Any] | None = None,
        media: Sequence[str] | None = None,
        gameplay_settings: Mapping[str, Any] | None = None,
        shared: SharedOptions,
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
        body.update(compact({"targetDuration": target}))
        body.update(shared.wire())
        return _create("/project/create/prompt-to-video", body)

    @endpoint
    @SharedOptions.only("name music_id aspect_ratio webhook metadata")
    def create_hook_demo(
        self,
        *,
        avatar_id: str,
        text: str,
        media: Sequence[str] | None = None,
        text_settings: Mapping[str, Any] | None = None,
        shared: SharedOptions,
    ) -> CreatedProject:
        """An avatar hook with on-screen `text` (1-5000 characters) followed by your
        demo media (`POST /project/create/hook-demo`). May come back already
        COMPLETED: it is generated in real time."""
        check_str("avatarId", avatar_id, required=True)
        check_str("text", text, required=True, max_len=5000)
        body: dict[str, Any] = {"avatarId": avatar_id, "text": text}
        body.update(
            compact(
                {
                    "media": check_id_list("media", media),
                    "textSettings": _text_settings(text_settings),
                }
            )
        )
        body.update(shared.wire())
        return _create("/project/create/hook-demo", body)

    @endpoint
    @SharedOptions.all_but("add_stickers")
    def create_product_ad(
        self,
        *,
        script: str,
        product_ad_settings: Mapping[str, Any],
        avatar_id: str | None = None,
        voice_id: str | None = None,
        shared: SharedOptions,
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
        body.update(compact({"avatarId": avatar_id, "voiceId": voice_id}))
        body["productAdSettings"] = _product_ad_settings(product_ad_settings)
        body.update(shared.wire())
        return _create("/project/create/product-ads", body)

    @endpoint
    @SharedOptions.all_but("lipsync_model")
    def create_scenes(self, *, scenes: Sequence[Any], shared: SharedOptions) -> CreatedProject:
        """A multi-scene video (`POST /project/create/scenes`; 1-50 `Scene`s or dicts:
        avatar, video, picture_in_picture, start_end_frame). The answer carries only
        `project_id`: no video ID until the project renders."""
        body: dict[str, Any] = {"scenes": _objects("scenes", scenes, 50, _scene)}
        body.update(shared.wire())
        return _create("/project/create/scenes", body)

    @endpoint
    @SharedOptions.all_but("lipsync_model audio aspect_ratio")
    def add_captions(self, *, media: str, shared: SharedOptions) -> CreatedProject:
        """Caption an uploaded video (`POST /project/create/add-captions`; server
        defaults: preset classic, alignment bottom, language en)."""
        check_str("media", media, required=True)
        body: dict[str, Any] = {"media": media}
        body.update(shared.wire())
        return _create("/project/create/add-captions", body)

    @endpoint
    @SharedOptions.only("name webhook metadata")
    def extend_video(
        self,
        *,
        media: str,
        prompt: str,
        target_duration: int | None = None,
        generate_audio: bool | None = None,
        shared: SharedOptions,
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
        body.update(compact({"targetDuration": target, "generateAudio": generate_audio}))
        body.update(shared.wire())
        return _create("/project/create/extend-video", body)

    @endpoint
    @SharedOptions.only("name webhook metadata")
    def remove_background(self, *, media: str, shared: SharedOptions) -> CreatedProject:
        """Remove an uploaded video's background
        (`POST /project/create/remove-background`)."""
        check_str("media", media, required=True)
        body: dict[str, Any] = {"media": media}
        body.update(shared.wire())
        return _create("/project/create/remove-background", body)

    @endpoint
    @SharedOptions.only("name lipsync_model music_id webhook metadata")
    def create_tiktok_slideshow(
        self,
        *,
        slides: Sequence[Any],
        aspect_ratio: str,
        language: str,
        script: str | None = None,
        voice_id: str | None = None,
        avatar_id: str | None = None,
        shared: SharedOptions,
    ) -> CreatedProject:
        """A TikTok-style slideshow (`POST /project/create/tiktok-slideshow`): 1-50
        `Slide`s (media ID, 1-10 s, up to 10 `SlideText` overlays), optionally
        narrated (`script` needs `voice_id`)."""
        # The MCP server sends title/slides[{text, imageUrl}]; the docs win (§9).
        wire_slides = _objects("slides", slides, 50, _slide)
        check_enum("aspectRatio", aspect_ratio, ASPECT_RATIOS, required=True)
        check_str("language", language, required=True, min_len=2, max_len=2)
        check_str("script", script, max_len=10000)
        check_str("voiceId", voice_id, min_len=1, max_len=30)
        check_str("avatarId", avatar_id, min_len=1, max_len=30)
        if script is not None and voice_id is None:
            raise ValidationError("voiceId", "is required when script is set (narration)")
        body: dict[str, Any] = {"slides": wire_slides}
        body.update(compact({"script": script, "voiceId": voice_id, "avatarId": avatar_id}))
        # Required here, so declared above, and sent with the other shared options.
        shared = dataclasses.replace(shared, aspect_ratio=aspect_ratio, language=language)
        body.update(shared.wire())
        return _create("/project/create/tiktok-slideshow", body)


AsyncProjects = async_variant(Projects)
