"""examples/celery_batch with a real Celery worker (`celery -A tasks worker`, prefork,
2 processes), Redis as broker, ledger and rate-limit store (a real redis-server,
tests/_redis_server.py), against a Simulator of this process that the workers reach
over loopback. A 30-row Hoox batch is submitted with the example's submit.py; mid-batch
one worker process is killed with SIGKILL while it holds a row. Celery redelivers its
task (acks_late, task_reject_on_worker_lost), another process resumes the row after
its lease: every row ends done or unknown, one paid start per done row, and the
simulator's credits used equal the report's."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from _batch_util import cli_env, generate_rows, paid_starts, write_csv
from _redis_server import redis_server  # noqa: F401  (a fixture)
from reelkit.batch._ledger import open_ledger
from reelkit.testing import Simulator

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "celery_batch"
ROWS = 30
LEASE = 2.0
CREDITS = 5.0

celery = pytest.importorskip("celery", reason="the Celery example needs celery")


def _celery_bin() -> str:
    found = Path(sys.executable).parent / "celery"
    return str(found) if found.exists() else (shutil.which("celery") or "celery")


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rpartition(")")[2].split()[1])


@pytest.fixture
def worker_env(
    redis_server: str,  # noqa: F811
    tmp_path: Path,
) -> Iterator[tuple[dict[str, str], Simulator]]:
    with Simulator(job_seconds=0.25, rate_limit_per_minute=0) as sim:
        env = cli_env(sim)
        env.update(
            REDIS_URL=f"{redis_server}/2",
            BATCH_NAME=f"celery-{uuid.uuid4().hex[:8]}",
            BATCH_LEASE=str(LEASE),
            BATCH_RATE_LIMIT="6000/60",  # the shared Redis budget, generous for a test
            PYTHONPATH=str(EXAMPLE),
        )
        yield env, sim


@pytest.mark.timeout(240)
def test_celery_worker_process_killed_mid_batch_pays_once_per_row(
    worker_env: tuple[dict[str, str], Simulator], tmp_path: Path
) -> None:
    env, sim = worker_env
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        worker = subprocess.Popen(
            [
                _celery_bin(),
                "-A",
                "tasks",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"w{uuid.uuid4().hex[:6]}@%h",
            ],  # fmt: skip
            cwd=EXAMPLE,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    submit = None
    try:
        deadline = time.monotonic() + 60
        while b"ready." not in log.read_bytes():
            assert worker.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)

        csv_path = write_csv(tmp_path / "rows.csv", generate_rows(ROWS))
        submit = subprocess.Popen(
            [
                sys.executable,
                str(EXAMPLE / "submit.py"),
                str(csv_path),
                "--op",
                "generate",
                "--wait",
                "--json",
            ],  # fmt: skip
            cwd=EXAMPLE,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        ledger = f"{env['REDIS_URL']}?batch={env['BATCH_NAME']}"
        victim, held = None, ""
        watch = None
        deadline = time.monotonic() + 90
        while victim is None:
            assert time.monotonic() < deadline and submit.poll() is None, log.read_text()
            if watch is None:
                try:
                    watch = open_ledger(ledger)
                    if not watch.records():
                        watch.close()
                        watch = None
                except Exception:
                    watch = None
            if watch is not None:
                recs = watch.records()
                if sum(r.state == "done" for r in recs) >= 4:
                    for r in recs:
                        pid = int(r.owner.split(":")[1]) if r.owner else 0
                        if r.state == "running" and pid and _parent(pid) == worker.pid:
                            victim, held = pid, r.key
                            break
            time.sleep(0.01)
        os.kill(victim, signal.SIGKILL)
        assert watch is not None
        try:
            out, err = submit.communicate(timeout=90)
            assert submit.returncode in (0, 6), err[-3000:] + log.read_text()[-3000:]
            doc = json.loads(out)
            final = {r.key: r for r in watch.records()}
        finally:
            watch.close()
    finally:
        if submit is not None and submit.poll() is None:
            submit.kill()
            submit.communicate()
        worker.send_signal(signal.SIGTERM)  # warm shutdown of the worker and its pool
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()

    text = log.read_text()
    assert "WorkerLostError" in text, text[-3000:]  # Celery saw its process die...
    (task,) = re.findall(rf"run_row\[([0-9a-f-]+)\] succeeded in [^:]+: {{'key': '{held}'", text)
    assert text.count(f"run_row[{task}] received") == 2, text[-3000:]  # ...and redelivered
    rows = {r["key"]: r for r in doc["rows"]}
    assert len(rows) == ROWS
    done = [r for r in rows.values() if r["state"] == "done"]
    unknown = [r for r in rows.values() if r["state"] == "unknown"]
    assert len(done) + len(unknown) == ROWS, doc["counts"]
    assert rows[held]["state"] in ("done", "unknown")  # the killed process's row ended
    generations, exports = paid_starts(sim)
    for r in done:
        assert generations[r["key"]] == 1, r
        assert exports[r["video_id"]] == 1, r
    for r in unknown:  # only a row the killed process had sent
        assert "may have gone out" in r["error"], r
        by = final[r["key"]].steps["generation"].get("by") or ""
        assert by.split(":")[1] == str(victim), (r, by)
        assert generations[r["key"]] <= 1
    charged_unknown = sum(
        CREDITS for r in unknown if r["credits"] is None and generations[r["key"]] == 1
    )
    assert abs(sim.hoox_credits_used - (doc["credits"] + charged_unknown)) < 1e-6
    print(f"killed worker process {victim} holding {held}: {doc['counts']}")
