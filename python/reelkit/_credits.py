"""Offline Hoox credit estimates (hoox.md §4 and the formulas of §3).

`estimate_credits(operation, **params)` is public (`reelkit.hoox.estimate_credits`);
the resources use the same functions for `max_credits=` budget checks, which refuse
with `BudgetExceededError` before anything is sent. Where the sources disagree the
newest one wins (hoox.md §0): premium avatars cost 0.8 credit/s (older docs: 0.5),
image animation +4 (standard) / +7 (pro) per image (older docs: +5).
Results are rounded to 4 decimals so that 3 x 8 x 2.3 reads 55.2, not 55.1999... (the
simulator rounds alike; tests/test_rules_table.py holds both to one table).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ._errors import BudgetExceededError, ValidationError
from ._validation import check_bool, check_enum, check_number

__all__ = [
    "COSTLIEST_DEFAULT_AVATAR_MODEL",
    "SCRIPT_CHARS_PER_MINUTE",
    "avatar_credits",
    "avatar_model_credits",
    "check_budget",
    "check_max_credits",
    "estimate_credits",
    "export_credits",
    "generation_credits",
    "script_credits",
    "script_seconds",
]

#: Speech rate the server uses to turn a script's length into a duration.
SCRIPT_CHARS_PER_MINUTE = 936

# Per-image animation surcharge (hoox.md §3.2, newest /costs page).
_ANIMATION_RATES = {"standard": 4.0, "pro": 7.0}

# Export avatar rendering (hoox.md §3.4, newest column): model -> (credits per second,
# segment length in seconds or None when billed on the visible time itself).
# veo-3-lite: 2.3/s at 1080p, 0.5/s at 720p, billed in 6 s segments (the docs say
# "4 s/6 s segments"; 6 s is the larger, so the estimate does not undershoot).
_AVATAR_RATES: dict[str, tuple[float, float | None]] = {
    "standard": (0.0, None),
    "premium": (0.8, None),
    "ultra": (2.3, None),
    "veo-3-fast": (2.3, 8.0),
    "veo-3": (5.0, 8.0),
    "veo-3-lite": (2.3, 6.0),
    "ora-lite": (0.5, 8.0),
    "ora-standard": (1.0, 8.0),
    "ora-pro": (2.0, 8.0),
}
_VEO_LITE_720P_RATE = 0.5
# omni-flash and seedance-2* rates are "varies" / undocumented: no offline estimate.
_UNPRICED_AVATAR_MODELS = ("omni-flash", "seedance-2", "seedance-2-fast", "seedance-2-1080p")
# When exports.start gets no avatar_model the server picks one; the costliest default
# it can pick (Veo videos) is veo-3-fast, so a budget check assumes that.
COSTLIEST_DEFAULT_AVATAR_MODEL = "veo-3-fast"

_OPERATIONS = ("script", "generation", "export", "avatar_create", "avatar_edit")


def _round(value: float) -> float:
    return round(value + 0.0, 4)


def _thirty_second_units(duration: float) -> float:
    """`ceil((ceil(d/10)*10 - 10) / 30)`: the server's 30 s billing units."""
    rounded = math.ceil(duration / 10) * 10
    return math.ceil((rounded - 10) / 30)


def script_credits(
    duration: float | None = None,
    web_search: bool | None = None,
    urls: Sequence[str] | int | None = None,
) -> float:
    """`/script/generate`: 0.1 per started minute (duration defaults to 60 s),
    +0.1 with web search, +0.1 per URL."""
    duration = 60 if duration is None else duration
    url_count = urls if isinstance(urls, int) else len(urls or ())
    cost = math.ceil(duration / 60) * 0.1 + (0.1 if web_search else 0.0) + 0.1 * url_count
    return _round(cost)


def script_seconds(script: str) -> float:
    """Spoken length of a script as the server estimates it (936 characters/minute)."""
    return len(script) / SCRIPT_CHARS_PER_MINUTE * 60


def generation_credits(
    duration: float, animated_images: int = 0, animate_mode: str | None = None
) -> float:
    """`/generation/start`: `max(0.5, ceil((ceil(d/10)*10-10)/30)*0.5) * 10` (5 credits
    per 30 s) plus 4 (standard) or 7 (pro) per animated image."""
    base = max(0.5, _thirty_second_units(duration) * 0.5) * 10
    animation = animated_images * _ANIMATION_RATES[animate_mode or "standard"]
    return _round(base + animation)


def avatar_model_credits(
    avatar_model: str, avatar_seconds: float, resolution: str | None = None
) -> float:
    """Avatar rendering cost of one export for `avatar_seconds` of visible avatar."""
    if avatar_model in _UNPRICED_AVATAR_MODELS or avatar_model not in _AVATAR_RATES:
        raise ValidationError(
            "avatar_model",
            f"{avatar_model!r} has no documented credit rate, so its cost cannot be estimated",
        )
    rate, segment = _AVATAR_RATES[avatar_model]
    if avatar_model == "veo-3-lite" and (resolution or "").lower() == "720p":
        rate = _VEO_LITE_720P_RATE
    if avatar_seconds <= 0 or rate == 0:
        return 0.0
    if segment is None:
        return _round(avatar_seconds * rate)
    return _round(math.ceil(avatar_seconds / segment) * segment * rate)


def export_credits(
    *,
    avatar_model: str | None = None,
    avatar_seconds: float | None = None,
    duration: float | None = None,
    width: int | None = None,
    height: int | None = None,
    format: str | None = None,
    api_video: bool = True,
    resolution: str | None = None,
) -> float:
    """`/export/start` = base + high resolution + avatar.

    Base: 0 for a video made through the API (its export is included), else 5 per
    30 s. High resolution (custom format wider than 1920 or taller than 1080): +2.5
    per 30 s. Avatar: per `avatar_model` rate for the visible seconds (§3.4)."""
    cost = 0.0
    # Without a format the export keeps the video's own, which may be custom: a size
    # given then counts, so the estimate does not undershoot.
    custom = format == "custom" or (format is None and (width or height))
    high_res = bool(custom) and ((width or 0) > 1920 or (height or 0) > 1080)
    if not api_video or high_res:
        if duration is None:
            raise ValidationError(
                "duration", "the video's duration in seconds is needed to estimate this export"
            )
        units = max(1, _thirty_second_units(duration))
        if not api_video:
            cost += 5 * units
        if high_res:
            cost += 2.5 * units
    if avatar_model is not None and avatar_model != "standard":
        visible = avatar_seconds if avatar_seconds is not None else duration
        if visible is None:
            raise ValidationError(
                "avatar_seconds",
                f"the seconds of visible avatar are needed to estimate {avatar_model!r} "
                "(or give the video's duration as an upper bound)",
            )
        cost += avatar_model_credits(avatar_model, visible, resolution)
    return _round(cost)


def avatar_credits(
    *, resolution: str | None = None, upscale: bool | None = None, from_images: bool = False
) -> float:
    """`/avatar/create` and `/avatar/edit`: 2 credits (1K/2K), 4 (4K), +1.5 with
    upscale; an avatar made from your own images is free."""
    if from_images:
        return 0.0
    base = 4.0 if (resolution or "").upper() == "4K" else 2.0
    return _round(base + (1.5 if upscale else 0.0))


def _number(params: dict[str, Any], name: str, **rules: Any) -> float | None:
    return check_number(name, params.get(name), **rules)


def _first(params: dict[str, Any], *names: str) -> Any:
    for name in names:
        if params.get(name) is not None:
            return params[name]
    return None


def estimate_credits(operation: str, **params: Any) -> float:
    """Offline credit estimate of one Hoox operation (no request is sent).

    - ``"script"``: ``duration`` (default 60), ``web_search``, ``urls`` (list or count).
    - ``"generation"``: ``duration`` or ``script`` (its length gives the duration);
      with ``animate_image=True`` also ``animate_image_max`` (images animated) and
      ``animate_mode`` (``"standard"``/``"pro"``).
    - ``"export"``: ``avatar_model`` and ``avatar_seconds`` (visible avatar time; the
      video ``duration`` is used as an upper bound when absent), ``width``/``height``
      with ``format="custom"``, ``api_video=False`` for a video made in the dashboard,
      ``resolution`` (``"720p"`` for veo-3-lite's cheaper rate).
    - ``"avatar_create"``: ``resolution``, or ``image_urls`` (free, images used as-is).
    - ``"avatar_edit"``: ``resolution``, ``upscale``.

    Raises `ValidationError` naming a missing or bad input. Asset generations are
    priced by the server only (`client.assets.pricing`)."""
    check_enum("operation", operation, _OPERATIONS, required=True)
    if operation == "script":
        duration = _number(params, "duration", minimum=10, maximum=600)
        check_bool("web_search", params.get("web_search"))
        urls = params.get("urls")
        if (
            urls is not None
            and not isinstance(urls, int)
            and (isinstance(urls, str) or not isinstance(urls, Sequence))
        ):
            raise ValidationError("urls", "must be a list of URLs or a count")
        return script_credits(duration, params.get("web_search"), urls)

    if operation == "generation":
        duration = _number(params, "duration", minimum=10, maximum=600)
        script = params.get("script")
        if duration is None:
            if not isinstance(script, str) or not script.strip():
                raise ValidationError(
                    "duration", "is needed to estimate a generation (or give its script)"
                )
            duration = script_seconds(script)
        images = 0
        mode = check_enum("animate_mode", params.get("animate_mode"), tuple(_ANIMATION_RATES))
        if check_bool("animate_image", params.get("animate_image")):
            images = _first(params, "animate_image_max", "animated_images")
            if images is None:
                raise ValidationError(
                    "animate_image_max",
                    "is needed to estimate image animation (the number of images animated)",
                )
            check_number("animate_image_max", images, minimum=0, integer=True)
        return generation_credits(duration, int(images), mode)

    if operation == "export":
        avatar_seconds = _first(
            params, "avatar_seconds", "visible_seconds", "avatar_visible_seconds"
        )
        check_number("avatar_seconds", avatar_seconds, minimum=0)
        _number(params, "duration", minimum=0)
        _number(params, "width", minimum=1, maximum=5000, integer=True)
        _number(params, "height", minimum=1, maximum=5000, integer=True)
        check_bool("api_video", params.get("api_video"))
        avatar_model = params.get("avatar_model")
        if avatar_model is not None and not isinstance(avatar_model, str):
            raise ValidationError("avatar_model", "must be a string")
        return export_credits(
            avatar_model=avatar_model,
            avatar_seconds=avatar_seconds,
            duration=params.get("duration"),
            width=params.get("width"),
            height=params.get("height"),
            format=params.get("format"),
            api_video=params.get("api_video") is not False,
            resolution=params.get("resolution"),
        )

    check_bool("upscale", params.get("upscale"))
    from_images = (
        operation == "avatar_create"
        and not params.get("prompt")
        and bool(_first(params, "image_urls", "images"))
    )
    return avatar_credits(
        resolution=params.get("resolution"), upscale=params.get("upscale"), from_images=from_images
    )


def check_budget(estimate: float, max_credits: Any) -> None:
    """Refuse (before sending) when `estimate` is above `max_credits`."""
    if max_credits is None:
        return
    check_number("max_credits", max_credits, minimum=0)
    if estimate > max_credits + 1e-9:
        raise BudgetExceededError("max_credits", estimate, max_credits)


def check_max_credits(max_credits: Any) -> float | None:
    """Validate a `max_credits=` argument on its own (None = no budget)."""
    return check_number("max_credits", max_credits, minimum=0)
