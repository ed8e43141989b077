"""Hoox endpoints, each declared once (see `_endpoint.py`), one module per resource."""

# The sync and asyncio clients both serve them. Paths are relative to the base URL
# (`https://app.hoox.video/api/public/v1`); wire names follow hoox.md §3 exactly.
#
# Every credit-spending method takes `max_credits=`: the cost is estimated offline
# (`_credits.py`) or quoted by the server (assets) and the call is refused with
# `BudgetExceededError` before anything is sent.

# The resources, and (`X as X`) their allowed values and polling cadences: importable
# from here, as before the split into modules.
from ._shared import AVATAR_GENDERS as AVATAR_GENDERS
from ._shared import VIDEO_FORMATS as VIDEO_FORMATS
from .assets import ASSET_ASPECT_RATIOS as ASSET_ASPECT_RATIOS
from .assets import ASSET_REFERENCE_KEYS as ASSET_REFERENCE_KEYS
from .assets import ASSET_SCHEDULE as ASSET_SCHEDULE
from .assets import ASSET_TYPES as ASSET_TYPES
from .assets import PRICING_INPUTS as PRICING_INPUTS
from .assets import Assets, AsyncAssets
from .avatars import AVATAR_ACCESSORIES as AVATAR_ACCESSORIES
from .avatars import AVATAR_ACTIONS as AVATAR_ACTIONS
from .avatars import AVATAR_AGE_RANGES as AVATAR_AGE_RANGES
from .avatars import AVATAR_EMOTIONS as AVATAR_EMOTIONS
from .avatars import AVATAR_ETHNICITIES as AVATAR_ETHNICITIES
from .avatars import AVATAR_FORMATS as AVATAR_FORMATS
from .avatars import AVATAR_HAIR_COLORS as AVATAR_HAIR_COLORS
from .avatars import AVATAR_PLACES as AVATAR_PLACES
from .avatars import AVATAR_RESOLUTIONS as AVATAR_RESOLUTIONS
from .avatars import AVATAR_SCHEDULE as AVATAR_SCHEDULE
from .avatars import AVATAR_STYLES as AVATAR_STYLES
from .avatars import AsyncAvatars, Avatars
from .exports import AVATAR_MODELS as AVATAR_MODELS
from .exports import EXPORT_SCHEDULE as EXPORT_SCHEDULE
from .exports import AsyncExports, Exports
from .folders import FOLDER_TYPES as FOLDER_TYPES
from .folders import AsyncFolders, Folders
from .generations import ANIMATE_MODES as ANIMATE_MODES
from .generations import ENABLE_KEYS as ENABLE_KEYS
from .generations import GENERATION_SCHEDULE as GENERATION_SCHEDULE
from .generations import MEDIA_SHOW as MEDIA_SHOW
from .generations import WEB_SEARCH_KEYS as WEB_SEARCH_KEYS
from .generations import AsyncGenerations, Generations
from .scripts import AsyncScripts, Scripts
from .videos import AsyncVideos, Videos
from .voices import AsyncVoices, Voices

__all__ = [
    "Assets",
    "Avatars",
    "Exports",
    "Folders",
    "Generations",
    "Scripts",
    "Videos",
    "Voices",
    "AsyncScripts",
    "AsyncVideos",
    "AsyncAvatars",
    "AsyncGenerations",
    "AsyncExports",
    "AsyncVoices",
    "AsyncAssets",
    "AsyncFolders",
]
