"""Hoox generations: `GenerationRequest`, `sequence_plan`, status and wait."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ... import _credits
from ..._endpoint import Call, Resource, async_variant, endpoint
from ..._errors import ValidationError
from ..._models.hoox import GenerationJob, GenerationStatus
from ..._validation import (
    check_bool,
    check_enum,
    check_mapping,
    check_number,
    check_str,
    check_str_list,
    check_url,
    drop_none,
)
from .._common import takes
from ._shared import (
    SPACE_HINT,
    VIDEO_FORMATS,
    JobKind,
    check_flags,
    check_width_height,
    estimate_budget,
)

__all__ = ["AsyncGenerations", "Generations"]

# Documented polling cadence (hoox.md §1.10).
GENERATION_SCHEDULE = [(0.0, 5.0), (60.0, 10.0), (300.0, 30.0)]
WEB_SEARCH_KEYS = ("script", "images")
ENABLE_KEYS = ("subtitles", "broll", "music", "transitions")
ANIMATE_MODES = ("standard", "pro")
MEDIA_SHOW = ("full", "half", "background", "hide")

_GENERATION = JobKind("generations", "/generation/status", GenerationStatus, GENERATION_SCHEDULE)


@dataclasses.dataclass(frozen=True)
class GenerationRequest:
    """The arguments of `generations.start` (and `create_and_wait`), in wire order."""

    prompt: str | None = None
    duration: float | None = None
    script: str | None = None
    voice_id: str | None = None
    voice_url: str | None = None
    avatar_id: str | None = None
    avatar_url: str | None = None
    format: str | None = None
    width: int | None = None
    height: int | None = None
    media_urls: Sequence[str] | None = None
    web_urls: Sequence[str] | None = None
    web_search: Mapping[str, bool] | None = None
    animate_image: bool | None = None
    animate_mode: str | None = None
    animate_image_max: int | None = None
    emotion_enhancement: bool | None = None
    use_veo3: bool | None = None
    use_space_media: bool | None = None
    save_media_to_space: bool | None = None
    enable: Mapping[str, bool] | None = None
    sequence_plan: Sequence[Mapping[str, Any]] | None = None
    webhook_url: str | None = None
    # Not sent: the budget the offline estimate is checked against.
    max_credits: float | None = None


def _check_media(field: str, media: Any) -> None:
    media = check_mapping(field, media)
    assert media is not None
    check_str(f"{field}.asset_id", media.get("asset_id"), min_len=1)
    check_url(f"{field}.url", media.get("url"))
    if media.get("asset_id") is None and media.get("url") is None:
        raise ValidationError(field, "needs an asset_id or a url")
    check_enum(f"{field}.show", media.get("show"), MEDIA_SHOW)
    check_number(f"{field}.start_at", media.get("start_at"), minimum=0)


def _check_sequence(field: str, sequence: Any, alone: bool) -> None:
    sequence = check_mapping(field, sequence)
    assert sequence is not None
    if "text" not in sequence:
        raise ValidationError(f"{field}.text", "is required (a string, or None for a pause)")
    text = sequence["text"]
    duration_ms = sequence.get("duration_ms")
    if text is None:
        check_number(f"{field}.duration_ms", duration_ms, required=True, minimum=1)
        if not alone:
            raise ValidationError(field, "a silent sequence (text None) must be alone in its block")
    else:
        check_str(f"{field}.text", text, required=True)
        if duration_ms is not None:
            # Spoken timing comes from the voice; the API takes durations for pauses only.
            raise ValidationError(
                f"{field}.duration_ms", "is only for silent sequences (text None)"
            )
    check_str(f"{field}.look_id", sequence.get("look_id"), min_len=1)
    if sequence.get("media") is not None:
        _check_media(f"{field}.media", sequence["media"])


def _check_sequence_plan(plan: Any) -> list[dict[str, Any]] | None:
    """Validate the documented `sequence_plan` schema (hoox.md §3.2): a non-empty list
    of speech blocks, each with >= 1 sequences."""
    if plan is None:
        return None
    if isinstance(plan, (str, bytes, Mapping)) or not isinstance(plan, Sequence):
        raise ValidationError("sequence_plan", "must be a list of speech blocks")
    if not plan:
        raise ValidationError("sequence_plan", "must have at least one speech block")
    for i, block in enumerate(plan):
        field = f"sequence_plan[{i}]"
        block = check_mapping(field, block)
        assert block is not None
        for key in ("voice_id", "avatar_id", "look_id"):
            check_str(f"{field}.{key}", block.get(key), min_len=1)
        check_url(f"{field}.audio_url", block.get("audio_url"))
        sequences = block.get("sequences")
        if isinstance(sequences, (str, bytes, Mapping)) or not isinstance(sequences, Sequence):
            raise ValidationError(f"{field}.sequences", "is required: a list of sequences")
        if not sequences:
            raise ValidationError(f"{field}.sequences", "must have at least one sequence")
        for j, sequence in enumerate(sequences):
            _check_sequence(f"{field}.sequences[{j}]", sequence, alone=len(sequences) == 1)
    # A deep copy: the request must not change if the caller mutates the plan later.
    return copy.deepcopy([dict(block) for block in plan])


def _plan_seconds(plan: list[dict[str, Any]]) -> float:
    """Spoken length of a plan as the server estimates scripts, plus its pauses."""
    chars, pause_ms = 0, 0.0
    for i, block in enumerate(plan):
        if block.get("audio_url"):
            raise ValidationError(
                f"sequence_plan[{i}].audio_url",
                "its length is unknown offline, so max_credits cannot be checked",
            )
        for sequence in block["sequences"]:
            if sequence.get("text") is None:
                pause_ms += sequence.get("duration_ms") or 0
            else:
                chars += len(sequence["text"])
    return chars / _credits.SCRIPT_CHARS_PER_MINUTE * 60 + pause_ms / 1000


def _generation_seconds(request: GenerationRequest, plan: list[dict[str, Any]] | None) -> float:
    """The duration the server bills a generation on (hoox.md §3.2)."""
    if plan is not None:
        return _plan_seconds(plan)
    if request.duration is not None:
        return request.duration
    if request.script:
        return _credits.script_seconds(request.script)
    raise ValidationError(
        "max_credits",
        "cannot estimate a generation whose length comes from voice_url/avatar_url; "
        "give duration or drop max_credits",
    )


_WIRE_FIELDS = tuple(
    f.name for f in dataclasses.fields(GenerationRequest) if f.name != "max_credits"
)


def _start_call(request: GenerationRequest) -> Call:
    """Validate `generations.start`'s arguments and build its request."""
    prompt, script, duration = request.prompt, request.script, request.duration
    voice_id, voice_url, avatar_url = request.voice_id, request.voice_url, request.avatar_url
    check_str("prompt", prompt, min_len=1)
    check_str("script", script, min_len=1)
    check_number("duration", duration, minimum=10, maximum=600)
    check_str("voice_id", voice_id, min_len=1)
    check_url("voice_url", voice_url)
    check_str("avatar_id", request.avatar_id, min_len=1)
    check_url("avatar_url", avatar_url)
    plan = _check_sequence_plan(request.sequence_plan)
    # The server's own order of checks (hoox.md §3.2): content, then duration, then voice.
    # A sequence_plan takes precedence over prompt/script and carries its own content.
    if plan is None:
        if not (prompt or script or voice_url or avatar_url):
            raise ValidationError(
                "prompt",
                "one of prompt, script, voice_url, avatar_url or sequence_plan is required",
            )
        if prompt and duration is None:
            raise ValidationError("duration", "is required when using prompt (10-600 seconds)")
        if script and not (voice_id or voice_url or avatar_url):
            raise ValidationError(
                "voice_id", "is required with script (or give voice_url/avatar_url)"
            )
    fmt = check_enum("format", request.format, VIDEO_FORMATS)
    check_width_height(fmt, request.width, request.height)
    media_urls = check_str_list("media_urls", request.media_urls, urls=True)
    web_urls = check_str_list("web_urls", request.web_urls, max_items=10, urls=True)
    web_search = check_flags("web_search", request.web_search, WEB_SEARCH_KEYS)
    animate_image = check_bool("animate_image", request.animate_image)
    animate_mode = check_enum("animate_mode", request.animate_mode, ANIMATE_MODES)
    animate_image_max = check_number(
        "animate_image_max", request.animate_image_max, minimum=0, integer=True
    )
    for flag in ("emotion_enhancement", "use_veo3", "use_space_media", "save_media_to_space"):
        check_bool(flag, getattr(request, flag))
    enable = check_flags("enable", request.enable, ENABLE_KEYS)
    check_url("webhook_url", request.webhook_url)

    def estimate() -> float:
        seconds = _generation_seconds(request, plan)
        if animate_image and animate_image_max is None:
            raise ValidationError(
                "animate_image_max",
                "is needed with animate_image and max_credits: it caps the animated images "
                "(+4 credits each, +7 with animate_mode='pro')",
            )
        animated = animate_image_max if animate_image else 0
        return _credits.generation_credits(seconds, animated or 0, animate_mode)

    estimate_budget(request.max_credits, estimate)
    # Every field but max_credits is sent, in declaration order, as checked.
    wire = {name: getattr(request, name) for name in _WIRE_FIELDS}
    wire.update(
        format=fmt,
        media_urls=media_urls,
        web_urls=web_urls,
        web_search=web_search,
        animate_image=animate_image,
        animate_mode=animate_mode,
        animate_image_max=animate_image_max,
        enable=enable,
        sequence_plan=plan,
    )
    return Call(
        "POST",
        "/generation/start",
        body=drop_none(**wire),
        parse=GenerationJob.from_raw,
        hint=SPACE_HINT.format(what="a new video generation")
        + (
            " Its webhook_url will also be called if the job exists." if request.webhook_url else ""
        ),
    )


class Generations(Resource):
    @endpoint
    @takes(GenerationRequest, into="request")
    def start(self, *, request: GenerationRequest) -> GenerationJob:
        """Start an AI video generation (5 credits per 30 s, +4/+7 per animated
        image). Give a `prompt` (with `duration`), a `script` (with a voice), custom
        media (`voice_url`/`avatar_url`), or a `sequence_plan` (which wins over
        prompt/script). `avatar_id` is a *look* id from `avatars.list()`;
        `width`/`height` go with `format="custom"`."""
        return _start_call(request)

    @endpoint
    def status(self, job_id: str) -> GenerationStatus:
        return _GENERATION.status(job_id)

    @endpoint
    def wait(
        self,
        job_id: str,
        *,
        timeout: float = 1200.0,
        poll_interval: float | None = None,
        on_progress: Callable[[GenerationStatus], Any] | None = None,
        progress: bool = False,
    ) -> GenerationStatus:
        """Poll (5 s, then 10 s after a minute, 30 s after five) until completed;
        `JobFailedError` if it fails, `WaitTimeoutError` after `timeout` seconds."""
        return _GENERATION.wait(job_id, timeout, poll_interval, on_progress, progress)

    @endpoint
    @takes(GenerationRequest, into="request")
    def create_and_wait(
        self,
        *,
        request: GenerationRequest,
        timeout: float = 1200.0,
        poll_interval: float | None = None,
        on_progress: Callable[[GenerationStatus], Any] | None = None,
        progress: bool = False,
    ) -> GenerationStatus:
        """`start(...)` then `wait(job_id)`: returns the completed status (its
        `video_id` is ready to export). Arguments as for `start` and `wait`; all are
        checked before anything is sent."""
        start = _start_call(request)
        return _GENERATION.start_then_wait(start, timeout, poll_interval, on_progress, progress)


AsyncGenerations = async_variant(Generations)
