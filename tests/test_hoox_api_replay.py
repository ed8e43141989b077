"""Every Hoox endpoint replayed from a cassette of its documented example
(`tests/cassettes/hoox/api_<endpoint>.json`): the request must match the documented
wire body/query exactly (strict replay), and the documented response must parse into
the typed model. Sync and asyncio clients alike."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path

import pytest

import reelkit
from reelkit.testing import Replay
from replay_coverage import NotingReplay, replayed_by

CASSETTES = Path(__file__).parent / "cassettes" / "hoox"


@pytest.fixture(autouse=True)
def _no_poll_delay(monkeypatch):
    monkeypatch.setenv("REELKIT_POLL_INTERVAL", "0")


def serve(name: str) -> Replay:
    return Replay(CASSETTES / f"api_{name}.json")


def replay_with(mode: str):
    """`replay(name, fn)`: serve `api_<name>.json` and return `fn(client)`; the replay
    fails the test on any mismatch or unused interaction."""

    def run(name, fn):
        with serve(name) as server:
            if mode == "sync":
                with reelkit.Hoox(api_key="hx_live_test", base_url=server.hoox_base_url) as c:
                    return fn(c)

            async def main():
                async with reelkit.AsyncHoox(
                    api_key="hx_live_test", base_url=server.hoox_base_url
                ) as client:
                    return await fn(client)

            return asyncio.run(main())

    return run


@pytest.fixture(params=["sync", "async"])
def replay(request):
    return replay_with(request.param)


def _both(client, *calls):
    """Run several calls in order on either client; returns their results."""
    results = [fn(client) for fn in calls] if isinstance(client, reelkit.Hoox) else None
    if results is not None:
        return results

    async def sequential():
        return [await fn(client) for fn in calls]

    return sequential()


def test_script_generate(replay):
    script = replay(
        "script_generate",
        lambda c: c.scripts.generate(
            "Create an educational video about renewable energy sources, focusing on solar and "
            "wind power",
            duration=90,
            web_search=True,
            urls=["https://www.energy.gov/renewable-energy"],
        ),
    )
    assert script.cost == 0.2 and script.script.startswith("Imagine")
    assert script.extracted_images == [
        "https://www.apple.com/v/watch/bs/images/overview/select/product_s11__c23ym6fc09me_large.png"
    ]
    assert script.to_dict()["extracted_images"] == script.extracted_images


GENERATION = {
    "prompt": "Create a video about sustainable energy solutions",
    "duration": 60,
    "voice_id": "voice_en_us_female_1",
    "avatar_id": "avatar_business_woman_1",
    "format": "vertical",
    "web_search": {"script": True, "images": True},
    "animate_image": True,
    "animate_mode": "pro",
}


def test_generation_start_and_insufficient_credits(replay):
    def fn(c):
        async def insufficient():
            job = await c.generations.start(**GENERATION)
            try:
                await c.generations.start(**GENERATION)
            except reelkit.InsufficientCreditsError as exc:
                return job, exc
            raise AssertionError("no 402")

        if isinstance(c, reelkit.AsyncHoox):
            return insufficient()
        job = c.generations.start(**GENERATION)
        with pytest.raises(reelkit.InsufficientCreditsError) as info:
            c.generations.start(**GENERATION)
        return job, info.value

    job, error = replay("generation_start", fn)
    assert (job.job_id, job.status, job.estimated_credits) == ("run_abcd1234", "pending", 85)
    assert error.status_code == 402 and error.code.upper() == "INSUFFICIENT_CREDITS"


def test_generation_start_sequence_plan(replay):
    plan = [
        {
            "sequences": [
                {
                    "text": "We waste 3 hours a day",
                    "media": {"asset_id": "ASSET_ID", "show": "full"},
                },
                {"text": "without even noticing.", "look_id": "LOOK_CLOSEUP_ID"},
            ]
        },
        {"sequences": [{"text": None, "duration_ms": 1200}]},
        {
            "voice_id": "VOICE_MALE_ID",
            "look_id": "LOOK_SECOND_SPEAKER_ID",
            "sequences": [
                {
                    "text": "Oh yeah? How come?",
                    "media": {"url": "https://your-domain.com/chart.jpg", "show": "half"},
                }
            ],
        },
    ]
    job = replay(
        "generation_start_sequence_plan",
        lambda c: c.generations.start(
            voice_id="VOICE_FEMALE_ID",
            avatar_id="LOOK_DEFAULT_ID",
            format="vertical",
            sequence_plan=plan,
        ),
    )
    assert job.job_id == "run_abc123"


def test_generation_wait_reaches_completed(replay):
    seen = []
    status = replay(
        "generation_status", lambda c: c.generations.wait("run_abcd1234", on_progress=seen.append)
    )
    assert status.is_complete and status.video_id == "vid_xyz789"
    assert status.duration == 62.5 and status.cost == 45
    assert [s.status for s in seen][:2] == ["pending", "processing"]
    assert seen[1].progress_step == 45 and seen[1].current_step == "VOICE_GENERATION"


def test_generation_status_failed(replay):
    status = replay("generation_status_failed", lambda c: c.generations.status("run_abcd1234"))
    assert status.is_failed and status.error_code == "VOICE_GENERATION_FAILED"
    with pytest.raises(reelkit.JobFailedError) as info:
        replay("generation_status_failed", lambda c: c.generations.wait("run_abcd1234"))
    assert info.value.code == "VOICE_GENERATION_FAILED"
    assert "Failed to generate voice audio" in str(info.value)


def test_export_start(replay):
    job = replay(
        "export_start",
        lambda c: c.exports.start(
            "vid_xyz789", format="vertical", webhook_url="https://your-app.com/webhooks/export"
        ),
    )
    assert (job.job_id, job.status, job.estimated_credits) == ("export_abcd1234", "pending", 0)


def test_export_wait_needs_the_url(replay):
    # "completed" without result.video_url is not done yet: wait polls once more.
    status = replay("export_status", lambda c: c.exports.wait("export_abcd1234"))
    assert status.video_url == "https://storage.hoox.video/exports/export_abcd1234.mp4"
    assert status.progress == 100 and status.cost == 0


def test_export_status_failed(replay):
    with pytest.raises(reelkit.JobFailedError) as info:
        replay("export_status_failed", lambda c: c.exports.wait("export_abcd1234"))
    assert info.value.code == "ENCODING_FAILED" and info.value.job_id == "export_abcd1234"


def test_export_download(replay, tmp_path):
    path = replay(
        "export_download", lambda c: c.exports.download("export_abcd1234", tmp_path / "v.mp4")
    )
    assert path.stat().st_size == 4096


def test_video_duplicate(replay):
    dup = replay(
        "video_duplicate",
        lambda c: c.videos.duplicate(
            "vid_abc123",
            voice_id="voice_en_us_female_1",
            avatar_look_id="avatar_business_woman_office_1",
        ),
    )
    assert dup.video_id == "vid_dup_456" and dup.changes_applied["avatar_changed"] is True


def test_voice_list(replay):
    voices = replay(
        "voice_list",
        lambda c: c.voices.list(
            language="fr", gender="female", tags="friendly,warm", only_public=True
        ),
    )
    assert [v.id for v in voices] == ["voice_fr_female_01"] and voices[0].source == "config"


def test_voice_get(replay):
    voice = replay("voice_get", lambda c: c.voices.get("voice_fr_female_01"))
    assert voice.name == "Charlotte" and voice.tags == ["friendly", "warm"]


def test_avatar_list(replay):
    looks = replay(
        "avatar_list",
        lambda c: c.avatars.list(
            gender="male",
            age_range=["adult", "young_adult"],
            place="studio,office",
            selfie=False,
            accessories=["microphone"],
            only_public=True,
        ),
    )
    (look,) = looks
    assert look.id == "look_id" and look.avatar_id == "avatar_id_1" and look.selfie is False
    assert look.accessories == ["microphone"] and look.supports_model("seedance-2")


def test_avatar_get(replay):
    avatar = replay("avatar_get", lambda c: c.avatars.get("avtr_abc123"))
    assert avatar.age == "30" and avatar.created_at == dt.datetime(
        2024, 1, 15, 10, 30, tzinfo=dt.timezone.utc
    )
    (look,) = avatar.looks
    assert look.id == "look_123" and look.status == "ready"
    assert avatar.to_dict()["looks"][0]["name"] == "Office Look"


def test_avatar_look(replay):
    look = replay("avatar_look", lambda c: c.avatars.look("avtr_abc123", "look_123"))
    assert look.look_name == "Office Look" and look.error_message is None
    assert not look.supports_model("standard")


def test_avatar_status_wait(replay):
    status = replay("avatar_status", lambda c: c.avatars.wait("avatar_123", "look_456"))
    assert status.is_complete and status.look.avatar_name == "Emma"


def test_avatar_create_from_prompt_and_images(replay):
    def fn(c):
        return _both(
            c,
            lambda c: c.avatars.create(
                prompt="Young entrepreneur in a modern office, confident smile",
                style="iphone",
                format="vertical",
                name="Alex",
                place="office",
                resolution="2K",
                element_images=["https://your-domain.com/logo.png"],
                webhook_url="https://your-domain.com/webhooks/avatar",
            ),
            lambda c: c.avatars.create_from_images(
                ["https://your-domain.com/img1.jpg", "https://your-domain.com/img2.jpg"],
                name="Jordan",
                place="studio",
                webhook_url="https://your-domain.com/webhooks/avatar",
            ),
        )

    prompt_job, images_job = replay("avatar_create", fn)
    assert (prompt_job.avatar_id, prompt_job.look_id) == ("avtr_abc", "look_123")
    assert images_job.look_id == "look_123"


def test_avatar_edit(replay):
    job = replay(
        "avatar_edit",
        lambda c: c.avatars.edit(
            "avtr_123",
            "look_src",
            prompt="Add my product in his hand",
            format="vertical",
            images=["https://cdn.example.com/extra.jpg"],
            upscale=False,
            webhook_url="https://example.com/webhooks/avatar-edit",
        ),
    )
    assert job.look_id == "look_new"


def test_asset_models_unhoisted(replay):
    (model,) = replay("asset_models", lambda c: c.assets.models(type="video", provider="kling"))
    assert (model.type, model.provider) == ("video", "kling")
    assert (model.raw["type"], model.raw["provider"]) == ("video", "kling")
    assert model.to_dict()["type"] == "video" and model.base_cost == 7.5
    assert model.capabilities.default_duration == 5


def test_asset_model(replay):
    detail = replay("asset_model", lambda c: c.assets.model("veo-3.1"))
    assert detail.provider == "google" and detail.settings[0].default_value is True
    assert detail.input_schema["properties"]["generation_count"]["maximum"] == 4


def test_asset_pricing(replay):
    def fn(c):
        return _both(
            c,
            lambda c: c.assets.pricing(
                "veo-3.1", duration=8, resolution="1080p", generation_count=2
            ),
            lambda c: c.assets.pricing("kling-v3-pro", duration=7, generation_count=2),
        )

    veo, kling = replay("asset_pricing", fn)
    assert (veo.cost_per_generation, veo.total_cost, veo.currency) == (80, 160, "credits")
    assert kling.normalized == {"duration": "6s", "duration_in_seconds": 6}


def test_asset_start_generic_slots_lineage(replay):
    frame = {"url": "https://example.com/reference.jpg"}

    def fn(c):
        return _both(
            c,
            lambda c: c.assets.start(
                "veo-3.1",
                type="video",
                prompt="A cinematic shot of a fox running through autumn leaves at sunrise.",
                aspect_ratio="9:16",
                duration=8,
                resolution="720p",
            ),
            lambda c: c.assets.start(
                "veo-3.1-flf",
                type="video",
                prompt="Describe what you want to generate",
                first_frame=frame,
                last_frame=frame,
                aspect_ratio="9:16",
                resolution="720p",
                duration=8,
            ),
            lambda c: c.assets.start(
                "grok-imagine-video",
                type="video",
                prompt="The subject turns slowly toward the camera.",
                references=[{"asset_id": "asset_abc123"}],
                parent_media_id="asset_abc123",
            ),
        )

    generic, slots, lineage = replay("asset_start", fn)
    assert generic.asset_ids == ["662f8c1d3a4b5e6f70123456"] and generic.total_cost == 60
    assert slots.asset_id == "662f8c1d3a4b5e6f70123457" and lineage.cost_per_generation == 3


def test_asset_start_with_budget(replay):
    job = replay(
        "asset_start_budget",
        lambda c: c.assets.start(
            "veo-3.1", type="video", prompt="A fox", duration=8, resolution="720p", max_credits=32
        ),
    )
    assert job.asset_id == "662f8c1d3a4b5e6f70123456"


def test_asset_status_wait(replay):
    status = replay("asset_status", lambda c: c.assets.wait("662f8c1d3a4b5e6f70123456"))
    assert status.is_complete and status.url and status.width == 1920
    assert status.generation_params["duration"] == "6s"


def test_folder_create(replay):
    folder = replay("folder_create", lambda c: c.folders.create("Summer Campaign", type="assets"))
    assert folder.id == "662f8c1d3a4b5e6f70123456" and folder.parent_folder_id is None
    assert folder.created_at == dt.datetime(2026, 6, 19, 10, 0, tzinfo=dt.timezone.utc)


def test_folder_list(replay):
    folders = replay("folder_list", lambda c: c.folders.list(type="assets"))
    assert [f.name for f in folders] == ["Summer Campaign", "Hero shots"]
    assert folders[1].parent_folder_id == folders[0].id


@pytest.fixture(scope="module")
def replayed_here(tmp_path_factory) -> set[str]:
    """The cassettes this module's tests replay to the end (sync client)."""
    module = sys.modules[__name__]

    def patch(served):
        global serve
        original = serve
        serve = lambda name: NotingReplay(CASSETTES / f"api_{name}.json", served)  # noqa: E731

        def undo():
            global serve
            serve = original

        return undo

    arguments = {
        "replay": lambda _: replay_with("sync"),
        "tmp_path": lambda test: tmp_path_factory.mktemp(test),
    }
    return replayed_by(module, test_every_documented_example_is_replayed, arguments, patch)


@pytest.mark.parametrize(
    "name", sorted(p.stem.removeprefix("api_") for p in CASSETTES.glob("api_*.json"))
)
def test_every_documented_example_is_replayed(name, replayed_here):
    # Every documented example on disk is served, request for request, by a test here.
    assert name in replayed_here, f"api_{name}.json: no test here replays it to the end"
