"""`reelkit.batch` in process against a Simulator: every op, sync and async, the
ledger's resume rules (done untouched, in flight resumed without a new POST, unknown
never resent unless asked, changed parameters refused), failures, the budget, CSV and
DataFrame inputs, estimates and the report."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import reelkit
import reelkit.batch
from _batch_util import EXPORT_START, GENERATION_START, generate_rows, script_for
from reelkit.testing import Simulator, faults

HOOKED_AVATAR, HOOKED_VOICE = "avt_sophia", "tzX5paJ07p5hyWFcU3uG"


@pytest.fixture
def sim(monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    monkeypatch.setenv("REELKIT_POLL_INTERVAL", "0.05")  # not 0: many rows poll at once
    with Simulator(job_seconds=0.2, rate_limit_per_minute=0) as s:
        yield s


@pytest.fixture
def hoox(sim: Simulator) -> Iterator[reelkit.Hoox]:
    with reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as client:
        yield client


@pytest.fixture
def hooked(sim: Simulator) -> Iterator[reelkit.Hooked]:
    with reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url) as client:
        yield client


def posts(sim: Simulator, path: str) -> list[Any]:
    return [r for r in sim.requests() if r.method == "POST" and r.path == path]


def run_async(sim: Simulator, rows: Any, **kwargs: Any) -> reelkit.batch.BatchReport:
    async def main() -> reelkit.batch.BatchReport:
        async with reelkit.AsyncHoox(
            api_key=sim.hoox_api_key, base_url=sim.hoox_base_url
        ) as client:
            return await reelkit.batch.arun(client, rows, **kwargs)

    return asyncio.run(main())


# -- the main path, sync and async -------------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_generate_batch_then_rerun_redoes_nothing(
    mode: str, sim: Simulator, hoox: reelkit.Hoox, tmp_path: Path
) -> None:
    rows = generate_rows(6)
    ledger, out = tmp_path / "ledger.db", tmp_path / "out"
    kwargs: dict[str, Any] = {"ledger": ledger, "op": "generate", "out_dir": out, "concurrency": 3}
    if mode == "sync":
        report = reelkit.batch.run(hoox, rows, **kwargs)
    else:
        report = run_async(sim, rows, **kwargs)
    assert report.counts == {"done": 6, "failed": 0, "unknown": 0, "skipped": 0}
    assert [r.key for r in report.rows] == [r["key"] for r in rows]  # input order
    for row in report.rows:
        assert row.job_id and row.video_id and row.url and row.error is None
        assert Path(row.path or "") == out / f"{row.key}.mp4"
        assert Path(row.path or "").read_bytes()[4:8] == b"ftyp"
    assert report.credits == sim.hoox_credits_used == 30
    assert len(posts(sim, GENERATION_START)) == 6 and len(posts(sim, EXPORT_START)) == 6

    sim.clear_requests()
    again = (
        reelkit.batch.run(hoox, rows, **kwargs)
        if mode == "sync"
        else run_async(sim, rows, **kwargs)
    )
    assert sim.requests() == []  # done rows are not touched: not even a status call
    assert again == report and again.credits == 30
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{r['key']}.mp4" for r in rows)


def test_rows_in_flight_resume_from_their_ids_without_a_new_post(
    sim: Simulator, tmp_path: Path
) -> None:
    """Cancel the batch while its jobs are being waited for (as Ctrl-C does), then run
    it again: it waits on the recorded job ids and starts nothing new."""
    rows = generate_rows(4)
    ledger = tmp_path / "ledger.db"

    async def interrupted() -> None:
        async with reelkit.AsyncHoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url) as c:
            task = asyncio.ensure_future(
                reelkit.batch.arun(c, rows, ledger=ledger, op="generate", concurrency=4)
            )
            while len(posts(sim, GENERATION_START)) < 4:
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)  # the job ids are recorded, the waits running
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    asyncio.run(interrupted())
    status = reelkit.batch.status(ledger)
    assert {r.state for r in status.rows} == {"running"}
    assert all(r.job_id for r in status.rows)  # every job id survived the interruption
    sim.clear_requests()
    report = run_async(sim, rows, ledger=ledger, op="generate")
    assert report.counts["done"] == 4, report.rows
    assert posts(sim, GENERATION_START) == []  # resumed from the ids, no new POST
    assert len(posts(sim, EXPORT_START)) == 4
    assert {r.job_id for r in report.rows} == {r.job_id for r in status.rows}
    assert report.credits == sim.hoox_credits_used == 20


# -- failures, unknown outcomes -------------------------------------------------------------


def test_failed_jobs_do_not_stop_the_other_rows(sim: Simulator, tmp_path: Path) -> None:
    rows = generate_rows(6)
    rows[1]["script"] = script_for("r01", "SIMULATE_FAILURE")
    rows[4]["script"] = script_for("r04", "SIMULATE_EXPORT_FAILURE")
    ledger = tmp_path / "ledger.db"
    report = run_async(sim, rows, ledger=ledger, op="generate", concurrency=2)
    assert report.counts == {"done": 4, "failed": 2, "unknown": 0, "skipped": 0}
    gen_failed, export_failed = report["r01"], report["r04"]
    assert gen_failed.state == export_failed.state == "failed"
    # The full error text, with the job id to look up.
    assert gen_failed.job_id and gen_failed.job_id in (gen_failed.error or "")
    assert "GENERATION_FAILED" in (gen_failed.error or "")
    assert "EXPORT_FAILED" in (export_failed.error or "") and export_failed.video_id
    # A Hoox generation that fails is not refunded: its charge stays in the report.
    assert report.credits == sim.hoox_credits_used == 30

    # Running again does not start new jobs for rows whose job failed...
    sim.clear_requests()
    again = run_async(sim, rows, ledger=ledger, op="generate")
    assert again.counts["failed"] == 2 and posts(sim, GENERATION_START) == []
    # ...unless asked: then only the failed step is redone (r04 keeps its video).
    retried = run_async(sim, rows, ledger=ledger, op="generate", retry_failed=True)
    assert [json.loads(json.dumps(r.json))["script"] for r in posts(sim, GENERATION_START)] == [
        rows[1]["script"]
    ]
    exports = posts(sim, EXPORT_START)
    assert [r.json["video_id"] for r in exports] == [export_failed.video_id]
    assert retried.counts == {"done": 4, "failed": 2, "unknown": 0, "skipped": 0}
    assert retried.credits == sim.hoox_credits_used == 35


def test_unknown_outcome_is_never_resent_unless_asked(sim: Simulator, tmp_path: Path) -> None:
    """The server reads the POST, then the connection drops: a job may exist. The row
    is `unknown`, stays so on every rerun, and is sent again only on request."""
    rows = generate_rows(3)
    ledger = tmp_path / "ledger.db"
    sim.inject("POST", GENERATION_START, faults.reset(), times=1)
    report = run_async(sim, rows, ledger=ledger, op="generate", concurrency=1)
    assert report.counts == {"done": 2, "failed": 0, "unknown": 1, "skipped": 0}
    row = report["r00"]
    assert row.state == "unknown" and row.job_id is None
    assert "may have gone out" in (row.error or "") and "resubmit_unknown=True" in (row.error or "")
    assert "Hoox account" in (row.error or "")

    sim.clear_requests()
    again = run_async(sim, rows, ledger=ledger, op="generate")
    assert again["r00"].state == "unknown" and sim.requests() == []

    resent = run_async(sim, rows, ledger=ledger, op="generate", resubmit_unknown=True)
    assert resent.counts["done"] == 3
    assert [r.json["script"] for r in posts(sim, GENERATION_START)] == [rows[0]["script"]]


def test_a_refused_post_is_retried_on_the_next_run(sim: Simulator, tmp_path: Path) -> None:
    """402 proves the server did not act: the row fails, and the next run sends it."""
    rows = generate_rows(2)
    ledger = tmp_path / "ledger.db"
    refusal = {
        "error": "Insufficient credits. Required: 5, Available: 0",
        "code": "INSUFFICIENT_CREDITS",
    }
    sim.inject("POST", GENERATION_START, faults.status(402, refusal), times=1)
    report = run_async(sim, rows, ledger=ledger, op="generate", concurrency=1)
    assert report["r00"].state == "failed" and "402" in (report["r00"].error or "")
    assert report["r01"].state == "done"
    again = run_async(sim, rows, ledger=ledger, op="generate")
    assert again.counts["done"] == 2


def test_a_rate_limited_post_waits_its_turn(sim: Simulator, tmp_path: Path) -> None:
    """429s past the client's own retries: the server did not act, so the batch waits
    and sends the row again instead of failing it; one job results."""
    limited = faults.status(
        429, {"error": "Rate limit exceeded", "code": "RATE_LIMIT_EXCEEDED"}, {"Retry-After": "0"}
    )
    sim.inject("POST", GENERATION_START, limited, times=4)
    report = run_async(sim, generate_rows(1), ledger=tmp_path / "l.db", op="generate")
    assert report.counts["done"] == 1, report.rows
    assert len(posts(sim, GENERATION_START)) == 5  # 3 + 1 refused, then the one accepted
    assert report.credits == sim.hoox_credits_used == 5


# -- budget -------------------------------------------------------------------------------------


def test_budget_skips_rows_that_would_pass_it_and_never_starts_them(
    sim: Simulator, tmp_path: Path
) -> None:
    rows = generate_rows(5)
    ledger = tmp_path / "ledger.db"
    report = run_async(sim, rows, ledger=ledger, op="generate", max_credits=12, concurrency=1)
    assert report.counts == {"done": 2, "failed": 0, "unknown": 0, "skipped": 3}
    for row in report.rows[2:]:
        assert row.state == "skipped" and row.job_id is None
        assert "max_credits=12" in (row.error or "") and "estimate of 5" in (row.error or "")
    assert len(posts(sim, GENERATION_START)) == 2  # skipped rows were never started
    assert sim.hoox_credits_used == report.credits == 10

    # Spent credits count on the next run: 10 spent + 5 passes 14, only one more fits.
    more = run_async(sim, rows, ledger=ledger, op="generate", max_credits=15)
    assert more.counts == {"done": 3, "failed": 0, "unknown": 0, "skipped": 2}
    assert len(posts(sim, GENERATION_START)) == 3


def test_hooked_budget_counts_reported_credits(sim: Simulator, tmp_path: Path) -> None:
    rows = [
        {
            "key": f"h{i}",
            "script": f"Hooked row {i}",
            "avatar_id": HOOKED_AVATAR,
            "voice_id": HOOKED_VOICE,
        }
        for i in range(4)
    ]
    with reelkit.Hooked(api_key=sim.hooked_api_key, base_url=sim.hooked_base_url) as client:
        report = reelkit.batch.run(
            client,
            rows,
            ledger=tmp_path / "l.db",
            op="talking_avatar",
            max_credits=9,
            concurrency=1,
        )
    # Each video reports 5 credits: after two (10 >= 9) no new row starts.
    assert report.counts == {"done": 2, "failed": 0, "unknown": 0, "skipped": 2}
    assert "Hooked publishes no prices" in (report["h3"].error or "")
    assert sim.hooked_credits_used == report.credits == 10


# -- Hooked and the other Hoox ops ----------------------------------------------------------------


def test_hooked_batch_waits_downloads_and_ends_projects_without_video(
    sim: Simulator, hooked: reelkit.Hooked, tmp_path: Path
) -> None:
    rows: list[dict[str, Any]] = [
        {
            "key": f"ta{i}",
            "op": "talking_avatar",
            "script": f"Talking row {i}",
            "avatar_id": HOOKED_AVATAR,
            "voice_id": HOOKED_VOICE,
        }
        for i in range(3)
    ]
    rows.append(
        {
            "key": "fail",
            "op": "talking_avatar",
            "script": "SIMULATE_FAILURE",
            "avatar_id": HOOKED_AVATAR,
            "voice_id": HOOKED_VOICE,
        }
    )
    rows.append({"key": "novideo", "op": "add_captions", "media": "media_123"})
    # This project's answer names no video: the row ends once it is created.
    sim.inject(
        "POST", "/v1/project/create/add-captions",
        faults.status(200, {"success": True, "data": {"projectId": "proj_without_video"}}),
    )  # fmt: skip
    out = tmp_path / "out"
    report = reelkit.batch.run(hooked, rows, ledger=tmp_path / "h.db", out_dir=out)
    assert report.counts == {"done": 4, "failed": 1, "unknown": 0, "skipped": 0}, report.rows
    for row in report.rows[:3]:
        assert row.job_id and row.video_id and row.credits == 5
        assert Path(row.path or "").read_bytes()[4:8] == b"ftyp"
    assert report["novideo"].job_id == "proj_without_video" and report["novideo"].video_id is None
    assert report["fail"].state == "failed" and report["fail"].video_id in (
        report["fail"].error or ""
    )
    assert report.credits == sim.hooked_credits_used == 15  # the failed video was refunded
    assert sorted(p.name for p in out.iterdir()) == ["ta0.mp4", "ta1.mp4", "ta2.mp4"]


def test_hoox_duplicate_avatar_and_asset_ops(
    sim: Simulator, hoox: reelkit.Hoox, tmp_path: Path
) -> None:
    rows = [
        {
            "key": "dup",
            "op": "duplicate",
            "video_id": "vid_seed_done",
            "voice_id": "voice_fr_female_01",
        },
        {
            "key": "av",
            "op": "avatar",
            "prompt": "A friendly baker in a bright kitchen",
            "resolution": "4K",
        },
        {
            "key": "av_img",
            "op": "avatar",
            "image_urls": ["https://example.com/me.png"],
            "name": "Me",
        },
        {
            "key": "img",
            "op": "asset",
            "model": "flux-2-pro",
            "type": "image",
            "prompt": "A red bicycle",
        },
    ]
    estimate = reelkit.batch.estimate(hoox, rows)
    assert [r.credits for r in estimate.rows] == [None, 4.0, 0.0, 2.0]
    assert "export_video_duration" in (estimate.rows[0].note or "")  # what to give
    report = reelkit.batch.run(hoox, rows, ledger=tmp_path / "x.db", out_dir=tmp_path / "out")
    assert report.counts["done"] == 4, report.rows
    assert report["dup"].video_id and report["dup"].job_id and report["dup"].path
    assert report["av"].job_id and report["av"].credits == 4.0 and report["av"].url
    assert report["av_img"].credits == 0.0
    assert report["img"].job_id and report["img"].url and report["img"].credits == 2
    assert report["dup"].credits == 24  # the copy's export: premium avatar, 30 s x 0.8
    assert report.credits == sim.hoox_credits_used == 30


# -- inputs -------------------------------------------------------------------------------------


def test_csv_cells_json_numbers_empty_and_text_columns(
    sim: Simulator, hoox: reelkit.Hoox, tmp_path: Path
) -> None:
    text = (
        "key,op,prompt,duration,voice_id,web_urls,enable,export,export_format\n"
        'c1,generate,2024,30,voice_fr_female_01,"[""https://example.com/a""]",'
        '"{""music"": false}",,vertical\n'
        "c2,generate,Another ad,40,voice_fr_female_01,,,false,\n"
    )
    reader = csv.DictReader(io.StringIO(text))
    report = reelkit.batch.run(hoox, reader, ledger=tmp_path / "c.db")
    assert report.counts["done"] == 2, report.rows
    bodies = {r.json["prompt"]: r.json for r in posts(sim, GENERATION_START)}
    first, second = bodies["2024"], bodies["Another ad"]  # a text parameter keeps its text
    assert first["duration"] == 30 and isinstance(first["duration"], int)
    assert first["web_urls"] == ["https://example.com/a"] and first["enable"] == {"music": False}
    assert "web_urls" not in second and "enable" not in second  # empty cell: absent
    exports = posts(sim, EXPORT_START)
    assert len(exports) == 1 and exports[0].json["format"] == "vertical"  # c2: export=false


def test_dataframe_rows(sim: Simulator, hoox: reelkit.Hoox, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "key": ["d1", "d2"],
            "prompt": ["Frame ad one", "Frame ad two"],
            "duration": [30, 45],
            "format": ["vertical", None],
        }
    )
    report = reelkit.batch.run(hoox, frame, ledger=tmp_path / "d.db", op="generate")
    assert report.counts["done"] == 2
    bodies = sorted((r.json for r in posts(sim, GENERATION_START)), key=lambda b: b["prompt"])
    assert [b["duration"] for b in bodies] == [30, 45] and "format" not in bodies[1]
    df = report.to_pandas()
    assert list(df["key"]) == ["d1", "d2"] and list(df["state"]) == ["done", "done"]


@pytest.mark.parametrize(
    ("rows", "field", "rule"),
    [
        (
            [{"key": "a", "prompt": "x", "duration": 30, "scirpt": "typo"}],
            "scirpt",
            "not a parameter",
        ),
        (
            [{"key": "a", "prompt": "x", "duration": 30, "colour": None}],
            "colour",
            "not a parameter of any",
        ),
        ([{"key": "a", "prompt": "x"}], "row 'a': duration", "required when using prompt"),
        (
            [{"key": "a", "prompt": "x", "duration": 30, "format": "diagonal"}],
            "row 'a': format",
            "one of",
        ),
        ([{"key": "a/b", "prompt": "x", "duration": 30}], "rows[0].key", "cannot name a file"),
        ([{"key": "a", "prompt": "x", "duration": 30}] * 2, "key", "'a' is used by rows 0 and 1"),
        ([{"key": "a", "op": "dance"}], "op", "not a hoox operation"),
        (
            [{"key": "a", "prompt": "x", "duration": 30, "web_urls": "[not json"}],
            "web_urls",
            "not valid JSON",
        ),
    ],
)
def test_bad_rows_are_refused_before_anything_is_sent(
    sim: Simulator,
    hoox: reelkit.Hoox,
    tmp_path: Path,
    rows: list[dict[str, Any]],
    field: str,
    rule: str,
) -> None:
    with pytest.raises(reelkit.ValidationError) as info:
        reelkit.batch.run(hoox, rows, ledger=tmp_path / "bad.db", op="generate")
    assert field in str(info.value) and rule in str(info.value), str(info.value)
    assert sim.requests() == []


def test_changed_parameters_are_refused_naming_the_row(
    sim: Simulator, hoox: reelkit.Hoox, tmp_path: Path
) -> None:
    rows = generate_rows(3)
    ledger = tmp_path / "ledger.db"
    reelkit.batch.run(hoox, rows, ledger=ledger, op="generate", max_credits=10, concurrency=1)
    sim.clear_requests()
    changed = [dict(r) for r in rows]
    changed[1]["script"] = script_for("r01", "Now with a new ending.")
    with pytest.raises(reelkit.ValidationError) as info:
        reelkit.batch.run(hoox, changed, ledger=ledger, op="generate")
    assert "row 'r01'" in str(info.value) and "(script)" in str(info.value)
    assert sim.requests() == []  # refused before anything was sent
    # A row that was never sent (r02 was skipped by the budget) may change.
    changed = [dict(r) for r in rows]
    changed[2]["script"] = script_for("r02", "Edited before it ever ran.")
    report = reelkit.batch.run(hoox, changed, ledger=ledger, op="generate")
    assert report.counts["done"] == 3
    assert [r.json["script"] for r in posts(sim, GENERATION_START)] == [changed[2]["script"]]


# -- report, estimate, progress, plan/run_row ------------------------------------------------------


def test_report_is_frozen_and_exports(sim: Simulator, hoox: reelkit.Hoox, tmp_path: Path) -> None:
    rows = generate_rows(2)
    rows[1]["script"] = script_for("r01", "SIMULATE_FAILURE")
    report = reelkit.batch.run(hoox, rows, ledger=tmp_path / "r.db", op="generate")
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.rows[0].state = "x"  # type: ignore[misc]
    assert [f.name for f in dataclasses.fields(reelkit.batch.BatchRow)] == [
        "key", "op", "state", "job_id", "video_id", "url", "path", "credits", "error",
    ]  # fmt: skip
    report.to_csv(tmp_path / "report.csv")
    with open(tmp_path / "report.csv", newline="") as f:
        lines = list(csv.DictReader(f))
    assert [(r["key"], r["state"]) for r in lines] == [("r00", "done"), ("r01", "failed")]
    assert lines[0]["path"] == "" and lines[1]["error"].startswith("generation_wait: Job ")
    html = report._repr_html_()
    assert "<table>" in html and "r01" in html and "failed" in html
    assert "1 done, 1 failed" in repr(report)


def test_estimate_spends_nothing_and_lists_unpriced_rows(
    sim: Simulator, hoox: reelkit.Hoox, hooked: reelkit.Hooked
) -> None:
    rows = [
        {"key": "g30", "prompt": "x", "duration": 30},
        {"key": "g60", "prompt": "x", "duration": 60, "avatar_id": "look_123"},
        {
            "key": "custom",
            "voice_url": "https://example.com/v.mp3",
            "avatar_url": "https://example.com/a.mp4",
        },
        {"key": "noexp", "prompt": "x", "duration": 90, "export": False},
    ]
    result = reelkit.batch.estimate(hoox, rows, op="generate")
    # 60 s with a look: 10 + premium 0.8/s x 60 s (the server's default for a look).
    assert [r.credits for r in result.rows] == [5.0, 58.0, None, 15.0]
    assert result.total == 78.0 and result.unpriced == ("custom",)
    assert "duration" in (result.rows[2].note or "")
    hooked_rows = [
        {"key": "h", "op": "talking_avatar", "script": "x", "avatar_id": "a", "voice_id": "v"}
    ]
    h = reelkit.batch.estimate(hooked, hooked_rows)
    assert h.total == 0 and h.unpriced == ("h",) and "no prices" in (h.rows[0].note or "")
    assert [r.path for r in sim.requests()] == []  # offline: nothing sent


def test_progress_shows_one_line_for_the_batch(
    sim: Simulator, hoox: reelkit.Hoox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = generate_rows(3)
    reelkit.batch.run(hoox, rows, ledger=tmp_path / "p.db", op="generate", progress=True)
    err = capsys.readouterr().err
    assert "batch: 3/3 rows (done 3, failed 0, running 0, 15 credits)" in err
    reelkit.batch.run(hoox, rows, ledger=tmp_path / "p2.db", op="generate")
    assert capsys.readouterr() == ("", "")  # a library prints nothing unless asked


def test_plan_then_run_row_one_key_at_a_time(
    sim: Simulator, hoox: reelkit.Hoox, tmp_path: Path
) -> None:
    rows = generate_rows(3)
    ledger = tmp_path / "ledger.db"
    keys = reelkit.batch.plan(ledger, rows, op="generate")
    assert keys == ["r00", "r01", "r02"] and sim.requests() == []
    assert {r.state for r in reelkit.batch.status(ledger)} == {"pending"}
    first = reelkit.batch.run_row(hoox, ledger, "r00")
    assert first.state == "done" and len(posts(sim, GENERATION_START)) == 1
    assert reelkit.batch.plan(ledger, rows, op="generate") == ["r01", "r02"]
    assert reelkit.batch.run_row(hoox, ledger, "r00") == first  # done: untouched
    report = reelkit.batch.run(hoox, rows, ledger=ledger, op="generate")
    assert report.counts["done"] == 3 and len(posts(sim, GENERATION_START)) == 3


def test_ledger_refuses_another_provider_and_bad_arguments(
    hoox: reelkit.Hoox, hooked: reelkit.Hooked, tmp_path: Path
) -> None:
    ledger = tmp_path / "ledger.db"
    reelkit.batch.plan(ledger, generate_rows(1), op="generate")
    rows = [{"key": "h", "op": "talking_avatar", "script": "x", "avatar_id": "a", "voice_id": "v"}]
    with pytest.raises(reelkit.ValidationError, match="records a hoox batch"):
        reelkit.batch.run(hooked, rows, ledger=ledger)
    for kwargs, field in (
        ({"concurrency": 0}, "concurrency"),
        ({"max_credits": -1}, "max_credits"),
        ({"progress": "yes"}, "progress"),
        ({"ledger": "postgres://localhost/db"}, "ledger"),
        ({"lease": 0}, "lease"),
    ):
        args: dict[str, Any] = {"ledger": ledger, "op": "generate", **kwargs}
        with pytest.raises(reelkit.ValidationError, match=field):
            reelkit.batch.run(hoox, generate_rows(1), **args)
    with pytest.raises(reelkit.ValidationError, match="asyncio client"):
        reelkit.batch.run(reelkit.AsyncHoox(api_key="k"), [], ledger=ledger)


def test_reelkit_batch_is_an_attribute_loaded_on_first_use() -> None:
    code = (
        "import sys, reelkit\n"
        "assert 'reelkit.batch' not in sys.modules\n"
        "assert reelkit.batch.run is sys.modules['reelkit.batch'].run\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_run_works_inside_a_running_event_loop_and_the_key_stays_out_of_the_ledger(
    sim: Simulator, hoox: reelkit.Hoox, tmp_path: Path
) -> None:
    """A notebook cell runs inside an event loop: `run` then drives its own loop in a
    thread. The ledger holds rows and ids, never the API key."""
    ledger = tmp_path / "ledger.db"

    async def cell() -> reelkit.batch.BatchReport:
        return reelkit.batch.run(hoox, generate_rows(2), ledger=ledger, op="generate")

    report = asyncio.run(cell())
    assert report.counts["done"] == 2
    for path in tmp_path.glob("ledger.db*"):
        assert sim.hoox_api_key.encode() not in path.read_bytes(), path


def test_a_rows_hash_and_stored_parameters_do_not_change_between_versions(tmp_path):
    # A ledger outlives the reelkit that wrote it: a rerun with a newer one must find
    # the same hash for the same row, or it would take unchanged rows for changed ones.
    row = {
        "key": "a",
        "prompt": 'Héllo "ad" ✓',
        "duration": 30,
        "media_urls": '["https://x.test/b.png", "https://x.test/a.png"]',
        "web_search": '{"script": true, "images": false}',
    }
    ledger = tmp_path / "l.db"
    assert reelkit.batch.plan(ledger, [row], op="generate", provider="hoox") == ["a"]
    import sqlite3

    with sqlite3.connect(ledger) as conn:
        params, params_hash = conn.execute(
            "SELECT params, params_hash FROM rows WHERE key='a'"
        ).fetchone()
    assert params == (
        '{"duration":30,"media_urls":["https://x.test/b.png","https://x.test/a.png"],'
        '"prompt":"H\\u00e9llo \\"ad\\" \\u2713","web_search":{"images":false,"script":true}}'
    )
    assert params_hash == "59525bbd0343515413db378cb2263bdb27afd96bc501fe25b06495b7a68ed049"
