"""Required fields: every field a model types without `None` (what hoox.md / hooked.md
and the seeds show in every response) is checked; a response without one raises
`APIResponseError` naming the field and the endpoint, sync and async, while unknown
fields stay in `.raw` and unknown enum values keep working."""

from __future__ import annotations

import dataclasses
import inspect
import typing

import pytest

import reelkit
from reelkit._models import _base, hooked, hoox
from reelkit.testing import Simulator, faults

MODELS = [
    cls
    for module in (hoox, hooked)
    for cls in vars(module).values()
    if inspect.isclass(cls)
    and issubclass(cls, _base.Model)
    and cls.__module__ == module.__name__
    and dataclasses.is_dataclass(cls)
    and not cls.__name__.startswith("_")
]


def _full(cls: type) -> dict:
    """A payload with every required field of `cls` (nested models filled in turn)."""
    hints = typing.get_type_hints(cls)
    out = {"id": "x"} if cls is hooked.ScheduledPost else {}  # `id` or `scheduleId`
    for name, wire, _ in cls._fields_table:
        if wire not in cls._required:
            continue
        tp = hints[name]
        origin = typing.get_origin(tp)
        if inspect.isclass(tp) and issubclass(tp, _base.Model):
            out[wire] = _full(tp)
        elif origin is list:
            (item,) = typing.get_args(tp)
            nested = inspect.isclass(item) and issubclass(item, _base.Model)
            out[wire] = [_full(item)] if nested else ["x"]
        elif origin is typing.Literal:
            out[wire] = typing.get_args(tp)[0]
        else:
            out[wire] = {bool: True, int: 1, float: 1.5}.get(tp, "x")
    return out


def test_required_fields_are_the_ones_typed_without_none():
    # The hint is the contract: `str` (or a Literal) is checked, `str | None` is not.
    for cls in MODELS:
        hints = typing.get_type_hints(cls)
        for name, wire, _ in cls._fields_table:
            optional = type(None) in typing.get_args(hints[name]) or hints[name] is typing.Any
            exempt = wire in cls._required_exempt
            assert (wire in cls._required) == (not optional and not exempt), (cls, name)


@pytest.mark.parametrize("cls", [c for c in MODELS if c._required], ids=lambda c: c.__name__)
def test_a_payload_without_a_required_field_is_refused_naming_it(cls):
    full = _full(cls)
    model = cls.from_raw(dict(full, x_unknown_field={"kept": True}))
    assert model.raw["x_unknown_field"] == {"kept": True}
    for wire in cls._required:
        partial = {k: v for k, v in full.items() if k != wire}
        with pytest.raises(reelkit.APIResponseError) as info:
            cls.from_raw(partial)
        assert f"`{wire}`" in str(info.value) and cls.__name__ in str(info.value)
        assert info.value.missing_fields == [wire]
        with pytest.raises(reelkit.APIResponseError):
            cls.list_from_raw([full, partial])  # the native fill checks the same


def test_scheduled_post_takes_either_id():
    base = {"status": "pending"}
    assert hooked.ScheduledPost.from_raw({**base, "scheduleId": "p1"}).id == "p1"
    assert hooked.ScheduledPost.from_raw({**base, "id": "p1"}).schedule_id == "p1"
    with pytest.raises(reelkit.APIResponseError, match="`id` or `scheduleId`"):
        hooked.ScheduledPost.from_raw(base)


def test_unknown_enum_values_still_work():
    # Literal types are for type checkers; any value the server sends is kept.
    job = hoox.GenerationJob.from_raw({"job_id": "r", "status": "queued", "estimated_credits": 5})
    assert job.status == "queued"
    look = hoox.Look.from_raw({"id": "l", "status": "archived", "format": "square"})
    assert (look.status, look.format) == ("archived", "square")


# -- against the simulator: the error names the endpoint --------------------------------


@pytest.fixture(scope="module")
def sim():
    with Simulator(job_seconds=0.2, rate_limit_per_minute=0) as s:
        yield s


def _call(mode: str, sim: Simulator, provider: str, scenario):
    if provider == "hoox":
        args = (reelkit.AsyncHoox if mode == "async" else reelkit.Hoox), sim.hoox_api_key
        base_url = sim.hoox_base_url
    else:
        args = (reelkit.AsyncHooked if mode == "async" else reelkit.Hooked), sim.hooked_api_key
        base_url = sim.hooked_base_url
    cls, key = args
    if mode == "sync":
        with cls(api_key=key, base_url=base_url, max_retries=0) as client:
            return scenario(client)

    import asyncio

    async def main():
        async with cls(api_key=key, base_url=base_url, max_retries=0) as client:
            return await scenario(client)

    return asyncio.run(main())


# (provider, injected path, answer, call, missing field, endpoint in the message)
ROWS = [
    (
        "hoox",
        "/api/public/v1/generation/status/run_x",
        {"status": "processing", "progress_step": 10},
        lambda c: c.generations.status("run_x"),
        "job_id",
        "GET /generation/status/run_x",
    ),
    (
        "hoox",
        "/api/public/v1/voice/list",
        [{"id": "v1", "name": "A"}, {"id": "v2"}],
        lambda c: c.voices.list(),
        "name",
        "GET /voice/list",
    ),
    (
        "hooked",
        "/v1/video/vid_x",
        {"success": True, "data": {"id": "vid_x", "progress": 40}},
        lambda c: c.videos.get("vid_x"),
        "status",
        "GET /video/vid_x",
    ),
    (
        "hooked",
        "/v1/video/list",
        {"success": True, "data": {"videos": [], "limit": 50, "offset": 0}},
        lambda c: c.videos.list(),
        "total",
        "GET /video/list",
    ),
]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r[5])
def test_the_error_names_the_field_and_the_endpoint(sim, mode, row):
    provider, path, answer, call, field, endpoint = row
    sim.inject("GET", path, faults.status(200, answer))
    with pytest.raises(reelkit.APIResponseError) as info:
        _call(mode, sim, provider, call)
    text = str(info.value)
    assert f"`{field}`" in text and endpoint in text, text
    assert info.value.path == endpoint.split(" ", 1)[1]
    assert not info.value.may_have_acted  # a read


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_credit_spending_post_answered_without_its_id_says_the_server_acted(sim, mode):
    sim.inject("POST", "/api/public/v1/video/duplicate", faults.status(201, {"status": "done"}))
    with pytest.raises(reelkit.APIResponseError) as info:
        _call(mode, sim, "hoox", lambda c: c.videos.duplicate("vid_1", voice_id="v"))
    text = str(info.value)
    assert "`video_id`" in text and "POST /video/duplicate" in text
    assert info.value.may_have_acted and "Check your Hoox space" in text


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_wait_fails_at_the_first_status_without_a_required_field(sim, mode):
    # Not at the deadline: the status is parsed as it arrives, and the job is named.
    sim.inject("GET", "/api/public/v1/export/status/run_e", faults.status(200, {"job_id": "r"}))
    with pytest.raises(reelkit.APIResponseError) as info:
        _call(mode, sim, "hoox", lambda c: c.exports.wait("run_e", timeout=30))
    text = str(info.value)
    assert "`status`" in text and "GET /export/status/run_e" in text
    assert info.value.job_id == "run_e" and "resume with client.exports.wait" in text
