"""Hoox (app.hoox.video): the `Hoox` / `AsyncHoox` clients, `parse_webhook` and the
offline `estimate_credits`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import _errors, _native
from ._client import AsyncClient, ProviderInfo, SyncClient, resource
from ._lazy import lazy_attributes

if TYPE_CHECKING:
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

_R = "reelkit._resources.hoox"

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
    scripts: _r.Scripts = resource(_R, "Scripts")
    videos: _r.Videos = resource(_R, "Videos")
    avatars: _r.Avatars = resource(_R, "Avatars")
    generations: _r.Generations = resource(_R, "Generations")
    exports: _r.Exports = resource(_R, "Exports")
    voices: _r.Voices = resource(_R, "Voices")
    assets: _r.Assets = resource(_R, "Assets")
    folders: _r.Folders = resource(_R, "Folders")


class AsyncHoox(AsyncClient):
    """asyncio Hoox client: every endpoint method returns a coroutine."""

    _provider = PROVIDER
    scripts: _r.AsyncScripts = resource(_R, "AsyncScripts")
    videos: _r.AsyncVideos = resource(_R, "AsyncVideos")
    avatars: _r.AsyncAvatars = resource(_R, "AsyncAvatars")
    generations: _r.AsyncGenerations = resource(_R, "AsyncGenerations")
    exports: _r.AsyncExports = resource(_R, "AsyncExports")
    voices: _r.AsyncVoices = resource(_R, "AsyncVoices")
    assets: _r.AsyncAssets = resource(_R, "AsyncAssets")
    folders: _r.AsyncFolders = resource(_R, "AsyncFolders")


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
    from ._models.hoox import HooxWebhookEvent

    event = HooxWebhookEvent.from_raw(fields)
    object.__setattr__(event, "raw", raw)
    return event


# Models (and helpers) load on first use, so that building a client stays cheap.
_LAZY = {
    "AssetCapabilities": "reelkit._models.hoox",
    "AssetJob": "reelkit._models.hoox",
    "AssetModel": "reelkit._models.hoox",
    "AssetModelDetail": "reelkit._models.hoox",
    "AssetModelSetting": "reelkit._models.hoox",
    "AssetPricing": "reelkit._models.hoox",
    "AssetStatus": "reelkit._models.hoox",
    "Avatar": "reelkit._models.hoox",
    "AvatarJob": "reelkit._models.hoox",
    "AvatarLook": "reelkit._models.hoox",
    "AvatarStatus": "reelkit._models.hoox",
    "DuplicatedVideo": "reelkit._models.hoox",
    "ExportJob": "reelkit._models.hoox",
    "ExportStatus": "reelkit._models.hoox",
    "Folder": "reelkit._models.hoox",
    "GenerationJob": "reelkit._models.hoox",
    "GenerationStatus": "reelkit._models.hoox",
    "HooxWebhookEvent": "reelkit._models.hoox",
    "Look": "reelkit._models.hoox",
    "Script": "reelkit._models.hoox",
    "Voice": "reelkit._models.hoox",
    "estimate_credits": "reelkit._credits",
}


if not TYPE_CHECKING:  # type checkers see the imports above, not a catch-all
    __getattr__, __dir__ = lazy_attributes(__name__, globals(), _LAZY)
