"""Timeouts are honoured within 10 %: connecting, reading, a whole call with its
retries, and ``wait(timeout=...)``.

Every row is a scenario: what the server does, the client's and the call's
``timeout``, ``max_retries``, what the caller gets, and the elapsed time the SDK
promises. A row passes when the measured time is within 10 % of that promise, plus
``SLACK`` seconds of absolute slack for thread hand-offs and process scheduling on a
loaded 2-core CI machine (timers themselves are 1 ms grained), and never *earlier*
than 90 % of it. The servers are all on 127.0.0.1:

- ``backlog``: a listener with backlog 0 whose accept queue we fill, so the kernel
  drops further SYNs and a connect hangs: a **connect** timeout.
- ``silent``: accepts and reads the request, never answers: a **read** timeout
  while waiting for the response head.
- ``stall``: sends the response head and one body byte, then stalls: a **read**
  timeout on the body.
- the Simulator with ``faults.trickle`` (one byte per interval longer than the
  timeout): a read timeout on a body that is still arriving, slowly.

``timeout`` bounds connecting and each read (the connect timeout is rounded up to a
grid 2.5 % apart, so that nearby timeouts share one connection pool: still within
10 %); retries multiply it (``expected``
below spells out the sum, backoff included). ``wait(timeout=T)`` returns within one
poll interval (at most 0.5 s) of its deadline, however its polls misbehave."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import select
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

import reelkit
from reelkit.testing import Simulator, faults

SLACK = 0.15  # absolute seconds allowed on top of 10 %
TOLERANCE = 0.10

SEED_VIDEO = "vid_abc123"  # pre-seeded COMPLETED Hooked video
HOOX_DONE_VIDEO = "vid_seed_done"  # pre-seeded done Hoox video


def backoff(n: int) -> tuple[float, float]:
    """(min, max) total backoff before retries 1..n: min(0.5·2^i, 8) minus <= 25 %."""
    full = sum(min(0.5 * 2**i, 8.0) for i in range(n))
    return 0.75 * full, full


def assert_within(elapsed: float, low: float, high: float | None = None) -> None:
    """`elapsed` honours a promise of `low`..`high` seconds (`high` = `low`)."""
    high = low if high is None else high
    # Shown with `pytest -s`: the figures quoted in README.md ("Timeouts honoured").
    off = 0.0 if low <= elapsed <= high else min(abs(elapsed - low), abs(elapsed - high))
    print(f"\n  timing: {elapsed:.3f} s for a promise of {low:.3f}..{high:.3f} s "
          f"({100 * off / high:+.1f} %, {1000 * off:.0f} ms outside)", end="")  # fmt: skip
    assert elapsed >= low * (1 - TOLERANCE), f"fired early: {elapsed:.3f} s < {low:.3f} s"
    limit = high * (1 + TOLERANCE) + SLACK
    assert elapsed <= limit, f"too late: {elapsed:.3f} s > {limit:.3f} s (promise {high:.3f})"


# -- loopback servers that misbehave ----------------------------------------------------


@contextlib.contextmanager
def backlog_full() -> Iterator[str]:
    """A listener whose accept queue is full: a new connect gets no SYN-ACK."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers: list[socket.socket] = []
    try:
        for _ in range(16):  # bounded: Linux queues backlog + 1 (a few on others)
            s = socket.socket()
            s.setblocking(False)
            fillers.append(s)
            code = s.connect_ex(("127.0.0.1", port))
            if code not in (0, errno.EINPROGRESS, errno.EWOULDBLOCK):
                break
            if code != 0:
                _, writable, _ = select.select([], [s], [], 0.2)
                if not writable:
                    break  # this one is hanging: the queue is full
        else:
            pytest.skip("could not fill the listen backlog on this platform")
        yield f"http://127.0.0.1:{port}"
    finally:
        for s in fillers:
            s.close()
        listener.close()


class RawServer:
    """Accepts connections on 127.0.0.1 and runs `behave(conn)` for each, in threads
    it stops (by closing every socket) when the block ends."""

    def __init__(self, behave: Callable[[socket.socket, threading.Event], None]) -> None:
        self.behave = behave
        self.stop = threading.Event()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.listener.settimeout(0.1)
        self.conns: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            self.conns.append(conn)
            threading.Thread(target=self.behave, args=(conn, self.stop), daemon=True).start()

    def __enter__(self) -> RawServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(5)
        for conn in self.conns:
            with contextlib.suppress(OSError):
                conn.close()
        self.listener.close()


def read_request(conn: socket.socket) -> None:
    conn.settimeout(5)
    data = b""
    with contextlib.suppress(OSError):
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                return
            data += chunk


def silent(conn: socket.socket, stop: threading.Event) -> None:
    read_request(conn)
    stop.wait(30)


def head_then_stall(conn: socket.socket, stop: threading.Event) -> None:
    read_request(conn)
    with contextlib.suppress(OSError):
        conn.sendall(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 64\r\n\r\n{"
        )
    stop.wait(30)


@contextlib.contextmanager
def raw(behave) -> Iterator[str]:
    with RawServer(behave) as server:
        yield server.url


SERVERS = {
    "backlog": backlog_full,
    "silent": lambda: raw(silent),
    "stall": lambda: raw(head_then_stall),
}


# -- the table --------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    name: str
    server: str  # a key of SERVERS
    method: str  # "GET" (a read, retried) or "POST" (spends credits)
    client_timeout: float
    call_timeout: float | None  # the method's own timeout=
    max_retries: int
    error: type
    attempts: int
    expected: tuple[float, float]  # promised elapsed seconds (low, high)
    may_have_acted: bool = False


def once(t: float) -> tuple[float, float]:
    return (t, t)


def retried(t: float, n: int) -> tuple[float, float]:
    low, high = backoff(n)
    return ((n + 1) * t + low, (n + 1) * t + high)


ROWS = [
    Row("connect, client timeout", "backlog", "GET", 0.8, None, 0,
        reelkit.APITimeoutError, 1, once(0.8)),
    Row("connect, call timeout below the client's", "backlog", "GET", 30, 0.6, 0,
        reelkit.APITimeoutError, 1, once(0.6)),
    Row("connect, call timeout above the client's", "backlog", "GET", 0.3, 1.2, 0,
        reelkit.APITimeoutError, 1, once(1.2)),
    # Nothing was sent, so even a credit-spending POST is safely resent.
    Row("connect, POST retried (never sent)", "backlog", "POST", 0.5, None, 2,
        reelkit.APITimeoutError, 3, retried(0.5, 2)),
    Row("connect, POST with a call timeout retried (never sent)", "backlog", "POST", 30, 0.4, 1,
        reelkit.APITimeoutError, 2, retried(0.4, 1)),
    Row("response head never comes", "silent", "GET", 0.8, None, 0,
        reelkit.APITimeoutError, 1, once(0.8)),
    Row("response head never comes, call timeout", "silent", "GET", 30, 0.7, 0,
        reelkit.APITimeoutError, 1, once(0.7)),
    Row("response head never comes, whole call with 2 retries", "silent", "GET", 0.5, None, 2,
        reelkit.APITimeoutError, 3, retried(0.5, 2)),
    Row("response head never comes, POST not resent", "silent", "POST", 0.6, None, 2,
        reelkit.APITimeoutError, 1, once(0.6), may_have_acted=True),
    Row("body stalls after the head", "stall", "GET", 0.8, None, 0,
        reelkit.APITimeoutError, 1, once(0.8)),
    Row("body stalls, call timeout", "stall", "GET", 30, 0.6, 0,
        reelkit.APITimeoutError, 1, once(0.6)),
    Row("body stalls, POST not resent", "stall", "POST", 0.6, None, 2,
        reelkit.APITimeoutError, 1, once(0.6), may_have_acted=True),
]  # fmt: skip


def hoox_call(method: str):
    if method == "GET":
        return lambda c, **kw: c.voices.list(**kw)
    return lambda c, **kw: c.videos.duplicate(HOOX_DONE_VIDEO, **kw)


def run_row(row: Row, base: str, mode: str) -> tuple[BaseException | None, float]:
    call = hoox_call(row.method)
    kw = {} if row.call_timeout is None else {"timeout": row.call_timeout}
    opts = {"api_key": "hx_test_timeouts", "base_url": base, "timeout": row.client_timeout,
            "max_retries": row.max_retries}  # fmt: skip
    # Priming sends one attempt with the same timeout (so the same pool): one
    # timeout's worth of waiting, no retries.
    return timed(
        mode,
        reelkit.Hoox,
        reelkit.AsyncHoox,
        opts,
        lambda c: call(c, **kw),
        prime=lambda c: call(c, **{**kw, "max_retries": 0}),
    )


def timed(
    mode: str, sync_cls, async_cls, opts: dict, call, prime=None
) -> tuple[BaseException | None, float]:
    """(the ReelkitError raised or None, seconds the call itself took) with a fresh
    sync client, or an asyncio one inside `asyncio.run` (its start-up not counted).
    `prime(client)` runs first, unmeasured: a client builds its connection pool on
    its first call with a given timeout (~10 ms in a release build, ~80 ms in a dev
    build), which is set-up, not time spent waiting on the server."""

    def settle(outcome):
        with contextlib.suppress(reelkit.ReelkitError):
            outcome()

    if mode == "sync":
        with sync_cls(**opts) as client:
            if prime is not None:
                settle(lambda: prime(client))
            started = time.monotonic()
            try:
                call(client)
            except reelkit.ReelkitError as exc:
                return exc, time.monotonic() - started
            return None, time.monotonic() - started

    async def go() -> tuple[BaseException | None, float]:
        async with async_cls(**opts) as client:
            if prime is not None:
                with contextlib.suppress(reelkit.ReelkitError):
                    await prime(client)
            started = time.monotonic()
            try:
                await call(client)
            except reelkit.ReelkitError as exc:
                return exc, time.monotonic() - started
            return None, time.monotonic() - started

    return asyncio.run(go())


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.name)
def test_timeout(row: Row, mode: str) -> None:
    with SERVERS[row.server]() as base:
        error, elapsed = run_row(row, base + "/api/public/v1", mode)
    assert error is not None, "the call succeeded against a server that never answers"
    assert isinstance(error, row.error), repr(error)
    assert error.attempts == row.attempts, str(error)
    assert error.may_have_acted is row.may_have_acted, str(error)
    assert_within(elapsed, *row.expected)


# -- trickle: a body that keeps arriving, too slowly ---------------------------------


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(job_seconds=3600, rate_limit_per_minute=0) as s:
        yield s


@pytest.fixture(autouse=True)
def _clean(request) -> Iterator[None]:
    if "sim" in request.fixturenames:
        sim = request.getfixturevalue("sim")
        sim.clear_faults()
        sim.clear_requests()
    yield


TRICKLE_ROWS = [
    # name, bytes per chunk, interval, timeout, outcome (None = success), promise
    ("each byte later than the timeout", 1, 2.0, 0.6, reelkit.APITimeoutError, once(0.6)),
    ("each byte within the timeout: slow but fine", 64, 0.05, 0.6, None, (0.0, 30.0)),
]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("row", TRICKLE_ROWS, ids=lambda r: r[0])
def test_trickle(sim: Simulator, row, mode: str) -> None:
    _, chunk, interval, timeout, outcome, promise = row
    sim.inject("GET", f"/v1/video/{SEED_VIDEO}", faults.trickle(chunk, interval))
    opts = {"api_key": sim.hooked_api_key, "base_url": sim.hooked_base_url,
            "timeout": timeout, "max_retries": 0}  # fmt: skip
    error, elapsed = timed(
        mode,
        reelkit.Hooked,
        reelkit.AsyncHooked,
        opts,
        lambda c: c.videos.get(SEED_VIDEO),
        prime=lambda c: c.voices.list(),
    )
    if outcome is None:
        assert error is None, repr(error)
        assert elapsed > timeout  # the whole body took longer than one timeout
    else:
        assert isinstance(error, outcome), repr(error)
        assert_within(elapsed, *promise)


# -- wait(timeout=...) -------------------------------------------------------------------


@dataclass(frozen=True)
class WaitRow:
    name: str
    fault: faults.Fault | None  # on the status path, every poll
    client_timeout: float
    wait_timeout: float
    poll_interval: float


WAIT_ROWS = [
    WaitRow("job never finishes", None, 5, 2.0, 0.5),
    WaitRow("job never finishes, polling flat out", None, 5, 1.5, 0),
    WaitRow("every poll hangs", faults.delay(30), 30, 1.5, 0.3),
    WaitRow("every poll times out, one straddles the deadline", faults.delay(30), 0.4, 1.0, 0.1),
    WaitRow("every poll fails fast (503)", faults.status(503), 5, 1.5, 0.2),
    WaitRow("every poll resets", faults.reset(), 5, 1.5, 0.2),
]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("row", WAIT_ROWS, ids=lambda r: r.name)
def test_wait_returns_within_one_poll_interval_of_its_deadline(
    sim: Simulator, row: WaitRow, mode: str
) -> None:
    hooked = reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url)
    avatar, voice = hooked.avatars.list()[0], hooked.voices.list()[0]
    project = hooked.projects.create_talking_avatar(
        script="A job that takes an hour.", avatar_id=avatar.id, voice_id=voice.id
    )
    if row.fault is not None:
        sim.inject("GET", f"/v1/video/{project.video_id}", row.fault, times=0)
    opts = {"api_key": sim.hooked_api_key, "base_url": sim.hooked_base_url,
            "timeout": row.client_timeout, "max_retries": 0}  # fmt: skip
    wait_kw = {"timeout": row.wait_timeout, "poll_interval": row.poll_interval}
    error, elapsed = timed(
        mode,
        reelkit.Hooked,
        reelkit.AsyncHooked,
        opts,
        lambda c: c.videos.wait(project.video_id, **wait_kw),
    )
    assert isinstance(error, reelkit.WaitTimeoutError), repr(error)
    assert error.job_id == project.video_id
    grace = min(row.poll_interval, 0.5)
    assert_within(elapsed, row.wait_timeout, row.wait_timeout + grace)
