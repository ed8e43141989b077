"""Hoox assets: generation models, price quotes, budgeted starts, the wait."""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping, Sequence
from typing import Any

from ... import _credits
from ..._endpoint import Call, Resource, async_variant, endpoint
from ..._errors import ValidationError
from ..._models.hoox import AssetJob, AssetModel, AssetModelDetail, AssetPricing, AssetStatus
from ..._validation import check_enum, check_mapping, check_number, check_str, check_url, drop_none
from .._common import segment
from ._shared import SPACE_HINT, JobKind, items_of

__all__ = ["AsyncAssets", "Assets"]

# Assets: "poll every 2-5 s", most finish in under 2 min (hoox.md §1.10).
ASSET_SCHEDULE = [(0.0, 3.0), (60.0, 5.0), (300.0, 10.0)]
ASSET_TYPES = ("image", "video")
ASSET_ASPECT_RATIOS = ("16:9", "9:16", "1:1", "3:2", "2:3", "4:3", "3:4", "21:9", "auto")
ASSET_REFERENCE_KEYS = ("url", "asset_id", "avatar_id")
# Inputs /asset/pricing documents (hoox.md §3.17); anything else goes via extra_body.
PRICING_INPUTS = ("duration", "resolution", "model_settings", "image_count", "generation_count")

_ASSET = JobKind("assets", "/asset/status", AssetStatus, ASSET_SCHEDULE, id_field="asset_id")


def _asset_models(raw: Any) -> list[AssetModel]:
    """Un-hoist: a filtered listing returns `type`/`provider` once at the root and
    omits them from each item; put them back (in the model and in its `.raw`)."""
    hoisted = {}
    if isinstance(raw, dict):
        hoisted = {key: raw[key] for key in ("type", "provider") if raw.get(key) is not None}
    models = []
    for item in items_of(raw, "models"):
        if isinstance(item, dict) and hoisted:
            item = {**hoisted, **item}
        models.append(AssetModel.from_raw(item))
    return models


def _check_reference(field: str, value: Any) -> dict[str, str]:
    """One input medium: exactly one of `{"url"}`, `{"asset_id"}`, `{"avatar_id"}`."""
    ref = check_mapping(field, value)
    assert ref is not None
    keys = [key for key in ASSET_REFERENCE_KEYS if ref.get(key) is not None]
    unknown = sorted(set(ref) - set(ASSET_REFERENCE_KEYS))
    if unknown:
        raise ValidationError(
            f"{field}.{unknown[0]}", "unknown key; use url, asset_id or avatar_id"
        )
    if len(keys) != 1:
        raise ValidationError(field, "needs exactly one of url, asset_id or avatar_id")
    key = keys[0]
    if key == "url":
        check_url(f"{field}.url", ref[key], required=True)
    else:
        check_str(f"{field}.{key}", ref[key], required=True)
    return {key: ref[key]}


def _check_pricing_inputs(inputs: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(inputs) - set(PRICING_INPUTS))
    if unknown:
        raise ValidationError(
            unknown[0], f"is not a pricing input; expected {', '.join(PRICING_INPUTS)}"
        )
    check_number("duration", inputs.get("duration"), minimum=0)
    check_str("resolution", inputs.get("resolution"), min_len=1)
    check_mapping("model_settings", inputs.get("model_settings"))
    check_number("image_count", inputs.get("image_count"), minimum=0, integer=True)
    check_number(
        "generation_count", inputs.get("generation_count"), minimum=1, maximum=4, integer=True
    )
    return drop_none(**{key: inputs.get(key) for key in PRICING_INPUTS})


class Assets(Resource):
    @endpoint
    def models(
        self, *, type: str | None = None, provider: str | None = None, tag: str | None = None
    ) -> list[AssetModel]:
        """Image/video generation models, optionally filtered (e.g. `provider="kling"`,
        `tag="image-to-video"`)."""
        check_enum("type", type, ASSET_TYPES)
        check_str("provider", provider, min_len=1)
        check_str("tag", tag, min_len=1)
        query = [
            (k, v)
            for k, v in (("type", type), ("provider", provider), ("tag", tag))
            if v is not None
        ]
        return Call("GET", "/asset/models", query=query, parse=_asset_models)

    @endpoint
    def model(self, name: str) -> AssetModelDetail:
        """One model with its settings and the JSON Schema of its `/asset/start` input."""
        return Call(
            "GET", f"/asset/models/{segment('name', name)}", parse=AssetModelDetail.from_raw
        )

    def _pricing_call(self, model: str, inputs: Mapping[str, Any]) -> Call:
        check_str("model", model, required=True)
        body = {"model": model, **_check_pricing_inputs(inputs)}
        # A quote spends nothing, so it is safe to resend.
        return Call(
            "POST", "/asset/pricing", body=body, parse=AssetPricing.from_raw, idempotent=True
        )

    @endpoint
    def pricing(self, model: str, **inputs: Any) -> AssetPricing:
        """An exact credit quote, nothing debited. Inputs: `duration` (s),
        `resolution`, `model_settings`, `image_count`, `generation_count` (1-4)."""
        return self._pricing_call(model, inputs)

    @endpoint
    def start(
        self,
        model: str,
        *,
        type: str,
        prompt: str,
        references: Sequence[Mapping[str, str]] | None = None,
        generation_count: int | None = None,
        aspect_ratio: str | None = None,
        resolution: str | None = None,
        duration: float | None = None,
        model_settings: Mapping[str, Any] | None = None,
        parent_media_id: str | None = None,
        folder_id: str | None = None,
        avatar_description: str | None = None,
        file_name: str | None = None,
        webhook_url: str | None = None,
        max_credits: float | None = None,
        named_inputs: Mapping[str, Mapping[str, str]] | None = None,
        **named_slots: Mapping[str, str],
    ) -> AssetJob:
        """Start 1-4 image/video generations (credits debited up front, refunded on
        failure). Inputs go either in `references` (a list of `{"url"}`,
        `{"asset_id"}` or `{"avatar_id"}`) or, for slot models, as named slots such as
        `first_frame={"url": ...}` (or `named_inputs={"first_frame": {...}}`, as the
        MCP tool takes them); not both. With `max_credits`, the server's quote
        (`/asset/pricing`) is checked first and nothing is started above it."""
        check_str("model", model, required=True)
        check_enum("type", type, ASSET_TYPES, required=True)
        check_str("prompt", prompt, required=True)
        refs = None
        if references is not None:
            if isinstance(references, (str, bytes, Mapping)) or not isinstance(
                references, Sequence
            ):
                raise ValidationError("references", "must be a list of {url|asset_id|avatar_id}")
            refs = [_check_reference(f"references[{i}]", ref) for i, ref in enumerate(references)]
        inputs = dict(check_mapping("named_inputs", named_inputs) or {})
        clashes = sorted(set(inputs) & set(named_slots))
        if clashes:
            raise ValidationError(clashes[0], "given both as a keyword and in named_inputs")
        inputs.update(named_slots)
        slots = {name: _check_reference(name, value) for name, value in inputs.items()}
        if refs is not None and slots:
            raise ValidationError(
                "references", f"cannot be combined with named slots ({', '.join(slots)})"
            )
        check_number("generation_count", generation_count, minimum=1, maximum=4, integer=True)
        check_enum("aspect_ratio", aspect_ratio, ASSET_ASPECT_RATIOS)
        check_str("resolution", resolution, min_len=1)
        check_number("duration", duration, minimum=0)
        settings = check_mapping("model_settings", model_settings)
        for field, text in (
            ("parent_media_id", parent_media_id),
            ("folder_id", folder_id),
            ("avatar_description", avatar_description),
            ("file_name", file_name),
        ):
            check_str(field, text, min_len=1)
        check_url("webhook_url", webhook_url)
        body = drop_none(type=type, model=model, prompt=prompt, references=refs)
        body.update(slots)
        body.update(
            drop_none(
                generation_count=generation_count,
                aspect_ratio=aspect_ratio,
                resolution=resolution,
                duration=duration,
                model_settings=settings,
                parent_media_id=parent_media_id,
                folder_id=folder_id,
                avatar_description=avatar_description,
                file_name=file_name,
                webhook_url=webhook_url,
            )
        )
        start = Call(
            "POST",
            "/asset/start",
            body=body,
            parse=AssetJob.from_raw,
            hint=SPACE_HINT.format(what="new assets from this model")
            + (" Its webhook_url will also be called." if webhook_url else ""),
        )
        if _credits.check_max_credits(max_credits) is None:
            return start
        # Asset prices are per model and setting, known only to the server: get a quote
        # (free) for the same inputs, then start only within budget.
        quote = self._pricing_call(
            model,
            drop_none(
                duration=duration,
                resolution=resolution,
                model_settings=settings,
                generation_count=generation_count,
            ),
        )
        return self._start_within_budget(quote, start, max_credits)

    def _start_within_budget(
        self, quote: Call, start: Call, max_credits: float
    ) -> Generator[Any, Any, AssetJob]:
        pricing: AssetPricing = yield quote
        total = pricing.total_cost
        if total is None and pricing.cost_per_generation is not None:
            total = pricing.cost_per_generation * (pricing.generation_count or 1)
        if total is None:
            raise ValidationError(
                "max_credits", f"the pricing quote has no total_cost: {pricing.raw!r}"
            )
        _credits.check_budget(total, max_credits)
        return (yield start)

    @endpoint
    def status(self, asset_id: str) -> AssetStatus:
        """pending -> generating -> completed (with `url`) | failed (refunded)."""
        return _ASSET.status(asset_id)

    @endpoint
    def wait(
        self,
        asset_id: str,
        *,
        timeout: float = 900.0,
        poll_interval: float | None = None,
        on_progress: Callable[[AssetStatus], Any] | None = None,
        progress: bool = False,
    ) -> AssetStatus:
        """Poll (3 s, 5 s after a minute, 10 s after five) until completed;
        `JobFailedError` if it fails, `WaitTimeoutError` after `timeout` seconds."""
        return _ASSET.wait(asset_id, timeout, poll_interval, on_progress, progress)


AsyncAssets = async_variant(Assets)
