"""Hoox (app.hoox.video): the `Hoox` / `AsyncHoox` clients, `parse_webhook` and the
offline `estimate_credits`."""

from collections.abc import Mapping
from typing import Any

from . import _errors, _native
from ._client import AsyncClient, ProviderInfo, SyncClient
from ._credits import estimate_credits
from ._models.hoox import (
    AssetCapabilities,
    AssetJob,
    AssetModel,
    AssetModelDetail,
    AssetModelSetting,
    AssetPricing,
    AssetStatus,
    Avatar,
    AvatarJob,
    AvatarLook,
    AvatarStatus,
    DuplicatedVideo,
    ExportJob,
    ExportStatus,
    Folder,
    GenerationJob,
    GenerationStatus,
    HooxWebhookEvent,
    Look,
    Script,
    Voice,
)
from ._resources import hoox as _r

__all__ = [
    "AssetCapabilities",
    "AssetJob",
    "AssetModel",
    "AssetModelDetail",
    "AssetModelSetting",
    "AssetPricing",
    "AssetStatus",
    "AsyncHoox",
    "Avatar",
    "AvatarJob",
    "AvatarLook",
    "AvatarStatus",
    "DuplicatedVideo",
    "ExportJob",
    "ExportStatus",
    "Folder",
    "GenerationJob",
    "GenerationStatus",
    "Hoox",
    "HooxWebhookEvent",
    "Look",
    "Script",
    "Voice",
    "estimate_credits",
    "parse_webhook",
]

PROVIDER = ProviderInfo(
    name="Hoox",
    native_name="hoox",
    key_env="HOOX_API_KEY",
    base_url_env="HOOX_BASE_URL",
    default_base_url="https://app.hoox.video/api/public/v1",
)


class Hoox(SyncClient):
    """Synchronous Hoox client. Key from `api_key` or `HOOX_API_KEY`; base URL from
    `base_url`, `HOOX_BASE_URL`, or the public API."""

    _provider = PROVIDER
    # Resource groups: each is declared once in `_resources/hoox/`; the
    # annotations below say which class (sync or its derived async twin) serves it.
    scripts: _r.Scripts
    videos: _r.Videos
    avatars: _r.Avatars
    generations: _r.Generations
    exports: _r.Exports
    voices: _r.Voices
    assets: _r.Assets
    folders: _r.Folders


class AsyncHoox(AsyncClient):
    """asyncio Hoox client: every endpoint method returns a coroutine."""

    _provider = PROVIDER
    scripts: _r.AsyncScripts
    videos: _r.AsyncVideos
    avatars: _r.AsyncAvatars
    generations: _r.AsyncGenerations
    exports: _r.AsyncExports
    voices: _r.AsyncVoices
    assets: _r.AsyncAssets
    folders: _r.AsyncFolders


def parse_webhook(body: bytes | str | Mapping[str, Any]) -> HooxWebhookEvent:
    """Parse a Hoox webhook body (raw bytes, text, or already-parsed JSON).

    Hoox does not sign webhooks: check `X-Hoox-Webhook: true`, dedupe on
    `event.id`, and confirm by fetching the job's status before acting."""
    if isinstance(body, (bytearray, memoryview)):
        body = bytes(body)
    try:
        fields, raw = _native.parse_hoox_webhook(body)
    except _native.NativeError as exc:
        raise _errors.WebhookPayloadError(exc.args[0].get("message", str(exc))) from None
    event = HooxWebhookEvent.from_raw(fields)
    object.__setattr__(event, "raw", raw)
    return event
