"""One table holds the SDK and the simulator to the same rules (issue 12 point 4).

The two implementations stay independent (python/reelkit/_resources + _credits.py on
one side, crates/reelkit-sim/src/api/rules.rs + credits.rs on the other); each row
below says what the documented rule is, and both sides must give exactly that, so
a change on one side only fails here. Sources: /shared/api/hoox.md, hooked.md (the
newest source wins where they disagree, as the comments in each list say)."""

from __future__ import annotations

import pytest

from reelkit import ValidationError
from reelkit._credits import estimate_credits
from reelkit._native import testing as native_testing
from reelkit._resources import hooked, hoox

# name -> (the SDK's list, the documented values)
ALLOWED = {
    "hoox.video_formats": (
        hoox.VIDEO_FORMATS,
        {"vertical", "horizontal", "square", "ads", "custom"},
    ),
    "hoox.look_formats": (hoox.AVATAR_FORMATS, {"vertical", "horizontal"}),
    "hoox.look_styles": (
        hoox.AVATAR_STYLES,
        {"iphone", "selfie", "podcast", "car", "conference", "raw"},
    ),
    # hoox.md: 2K (default) and 4K; the MCP client also sends 1K, so both accept it.
    "hoox.look_resolutions": (hoox.AVATAR_RESOLUTIONS, {"1K", "2K", "4K"}),
    "hoox.media_show": (hoox.MEDIA_SHOW, {"full", "half", "background", "hide"}),
    "hoox.folder_types": (hoox.FOLDER_TYPES, {"assets", "videos"}),
    "hoox.animate_modes": (hoox.ANIMATE_MODES, {"standard", "pro"}),
    # The newest list (SKILL/MCP, look `model_available`) wins over the older five.
    "hoox.export_avatar_models": (
        hoox.AVATAR_MODELS,
        {
            "standard", "premium", "ultra", "veo-3-fast", "veo-3", "veo-3-lite", "omni-flash",
            "ora-lite", "ora-standard", "ora-pro", "seedance-2", "seedance-2-fast",
            "seedance-2-1080p",
        },
    ),
    "hooked.video_types": (
        hooked.VIDEO_TYPES,
        {
            "class", "ugc_ads", "ugc_video", "script_to_video", "prompt_to_video", "hook_demo",
            "product_ads", "scenes", "add_captions", "extend_video", "remove_background",
            "tiktok_slideshow",
        },
    ),
    "hooked.aspect_ratios": (hooked.ASPECT_RATIOS, {"ratio_9_16", "ratio_16_9", "ratio_1_1"}),
    "hooked.caption_presets": (
        hooked.CAPTION_PRESETS,
        {
            "default", "beast", "umi", "tiktok", "wrap1", "wrap2", "ariel", "hooked", "classic",
            "active", "bubble", "glass", "comic", "glow", "pastel", "neon", "retroTV", "red",
            "marker", "modern", "blue", "vivid",
        },
    ),
    "hooked.caption_alignments": (hooked.ALIGNMENTS, {"top", "middle", "bottom"}),
    "hooked.lipsync_models": (hooked.LIPSYNC_MODELS, {"base", "pro"}),
    "hooked.media_types": (hooked.MEDIA_TYPES, {"ai-images", "ai-videos", "media", "gameplay"}),
    "hooked.scene_types": (
        tuple(hooked.SCENE_REQUIRED),
        {"avatar", "video", "picture_in_picture", "start_end_frame"},
    ),
    "hooked.schedule_statuses": (
        hooked.SCHEDULE_STATUSES,
        {"pending", "published", "failed", "draft"},
    ),
    "hooked.avatar_types": (hooked.AVATAR_TYPES, {"library", "custom", "all"}),
}  # fmt: skip


def test_the_table_covers_every_list_the_simulator_enforces():
    assert set(native_testing.sim_allowed_values()) == set(ALLOWED)


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_allowed_values_match(name):
    sdk, documented = ALLOWED[name]
    assert set(sdk) == documented, f"SDK {name}"
    assert len(sdk) == len(documented), f"SDK {name} repeats a value"
    assert set(native_testing.sim_allowed_values()[name]) == documented, f"simulator {name}"


# (operation, params, documented credits). Formulas: hoox.md §3-4 (see _credits.py).
CREDITS = [
    ("script", {}, 0.1),
    ("script", {"duration": 60}, 0.1),
    ("script", {"duration": 61, "web_search": True, "urls": ["https://a", "https://b"]}, 0.5),
    ("generation", {"duration": 10}, 5.0),
    ("generation", {"duration": 45}, 10.0),
    ("generation", {"duration": 95}, 15.0),
    ("generation", {"duration": 600}, 100.0),
    ("generation", {"duration": 60, "animate_image": True, "animate_image_max": 3}, 22.0),
    (
        "generation",
        {"duration": 60, "animate_image": True, "animate_image_max": 3, "animate_mode": "pro"},
        31.0,
    ),
    ("export", {"duration": 30}, 0.0),
    ("export", {"duration": 30, "avatar_model": "standard"}, 0.0),
    ("export", {"duration": 40, "avatar_model": "premium"}, 32.0),
    # 0.8/s x 12.345 s: four decimals on both sides.
    ("export", {"duration": 12.345, "avatar_model": "premium"}, 9.876),
    ("export", {"duration": 10, "avatar_model": "ultra"}, 23.0),
    ("export", {"duration": 24, "avatar_model": "veo-3-fast"}, 55.2),
    ("export", {"duration": 9, "avatar_model": "veo-3"}, 80.0),
    ("export", {"duration": 10, "avatar_model": "veo-3-lite"}, 27.6),
    ("export", {"duration": 10, "avatar_model": "veo-3-lite", "resolution": "720p"}, 6.0),
    ("export", {"duration": 17, "avatar_model": "ora-lite"}, 12.0),
    ("export", {"duration": 8, "avatar_model": "ora-standard"}, 8.0),
    ("export", {"duration": 9, "avatar_model": "ora-pro"}, 32.0),
    ("export", {"duration": 60, "format": "custom", "width": 2560, "height": 1440}, 5.0),
    ("export", {"duration": 60, "format": "custom", "width": 1920, "height": 1080}, 0.0),
    (
        "export",
        {
            "duration": 100,
            "format": "custom",
            "width": 3840,
            "height": 2160,
            "avatar_model": "ultra",
        },
        237.5,
    ),
    ("avatar_create", {}, 2.0),
    ("avatar_create", {"resolution": "2K"}, 2.0),
    ("avatar_create", {"resolution": "4K"}, 4.0),
    ("avatar_edit", {"resolution": "2K", "upscale": True}, 3.5),
    ("avatar_edit", {"resolution": "4K", "upscale": True}, 5.5),
]

# Deliberate differences: models whose rate the docs give as "varies" / not found.
# The SDK refuses to estimate them (a budget check must not guess low); the simulator
# has to debit something and bills 1 credit per second.
UNPRICED = ["omni-flash", "seedance-2", "seedance-2-fast", "seedance-2-1080p"]


def _case_id(case: tuple[str, dict, float]) -> str:
    op, params, _ = case
    return op + "-" + "-".join(f"{k}={v}" for k, v in params.items())


@pytest.mark.parametrize("case", CREDITS, ids=[_case_id(c) for c in CREDITS])
def test_credit_formulas_match(case):
    op, params, expected = case
    assert estimate_credits(op, **params) == expected, "SDK"
    assert native_testing.sim_credits(op, params) == expected, "simulator"


@pytest.mark.parametrize("model", UNPRICED)
def test_unpriced_models_are_a_listed_difference(model):
    with pytest.raises(ValidationError, match="avatar_model"):
        estimate_credits("export", duration=10, avatar_model=model)
    assert native_testing.sim_credits("export", {"duration": 10, "avatar_model": model}) == 10.0
