"""The `reelkit` command line: the three seed workflows (Hoox avatars, Hoox
duplicate -> export -> download, Hooked create -> wait -> download), everyday tasks,
and the simulator.

    reelkit hoox voices [--language L]
    reelkit hoox generate --script FILE --voice ID [--wait] [--export] [--download out.mp4]
    reelkit hoox duplicate VIDEO_ID --voice ID [--look ID]
    reelkit hoox avatars create --prompt TEXT [...] | edit AVATAR_ID LOOK_ID --prompt TEXT
    reelkit hoox avatars status|wait AVATAR_ID LOOK_ID
    reelkit hoox exports start VIDEO_ID [--format F ...] | wait JOB_ID | download JOB_ID PATH
    reelkit hooked projects <creator> [--option value ...] [--wait] [--download PATH]
    reelkit hooked video get|wait ID | download ID out.mp4 [--wait]
    reelkit batch run|status|estimate ...
    reelkit sim [--port N]

Keys and base URLs come from the environment as for the clients (`HOOX_API_KEY`,
`HOOX_BASE_URL`, `HOOKED_API_KEY`, `HOOKED_BASE_URL`); `--base-url` overrides the
URL. Results go to stdout (`--json`: one JSON document), progress and errors to
stderr. Exit codes: 0 ok, 1 unexpected error, 2 usage or invalid input, 3 API error,
4 wait timeout (the job may still run), 5 job failed. Whenever a job was started, its
id is printed, also on failure, so that nothing paid for is lost.

Each command group is a module with `register(commands, leaf)`; a new group is one
import and one entry in `_GROUPS`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from .. import _errors
from ..batch import _cli as _batch
from . import _hooked, _hoox, _sim
from ._common import (
    EXIT_API,
    EXIT_CODES,
    EXIT_ERROR,
    EXIT_FAILED,
    EXIT_TIMEOUT,
    EXIT_USAGE,
    Command,
    Output,
    Usage,
    jsonable,
)

__all__ = ["main", "build_parser"]

# The command groups, in the order `reelkit --help` lists them.
_GROUPS = [_hoox.register, _hooked.register, _batch.register, _sim.register]


def _common(suppress: bool) -> argparse.ArgumentParser:
    """Options accepted both before and after the subcommand. After it they default to
    SUPPRESS, so that `reelkit --json hoox voices` is not undone by the subparser."""
    default: Any = argparse.SUPPRESS if suppress else None
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="print one JSON document on stdout",
    )
    p.add_argument("--base-url", default=default, help="API base URL (default: from env)")
    p.add_argument(
        "--timeout",
        type=float,
        default=argparse.SUPPRESS if suppress else 60.0,
        help="seconds per HTTP request (default 60)",
    )
    return p


def build_parser() -> argparse.ArgumentParser:
    common = _common(suppress=True)
    parser = argparse.ArgumentParser(
        prog="reelkit",
        description="Hoox and Hooked avatar videos from the command line "
        "(keys from HOOX_API_KEY / HOOKED_API_KEY).",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_common(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"reelkit {_version()}")
    commands = parser.add_subparsers(dest="provider", metavar="COMMAND", required=True)

    def leaf(group: Any, name: str, help: str, fn: Command) -> argparse.ArgumentParser:
        p = group.add_parser(
            name,
            help=help,
            description=help,
            parents=[common],
            epilog=EXIT_CODES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.set_defaults(fn=fn)
        return p

    for register in _GROUPS:
        register(commands, leaf)
    return parser


def _version() -> str:
    try:
        from .. import __version__
    except ImportError:  # the extension is missing; --version should still answer
        return "unknown"
    return __version__


# -- errors ----------------------------------------------------------------------------


def _exit_code(exc: BaseException) -> int:
    if isinstance(exc, (Usage, _errors.ValidationError)):
        return EXIT_USAGE
    if isinstance(exc, _errors.WaitTimeoutError):
        return EXIT_TIMEOUT
    if isinstance(exc, _errors.JobFailedError):
        return EXIT_FAILED
    if isinstance(exc, _errors.APIError):
        return EXIT_API
    if isinstance(exc, _errors.ReelkitError):
        # Raised before any request: a missing API key, a bad base URL.
        return EXIT_USAGE
    return EXIT_ERROR


def _report(exc: BaseException, code: int, out: Output, state: dict[str, Any]) -> None:
    message = str(exc) or type(exc).__name__
    job_id = getattr(exc, "job_id", None)
    error = {"type": type(exc).__name__, "message": message, "exit_code": code}
    for name in ("job_id", "code", "status_code", "request_id", "may_have_acted"):
        value = getattr(exc, name, None)
        if value is not None and value is not False:
            error[name] = value
    if out.json:
        json.dump(jsonable({**state, "error": error}), sys.stdout, indent=2)
        sys.stdout.write("\n")
        sys.stdout.flush()
    print(f"reelkit: error: {message}", file=sys.stderr)
    # Ids of everything started so far: each may have cost credits.
    known = {k: v for k, v in state.items() if k.endswith("_id") and v}
    if job_id and job_id not in known.values():
        known["job_id"] = job_id
    for name, value in known.items():
        print(f"reelkit: {name}: {value}", file=sys.stderr)
    sys.stderr.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (the console script exits with it)."""
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on usage errors
    out = Output(json=args.json)
    state: dict[str, Any] = {}
    try:
        return int(args.fn(args, out, state))
    except KeyboardInterrupt:
        _report(KeyboardInterrupt("interrupted"), 130, out, state)
        return 130
    except Exception as exc:
        code = _exit_code(exc)
        if code == EXIT_ERROR and os.environ.get("REELKIT_DEBUG"):
            raise
        _report(exc, code, out, state)
        return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
