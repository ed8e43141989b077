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
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reelkit.testing import Simulator

CASSETTES = Path(__file__).parent / "cassettes"
JOB_SECONDS = 3.0  # long enough to see pending and processing when polling every 20 ms

# (cassette, JSON path) -> why the simulator deliberately answers otherwise. A path
# ends with the key concerned; `[]` stands for any list item.
DIFFERENCES: dict[tuple[str, str], str] = {
    ("hooked/music_list", "$.data"): (
        "the music list's shape is undocumented (hooked.md §6.5); the simulator answers "
        "{tracks: [...]}, the cassette a bare list to pin that the SDK accepts both"
    ),
    ("hooked/trends_no_total", "$.data.total"): (
        "the cassette is the documented example cut down to pin the SDK on a page "
        "without `total`; the simulator serves the full documented trends page"
    ),
}
# Differences everywhere in one provider: (provider, JSON path suffix) -> reason.
PROVIDER_DIFFERENCES: dict[tuple[str, str], str] = {
    ("hooked", "$.message"): (
        "hooked.md §3.1: the envelope's `message` is optional; the simulator always sends "
        "one, some documented examples leave it out"
    ),
}


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
    body = {"type": "image", "model": "flux-2-pro", "prompt": "A cup of tea."}
    return made(sim, "hoox", f"{HOOX}/asset/start", body, "asset_ids")[0]


def hooked_ids(sim: Simulator) -> tuple[str, str]:
    """A library avatar and a voice the simulator knows."""
    avatars = send(sim, "hooked", "GET", "/v1/avatar/list")[1]["data"]["avatars"]
    voices = send(sim, "hooked", "GET", "/v1/voice/list")[1]["data"]["voices"]
    return avatars[0]["id"], voices[0]["id"]


def hooked_video(sim: Simulator) -> str:
    avatar, voice = hooked_ids(sim)
    body = {"script": "Hello there.", "avatarId": avatar, "voiceId": voice}
    return made(sim, "hooked", "/v1/project/create/talking-avatar", body, "data", "videoId")


def hooked_schedule(sim: Simulator) -> str:
    when = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)).isoformat()
    body = {
        "videoId": "vid_abc123",
        "integrationId": "int_yt_abc123",
        "scheduledDateTime": when.replace("+00:00", "Z"),
        "platformData": {"title": "A post"},
    }
    return made(sim, "hooked", "/v1/schedule/create", body, "data", "scheduleId")


def hooked_ugc_ads(sim: Simulator, count: int) -> dict[str, str]:
    avatar, voice = hooked_ids(sim)
    for n in range(count):
        body = {"script": f"Ad {n}.", "avatarId": avatar, "voiceId": voice, "media": ["med_1"]}
        made(sim, "hooked", "/v1/project/create/ugc-ads", body, "data", "videoId")
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
    """(path, what differs) between a documented value and the simulator's."""
    if doc is None:
        return  # the docs show null: any type
    if kind(doc) != kind(sim):
        yield path, f"docs have {kind(doc)}, simulator {kind(sim)}"
        return
    if isinstance(doc, dict):
        for key in doc.keys() - sim.keys():
            yield f"{path}.{key}", "missing from the simulator's answer"
        for key in sim.keys() - doc.keys():
            yield f"{path}.{key}", "the simulator adds it"
        for key in doc.keys() & sim.keys():
            yield from differences(doc[key], sim[key], f"{path}.{key}")
    elif isinstance(doc, list) and doc:
        if not sim:
            yield path, "the simulator's list is empty: nothing to compare"
        else:
            yield from differences(merged(doc), merged(sim), f"{path}[]")


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


@pytest.mark.parametrize(("name", "index"), examples(), ids=lambda v: str(v))
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
    found = [
        f"{path}: {what}"
        for path, what in differences(expected["json"], body)
        if (name, path) not in DIFFERENCES
        and not any(p == provider and path.endswith(s) for p, s in PROVIDER_DIFFERENCES)
    ]
    assert found == [], f"{name}#{index} differs from the docs:\n" + "\n".join(found)


def test_every_listed_difference_still_occurs(sims):
    # A difference fixed in the simulator must leave the list (and its reason with it).
    for name, path in DIFFERENCES:
        indexes = [i for n, i in examples() if n == name]
        assert indexes, f"{name}: no such documented example"
        seen = set()
        for index in indexes:
            documented = interaction(name, index)
            provider = name.split("/")[0]
            status, body = send(sims["main"], provider, **_request(documented["request"]))
            seen |= {p for p, _ in differences(documented["response"]["json"], body)}
        assert path in seen, f"{name} {path}: listed as a difference but the answers agree"


def _request(request: dict) -> dict:
    return {
        "method": request["method"],
        "path": request["path"],
        "query": request.get("query"),
        "body": request.get("json"),
    }
