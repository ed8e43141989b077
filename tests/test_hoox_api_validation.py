"""Client-side validation of every Hoox endpoint: each documented rule raises
`reelkit.ValidationError` naming the field, and nothing reaches the (simulated) API.
Run on the sync and the asyncio client alike."""

from __future__ import annotations

import asyncio

import pytest

import reelkit
from reelkit import BudgetExceededError, ValidationError
from reelkit.testing import Simulator

URL = "https://example.com/a.jpg"
LONG_PROMPT = "x" * 10_001


@pytest.fixture(scope="module")
def sim():
    with Simulator(job_seconds=0.05, rate_limit_per_minute=0) as simulator:
        yield simulator


@pytest.fixture(params=["sync", "async"])
def call(request, sim):
    """`call(fn)` runs `fn(client)` on a sync or an async client against `sim`."""
    sim.clear_requests()

    def run(fn):
        if request.param == "sync":
            with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as client:
                return fn(client)

        async def main():
            async with reelkit.AsyncHoox(
                api_key=sim.hoox_api_key, base_url=sim.hoox_base_url
            ) as client:
                return await fn(client)

        return asyncio.run(main())

    yield run
    assert sim.requests() == [], "a request was sent despite the validation error"


def plan(*blocks):
    return {"voice_id": "voice_en_us_female_1", "sequence_plan": list(blocks)}


CASES = [
    # /script/generate
    ("script empty prompt", lambda c: c.scripts.generate("  "), "prompt"),
    ("script long prompt", lambda c: c.scripts.generate(LONG_PROMPT), "prompt"),
    ("script short", lambda c: c.scripts.generate("p", duration=9), "duration"),
    ("script long", lambda c: c.scripts.generate("p", duration=601), "duration"),
    ("script 11 urls", lambda c: c.scripts.generate("p", urls=[URL] * 11), "urls"),
    ("script bad url", lambda c: c.scripts.generate("p", urls=["ftp://x"]), "urls[0]"),
    ("script urls str", lambda c: c.scripts.generate("p", urls=URL), "urls"),
    ("script webSearch", lambda c: c.scripts.generate("p", web_search="yes"), "webSearch"),
    # /generation/start: content, duration, voice
    ("no content", lambda c: c.generations.start(), "prompt"),
    ("prompt w/o duration", lambda c: c.generations.start(prompt="p"), "duration"),
    ("script w/o voice", lambda c: c.generations.start(script="Hello."), "voice_id"),
    ("duration low", lambda c: c.generations.start(prompt="p", duration=9.5), "duration"),
    ("duration high", lambda c: c.generations.start(prompt="p", duration=601), "duration"),
    ("duration str", lambda c: c.generations.start(prompt="p", duration="60"), "duration"),
    ("format", lambda c: c.generations.start(prompt="p", duration=30, format="wide"), "format"),
    (
        "width w/o custom",
        lambda c: c.generations.start(prompt="p", duration=30, width=1200),
        "width",
    ),
    (
        "height w/o custom",
        lambda c: c.generations.start(prompt="p", duration=30, format="vertical", height=10),
        "height",
    ),
    (
        "width range",
        lambda c: c.generations.start(prompt="p", duration=30, format="custom", width=5001),
        "width",
    ),
    (
        "height zero",
        lambda c: c.generations.start(prompt="p", duration=30, format="custom", height=0),
        "height",
    ),
    (
        "width float",
        lambda c: c.generations.start(prompt="p", duration=30, format="custom", width=10.5),
        "width",
    ),
    (
        "11 web_urls",
        lambda c: c.generations.start(prompt="p", duration=30, web_urls=[URL] * 11),
        "web_urls",
    ),
    (
        "bad web_url",
        lambda c: c.generations.start(prompt="p", duration=30, web_urls=["x"]),
        "web_urls[0]",
    ),
    (
        "bad media_url",
        lambda c: c.generations.start(prompt="p", duration=30, media_urls=[URL, "nope"]),
        "media_urls[1]",
    ),
    ("bad voice_url", lambda c: c.generations.start(voice_url="voice.mp3"), "voice_url"),
    ("bad avatar_url", lambda c: c.generations.start(avatar_url="ftp://x/a.mp4"), "avatar_url"),
    (
        "web_search key",
        lambda c: c.generations.start(prompt="p", duration=30, web_search={"video": True}),
        "web_search.video",
    ),
    (
        "web_search value",
        lambda c: c.generations.start(prompt="p", duration=30, web_search={"script": 1}),
        "web_search.script",
    ),
    (
        "web_search bool",
        lambda c: c.generations.start(prompt="p", duration=30, web_search=True),
        "web_search",
    ),
    (
        "enable key",
        lambda c: c.generations.start(prompt="p", duration=30, enable={"captions": True}),
        "enable.captions",
    ),
    (
        "enable value",
        lambda c: c.generations.start(prompt="p", duration=30, enable={"music": "off"}),
        "enable.music",
    ),
    (
        "animate_mode",
        lambda c: c.generations.start(prompt="p", duration=30, animate_mode="max"),
        "animate_mode",
    ),
    (
        "animate_image",
        lambda c: c.generations.start(prompt="p", duration=30, animate_image="yes"),
        "animate_image",
    ),
    (
        "animate_image_max",
        lambda c: c.generations.start(prompt="p", duration=30, animate_image_max=-1),
        "animate_image_max",
    ),
    ("use_veo3", lambda c: c.generations.start(prompt="p", duration=30, use_veo3=1), "use_veo3"),
    (
        "webhook_url",
        lambda c: c.generations.start(prompt="p", duration=30, webhook_url="example.com/hook"),
        "webhook_url",
    ),
    ("voice_id empty", lambda c: c.generations.start(script="Hi.", voice_id=""), "voice_id"),
    # sequence_plan schema
    (
        "plan not list",
        lambda c: c.generations.start(sequence_plan={"sequences": []}),
        "sequence_plan",
    ),
    ("plan empty", lambda c: c.generations.start(sequence_plan=[]), "sequence_plan"),
    (
        "block w/o sequences",
        lambda c: c.generations.start(**plan({})),
        "sequence_plan[0].sequences",
    ),
    (
        "block empty sequences",
        lambda c: c.generations.start(**plan({"sequences": []})),
        "sequence_plan[0].sequences",
    ),
    (
        "sequence w/o text",
        lambda c: c.generations.start(**plan({"sequences": [{}]})),
        "sequence_plan[0].sequences[0].text",
    ),
    (
        "text not str",
        lambda c: c.generations.start(**plan({"sequences": [{"text": 3}]})),
        "sequence_plan[0].sequences[0].text",
    ),
    (
        "silent w/o duration_ms",
        lambda c: c.generations.start(**plan({"sequences": [{"text": None}]})),
        "sequence_plan[0].sequences[0].duration_ms",
    ),
    (
        "silent not alone",
        lambda c: c.generations.start(
            **plan({"sequences": [{"text": "Hi."}, {"text": None, "duration_ms": 500}]})
        ),
        "sequence_plan[0].sequences[1]",
    ),
    (
        "duration_ms on speech",
        lambda c: c.generations.start(**plan({"sequences": [{"text": "Hi.", "duration_ms": 900}]})),
        "sequence_plan[0].sequences[0].duration_ms",
    ),
    (
        "media w/o source",
        lambda c: c.generations.start(
            **plan({"sequences": [{"text": "Hi.", "media": {"show": "full"}}]})
        ),
        "sequence_plan[0].sequences[0].media",
    ),
    (
        "media show",
        lambda c: c.generations.start(
            **plan({"sequences": [{"text": "Hi.", "media": {"url": URL, "show": "corner"}}]})
        ),
        "sequence_plan[0].sequences[0].media.show",
    ),
    (
        "media url",
        lambda c: c.generations.start(
            **plan({"sequences": [{"text": "Hi.", "media": {"url": "chart.jpg"}}]})
        ),
        "sequence_plan[0].sequences[0].media.url",
    ),
    (
        "media start_at",
        lambda c: c.generations.start(
            **plan({"sequences": [{"text": "Hi.", "media": {"asset_id": "a1", "start_at": "2"}}]})
        ),
        "sequence_plan[0].sequences[0].media.start_at",
    ),
    (
        "block audio_url",
        lambda c: c.generations.start(
            **plan({"audio_url": "take.mp3", "sequences": [{"text": "a"}]})
        ),
        "sequence_plan[0].audio_url",
    ),
    (
        "block voice_id type",
        lambda c: c.generations.start(**plan({"voice_id": 7, "sequences": [{"text": "a"}]})),
        "sequence_plan[0].voice_id",
    ),
    (
        "create_and_wait validates first",
        lambda c: c.generations.create_and_wait(prompt="p"),
        "duration",
    ),
    (
        "create_and_wait timeout",
        lambda c: c.generations.create_and_wait(prompt="p", duration=30, timeout=-1),
        "timeout",
    ),
    # status / wait ids
    ("generation status id", lambda c: c.generations.status(""), "job_id"),
    ("generation wait timeout", lambda c: c.generations.wait("run_1", timeout="soon"), "timeout"),
    ("export status id", lambda c: c.exports.status(None), "job_id"),
    ("asset status id", lambda c: c.assets.status(" "), "asset_id"),
    # /export/start
    ("export video_id", lambda c: c.exports.start(None), "video_id"),
    ("export format", lambda c: c.exports.start("vid_1", format="4k"), "format"),
    (
        "export width w/o custom",
        lambda c: c.exports.start("vid_1", format="vertical", width=1920),
        "width",
    ),
    (
        "export height range",
        lambda c: c.exports.start("vid_1", format="custom", height=6000),
        "height",
    ),
    (
        "export avatar_model",
        lambda c: c.exports.start("vid_1", avatar_model="mega"),
        "avatar_model",
    ),
    ("export webhook", lambda c: c.exports.start("vid_1", webhook_url="hook"), "webhook_url"),
    (
        "export create_and_wait",
        lambda c: c.exports.create_and_wait("vid_1", format="cinema"),
        "format",
    ),
    # /video/duplicate
    ("duplicate video_id", lambda c: c.videos.duplicate(""), "video_id"),
    ("duplicate voice_id", lambda c: c.videos.duplicate("vid_1", voice_id=""), "voice_id"),
    # voices
    ("voice list gender", lambda c: c.voices.list(gender="other"), "gender"),
    ("voice list only_public", lambda c: c.voices.list(only_public="true"), "only_public"),
    ("voice get list", lambda c: c.voices.get("list"), "voice_id"),
    ("voice get empty", lambda c: c.voices.get(""), "voice_id"),
    # avatars
    ("avatar list gender", lambda c: c.avatars.list(gender="robot"), "gender"),
    ("avatar list age_range", lambda c: c.avatars.list(age_range="old"), "age_range"),
    ("avatar list ethnicity", lambda c: c.avatars.list(ethnicity="martian"), "ethnicity"),
    ("avatar list hair_color", lambda c: c.avatars.list(hair_color="green"), "hair_color"),
    ("avatar list place", lambda c: c.avatars.list(place="office,moon"), "place"),
    ("avatar list action", lambda c: c.avatars.list(action="flying"), "action"),
    ("avatar list emotion", lambda c: c.avatars.list(emotion="angry"), "emotion"),
    (
        "avatar list accessories",
        lambda c: c.avatars.list(accessories=["laptop", "sword"]),
        "accessories",
    ),
    ("avatar list empty filter", lambda c: c.avatars.list(place=[]), "place"),
    ("avatar list selfie", lambda c: c.avatars.list(selfie="true"), "selfie"),
    ("avatar list only_public", lambda c: c.avatars.list(only_public=1), "only_public"),
    ("avatar get status", lambda c: c.avatars.get("status"), "avatar_id"),
    ("avatar get list", lambda c: c.avatars.get("LIST"), "avatar_id"),
    ("avatar look list", lambda c: c.avatars.look("list", "look_1"), "avatar_id"),
    ("avatar look empty", lambda c: c.avatars.look("avtr_1", ""), "look_id"),
    ("avatar create prompt", lambda c: c.avatars.create(prompt=""), "prompt"),
    ("avatar create nothing", lambda c: c.avatars.create(name="Alex"), "prompt"),
    ("avatar create image_urls", lambda c: c.avatars.create(image_urls=["x.jpg"]), "imageUrls[0]"),
    ("avatar create style", lambda c: c.avatars.create(prompt="p", style="anime"), "style"),
    ("avatar create format", lambda c: c.avatars.create(prompt="p", format="square"), "format"),
    (
        "avatar create resolution",
        lambda c: c.avatars.create(prompt="p", resolution="8K"),
        "resolution",
    ),
    (
        "avatar create elementImages",
        lambda c: c.avatars.create(prompt="p", element_images=["logo.png"]),
        "elementImages[0]",
    ),
    ("avatar from images empty", lambda c: c.avatars.create_from_images([]), "imageUrls"),
    ("avatar from images url", lambda c: c.avatars.create_from_images(["a.jpg"]), "imageUrls[0]"),
    ("avatar edit prompt", lambda c: c.avatars.edit("avtr_1", "look_1", prompt=" "), "prompt"),
    (
        "avatar edit images",
        lambda c: c.avatars.edit("avtr_1", "look_1", prompt="p", images=["x"]),
        "imageUrls[0]",
    ),
    (
        "avatar edit both image args",
        lambda c: c.avatars.edit("avtr_1", "look_1", prompt="p", images=[URL], image_urls=[URL]),
        "imageUrls",
    ),
    (
        "asset start named_inputs + keyword",
        lambda c: c.assets.start(
            "veo-3.1-flf",
            type="video",
            prompt="p",
            first_frame={"url": URL},
            named_inputs={"first_frame": {"url": URL}},
        ),
        "first_frame",
    ),
    (
        "asset start named_inputs value",
        lambda c: c.assets.start(
            "veo-3.1-flf", type="video", prompt="p", named_inputs={"last_frame": {"link": URL}}
        ),
        "last_frame.link",
    ),
    (
        "avatar edit upscale",
        lambda c: c.avatars.edit("avtr_1", "look_1", prompt="p", upscale="no"),
        "upscale",
    ),
    ("avatar edit avatar_id", lambda c: c.avatars.edit("", "look_1", prompt="p"), "avatar_id"),
    ("avatar status look_id", lambda c: c.avatars.status("avtr_1", None), "look_id"),
    # assets
    ("asset models type", lambda c: c.assets.models(type="audio"), "type"),
    ("asset model name", lambda c: c.assets.model(""), "name"),
    ("asset pricing unknown", lambda c: c.assets.pricing("veo-3.1", aspect="9:16"), "aspect"),
    (
        "asset pricing count",
        lambda c: c.assets.pricing("veo-3.1", generation_count=5),
        "generation_count",
    ),
    ("asset pricing model", lambda c: c.assets.pricing(""), "model"),
    ("asset start type", lambda c: c.assets.start("veo-3.1", type="audio", prompt="p"), "type"),
    ("asset start prompt", lambda c: c.assets.start("veo-3.1", type="video", prompt=""), "prompt"),
    (
        "asset start two sources",
        lambda c: c.assets.start(
            "veo-3.1", type="video", prompt="p", references=[{"url": URL, "asset_id": "a1"}]
        ),
        "references[0]",
    ),
    (
        "asset start no source",
        lambda c: c.assets.start("veo-3.1", type="video", prompt="p", references=[{}]),
        "references[0]",
    ),
    (
        "asset start unknown key",
        lambda c: c.assets.start("veo-3.1", type="video", prompt="p", references=[{"id": "a"}]),
        "references[0].id",
    ),
    (
        "asset start bad url",
        lambda c: c.assets.start("veo-3.1", type="video", prompt="p", references=[{"url": "x"}]),
        "references[0].url",
    ),
    (
        "asset start refs not list",
        lambda c: c.assets.start("veo-3.1", type="video", prompt="p", references={"url": URL}),
        "references",
    ),
    (
        "asset start refs + slots",
        lambda c: c.assets.start(
            "veo-3.1-flf",
            type="video",
            prompt="p",
            references=[{"url": URL}],
            first_frame={"url": URL},
        ),
        "references",
    ),
    (
        "asset start slot two sources",
        lambda c: c.assets.start(
            "veo-3.1-flf", type="video", prompt="p", first_frame={"url": URL, "avatar_id": "a"}
        ),
        "first_frame",
    ),
    (
        "asset start slot not mapping",
        lambda c: c.assets.start("veo-3.1-flf", type="video", prompt="p", first_frame=URL),
        "first_frame",
    ),
    (
        "asset start count low",
        lambda c: c.assets.start("veo-3.1", type="video", prompt="p", generation_count=0),
        "generation_count",
    ),
    (
        "asset start count high",
        lambda c: c.assets.start("veo-3.1", type="video", prompt="p", generation_count=5),
        "generation_count",
    ),
    (
        "asset start aspect",
        lambda c: c.assets.start("veo-3.1", type="video", prompt="p", aspect_ratio="5:4"),
        "aspect_ratio",
    ),
    (
        "asset start settings",
        lambda c: c.assets.start("veo-3.1", type="video", prompt="p", model_settings=["x"]),
        "model_settings",
    ),
    (
        "asset start webhook",
        lambda c: c.assets.start("veo-3.1", type="video", prompt="p", webhook_url="x"),
        "webhook_url",
    ),
    ("asset wait timeout", lambda c: c.assets.wait("a1", timeout=-2), "timeout"),
    # folders
    ("folder name", lambda c: c.folders.create(""), "name"),
    ("folder type", lambda c: c.folders.create("F", type="images"), "type"),
    ("folder list type", lambda c: c.folders.list(type="all"), "type"),
    # max_credits itself
    ("max_credits negative", lambda c: c.scripts.generate("p", max_credits=-1), "max_credits"),
    ("max_credits str", lambda c: c.avatars.create(prompt="p", max_credits="5"), "max_credits"),
]


@pytest.mark.parametrize(
    ("fn", "field"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_rejected_before_sending(call, fn, field):
    with pytest.raises(ValidationError) as info:
        call(fn)
    assert info.value.field == field
    assert not isinstance(info.value, BudgetExceededError)


BUDGETS = [
    # (call, estimate): each refused before sending.
    (lambda c: c.scripts.generate("p", duration=120, web_search=True, max_credits=0.2), 0.3),
    (lambda c: c.generations.start(prompt="p", duration=60, max_credits=5), 10),
    (lambda c: c.generations.start(script="x" * 936, voice_id="v", max_credits=9.9), 10),
    (
        lambda c: c.generations.start(
            prompt="p",
            duration=30,
            animate_image=True,
            animate_image_max=3,
            animate_mode="pro",
            max_credits=20,
        ),
        26,
    ),
    (lambda c: c.generations.create_and_wait(prompt="p", duration=600, max_credits=99), 100),
    (
        lambda c: c.exports.start(
            "vid_1", avatar_model="veo-3-fast", avatar_seconds=24, max_credits=55
        ),
        55.2,
    ),
    (lambda c: c.exports.start("vid_1", avatar_seconds=24, max_credits=10), 55.2),
    (
        lambda c: c.exports.start(
            "vid_1",
            format="custom",
            width=3840,
            height=2160,
            avatar_model="standard",
            video_duration=60,
            max_credits=4,
        ),
        5,
    ),
    (
        lambda c: c.exports.create_and_wait(
            "vid_1", avatar_model="premium", avatar_seconds=40, max_credits=30
        ),
        32,
    ),
    (lambda c: c.avatars.create(prompt="p", resolution="4K", max_credits=3), 4),
    (lambda c: c.avatars.edit("avtr_1", "look_1", prompt="p", upscale=True, max_credits=3), 3.5),
]


@pytest.mark.parametrize(("fn", "estimate"), BUDGETS)
def test_max_credits_refuses_before_sending(call, fn, estimate):
    with pytest.raises(BudgetExceededError) as info:
        call(fn)
    assert info.value.estimate == pytest.approx(estimate)
    assert info.value.field == "max_credits"
    assert isinstance(info.value, ValidationError)


UNKNOWABLE = [
    # max_credits needs what the estimate needs: the missing input is named.
    (lambda c: c.generations.start(voice_url=URL, max_credits=50), "max_credits"),
    (
        lambda c: c.generations.start(prompt="p", duration=30, animate_image=True, max_credits=50),
        "animate_image_max",
    ),
    (
        lambda c: c.generations.start(
            voice_id="v",
            max_credits=50,
            sequence_plan=[{"audio_url": URL, "sequences": [{"text": "Hi."}]}],
        ),
        "sequence_plan[0].audio_url",
    ),
    (lambda c: c.exports.start("vid_1", max_credits=50), "avatar_seconds"),
    (lambda c: c.exports.start("vid_1", avatar_model="premium", max_credits=50), "avatar_seconds"),
    (
        lambda c: c.exports.start(
            "vid_1", avatar_model="omni-flash", avatar_seconds=5, max_credits=50
        ),
        "avatar_model",
    ),
    (
        lambda c: c.exports.start(
            "vid_1", format="custom", width=3840, avatar_model="standard", max_credits=50
        ),
        "video_duration",
    ),
]


@pytest.mark.parametrize(("fn", "field"), UNKNOWABLE)
def test_max_credits_needs_the_estimate_inputs(call, fn, field):
    with pytest.raises(ValidationError) as info:
        call(fn)
    assert info.value.field == field
