"""Every Hoox endpoint against the simulator, on the sync and the asyncio client:
the exact wire request (path, query, JSON body) and the typed response model."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

import reelkit
from reelkit import BudgetExceededError
from reelkit.hoox import (
    AssetJob,
    AssetModel,
    AssetModelDetail,
    AssetPricing,
    AssetStatus,
    Avatar,
    AvatarJob,
    AvatarLook,
    AvatarStatus,
    DuplicatedVideo,
    ExportJob,
    ExportStatus,
    Folder,
    GenerationJob,
    GenerationStatus,
    Look,
    Script,
    Voice,
)
from reelkit.testing import Simulator

API = "/api/public/v1"


@pytest.fixture
def sim(monkeypatch):
    monkeypatch.setenv("REELKIT_POLL_INTERVAL", "0")
    with Simulator(job_seconds=0.05, rate_limit_per_minute=0) as simulator:
        yield simulator


def runner(mode, sim):
    """`run(fn)` calls `fn(client)` on a `mode` ("sync"/"async") client against `sim`."""

    def run(fn):
        if mode == "sync":
            with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as client:
                return fn(client)

        async def main():
            async with reelkit.AsyncHoox(
                api_key=sim.hoox_api_key, base_url=sim.hoox_base_url
            ) as client:
                return await fn(client)

        return asyncio.run(main())

    return run


@pytest.fixture(params=["sync", "async"])
def mode(request):
    return request.param


@pytest.fixture
def call(mode, sim):
    return runner(mode, sim)


def only(sim, method, path):
    """The one request sent to `method path` (asserting there was exactly one)."""
    sent = [r for r in sim.requests() if r.method == method and r.path == API + path]
    assert len(sent) == 1, [(r.method, r.path) for r in sim.requests()]
    return sent[0]


def paths(sim):
    return [(r.method, r.path.removeprefix(API)) for r in sim.requests()]


# -- /script/generate -------------------------------------------------------------------


def test_script_generate(call, sim):
    script = call(
        lambda c: c.scripts.generate(
            "Create an educational video about renewable energy sources",
            duration=90,
            web_search=True,
            urls=["https://www.energy.gov/renewable-energy"],
            max_credits=0.4,
        )
    )
    assert isinstance(script, Script)
    assert script.script and script.cost == pytest.approx(0.4)
    assert script.extracted_images and script.raw["extractedImages"] == script.extracted_images
    req = only(sim, "POST", "/script/generate")
    assert req.json == {
        "prompt": "Create an educational video about renewable energy sources",
        "duration": 90,
        "webSearch": True,
        "urls": ["https://www.energy.gov/renewable-energy"],
    }
    assert sim.hoox_credits_used == pytest.approx(0.4)


def test_script_generate_minimal_body(call, sim):
    call(lambda c: c.scripts.generate("Three morning habits"))
    assert only(sim, "POST", "/script/generate").json == {"prompt": "Three morning habits"}


# -- /generation/* ----------------------------------------------------------------------


def test_generation_start_documented_example(call, sim):
    body = {
        "prompt": "Create a video about sustainable energy solutions",
        "duration": 60,
        "voice_id": "voice_en_us_female_1",
        "avatar_id": "avatar_business_woman_1",
        "format": "vertical",
        "web_search": {"script": True, "images": True},
        "animate_image": True,
        "animate_mode": "pro",
    }
    job = call(lambda c: c.generations.start(**body))
    assert isinstance(job, GenerationJob)
    assert job.job_id and job.status == "pending" and job.estimated_credits is not None
    assert only(sim, "POST", "/generation/start").json == body


def test_generation_start_every_field(call, sim):
    kwargs = {
        "script": "Stop scrolling. Here are three habits.",
        "voice_id": "voice_en_us_female_1",
        "avatar_id": "look_123",
        "format": "custom",
        "width": 1200,
        "height": 1600,
        "media_urls": ["https://your-domain.com/product-shot.jpg"],
        "web_urls": ["https://example.com/article"],
        "web_search": {"images": False},
        "animate_image": True,
        "animate_mode": "standard",
        "animate_image_max": 2,
        "emotion_enhancement": True,
        "use_veo3": False,
        "use_space_media": True,
        "save_media_to_space": False,
        "enable": {"subtitles": True, "broll": False, "music": True, "transitions": False},
        "webhook_url": "http://127.0.0.1:9/hook",
    }
    call(lambda c: c.generations.start(**kwargs, max_credits=20))
    assert only(sim, "POST", "/generation/start").json == kwargs


def test_generation_start_sequence_plan(call, sim):
    plan = [
        {
            "sequences": [
                {
                    "text": "We waste 3 hours a day",
                    "media": {
                        "url": "https://your-domain.com/chart.jpg",
                        "show": "full",
                        "start_at": 0,
                    },
                },
                {"text": "without even noticing.", "look_id": "look_alex_podcast"},
            ]
        },
        {"sequences": [{"text": None, "duration_ms": 1200}]},
        {
            "voice_id": "voice_en_us_male_1",
            "look_id": "look_123",
            "sequences": [
                {
                    "text": "Oh yeah? How come?",
                    "media": {"url": "https://your-domain.com/chart.jpg", "show": "half"},
                }
            ],
        },
    ]
    job = call(
        lambda c: c.generations.start(
            voice_id="voice_en_us_female_1",
            avatar_id="look_123",
            format="vertical",
            sequence_plan=plan,
            max_credits=5,
        )
    )
    assert job.job_id
    assert only(sim, "POST", "/generation/start").json == {
        "voice_id": "voice_en_us_female_1",
        "avatar_id": "look_123",
        "format": "vertical",
        "sequence_plan": plan,
    }


def test_generation_status_wait_and_create_and_wait(call, sim):
    progress = []
    status = call(
        lambda c: c.generations.create_and_wait(
            prompt="Solar energy in 30 seconds",
            duration=30,
            voice_id="voice_en_us_female_1",
            avatar_id="look_123",
            max_credits=5,
            on_progress=progress.append,
            poll_interval=0,
        )
    )
    assert isinstance(status, GenerationStatus)
    assert status.is_complete and not status.is_pending and status.video_id
    assert status.cost == 5 and status.duration == 30 and status.thumbnail_url
    assert progress and all(isinstance(p, GenerationStatus) for p in progress)
    job_id = status.job_id
    assert paths(sim)[0] == ("POST", "/generation/start")
    assert set(paths(sim)[1:]) == {("GET", f"/generation/status/{job_id}")}
    again = call(lambda c: c.generations.status(job_id))
    assert again.is_complete and again.video_id == status.video_id
    waited = call(lambda c: c.generations.wait(job_id, timeout=5))
    assert waited.is_complete


def test_generation_failure_raises_job_failed(call, sim):
    with pytest.raises(reelkit.JobFailedError) as info:
        call(
            lambda c: c.generations.create_and_wait(
                prompt="SIMULATE_FAILURE", duration=30, voice_id="voice_en_us_female_1"
            )
        )
    assert info.value.code == "GENERATION_FAILED"
    assert info.value.status.is_failed and info.value.status.error_code == "GENERATION_FAILED"
    assert info.value.job_id == info.value.status.job_id


def test_generation_wait_timeout(mode, monkeypatch):
    monkeypatch.setenv("REELKIT_POLL_INTERVAL", "0.02")
    with (
        Simulator(job_seconds=60, rate_limit_per_minute=0) as slow,
        pytest.raises(reelkit.WaitTimeoutError) as info,
    ):
        runner(mode, slow)(
            lambda c: c.generations.create_and_wait(
                prompt="p", duration=30, voice_id="voice_en_us_female_1", timeout=0.3
            )
        )
    assert info.value.job_id.startswith("run_")
    assert info.value.last_status is None or info.value.last_status.is_pending
    assert f"client.generations.wait({info.value.job_id!r})" in str(info.value)


def test_asset_and_avatar_wait_timeout(mode, monkeypatch):
    monkeypatch.setenv("REELKIT_POLL_INTERVAL", "0.02")
    with Simulator(job_seconds=60, rate_limit_per_minute=0) as slow:
        run = runner(mode, slow)
        asset = run(lambda c: c.assets.start("z-image-turbo", type="image", prompt="a cat"))
        with pytest.raises(reelkit.WaitTimeoutError) as info:
            run(lambda c: c.assets.wait(asset.asset_id, timeout=0.2))
        assert info.value.job_id == asset.asset_id
        look = run(lambda c: c.avatars.create(prompt="a baker"))
        with pytest.raises(reelkit.WaitTimeoutError):
            run(lambda c: c.avatars.wait(look.avatar_id, look.look_id, timeout=0.2))
        export = run(lambda c: c.exports.start("vid_seed_done"))
        with pytest.raises(reelkit.WaitTimeoutError):
            run(lambda c: c.exports.wait(export.job_id, timeout=0.2))


# -- /export/* ------------------------------------------------------------------------


def test_export_start_status_wait_download(call, sim, tmp_path):
    job = call(
        lambda c: c.exports.start(
            "vid_seed_done",
            format="vertical",
            avatar_model="premium",
            webhook_url="http://127.0.0.1:9/export",
            avatar_seconds=30,
            max_credits=24,
        )
    )
    assert isinstance(job, ExportJob) and job.job_id and job.status == "pending"
    assert only(sim, "POST", "/export/start").json == {
        "video_id": "vid_seed_done",
        "format": "vertical",
        "avatar_model": "premium",
        "webhook_url": "http://127.0.0.1:9/export",
    }
    done = call(lambda c: c.exports.wait(job.job_id))
    assert isinstance(done, ExportStatus) and done.is_complete and done.video_url
    status = call(lambda c: c.exports.status(job.job_id))
    assert status.video_url and status.cost == pytest.approx(24)
    target = call(lambda c: c.exports.download(job.job_id, tmp_path / "out.mp4"))
    assert target == tmp_path / "out.mp4" and target.stat().st_size > 0


def test_export_custom_size_and_create_and_wait(call, sim):
    status = call(
        lambda c: c.exports.create_and_wait(
            "vid_seed_no_avatar", format="custom", width=1080, height=1350, poll_interval=0
        )
    )
    assert status.is_complete and status.video_url
    assert only(sim, "POST", "/export/start").json == {
        "video_id": "vid_seed_no_avatar",
        "format": "custom",
        "width": 1080,
        "height": 1350,
    }


def test_export_failure_raises_job_failed(call, sim):
    with pytest.raises(reelkit.JobFailedError) as info:
        call(lambda c: c.exports.create_and_wait("vid_seed_export_fails"))
    assert info.value.code == "EXPORT_FAILED"


# -- /video/duplicate -----------------------------------------------------------------


def test_video_duplicate(call, sim):
    dup = call(
        lambda c: c.videos.duplicate(
            "vid_seed_done", voice_id="voice_en_us_female_1", avatar_look_id="look_alex_podcast"
        )
    )
    assert isinstance(dup, DuplicatedVideo) and dup.video_id and dup.status == "done"
    assert dup.changes_applied == {"voice_changed": True, "avatar_changed": True}
    assert only(sim, "POST", "/video/duplicate").json == {
        "video_id": "vid_seed_done",
        "voice_id": "voice_en_us_female_1",
        "avatar_look_id": "look_alex_podcast",
    }


# -- /voice/* -------------------------------------------------------------------------


def test_voices_list_and_get(call, sim):
    voices = call(
        lambda c: c.voices.list(
            language="fr", gender="female", tags=["friendly", "warm"], only_public=True
        )
    )
    assert voices and all(isinstance(v, Voice) for v in voices)
    assert {v.language for v in voices} == {"fr"}
    assert only(sim, "GET", "/voice/list").query == {
        "language": "fr",
        "gender": "female",
        "tags": "friendly,warm",
        "onlyPublic": "true",
    }
    voice = call(lambda c: c.voices.get("voice_fr_female_01"))
    assert voice.id == "voice_fr_female_01" and voice.name == "Charlotte"
    only(sim, "GET", "/voice/voice_fr_female_01")


def test_voices_list_comma_tags_and_no_filters(call, sim):
    call(lambda c: c.voices.list(tags="friendly, warm", only_public=False))
    call(lambda c: c.voices.list())
    sent = [r.query for r in sim.requests()]
    assert sent == [{"tags": "friendly,warm", "onlyPublic": "false"}, {}]


# -- /avatar/* ------------------------------------------------------------------------


def test_avatars_list_every_filter(call, sim):
    looks = call(
        lambda c: c.avatars.list(
            gender="female",
            age_range=["adult", "young_adult"],
            ethnicity="white-eastern-european",
            hair_color="blonde,brown",
            place=["office"],
            selfie=False,
            action="presenting",
            emotion=["confident", "happy"],
            accessories=["glasses", "watch"],
            only_public=False,
        )
    )
    assert looks and all(isinstance(look, Look) for look in looks)
    assert only(sim, "GET", "/avatar/list").query == {
        "gender": "female",
        "age_range": "adult,young_adult",
        "ethnicity": "white-eastern-european",
        "hair_color": "blonde,brown",
        "place": "office",
        "selfie": "false",
        "action": "presenting",
        "emotion": "confident,happy",
        "accessories": "glasses,watch",
        "onlyPublic": "false",
    }
    look = looks[0]
    assert look.avatar_id and look.model_available and look.supports_model("premium")


def test_avatar_get_and_look(call, sim):
    avatar = call(lambda c: c.avatars.get("avtr_abc123"))
    assert isinstance(avatar, Avatar) and avatar.name == "Alex"
    assert avatar.looks and all(isinstance(look, AvatarLook) for look in avatar.looks)
    assert isinstance(avatar.created_at, dt.datetime)
    video_look = next(look for look in avatar.looks if look.id == "look_alex_video")
    assert video_look.supports_model("standard") and not video_look.supports_model("premium")
    look = call(lambda c: c.avatars.look("avtr_abc123", "look_123"))
    assert isinstance(look, Look) and look.id == "look_123" and look.status == "ready"
    assert paths(sim) == [
        ("GET", "/avatar/avtr_abc123"),
        ("GET", "/avatar/avtr_abc123/look/look_123"),
    ]


def test_avatar_create_and_wait(call, sim):
    body = {
        "prompt": "Young entrepreneur in a modern office, confident smile",
        "style": "iphone",
        "format": "vertical",
        "name": "Alex",
        "place": "office",
        "resolution": "2K",
        "elementImages": ["https://your-domain.com/logo.png"],
        "webhook_url": "http://127.0.0.1:9/avatar",
    }
    job = call(
        lambda c: c.avatars.create(
            prompt=body["prompt"],
            style="iphone",
            format="vertical",
            name="Alex",
            place="office",
            resolution="2K",
            element_images=body["elementImages"],
            webhook_url=body["webhook_url"],
            max_credits=2,
        )
    )
    assert isinstance(job, AvatarJob) and job.avatar_id and job.look_id
    assert only(sim, "POST", "/avatar/create").json == body
    status = call(lambda c: c.avatars.wait(job.avatar_id, job.look_id))
    assert isinstance(status, AvatarStatus) and status.is_complete
    assert status.look is None or status.look.id == job.look_id
    assert sim.hoox_credits_used == pytest.approx(2)
    last = sim.requests()[-1]
    assert last.path == API + "/avatar/status"
    assert last.query == {"avatar_id": job.avatar_id, "look_id": job.look_id}


def test_avatar_create_from_images(call, sim):
    job = call(
        lambda c: c.avatars.create_from_images(
            ["https://your-domain.com/img1.jpg", "https://your-domain.com/img2.jpg"],
            name="Jordan",
            place="studio",
        )
    )
    assert job.avatar_id and job.look_id
    assert only(sim, "POST", "/avatar/create").json == {
        "imageUrls": ["https://your-domain.com/img1.jpg", "https://your-domain.com/img2.jpg"],
        "name": "Jordan",
        "place": "studio",
    }
    assert sim.hoox_credits_used == 0


def test_avatar_create_with_image_urls_is_free(call, sim):
    job = call(
        lambda c: c.avatars.create(
            image_urls=["https://your-domain.com/img1.jpg"], name="Jordan", max_credits=0
        )
    )
    assert job.look_id
    assert only(sim, "POST", "/avatar/create").json == {
        "imageUrls": ["https://your-domain.com/img1.jpg"],
        "name": "Jordan",
    }
    status = call(lambda c: c.avatars.wait(job.avatar_id, job.look_id))
    assert status.is_complete


def test_avatar_edit_and_status(call, sim):
    job = call(
        lambda c: c.avatars.edit(
            "avtr_abc123",
            "look_123",
            prompt="Add my product in his hand",
            format="vertical",
            images=["https://cdn.example.com/extra.jpg"],
            upscale=False,
            resolution="4K",
            max_credits=4,
        )
    )
    assert job.avatar_id and job.look_id and job.look_id != "look_123"
    # Extra images go as imageUrls, as the newest official clients send them.
    assert only(sim, "POST", "/avatar/edit").json == {
        "avatar_id": "avtr_abc123",
        "look_id": "look_123",
        "prompt": "Add my product in his hand",
        "format": "vertical",
        "resolution": "4K",
        "upscale": False,
        "imageUrls": ["https://cdn.example.com/extra.jpg"],
    }
    status = call(lambda c: c.avatars.status(job.avatar_id, job.look_id))
    assert isinstance(status, AvatarStatus) and status.look_id == job.look_id


def test_avatar_failure_raises_job_failed(call, sim):
    def fn(c):
        return c.avatars.create(prompt="SIMULATE_FAILURE please")

    job = call(fn)
    with pytest.raises(reelkit.JobFailedError) as info:
        call(lambda c: c.avatars.wait(job.avatar_id, job.look_id))
    assert info.value.job_id == job.look_id
    assert info.value.code == "LOOK_GENERATION_FAILED"


# -- /asset/* -------------------------------------------------------------------------


def test_asset_models_unhoists_type_and_provider(call, sim):
    models = call(lambda c: c.assets.models(type="video", provider="kling"))
    assert only(sim, "GET", "/asset/models").query == {"type": "video", "provider": "kling"}
    assert models and all(isinstance(m, AssetModel) for m in models)
    for m in models:
        assert (m.type, m.provider) == ("video", "kling")
        assert (m.raw["type"], m.raw["provider"]) == ("video", "kling")
    kling_pro = next(m for m in models if m.name == "kling-pro")
    assert kling_pro.capabilities.supported_durations == [5, 10]


def test_asset_models_unfiltered_and_by_tag(call, sim):
    everything = call(lambda c: c.assets.models())
    assert {m.type for m in everything} == {"image", "video"}
    tagged = call(lambda c: c.assets.models(tag="image-to-video"))
    assert tagged and all("image-to-video" in (m.tags or []) for m in tagged)
    assert [r.query for r in sim.requests()] == [{}, {"tag": "image-to-video"}]


def test_asset_model_detail(call, sim):
    detail = call(lambda c: c.assets.model("veo-3.1"))
    assert isinstance(detail, AssetModelDetail)
    assert detail.name == "veo-3.1" and detail.type == "video" and detail.provider == "google"
    assert detail.input_schema["required"] == ["prompt"]
    assert detail.settings[0].key == "generateAudio" and detail.settings[0].affects_cost
    only(sim, "GET", "/asset/models/veo-3.1")


def test_asset_pricing(call, sim):
    quote = call(
        lambda c: c.assets.pricing("veo-3.1", duration=8, resolution="1080p", generation_count=2)
    )
    assert isinstance(quote, AssetPricing)
    assert quote.total_cost == quote.cost_per_generation * 2 and quote.currency == "credits"
    assert only(sim, "POST", "/asset/pricing").json == {
        "model": "veo-3.1",
        "duration": 8,
        "resolution": "1080p",
        "generation_count": 2,
    }
    assert sim.hoox_credits_used == 0


def test_asset_start_status_wait(call, sim):
    job = call(
        lambda c: c.assets.start(
            "veo-3.1",
            type="video",
            prompt="A cinematic shot of a fox running through autumn leaves at sunrise.",
            aspect_ratio="9:16",
            duration=8,
            resolution="720p",
        )
    )
    assert isinstance(job, AssetJob) and job.status == "generating" and job.count == 1
    assert job.asset_id == job.asset_ids[0]
    assert only(sim, "POST", "/asset/start").json == {
        "type": "video",
        "model": "veo-3.1",
        "prompt": "A cinematic shot of a fox running through autumn leaves at sunrise.",
        "aspect_ratio": "9:16",
        "duration": 8,
        "resolution": "720p",
    }
    done = call(lambda c: c.assets.wait(job.asset_id))
    assert isinstance(done, AssetStatus) and done.is_complete and done.url
    assert isinstance(done.created_at, dt.datetime)
    status = call(lambda c: c.assets.status(job.asset_id))
    assert status.is_complete and status.generation_params["model"] == "veo-3.1"


def test_asset_start_named_slots_and_lineage(call, sim):
    frame = {"url": "https://example.com/reference.jpg"}
    call(
        lambda c: c.assets.start(
            "veo-3.1-flf",
            type="video",
            prompt="Describe what you want to generate",
            first_frame=frame,
            last_frame=frame,
            aspect_ratio="9:16",
            resolution="720p",
            duration=8,
            folder_id="662f8c1d3a4b5e6f70123456",
            file_name="fox-shot",
            model_settings={"generateAudio": False},
            generation_count=1,
        )
    )
    assert only(sim, "POST", "/asset/start").json == {
        "type": "video",
        "model": "veo-3.1-flf",
        "prompt": "Describe what you want to generate",
        "first_frame": frame,
        "last_frame": frame,
        "aspect_ratio": "9:16",
        "resolution": "720p",
        "duration": 8,
        "folder_id": "662f8c1d3a4b5e6f70123456",
        "file_name": "fox-shot",
        "model_settings": {"generateAudio": False},
        "generation_count": 1,
    }


def test_asset_start_named_inputs_like_the_mcp_tool(call, sim):
    frame = {"asset_id": "asset_abc123"}
    call(
        lambda c: c.assets.start(
            "veo-3.1-flf",
            type="video",
            prompt="p",
            named_inputs={"first_frame": frame},
            last_frame={"url": "https://example.com/l.jpg"},
        )
    )
    body = only(sim, "POST", "/asset/start").json
    assert body["first_frame"] == frame
    assert body["last_frame"] == {"url": "https://example.com/l.jpg"}
    assert "named_inputs" not in body


def test_avatar_edit_image_urls_alias(call, sim):
    call(
        lambda c: c.avatars.edit(
            "avtr_abc123",
            "look_123",
            prompt="smile",
            image_urls=["https://cdn.example.com/extra.jpg"],
        )
    )
    assert only(sim, "POST", "/avatar/edit").json["imageUrls"] == [
        "https://cdn.example.com/extra.jpg"
    ]


def test_asset_start_references(call, sim):
    job = call(
        lambda c: c.assets.start(
            "gpt-image-2",
            type="image",
            prompt="A product shot on marble",
            references=[{"url": "https://example.com/p.jpg"}, {"avatar_id": "avtr_abc123"}],
            generation_count=2,
        )
    )
    assert len(job.asset_ids) == 2
    assert only(sim, "POST", "/asset/start").json["references"] == [
        {"url": "https://example.com/p.jpg"},
        {"avatar_id": "avtr_abc123"},
    ]


def test_asset_start_max_credits_asks_for_a_quote_first(call, sim):
    job = call(
        lambda c: c.assets.start(
            "veo-3.1", type="video", prompt="A fox", duration=8, resolution="720p", max_credits=40
        )
    )
    assert job.asset_ids
    assert paths(sim) == [("POST", "/asset/pricing"), ("POST", "/asset/start")]
    assert sim.requests()[0].json == {"model": "veo-3.1", "duration": 8, "resolution": "720p"}


def test_asset_start_over_budget_sends_only_the_quote(call, sim):
    with pytest.raises(BudgetExceededError) as info:
        call(
            lambda c: c.assets.start(
                "veo-3.1",
                type="video",
                prompt="A fox",
                duration=8,
                resolution="1080p",
                generation_count=2,
                max_credits=100,
            )
        )
    assert info.value.estimate == pytest.approx(160) and info.value.max_credits == 100
    assert paths(sim) == [("POST", "/asset/pricing")]
    assert sim.hoox_credits_used == 0


def test_asset_failure_raises_job_failed(call, sim):
    job = call(lambda c: c.assets.start("z-image-turbo", type="image", prompt="SIMULATE_FAILURE"))
    with pytest.raises(reelkit.JobFailedError) as info:
        call(lambda c: c.assets.wait(job.asset_id))
    assert info.value.job_id == job.asset_id and info.value.status.is_failed


# -- /folder/* ------------------------------------------------------------------------


def test_folders_create_and_list(call, sim):
    folder = call(
        lambda c: c.folders.create(
            "Hero shots 2", type="assets", parent_folder_id="662f8c1d3a4b5e6f70123456"
        )
    )
    assert isinstance(folder, Folder) and folder.id and folder.type == "assets"
    assert folder.parent_folder_id == "662f8c1d3a4b5e6f70123456"
    assert only(sim, "POST", "/folder/create").json == {
        "name": "Hero shots 2",
        "type": "assets",
        "parent_folder_id": "662f8c1d3a4b5e6f70123456",
    }
    folders = call(lambda c: c.folders.list(type="assets"))
    assert folder.id in {f.id for f in folders}
    assert all(isinstance(f.created_at, dt.datetime) for f in folders)
    assert only(sim, "GET", "/folder/list").query == {"type": "assets"}
    everything = call(lambda c: c.folders.list())
    assert {f.type for f in everything} == {"assets", "videos"}


# -- max_credits within budget goes through ---------------------------------------------


def test_max_credits_within_budget_is_sent(call, sim):
    call(
        lambda c: c.generations.start(
            prompt="p", duration=60, voice_id="voice_en_us_female_1", max_credits=10
        )
    )
    call(
        lambda c: c.avatars.edit(
            "avtr_abc123", "look_123", prompt="smile", upscale=True, max_credits=3.5
        )
    )
    assert paths(sim) == [("POST", "/generation/start"), ("POST", "/avatar/edit")]
