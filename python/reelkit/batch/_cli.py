# `reelkit batch run|status|estimate`: the batch runner from the command line (a group
# registered in reelkit/_cli); exit codes say whether every row is done.
"""The `reelkit batch` commands.

reelkit batch run ROWS.csv --provider hoox|hooked --ledger FILE|redis://HOST:PORT/DB
                  [--lease SECONDS] [--op OP] [--out DIR] [--concurrency N]
                  [--max-credits X] [--resubmit-unknown] [--retry-failed] [--json]
reelkit batch status LEDGER [--json]
reelkit batch estimate ROWS.csv --provider hoox|hooked [--op OP] [--json]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from typing import Any

from .._errors import ValidationError

__all__ = ["register"]

EXIT_OK = 0
EXIT_NOT_DONE = 5
EXIT_UNKNOWN = 6
EXIT_INTERRUPTED = 130

EXIT_CODES = """exit codes:
  0  every row is done
  2  invalid input or changed parameters (nothing was sent)
  5  a row failed or was skipped (or, for status, is not finished)
  6  a row is unknown: its request may have gone out unrecorded (see its error)
  130 interrupted: run the same command again to resume"""


def register(commands: Any, leaf: Any) -> None:
    """Add `batch` to the `reelkit` command's groups (see reelkit/_cli)."""
    group = commands.add_parser(
        "batch", help="many videos from a CSV file, resumable, within a budget"
    ).add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help: str, fn: Any) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = leaf(group, name, help, fn)
        p.epilog = EXIT_CODES
        return p

    p = command("run", "run (or resume) every row of a CSV file; state kept in --ledger", _run)
    _rows_options(p)
    p.add_argument(
        "--ledger",
        required=True,
        metavar="FILE|URL",
        help="the SQLite ledger file, or a redis://host:port/db[?batch=NAME] URL that "
        "several runners (machines) share",
    )
    p.add_argument(
        "--lease",
        type=float,
        metavar="SECONDS",
        help="how long a row stays claimed by a runner that stopped renewing it, "
        "before another runner takes it over (default 30)",
    )
    p.add_argument("--out", metavar="DIR", help="download the videos to DIR/<key>.mp4")
    p.add_argument("--concurrency", type=int, default=4, metavar="N", help="rows in flight (4)")
    p.add_argument("--max-credits", type=float, metavar="X", help="start no row past X credits")
    p.add_argument(
        "--resubmit-unknown",
        action="store_true",
        help="send again the requests whose answer was never recorded (may pay twice)",
    )
    p.add_argument(
        "--retry-failed", action="store_true", help="start new jobs for rows whose job failed"
    )
    p.add_argument(
        "--poll-interval",
        type=float,
        metavar="SECONDS",
        help="seconds between status checks (default: the documented schedule)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")

    p = command("status", "show the rows a ledger holds", _status)
    p.add_argument("ledger", metavar="LEDGER")

    p = command(
        "estimate", "estimate the credits of a CSV file's rows (sends nothing paid)", _estimate
    )
    _rows_options(p)


def _rows_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("rows", metavar="ROWS.csv", help="one row per video: key, op, parameters")
    # Its own dest: `provider` is where `reelkit` records the command group.
    p.add_argument("--provider", dest="api", required=True, choices=("hoox", "hooked"))
    p.add_argument("--op", help="the operation of rows without an op column")


def _read_rows(path: str) -> list[dict[str, Any]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ValidationError("ROWS.csv", f"cannot read {path}: {exc}") from None
    if not rows:
        raise ValidationError("ROWS.csv", f"{path} has no rows")
    return rows


def _client(args: argparse.Namespace, *, offline_ok: bool = False) -> Any:
    # The submodule, not the `_common` parser factory of reelkit/_cli/__init__.py.
    from .._cli._common import hooked, hoox

    if offline_ok:
        env = "HOOX_API_KEY" if args.api == "hoox" else "HOOKED_API_KEY"
        if not os.environ.get(env):
            # Offline estimates need no key; an asset's price quote will say it does.
            from ..hooked import Hooked
            from ..hoox import Hoox

            cls = Hoox if args.api == "hoox" else Hooked
            return cls(api_key="no-key-set", base_url=args.base_url, timeout=args.timeout)
    return hoox(args) if args.api == "hoox" else hooked(args)


def _exit_code(counts: dict[str, int]) -> int:
    if counts.get("unknown"):
        return EXIT_UNKNOWN
    if any(n for state, n in counts.items() if state != "done"):
        return EXIT_NOT_DONE
    return EXIT_OK


def _show(report: Any, out: Any, extra: dict[str, Any] | None = None) -> int:
    code = _exit_code(report.counts)
    data = {
        "rows": [r.to_dict() for r in report.rows],
        "counts": report.counts,
        "credits": report.credits,
        "exit_code": code,
        **(extra or {}),
    }

    def human() -> None:
        rows = [
            (
                r.key,
                r.state,
                r.job_id or "",
                "" if r.credits is None else f"{r.credits:g}",
                r.path or "",
            )
            for r in report.rows
        ]
        head = ("KEY", "STATE", "JOB_ID", "CREDITS", "PATH")
        widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(head)]
        for row in [head, *rows]:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        problems = [r for r in report.rows if r.error]
        if problems:
            print()
            for r in problems:
                print(f"{r.key} ({r.state}): {r.error}")
        print()
        print(report.summary())

    out.result(data, human)
    return code


def _run(args: argparse.Namespace, out: Any, state: dict[str, Any]) -> int:
    from . import _runner

    rows = _read_rows(args.rows)
    with _client(args) as client:
        try:
            report = _runner.run(
                client,
                rows,
                ledger=args.ledger,
                op=args.op,
                concurrency=args.concurrency,
                max_credits=args.max_credits,
                out_dir=args.out,
                progress=not args.no_progress,
                resubmit_unknown=args.resubmit_unknown,
                retry_failed=args.retry_failed,
                poll_interval=args.poll_interval,
                lease=args.lease,
            )
        except KeyboardInterrupt:
            print(
                "reelkit: interrupted; run the same command again to resume "
                "(nothing recorded is redone)",
                file=sys.stderr,
                flush=True,
            )
            if "://" in args.ledger or os.path.exists(args.ledger):
                report = _runner.status(args.ledger)
                _show(report, out, {"interrupted": True})
            return EXIT_INTERRUPTED
    return _show(report, out)


def _status(args: argparse.Namespace, out: Any, state: dict[str, Any]) -> int:
    from . import _runner

    if "://" not in args.ledger and not os.path.isfile(args.ledger):
        raise ValidationError("LEDGER", f"{args.ledger} does not exist")
    return _show(_runner.status(args.ledger), out)


def _estimate(args: argparse.Namespace, out: Any, state: dict[str, Any]) -> int:
    from . import _runner

    rows = _read_rows(args.rows)
    with _client(args, offline_ok=True) as client:
        result = _runner.estimate(client, rows, op=args.op)

    def human() -> None:
        for r in result.rows:
            credits = "-" if r.credits is None else f"{r.credits:g}"
            print(f"{r.key}  {r.op}  {credits}" + (f"  ({r.note})" if r.note else ""))
        print()
        line = f"total: {result.total:g} credits for {len(result.rows) - len(result.unpriced)} rows"
        if result.unpriced:
            line += f"; {len(result.unpriced)} rows cannot be estimated (not counted)"
        print(line)

    out.result(result.to_dict(), human)
    return EXIT_OK
