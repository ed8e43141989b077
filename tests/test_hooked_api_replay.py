"""Every Hooked endpoint against a cassette of its documented example
(tests/cassettes/hooked/api_*.json, built from api/hooked.md §10), with the sync and
the asyncio client. Replay is strict: the request body must equal the documented one
structurally, so these tests pin the wire format."""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone

import pytest

import reelkit
from reelkit.hooked import (
    AdSettings,
    Audio,
    Caption,
    CreatedProject,
    PlatformData,
    Point,
    PresetSettings,
    ProductAdSettings,
    Scene,
    Slide,
    SlideText,
    TemplateAvatar,
    TemplateScene,
    TemplateVariable,
    TextSettings,
)
from reelkit.testing import Simulator
from replay_coverage import NotingReplay, replayed_by
from test_hooked_api_support import (
    CASSETTES,
    MODES,
    cassette,
    cassette_request_json,
    collect,
    replay,
    run,
)

WEBHOOK = "https://example.com/hooked/webhook"
VOICE = "tzX5paJ07p5hyWFcU3uG"

os.environ.setdefault("REELKIT_POLL_INTERVAL", "0")


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


def replayed(name: str, mode: str, scenario, **options):
    with replay(name) as server:
        return run(mode, server, scenario, **options)


def assert_created(project: CreatedProject, video_id: str | None, status: str | None = "STARTED"):
    assert isinstance(project, CreatedProject)
    assert project.video_id == video_id
    assert project.project_id == "proj_abc123"
    assert project.status == status


# -- videos ------------------------------------------------------------------------


def test_video_get(mode):
    video = replayed("video_get", mode, lambda c: c.videos.get("vid_8f2c1a"))
    assert video.id == "vid_8f2c1a" and video.type == "script_to_video"
    assert video.is_complete and video.duration_in_frames == 1125 and video.used_credits == 5
    assert video.created_at == datetime(2024, 1, 15, 10, 30, tzinfo=timezone.utc)
    assert video.video_settings["caption"]["preset"] == "tiktok"


def test_video_list(mode):
    page = replayed(
        "video_list", mode, lambda c: c.videos.list(status="completed", limit=2, offset=0)
    )
    assert type(page).__name__ == "VideoPage"
    assert (page.total, page.limit, page.offset) == (37, 2, 0)
    assert [v.id for v in page.videos] == ["vid_8f2c1a"] == [v.id for v in page]
    assert page.videos[0].size == 10485760 and page.has_more


def test_video_iter_walks_every_page(mode):
    with replay("video_iter") as server:
        videos = collect(mode, server, lambda c: c.videos.iter(type="ugc_ads", limit=2))
    assert [v.name for v in videos] == ["One", "Two", "Three", "Four", "Five"]


def test_video_wait(mode):
    seen = []
    video = replayed(
        "video_wait",
        mode,
        lambda c: c.videos.wait("vid_8f2c1a", poll_interval=0, on_progress=seen.append),
    )
    assert video.is_complete and video.url.startswith("https://cdn.hooked.so/")
    assert seen and seen[0].progress == 40


def test_video_download(mode, tmp_path):
    target = tmp_path / f"{mode}.mp4"
    path = replayed("video_download", mode, lambda c: c.videos.download("vid_8f2c1a", target))
    assert path == target and target.stat().st_size == 4096


# -- catalogue ---------------------------------------------------------------------


def test_avatar_list(mode):
    avatars = replayed("avatar_list", mode, lambda c: c.avatars.list(type="library"))
    assert [a.id for a in avatars] == ["avt_sophia"]
    assert avatars[0].is_hd is True and avatars[0].is_pro is False


def test_voice_list_keeps_unknown_fields(mode):
    voices = replayed("voice_list", mode, lambda c: c.voices.list())
    assert voices[0].id == VOICE and voices[0].preview_url.endswith(".mp3")
    assert voices[0].raw["category"] == "premade"


def test_music_list_accepts_a_bare_list(mode):
    tracks = replayed("music_list", mode, lambda c: c.music.list())
    assert [t.id for t in tracks] == ["1", "2"]
    assert tracks[0].genre == "pop" and tracks[0].raw["bpm"] == 118


def test_template_list_and_get(mode):
    templates = replayed("template_list", mode, lambda c: c.templates.list())
    assert templates[0].id == "tpl_123" and templates[0].is_template
    template = replayed("template_get", mode, lambda c: c.templates.get("tpl_123"))
    assert template.scenes[0]["voiceId"] == VOICE
    assert template.created_at == datetime(2024, 1, 10, 9, tzinfo=timezone.utc)


# (moved from test_hooked_api_lists.py: a replay of a documented example)
def test_trend_iter_without_total_stops_on_a_short_page(mode):
    with replay("trends_no_total") as server:
        videos = collect(mode, server, lambda c: c.trends.iter_videos(limit=2))
    assert [v.id for v in videos] == ["trend_001", "trend_002", "trend_003"]


def test_niche_list(mode):
    niches = replayed("niche_list", mode, lambda c: c.niches.list())
    assert [(n.id, n.name) for n in niches] == [
        ("fitness", "Fitness"),
        ("finance", "Personal Finance"),
    ]


def test_trends_videos_and_iter(mode):
    with replay("trends_videos") as server:
        page = run(
            mode, server, lambda c: c.trends.videos(platform="tiktok", niche="fitness", limit=2)
        )
        assert type(page).__name__ == "TrendPage" and page.total == 3
        assert page.videos[0].external_id == "73000000001" and page.videos[0].viral_score == 80
        every = collect(
            mode,
            server,
            lambda c: c.trends.iter_videos(platform="tiktok", niche="fitness", limit=2),
        )
    assert [v.id for v in every] == ["trend_001", "trend_002", "trend_003"]


# -- projects: the documented examples, as dicts and as typed options ---------------


def test_create_talking_avatar(mode):
    project = replayed(
        "talking_avatar",
        mode,
        lambda c: c.projects.create_talking_avatar(
            name="Product teaser",
            script="Hey! I tried this app for a week and here's what happened.",
            avatar_id="avt_sophia",
            voice_id=VOICE,
            lipsync_model="base",
            music_id="1",
            caption=Caption(preset="tiktok", alignment="bottom", disabled=False),
            audio=Audio(
                speed=1, stability=0.5, similarity_boost=0.75, style=0, use_speaker_boost=True
            ),
            webhook=WEBHOOK,
            metadata={"campaign": "spring"},
        ),
    )
    assert_created(project, "vid_talking_avatar_123")


def test_create_script_to_video(mode):
    project = replayed(
        "script_to_video",
        mode,
        lambda c: c.projects.create_script_to_video(
            script="Five facts about the deep ocean you never knew.",
            voice_id=VOICE,
            media_type="ai-images",
            preset_settings={"preset": "realistic", "quality": "pro"},
            aspect_ratio="ratio_9_16",
            caption={"preset": "beast", "alignment": "middle"},
            language="en",
            add_stickers=True,
            webhook=WEBHOOK,
        ),
    )
    assert_created(project, "vid_s2v_123")


def test_create_prompt_to_video(mode):
    project = replayed(
        "prompt_to_video",
        mode,
        lambda c: c.projects.create_prompt_to_video(
            prompt="A 30 second explainer on how compound interest works",
            voice_id=VOICE,
            media_type="ai-videos",
            target_duration=30,
            aspect_ratio="ratio_9_16",
            language="en",
        ),
    )
    assert_created(project, "vid_p2v_123")


def test_create_ugc_ad(mode):
    project = replayed(
        "ugc_ads",
        mode,
        lambda c: c.projects.create_ugc_ad(
            script="I was skeptical at first, but this serum cleared my skin in two weeks.",
            avatar_id="avt_sophia",
            voice_id=VOICE,
            media=["med_123", "med_456"],
            lipsync_model="pro",
            ad_settings=AdSettings(b_roll_type="rounded-cover", remove_avatar_background=False),
            aspect_ratio="ratio_9_16",
            language="en",
        ),
    )
    assert_created(project, "vid_ugc_123")


def test_create_hook_demo_may_complete_at_once(mode):
    project = replayed(
        "hook_demo",
        mode,
        lambda c: c.projects.create_hook_demo(
            avatar_id="avt_sophia",
            text="POV: you finally found an app that plans your meals",
            media=["med_demo_1"],
            text_settings=TextSettings(
                preset="modern",
                alignment="middle",
                text_color="#FFFFFF",
                background_color="transparent",
                disabled=False,
            ),
            aspect_ratio="ratio_9_16",
        ),
    )
    assert_created(project, "vid_hook_123", status="COMPLETED")
    assert project.is_complete


def test_create_product_ad(mode):
    project = replayed(
        "product_ads",
        mode,
        lambda c: c.projects.create_product_ad(
            script="Meet the fastest way to build landing pages.",
            avatar_id="avt_sophia",
            voice_id=VOICE,
            product_ad_settings=ProductAdSettings(
                website_url="https://example.com", avatar_intro_seconds=3, scroll_interval=3
            ),
        ),
    )
    assert_created(project, "vid_pa_123")


def test_create_scenes_returns_only_a_project_id(mode):
    project = replayed(
        "scenes",
        mode,
        lambda c: c.projects.create_scenes(
            name="Launch video",
            aspect_ratio="ratio_9_16",
            scenes=[
                Scene("avatar", script="Big news today.", avatar_id="avt_sophia", voice_id=VOICE),
                {"type": "video", "media_id": "med_broll_1"},
                {
                    "type": "picture_in_picture",
                    "script": "Here's how it works.",
                    "avatarId": "avt_sophia",
                    "voiceId": VOICE,
                    "mediaId": "med_screen_1",
                },
                Scene(
                    "start_end_frame",
                    start_frame_media_id="med_img_a",
                    end_frame_media_id="med_img_b",
                    frame_model="veo_3_1",
                    frame_prompt="smooth camera push-in",
                    frame_duration=5,
                ),
            ],
        ),
    )
    assert_created(project, None, status=None)
    assert project.message == "Scenes project successfully created"


def test_add_captions(mode):
    project = replayed(
        "add_captions",
        mode,
        lambda c: c.projects.add_captions(
            media="med_video_1",
            caption={"preset": "classic", "alignment": "bottom"},
            language="en",
            add_stickers=False,
        ),
    )
    assert_created(project, "vid_cap_123")


def test_extend_video(mode):
    project = replayed(
        "extend_video",
        mode,
        lambda c: c.projects.extend_video(
            media="med_video_1",
            prompt="Continue the drone shot over the coastline at sunset",
            target_duration=8,
            generate_audio=True,
        ),
    )
    assert_created(project, "vid_ext_123")


def test_remove_background(mode):
    project = replayed(
        "remove_background",
        mode,
        lambda c: c.projects.remove_background(
            media="med_video_1",
            webhook=WEBHOOK,
            metadata={"jobId": "42"},
        ),
    )
    assert_created(project, "vid_rb_123")


def test_tiktok_slideshow_and_the_servers_own_validation_error(mode):
    slides = [
        Slide(
            "med_img_1", duration=3, texts=[SlideText("Tip 1: Time-block your day", x=0, y=43.13)]
        ),
        {"media": "med_img_2", "duration": 4, "texts": [{"text": "Tip 2: Batch your email"}]},
    ]
    options = {
        "name": "5 productivity tips",
        "aspect_ratio": "ratio_9_16",
        "language": "en",
        "slides": slides,
        "music_id": "2",
    }
    bad_body = cassette_request_json("tiktok_slideshow", 1)

    def scenario(client):
        if mode == "sync":
            project = client.projects.create_tiktok_slideshow(**options)
            with pytest.raises(reelkit.BadRequestError) as caught:
                # extra_body replaces `slides` after the client's checks: the server's
                # Zod message comes back as a BadRequestError.
                client.projects.create_tiktok_slideshow(
                    **options, extra_body={"slides": bad_body["slides"]}
                )
            return project, caught.value

        async def both():
            project = await client.projects.create_tiktok_slideshow(**options)
            with pytest.raises(reelkit.BadRequestError) as caught:
                await client.projects.create_tiktok_slideshow(
                    **options, extra_body={"slides": bad_body["slides"]}
                )
            return project, caught.value

        return both()

    project, error = replayed("tiktok_slideshow", mode, scenario, max_retries=0)
    assert_created(project, "vid_ss_123")
    assert error.status_code == 400
    assert "slides.0.duration: Number must be between 1 and 10" in str(error)


def test_create_from_template(mode):
    project = replayed(
        "project_create",
        mode,
        lambda c: c.projects.create_from_template(
            template_id="tpl_123",
            title="Weekly promo",
            caption=True,
            language="en",
            aspect_ratio="ratio_9_16",
            webhook=WEBHOOK,
            scenes=[
                TemplateScene(
                    script="Hi {{name}}, check out {{product}}!",
                    variables=[
                        TemplateVariable("name", "Alex", type="text"),
                        {"key": "product", "value": "Hooked", "type": "text"},
                    ],
                    avatar=TemplateAvatar(
                        "avt_sophia", top_left=Point(0, 0), bottom_right={"x": 1080, "y": 1920}
                    ),
                    voice_id=VOICE,
                )
            ],
        ),
    )
    assert_created(project, None, status="processing")
    assert project.is_pending


# -- schedules and integrations ----------------------------------------------------

PLATFORM_DATA = PlatformData(
    title="3-step morning routine",
    description="Try this tomorrow!",
    tags=["morning", "routine"],
    privacy_status="public",
    made_for_kids=False,
)


def test_schedule_create(mode):
    when = datetime(2099, 3, 20, 15, tzinfo=timezone.utc)
    post = replayed(
        "schedule_create",
        mode,
        lambda c: c.schedules.create(
            "vid_8f2c1a", "int_yt_abc123", when, platform_data=PLATFORM_DATA
        ),
    )
    assert post.schedule_id == post.id == "post_abc123"
    assert post.status == "pending" and post.platform == "youtube" and post.video_id == "vid_8f2c1a"
    assert post.scheduled_date_time == when


def test_schedule_list_and_iter(mode):
    with replay("schedule_list") as server:
        page = run(mode, server, lambda c: c.schedules.list(platform="youtube"))
        posts = collect(mode, server, lambda c: c.schedules.iter(limit=1))
    assert type(page).__name__ == "SchedulePage" and page.total == 2
    assert [p.id for p in page.scheduled_posts] == ["post_abc123", "post_def456"]
    assert page.scheduled_posts[0].integration.account.username == "mychannel"
    assert page.scheduled_posts[0].video.duration_in_seconds == 45
    assert [p.id for p in posts] == ["post_abc123", "post_def456"]


def test_schedule_get(mode):
    post = replayed("schedule_get", mode, lambda c: c.schedules.get("post_abc123"))
    assert post.status == "published" and post.is_complete
    assert post.published_url == "https://www.youtube.com/watch?v=abc123XYZ"
    assert post.video_id == "vid_8f2c1a" and post.platform_data["tags"] == ["morning", "routine"]


def test_schedule_update(mode):
    post = replayed(
        "schedule_update",
        mode,
        lambda c: c.schedules.update(
            "post_abc123",
            scheduled_date_time="2099-03-21T16:00:00+01:00",
            platform_data={"title": "New title"},
        ),
    )
    assert post.schedule_id == "post_abc123"
    assert post.scheduled_date_time == datetime(2099, 3, 21, 15, tzinfo=timezone.utc)
    assert post.platform_data["title"] == "New title"


def test_schedule_delete_and_refusal(mode):
    def scenario(client):
        if mode == "sync":
            deleted = client.schedules.delete("post_abc123")
            with pytest.raises(reelkit.BadRequestError, match="Cannot delete a published post"):
                client.schedules.delete("post_published")
            return deleted

        async def both():
            deleted = await client.schedules.delete("post_abc123")
            with pytest.raises(reelkit.BadRequestError, match="Cannot delete a published post"):
                await client.schedules.delete("post_published")
            return deleted

        return both()

    deleted = replayed("schedule_delete", mode, scenario, max_retries=0)
    assert deleted.id == "post_abc123" and deleted.deleted is True


def test_integration_get(mode):
    integration = replayed("integration_get", mode, lambda c: c.integrations.get("int_yt_abc123"))
    assert integration.type == "youtube" and integration.account.name == "My YouTube Channel"
    assert integration.health.token_valid and integration.is_healthy
    assert integration.health.last_checked == datetime(2024, 3, 15, 10, tzinfo=timezone.utc)


def test_integration_list_flags_the_expired_one(mode):
    integrations = replayed("integration_list", mode, lambda c: c.integrations.list())
    assert [(i.id, i.is_healthy) for i in integrations] == [
        ("int_yt_abc123", True),
        ("int_tt_expired", False),
    ]
    assert integrations[1].health.status == "expired"


def test_typed_options_send_the_documented_bodies():
    # What the SDK puts on the wire, seen by a server: §10's camelCase bodies,
    # nothing added (`type: "class"` for templates, no `videoId` for scenes).
    with Simulator(rate_limit_per_minute=0) as sim:
        client = reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url)
        avatar, voice = client.avatars.list()[0].id, client.voices.list()[0].id
        client.projects.create_ugc_ad(
            script="It works.",
            avatar_id=avatar,
            voice_id=voice,
            media=["med_1"],
            ad_settings=AdSettings(b_roll_type="rounded-cover", remove_avatar_background=False),
        )
        client.projects.create_from_template(
            template_id="tpl_123",
            title="Promo",
            caption=True,
            language="en",
            scenes=[TemplateScene(script="Hi.", voice_id=voice)],
        )
        client.projects.create_scenes(scenes=[Scene("video", media_id="med_1")])
        sent = {r.path: r.json for r in sim.requests() if r.method == "POST"}
    assert sent["/v1/project/create/ugc-ads"]["adSettings"] == {
        "bRollType": "rounded-cover",
        "removeAvatarBackground": False,
    }
    assert sent["/v1/project/create"]["type"] == "class"
    assert sent["/v1/project/create/scenes"] == {"scenes": [{"type": "video", "mediaId": "med_1"}]}
    assert PresetSettings(preset="realistic").quality is None


def test_social_search_create_and_iter(mode):
    with replay("social_search") as server:
        search = run(
            mode, server, lambda c: c.social_search.create("skincare routine", "tiktok", limit=20)
        )
        videos = collect(
            mode, server, lambda c: c.social_search.iter_videos("search_abc123", limit=2)
        )
    assert (search.id, search.videos_found, search.keywords_status) == (
        "search_abc123",
        3,
        "pending",
    )
    assert search.analytics["engagementRate"] == 7.96 and search.raw["videosFound"] == 3
    assert [v.id for v in videos] == ["sv_1", "sv_2", "sv_3"]
    assert videos[0].creator["username"] == "user1" and videos[0].stats["views"] == 120000


@pytest.fixture(scope="module")
def replayed_here(tmp_path_factory) -> set[str]:
    """The cassettes this module's tests replay to the end (sync client)."""
    module = sys.modules[__name__]

    def patch(served):
        module.replay = lambda name: NotingReplay(cassette(name), served)
        return lambda: setattr(module, "replay", replay)

    arguments = {
        "mode": lambda _: "sync",
        "tmp_path": lambda test: tmp_path_factory.mktemp(test),
    }
    return replayed_by(module, test_every_documented_example_is_replayed, arguments, patch)


@pytest.mark.parametrize(
    "name", sorted(p.stem.removeprefix("api_") for p in CASSETTES.glob("api_*.json"))
)
def test_every_documented_example_is_replayed(name, replayed_here):
    # Every documented example on disk is served, request for request, by a test here.
    assert name in replayed_here, f"api_{name}.json: no test here replays it to the end"
