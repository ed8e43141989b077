"""`reelkit hoox ...`: voices, generate (-> wait -> export -> download), duplicate,
avatars (create / edit / status / wait) and exports (start / wait / download): the
Hoox seed workflows from a terminal."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ._common import (
    EXIT_OK,
    Leaf,
    Output,
    Usage,
    call_kwargs,
    hoox,
    print_fields,
    signature_options,
    wait_options,
    waits,
)

_VOICE_COLS = ("ID", "NAME", "LANGUAGE", "GENDER")
_LOOK_FIELDS = ("avatar_id", "look_id", "status", "error_code", "error_message")
_EXPORT_FIELDS = ("job_id", "status", "progress", "current_step", "video_url", "cost")


def _voices(args: argparse.Namespace, out: Output, state: dict[str, Any]) -> int:
    with hoox(args) as client:
        voices = client.voices.list(language=args.language, gender=args.gender)

    def human() -> None:
        rows = [(v.id or "", v.name or "", v.language or "", v.gender or "") for v in voices]
        widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(_VOICE_COLS)]
        for row in [_VOICE_COLS, *rows]:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())

    out.result(voices, human)
    return EXIT_OK


def _read_script(name: str) -> str:
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise Usage(f"--script: cannot read {name}: {exc.strerror or exc}") from None
    if not text.strip():
        raise Usage(f"--script: {name} is empty")
    return text.strip()


def _generate(args: argparse.Namespace, out: Output, state: dict[str, Any]) -> int:
    script = _read_script(args.script)
    download = Path(args.download) if args.download else None
    export = args.export or download is not None
    wait = args.wait or export
    with hoox(args) as client:
        job = client.generations.start(
            script=script, voice_id=args.voice, avatar_id=args.avatar, format=args.format
        )
        state.update(generation_job_id=job.job_id, estimated_credits=job.estimated_credits)
        out.say(f"generation {job.job_id} started (estimated {job.estimated_credits} credits)")
        if wait:
            done = client.generations.wait(job.job_id, **waits(args))
            state.update(video_id=done.video_id, generation_cost=done.cost)
            out.say(f"generation {job.job_id} completed: video {done.video_id}")
        if export:
            _export_chain(client, args, out, state, state["video_id"], download)

    def human() -> None:
        if "video_url" in state:
            print(f"video_url: {state['video_url']}")
        if "path" in state:
            print(f"downloaded {state['path']} ({state['bytes']} bytes)")
        if not wait:
            print(f"generation_job_id: {job.job_id}")

    out.result(state, human)
    return EXIT_OK


def _export_chain(
    client: Any,
    args: argparse.Namespace,
    out: Output,
    state: dict[str, Any],
    video_id: str,
    download: Path | None,
    **start: Any,
) -> None:
    """export -> wait -> (download): the tail of `generate` and `exports start`."""
    started = client.exports.start(video_id, **start)
    state["export_job_id"] = started.job_id
    out.say(f"export {started.job_id} started")
    exported = client.exports.wait(started.job_id, **waits(args))
    state.update(video_url=exported.video_url, export_cost=exported.cost)
    out.say(f"export {started.job_id} completed")
    if download is not None:
        path = client.exports.download(started.job_id, download, progress=not args.no_progress)
        state.update(path=str(path), bytes=path.stat().st_size)


def _duplicate(args: argparse.Namespace, out: Output, state: dict[str, Any]) -> int:
    if not (args.voice or args.look):
        raise Usage("give --voice and/or --look: a copy needs something to change")
    with hoox(args) as client:
        copy = client.videos.duplicate(args.video_id, voice_id=args.voice, avatar_look_id=args.look)
    state["video_id"] = copy.video_id

    def human() -> None:
        print(f"video {copy.video_id} ({copy.status}): copy of {args.video_id}")
        if copy.changes_applied:
            print(f"changes: {json.dumps(copy.changes_applied)}")
        print(f"export it with: reelkit hoox exports start {copy.video_id}")

    out.result(copy, human)
    return EXIT_OK


# -- avatars ---------------------------------------------------------------------------


def _avatar_job(args: argparse.Namespace, out: Output, state: dict[str, Any], edit: bool) -> int:
    with hoox(args) as client:
        kwargs = call_kwargs(args, args.endpoint_params)
        if edit:
            del kwargs["avatar_id"], kwargs["look_id"]
            job = client.avatars.edit(args.avatar_id, args.look_id, **kwargs)
        else:
            job = client.avatars.create(**kwargs)
        state.update(avatar_id=job.avatar_id, look_id=job.look_id)
        out.say(f"look {job.look_id} of avatar {job.avatar_id} started")
        status = None
        if args.wait:
            status = client.avatars.wait(job.avatar_id, job.look_id, **waits(args))
            state.update(status=status.status, thumbnail_url=_thumbnail(status))

    def human() -> None:
        print(f"avatar_id: {job.avatar_id}\nlook_id: {job.look_id}")
        if status is not None:
            print(f"status: {status.status}")
            if state.get("thumbnail_url"):
                print(f"thumbnail_url: {state['thumbnail_url']}")

    out.result(state, human)
    return EXIT_OK


def _thumbnail(status: Any) -> str | None:
    result = status.result if isinstance(status.result, dict) else {}
    return result.get("thumbnail_url") or result.get("thumbnail")


def _avatar_create(args: argparse.Namespace, out: Output, state: dict[str, Any]) -> int:
    return _avatar_job(args, out, state, edit=False)


def _avatar_edit(args: argparse.Namespace, out: Output, state: dict[str, Any]) -> int:
    return _avatar_job(args, out, state, edit=True)


def _avatar_status(args: argparse.Namespace, out: Output, state: dict[str, Any]) -> int:
    with hoox(args) as client:
        if args.command_wait:
            state.update(avatar_id=args.avatar_id, look_id=args.look_id)
            status = client.avatars.wait(args.avatar_id, args.look_id, **waits(args))
        else:
            status = client.avatars.status(args.avatar_id, args.look_id)

    def human() -> None:
        print_fields(status, _LOOK_FIELDS)
        if _thumbnail(status):
            print(f"thumbnail_url: {_thumbnail(status)}")

    out.result(status, human)
    return EXIT_OK


# -- exports ---------------------------------------------------------------------------


def _export_start(args: argparse.Namespace, out: Output, state: dict[str, Any]) -> int:
    kwargs = call_kwargs(args, args.endpoint_params)
    video_id = kwargs.pop("video_id")
    download = Path(args.download) if args.download else None
    with hoox(args) as client:
        if args.wait or download is not None:
            _export_chain(client, args, out, state, video_id, download, **kwargs)
        else:
            job = client.exports.start(video_id, **kwargs)
            state.update(export_job_id=job.job_id, estimated_credits=job.estimated_credits)

    def human() -> None:
        for name in ("export_job_id", "estimated_credits", "video_url"):
            if state.get(name) is not None:
                print(f"{name}: {state[name]}")
        if "path" in state:
            print(f"downloaded {state['path']} ({state['bytes']} bytes)")

    out.result(state, human)
    return EXIT_OK


def _export_wait(args: argparse.Namespace, out: Output, state: dict[str, Any]) -> int:
    state["export_job_id"] = args.job_id
    with hoox(args) as client:
        status = client.exports.wait(args.job_id, **waits(args))
    out.result(status, lambda: print_fields(status, _EXPORT_FIELDS))
    return EXIT_OK


def _export_download(args: argparse.Namespace, out: Output, state: dict[str, Any]) -> int:
    state["export_job_id"] = args.job_id
    with hoox(args) as client:
        path = client.exports.download(args.job_id, args.path, progress=not args.no_progress)
    state.update(path=str(path), bytes=path.stat().st_size)
    out.result(state, lambda: print(f"downloaded {path} ({state['bytes']} bytes)"))
    return EXIT_OK


# -- parser ----------------------------------------------------------------------------


def register(commands: Any, leaf: Leaf) -> None:
    from .._resources import hoox as endpoints

    group = commands.add_parser("hoox", help="Hoox (app.hoox.video)").add_subparsers(
        dest="command", metavar="COMMAND", required=True
    )
    p = leaf(group, "voices", "list the voices your Hoox plan offers", _voices)
    p.add_argument("--language", help="e.g. en")
    p.add_argument("--gender", help="male or female")

    p = leaf(
        group,
        "generate",
        "generate a video from a script; with --wait/--export/--download, follow it "
        "through generate -> wait -> export -> wait -> download",
        _generate,
    )
    p.add_argument("--script", required=True, metavar="FILE", help="script text file (- = stdin)")
    p.add_argument("--voice", required=True, metavar="ID", help="voice id (reelkit hoox voices)")
    p.add_argument("--avatar", metavar="LOOK", help="avatar look id")
    p.add_argument("--format", help="vertical, square, ads or horizontal")
    p.add_argument("--wait", action="store_true", help="wait for the generation to complete")
    p.add_argument("--export", action="store_true", help="also export the MP4 (implies --wait)")
    p.add_argument("--download", metavar="PATH", help="also download the MP4 (implies --export)")
    wait_options(p, 1800.0)

    p = leaf(group, "duplicate", "copy a finished video with a new voice and/or look", _duplicate)
    p.add_argument("video_id", metavar="VIDEO_ID")
    p.add_argument("--voice", metavar="ID", help="new voice id")
    p.add_argument("--look", metavar="ID", help="new avatar look id")

    avatars = group.add_parser("avatars", help="create, edit and wait for avatar looks")
    actions = avatars.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = leaf(actions, "create", "create an avatar from a prompt (or --image-urls)", _avatar_create)
    p.set_defaults(endpoint_params=signature_options(p, endpoints.Avatars.create))
    p.add_argument("--wait", action="store_true", help="wait for the look to be ready")
    wait_options(p, 600.0)
    p = leaf(actions, "edit", "a new look from an existing one", _avatar_edit)
    names = signature_options(p, endpoints.Avatars.edit, positional=("avatar_id", "look_id"))
    p.set_defaults(endpoint_params=names)
    p.add_argument("--wait", action="store_true", help="wait for the look to be ready")
    wait_options(p, 600.0)
    for name, helptext, waiting in (
        ("status", "a look's generation status", False),
        ("wait", "wait until a look is ready (exit 5 if it fails)", True),
    ):
        p = leaf(actions, name, helptext, _avatar_status)
        p.add_argument("avatar_id", metavar="AVATAR_ID")
        p.add_argument("look_id", metavar="LOOK_ID")
        p.set_defaults(command_wait=waiting)
        if waiting:
            wait_options(p, 600.0)

    exports = group.add_parser("exports", help="render a video to MP4 and download it")
    actions = exports.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = leaf(actions, "start", "export a finished video to MP4", _export_start)
    names = signature_options(p, endpoints.Exports.start, positional=("video_id",))
    p.set_defaults(endpoint_params=names)
    p.add_argument("--wait", action="store_true", help="wait until the MP4 URL is known")
    p.add_argument("--download", metavar="PATH", help="then download the MP4 (implies --wait)")
    wait_options(p, 1800.0)
    p = leaf(actions, "wait", "wait for an export; prints the MP4 URL", _export_wait)
    p.add_argument("job_id", metavar="JOB_ID")
    wait_options(p, 1800.0)
    p = leaf(actions, "download", "download an export's MP4", _export_download)
    p.add_argument("job_id", metavar="JOB_ID")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--no-progress", action="store_true", help="no progress display on stderr")
