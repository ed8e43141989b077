"""`reelkit hooked ...`: video get / wait / download, and one `projects <creator>`
command per project creator of the SDK (`create_ugc_ad` -> `projects ugc-ad`), its
options derived from the method's signature, so every creator and every option is
there (the Hooked seed workflow from a terminal)."""

from __future__ import annotations

import argparse
from typing import Any

from .. import _errors
from ._common import (
    EXIT_OK,
    Leaf,
    Output,
    Usage,
    call_kwargs,
    hooked,
    print_fields,
    signature_options,
    wait_options,
    waits,
)

_VIDEO_FIELDS = ("id", "name", "status", "progress", "url", "duration_in_seconds", "message")


def _video_get(args: argparse.Namespace, out: Output, state: dict[str, Any]) -> int:
    with hooked(args) as client:
        video = client.videos.get(args.video_id)
    out.result(video, lambda: print_fields(video, _VIDEO_FIELDS))
    return EXIT_OK


def _video_wait(args: argparse.Namespace, out: Output, state: dict[str, Any]) -> int:
    state["video_id"] = args.video_id
    with hooked(args) as client:
        video = client.videos.wait(args.video_id, **waits(args))
    out.result(video, lambda: print_fields(video, _VIDEO_FIELDS))
    return EXIT_OK


def _video_download(args: argparse.Namespace, out: Output, state: dict[str, Any]) -> int:
    progress = not args.no_progress
    with hooked(args) as client:
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


# Creators whose answer has only a project id (hooked.md §4.1): no video to wait for.
_NO_VIDEO_ID = frozenset({"create_scenes", "create_from_template"})


def _project(args: argparse.Namespace, out: Output, state: dict[str, Any]) -> int:
    wait = args.wait or args.download is not None
    if wait and args.creator in _NO_VIDEO_ID:
        raise Usage(
            f"projects {args.command_name} answers with a project id only (no video id to "
            "wait for): drop --wait/--download"
        )
    with hooked(args) as client:
        create = getattr(client.projects, args.creator)
        project = create(**call_kwargs(args, args.endpoint_params))
        state.update(project_id=project.project_id, video_id=project.video_id)
        out.say(f"project {project.project_id} started (video {project.video_id or 'unknown'})")
        if wait:
            if not project.video_id:
                raise _errors.APIResponseError(
                    f"projects {args.command_name} answered without a video id (project "
                    f"{project.project_id}); nothing to wait for"
                )
            video = client.videos.wait(project.video_id, **waits(args))
            state.update(status=video.status, url=video.url)
            if args.download is not None:
                path = client.videos.download(
                    project.video_id, args.download, progress=not args.no_progress
                )
                state.update(path=str(path), bytes=path.stat().st_size)

    def human() -> None:
        for name in ("project_id", "video_id", "status", "url"):
            if state.get(name) is not None:
                print(f"{name}: {state[name]}")
        if "status" not in state and project.status:
            print(f"status: {project.status}")
        if "path" in state:
            print(f"downloaded {state['path']} ({state['bytes']} bytes)")

    out.result(state, human)
    return EXIT_OK


def creators() -> dict[str, str]:
    """CLI name -> `Projects` method, for every project creator."""
    from .._resources.hooked import Projects

    return {
        name.removeprefix("create_").replace("_", "-"): name
        for name in sorted(vars(Projects))
        if getattr(getattr(Projects, name), "__reelkit_endpoint__", False)
    }


def register(commands: Any, leaf: Leaf) -> None:
    from .._resources.hooked import Projects

    group = commands.add_parser("hooked", help="Hooked (hooked.so)").add_subparsers(
        dest="command", metavar="COMMAND", required=True
    )
    video = group.add_parser("video", help="videos").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    p = leaf(video, "get", "status and details of a video", _video_get)
    p.add_argument("video_id", metavar="ID")
    p = leaf(video, "wait", "wait until a video is COMPLETED (exit 5 if it fails)", _video_wait)
    p.add_argument("video_id", metavar="VIDEO_ID")
    wait_options(p, 1800.0)
    p = leaf(video, "download", "download a completed video's MP4", _video_download)
    p.add_argument("video_id", metavar="ID")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--wait", action="store_true", help="wait for the video to complete first")
    wait_options(p, 1800.0)

    projects = group.add_parser(
        "projects",
        help="create a video (one command per project type)",
        description="Create a Hooked project. Options follow the SDK's keyword arguments "
        "(--avatar-id for avatar_id); nested options (--caption, --scenes, --slides, ...) "
        "take JSON, inline or @file.json; lists of ids take several values.",
    ).add_subparsers(dest="creator_name", metavar="CREATOR", required=True)
    for cli_name, method in creators().items():
        endpoint = getattr(Projects, method)
        summary = " ".join((endpoint.__doc__ or method).split()).split(". ")[0].rstrip(".")
        p = leaf(projects, cli_name, summary, _project)
        names = signature_options(p, endpoint)
        p.set_defaults(endpoint_params=names, creator=method, command_name=cli_name)
        p.add_argument("--wait", action="store_true", help="wait for the video to complete")
        p.add_argument("--download", metavar="PATH", help="then download it (implies --wait)")
        wait_options(p, 1800.0)
