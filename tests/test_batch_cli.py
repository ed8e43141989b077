"""`reelkit batch run|status|estimate` end to end, as a subprocess against a Simulator
of this process: human and --json output and every exit code (0 all done, 2 refused
before sending, 5 a row failed or was skipped, 6 a row unknown, 130 interrupted, and
running again resumes)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from _batch_util import (
    EXPORT_START,
    GENERATION_START,
    cli_env,
    generate_rows,
    run_cli,
    script_for,
    start_cli,
    write_csv,
)
from reelkit.testing import Simulator, faults


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(job_seconds=0.2, rate_limit_per_minute=0) as s:
        yield s


def starts(sim: Simulator, path: str) -> int:
    return sum(1 for r in sim.requests() if r.method == "POST" and r.path == path)


def run_args(csv_path: Path, ledger: Path, *extra: str) -> list[str]:
    return ["batch", "run", str(csv_path), "--provider", "hoox", "--op", "generate",
            "--ledger", str(ledger), *extra]  # fmt: skip


def test_run_status_and_estimate_end_to_end(sim: Simulator, tmp_path: Path) -> None:
    csv_path = write_csv(tmp_path / "rows.csv", generate_rows(4))
    ledger, out = tmp_path / "ledger.db", tmp_path / "out"

    code, estimate, _ = run_cli(
        sim, "batch", "estimate", str(csv_path), "--provider", "hoox", "--op", "generate", "--json"
    )
    assert code == 0 and estimate["total"] == 20 and estimate["unpriced"] == []
    assert sim.requests() == []  # an estimate sends nothing

    code, text, err = run_cli(sim, *run_args(csv_path, ledger, "--out", str(out)))
    assert code == 0, err
    assert "4 rows: 4 done; 20 credits" in text and "r03" in text
    assert "batch: 4/4 rows (done 4" in err  # the progress line (stderr is a pipe)
    assert sorted(p.name for p in out.iterdir()) == ["r00.mp4", "r01.mp4", "r02.mp4", "r03.mp4"]

    code, doc, _ = run_cli(sim, "batch", "status", str(ledger), "--json")
    assert code == 0 and doc["counts"]["done"] == 4 and doc["credits"] == 20
    assert [r["key"] for r in doc["rows"]] == ["r00", "r01", "r02", "r03"]
    assert all(r["path"] == str(out / f"{r['key']}.mp4") for r in doc["rows"])

    sim.clear_requests()
    code, doc, _ = run_cli(sim, *run_args(csv_path, ledger, "--out", str(out), "--json"))
    assert code == 0 and doc["exit_code"] == 0 and sim.requests() == []  # nothing redone


def test_exit_5_when_a_row_failed_or_was_skipped(sim: Simulator, tmp_path: Path) -> None:
    rows = generate_rows(3)
    rows[0]["script"] = script_for("r00", "SIMULATE_FAILURE")
    csv_path = write_csv(tmp_path / "rows.csv", rows)
    code, doc, err = run_cli(
        sim, *run_args(csv_path, tmp_path / "l.db", "--json", "--concurrency", "1")
    )
    assert code == 5, err
    assert doc["counts"] == {"done": 2, "failed": 1, "unknown": 0, "skipped": 0}
    failed = doc["rows"][0]
    assert failed["state"] == "failed" and failed["job_id"] in failed["error"]

    ok_rows = write_csv(tmp_path / "ok.csv", generate_rows(3, prefix="b"))
    code, doc, _ = run_cli(
        sim, *run_args(ok_rows, tmp_path / "b.db", "--json", "--max-credits", "7")
    )
    assert code == 5 and doc["counts"]["skipped"] == 2 and doc["counts"]["done"] == 1
    assert starts(sim, GENERATION_START) == 4  # 3 + 1: skipped rows never started
    code, _, _ = run_cli(sim, "batch", "status", str(tmp_path / "b.db"))
    assert code == 5


def test_exit_6_when_a_request_may_have_gone_out_unrecorded(sim: Simulator, tmp_path: Path) -> None:
    csv_path = write_csv(tmp_path / "rows.csv", generate_rows(2))
    ledger = tmp_path / "l.db"
    sim.inject("POST", EXPORT_START, faults.reset(), times=1)
    code, text, _ = run_cli(sim, *run_args(csv_path, ledger, "--concurrency", "1"))
    assert code == 6
    assert "r00 (unknown): export: POST /export/start may have gone out" in text
    assert "--resubmit-unknown" in text
    sim.clear_requests()
    code, _, _ = run_cli(sim, *run_args(csv_path, ledger))
    assert code == 6 and starts(sim, EXPORT_START) == 0  # never resent by itself
    code, doc, _ = run_cli(sim, *run_args(csv_path, ledger, "--resubmit-unknown", "--json"))
    assert code == 0 and doc["counts"]["done"] == 2
    assert starts(sim, EXPORT_START) == 1 and starts(sim, GENERATION_START) == 0


def test_exit_2_when_refused_before_anything_is_sent(sim: Simulator, tmp_path: Path) -> None:
    rows = generate_rows(2)
    rows[1]["scirpt"] = "typo"
    csv_path = write_csv(tmp_path / "rows.csv", rows)
    code, text, err = run_cli(sim, *run_args(csv_path, tmp_path / "l.db"))
    assert code == 2 and "scirpt" in err and "not a parameter" in err
    code, _, err = run_cli(sim, "batch", "status", str(tmp_path / "missing.db"))
    assert code == 2 and "does not exist" in err
    assert sim.requests() == []


def test_exit_130_when_interrupted_and_running_again_resumes(
    sim: Simulator, tmp_path: Path
) -> None:
    rows = generate_rows(6)
    csv_path = write_csv(tmp_path / "rows.csv", rows)
    ledger = tmp_path / "l.db"
    args = run_args(csv_path, ledger, "--json", "--concurrency", "3")
    with Simulator(job_seconds=3.0, rate_limit_per_minute=0) as slow:
        proc = start_cli(slow, *args)
        deadline = time.monotonic() + 30
        while starts(slow, GENERATION_START) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.3)  # the job ids are recorded; the waits are running
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err
        assert "interrupted; run the same command again to resume" in err
        assert '"interrupted": true' in out
        first = starts(slow, GENERATION_START)
        code, doc, err = run_cli(slow, *args)
        assert code == 0, err
        assert doc["counts"]["done"] == 6
        assert starts(slow, GENERATION_START) == 6 == first + 3  # the 3 in flight resumed


def test_console_script_help_lists_batch(sim: Simulator) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "reelkit", "batch", "run", "--help"],
        capture_output=True,
        text=True,
        env=cli_env(sim),
        timeout=60,
    )
    assert proc.returncode == 0
    for option in ("--ledger", "--resubmit-unknown", "--max-credits", "--concurrency", "130"):
        assert option in proc.stdout
