"""Hooked list endpoints against the Simulator, sync and asyncio: the exact query each
sends, pagination (`videos.iter`, `trends.iter_videos`) across page boundaries, lazily,
with per-request options on every page, and the catalogue lists."""

from __future__ import annotations

import asyncio

import pytest

import reelkit
from reelkit import NotFoundError, ValidationError
from reelkit.hooked import Avatar, Music, Niche, Template, TrendPage, Video, VideoPage, Voice
from reelkit.testing import Simulator
from test_hooked_api_support import MODES, api_requests, collect, last_request, run

CREATED_VIDEOS = 5


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def sim():
    """Seed video `vid_abc123` plus five created ones: six videos of this team."""
    with Simulator(job_seconds=0.2) as simulator:
        with reelkit.Hooked(simulator.hooked_api_key, base_url=simulator.hooked_base_url) as client:
            for i in range(CREATED_VIDEOS):
                client.projects.remove_background(media=f"med_{i}", name=f"clip {i}")
        yield simulator


@pytest.fixture
def fresh(sim):
    sim.clear_requests()
    return sim


def offsets(sim, path):
    return [r.query.get("offset") for r in api_requests(sim) if r.path == path]


# -- videos.list -------------------------------------------------------------------


def test_video_list_sends_every_filter(fresh, mode):
    page = run(
        mode,
        fresh,
        lambda c: c.videos.list(type="remove_background", status="processing", limit=10, offset=1),
    )
    sent = last_request(fresh)
    assert (sent.method, sent.path) == ("GET", "/v1/video/list")
    assert sent.query == {
        "type": "remove_background",
        "status": "processing",
        "limit": "10",
        "offset": "1",
    }
    assert sent.json is None
    assert isinstance(page, VideoPage) and (page.limit, page.offset) == (10, 1)


def test_video_list_without_arguments_sends_no_query(fresh, mode):
    page = run(mode, fresh, lambda c: c.videos.list())
    assert last_request(fresh).query == {}
    assert page.total == CREATED_VIDEOS + 1 and len(page.videos) == page.total
    assert all(isinstance(v, Video) for v in page)
    assert "vid_abc123" in [v.id for v in page.videos] and not page.has_more


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"type": "movie"}, "type"),
        ({"type": "ugc-ads"}, "type"),
        ({"status": "COMPLETED"}, "status"),
        ({"status": "started"}, "status"),
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": 2.5}, "limit"),
        ({"limit": "10"}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
@pytest.mark.parametrize("method", ["list", "iter"])
def test_video_list_and_iter_validate_before_sending(fresh, mode, method, kwargs, field):
    # iter() checks its arguments when called, not when first iterated.
    with pytest.raises(ValidationError) as caught:
        run(mode, fresh, lambda c: getattr(c.videos, method)(**kwargs))
    assert caught.value.field == field
    assert api_requests(fresh) == []


# -- videos.iter -------------------------------------------------------------------


def test_video_iter_walks_page_boundaries(fresh, mode):
    videos = collect(mode, fresh, lambda c: c.videos.iter(limit=2))
    assert len(videos) == CREATED_VIDEOS + 1 == len({v.id for v in videos})
    # 6 videos in pages of 2: offsets 0 (the caller's own: none), 2, 4; then
    # offset + len(videos) == total, so no fourth request.
    assert offsets(fresh, "/v1/video/list") == [None, "2", "4"]
    assert all(r.query["limit"] == "2" for r in api_requests(fresh))


def test_video_iter_stops_exactly_at_total(fresh, mode):
    videos = collect(mode, fresh, lambda c: c.videos.iter(limit=3))
    assert len(videos) == CREATED_VIDEOS + 1
    assert offsets(fresh, "/v1/video/list") == [None, "3"]


def test_video_iter_keeps_filters_and_start_offset_on_every_page(fresh, mode):
    videos = collect(
        mode,
        fresh,
        lambda c: c.videos.iter(
            type="remove_background", limit=2, offset=1, extra_query={"trace": "x"}
        ),
    )
    assert len(videos) == CREATED_VIDEOS - 1
    sent = api_requests(fresh)
    assert [r.query for r in sent] == [
        {"type": "remove_background", "limit": "2", "offset": "1", "trace": "x"},
        {"type": "remove_background", "limit": "2", "offset": "3", "trace": "x"},
    ]


def test_video_iter_stops_on_an_empty_page(fresh, mode):
    assert collect(mode, fresh, lambda c: c.videos.iter(offset=500)) == []
    assert len(api_requests(fresh)) == 1


def test_sync_iter_is_lazy(fresh):
    with reelkit.Hooked(fresh.hooked_api_key, base_url=fresh.hooked_base_url) as client:
        iterator = client.videos.iter(limit=2)
        assert api_requests(fresh) == []
        first = next(iterator)
        assert isinstance(first, Video) and len(api_requests(fresh)) == 1
        next(iterator)
        assert len(api_requests(fresh)) == 1  # still the first page
        next(iterator)
        assert len(api_requests(fresh)) == 2


def test_async_iter_is_lazy_and_not_a_coroutine(fresh):
    async def main():
        async with reelkit.AsyncHooked(
            fresh.hooked_api_key, base_url=fresh.hooked_base_url
        ) as client:
            iterator = client.videos.iter(limit=4)
            assert not asyncio.iscoroutine(iterator)
            assert api_requests(fresh) == []
            first = await iterator.__anext__()
            assert isinstance(first, Video) and len(api_requests(fresh)) == 1
            rest = [v async for v in iterator]
            assert len(rest) == CREATED_VIDEOS and len(api_requests(fresh)) == 2

    asyncio.run(main())


@pytest.mark.parametrize("method", ["list", "iter"])
def test_extra_body_is_refused_on_reads(fresh, mode, method):
    # Raised by the call itself, also for iter() (before any iteration).
    with pytest.raises(ValidationError) as caught:
        run(mode, fresh, lambda c: getattr(c.videos, method)(extra_body={"x": 1}))
    assert caught.value.field == "extra_body" and api_requests(fresh) == []


# -- catalogue ---------------------------------------------------------------------


def test_avatar_list(fresh, mode):
    avatars = run(mode, fresh, lambda c: c.avatars.list(type="library"))
    assert last_request(fresh).query == {"type": "library"}
    assert avatars and all(isinstance(a, Avatar) for a in avatars)
    assert not any(a.is_custom for a in avatars)
    everything = run(mode, fresh, lambda c: c.avatars.list())
    assert last_request(fresh).query == {} and len(everything) > len(avatars)


def test_avatar_list_validates_type(fresh, mode):
    with pytest.raises(ValidationError, match="type"):
        run(mode, fresh, lambda c: c.avatars.list(type="mine"))
    assert api_requests(fresh) == []


def test_voice_music_and_niche_lists(fresh, mode):
    voices = run(mode, fresh, lambda c: c.voices.list())
    music = run(mode, fresh, lambda c: c.music.list())
    niches = run(mode, fresh, lambda c: c.niches.list())
    assert [r.path for r in api_requests(fresh)] == [
        "/v1/voice/list",
        "/v1/music/list",
        "/v1/niche/list",
    ]
    assert isinstance(voices[0], Voice) and voices[0].id == "tzX5paJ07p5hyWFcU3uG"
    assert isinstance(music[0], Music) and music[0].id == "1" and music[0].raw["mood"]
    assert isinstance(niches[0], Niche) and niches[0].id == "fitness"


def test_templates_list_and_get(fresh, mode):
    templates = run(mode, fresh, lambda c: c.templates.list())
    assert {t.id for t in templates} >= {"tpl_123"}
    template = run(mode, fresh, lambda c: c.templates.get("tpl_123"))
    assert isinstance(template, Template) and template.type == "class"
    assert template.scenes[0]["script"].startswith("Hi {{name}}")
    assert last_request(fresh).path == "/v1/template/tpl_123"
    with pytest.raises(NotFoundError):
        run(mode, fresh, lambda c: c.templates.get("tpl_missing"))


def test_ids_are_escaped_into_their_path_segment(fresh, mode):
    with pytest.raises(NotFoundError):
        run(mode, fresh, lambda c: c.templates.get("../video/list"))
    assert last_request(fresh).path == "/v1/template/..%2Fvideo%2Flist"


# -- trends ------------------------------------------------------------------------


def test_trend_videos_query(fresh, mode):
    page = run(
        mode,
        fresh,
        lambda c: c.trends.videos(platform="youtube", niche="beauty", limit=5, offset=0),
    )
    sent = last_request(fresh)
    assert (sent.path, sent.query) == (
        "/v1/trends/videos",
        {"platform": "youtube", "niche": "beauty", "limit": "5", "offset": "0"},
    )
    assert isinstance(page, TrendPage)
    assert page.videos and all(v.platform == "youtube" and v.niche == "beauty" for v in page)


def test_trend_iter_across_pages(fresh, mode):
    videos = collect(mode, fresh, lambda c: c.trends.iter_videos(platform="tiktok", limit=10))
    assert len(videos) == 18 == len({v.id for v in videos})
    assert offsets(fresh, "/v1/trends/videos") == [None, "10"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"platform": "instagram"}, "platform"),
        ({"limit": 51}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -5}, "offset"),
        ({"niche": ""}, "niche"),
    ],
)
def test_trend_validation(fresh, mode, kwargs, field):
    for method in ("videos", "iter_videos"):
        with pytest.raises(ValidationError) as caught:
            run(mode, fresh, lambda c, m=method: getattr(c.trends, m)(**kwargs))
        assert caught.value.field == field
    assert api_requests(fresh) == []


# -- page models -------------------------------------------------------------------


def test_page_models():
    def video(vid):
        return {"id": vid, "status": "COMPLETED"}

    page = VideoPage.from_raw(
        {"videos": [video("a"), video("b")], "total": 5, "limit": 2, "offset": 2, "extra": True}
    )
    assert [v.id for v in page] == ["a", "b"] and page.has_more
    assert page.raw["extra"] is True
    assert page.to_dict()["videos"][0]["id"] == "a"
    last = {"videos": [video("e")], "total": 5, "limit": 2, "offset": 4}
    assert not VideoPage.from_raw(last).has_more
    assert not VideoPage.from_raw({"videos": [], "total": 5, "limit": 2, "offset": 6}).has_more
    # Trend pages document only `videos`: a full page without a total may have more.
    assert TrendPage.from_raw({"videos": [{"id": "t1"}, {"id": "t2"}], "limit": 2}).has_more
    assert not TrendPage.from_raw({"videos": [{"id": "t1"}], "limit": 2}).has_more


# -- social search -----------------------------------------------------------------


def test_social_search_against_the_simulator(fresh, mode):
    search = run(
        mode, fresh, lambda c: c.social_search.create("skincare routine", "youtube", limit=5)
    )
    assert last_request(fresh).json == {
        "searchTerm": "skincare routine",
        "platform": "youtube",
        "limit": 5,
    }
    assert search.id and search.videos_found == 5 and search.platform == "youtube"
    page = run(mode, fresh, lambda c: c.social_search.get(search.id, limit=2, offset=1))
    assert last_request(fresh).query == {"limit": "2", "offset": "1"}
    assert (page.total, page.limit, page.offset, page.has_more) == (5, 2, 1, True)
    assert len(page.videos) == 2 and page.videos[0].platform == "youtube"
    fresh.clear_requests()
    videos = collect(mode, fresh, lambda c: c.social_search.iter_videos(search.id, limit=2))
    assert len(videos) == 5 == len({v.id for v in videos})
    assert [r.query.get("offset") for r in api_requests(fresh)] == [None, "2", "4"]


@pytest.mark.parametrize(
    ("args", "kwargs", "field"),
    [
        (("", "tiktok"), {}, "searchTerm"),
        (("x" * 201, "tiktok"), {}, "searchTerm"),
        (("skincare", "instagram"), {}, "platform"),
        (("skincare", None), {}, "platform"),
        (("skincare", "tiktok"), {"limit": 51}, "limit"),
    ],
)
def test_social_search_validation(fresh, mode, args, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        run(mode, fresh, lambda c: c.social_search.create(*args, **kwargs))
    assert caught.value.field == field and api_requests(fresh) == []
