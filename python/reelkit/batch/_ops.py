# The batch operations: which SDK method each op name calls, the parameters a row may
# carry for it, the check of a row's parameters before anything is sent, and the
# credit estimate used by `estimate()` and `max_credits`.
"""Batch operations per provider.

Hoox: ``generate`` (generations.start, wait, exports.start with the row's
``export_*`` columns, wait, download), ``duplicate`` (videos.duplicate, then the same
export), ``avatar`` (avatars.create, or create_from_images with ``image_urls`` and no
prompt; wait), ``asset`` (assets.start, wait). Hooked: every ``projects.create_<name>``
as the op ``<name>`` (and ``add_captions``, ``extend_video``, ``remove_background``).
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Mapping
from typing import Any

from .. import _credits
from .._endpoint import Call
from .._errors import ValidationError

__all__ = ["OpSpec", "estimate_row", "ops_for", "precheck"]

# Parameters of the SDK methods that are call options, not the operation's own.
_NOT_PARAMS = frozenset({"self", "progress", "on_progress", "timeout", "poll_interval"})
# Placeholder for ids only known once an earlier step ran (checked as plain strings).
_LATER_ID = "id_from_an_earlier_step"


@dataclasses.dataclass(frozen=True)
class OpSpec:
    """One operation: its name, the SDK method its paid step calls, and the row
    parameters it accepts (name -> annotation text from the SDK's signature)."""

    provider: str
    name: str
    kind: str  # generate, duplicate, avatar, asset or hooked
    resource: str
    method: str
    params: Mapping[str, str]

    def str_only(self, name: str) -> bool:
        """Whether the parameter takes only a string (CSV cells then stay text)."""
        return name in _text_params(self)


_TEXT: dict[int, frozenset[str]] = {}


def _text_params(spec: OpSpec) -> frozenset[str]:
    found = _TEXT.get(id(spec))
    if found is None:
        found = frozenset(
            name
            for name, annotation in spec.params.items()
            if {part.strip() for part in annotation.split("|")} - {"None"} == {"str"}
        )
        _TEXT[id(spec)] = found
    return found


def _signature(resource: type, method: str) -> dict[str, str]:
    fn = inspect.unwrap(getattr(resource, method))
    out: dict[str, str] = {}
    for p in inspect.signature(fn).parameters.values():
        if p.name in _NOT_PARAMS or p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            continue
        annotation = p.annotation
        # Text under `from __future__ import annotations`; a resolved type otherwise.
        out[p.name] = annotation if isinstance(annotation, str) else _type_text(annotation)
    return out


def _type_text(annotation: Any) -> str:
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "").replace("Optional[str]", "str | None")


def _export_params() -> dict[str, str]:
    from .._resources import hoox as r

    params = {"export": "bool | None"}
    for name, annotation in _signature(r.Exports, "start").items():
        if name != "video_id":
            params[f"export_{name}"] = annotation
    return params


_CACHE: dict[str, dict[str, OpSpec]] = {}


def ops_for(provider: str) -> dict[str, OpSpec]:
    """The operations of `provider` ("hoox" or "hooked"), by name."""
    if provider in _CACHE:
        return _CACHE[provider]
    ops: dict[str, OpSpec] = {}
    if provider == "hoox":
        from .._resources import hoox as r

        export = _export_params()
        for name, kind, res, cls, method, extra in (
            ("generate", "generate", "generations", r.Generations, "start", export),
            ("duplicate", "duplicate", "videos", r.Videos, "duplicate", export),
            ("avatar", "avatar", "avatars", r.Avatars, "create", {}),
            ("asset", "asset", "assets", r.Assets, "start", {}),
        ):
            params = {**_signature(cls, method), **extra}
            ops[name] = OpSpec(provider, name, kind, res, method, params)
    else:
        from .._resources import hooked as h

        for method in dir(h.Projects):
            member = getattr(h.Projects, method)
            if method.startswith("_") or not getattr(member, "__reelkit_endpoint__", False):
                continue
            name = method.removeprefix("create_")
            ops[name] = OpSpec(
                provider, name, "hooked", "projects", method, _signature(h.Projects, method)
            )
    _CACHE[provider] = ops
    return ops


def main_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters of the op's own (first) call: without export and its columns."""
    return {k: v for k, v in params.items() if k != "export" and not k.startswith("export_")}


def export_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """`exports.start` keyword arguments from the row's `export_*` columns."""
    return {k[7:]: v for k, v in params.items() if k.startswith("export_")}


def wants_export(params: Mapping[str, Any]) -> bool:
    return params.get("export") is not False


def avatar_call(params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """`avatars.create`, or `create_from_images` for image_urls without a prompt."""
    if params.get("prompt") is None and params.get("image_urls") is not None:
        allowed = {"image_urls", "name", "place", "webhook_url"}
        extra = sorted(set(params) - allowed)
        if extra:
            raise ValidationError(
                extra[0], "is only used with prompt (an avatar from image_urls takes name, place)"
            )
        return "create_from_images", dict(params)
    return "create", dict(params)


def _build(resource: Any, method: str, *args: Any, **kwargs: Any) -> Any:
    """Validate a call as the SDK would, without sending it: the endpoint's own
    function returns its plan (requests are only sent by the client's driver)."""
    plan = inspect.unwrap(getattr(type(resource), method))(resource, *args, **kwargs)
    if inspect.isgenerator(plan):
        plan.close()
    return plan


def precheck(client: Any, spec: OpSpec, params: Mapping[str, Any]) -> Call | None:
    """Raise the SDK's `ValidationError` for parameters it would refuse. Returns the
    row's first paid request as checked here when it is a single request, which the
    runner sends as is rather than checking it a second time."""
    if spec.kind == "generate":
        first = _build(client.generations, "start", **main_params(params))
    elif spec.kind == "duplicate":
        first = _build(client.videos, "duplicate", **main_params(params))
    elif spec.kind == "avatar":
        method, call = avatar_call(params)
        first = _build(client.avatars, method, **call)
    elif spec.kind == "asset":
        first = _build(client.assets, "start", **params)
    else:
        first = _build(client.projects, spec.method, **params)
    if spec.kind in ("generate", "duplicate"):
        if params.get("export") not in (None, True, False):
            raise ValidationError("export", "must be true or false")
        if wants_export(params):
            _build(client.exports, "start", _LATER_ID, **export_params(params))
    return first if isinstance(first, Call) else None


# -- estimates ---------------------------------------------------------------------------


def _generation_seconds(params: Mapping[str, Any]) -> float:
    from .._resources.hoox import generations

    r: Any = generations  # its private helpers (the stubs list the public API only)
    plan = r._check_sequence_plan(params.get("sequence_plan"))
    if plan is not None:
        return float(r._plan_seconds(plan))
    if params.get("duration") is not None:
        return float(params["duration"])
    if params.get("script"):
        return _credits.script_seconds(params["script"])
    raise ValidationError(
        "duration", "the length comes from voice_url/avatar_url: give duration to estimate it"
    )


def _export_estimate(
    params: Mapping[str, Any], seconds: float | None, avatar: bool | None, veo: bool
) -> float:
    """The export's cost. Without `export_avatar_model` the server picks the model
    (hoox.md §3.4): veo-3-fast for a Veo video, standard or premium for a look, the
    dearer one counted; a video without an avatar pays no avatar time."""
    e = export_params(params)
    model = e.get("avatar_model")
    avatar_seconds = e.get("avatar_seconds")
    duration = e.get("video_duration", seconds)
    if avatar is False and model is None and avatar_seconds is None:
        avatar_seconds = 0
    if model is None and avatar_seconds != 0:
        model = "veo-3-fast" if veo or avatar is None else "premium"
    if duration is None and avatar_seconds is None and model not in (None, "standard"):
        raise ValidationError(
            "export_video_duration",
            f"is needed to estimate the export ({model} bills each second of visible "
            "avatar): give export_video_duration, or export_avatar_seconds",
        )
    try:
        return _credits.export_credits(
            avatar_model=model,
            avatar_seconds=avatar_seconds,
            duration=duration,
            width=e.get("width"),
            height=e.get("height"),
            format=e.get("format"),
        )
    except ValidationError as exc:
        raise ValidationError(f"export_{exc.field}", exc.rule) from None


async def estimate_row(client: Any, spec: OpSpec, params: Mapping[str, Any]) -> float | None:
    """The row's estimated credits, or None where no price is published (Hooked).
    Raises `ValidationError` saying what is missing to estimate it. Assets ask the
    server for a quote (free); everything else is computed offline."""
    if spec.kind == "hooked":
        return None
    if spec.kind == "generate":
        seconds = _generation_seconds(params)
        animated = 0
        if params.get("animate_image"):
            if params.get("animate_image_max") is None:
                raise ValidationError("animate_image_max", "is needed to estimate image animation")
            animated = int(params["animate_image_max"])
        total = _credits.generation_credits(seconds, animated, params.get("animate_mode"))
        if wants_export(params):
            avatar = bool(
                params.get("avatar_id") or params.get("avatar_url") or params.get("sequence_plan")
            )
            total += _export_estimate(params, seconds, avatar, bool(params.get("use_veo3")))
        return round(total, 4)
    if spec.kind == "duplicate":
        # Duplicating is free (no cost documented); the copy's export is not.
        return _export_estimate(params, None, None, False) if wants_export(params) else 0.0
    if spec.kind == "avatar":
        method, _ = avatar_call(params)
        return _credits.avatar_credits(
            resolution=params.get("resolution"), from_images=method == "create_from_images"
        )
    inputs = {
        k: params[k]
        for k in ("duration", "resolution", "model_settings", "generation_count")
        if params.get(k) is not None
    }
    quote = await client.assets.pricing(params.get("model"), **inputs)
    total = quote.total_cost
    if total is None and quote.cost_per_generation is not None:
        total = quote.cost_per_generation * (quote.generation_count or 1)
    if total is None:
        raise ValidationError("model", f"the pricing quote has no total_cost: {quote.raw!r}")
    return float(total)
