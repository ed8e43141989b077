"""Hooked social publishing against the Simulator, sync and asyncio: scheduling a post
(the timestamp sent as ISO 8601 UTC with milliseconds and `Z`), listing, paging,
updating and cancelling it, the schedule rules, and integration health."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import reelkit
from reelkit import BadRequestError, NotFoundError, PermissionDeniedError, ValidationError
from reelkit.hooked import (
    DeletedSchedule,
    Integration,
    IntegrationHealth,
    PlatformData,
    ScheduledPost,
    SchedulePage,
)
from reelkit.testing import Simulator
from test_hooked_api_support import MODES, api_requests, collect, last_request, run

SEED_VIDEO = "vid_abc123"  # COMPLETED in the simulator
YOUTUBE = "int_yt_abc123"  # healthy
TIKTOK_EXPIRED = "int_tt_expired"
UTC = timezone.utc


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def sim():
    with Simulator(job_seconds=30) as simulator:
        yield simulator


@pytest.fixture
def fresh(sim):
    sim.clear_requests()
    return sim


def future(days: float = 2) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)


def wire_time(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


# -- create ------------------------------------------------------------------------


def test_create_sends_the_documented_body(fresh, mode):
    when = future()
    post = run(
        mode,
        fresh,
        lambda c: c.schedules.create(
            SEED_VIDEO,
            YOUTUBE,
            when,
            platform_data={
                "title": "3-step morning routine",
                "description": "Try this tomorrow!",
                "tags": ["morning", "routine"],
                "privacy_status": "public",
                "made_for_kids": False,
            },
        ),
    )
    sent = last_request(fresh)
    assert (sent.method, sent.path) == ("POST", "/v1/schedule/create")
    assert sent.json == {
        "videoId": SEED_VIDEO,
        "integrationId": YOUTUBE,
        "scheduledDateTime": wire_time(when),
        "platformData": {
            "title": "3-step morning routine",
            "description": "Try this tomorrow!",
            "tags": ["morning", "routine"],
            "privacyStatus": "public",
            "madeForKids": False,
        },
    }
    assert isinstance(post, ScheduledPost)
    assert post.schedule_id and post.schedule_id.startswith("post_") and post.id == post.schedule_id
    assert (post.status, post.platform, post.video_id) == ("pending", "youtube", SEED_VIDEO)
    assert post.scheduled_date_time == when and post.is_pending


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # aware, not UTC: converted
        (
            datetime(2099, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=2))),
            "2099-01-01T10:00:00.000Z",
        ),
        # naive: taken as UTC
        (datetime(2099, 1, 1, 12, 0), "2099-01-01T12:00:00.000Z"),
        # microseconds are cut to milliseconds
        (datetime(2099, 1, 1, 12, 0, 0, 123456, tzinfo=UTC), "2099-01-01T12:00:00.123Z"),
        # ISO strings: with an offset, with Z, without an offset (UTC)
        ("2099-06-30T23:30:00-02:00", "2099-07-01T01:30:00.000Z"),
        ("2099-03-20T15:00:00Z", "2099-03-20T15:00:00.000Z"),
        ("2099-03-20T15:00:00.5", "2099-03-20T15:00:00.500Z"),
    ],
)
def test_scheduled_time_is_sent_as_utc_with_milliseconds(fresh, mode, given, expected):
    post = run(mode, fresh, lambda c: c.schedules.create(SEED_VIDEO, YOUTUBE, given))
    assert last_request(fresh).json == {
        "videoId": SEED_VIDEO,
        "integrationId": YOUTUBE,
        "scheduledDateTime": expected,
    }
    assert post.scheduled_date_time == datetime.fromisoformat(expected.replace("Z", "+00:00"))


@pytest.mark.parametrize(
    ("args", "kwargs", "field"),
    [
        ((SEED_VIDEO, YOUTUBE, datetime(2020, 1, 1, tzinfo=UTC)), {}, "scheduledDateTime"),
        ((SEED_VIDEO, YOUTUBE, datetime.now(UTC) - timedelta(seconds=1)), {}, "scheduledDateTime"),
        ((SEED_VIDEO, YOUTUBE, "2020-01-01T00:00:00Z"), {}, "scheduledDateTime"),
        ((SEED_VIDEO, YOUTUBE, "tomorrow"), {}, "scheduledDateTime"),
        ((SEED_VIDEO, YOUTUBE, 4102444800), {}, "scheduledDateTime"),
        ((SEED_VIDEO, YOUTUBE, None), {}, "scheduledDateTime"),
        (("", YOUTUBE, "2099-01-01T00:00:00Z"), {}, "videoId"),
        ((SEED_VIDEO, None, "2099-01-01T00:00:00Z"), {}, "integrationId"),
        (
            (SEED_VIDEO, YOUTUBE, "2099-01-01T00:00:00Z"),
            {"platform_data": {"title": "t" * 101}},
            "platformData.title",
        ),
        (
            (SEED_VIDEO, YOUTUBE, "2099-01-01T00:00:00Z"),
            {"platform_data": {"description": "d" * 5001}},
            "platformData.description",
        ),
        (
            (SEED_VIDEO, YOUTUBE, "2099-01-01T00:00:00Z"),
            {"platform_data": {"tags": "a,b"}},
            "platformData.tags",
        ),
        (
            (SEED_VIDEO, YOUTUBE, "2099-01-01T00:00:00Z"),
            {"platform_data": {"tags": ["ok", 3]}},
            "platformData.tags.1",
        ),
        (
            (SEED_VIDEO, YOUTUBE, "2099-01-01T00:00:00Z"),
            {"platform_data": PlatformData(made_for_kids="no")},
            "platformData.madeForKids",
        ),
        (
            (SEED_VIDEO, YOUTUBE, "2099-01-01T00:00:00Z"),
            {"platform_data": "public"},
            "platformData",
        ),
    ],
)
def test_create_validates_before_sending(fresh, mode, args, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        run(mode, fresh, lambda c: c.schedules.create(*args, **kwargs))
    assert caught.value.field == field, str(caught.value)
    assert api_requests(fresh) == []


def test_server_rules_come_back_as_errors(fresh, mode):
    def unfinished_video(client):
        if mode == "sync":
            project = client.projects.remove_background(media="m")
            return client.schedules.create(project.video_id, YOUTUBE, future())

        async def flow():
            project = await client.projects.remove_background(media="m")
            return await client.schedules.create(project.video_id, YOUTUBE, future())

        return flow()

    with pytest.raises(BadRequestError, match="Video must be completed"):
        run(mode, fresh, unfinished_video, max_retries=0)
    with pytest.raises(NotFoundError, match="Integration not found"):
        run(
            mode,
            fresh,
            lambda c: c.schedules.create(SEED_VIDEO, "int_missing", future()),
            max_retries=0,
        )
    with pytest.raises(NotFoundError, match="Video not found"):
        run(
            mode,
            fresh,
            lambda c: c.schedules.create("vid_missing", YOUTUBE, future()),
            max_retries=0,
        )
    with pytest.raises(PermissionDeniedError, match="does not belong to your team"):
        run(
            mode,
            fresh,
            lambda c: c.schedules.create("vid_other_team", YOUTUBE, future()),
            max_retries=0,
        )


# -- list / iter / get / update / delete --------------------------------------------


def test_schedule_lifecycle(fresh, mode):
    first, second = future(3), future(4)

    def scenario(client):
        def steps():
            post = yield client.schedules.create(
                SEED_VIDEO, YOUTUBE, first, platform_data=PlatformData(title="Hello")
            )
            fetched = yield client.schedules.get(post.schedule_id)
            moved = yield client.schedules.update(
                post.schedule_id, scheduled_date_time=second, platform_data={"description": "More"}
            )
            deleted = yield client.schedules.delete(post.schedule_id)
            return post, fetched, moved, deleted

        return drive(mode, steps())

    post, fetched, moved, deleted = run(mode, fresh, scenario)
    assert fetched.id == post.schedule_id and fetched.status == "pending"
    assert fetched.integration.id == YOUTUBE and fetched.integration.account.username
    assert fetched.video.id == SEED_VIDEO and fetched.video_id == SEED_VIDEO
    assert fetched.platform_data == {"title": "Hello"}
    assert fetched.scheduled_date_time == first and moved.scheduled_date_time == second
    assert moved.platform_data == {"title": "Hello", "description": "More"}  # merged
    assert isinstance(deleted, DeletedSchedule) and deleted.deleted and deleted.id == post.id
    sent = api_requests(fresh)
    assert [(r.method, r.path) for r in sent] == [
        ("POST", "/v1/schedule/create"),
        ("GET", f"/v1/schedule/{post.id}"),
        ("PATCH", f"/v1/schedule/{post.id}"),
        ("DELETE", f"/v1/schedule/{post.id}"),
    ]
    assert sent[2].json == {
        "scheduledDateTime": wire_time(second),
        "platformData": {"description": "More"},
    }
    assert sent[3].json is None
    with pytest.raises(NotFoundError, match="Schedule not found"):
        run(mode, fresh, lambda c: c.schedules.get(post.id), max_retries=0)


def drive(mode, steps):
    """Run a generator of client calls: plain values (sync) or awaitables (async)."""
    if mode == "sync":
        value = None
        while True:
            try:
                value = steps.send(value)
            except StopIteration as stop:
                return stop.value

    async def main():
        value = None
        while True:
            try:
                awaitable = steps.send(value)
            except StopIteration as stop:
                return stop.value
            value = await awaitable

    return main()


def test_published_and_foreign_posts_are_refused(fresh, mode):
    with pytest.raises(BadRequestError, match="Cannot delete a published post"):
        run(mode, fresh, lambda c: c.schedules.delete("post_published_seed"), max_retries=0)
    with pytest.raises(BadRequestError, match="published"):
        run(
            mode,
            fresh,
            lambda c: c.schedules.update("post_published_seed", platform_data={"title": "x"}),
            max_retries=0,
        )
    with pytest.raises(PermissionDeniedError):
        run(mode, fresh, lambda c: c.schedules.get("post_other_team"), max_retries=0)


def test_published_post_exposes_its_url(fresh, mode):
    post = run(mode, fresh, lambda c: c.schedules.get("post_published_seed"))
    assert post.status == "published" and post.is_complete
    assert post.published_url == "https://www.youtube.com/watch?v=abc123XYZ"
    assert post.error is None


def test_update_validates_before_sending(fresh, mode):
    for kwargs, field in [
        ({"scheduled_date_time": "2001-01-01T00:00:00Z"}, "scheduledDateTime"),
        ({"platform_data": {"title": "t" * 101}}, "platformData.title"),
    ]:
        with pytest.raises(ValidationError) as caught:
            run(mode, fresh, lambda c, kw=kwargs: c.schedules.update("post_x", **kw))
        assert caught.value.field == field
    with pytest.raises(ValidationError) as caught:
        run(mode, fresh, lambda c: c.schedules.get(""))
    assert caught.value.field == "schedule_id"
    assert api_requests(fresh) == []


def test_list_query_and_iter_pages(mode):
    with Simulator() as own:  # a clean schedule book: the seed plus three new posts
        with reelkit.Hooked(own.hooked_api_key, base_url=own.hooked_base_url) as client:
            for days in (1, 2, 3):
                client.schedules.create(SEED_VIDEO, YOUTUBE, future(days))
        own.clear_requests()
        page = run(
            mode,
            own,
            lambda c: c.schedules.list(status="pending", platform="youtube", limit=2, offset=0),
        )
        assert last_request(own).query == {
            "status": "pending",
            "platform": "youtube",
            "limit": "2",
            "offset": "0",
        }
        assert isinstance(page, SchedulePage) and page.total == 3 and len(page.scheduled_posts) == 2
        assert all(p.status == "pending" for p in page)
        own.clear_requests()
        posts = collect(mode, own, lambda c: c.schedules.iter(limit=3))
        assert len(posts) == 4 and posts[0].id == "post_published_seed"
        assert [r.query.get("offset") for r in api_requests(own)] == [None, "3"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"status": "done"}, "status"),
        ({"status": "PENDING"}, "status"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"platform": ""}, "platform"),
    ],
)
def test_list_validation(fresh, mode, kwargs, field):
    for method in ("list", "iter"):
        with pytest.raises(ValidationError) as caught:
            run(mode, fresh, lambda c, m=method: getattr(c.schedules, m)(**kwargs))
        assert caught.value.field == field
    assert api_requests(fresh) == []


# -- integrations ------------------------------------------------------------------


def test_integrations_expose_health(fresh, mode):
    integrations = run(mode, fresh, lambda c: c.integrations.list())
    assert last_request(fresh).path == "/v1/integration/list"
    by_id = {i.id: i for i in integrations}
    assert all(isinstance(i, Integration) for i in integrations)
    assert by_id[YOUTUBE].is_healthy and by_id[YOUTUBE].health.status == "healthy"
    assert not by_id[TIKTOK_EXPIRED].is_healthy
    assert by_id[TIKTOK_EXPIRED].health.status == "expired"
    assert by_id[TIKTOK_EXPIRED].health.token_valid is False

    expired = run(mode, fresh, lambda c: c.integrations.get(TIKTOK_EXPIRED))
    assert last_request(fresh).path == f"/v1/integration/{TIKTOK_EXPIRED}"
    assert expired.type == "tiktok" and not expired.is_healthy
    assert expired.account.username == "mytiktok"
    assert expired.health.last_checked == datetime(2024, 3, 15, 10, tzinfo=UTC)
    with pytest.raises(NotFoundError):
        run(mode, fresh, lambda c: c.integrations.get("int_missing"), max_retries=0)


@pytest.mark.parametrize(
    ("health", "healthy"),
    [
        ({"status": "healthy", "tokenValid": True}, True),
        ({"status": "healthy", "tokenValid": False}, False),
        ({"status": "healthy"}, False),
        ({"status": "expired", "tokenValid": True}, False),
        ({"status": "error", "tokenValid": False}, False),
        (None, False),
    ],
)
def test_is_healthy_needs_status_and_token(health, healthy):
    integration = Integration.from_raw({"id": "i", "type": "youtube", "health": health})
    assert integration.is_healthy is healthy
    if health is not None:
        assert IntegrationHealth.from_raw(health).is_healthy is healthy
