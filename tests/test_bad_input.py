"""Bad input never reaches the server: a reflective walk over every public endpoint
method of `Hoox`, `AsyncHoox`, `Hooked` and `AsyncHooked`.

For every method (found by its `__reelkit_endpoint__` mark) and every parameter
(the method's own and the per-request options every endpoint takes), the test
starts from a valid call and replaces that one argument with a value of the wrong
type, and, where a range or length is documented, with a value outside it. Each
such call must raise `reelkit.ValidationError` naming the parameter exactly (its
snake_case name or its wire name: `web_search` or `webSearch`; or an item of it,
`urls[0]`), and the Simulator must have received no request at all.

| parameter kind (annotation)        | wrong values tried                          |
| ---------------------------------- | ------------------------------------------- |
| `str`                              | `123`, `b"bytes"`                           |
| `int` / `float`                    | `"10"`, `True`, `nan`, `inf`                |
| `bool`                             | `"yes"`, `1`                                |
| `Sequence[...]` (a list)           | `"a string"` (unless `| str`), `42`, `[42]` |
| `Mapping[...]`                     | `42`, `["a"]`                               |
| `Callable` (`on_progress`)         | `42`, `"print"`                             |
| a path (`str | PathLike`)          | `42`, `None`                                |
| `timeout=` option (> 0)            | `"5"`, `0`, `-1`, `nan`, `inf`, `1e300`     |
| a wait's `timeout` / `poll_interval` | `"5"`, `-1`, `nan`, `inf`, `1e300`        |
| `max_retries=`                     | `"2"`, `-1`, `1.5`, `True`                  |
| `extra_headers/query/body=`        | `42`, `"k=v"`                               |
| `**inputs` / `**named_slots`       | an unknown name with a non-mapping value    |

Out-of-range values come from `RANGES` below (the documented limits). The valid
starting call is found by trying candidate values in a dry run (the plan is built,
nothing is sent); `BASELINE` gives it for methods whose rules span several
parameters. A method added later is walked automatically; if no valid call can be
found for it, the test says which parameter needs an entry in `BASELINE`."""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import math
from collections.abc import Iterator
from typing import Any

import pytest

import reelkit
from reelkit._endpoint import Resource
from reelkit.testing import Simulator

NAN, INF = math.nan, math.inf
OPTIONS = ("extra_headers", "extra_query", "extra_body", "timeout", "max_retries")
URL = "https://example.com/media/a.png"

# Valid values to try, by parameter kind, first match wins per parameter.
CANDIDATES: dict[str, list[Any]] = {
    "str": ["vid_1", "image", URL, "en", "ratio_9_16"],
    "number": [30, 1],
    "bool": [True],
    "seq": [[URL], ["x1"]],
    "seq_or_str": [["x1"]],
    "mapping": [{}, {"url": URL}],
    "callable": [print],
    "path": ["out.mp4"],
    "any": ["x1"],
}

# Valid calls for methods whose rules span several parameters ("resource.method").
BASELINE: dict[str, dict[str, Any]] = {
    "hoox.scripts.generate": {"prompt": "A short script about tea."},
    "hoox.avatars.create": {"prompt": "A barista in a cafe."},
    "hoox.avatars.edit": {"avatar_id": "av_1", "look_id": "lk_1", "prompt": "Smile."},
    "hoox.generations.start": {"prompt": "Tea.", "duration": 30},
    "hoox.generations.create_and_wait": {"prompt": "Tea.", "duration": 30},
    "hoox.assets.start": {"model": "flux", "type": "image", "prompt": "Tea."},
    "hooked.projects.create_talking_avatar": {
        "script": "Hello.",
        "avatar_id": "av_1",
        "voice_id": "vo_1",
    },
    "hooked.projects.create_from_template": {
        "template_id": "tpl_123",
        "title": "Weekly promo",
        "caption": True,
        "language": "en",
        "scenes": [{"script": "Hi there."}],
    },
    "hooked.projects.create_product_ad": {
        "script": "Meet it.",
        "product_ad_settings": {"website_url": "https://example.com"},
    },
    "hooked.projects.create_prompt_to_video": {
        "prompt": "Compound interest.",
        "voice_id": "vo_1",
        "media_type": "ai-videos",
    },
    "hooked.projects.create_script_to_video": {
        "script": "Deep ocean facts.",
        "voice_id": "vo_1",
        "media_type": "ai-images",
    },
    "hooked.projects.create_scenes": {"scenes": [{"type": "video", "media_id": "med_b"}]},
    "hooked.projects.create_tiktok_slideshow": {
        "slides": [{"media": "med_1", "duration": 2.5}],
        "aspect_ratio": "ratio_1_1",
        "language": "fr",
    },
    "hooked.schedules.create": {
        "video_id": "vid_1",
        "integration_id": "int_1",
        # In the future whenever the test runs (a past time is refused).
        "scheduled_date_time": (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        ),
    },
    "hooked.social_search.create": {"search_term": "skincare", "platform": "youtube"},
}

# Documented limits: (method or "*", parameter) -> values outside them.
RANGES: dict[tuple[str, str], list[Any]] = {
    ("hoox.scripts.generate", "prompt"): ["x" * 10_001],
    ("hoox.scripts.generate", "duration"): [9, 601],
    ("hoox.scripts.generate", "urls"): [[URL] * 11],
    ("hoox.generations.start", "duration"): [9, 601],
    ("hoox.generations.start", "web_urls"): [[URL] * 11],
    ("hoox.generations.start", "animate_image_max"): [-1, 1.5],
    ("hoox.generations.create_and_wait", "duration"): [9, 601],
    ("hoox.exports.start", "avatar_seconds"): [-1],
    ("hoox.exports.start", "video_duration"): [-1],
    ("hoox.exports.create_and_wait", "avatar_seconds"): [-1],
    ("hoox.assets.start", "generation_count"): [0, 5, 2.5],
    ("hoox.assets.start", "duration"): [-1],
    ("*", "width"): [0, 5001, 10.5],
    ("*", "height"): [0, 5001, 10.5],
    ("*", "max_credits"): [-1],
    ("*", "max_retries"): [-1, 1.5],
    ("hooked.projects.create_talking_avatar", "script"): ["x" * 10_001],
    ("hooked.projects.create_talking_avatar", "name"): ["x" * 101],
    ("hooked.projects.create_talking_avatar", "language"): ["e", "eng"],
    ("hooked.projects.create_talking_avatar", "webhook"): ["https://x.io/" + "a" * 500],
}

# Parameters reported under their wire name when that differs from the keyword.
WIRE_NAMES: dict[tuple[str, str], str] = {
    ("hoox.avatars.edit", "images"): "imageUrls",  # sent as imageUrls (an alias)
}

WRONG: dict[str, list[Any]] = {
    "str": [123, b"bytes"],
    "number": ["10", True, NAN, INF],
    "bool": ["yes", 1],
    "seq": ["a string", 42, [42]],
    "seq_or_str": [42, [42]],
    "mapping": [42, ["a"]],
    "callable": [42, "print"],
    "path": [42, None],
    "timeout": ["5", NAN, INF, -1, 1e300],
    "timeout_option": ["5", NAN, INF, 0, -1, 1e300],
    "max_retries": ["2", True],
    "option": [42, "k=v"],
    "any": [],
}


def kind(param: inspect.Parameter) -> str:
    """The parameter's kind, from its (string) annotation or its name."""
    name, note = param.name, param.annotation
    if name == "timeout" and note is inspect.Parameter.empty:
        return "timeout_option"  # the per-request option: > 0
    if name in ("timeout", "poll_interval"):
        return "timeout"  # a wait's own deadline or interval: >= 0
    if name == "max_retries":
        return "max_retries"
    if name in OPTIONS:
        return "option"
    note = "" if note is inspect.Parameter.empty else str(note)
    if note.startswith("Callable"):
        return "callable"
    if "PathLike" in note:
        return "path"
    if note.startswith("Sequence"):
        return "seq_or_str" if "| str" in note else "seq"
    if note.startswith("Mapping"):
        return "mapping"
    if note.startswith("bool"):
        return "bool"
    if note.startswith(("int", "float")):
        return "number"
    if note.startswith("str"):
        return "str"
    return "any"


def names(field: str) -> str:
    return field.replace("_", "").lower()


def names_param(error: reelkit.ValidationError, param: str) -> bool:
    """The error's field is exactly the parameter (snake_case or its camelCase wire
    name), or an item or key of it (`urls[0]`, `slides.0.duration`): `media` is not
    named by an error about `mediaType`, nor `text` by one about `textSettings`."""
    field, name = names(error.field), names(param)
    return field == name or field.startswith((name + "[", name + "."))


# -- the walk ----------------------------------------------------------------------------


def endpoints(client: Any) -> Iterator[tuple[str, str, Any]]:
    provider = "hoox" if isinstance(client, (reelkit.Hoox, reelkit.AsyncHoox)) else "hooked"
    for rname in sorted(type(client)._resource_names):
        resource = getattr(client, rname)  # resource groups load on first access
        assert isinstance(resource, Resource)
        for mname in sorted(dir(type(resource))):
            method = getattr(resource, mname)
            if getattr(method, "__reelkit_endpoint__", False):
                yield f"{provider}.{rname}.{mname}", mname, method


def dry(client: Any) -> Any:
    """The client, building plans instead of running them: validation runs, nothing
    is sent (a composite's first step is built, which is where it validates)."""

    def run(plan: Any) -> Any:
        return next(plan) if inspect.isgenerator(plan) else plan

    client._run = run
    return client


def call_args(sig: inspect.Signature, values: dict[str, Any]) -> tuple[list, dict]:
    """Everything by keyword (every endpoint parameter can be passed so)."""
    return [], {name: value for name, value in values.items() if name in sig.parameters}


def valid_call(qualname: str, method: Any, tmp: str) -> dict[str, Any]:
    """A set of arguments that passes validation (found by trying candidates)."""
    sig = inspect.signature(method)
    values = dict(BASELINE.get(qualname, {}))
    required = [
        p
        for p in sig.parameters.values()
        if p.default is inspect.Parameter.empty
        and p.kind not in (inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL)
    ]
    tried = {p.name: 0 for p in required if p.name not in values}
    for p in required:
        if p.name in tried:
            values[p.name] = CANDIDATES[kind(p)][0]
        if kind(p) == "path":
            values[p.name] = f"{tmp}/{p.name}.out"
    for _ in range(60):
        args, kwargs = call_args(sig, values)
        try:
            method(*args, **kwargs)
            return values
        except reelkit.ValidationError as exc:
            culprit = next((n for n in tried if names_param(exc, n)), None)
            if culprit is None:
                pytest.fail(f"{qualname}: no valid call found ({exc}); add it to BASELINE")
            p = sig.parameters[culprit]
            tried[culprit] += 1
            options = CANDIDATES[kind(p)]
            if tried[culprit] >= len(options):
                pytest.fail(f"{qualname}: no valid value for {culprit} ({exc}); add to BASELINE")
            values[culprit] = options[tried[culprit]]
    pytest.fail(f"{qualname}: no valid call found; add it to BASELINE")


def bad_values(qualname: str, param: inspect.Parameter) -> list[Any]:
    if param.kind is inspect.Parameter.VAR_KEYWORD:
        return []
    out = list(WRONG[kind(param)])
    out += RANGES.get((qualname, param.name), []) + RANGES.get(("*", param.name), [])
    return out


def cases() -> list[tuple[str, str, Any]]:
    """(method, parameter, bad value) for every endpoint of one sync client."""
    out = []
    for cls in (reelkit.Hoox, reelkit.Hooked):
        client = cls(api_key="k", base_url="http://127.0.0.1:9")
        for qualname, _, method in endpoints(client):
            for param in inspect.signature(method).parameters.values():
                if param.kind is inspect.Parameter.VAR_KEYWORD:
                    out.append((qualname, "**" + param.name, {"bogus_input": 42}))
                for value in bad_values(qualname, param):
                    out.append((qualname, param.name, value))
    return out


CASES = cases()


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(rate_limit_per_minute=0) as s:
        yield s


def make(sim: Simulator, provider: str, mode: str) -> Any:
    cls = {
        ("hoox", "sync"): reelkit.Hoox,
        ("hoox", "async"): reelkit.AsyncHoox,
        ("hooked", "sync"): reelkit.Hooked,
        ("hooked", "async"): reelkit.AsyncHooked,
    }[(provider, mode)]
    key, base = (
        (sim.hoox_api_key, sim.hoox_base_url)
        if provider == "hoox"
        else (sim.hooked_api_key, sim.hooked_base_url)
    )
    return cls(api_key=key, base_url=base)


def bound(client: Any, qualname: str) -> Any:
    _, resource, method = qualname.split(".")
    return getattr(getattr(client, resource), method)


def invoke(method: Any, args: list, kwargs: dict, mode: str) -> None:
    """Call, and drive whatever comes back (a coroutine, an iterator) one step."""
    result = method(*args, **kwargs)
    if mode == "async":

        async def drive() -> None:
            if inspect.isawaitable(result):
                await result
            elif hasattr(result, "__anext__"):
                await result.__anext__()

        asyncio.run(drive())
    elif hasattr(result, "__next__"):
        next(result)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("qualname", "param", "value"),
    CASES,
    ids=[f"{q}-{p}-{type(v).__name__}:{str(v)[:12]}" for q, p, v in CASES],
)
def test_bad_argument_is_refused_before_sending(
    sim: Simulator, tmp_path, qualname: str, param: str, value: Any, mode: str
) -> None:
    provider = qualname.split(".")[0]
    valid = valid_call(qualname, bound(dry(make(sim, provider, "sync")), qualname), str(tmp_path))
    method = bound(make(sim, provider, mode), qualname)
    sig = inspect.signature(method)
    if param.startswith("**"):
        args, kwargs = call_args(sig, valid)
        kwargs.update(value)
        expected = next(iter(value))
    else:
        args, kwargs = call_args(sig, {**valid, param: value})
        expected = WIRE_NAMES.get((qualname, param), param)
    sim.clear_requests()
    with pytest.raises(reelkit.ValidationError) as info:
        invoke(method, args, kwargs, mode)
    assert names_param(info.value, expected), f"{info.value!r} does not name {expected}"
    assert sim.requests() == [], f"a request was sent: {sim.requests()}"


def test_every_endpoint_is_walked() -> None:
    """The walk finds the endpoints (a guard against the mark being renamed)."""
    walked = {q for q, _, _ in CASES}
    assert len(walked) >= 30, sorted(walked)
    assert {"hoox.videos.duplicate", "hooked.videos.get"} <= walked
