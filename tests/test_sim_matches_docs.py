"""The simulator against the docs: for every documented example (the `api_*` replay
cassettes, written from the Hoox and Hooked docs), the simulator answers the same
request with the same status, the same keys and the same JSON types, recursively.

The request is sent as the cassette has it, over plain HTTP (no reelkit client). Ids
that only exist in the docs are first made on the simulator (a generation, an export,
a look, an asset, a Hooked video, schedules, ugc ads) and put in their place; ids the
simulator hands out in an answer replace the documented ones from then on (a search
created, then read). An example showing a job in some status is compared once the
simulator's job reaches that status. Comparison rules: numbers are one type (int or
float); a `null` in the docs stands for any type; list items are merged (every key of
any item) before comparing. Deliberate differences are listed in `DIFFERENCES`, each
with its reason; one that no longer occurs fails the test too, so the list stays true.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reelkit.testing import Simulator

# The last test checks what the examples found: they all run on one worker
# (pytest-xdist, --dist loadgroup).
pytestmark = pytest.mark.xdist_group("sim_matches_docs")

CASSETTES = Path(__file__).parent / "cassettes"
JOB_SECONDS = 2.0  # long enough to see pending and processing when polling every 20 ms

# The simulator's deliberate differences: (example, JSON path, kind, reason). The
# example is "provider/cassette#index" matched as a glob, the path too (`[]` is any
# list item); kind is "adds", "missing", "type" or "empty" (see `differences`).
HOOXMD, HOOKEDMD = "hoox.md", "hooked.md"  # the API notes the simulator follows
DIFFERENCES: list[tuple[str, str, str, str]] = [
    # -- Hooked
    ("hooked/*", "$.message", "adds", f"{HOOKEDMD} §3.1: the envelope's message is optional"),
    ("hooked/*", "$.code", "adds", f"{HOOKEDMD} §3.2: the error envelope carries a code"),
    ("hooked/*", "$.details", "adds", f"{HOOKEDMD} §3.2: ... and details"),
    ("hooked/video_*", "$.data.teamId", "adds", f"{HOOKEDMD} §6.1 lists teamId"),
    ("hooked/video_*", "$.data.size", "adds", "size and message are in the list example"),
    ("hooked/video_*", "$.data.message", "adds", "size and message are in the list example"),
    ("hooked/video_*", "$.data*.webhook", "type", "null: made without a webhook (none to call)"),
    (
        "hooked/video_wait#0",
        "$.data.thumbnail",
        "type",
        "the simulator has no thumbnail until the render completes",
    ),
    (
        "hooked/video_*",
        "$.data.videos[].type",
        "adds",
        "a video's type is in the single-video example and is the list's filter",
    ),
    (
        "hooked/avatar_list#0",
        "$.data.avatars[].previewUrl",
        "adds",
        "list fields beyond the example are undocumented; reelkit's Avatar reads previewUrl",
    ),
    (
        "hooked/project_create#0",
        "$.data.videoId",
        "adds",
        "the simulator's choice (hooked.rs): a template video can then be waited for",
    ),
    (
        "hooked/scenes#0",
        "$.videoId",
        "adds",
        "the simulator's choice: tests can find the scenes video; reelkit ignores it",
    ),
    (
        "hooked/trends_*",
        "$.data.videos[].*",
        "adds",
        f"{HOOKEDMD} §6.29: the item's other fields are cut from the docs, 'probably like "
        "the social-search video (§6.31)', which the simulator serves",
    ),
    (
        "hooked/trends_no_total#*",
        "$.data.*",
        "adds",
        "the cassette drops total/limit/offset on purpose (a page without total)",
    ),
    (
        "hooked/music_list#0",
        "$.data",
        "type",
        f"{HOOKEDMD} §6.5: shape undocumented; the simulator answers {{tracks: [...]}}, the "
        "cassette a bare list (reelkit accepts both)",
    ),
    # -- Hoox
    ("hoox/voice_*", "$*.accent", "adds", f"{HOOXMD} §3.7: the skill's example has accent"),
    ("hoox/voice_*", "$*.preview", "adds", f"{HOOXMD} §3.7: ... and preview"),
    (
        "hoox/asset_model*",
        "$*",
        "adds",
        f"{HOOXMD} §3.15-3.16 list max_duration, required_plans, tags, max_resolution, "
        "max_prompt_length, restricted_countries and the capabilities; the examples are cut",
    ),
    (
        "hoox/asset_pricing#1",
        "$.normalized",
        "missing",
        "the simulator's kling-v3-pro takes 3-15 s (the model listing), so 7 s needs no "
        "snapping; the skill's example snapped it to 6 s",
    ),
    (
        "hoox/asset_status#0",
        "$.*",
        "adds",
        f"{HOOXMD} §3.19: cost and created_at are status fields (the example is cut)",
    ),
    (
        "hoox/asset_status#1",
        "$.generation_params.duration",
        "type",
        f"{HOOXMD} §3.19: duration is a number in the docs' example, '6s' in the skill's",
    ),
    (
        "hoox/avatar_status#1",
        "$.result.*",
        "*",
        "a look made from a prompt has no catalogue tags in the simulator (gender, place, "
        "action, emotion null, no accessories; the service tags the image); tags and "
        f"thumbnail_url are sent too ({HOOXMD} §3.12 lists tags)",
    ),
    (
        "hoox/export_download#0",
        "$.result.*",
        "adds",
        f"{HOOXMD} §3.5: the result has thumbnail_url and created_at (the example is cut)",
    ),
    (
        "hoox/export_status#1",
        "$.result",
        "adds",
        f"the cassette pins {HOOXMD} §3.5's edge case (completed, no URL yet); the "
        "simulator's completed export always has its URL",
    ),
]


# -- HTTP without reelkit ------------------------------------------------------------


def send(sim: Simulator, provider: str, method: str, path: str, query=None, body=None):
    """(status, parsed JSON body) of one request to the simulator."""
    url = sim.url + path
    if query:
        url += "?" + urllib.parse.urlencode(query, doseq=True)
    headers = {"content-type": "application/json"}
    if provider == "hoox":
        headers["authorization"] = f"Bearer {sim.hoox_api_key}"
    else:
        headers["x-api-key"] = sim.hooked_api_key
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw.decode(errors="replace")


def made(sim: Simulator, provider: str, path: str, body: dict, *pointer: str) -> str:
    """POST `body` and return the id at `pointer` in the answer."""
    status, answer = send(sim, provider, "POST", path, body=body)
    assert status in (200, 201), (path, status, answer)
    for key in pointer:
        answer = answer[key]
    return answer


# -- what the docs' ids become on the simulator --------------------------------------

HOOX = "/api/public/v1"


def hoox_generation(sim: Simulator, script: str = "A short video about tea.") -> str:
    body = {"script": script, "voice_id": "voice_en_us_female_1"}
    return made(sim, "hoox", f"{HOOX}/generation/start", body, "job_id")


def hoox_export(sim: Simulator, video: str = "vid_seed_done") -> str:
    return made(sim, "hoox", f"{HOOX}/export/start", {"video_id": video}, "job_id")


def hoox_look(sim: Simulator) -> dict[str, str]:
    body = {"prompt": "A barista in a bright cafe."}
    answer = made(sim, "hoox", f"{HOOX}/avatar/create", body)
    return {"avatar_123": answer["avatar_id"], "look_456": answer["look_id"]}  # type: ignore[index]


def hoox_asset(sim: Simulator) -> str:
    """A video asset, as in the documented asset/start example."""
    body = {
        "type": "video",
        "model": "veo-3.1",
        "prompt": "A cinematic shot of a fox running through autumn leaves at sunrise.",
        "aspect_ratio": "9:16",
        "duration": 8,
        "resolution": "720p",
    }
    return made(sim, "hoox", f"{HOOX}/asset/start", body, "asset_ids")[0]


def hooked_ids(sim: Simulator) -> tuple[str, str]:
    """A library avatar and a voice the simulator knows."""
    avatars = send(sim, "hooked", "GET", "/v1/avatar/list")[1]["data"]["avatars"]
    voices = send(sim, "hooked", "GET", "/v1/voice/list")[1]["data"]["voices"]
    return avatars[0]["id"], voices[0]["id"]


def hooked_video(sim: Simulator) -> str:
    avatar, voice = hooked_ids(sim)
    body = {"script": "Hello there.", "avatarId": avatar, "voiceId": voice, "musicId": "1"}
    return made(sim, "hooked", "/v1/project/create/talking-avatar", body, "data", "videoId")


def hooked_schedule(sim: Simulator) -> str:
    when = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)).isoformat()
    body = {
        "videoId": "vid_abc123",
        "integrationId": "int_yt_abc123",
        "scheduledDateTime": when.replace("+00:00", "Z"),
        "platformData": {  # as in the documented schedule/create example
            "title": "3-step morning routine",
            "description": "Try this tomorrow!",
            "tags": ["morning", "routine"],
            "privacyStatus": "public",
            "madeForKids": False,
        },
    }
    return made(sim, "hooked", "/v1/schedule/create", body, "data", "scheduleId")


def hooked_ugc_ads(sim: Simulator, count: int) -> dict[str, str]:
    avatar, voice = hooked_ids(sim)
    for n in range(count):
        body = {"script": f"Ad {n}.", "avatarId": avatar, "voiceId": voice, "media": ["med_1"]}
        made(sim, "hooked", "/v1/project/create/ugc-ads", body, "data", "videoId")
    # The documented page shows rendered videos: wait until these are.
    deadline = time.monotonic() + 3 * JOB_SECONDS
    query = {"type": "ugc_ads", "limit": "100"}
    while time.monotonic() < deadline:
        page = send(sim, "hooked", "GET", "/v1/video/list", query=query)[1]["data"]
        if all(v["status"] == "COMPLETED" for v in page["videos"]):
            break
        time.sleep(0.05)
    return {}


def two_schedules(sim: Simulator) -> dict[str, str]:
    hooked_schedule(sim)
    hooked_schedule(sim)
    return {}


def sequence_plan_ids(sim: Simulator) -> dict[str, str]:
    voices = send(sim, "hoox", "GET", f"{HOOX}/voice/list")[1]
    looks = send(sim, "hoox", "GET", f"{HOOX}/avatar/list")[1]
    female = next(v["id"] for v in voices if v.get("gender") == "female")
    male = next(v["id"] for v in voices if v.get("gender") == "male")
    return {
        "VOICE_FEMALE_ID": female,
        "VOICE_MALE_ID": male,
        "LOOK_DEFAULT_ID": looks[0]["id"],
        "LOOK_CLOSEUP_ID": looks[1]["id"],
        "LOOK_SECOND_SPEAKER_ID": looks[2]["id"],
        "ASSET_ID": hoox_asset(sim),
    }


# Cassette -> how to make the objects its documented ids stand for.
PREPARE: dict[str, Callable[[Simulator], dict[str, str]]] = {
    "hoox/generation_status": lambda s: {"run_abcd1234": hoox_generation(s)},
    "hoox/generation_status_failed": lambda s: {
        "run_abcd1234": hoox_generation(s, "SIMULATE_FAILURE in the script.")
    },
    "hoox/generation_start_sequence_plan": sequence_plan_ids,
    "hoox/export_start": lambda s: {"vid_xyz789": "vid_seed_done"},
    "hoox/export_status": lambda s: {"export_abcd1234": hoox_export(s)},
    "hoox/export_download": lambda s: {"export_abcd1234": hoox_export(s)},
    "hoox/export_status_failed": lambda s: {
        "export_abcd1234": hoox_export(s, "vid_seed_export_fails")
    },
    "hoox/video_duplicate": lambda s: {"vid_abc123": "vid_seed_done"},
    "hoox/avatar_status": hoox_look,
    "hoox/avatar_edit": lambda s: {"avtr_123": "avtr_abc123", "look_src": "look_123"},
    "hoox/asset_status": lambda s: {"662f8c1d3a4b5e6f70123456": hoox_asset(s)},
    "hooked/video_get": lambda s: {"vid_8f2c1a": "vid_abc123"},
    "hooked/video_download": lambda s: {"vid_8f2c1a": "vid_abc123"},
    "hooked/video_wait": lambda s: {"vid_8f2c1a": hooked_video(s)},
    "hooked/video_iter": lambda s: hooked_ugc_ads(s, 5),
    "hooked/schedule_create": lambda s: {"vid_8f2c1a": "vid_abc123"},
    "hooked/schedule_get": lambda s: {"post_abc123": "post_published_seed"},
    "hooked/schedule_update": lambda s: {"post_abc123": hooked_schedule(s)},
    "hooked/schedule_delete": lambda s: {
        "post_abc123": hooked_schedule(s),
        "post_published": "post_published_seed",
    },
    "hooked/schedule_list": two_schedules,
}

# Examples that need the simulator in another state: (cassette, index) -> options.
OTHER_STATE: dict[tuple[str, int], dict[str, Any]] = {
    ("hoox/generation_start", 1): {"credits": 0},  # 402 insufficient credits
}


# -- shapes --------------------------------------------------------------------------


def kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]


def merged(items: list[Any]) -> Any:
    """One value standing for every item of a list: objects merged key by key."""
    objects = [i for i in items if isinstance(i, dict)]
    if not objects:
        return next((i for i in items if i is not None), items[0] if items else None)
    out: dict[str, Any] = {}
    for obj in objects:
        for key, value in obj.items():
            if key not in out or out[key] is None:
                out[key] = value
            elif isinstance(value, dict) and isinstance(out[key], dict):
                out[key] = merged([out[key], value])
            elif isinstance(value, list) and isinstance(out[key], list):
                out[key] = out[key] + value
    return out


def differences(doc: Any, sim: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    """(path, kind) where the simulator's value differs from the documented one:
    "adds" a key, a key "missing", another "type", or an "empty" list."""
    if doc is None:
        return  # the docs show null: any type
    if kind(doc) != kind(sim):
        yield path, "type"
        return
    if isinstance(doc, dict):
        for key in sorted(doc.keys() - sim.keys()):
            yield f"{path}.{key}", "missing"
        for key in sorted(sim.keys() - doc.keys()):
            yield f"{path}.{key}", "adds"
        for key in doc.keys() & sim.keys():
            yield from differences(doc[key], sim[key], f"{path}.{key}")
    elif isinstance(doc, list) and doc:
        if not sim:
            yield path, "empty"
        else:
            yield from differences(merged(doc), merged(sim), f"{path}[]")


def matches(entry: tuple[str, str, str, str], example: str, path: str, what: str) -> bool:
    scope, pattern, kinds, _ = entry
    return (
        fnmatch.fnmatchcase(example, scope if "#" in scope else scope + "#*")
        and fnmatch.fnmatchcase(path, pattern.replace("[]", "[[]]"))
        and fnmatch.fnmatchcase(what, kinds)
    )


def deliberate(example: str, path: str, what: str) -> str | None:
    """The reason for a listed difference, or None."""
    return next((e[3] for e in DIFFERENCES if matches(e, example, path, what)), None)


def status_of(body: Any) -> str | None:
    if not isinstance(body, dict):
        return None
    data = body.get("data")
    value = data.get("status") if isinstance(data, dict) else body.get("status")
    return value if isinstance(value, str) else None


def substitute(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        for doc_id, sim_id in ids.items():
            value = sim_id if value == doc_id else value.replace(f"/{doc_id}", f"/{sim_id}")
        return value
    if isinstance(value, dict):
        return {k: substitute(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, ids) for v in value]
    return value


def learn_ids(doc: Any, sim: Any, ids: dict[str, str]) -> None:
    """Ids the simulator handed out where the docs show theirs (same key)."""
    if isinstance(doc, dict) and isinstance(sim, dict):
        for key, value in doc.items():
            if key.lower().endswith("id") and isinstance(value, str):
                if isinstance(sim.get(key), str) and sim[key] != value:
                    ids.setdefault(value, sim[key])
            else:
                learn_ids(value, sim.get(key), ids)


def examples() -> list[tuple[str, int]]:
    out = []
    for path in sorted(CASSETTES.glob("hoo*/api_*.json")):
        name = f"{path.parent.name}/{path.stem.removeprefix('api_')}"
        for index, it in enumerate(json.loads(path.read_text())["interactions"]):
            if "json" in it["response"]:
                out.append((name, index))
    return out


def interaction(name: str, index: int) -> dict:
    provider, stem = name.split("/")
    path = CASSETTES / provider / f"api_{stem}.json"
    return json.loads(path.read_text())["interactions"][index]


# -- the test ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sims() -> Iterator[dict[str, Simulator]]:
    with (
        Simulator(job_seconds=JOB_SECONDS, rate_limit_per_minute=0) as main,
        Simulator(job_seconds=JOB_SECONDS, rate_limit_per_minute=0, credits=0) as broke,
    ):
        yield {"main": main, "broke": broke}


@pytest.fixture(scope="module")
def prepared() -> dict[str, dict[str, str]]:
    """Ids per cassette, made once per module (an example's ids are reused by the
    next interaction of the same cassette, and learned ids are added as they come)."""
    return {}


def answer(sim: Simulator, provider: str, request: dict, want_status: str | None):
    """The simulator's answer; for an example showing a job status, the first answer
    in that status (polled every 20 ms up to three job durations)."""
    args = (sim, provider, request["method"], request["path"])
    kwargs = {"query": request.get("query"), "body": request.get("json")}
    deadline = time.monotonic() + 3 * JOB_SECONDS
    while True:
        status, body = send(*args, **kwargs)
        got = status_of(body)
        if want_status is None or request["method"] != "GET" or got is None:
            return status, body
        if got.lower() == want_status.lower() or time.monotonic() > deadline:
            return status, body
        time.sleep(0.02)


EXAMPLES = examples()


@pytest.mark.parametrize(("name", "index"), EXAMPLES, ids=lambda v: str(v))
def test_simulator_answers_like_the_documented_example(sims, prepared, name, index):
    provider = name.split("/")[0]
    sim = sims["broke" if OTHER_STATE.get((name, index)) else "main"]
    if name not in prepared:
        prepared[name] = PREPARE[name](sims["main"]) if name in PREPARE else {}
    ids = prepared[name]
    documented = interaction(name, index)
    request = substitute(documented["request"], ids)
    expected = documented["response"]
    status, body = answer(sim, provider, request, status_of(expected["json"]))
    assert status == expected["status"], f"simulator answered {status}: {body}"
    if status_of(expected["json"]) and request["method"] == "GET":
        assert status_of(body) == status_of(expected["json"]), body
    learn_ids(expected["json"], body, ids)
    example = f"{name}#{index}"
    found = [f"{path}: {what}" for path, what in differences(expected["json"], body)]
    SEEN[example] = found
    unexplained = [f for f in found if deliberate(example, *f.split(": ")) is None]
    assert unexplained == [], f"{example} differs from the docs:\n" + "\n".join(unexplained)


# Differences found per example, for the check below.
SEEN: dict[str, list[str]] = {}


def test_every_listed_difference_still_occurs():
    # Runs after the examples (same module, in order). A difference that no longer
    # occurs must leave the list, with its reason.
    if len(SEEN) < len(EXAMPLES):
        if SEEN and os.environ.get("PYTEST_XDIST_WORKER"):
            pytest.fail("the examples ran on several workers: run with --dist loadgroup")
        pytest.skip("needs every example of this module to have run (run the module)")
    stale = [
        entry[:3]
        for entry in DIFFERENCES
        if not any(
            matches(entry, example, *found.split(": "))
            for example, founds in SEEN.items()
            for found in founds
        )
    ]
    assert stale == []
