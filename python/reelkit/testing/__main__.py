"""``python -m reelkit.testing``: run the simulator in the foreground.

Prints the base URLs and API keys, then serves until Ctrl-C or SIGTERM and stops
cleanly (the port is released before the process exits), printing how many requests
it served (the benchmarks count polls with it).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from reelkit.testing._simulator import Simulator


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m reelkit.testing",
        description="Run the offline Hoox + Hooked API simulator on 127.0.0.1.",
    )
    p.add_argument("--port", type=int, default=0, help="port to listen on (0 = a free port)")
    p.add_argument("--job-seconds", type=float, default=2.0, help="how long a job takes")
    p.add_argument("--credits", type=float, default=1000.0, help="starting credits per provider")
    p.add_argument(
        "--video-bytes", type=int, default=0, help="size of rendered MP4s (0 = small valid MP4)"
    )
    p.add_argument(
        "--rate-limit", type=int, default=100, help="Hoox requests per minute per key (0 = none)"
    )
    return p


def _served(sim: Simulator) -> int:
    """How many requests the simulator received (its log keeps counting past its cap)."""
    recorded = sim._native.requests()
    return int(recorded[-1]["seq"]) + 1 if recorded else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        sim = Simulator(
            port=args.port,
            job_seconds=args.job_seconds,
            credits=args.credits,
            video_bytes=args.video_bytes,
            rate_limit_per_minute=args.rate_limit,
        )
    except (OSError, ValueError) as e:
        print(f"reelkit simulator: cannot start: {e}", file=sys.stderr)
        return 1
    with sim:
        print(f"reelkit simulator listening on {sim.url}", flush=True)
        print(f"  Hoox:   base_url={sim.hoox_base_url}  api_key={sim.hoox_api_key}", flush=True)
        print(f"  Hooked: base_url={sim.hooked_base_url}  api_key={sim.hooked_api_key}", flush=True)
        print("Ctrl-C to stop.", flush=True)
        # Wake up regularly so signals are handled promptly on every platform.
        while not stop.wait(0.2):
            pass
        served = _served(sim)
    print(f"reelkit simulator stopped ({served} requests served).", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
