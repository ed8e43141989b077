"""Hooked create endpoints against the Simulator, with the sync and the asyncio client:
the exact camelCase body each one sends, the answer it parses, every documented
constraint checked before sending (and then nothing is sent), and `extra_body`."""

from __future__ import annotations

import pytest

from reelkit import ValidationError
from reelkit.hooked import Audio, Caption, CreatedProject, Scene, Slide, SlideText
from reelkit.testing import Simulator
from test_hooked_api_support import MODES, api_requests, cassette_request_json, last_request, run

VOICE = "tzX5paJ07p5hyWFcU3uG"
AVATAR = "avt_sophia"
WEBHOOK = "https://example.com/hooked/webhook"


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def sim():
    with Simulator(job_seconds=0.5, credits=100_000) as simulator:
        yield simulator


@pytest.fixture
def fresh(sim):
    sim.clear_requests()
    return sim


# -- the documented examples, sent through snake_case keyword arguments -------------

# (method, keyword arguments, path, cassette holding the documented body)
DOCUMENTED = [
    (
        "create_talking_avatar",
        {
            "name": "Product teaser",
            "script": "Hey! I tried this app for a week and here's what happened.",
            "avatar_id": AVATAR,
            "voice_id": VOICE,
            "lipsync_model": "base",
            "music_id": "1",
            "caption": {"preset": "tiktok", "alignment": "bottom", "disabled": False},
            "audio": {
                "speed": 1,
                "stability": 0.5,
                "similarity_boost": 0.75,
                "style": 0,
                "use_speaker_boost": True,
            },
            "webhook": WEBHOOK,
            "metadata": {"campaign": "spring"},
        },
        "/v1/project/create/talking-avatar",
        "talking_avatar",
    ),
    (
        "create_script_to_video",
        {
            "script": "Five facts about the deep ocean you never knew.",
            "voice_id": VOICE,
            "media_type": "ai-images",
            "preset_settings": {"preset": "realistic", "quality": "pro"},
            "aspect_ratio": "ratio_9_16",
            "caption": {"preset": "beast", "alignment": "middle"},
            "language": "en",
            "add_stickers": True,
            "webhook": WEBHOOK,
        },
        "/v1/project/create/script-to-video",
        "script_to_video",
    ),
    (
        "create_prompt_to_video",
        {
            "prompt": "A 30 second explainer on how compound interest works",
            "voice_id": VOICE,
            "media_type": "ai-videos",
            "target_duration": 30,
            "aspect_ratio": "ratio_9_16",
            "language": "en",
        },
        "/v1/project/create/prompt-to-video",
        "prompt_to_video",
    ),
    (
        "create_ugc_ad",
        {
            "script": "I was skeptical at first, but this serum cleared my skin in two weeks.",
            "avatar_id": AVATAR,
            "voice_id": VOICE,
            "media": ["med_123", "med_456"],
            "lipsync_model": "pro",
            "ad_settings": {"b_roll_type": "rounded-cover", "remove_avatar_background": False},
            "aspect_ratio": "ratio_9_16",
            "language": "en",
        },
        "/v1/project/create/ugc-ads",
        "ugc_ads",
    ),
    (
        "create_hook_demo",
        {
            "avatar_id": AVATAR,
            "text": "POV: you finally found an app that plans your meals",
            "media": ["med_demo_1"],
            "text_settings": {
                "preset": "modern",
                "alignment": "middle",
                "text_color": "#FFFFFF",
                "background_color": "transparent",
                "disabled": False,
            },
            "aspect_ratio": "ratio_9_16",
        },
        "/v1/project/create/hook-demo",
        "hook_demo",
    ),
    (
        "create_product_ad",
        {
            "script": "Meet the fastest way to build landing pages.",
            "avatar_id": AVATAR,
            "voice_id": VOICE,
            "product_ad_settings": {
                "website_url": "https://example.com",
                "avatar_intro_seconds": 3,
                "scroll_interval": 3,
            },
        },
        "/v1/project/create/product-ads",
        "product_ads",
    ),
    (
        "create_scenes",
        {
            "name": "Launch video",
            "aspect_ratio": "ratio_9_16",
            "scenes": [
                {
                    "type": "avatar",
                    "script": "Big news today.",
                    "avatar_id": AVATAR,
                    "voice_id": VOICE,
                },
                {"type": "video", "media_id": "med_broll_1"},
                {
                    "type": "picture_in_picture",
                    "script": "Here's how it works.",
                    "avatar_id": AVATAR,
                    "voice_id": VOICE,
                    "media_id": "med_screen_1",
                },
                {
                    "type": "start_end_frame",
                    "start_frame_media_id": "med_img_a",
                    "end_frame_media_id": "med_img_b",
                    "frame_model": "veo_3_1",
                    "frame_prompt": "smooth camera push-in",
                    "frame_duration": 5,
                },
            ],
        },
        "/v1/project/create/scenes",
        "scenes",
    ),
    (
        "add_captions",
        {
            "media": "med_video_1",
            "caption": {"preset": "classic", "alignment": "bottom"},
            "language": "en",
            "add_stickers": False,
        },
        "/v1/project/create/add-captions",
        "add_captions",
    ),
    (
        "extend_video",
        {
            "media": "med_video_1",
            "prompt": "Continue the drone shot over the coastline at sunset",
            "target_duration": 8,
            "generate_audio": True,
        },
        "/v1/project/create/extend-video",
        "extend_video",
    ),
    (
        "remove_background",
        {
            "media": "med_video_1",
            "webhook": WEBHOOK,
            "metadata": {"jobId": "42"},
        },
        "/v1/project/create/remove-background",
        "remove_background",
    ),
    (
        "create_tiktok_slideshow",
        {
            "name": "5 productivity tips",
            "aspect_ratio": "ratio_9_16",
            "language": "en",
            "music_id": "2",
            "slides": [
                {
                    "media": "med_img_1",
                    "duration": 3,
                    "texts": [{"text": "Tip 1: Time-block your day", "x": 0, "y": 43.13}],
                },
                {
                    "media": "med_img_2",
                    "duration": 4,
                    "texts": [{"text": "Tip 2: Batch your email"}],
                },
            ],
        },
        "/v1/project/create/tiktok-slideshow",
        "tiktok_slideshow",
    ),
    (
        "create_from_template",
        {
            "template_id": "tpl_123",
            "title": "Weekly promo",
            "caption": True,
            "language": "en",
            "aspect_ratio": "ratio_9_16",
            "webhook": WEBHOOK,
            "scenes": [
                {
                    "script": "Hi {{name}}, check out {{product}}!",
                    "variables": [
                        {"key": "name", "value": "Alex", "type": "text"},
                        {"key": "product", "value": "Hooked", "type": "text"},
                    ],
                    "avatar": {
                        "id": AVATAR,
                        "top_left": {"x": 0, "y": 0},
                        "bottom_right": {"x": 1080, "y": 1920},
                    },
                    "voice_id": VOICE,
                }
            ],
        },
        "/v1/project/create",
        "project_create",
    ),
]


@pytest.mark.parametrize(
    ("method", "kwargs", "path", "example"), DOCUMENTED, ids=[d[0] for d in DOCUMENTED]
)
def test_create_sends_the_documented_body(fresh, mode, method, kwargs, path, example):
    project = run(mode, fresh, lambda c: getattr(c.projects, method)(**kwargs))

    sent = last_request(fresh)
    assert (sent.method, sent.path, sent.query) == ("POST", path, {})
    assert sent.json == cassette_request_json(example)
    assert sent.header("content-type") == "application/json"
    assert isinstance(project, CreatedProject)
    assert project.project_id and project.project_id.startswith("proj_")
    if method != "create_scenes":
        assert project.video_id and project.video_id.startswith("vid_")
        assert project.status in ("STARTED", "COMPLETED", "processing")
    assert len(api_requests(fresh)) == 1


def test_created_video_can_be_waited_for(fresh, mode, monkeypatch):
    monkeypatch.setenv("REELKIT_POLL_INTERVAL", "0.05")

    def scenario(client):
        if mode == "sync":
            project = client.projects.remove_background(media="med_video_1")
            return client.videos.wait(project.video_id, timeout=30)

        async def flow():
            project = await client.projects.remove_background(media="med_video_1")
            return await client.videos.wait(project.video_id, timeout=30)

        return flow()

    video = run(mode, fresh, scenario)
    assert video.is_complete and video.type == "remove_background" and video.url


def test_typed_options_and_dicts_send_the_same_body(fresh, mode):
    common = {"script": "Hello there", "avatar_id": AVATAR, "voice_id": VOICE}
    run(
        mode,
        fresh,
        lambda c: c.projects.create_talking_avatar(
            **common,
            caption=Caption(preset="neon", alignment="top"),
            audio=Audio(similarity_boost=0.9, use_speaker_boost=False),
        ),
    )
    typed = last_request(fresh).json
    run(
        mode,
        fresh,
        lambda c: c.projects.create_talking_avatar(
            **common,
            caption={"preset": "neon", "alignment": "top", "disabled": None},
            audio={"similarityBoost": 0.9, "use_speaker_boost": False},
        ),
    )
    assert (
        last_request(fresh).json
        == typed
        == {
            "script": "Hello there",
            "avatarId": AVATAR,
            "voiceId": VOICE,
            "caption": {"preset": "neon", "alignment": "top"},
            "audio": {"similarityBoost": 0.9, "useSpeakerBoost": False},
        }
    )


def test_slides_and_scenes_as_dataclasses(fresh, mode):
    run(
        mode,
        fresh,
        lambda c: c.projects.create_tiktok_slideshow(
            slides=[Slide("med_1", duration=2.5, texts=[SlideText("Hi", font_size=48, z_index=2)])],
            aspect_ratio="ratio_1_1",
            language="fr",
            script="Bonjour",
            voice_id=VOICE,
            avatar_id=AVATAR,
            lipsync_model="pro",
        ),
    )
    assert last_request(fresh).json == {
        "slides": [
            {
                "media": "med_1",
                "duration": 2.5,
                "texts": [{"text": "Hi", "fontSize": 48, "zIndex": 2}],
            }
        ],
        "script": "Bonjour",
        "voiceId": VOICE,
        "avatarId": AVATAR,
        "lipsyncModel": "pro",
        "aspectRatio": "ratio_1_1",
        "language": "fr",
    }
    run(
        mode,
        fresh,
        lambda c: c.projects.create_scenes(
            scenes=[Scene("video", media_id="med_b")], music_id="3", add_stickers=True
        ),
    )
    assert last_request(fresh).json == {
        "scenes": [{"type": "video", "mediaId": "med_b"}],
        "musicId": "3",
        "addStickers": True,
    }


def test_http_webhook_only_to_loopback(fresh, mode):
    # Hooked wants HTTPS; http to a loopback receiver is allowed for local tests.
    run(
        mode,
        fresh,
        lambda c: c.projects.remove_background(media="m", webhook="http://127.0.0.1:9/hook"),
    )
    assert last_request(fresh).json["webhook"] == "http://127.0.0.1:9/hook"
    with pytest.raises(ValidationError, match="https"):
        run(
            mode,
            fresh,
            lambda c: c.projects.remove_background(
                media="m", webhook="http://hooks.example.com/hook"
            ),
        )


def test_metadata_is_sent_verbatim(fresh, mode):
    metadata = {"user_id": 7, "nested_key": {"snake_case": True}}
    run(mode, fresh, lambda c: c.projects.add_captions(media="med_v", metadata=metadata))
    assert last_request(fresh).json == {"media": "med_v", "metadata": metadata}


def test_media_type_media_and_gameplay(fresh, mode):
    run(
        mode,
        fresh,
        lambda c: c.projects.create_script_to_video(
            script="s", voice_id=VOICE, media_type="media", media=["m1", "m2"]
        ),
    )
    assert last_request(fresh).json == {
        "script": "s",
        "voiceId": VOICE,
        "mediaType": "media",
        "media": ["m1", "m2"],
    }
    run(
        mode,
        fresh,
        lambda c: c.projects.create_prompt_to_video(
            prompt="p",
            voice_id=VOICE,
            media_type="gameplay",
            gameplay_settings={"game_type": "minecraft"},
        ),
    )
    assert last_request(fresh).json == {
        "prompt": "p",
        "voiceId": VOICE,
        "mediaType": "gameplay",
        "gameplaySettings": {"gameType": "minecraft"},
    }


# -- extra_body: the escape hatch for fields the docs do not list ------------------


def test_extra_body_adds_and_overrides_fields(fresh, mode):
    # The official MCP server sends `captionStyle` (§9): not in the docs, so not a
    # parameter, but reachable through extra_body.
    run(
        mode,
        fresh,
        lambda c: c.projects.create_script_to_video(
            script="s",
            voice_id=VOICE,
            media_type="ai-images",
            language="en",
            extra_body={"captionStyle": "karaoke", "language": "es"},
        ),
    )
    assert last_request(fresh).json == {
        "script": "s",
        "voiceId": VOICE,
        "mediaType": "ai-images",
        "language": "es",
        "captionStyle": "karaoke",
    }


def test_extra_headers_and_query_reach_the_server(fresh, mode):
    run(
        mode,
        fresh,
        lambda c: c.projects.remove_background(
            media="m", extra_headers={"X-Trace": "t1"}, extra_query={"dryRun": "1"}
        ),
    )
    sent = last_request(fresh)
    assert sent.header("x-trace") == "t1" and sent.query == {"dryRun": "1"}


def test_server_validation_errors_keep_the_zod_message(fresh, mode):
    import reelkit

    def scenario(client):
        return client.projects.extend_video(media="m", prompt="p", extra_body={"targetDuration": 6})

    with pytest.raises(reelkit.BadRequestError) as caught:
        run(mode, fresh, scenario, max_retries=0)
    assert "targetDuration" in str(caught.value)


# -- validation: every documented constraint, before anything is sent --------------

TA = {"script": "Hello", "avatar_id": AVATAR, "voice_id": VOICE}
UGC = {"script": "Hello", "avatar_id": AVATAR, "voice_id": VOICE, "media": ["m1"]}
S2V = {"script": "Hello", "voice_id": VOICE, "media_type": "ai-images"}
P2V = {"prompt": "Hello", "voice_id": VOICE, "media_type": "ai-images"}
HD = {"avatar_id": AVATAR, "text": "Hook"}
PA = {"script": "Hello", "product_ad_settings": {"website_url": "https://example.com"}}
EV = {"media": "m", "prompt": "Go on"}
SS = {"slides": [{"media": "m"}], "aspect_ratio": "ratio_9_16", "language": "en"}
TPL = {
    "template_id": "tpl_123",
    "title": "T",
    "caption": True,
    "language": "en",
    "scenes": [{"script": "Hi"}],
}


def _with(base, **changes):
    return {**base, **changes}


def _scene(**fields):
    return {"scenes": [fields]}


def _tpl_scene(**fields):
    return _with(TPL, scenes=[{"script": "Hi", **fields}])


INVALID = [
    # shared options (§4)
    ("create_talking_avatar", _with(TA, script=""), "script"),
    ("create_talking_avatar", _with(TA, script="x" * 10_001), "script"),
    ("create_talking_avatar", _with(TA, avatar_id=None), "avatarId"),
    ("create_talking_avatar", _with(TA, voice_id="  "), "voiceId"),
    ("create_talking_avatar", _with(TA, name="n" * 101), "name"),
    ("create_talking_avatar", _with(TA, lipsync_model="ultra"), "lipsyncModel"),
    ("create_talking_avatar", _with(TA, aspect_ratio="9:16"), "aspectRatio"),
    ("create_talking_avatar", _with(TA, language="eng"), "language"),
    ("create_talking_avatar", _with(TA, music_id="m" * 31), "musicId"),
    ("create_talking_avatar", _with(TA, caption={"preset": "karaoke"}), "caption.preset"),
    ("create_talking_avatar", _with(TA, caption=Caption(alignment="left")), "caption.alignment"),
    ("create_talking_avatar", _with(TA, caption={"disabled": "no"}), "caption.disabled"),
    ("create_talking_avatar", _with(TA, caption="tiktok"), "caption"),
    ("create_talking_avatar", _with(TA, audio={"speed": "fast"}), "audio.speed"),
    ("create_talking_avatar", _with(TA, audio={"use_speaker_boost": 1}), "audio.useSpeakerBoost"),
    ("create_talking_avatar", _with(TA, webhook="http://example.com/hook"), "webhook"),
    ("create_talking_avatar", _with(TA, webhook="https://e.com/" + "a" * 500), "webhook"),
    ("create_talking_avatar", _with(TA, webhook="not a url"), "webhook"),
    ("create_talking_avatar", _with(TA, metadata={"blob": "x" * 5200}), "metadata"),
    ("create_talking_avatar", _with(TA, metadata=["not", "a", "dict"]), "metadata"),
    # ugc-ads
    ("create_ugc_ad", _with(UGC, media=[]), "media"),
    ("create_ugc_ad", _with(UGC, media=[f"m{i}" for i in range(51)]), "media"),
    ("create_ugc_ad", _with(UGC, media=["m1", ""]), "media.1"),
    ("create_ugc_ad", _with(UGC, media="m1"), "media"),
    (
        "create_ugc_ad",
        _with(UGC, ad_settings={"remove_avatar_background": "yes"}),
        "adSettings.removeAvatarBackground",
    ),
    # script-to-video / prompt-to-video
    ("create_script_to_video", _with(S2V, media_type="stock"), "mediaType"),
    ("create_script_to_video", _with(S2V, media_type=None), "mediaType"),
    ("create_script_to_video", _with(S2V, media_type="media"), "media"),
    ("create_script_to_video", _with(S2V, media_type="gameplay"), "gameplaySettings"),
    ("create_script_to_video", _with(S2V, add_stickers="yes"), "addStickers"),
    ("create_prompt_to_video", _with(P2V, prompt="p" * 4001), "prompt"),
    ("create_prompt_to_video", _with(P2V, target_duration=9), "targetDuration"),
    ("create_prompt_to_video", _with(P2V, target_duration=121), "targetDuration"),
    ("create_prompt_to_video", _with(P2V, target_duration=30.5), "targetDuration"),
    ("create_prompt_to_video", _with(P2V, media_type="media", media=None), "media"),
    # hook-demo
    ("create_hook_demo", _with(HD, text="t" * 5001), "text"),
    ("create_hook_demo", _with(HD, avatar_id=""), "avatarId"),
    ("create_hook_demo", _with(HD, text_settings={"disabled": "no"}), "textSettings.disabled"),
    # product-ads
    ("create_product_ad", _with(PA, product_ad_settings=None), "productAdSettings"),
    ("create_product_ad", _with(PA, product_ad_settings={}), "productAdSettings.websiteUrl"),
    (
        "create_product_ad",
        _with(PA, product_ad_settings={"website_url": "http://example.com"}),
        "productAdSettings.websiteUrl",
    ),
    (
        "create_product_ad",
        _with(PA, product_ad_settings={"websiteUrl": "https://e.com/" + "a" * 500}),
        "productAdSettings.websiteUrl",
    ),
    (
        "create_product_ad",
        _with(PA, product_ad_settings={"website_url": "https://e.com", "avatar_intro_seconds": 31}),
        "productAdSettings.avatarIntroSeconds",
    ),
    (
        "create_product_ad",
        _with(PA, product_ad_settings={"website_url": "https://e.com", "avatar_intro_seconds": 0}),
        "productAdSettings.avatarIntroSeconds",
    ),
    # scenes
    ("create_scenes", {"scenes": []}, "scenes"),
    ("create_scenes", {"scenes": [{"type": "video", "media_id": "m"}] * 51}, "scenes"),
    ("create_scenes", _scene(type="hologram"), "scenes.0.type"),
    ("create_scenes", _scene(script="Hi"), "scenes.0.type"),
    ("create_scenes", _scene(type="avatar", script="Hi", voice_id=VOICE), "scenes.0.avatarId"),
    ("create_scenes", _scene(type="avatar", avatar_id=AVATAR, voice_id=VOICE), "scenes.0.script"),
    ("create_scenes", _scene(type="avatar", script="Hi", avatar_id=AVATAR), "scenes.0.voiceId"),
    (
        "create_scenes",
        _scene(type="avatar", script="x" * 5001, avatar_id=AVATAR, voice_id=VOICE),
        "scenes.0.script",
    ),
    ("create_scenes", _scene(type="video"), "scenes.0.mediaId"),
    (
        "create_scenes",
        _scene(type="picture_in_picture", script="Hi", avatar_id=AVATAR, voice_id=VOICE),
        "scenes.0.mediaId",
    ),
    (
        "create_scenes",
        _scene(type="start_end_frame", start_frame_media_id="a", frame_prompt="p"),
        "scenes.0.endFrameMediaId",
    ),
    ("create_scenes", {"scenes": [{"type": "video", "mediaId": "m"}, "video"]}, "scenes.1"),
    # add-captions / extend-video / remove-background
    ("add_captions", {"media": None}, "media"),
    ("add_captions", {"media": "m", "language": "english"}, "language"),
    ("extend_video", _with(EV, prompt="p" * 2001), "prompt"),
    ("extend_video", _with(EV, prompt=""), "prompt"),
    ("extend_video", _with(EV, target_duration=6), "targetDuration"),
    ("extend_video", _with(EV, target_duration=0), "targetDuration"),
    ("extend_video", _with(EV, target_duration=64), "targetDuration"),
    ("extend_video", _with(EV, generate_audio="yes"), "generateAudio"),
    ("remove_background", {"media": ""}, "media"),
    # tiktok-slideshow
    ("create_tiktok_slideshow", _with(SS, slides=[]), "slides"),
    ("create_tiktok_slideshow", _with(SS, slides=[{"media": "m"}] * 51), "slides"),
    (
        "create_tiktok_slideshow",
        _with(SS, slides=[{"media": "m", "duration": 0}]),
        "slides.0.duration",
    ),
    (
        "create_tiktok_slideshow",
        _with(SS, slides=[{"media": "m"}, Slide("m", duration=11)]),
        "slides.1.duration",
    ),
    ("create_tiktok_slideshow", _with(SS, slides=[{"duration": 3}]), "slides.0.media"),
    (
        "create_tiktok_slideshow",
        _with(SS, slides=[{"media": "m", "texts": [{"text": "t"}] * 11}]),
        "slides.0.texts",
    ),
    (
        "create_tiktok_slideshow",
        _with(SS, slides=[{"media": "m", "texts": [{"text": ""}]}]),
        "slides.0.texts.0.text",
    ),
    (
        "create_tiktok_slideshow",
        _with(SS, slides=[Slide("m", texts=[SlideText("t" * 501)])]),
        "slides.0.texts.0.text",
    ),
    ("create_tiktok_slideshow", _with(SS, aspect_ratio=None), "aspectRatio"),
    ("create_tiktok_slideshow", _with(SS, language=None), "language"),
    ("create_tiktok_slideshow", _with(SS, script="Narrate this"), "voiceId"),
    ("create_tiktok_slideshow", _with(SS, voice_id="v" * 31), "voiceId"),
    ("create_tiktok_slideshow", _with(SS, avatar_id="a" * 31), "avatarId"),
    ("create_tiktok_slideshow", _with(SS, name=""), "name"),
    # template generate
    ("create_from_template", _with(TPL, template_id="t" * 21), "templateId"),
    ("create_from_template", _with(TPL, title=""), "title"),
    ("create_from_template", _with(TPL, title="t" * 101), "title"),
    ("create_from_template", _with(TPL, caption=None), "caption"),
    ("create_from_template", _with(TPL, caption="yes"), "caption"),
    ("create_from_template", _with(TPL, language="e"), "language"),
    ("create_from_template", _with(TPL, scenes=[]), "scenes"),
    ("create_from_template", _with(TPL, scenes=[{"script": "Hi"}] * 21), "scenes"),
    ("create_from_template", _with(TPL, scenes=[{"script": ""}]), "scenes.0.script"),
    (
        "create_from_template",
        _tpl_scene(variables=[{"key": "k", "value": "v"}] * 21),
        "scenes.0.variables",
    ),
    (
        "create_from_template",
        _tpl_scene(variables=[{"key": "k", "value": "v", "type": "video"}]),
        "scenes.0.variables.0.type",
    ),
    (
        "create_from_template",
        _tpl_scene(variables=[{"key": "", "value": "v"}]),
        "scenes.0.variables.0.key",
    ),
    (
        "create_from_template",
        _tpl_scene(variables=[{"key": "k", "value": "v" * 2001}]),
        "scenes.0.variables.0.value",
    ),
    (
        "create_from_template",
        _tpl_scene(avatar={"top_left": {"x": 0, "y": 0}}),
        "scenes.0.avatar.id",
    ),
    (
        "create_from_template",
        _tpl_scene(avatar={"id": "a", "top_left": {"x": 0}}),
        "scenes.0.avatar.topLeft.y",
    ),
    ("create_from_template", _tpl_scene(voice_id="v" * 21), "scenes.0.voiceId"),
]


@pytest.mark.parametrize(
    ("method", "kwargs", "field"),
    INVALID,
    ids=[f"{m}-{f}-{i}" for i, (m, _, f) in enumerate(INVALID)],
)
def test_invalid_input_is_refused_before_sending(fresh, mode, method, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        run(mode, fresh, lambda c: getattr(c.projects, method)(**kwargs))
    assert caught.value.field == field, str(caught.value)
    assert str(caught.value).startswith(f"{field}: ")
    assert api_requests(fresh) == []


def test_validation_error_is_a_value_error():
    assert issubclass(ValidationError, ValueError)


def test_webhook_reaches_a_local_receiver_with_metadata(sim, mode):
    import http.server
    import queue
    import threading

    from reelkit.hooked import parse_webhook

    received: queue.Queue[bytes] = queue.Queue()

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # the name http.server dispatches to
            received.put(self.rfile.read(int(self.headers["content-length"])))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/hooked"
        project = run(
            mode,
            sim,
            lambda c: c.projects.add_captions(
                media="med_v", webhook=url, metadata={"order_id": "A-17"}
            ),
        )
        event = parse_webhook(received.get(timeout=20))
    finally:
        server.shutdown()
        server.server_close()
    assert event.event == "project.completed" and event.is_complete
    assert event.project_id == project.project_id
    assert event.metadata == {"order_id": "A-17"}
