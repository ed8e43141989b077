"""`reelkit sim`: run the offline simulator and print the variables that point the
clients (and the other commands) at it."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from typing import Any

from ._common import EXIT_ERROR, EXIT_OK, Leaf, Output


def _sim(args: argparse.Namespace, out: Output, state: dict[str, Any]) -> int:
    from ..testing import Simulator

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


def register(commands: Any, leaf: Leaf) -> None:
    p = leaf(commands, "sim", "run the offline Hoox + Hooked simulator on 127.0.0.1", _sim)
    p.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    p.add_argument("--job-seconds", type=float, default=2.0, help="how long a job takes")
    p.add_argument("--credits", type=float, default=1000.0, help="starting credits")
