"""Hooked (hooked.so): the `Hooked` / `AsyncHooked` clients, the typed request options
(`Caption`, `Slide`, `Scene`, ...), the response models and `parse_webhook`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import _errors, _native
from ._client import AsyncClient, ProviderInfo, SyncClient, resource
from ._lazy import lazy_attributes

if TYPE_CHECKING:
    from ._models.hooked import (
        AdSettings,
        Audio,
        Avatar,
        Caption,
        CreatedProject,
        DeletedSchedule,
        HookedWebhookEvent,
        Integration,
        IntegrationAccount,
        IntegrationHealth,
        Music,
        Niche,
        PlatformData,
        Point,
        PresetSettings,
        ProductAdSettings,
        Scene,
        ScheduledPost,
        ScheduledVideo,
        SchedulePage,
        Slide,
        SlideText,
        SocialSearch,
        Template,
        TemplateAvatar,
        TemplateCaptionBox,
        TemplateScene,
        TemplateVariable,
        TextSettings,
        TrendingVideo,
        TrendPage,
        Video,
        VideoPage,
        Voice,
    )
    from ._resources import hooked as _r

__all__ = [
    "AdSettings",
    "AsyncHooked",
    "Audio",
    "Avatar",
    "Caption",
    "CreatedProject",
    "DeletedSchedule",
    "Hooked",
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
    "parse_webhook",
]

_R = "reelkit._resources.hooked"

PROVIDER = ProviderInfo(
    name="Hooked",
    native_name="hooked",
    key_env="HOOKED_API_KEY",
    base_url_env="HOOKED_BASE_URL",
    default_base_url="https://api.hooked.so/v1",
)


class Hooked(SyncClient):
    """Synchronous Hooked client. Key from `api_key` or `HOOKED_API_KEY`."""

    _provider = PROVIDER
    # Resource groups: each is declared once in `_resources/hooked/`; the
    # annotations below say which class (sync or its derived async twin) serves it.
    videos: _r.Videos = resource(_R, "Videos")
    projects: _r.Projects = resource(_R, "Projects")
    avatars: _r.Avatars = resource(_R, "Avatars")
    voices: _r.Voices = resource(_R, "Voices")
    music: _r.MusicTracks = resource(_R, "MusicTracks")
    templates: _r.Templates = resource(_R, "Templates")
    niches: _r.Niches = resource(_R, "Niches")
    trends: _r.Trends = resource(_R, "Trends")
    schedules: _r.Schedules = resource(_R, "Schedules")
    integrations: _r.Integrations = resource(_R, "Integrations")
    social_search: _r.SocialSearches = resource(_R, "SocialSearches")


class AsyncHooked(AsyncClient):
    """asyncio Hooked client: every endpoint method returns a coroutine, except the
    `iter*` methods, which return async iterators (`async for`)."""

    _provider = PROVIDER
    videos: _r.AsyncVideos = resource(_R, "AsyncVideos")
    projects: _r.AsyncProjects = resource(_R, "AsyncProjects")
    avatars: _r.AsyncAvatars = resource(_R, "AsyncAvatars")
    voices: _r.AsyncVoices = resource(_R, "AsyncVoices")
    music: _r.AsyncMusicTracks = resource(_R, "AsyncMusicTracks")
    templates: _r.AsyncTemplates = resource(_R, "AsyncTemplates")
    niches: _r.AsyncNiches = resource(_R, "AsyncNiches")
    trends: _r.AsyncTrends = resource(_R, "AsyncTrends")
    schedules: _r.AsyncSchedules = resource(_R, "AsyncSchedules")
    integrations: _r.AsyncIntegrations = resource(_R, "AsyncIntegrations")
    social_search: _r.AsyncSocialSearches = resource(_R, "AsyncSocialSearches")


def parse_webhook(body: bytes | str | Mapping[str, Any]) -> HookedWebhookEvent:
    """Parse a Hooked webhook (`project.completed` / `project.failed`).

    Hooked does not sign webhooks: confirm with `videos.get(event.video_id)`."""
    if isinstance(body, (bytearray, memoryview)):
        body = bytes(body)
    try:
        fields, raw = _native.parse_hooked_webhook(body)
    except _native.NativeError as exc:
        raise _errors.WebhookPayloadError(exc.args[0].get("message", str(exc))) from None
    from ._models.hooked import HookedWebhookEvent

    event = HookedWebhookEvent.from_raw(fields)
    object.__setattr__(event, "raw", raw)
    return event


# Models (and helpers) load on first use, so that building a client stays cheap.
_LAZY = {
    "AdSettings": "reelkit._models.hooked",
    "Audio": "reelkit._models.hooked",
    "Avatar": "reelkit._models.hooked",
    "Caption": "reelkit._models.hooked",
    "CreatedProject": "reelkit._models.hooked",
    "DeletedSchedule": "reelkit._models.hooked",
    "HookedWebhookEvent": "reelkit._models.hooked",
    "Integration": "reelkit._models.hooked",
    "IntegrationAccount": "reelkit._models.hooked",
    "IntegrationHealth": "reelkit._models.hooked",
    "Music": "reelkit._models.hooked",
    "Niche": "reelkit._models.hooked",
    "PlatformData": "reelkit._models.hooked",
    "Point": "reelkit._models.hooked",
    "PresetSettings": "reelkit._models.hooked",
    "ProductAdSettings": "reelkit._models.hooked",
    "Scene": "reelkit._models.hooked",
    "ScheduledPost": "reelkit._models.hooked",
    "ScheduledVideo": "reelkit._models.hooked",
    "SchedulePage": "reelkit._models.hooked",
    "Slide": "reelkit._models.hooked",
    "SlideText": "reelkit._models.hooked",
    "SocialSearch": "reelkit._models.hooked",
    "Template": "reelkit._models.hooked",
    "TemplateAvatar": "reelkit._models.hooked",
    "TemplateCaptionBox": "reelkit._models.hooked",
    "TemplateScene": "reelkit._models.hooked",
    "TemplateVariable": "reelkit._models.hooked",
    "TextSettings": "reelkit._models.hooked",
    "TrendingVideo": "reelkit._models.hooked",
    "TrendPage": "reelkit._models.hooked",
    "Video": "reelkit._models.hooked",
    "VideoPage": "reelkit._models.hooked",
    "Voice": "reelkit._models.hooked",
}


if not TYPE_CHECKING:  # type checkers see the imports above, not a catch-all
    __getattr__, __dir__ = lazy_attributes(__name__, globals(), _LAZY)
