"""The client-side rate limiter (crates/reelkit-core/src/ratelimit.rs) against an
independent loopback server that enforces a strict sliding window
(tests/ratelimit_server.py), sync and async: the window is never exceeded yet well
used, turns are first come first served, clients of one key share one budget, the
server's headers are followed without any explicit limit, a 429 on a POST is
absorbed, a turn that cannot come in time fails without sending. Times are compared
with the window's length, never with absolute figures."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import reelkit
from ratelimit_server import WindowServer

DUP = {"voice_id": "voice_en_us_female_1"}


def make(mode: str, server: WindowServer, **kwargs: Any) -> Any:
    cls = reelkit.AsyncHoox if mode == "async" else reelkit.Hoox
    return cls(server.key, base_url=server.base_url, **kwargs)


def concurrently(mode: str, client: Any, calls: list[Callable[[Any], Any]]) -> list[Any]:
    """Run every `call(client)` at once: threads for a sync client, one gather for an
    async one. Returns the results (or exceptions) in order."""
    if mode == "sync":
        with ThreadPoolExecutor(len(calls)) as pool:
            futures = [pool.submit(c, client) for c in calls]
            return [f.exception() or f.result() for f in futures]

    async def main() -> list[Any]:
        return await asyncio.gather(*(c(client) for c in calls), return_exceptions=True)

    return asyncio.run(main())


def status(i: int) -> Callable[[Any], Any]:
    return lambda c: c.generations.status(f"job_{i}")


def ok(results: list[Any]) -> None:
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors[:3]


@pytest.mark.parametrize(
    "mode, headers", [("sync", True), ("async", False)], ids=["sync-headers", "async-no-headers"]
)
def test_never_more_than_n_in_any_window_and_not_much_fewer(mode, headers):
    # 30 requests at 10 per 2 s: three windows' worth. A limiter that lets more
    # through gets 429s here; one that wastes the budget takes longer than 9 s.
    # Without headers nothing else holds the client back: 2 windows at most 25 %
    # late (with Hoox's headers, Remaining: 0 holds it until a whole-second reset).
    with WindowServer(10, 2.0, headers=headers) as server:
        client = make(mode, server, rate_limit=reelkit.RateLimit(10, per=2))
        started = time.monotonic()
        results = concurrently(mode, client, [status(i) for i in range(30)])
        elapsed = time.monotonic() - started
        ok(results)
        assert server.refused() == []
        assert len(server.accepted()) == 30
        assert server.max_in_window() <= 10
        assert 4.0 <= elapsed <= 9.0, elapsed
        if not headers:
            assert elapsed <= 1.25 * 2 * server.window, elapsed


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_turns_are_taken_in_arrival_order(mode):
    # 12 calls started 20 ms apart under 4 per second: those that had to queue go
    # out exactly in the order they came.
    with WindowServer(100, 60.0, headers=False) as server:
        client = make(mode, server, rate_limit=reelkit.RateLimit(4, per=1))

        def staggered(i: int) -> Callable[[Any], Any]:
            if mode == "sync":
                return lambda c: (time.sleep(0.02 * i), c.generations.status(f"job_{i}"))

            async def call(c: Any) -> Any:
                await asyncio.sleep(0.02 * i)
                return await c.generations.status(f"job_{i}")

            return call

        ok(concurrently(mode, client, [staggered(i) for i in range(12)]))
        order = [int(a.path.rsplit("_", 1)[1]) for a in server.accepted()]
        assert order == list(range(12)), order


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_posts_get_through_while_eight_waits_poll_fast(mode):
    # First come first served: POSTs started while 8 waits poll at 0.01 s go out
    # within two windows, and the waits keep being served too.
    window = 2.0
    with WindowServer(10, window) as server:
        client = make(mode, server, rate_limit=reelkit.RateLimit(10, per=window))
        jobs = [f"job_{i}" for i in range(8)]
        post_times: list[float] = []

        def finish_jobs() -> None:
            for j in jobs:
                server.completed.add(j)

        if mode == "sync":
            with ThreadPoolExecutor(12) as pool:
                waits = [
                    pool.submit(client.generations.wait, j, poll_interval=0.01, timeout=30)
                    for j in jobs
                ]
                time.sleep(window / 2)
                started = time.monotonic()
                posts = [pool.submit(client.videos.duplicate, "vid_1", **DUP) for _ in range(4)]
                for p in posts:
                    p.result()
                    post_times.append(time.monotonic() - started)
                finish_jobs()  # each wait's last poll comes after the POSTs
                done = [w.result() for w in waits]
        else:

            async def main() -> list[Any]:
                waits = [
                    asyncio.ensure_future(
                        client.generations.wait(j, poll_interval=0.01, timeout=30)
                    )
                    for j in jobs
                ]
                await asyncio.sleep(window / 2)
                started = time.monotonic()

                async def post() -> None:
                    await client.videos.duplicate("vid_1", **DUP)
                    post_times.append(time.monotonic() - started)

                await asyncio.gather(*(post() for _ in range(4)))
                finish_jobs()  # each wait's last poll comes after the POSTs
                return await asyncio.gather(*waits)

            done = asyncio.run(main())
        assert all(s.is_complete for s in done)
        assert len(post_times) == 4
        assert max(post_times) <= 2 * window, post_times
        assert server.refused() == []
        assert server.max_in_window() <= 10
        # The polls were not starved by the POSTs either: each job polled again
        # after the POSTs went out.
        last_post = max(a.at for a in server.accepted("POST"))
        for j in jobs:
            later = [a for a in server.accepted("GET") if a.path.endswith(j) and a.at > last_post]
            assert later, f"{j} was never polled after the POSTs"


def test_two_clients_of_one_key_share_one_budget():
    # A sync client on threads and an async client on its loop, same base URL and
    # key, each limited to 10 per window: together they never exceed 10.
    window = 1.0
    with WindowServer(10, window, headers=False) as server:
        sync_client = make("sync", server, rate_limit=reelkit.RateLimit(10, per=window))
        async_client = make("async", server, rate_limit=reelkit.RateLimit(10, per=window))
        results: list[Any] = []
        thread = threading.Thread(
            target=lambda: results.extend(
                concurrently("sync", sync_client, [status(i) for i in range(15)])
            )
        )
        started = time.monotonic()
        thread.start()
        results.extend(concurrently("async", async_client, [status(i) for i in range(15)]))
        thread.join()
        elapsed = time.monotonic() - started
        ok(results)
        assert len(results) == 30
        assert server.refused() == []
        assert server.max_in_window() <= 10
        assert elapsed >= 2 * window


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_server_headers_are_followed_without_an_explicit_limit(mode):
    # No rate_limit= and a loopback host: no fixed limit. The first answer's
    # X-RateLimit-* headers are enough to avoid every 429 afterwards.
    window = 1.0
    with WindowServer(10, window) as server:
        client = make(mode, server)
        ok(concurrently(mode, client, [status(0)]))
        results = concurrently(mode, client, [status(i) for i in range(20)])
        ok(results)
        assert server.refused() == []
        assert server.max_in_window() <= 10


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_remaining_zero_holds_everything_until_the_reset(mode):
    # Another program already used 8 of the 10 turns of this key: after two
    # requests the server says Remaining: 0, and the third waits for the reset
    # although no limit was configured and only two requests were sent from here.
    with WindowServer(10, 3.0) as server:
        server.add_foreign(8)
        client = make(mode, server)
        ok(concurrently(mode, client, [status(0)]))
        ok(concurrently(mode, client, [status(1)]))
        ok(concurrently(mode, client, [status(2)]))
        first, second, third = server.accepted()[8:]
        assert second.wall - first.wall < 1.0
        assert third.wall >= second.wall + 2.0, third.wall - second.wall
        assert server.refused() == []


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_waits_stretch_their_poll_interval_to_the_budget(mode):
    # 4 waits asking for a poll every 0.01 s under 10 per second together take at
    # most half the budget (the rest stays free for starts), and each keeps polling.
    window, seconds = 1.0, 3.0
    with WindowServer(10, window, headers=False) as server:
        client = make(mode, server, rate_limit=reelkit.RateLimit(10, per=window))
        jobs = [f"job_{i}" for i in range(4)]
        timer = threading.Timer(seconds, lambda: server.completed.update(jobs))
        timer.start()
        try:
            waits = [
                lambda c, j=j: c.generations.wait(j, poll_interval=0.01, timeout=30) for j in jobs
            ]
            results = concurrently(mode, client, waits)
        finally:
            timer.cancel()
        ok(results)
        polls = server.accepted()
        before_done = [a for a in polls if a.at - polls[0].at < seconds - window]
        # Without stretching: 10 per window; with it, about 5.
        assert len(before_done) <= 0.7 * 10 * (seconds - window) / window, len(before_done)
        for j in jobs:
            assert sum(a.path.endswith(j) for a in polls) >= 3


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_429_on_a_post_is_absorbed_and_the_budget_learns(mode):
    with WindowServer(100, 60.0, headers=False) as server:
        server.refuse_next_posts = 1
        server.refusal_wait = 1.0
        client = make(mode, server, max_retries=0)  # the resend is the limiter's, not a retry
        other = make(mode, server)  # another client of the same key

        def scenario() -> list[Any]:
            if mode == "sync":
                with ThreadPoolExecutor(2) as pool:
                    post = pool.submit(client.videos.duplicate, "vid_1", **DUP)
                    time.sleep(0.3)  # the 429 has been answered by now
                    get = pool.submit(other.generations.status, "job_1")
                    return [post.result(), get.result()]

            async def main() -> list[Any]:
                post = asyncio.ensure_future(client.videos.duplicate("vid_1", **DUP))
                await asyncio.sleep(0.3)
                return [await post, await other.generations.status("job_1")]

            return asyncio.run(main())

        dup, _ = scenario()
        assert dup.video_id.startswith("vid_dup_")
        posts = [a for a in server.arrivals if a.method == "POST"]
        assert [p.refused for p in posts] == [True, False]
        (reset,) = server.forced_resets
        # Resent, and the other client's GET held, until the 429's reset.
        assert posts[1].wall >= reset - 0.05
        (get,) = server.accepted("GET")
        assert get.wall >= reset - 0.05


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_turn_that_cannot_come_in_time_fails_without_sending(mode):
    with WindowServer(100, 60.0, headers=False) as server:
        client = make(mode, server, rate_limit=reelkit.RateLimit(1, per=30), timeout=0.5)
        ok(concurrently(mode, client, [status(0)]))
        started = time.monotonic()
        (error,) = concurrently(mode, client, [lambda c: c.videos.duplicate("vid_1", **DUP)])
        assert isinstance(error, reelkit.APITimeoutError), error
        assert error.may_have_acted is False
        assert "not sent" in str(error) and "1 per 30 s" in str(error)
        assert time.monotonic() - started < 5
        assert len(server.arrivals) == 1


def test_rate_limit_zero_turns_the_limiter_off():
    with WindowServer(5, 30.0, headers=False) as server:
        client = make("sync", server, rate_limit=0, max_retries=0)
        results = concurrently("sync", client, [status(i) for i in range(8)])
        assert sum(isinstance(r, reelkit.RateLimitError) for r in results) == 3
        assert len(server.refused()) == 3


def test_with_options_shares_the_budget_and_can_change_the_rule():
    with WindowServer(100, 60.0, headers=False) as server:
        base = make("sync", server, rate_limit=reelkit.RateLimit(2, per=30), timeout=0.5)
        base.generations.status("job_1")
        same = base.with_options(max_retries=0)
        assert same.rate_limit == reelkit.RateLimit(2, per=30)
        same.generations.status("job_2")
        with pytest.raises(reelkit.APITimeoutError):
            base.generations.status("job_3")  # the copy used the shared budget's second turn
        free = base.with_options(rate_limit=False)
        free.generations.status("job_4")
        assert len(server.arrivals) == 3


def test_rate_limit_values_are_checked_before_anything_is_sent():
    with WindowServer(100, 60.0, headers=False) as server:
        for bad, field in [
            (-1, "rate_limit"),
            (True, "rate_limit"),
            (1.5, "rate_limit"),
            ("100", "rate_limit"),
        ]:
            with pytest.raises(reelkit.ValidationError) as info:
                make("sync", server, rate_limit=bad)
            assert info.value.field == field
        for args, kwargs, field in [
            ((0,), {}, "rate_limit.requests"),
            ((10,), {"per": 0}, "rate_limit.per"),
            ((10,), {"per": float("nan")}, "rate_limit.per"),
            ((10,), {"store": "http://127.0.0.1:6379"}, "rate_limit.store"),
            ((10,), {"store": "rediss://127.0.0.1:6379"}, "rate_limit.store"),
        ]:
            with pytest.raises(reelkit.ValidationError) as info:
                reelkit.RateLimit(*args, **kwargs)
            assert info.value.field == field
        with pytest.raises(reelkit.ValidationError):
            make("sync", server).with_options(rate_limit=-5)
        assert server.arrivals == []


def test_rate_limit_repr_pickle_and_client_repr(monkeypatch):
    import pickle

    key = "hx_test_ratelimit_secret_0123456789"
    monkeypatch.setenv("HOOX_API_KEY", key)
    limit = reelkit.RateLimit(100, per=60, store="redis://:hunter2@127.0.0.1:6379/0")
    assert "hunter2" not in repr(limit)
    assert repr(limit) == "RateLimit(100, per=60, store='redis://:***@127.0.0.1:6379/0')"
    assert pickle.loads(pickle.dumps(limit)) == limit
    client = reelkit.Hoox(key, base_url="http://127.0.0.1:9/api/public/v1", rate_limit=limit)
    assert "hunter2" not in repr(client) and key not in repr(client)
    clone = pickle.loads(pickle.dumps(client))
    assert clone.rate_limit == limit
