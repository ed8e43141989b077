"""`reelkit.hoox.estimate_credits`: the documented examples of hoox.md §3-§4, and a
`ValidationError` naming each input a formula needs but did not get."""

from __future__ import annotations

import pytest

from reelkit import ValidationError
from reelkit.hoox import estimate_credits

DOCUMENTED = [
    # /script/generate: 0.1 per started minute, +0.1 web search, +0.1 per URL (§3.1).
    ("script", {}, 0.1),
    ("script", {"duration": 60}, 0.1),
    ("script", {"duration": 60, "web_search": True, "urls": ["https://a.example"]}, 0.3),
    ("script", {"duration": 90, "web_search": True}, 0.3),
    ("script", {"duration": 90, "urls": 2}, 0.4),
    ("script", {"duration": 600}, 1.0),
    # /generation/start: 5 credits per 30 s (§3.2).
    ("generation", {"duration": 10}, 5),
    ("generation", {"duration": 30}, 5),
    ("generation", {"duration": 40}, 5),
    ("generation", {"duration": 60}, 10),
    ("generation", {"duration": 90}, 15),
    ("generation", {"duration": 600}, 100),
    # 936 characters of script = one minute.
    ("generation", {"script": "x" * 936}, 10),
    # Image animation: +4 per image (standard), +7 (pro).
    ("generation", {"duration": 30, "animate_image": True, "animate_image_max": 2}, 13),
    (
        "generation",
        {"duration": 30, "animate_image": True, "animate_image_max": 2, "animate_mode": "pro"},
        19,
    ),
    # /export/start (§3.4): Veo segments of 8 s; premium per visible second (newest rate).
    ("export", {"avatar_model": "veo-3-fast", "avatar_seconds": 24}, 55.2),
    ("export", {"avatar_model": "veo-3-fast", "avatar_seconds": 20}, 55.2),
    ("export", {"avatar_model": "veo-3", "avatar_seconds": 8}, 40),
    ("export", {"avatar_model": "premium", "avatar_seconds": 40}, 32),
    ("export", {"avatar_model": "ultra", "avatar_seconds": 10}, 23),
    ("export", {"avatar_model": "standard"}, 0),
    ("export", {}, 0),
    ("export", {"format": "custom", "width": 3840, "height": 2160, "duration": 60}, 5),
    ("export", {"format": "custom", "width": 1080, "height": 1080, "duration": 60}, 0),
    ("export", {"api_video": False, "duration": 30}, 5),
    ("export", {"avatar_model": "ora-pro", "avatar_seconds": 9}, 32),
    ("export", {"avatar_model": "veo-3-lite", "avatar_seconds": 6, "resolution": "720p"}, 3),
    # /avatar/create and /avatar/edit (§3.13-§3.14).
    ("avatar_create", {}, 2),
    ("avatar_create", {"resolution": "2K"}, 2),
    ("avatar_create", {"resolution": "4K"}, 4),
    ("avatar_create", {"image_urls": ["https://a.example/1.jpg"]}, 0),
    ("avatar_edit", {"resolution": "2K"}, 2),
    ("avatar_edit", {"resolution": "4K", "upscale": True}, 5.5),
    ("avatar_edit", {"upscale": True}, 3.5),
]


@pytest.mark.parametrize(("operation", "params", "expected"), DOCUMENTED)
def test_documented_estimates(operation, params, expected):
    assert estimate_credits(operation, **params) == pytest.approx(expected)


def test_veo_fast_example_reads_exactly():
    # 3 segments x 8 s x 2.3 is 55.199999... in floating point; the estimate is rounded.
    assert estimate_credits("export", avatar_model="veo-3-fast", avatar_seconds=24) == 55.2


def test_visible_seconds_alias_and_duration_upper_bound():
    assert estimate_credits("export", avatar_model="premium", visible_seconds=10) == 8
    # Without the visible time, the video's duration bounds it.
    assert estimate_credits("export", avatar_model="premium", duration=30) == 24


MISSING = [
    ("generation", {}, "duration"),
    ("generation", {"duration": 30, "animate_image": True}, "animate_image_max"),
    ("export", {"avatar_model": "premium"}, "avatar_seconds"),
    ("export", {"format": "custom", "width": 3840, "height": 2160}, "duration"),
    ("export", {"api_video": False}, "duration"),
    ("export", {"avatar_model": "omni-flash", "avatar_seconds": 5}, "avatar_model"),
    ("script", {"duration": 5}, "duration"),
    ("script", {"duration": 700}, "duration"),
    ("script", {"urls": "https://a.example"}, "urls"),
    ("generation", {"duration": 30, "animate_mode": "ultra"}, "animate_mode"),
    ("avatar_edit", {"upscale": "yes"}, "upscale"),
    ("asset", {}, "operation"),
]


@pytest.mark.parametrize(("operation", "params", "field"), MISSING)
def test_missing_or_bad_inputs_are_named(operation, params, field):
    with pytest.raises(ValidationError) as info:
        estimate_credits(operation, **params)
    assert info.value.field == field
