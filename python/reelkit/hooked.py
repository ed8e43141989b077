"""Hooked (hooked.so): the `Hooked` / `AsyncHooked` clients and `parse_webhook`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import _errors, _native
from ._client import AsyncClient, ProviderInfo, SyncClient
from ._models.hooked import HookedWebhookEvent
from ._resources import hooked as _r

__all__ = ["Hooked", "AsyncHooked", "parse_webhook", "HookedWebhookEvent"]

PROVIDER = ProviderInfo(
    name="Hooked",
    native_name="hooked",
    key_env="HOOKED_API_KEY",
    base_url_env="HOOKED_BASE_URL",
    default_base_url="https://api.hooked.so/v1",
)


class _HookedResources:
    videos: _r.Videos
    projects: _r.Projects
    avatars: _r.Avatars
    voices: _r.Voices

    def _init_resources(self) -> None:
        self.videos = _r.Videos(self)
        self.projects = _r.Projects(self)
        self.avatars = _r.Avatars(self)
        self.voices = _r.Voices(self)


class Hooked(_HookedResources, SyncClient):
    """Synchronous Hooked client. Key from `api_key` or `HOOKED_API_KEY`."""

    _provider = PROVIDER


class AsyncHooked(_HookedResources, AsyncClient):
    """asyncio Hooked client: every endpoint method returns a coroutine."""

    _provider = PROVIDER


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
