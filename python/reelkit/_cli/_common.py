"""What every `reelkit` command shares: exit codes, output (human or one JSON
document), client factories, wait options, and options derived from an endpoint's
signature (`reelkit hooked projects <creator>`, `hoox avatars create`, ...)."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as _dt
import json
import sys
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

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

#: A command: (parsed arguments, output, state) -> exit code. `state` collects the
#: ids produced so far; they are printed on failure so that nothing paid is lost.
Command = Callable[[argparse.Namespace, "Output", dict[str, Any]], int]
#: Adds one command: (group, name, help, function) -> its parser.
Leaf = Callable[[Any, str, str, Command], argparse.ArgumentParser]


class Usage(Exception):
    """A usage problem found after parsing (exit 2)."""


@dataclasses.dataclass
class Output:
    """Where results go: JSON on stdout, or lines for a person."""

    json: bool

    def result(self, data: Any, human: Callable[[], None]) -> None:
        if self.json:
            json.dump(jsonable(data), sys.stdout, indent=2)
            sys.stdout.write("\n")
        else:
            human()
        sys.stdout.flush()

    def say(self, text: str) -> None:
        """A human progress note: stdout normally, stderr in --json mode (stdout
        carries only the JSON document)."""
        print(text, file=sys.stderr if self.json else sys.stdout, flush=True)


def jsonable(value: Any) -> Any:
    if hasattr(value, "to_dict") and callable(value.to_dict):
        value = value.to_dict()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def print_fields(model: Any, names: Sequence[str]) -> None:
    """`name: value` lines for the fields of `model` that are set."""
    for name in names:
        value = getattr(model, name, None)
        if value is not None:
            print(f"{name}: {value}")


# -- clients ---------------------------------------------------------------------------


def hoox(args: argparse.Namespace) -> Any:
    from ..hoox import Hoox

    return Hoox(base_url=args.base_url, timeout=args.timeout)


def hooked(args: argparse.Namespace) -> Any:
    from ..hooked import Hooked

    return Hooked(base_url=args.base_url, timeout=args.timeout)


# -- options ---------------------------------------------------------------------------


def wait_options(p: argparse.ArgumentParser, timeout: float) -> None:
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


def waits(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of a `wait` call from the wait options."""
    return {
        "timeout": args.wait_timeout,
        "poll_interval": args.poll_interval,
        "progress": not args.no_progress,
    }


def _json_value(text: str) -> Any:
    """A JSON option value, inline or `@file.json`."""
    source = text
    if text.startswith("@"):
        try:
            source = Path(text[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise argparse.ArgumentTypeError(f"cannot read {text[1:]}: {exc.strerror}") from None
    try:
        return json.loads(source)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON ({exc}): {text!r}") from None


_json_value.__name__ = "JSON"  # what argparse names in "invalid JSON value"

#: Per-request options every endpoint takes, and wait/progress arguments: not CLI
#: options of a command derived from an endpoint.
_NOT_OPTIONS = frozenset(
    {
        "self",
        "extra_headers",
        "extra_query",
        "extra_body",
        "timeout",
        "max_retries",
        "on_progress",
        "progress",
        "poll_interval",
    }
)


def _kind(tp: Any) -> tuple[str, Any]:
    """How a parameter type is spelt on the command line: flag, scalar, list, JSON."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        if len(args) == 1:
            return _kind(args[0])
        return "json", _json_value  # e.g. Caption | Mapping[str, Any]
    if tp is bool:
        return "flag", None
    if tp in (int, float, str):
        return "scalar", tp
    origin = typing.get_origin(tp)
    if origin in (list, tuple, Sequence, typing.Sequence) and args[:1] == [str]:
        return "list", str
    return "json", _json_value


def signature_options(
    p: argparse.ArgumentParser,
    method: Any,
    *,
    positional: Sequence[str] = (),
    skip: Sequence[str] = (),
) -> list[str]:
    """Add one `--option` per parameter of the endpoint `method` (snake_case ->
    --kebab-case): strings and numbers take a value, booleans are `--x/--no-x`,
    lists of strings take several values, anything else takes JSON (inline or
    `@file.json`). Parameters without a default are required. Returns the
    parameter names, to collect them with `call_kwargs`."""
    import inspect

    fn = inspect.unwrap(method)
    hints = typing.get_type_hints(fn)
    names = []
    for param in inspect.signature(fn).parameters.values():
        name = param.name
        if name in _NOT_OPTIONS or name in skip or param.kind is param.VAR_KEYWORD:
            continue
        names.append(name)
        kind, convert = _kind(hints.get(name, str))
        required = param.default is inspect.Parameter.empty
        if name in positional:
            p.add_argument(name, metavar=name.upper(), type=convert or str)
            continue
        flag = "--" + name.replace("_", "-")
        options: dict[str, Any] = {"dest": name, "default": None}
        if kind == "flag":
            options["action"] = argparse.BooleanOptionalAction
        elif kind == "list":
            options.update(nargs="+", metavar="VALUE", help="one or more values")
        elif kind == "json":
            options.update(type=convert, metavar="JSON", help="JSON, inline or @file.json")
        else:
            options.update(type=convert, metavar=name.upper())
        if required:
            options["required"] = True
        p.add_argument(flag, **options)
    return names


def call_kwargs(args: argparse.Namespace, names: Sequence[str]) -> dict[str, Any]:
    """The given (not None) values of the options `signature_options` added."""
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}
