"""The `reelkit` command line: everyday Hoox and Hooked tasks and the simulator.

    reelkit hoox voices [--language L]
    reelkit hoox generate --script FILE --voice ID [--avatar LOOK] [--wait] [--export]
                          [--download out.mp4]
    reelkit hoox duplicate VIDEO_ID --voice ID [--look ID]
    reelkit hooked video get ID
    reelkit hooked video download ID out.mp4 [--wait]
    reelkit sim [--port N]

Keys and base URLs come from the environment as for the clients (`HOOX_API_KEY`,
`HOOX_BASE_URL`, `HOOKED_API_KEY`, `HOOKED_BASE_URL`); `--base-url` overrides the
URL. Results go to stdout (`--json`: one JSON document), progress and errors to
stderr. Exit codes: 0 ok, 1 unexpected error, 2 usage or invalid input, 3 API error,
4 wait timeout (the job may still run), 5 job failed. Whenever a job was started, its
id is printed, also on failure, so that nothing paid for is lost.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as _dt
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import _errors

__all__ = ["main"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_API = 3
EXIT_TIMEOUT = 4
EXIT_FAILED = 5

EXIT_CODES = """exit codes:
  0  success
  1  unexpected error (e.g. the simulator's port is taken)
  2  usage error or invalid input (nothing was sent)
  3  API error (HTTP error, connection failure, bad response, failed download)
  4  a wait timed out: the job may still be running (its id is printed)
  5  a job failed (its id is printed)
  130 interrupted (Ctrl-C; ids of jobs already started are printed)"""


class _Usage(Exception):
    """A usage problem found after parsing (exit 2)."""


@dataclasses.dataclass
class _Output:
    """Where results go: JSON on stdout, or lines for a person."""

    json: bool

    def result(self, data: Any, human: Callable[[], None]) -> None:
        if self.json:
            json.dump(_jsonable(data), sys.stdout, indent=2)
            sys.stdout.write("\n")
        else:
            human()
        sys.stdout.flush()

    def say(self, text: str) -> None:
        """A human progress note: stdout normally, stderr in --json mode (stdout
        carries only the JSON document)."""
        print(text, file=sys.stderr if self.json else sys.stdout, flush=True)


def _jsonable(value: Any) -> Any:
    if hasattr(value, "to_dict") and callable(value.to_dict):
        value = value.to_dict()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


# -- clients ---------------------------------------------------------------------------


def _hoox(args: argparse.Namespace) -> Any:
    from .hoox import Hoox

    return Hoox(base_url=args.base_url, timeout=args.timeout)


def _hooked(args: argparse.Namespace) -> Any:
    from .hooked import Hooked

    return Hooked(base_url=args.base_url, timeout=args.timeout)


# -- commands --------------------------------------------------------------------------


def _hoox_voices(args: argparse.Namespace, out: _Output, state: dict[str, Any]) -> int:
    with _hoox(args) as client:
        voices = client.voices.list(language=args.language, gender=args.gender)

    def human() -> None:
        rows = [(v.id or "", v.name or "", v.language or "", v.gender or "") for v in voices]
        widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(_VOICE_COLS)]
        for row in [_VOICE_COLS, *rows]:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())

    out.result(voices, human)
    return EXIT_OK


_VOICE_COLS = ("ID", "NAME", "LANGUAGE", "GENDER")


def _read_script(name: str) -> str:
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise _Usage(f"--script: cannot read {name}: {exc.strerror or exc}") from None
    if not text.strip():
        raise _Usage(f"--script: {name} is empty")
    return text.strip()


def _hoox_generate(args: argparse.Namespace, out: _Output, state: dict[str, Any]) -> int:
    script = _read_script(args.script)
    download = Path(args.download) if args.download else None
    export = args.export or download is not None
    wait = args.wait or export
    waits = {"timeout": args.wait_timeout, "poll_interval": args.poll_interval}
    progress = not args.no_progress
    with _hoox(args) as client:
        job = client.generations.start(
            script=script, voice_id=args.voice, avatar_id=args.avatar, format=args.format
        )
        state.update(generation_job_id=job.job_id, estimated_credits=job.estimated_credits)
        out.say(f"generation {job.job_id} started (estimated {job.estimated_credits} credits)")
        if wait:
            done = client.generations.wait(job.job_id, progress=progress, **waits)
            state.update(video_id=done.video_id, generation_cost=done.cost)
            out.say(f"generation {job.job_id} completed: video {done.video_id}")
        if export:
            started = client.exports.start(state["video_id"])
            state["export_job_id"] = started.job_id
            out.say(f"export {started.job_id} started")
            exported = client.exports.wait(started.job_id, progress=progress, **waits)
            state.update(video_url=exported.video_url, export_cost=exported.cost)
            out.say(f"export {started.job_id} completed")
        if download is not None:
            path = client.exports.download(state["export_job_id"], download, progress=progress)
            state.update(path=str(path), bytes=path.stat().st_size)

    def human() -> None:
        if "video_url" in state:
            print(f"video_url: {state['video_url']}")
        if "path" in state:
            print(f"downloaded {state['path']} ({state['bytes']} bytes)")
        if not wait:
            print(f"generation_job_id: {job.job_id}")

    out.result(state, human)
    return EXIT_OK


def _hoox_duplicate(args: argparse.Namespace, out: _Output, state: dict[str, Any]) -> int:
    if not (args.voice or args.look):
        raise _Usage("give --voice and/or --look: a copy needs something to change")
    with _hoox(args) as client:
        copy = client.videos.duplicate(args.video_id, voice_id=args.voice, avatar_look_id=args.look)
    state["video_id"] = copy.video_id

    def human() -> None:
        print(f"video {copy.video_id} ({copy.status}): copy of {args.video_id}")
        if copy.changes_applied:
            print(f"changes: {json.dumps(copy.changes_applied)}")
        print(f"export it with: client.exports.start({copy.video_id!r})")

    out.result(copy, human)
    return EXIT_OK


def _hooked_video_get(args: argparse.Namespace, out: _Output, state: dict[str, Any]) -> int:
    with _hooked(args) as client:
        video = client.videos.get(args.video_id)

    def human() -> None:
        for name in ("id", "name", "status", "progress", "url", "duration_in_seconds", "message"):
            value = getattr(video, name)
            if value is not None:
                print(f"{name}: {value}")

    out.result(video, human)
    return EXIT_OK


def _hooked_video_download(args: argparse.Namespace, out: _Output, state: dict[str, Any]) -> int:
    progress = not args.no_progress
    with _hooked(args) as client:
        state["video_id"] = args.video_id
        if args.wait:
            client.videos.wait(
                args.video_id,
                timeout=args.wait_timeout,
                poll_interval=args.poll_interval,
                progress=progress,
            )
        path = client.videos.download(args.video_id, args.path, progress=progress)
    state.update(path=str(path), bytes=path.stat().st_size)
    out.result(state, lambda: print(f"downloaded {path} ({state['bytes']} bytes)"))
    return EXIT_OK


def _sim(args: argparse.Namespace, out: _Output, state: dict[str, Any]) -> int:
    from .testing import Simulator

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    try:
        sim = Simulator(port=args.port, job_seconds=args.job_seconds, credits=args.credits)
    except Exception as exc:  # the native server reports a taken port in its own type
        print(f"reelkit: cannot start the simulator: {exc}", file=sys.stderr)
        return EXIT_ERROR
    with sim:
        env = {
            "HOOX_BASE_URL": sim.hoox_base_url,
            "HOOX_API_KEY": sim.hoox_api_key,
            "HOOKED_BASE_URL": sim.hooked_base_url,
            "HOOKED_API_KEY": sim.hooked_api_key,
        }
        if out.json:
            # One line, so that a script can read it before the server stops.
            print(json.dumps({"url": sim.url, "port": sim.port, "env": env}), flush=True)
        else:
            print(f"reelkit simulator listening on {sim.url} (Ctrl-C to stop)")
            print("Point reelkit at it with:")
            for name, value in env.items():
                print(f"  export {name}={value}")
            sys.stdout.flush()
        while not stop.wait(0.2):  # wakes up so that signals are handled promptly
            pass
    print("reelkit simulator stopped.", file=sys.stderr, flush=True)
    return EXIT_OK


# -- parser ----------------------------------------------------------------------------


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


def _wait_options(p: argparse.ArgumentParser, timeout: float) -> None:
    p.add_argument(
        "--wait-timeout",
        type=float,
        default=timeout,
        metavar="SECONDS",
        help=f"give up waiting after this long (default {timeout:g}; exit 4)",
    )
    p.add_argument(
        "--poll-interval",
        type=float,
        default=None,
        metavar="SECONDS",
        help="seconds between status checks (default: the documented schedule)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress display on stderr")


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
    providers = parser.add_subparsers(dest="provider", metavar="COMMAND", required=True)

    def leaf(group: Any, name: str, help: str, fn: Any) -> argparse.ArgumentParser:
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

    hoox = providers.add_parser("hoox", help="Hoox (app.hoox.video)").add_subparsers(
        dest="command", metavar="COMMAND", required=True
    )
    p = leaf(hoox, "voices", "list the voices your Hoox plan offers", _hoox_voices)
    p.add_argument("--language", help="e.g. en")
    p.add_argument("--gender", help="male or female")

    p = leaf(
        hoox,
        "generate",
        "generate a video from a script; with --wait/--export/--download, follow it "
        "through generate -> wait -> export -> wait -> download",
        _hoox_generate,
    )
    p.add_argument("--script", required=True, metavar="FILE", help="script text file (- = stdin)")
    p.add_argument("--voice", required=True, metavar="ID", help="voice id (reelkit hoox voices)")
    p.add_argument("--avatar", metavar="LOOK", help="avatar look id")
    p.add_argument("--format", help="vertical, square, ads or horizontal")
    p.add_argument("--wait", action="store_true", help="wait for the generation to complete")
    p.add_argument("--export", action="store_true", help="also export the MP4 (implies --wait)")
    p.add_argument("--download", metavar="PATH", help="also download the MP4 (implies --export)")
    _wait_options(p, 1800.0)

    p = leaf(
        hoox, "duplicate", "copy a finished video with a new voice and/or look", _hoox_duplicate
    )
    p.add_argument("video_id", metavar="VIDEO_ID")
    p.add_argument("--voice", metavar="ID", help="new voice id")
    p.add_argument("--look", metavar="ID", help="new avatar look id")

    hooked = providers.add_parser("hooked", help="Hooked (hooked.so)").add_subparsers(
        dest="command", metavar="COMMAND", required=True
    )
    video = hooked.add_parser("video", help="videos").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    p = leaf(video, "get", "status and details of a video", _hooked_video_get)
    p.add_argument("video_id", metavar="ID")
    p = leaf(video, "download", "download a completed video's MP4", _hooked_video_download)
    p.add_argument("video_id", metavar="ID")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--wait", action="store_true", help="wait for the video to complete first")
    _wait_options(p, 1800.0)

    p = leaf(providers, "sim", "run the offline Hoox + Hooked simulator on 127.0.0.1", _sim)
    p.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    p.add_argument("--job-seconds", type=float, default=2.0, help="how long a job takes")
    p.add_argument("--credits", type=float, default=1000.0, help="starting credits")
    from .batch._cli import add_parser as add_batch_parser  # reelkit batch run|status|estimate

    add_batch_parser(providers, [common])
    return parser


def _version() -> str:
    try:
        from . import __version__
    except ImportError:  # the extension is missing; --version should still answer
        return "unknown"
    return __version__


# -- errors ----------------------------------------------------------------------------


def _exit_code(exc: BaseException) -> int:
    if isinstance(exc, (_Usage, _errors.ValidationError)):
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


def _report(exc: BaseException, code: int, out: _Output, state: dict[str, Any]) -> None:
    message = str(exc) or type(exc).__name__
    job_id = getattr(exc, "job_id", None)
    error = {"type": type(exc).__name__, "message": message, "exit_code": code}
    for name in ("job_id", "code", "status_code", "request_id", "may_have_acted"):
        value = getattr(exc, name, None)
        if value is not None and value is not False:
            error[name] = value
    if out.json:
        json.dump(_jsonable({**state, "error": error}), sys.stdout, indent=2)
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
    out = _Output(json=args.json)
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
