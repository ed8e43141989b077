"""Models for data work: every model has `to_dict()`, lists of them load into a pandas
DataFrame in one line, and reprs stay short in a notebook whatever the payload."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import json
import typing

import pytest

import reelkit
from reelkit._models import _base
from reelkit._models import hooked as hooked_models
from reelkit._models import hoox as hoox_models
from reelkit.testing import Simulator

VOICE = "voice_en_us_female_sarah"


def model_classes() -> list[type]:
    found = []
    for module in (hoox_models, hooked_models):
        for name in module.__all__:
            cls = getattr(module, name)
            if inspect.isclass(cls) and issubclass(cls, _base.Model):
                found.append(cls)
    return found


MODELS = model_classes()


def test_the_model_list_is_complete():
    # Every response model of both providers is public and found here.
    names = {cls.__name__ for cls in MODELS}
    assert {"Video", "VideoPage", "GenerationStatus", "ExportStatus", "Voice"} <= names
    for module in (hoox_models, hooked_models):
        defined = {
            name
            for name, obj in vars(module).items()
            if inspect.isclass(obj)
            and issubclass(obj, _base.Model)
            and obj.__module__ == module.__name__
            and not name.startswith("_")
        }
        assert defined <= set(module.__all__), defined - set(module.__all__)


# -- synthetic payloads ------------------------------------------------------------------


def _unwrap(tp):
    if typing.get_origin(tp) in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else typing.Any
    return tp


def payload(cls, *, text: int, items: int, depth: int = 0) -> dict:
    """A payload filling every documented field of `cls`: strings of `text`
    characters, lists of `items` items, nested models filled in turn."""
    hints = typing.get_type_hints(cls, localns={"datetime": dt.datetime, "Any": typing.Any})
    out = {}
    for name, wire_name, _ in cls._fields_table:
        out[wire_name] = value_for(_unwrap(hints.get(name, typing.Any)), name, text, items, depth)
    return out


def minimal(cls, depth: int) -> dict:
    """A payload with only the fields `cls` requires."""
    hints = typing.get_type_hints(cls, localns={"datetime": dt.datetime, "Any": typing.Any})
    return {
        wire: value_for(_unwrap(hints[name]), name, 4, 1, depth)
        for name, wire, _ in cls._fields_table
        if wire in cls._required
    }


def value_for(tp, name, text, items, depth):
    if tp is str:
        return (name + "-") * (text // (len(name) + 1) + 1)
    if tp is bool:
        return True
    if tp is int:
        return 1_234_567
    if tp is float:
        return 12.5
    if tp is dt.datetime:
        return "2024-01-15T10:30:00.000Z"
    if inspect.isclass(tp) and issubclass(tp, _base.Model):
        if depth < 2:
            return payload(tp, text=text, items=items, depth=depth + 1)
        return minimal(tp, depth + 1)  # deep enough: only what the model requires
    origin = typing.get_origin(tp)
    if origin is list:
        (item,) = typing.get_args(tp) or (str,)
        nested = inspect.isclass(item) and issubclass(_unwrap(item), _base.Model)
        # Long lists of strings, but a page of 30 models is long enough (and quick).
        count = min(items, 30 if nested else items) if depth == 0 else min(items, 3)
        return [value_for(_unwrap(item), name, text, items, depth + 1) for _ in range(count)]
    if origin is dict or tp is dict:
        return {f"key_{i}": "v" * text for i in range(items)}
    return "x" * text  # Any


TYPICAL = {"text": 24, "items": 2}
HUGE = {"text": 10_000, "items": 200}


@pytest.mark.parametrize(
    "cls", MODELS, ids=lambda c: f"{c.__module__.rsplit('.', 1)[1]}.{c.__name__}"
)
def test_every_model_has_to_dict(cls):
    obj = cls.from_raw(payload(cls, **TYPICAL))
    data = obj.to_dict()
    assert isinstance(data, dict)
    assert list(data) == [name for name, _, _ in cls._fields_table]
    assert "raw" not in data
    # Nested models become dicts too: the result is plain data (JSON with dates as str).
    json.dumps(data, default=str)
    assert all(not isinstance(v, _base.Model) for v in data.values())
    if not cls._required:  # models with required ids reject an empty payload
        assert cls.from_raw({}).to_dict() == dict.fromkeys(data)


@pytest.mark.parametrize("size", ["typical", "huge"])
@pytest.mark.parametrize(
    "cls", MODELS, ids=lambda c: f"{c.__module__.rsplit('.', 1)[1]}.{c.__name__}"
)
def test_reprs_stay_short(cls, size):
    obj = cls.from_raw(payload(cls, **(TYPICAL if size == "typical" else HUGE)))
    text = repr(obj)
    assert text.startswith(f"{cls.__name__}(") and text.endswith(")")
    assert len(text) <= _base.REPR_MAX, text
    assert "raw=" not in text


def test_repr_reads_well():
    video = hooked_models.Video.from_raw(
        {
            "id": "vid_8f2c1a",
            "name": "Morning routine ad",
            "status": "COMPLETED",
            "url": "https://cdn.hooked.so/videos/vid_8f2c1a.mp4?signature=" + "a" * 200,
            "progress": 100,
            "message": None,
        }
    )
    text = repr(video)
    assert text.startswith("Video(id='vid_8f2c1a', name='Morning routine ad', status='COMPLETED'")
    assert "message=" not in text  # None fields are left out
    assert "…" in text and "a" * 100 not in text  # the long URL is cut
    assert video.url.endswith("a" * 200)  # the value itself is untouched

    script = hoox_models.Script.from_raw(
        {"script": "word " * 2000, "cost": 0.1, "extractedImages": [f"i{n}" for n in range(40)]}
    )
    assert "…+37" in repr(script)  # 3 of 40 list items shown
    status = hoox_models.GenerationStatus.from_raw(
        {"job_id": "run_1", "status": "processing", "progress_step": 40}
    )
    assert repr(status) == "GenerationStatus(job_id='run_1', status='processing', progress_step=40)"


def test_repr_of_a_page_of_models():
    page = hooked_models.VideoPage.from_raw(
        {
            "videos": [payload(hooked_models.Video, **TYPICAL) for _ in range(100)],
            **{"total": 100, "limit": 100, "offset": 0},
        }
    )
    text = repr(page)
    assert text.startswith("VideoPage(") and len(text) <= _base.REPR_MAX
    assert len(page.items) == 100


# -- pandas ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sim():
    with Simulator(job_seconds=0.2, rate_limit_per_minute=0) as s:
        yield s


def test_lists_load_into_a_dataframe(sim):
    pd = pytest.importorskip("pandas", reason="pandas is not installed")
    with (
        reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as hoox,
        reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url) as hooked,
    ):
        voices = hoox.voices.list()
        looks = hoox.avatars.list()
        for _ in range(3):
            hoox.generations.start(script="A row in a table.", voice_id=VOICE)
        avatar, voice = hooked.avatars.list()[0], hooked.voices.list()[0]
        for n in range(3):
            project = hooked.projects.create_talking_avatar(
                script=f"Video {n}", avatar_id=avatar.id, voice_id=voice.id
            )
        hooked.videos.wait(project.video_id, poll_interval=0.05)
        videos = hooked.videos.list()
        models = hoox.assets.models()

    for items in (voices, looks, videos.items, models):
        frame = pd.DataFrame([m.to_dict() for m in items])
        assert len(frame) == len(items) > 0
        assert list(frame.columns) == [name for name, _, _ in type(items[0])._fields_table]

    frame = pd.DataFrame([v.to_dict() for v in videos])
    assert set(frame["status"]) <= {"STARTED", "COMPLETED", "FAILED"}
    # Datetimes stay datetimes: pandas gives them a datetime dtype.
    assert str(frame["created_at"].dtype).startswith("datetime64")
    voices_frame = pd.DataFrame([v.to_dict() for v in voices]).set_index("id")
    assert voices_frame.loc[VOICE, "language"] == "en"


def _list_models() -> list[type]:
    import inspect

    from reelkit._models import hooked, hoox
    from reelkit._models._base import Model

    return [
        cls
        for module in (hoox, hooked)
        for cls in vars(module).values()
        if inspect.isclass(cls)
        and issubclass(cls, Model)
        and cls.__module__ == module.__name__
        and dataclasses.is_dataclass(cls)
    ]


@pytest.mark.parametrize("cls", _list_models(), ids=lambda c: c.__name__)
def test_list_from_raw_builds_what_from_raw_builds(cls):
    # The native field loop (`_native.fill_models`) must be indistinguishable from
    # `from_raw`: same field values (converted ones included: datetimes, nested
    # models, lists of them), the same `raw` object, non-dicts as `{}`.
    fields = [f for f in dataclasses.fields(cls) if f.name != "raw"]
    table = cls._fields_table
    full = payload(cls, **TYPICAL)  # every field filled in its documented shape
    converted = [name for name, _, convert in table if convert is not None]
    reference = cls.from_raw(full)
    for name in converted:
        value = getattr(reference, name)
        assert value is not None and not isinstance(value, str), (name, value)
    items = [full, {}, {"unknown": 1}, "not a dict", None, dict(list(full.items())[:2])]
    if cls._required:
        items = [dict(full, **{w: "x" for w in cls._required})]
    built = cls.list_from_raw(items)
    expected = [cls.from_raw(item) for item in items]
    assert [type(m) for m in built] == [cls] * len(items)
    for got, want, item in zip(built, expected, items, strict=True):
        assert {f.name: getattr(got, f.name) for f in fields} == {
            f.name: getattr(want, f.name) for f in fields
        }
        assert got.raw == want.raw
        if isinstance(item, dict):
            assert got.raw is item
        assert got == want
        with pytest.raises(dataclasses.FrozenInstanceError):
            got.raw = {}  # type: ignore[misc]
    if cls._required:
        with pytest.raises(reelkit.APIResponseError) as from_list:
            cls.list_from_raw([items[0], {}])
        with pytest.raises(reelkit.APIResponseError) as from_one:
            cls.from_raw({})
        assert str(from_list.value) == str(from_one.value)


def test_list_from_raw_leaves_the_collector_as_it_found_it():
    import gc

    items = [{"id": f"look_{i}"} for i in range(1000)]  # long enough to pause the GC
    was = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            looks = hoox_models.Look.list_from_raw(items)
            assert gc.isenabled() is enabled
            assert [look.id for look in looks] == [item["id"] for item in items]
    finally:
        (gc.enable if was else gc.disable)()
