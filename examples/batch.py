"""One video per row of a CSV file with reelkit.batch: estimated first, run within a
budget, resumable after a crash, nothing paid twice.

    python examples/batch.py                       # offline: the simulator and 5 sample rows
    python examples/batch.py rows.csv --live       # Hoox (HOOX_API_KEY), your rows

A row file has a `key` column (unique: the video becomes OUT/<key>.mp4) and the
parameters of `client.generations.start` (`script`, `voice_id`, `avatar_id`,
`duration`, ...), plus `export_*` columns for the export (`export_format`). Stop it at
any time (Ctrl-C, a crash, a reboot) and run the same command again: rows already done
are left alone, rows in flight resume from their recorded job ids, and a request whose
answer was never recorded is reported, not resent.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import sys
from pathlib import Path
from typing import Any

import reelkit
import reelkit.batch

SAMPLE = [
    {"key": f"product-{i}", "script": f"Meet product {i}: the mornings you always wanted."}
    for i in range(1, 6)
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("rows", nargs="?", help="a CSV file (default: 5 sample rows)")
    parser.add_argument("--live", action="store_true", help="use Hoox (HOOX_API_KEY)")
    parser.add_argument("--ledger", default="batch.db", help="the ledger file (batch.db)")
    parser.add_argument("--out", default="out", help="folder for the videos (./out)")
    parser.add_argument("--max-credits", type=float, default=100.0, help="budget (100)")
    args = parser.parse_args(argv)

    with contextlib.ExitStack() as stack:
        poll = None
        if args.live:
            client = stack.enter_context(reelkit.Hoox())
        else:
            from reelkit.testing import Simulator

            sim = stack.enter_context(Simulator(job_seconds=1.0))
            client = stack.enter_context(
                reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url)
            )
            poll = 0.25  # the simulator renders in a second
        rows: list[dict[str, Any]]
        if args.rows:
            with open(args.rows, newline="", encoding="utf-8-sig") as f:
                rows = list(csv.DictReader(f))
        else:
            voice = client.voices.list()[0].id
            rows = [{**row, "voice_id": voice} for row in SAMPLE]

        estimate = reelkit.batch.estimate(client, rows, op="generate")
        print(f"Estimated: {estimate.total:g} credits for {len(estimate.rows)} rows")
        for guess in estimate.rows:
            if guess.credits is None:
                print(f"  {guess.key}: {guess.note}")

        report = reelkit.batch.run(
            client,
            rows,
            ledger=args.ledger,
            op="generate",
            out_dir=args.out,
            max_credits=args.max_credits,
            progress=True,
            poll_interval=poll,
        )
        print(report.summary())
        for row in report.rows:
            where = row.path or row.error or ""
            print(f"  {row.key:12} {row.state:8} {row.credits or 0:6g} credits  {where}")
        report.to_csv(Path(args.out) / "report.csv")
        print(f"Report: {Path(args.out) / 'report.csv'}; run again to resume or re-check.")
    return 0 if report.counts["done"] == len(report.rows) else 5


if __name__ == "__main__":
    sys.exit(main())
