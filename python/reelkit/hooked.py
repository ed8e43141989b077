"""Hooked (hooked.so): the `Hooked` / `AsyncHooked` clients, the typed request options
(`Caption`, `Slide`, `Scene`, ...), the response models and `parse_webhook`."""

from collections.abc import Mapping
from typing import Any

from . import _errors, _native
from ._client import AsyncClient, ProviderInfo, SyncClient
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
    videos: _r.Videos
    projects: _r.Projects
    avatars: _r.Avatars
    voices: _r.Voices
    music: _r.MusicTracks
    templates: _r.Templates
    niches: _r.Niches
    trends: _r.Trends
    schedules: _r.Schedules
    integrations: _r.Integrations
    social_search: _r.SocialSearches


class AsyncHooked(AsyncClient):
    """asyncio Hooked client: every endpoint method returns a coroutine, except the
    `iter*` methods, which return async iterators (`async for`)."""

    _provider = PROVIDER
    videos: _r.AsyncVideos
    projects: _r.AsyncProjects
    avatars: _r.AsyncAvatars
    voices: _r.AsyncVoices
    music: _r.AsyncMusicTracks
    templates: _r.AsyncTemplates
    niches: _r.AsyncNiches
    trends: _r.AsyncTrends
    schedules: _r.AsyncSchedules
    integrations: _r.AsyncIntegrations
    social_search: _r.AsyncSocialSearches


def parse_webhook(body: bytes | str | Mapping[str, Any]) -> HookedWebhookEvent:
    """Parse a Hooked webhook (`project.completed` / `project.failed`).

    Hooked does not sign webhooks: confirm with `videos.get(event.video_id)`."""
    if isinstance(body, (bytearray, memoryview)):
        body = bytes(body)
    try:
        fields, raw = _native.parse_hooked_webhook(body)
    except _native.NativeError as exc:
        raise _errors.WebhookPayloadError(exc.args[0].get("message", str(exc))) from None
    event = HookedWebhookEvent.from_raw(fields)
    object.__setattr__(event, "raw", raw)
    return event
