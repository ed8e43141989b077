"""Hooked endpoints, each declared once (see `_endpoint.py`), one module per family."""

# Paths are relative to the base URL (`https://api.hooked.so/v1`). Keyword arguments are
# snake_case and are sent under Hooked's camelCase wire names; nested options (dicts with
# snake_case or camelCase keys, or the dataclasses of `_models/hooked.py`) are converted
# recursively, `metadata` is sent verbatim. Only what the caller set is sent.
#
# Every documented constraint is checked before sending; a `ValidationError` names the
# field the way Hooked's own (Zod) messages do: wire names, dotted paths with list
# indexes (`slides.0.duration`, `scenes.1.mediaId`, `productAdSettings.websiteUrl`).
#
# Where the official MCP server sends other bodies than the docs (script-to-video,
# prompt-to-video, ugc-ads, tiktok-slideshow: api/hooked.md §9), these follow the docs;
# `extra_body=` (accepted by every endpoint) adds or overrides any wire field.

# The resources, and (`X as X`) their allowed values, limits and checks: importable
# from here, as before the split into modules.
from ._shared import MAX_MEDIA_ITEMS as MAX_MEDIA_ITEMS
from ._shared import to_wire
from .catalogue import AVATAR_TYPES as AVATAR_TYPES
from .catalogue import (
    AsyncAvatars,
    AsyncMusicTracks,
    AsyncNiches,
    AsyncTemplates,
    AsyncVoices,
    Avatars,
    MusicTracks,
    Niches,
    Templates,
    Voices,
)
from .projects import ALIGNMENTS as ALIGNMENTS
from .projects import ASPECT_RATIOS as ASPECT_RATIOS
from .projects import CAPTION_PRESETS as CAPTION_PRESETS
from .projects import CREATE_HINT as CREATE_HINT
from .projects import LIPSYNC_MODELS as LIPSYNC_MODELS
from .projects import LOOPBACK_HOSTS as LOOPBACK_HOSTS
from .projects import MEDIA_TYPES as MEDIA_TYPES
from .projects import METADATA_MAX_BYTES as METADATA_MAX_BYTES
from .projects import SCENE_REQUIRED as SCENE_REQUIRED
from .projects import TEMPLATE_VARIABLE_TYPES as TEMPLATE_VARIABLE_TYPES
from .projects import AsyncProjects, Projects
from .projects import check_audio as check_audio
from .projects import check_caption as check_caption
from .projects import check_metadata as check_metadata
from .projects import check_webhook as check_webhook
from .schedules import SCHEDULE_HINT as SCHEDULE_HINT
from .schedules import SCHEDULE_STATUSES as SCHEDULE_STATUSES
from .schedules import AsyncIntegrations, AsyncSchedules, Integrations, Schedules
from .trends import TREND_PLATFORMS as TREND_PLATFORMS
from .trends import AsyncSocialSearches, AsyncTrends, SocialSearches, Trends
from .videos import VIDEO_SCHEDULE as VIDEO_SCHEDULE
from .videos import VIDEO_STATUSES as VIDEO_STATUSES
from .videos import VIDEO_TYPES as VIDEO_TYPES
from .videos import AsyncVideos, Videos

__all__ = [
    "Avatars",
    "Integrations",
    "MusicTracks",
    "Niches",
    "Projects",
    "Schedules",
    "SocialSearches",
    "Templates",
    "Trends",
    "Videos",
    "Voices",
    "to_wire",
    "AsyncVideos",
    "AsyncProjects",
    "AsyncAvatars",
    "AsyncVoices",
    "AsyncMusicTracks",
    "AsyncTemplates",
    "AsyncNiches",
    "AsyncTrends",
    "AsyncSchedules",
    "AsyncIntegrations",
    "AsyncSocialSearches",
]
