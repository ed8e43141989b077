"""Plan a CSV file's rows in the Redis ledger and queue one Celery task per row; with
--wait, follow the batch until every row has ended and print the report.

    python submit.py rows.csv --op generate --wait

Rows already done are not queued again, so running it twice is safe; a row whose
parameters changed after it was paid for is refused before anything is queued.
Exit codes as `reelkit batch run`: 0 every row done, 5 a row failed, 6 a row is
unknown (its request may have gone out unrecorded: see its error), 2 refused rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time

from tasks import LEDGER, PROVIDER, app

import reelkit
import reelkit.batch

FINAL = ("done", "failed", "unknown", "skipped")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("rows", help="a CSV file: key, parameters (and op)")
    parser.add_argument("--op", help="the operation of rows without an op column")
    parser.add_argument("--wait", action="store_true", help="wait for every row to end")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)

    with open(args.rows, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    try:
        todo = reelkit.batch.plan(LEDGER, rows, op=args.op, provider=PROVIDER)
    except reelkit.ValidationError as exc:
        print(f"refused, nothing was queued: {exc}", file=sys.stderr)
        return 2
    for key in todo:
        app.send_task("celery_batch.run_row", args=(key,))  # the task in tasks.py
    print(f"queued {len(todo)} of {len(rows)} rows", file=sys.stderr)
    if not args.wait:
        return 0

    keys = {row["key"] for row in rows}
    while True:
        report = reelkit.batch.status(LEDGER)
        mine = [r for r in report.rows if r.key in keys]
        if len(mine) == len(keys) and all(r.state in FINAL for r in mine):
            break
        time.sleep(1.0)
    counts = {state: sum(r.state == state for r in mine) for state in FINAL}
    credits = round(sum(r.credits or 0.0 for r in mine), 4)
    if args.json:
        doc = {"rows": [r.to_dict() for r in mine], "counts": counts, "credits": credits}
        print(json.dumps(doc, indent=2))
    else:
        for r in mine:
            print(f"{r.key}  {r.state}  {r.job_id or ''}" + (f"\n  {r.error}" if r.error else ""))
        print(f"{counts}, {credits:g} credits")
    if counts["unknown"]:
        return 6
    return 0 if counts["done"] == len(mine) else 5


if __name__ == "__main__":
    sys.exit(main())
