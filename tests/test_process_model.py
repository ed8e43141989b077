"""Process model: fork, pickling, Ctrl-C and asyncio cancellation.

These need real signals and real child processes, so they run subprocesses or
fork; the server is the built-in simulator on 127.0.0.1."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import reelkit
from reelkit.testing import Simulator, faults

SEED_VIDEO = "vid_abc123"  # pre-seeded COMPLETED Hooked video


@pytest.fixture
def sim():
    with Simulator(job_seconds=0.5) as s:
        yield s


def hooked_client(sim: Simulator, **kw) -> reelkit.Hooked:
    return reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url, **kw)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_client_keeps_working_in_forked_child(sim):
    client = hooked_client(sim)
    assert client.videos.get(SEED_VIDEO).id == SEED_VIDEO  # runtime and pool now exist
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: same client object, inherited from the parent
        try:
            ok = client.videos.get(SEED_VIDEO).id == SEED_VIDEO
            os.write(write, b"ok" if ok else b"bad")
        except BaseException as exc:  # report anything to the parent
            os.write(write, repr(exc).encode()[:200])
        finally:
            os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    assert os.read(read, 200) == b"ok"
    assert status == 0
    assert client.videos.get(SEED_VIDEO).id == SEED_VIDEO  # parent unaffected


def _child_get(client: reelkit.Hooked, queue) -> None:
    queue.put(client.videos.get(SEED_VIDEO).status)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_multiprocessing_fork_and_spawn(sim, method, monkeypatch):
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{method} not available")
    # spawn re-imports and unpickles the client: the key comes from the environment.
    monkeypatch.setenv("HOOKED_API_KEY", sim.hooked_api_key)
    client = hooked_client(sim)
    client.videos.get(SEED_VIDEO)
    ctx = multiprocessing.get_context(method)
    queue = ctx.Queue()
    proc = ctx.Process(target=_child_get, args=(client, queue))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 0
    assert queue.get(timeout=5) == "COMPLETED"


def test_pickle_carries_configuration_not_the_key(sim, monkeypatch):
    client = hooked_client(sim, timeout=12.5, max_retries=4)
    data = pickle.dumps(client)
    assert sim.hooked_api_key.encode() not in data
    monkeypatch.setenv("HOOKED_API_KEY", "key-from-worker-env")
    restored = pickle.loads(data)
    assert (restored.base_url, restored.timeout, restored.max_retries) == (
        sim.hooked_base_url,
        12.5,
        4,
    )
    monkeypatch.delenv("HOOKED_API_KEY")
    with pytest.raises(reelkit.ReelkitError, match="HOOKED_API_KEY"):
        pickle.loads(data)


def test_pickle_with_opt_in_carries_the_key(sim, monkeypatch):
    monkeypatch.delenv("HOOKED_API_KEY", raising=False)
    client = hooked_client(sim, pickle_api_key=True)
    data = pickle.dumps(client)
    assert sim.hooked_api_key.encode() in data
    assert pickle.loads(data).videos.get(SEED_VIDEO).id == SEED_VIDEO


SIGINT_SCRIPT = textwrap.dedent(
    """
    import sys, time, reelkit
    from reelkit.testing import Simulator, faults
    with Simulator() as sim:
        sim.inject("GET", "/v1/video/*", faults.delay(float(sys.argv[2])), times=0)
        client = reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url)
        print("ready", flush=True)
        started = time.monotonic()
        try:
            if sys.argv[1] == "get":
                client.videos.get("vid_abc123")
            else:
                client.videos.wait("vid_abc123", poll_interval=0.2)
        except KeyboardInterrupt:
            print(f"interrupted {time.monotonic() - started:.3f}", flush=True)
            sys.exit(0)
        print("not interrupted", flush=True)
        sys.exit(1)
    """
)


# How long the server takes to answer: the call would block this long without Ctrl-C.
SIGINT_DELAY = 60.0


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("operation", ["get", "wait"])
def test_sigint_interrupts_a_blocking_call_quickly(operation):
    # What is measured: whether SIGINT ends the call instead of the server's answer.
    # The bounds are fractions of that answer's delay (signals are checked every
    # 50 ms, so a working client is far inside them even on a loaded machine).
    proc = subprocess.Popen(
        [sys.executable, "-c", SIGINT_SCRIPT, operation, str(SIGINT_DELAY)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.5)  # let the request start
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=SIGINT_DELAY / 2)
        elapsed = time.monotonic() - sent
    finally:
        proc.kill()
    assert proc.returncode == 0, (out, err)
    assert out.startswith("interrupted"), (out, err)
    # Interrupted, the process exits (interpreter shutdown included) long before the
    # answer would have come.
    assert elapsed < SIGINT_DELAY / 4
    interrupted_after = float(out.split()[1])  # since the call started, ~0.5 s before
    assert interrupted_after < SIGINT_DELAY / 10


class _NoReaderLoop(asyncio.SelectorEventLoop):
    """A loop without add_reader (like Windows' proactor): reelkit's async calls take
    pyo3-async-runtimes' path instead of the per-loop completion socket."""

    def add_reader(self, *args, **kwargs):
        raise NotImplementedError


# The delayed answer a cancelled task must not wait for.
CANCEL_DELAY = 30.0


@pytest.mark.parametrize("loop_factory", [asyncio.new_event_loop, _NoReaderLoop])
def test_cancelling_a_task_aborts_the_request_and_client_stays_usable(sim, loop_factory):
    sim.inject("GET", f"/v1/video/{SEED_VIDEO}", faults.delay(CANCEL_DELAY), times=1)

    async def scenario() -> tuple[float, str]:
        async with reelkit.AsyncHooked(
            api_key=sim.hooked_api_key, base_url=sim.hooked_base_url
        ) as client:
            task = asyncio.ensure_future(client.videos.get(SEED_VIDEO))
            await asyncio.sleep(0.3)
            task.cancel()
            started = time.monotonic()
            with pytest.raises(asyncio.CancelledError):
                await task
            cancelled_in = time.monotonic() - started
            video = await client.videos.get(SEED_VIDEO)
            return cancelled_in, video.status

    loop = loop_factory()
    try:
        cancelled_in, status = loop.run_until_complete(scenario())
    finally:
        loop.close()
    # Cancelled at once rather than when the answer comes: a tenth of its delay
    # leaves room for a loaded machine and none for waiting on the request.
    assert cancelled_in < CANCEL_DELAY / 10
    assert status == "COMPLETED"
    # The delayed request was received and abandoned; the retry after it succeeded.
    gets = [r for r in sim.requests() if r.path == f"/v1/video/{SEED_VIDEO}"]
    assert len(gets) == 2
