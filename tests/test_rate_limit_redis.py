"""`RateLimit(store="redis://...")`: one budget shared through a real `redis-server`
(tests/_redis_server.py, on a free loopback port) by several processes,
against the independent strict-window server of tests/ratelimit_server.py. Three
processes see no 429 and use at least 90 % of the budget; the API key never appears
in Redis (key names or values), in logs or in reprs; an unreachable store is an
error naming it, and nothing is sent."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import textwrap
import threading
import time
from urllib.parse import urlsplit

import pytest

import reelkit
from _redis_server import redis_server  # noqa: F401  (the fixture)
from ratelimit_server import Resp, WindowServer, free_port

DUP = {"voice_id": "voice_en_us_female_1"}
WORKER = textwrap.dedent(
    """
    import asyncio, json, sys, time
    import reelkit

    base_url, key, store, start, stop, limit, window = sys.argv[1:8]
    start, stop, limit, window = float(start), float(stop), int(limit), float(window)

    async def main():
        client = reelkit.AsyncHoox(
            key, base_url=base_url, rate_limit=reelkit.RateLimit(limit, per=window, store=store)
        )
        done, errors = 0, []

        async def worker(i):
            nonlocal done
            while time.time() < stop:
                try:
                    await client.generations.status(f"job_{i}")
                    done += 1
                except Exception as e:
                    errors.append(repr(e))
                    return

        await asyncio.sleep(max(0.0, start - time.time()))
        await asyncio.gather(*(worker(i) for i in range(8)))
        print(json.dumps({"done": done, "errors": errors}))

    asyncio.run(main())
    """
)


@pytest.fixture
def store(request: pytest.FixtureRequest) -> str:
    """The session's redis-server, in a database of the rate-limit tests' own."""
    return str(request.getfixturevalue("redis_server")).rstrip("/") + "/7"


def test_three_processes_share_one_budget_without_429(store):
    limit, window, windows = 20, 1.0, 4
    with WindowServer(limit, window, headers=False) as server:
        start = time.time() + 2.0  # after every worker has imported reelkit
        stop = start + windows * window
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    WORKER,
                    server.base_url,
                    server.key,
                    store,
                    str(start),
                    str(stop),
                    str(limit),
                    str(window),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        outputs = []
        for p in procs:
            out, err = p.communicate(timeout=60)
            assert p.returncode == 0, err
            outputs.append(json.loads(out))
        assert all(o["errors"] == [] for o in outputs), outputs
        assert all(o["done"] > 0 for o in outputs), outputs
        assert server.refused() == []
        assert server.max_in_window() <= limit
        # Demand exceeded the budget throughout: the windows after the first
        # request must be (nearly) full.
        times = sorted(a.at for a in server.accepted())
        first = times[0]
        used = sum(1 for t in times if t < first + windows * window)
        assert used >= 0.9 * windows * limit, (used, windows * limit)


def redis_contents(url: str) -> dict[str, object]:
    parts = urlsplit(url)
    assert parts.port is not None
    r = Resp(parts.port)
    try:
        r("SELECT", parts.path.strip("/") or "0")
        contents: dict[str, object] = {}
        for name in r("KEYS", "*"):
            kind = r("TYPE", name)
            if kind == "zset":
                contents[name] = r("ZRANGE", name, "0", "-1", "WITHSCORES")
            elif kind == "string":
                contents[name] = r("GET", name)
            else:
                contents[name] = kind
        return contents
    finally:
        r.close()


def test_the_key_never_reaches_redis_logs_or_reprs(store, caplog):
    with WindowServer(100, 60.0, headers=False) as server:
        key = server.key
        limit = reelkit.RateLimit(50, per=2, store=store)
        client = reelkit.Hoox(key, base_url=server.base_url, rate_limit=limit)
        with caplog.at_level(logging.DEBUG, logger="reelkit"):
            for i in range(5):
                client.generations.status(f"job_{i}")
            server.refuse_next_posts = 1  # a 429 also blocks the budget in Redis
            server.refusal_wait = 3.0
            started = time.monotonic()
            other = reelkit.Hoox(key, base_url=server.base_url, rate_limit=limit)
            poster = threading.Thread(
                target=other.videos.duplicate, args=("vid_1",), kwargs=DUP, daemon=True
            )
            poster.start()
            time.sleep(0.5)  # the 429 has been answered; the resend waits for its reset
            contents = redis_contents(store)
            poster.join(30)
            assert [a.refused for a in server.arrivals if a.method == "POST"] == [True, False]
            assert time.monotonic() - started >= 2.0  # the 429's wait was honoured
        assert contents, "nothing was stored in Redis"
        names = list(contents)
        assert all(n.startswith("reelkit:ratelimit:") for n in names), names
        assert any(n.endswith(":block") for n in names), names  # the 429, for everyone
        dump = json.dumps(contents)
        secret = key.removeprefix("hx_test_ratelimit_")
        assert secret not in dump and key not in dump
        logged = "\n".join(r.getMessage() for r in caplog.records)
        assert "waited" in logged or "429" in logged
        assert secret not in logged
        for text in (repr(client), str(client), repr(limit), repr(vars(client))):
            assert secret not in text


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_unreachable_store_fails_clearly_and_sends_nothing(mode):
    store = f"redis://:hunter2@127.0.0.1:{free_port()}/0"  # nothing listens there
    with WindowServer(100, 60.0, headers=False) as server:
        limit = reelkit.RateLimit(10, store=store)
        started = time.monotonic()
        if mode == "sync":
            client = reelkit.Hoox(server.key, base_url=server.base_url, rate_limit=limit)
            with pytest.raises(reelkit.APIConnectionError) as info:
                client.videos.duplicate("vid_1", voice_id="voice_en_us_female_1")
        else:

            async def main() -> None:
                client = reelkit.AsyncHoox(server.key, base_url=server.base_url, rate_limit=limit)
                await client.videos.duplicate("vid_1", voice_id="voice_en_us_female_1")

            with pytest.raises(reelkit.APIConnectionError) as info:
                asyncio.run(main())
        assert time.monotonic() - started < 10
        text = str(info.value)
        assert f"redis://:***@127.0.0.1:{urlsplit(store).port}/0" in text, text
        assert "hunter2" not in text
        assert "not sent" in text
        assert not isinstance(info.value, reelkit.APITimeoutError)
        assert info.value.may_have_acted is False
        assert server.arrivals == []
