"""Helpers shared by the batch tests: rows, CSV files, running the `reelkit batch` CLI
as a subprocess against a Simulator of the test process, reading its request log."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from reelkit.testing import Simulator

VOICE = "voice_en_us_female_sarah"
GENERATION_START = "/api/public/v1/generation/start"
EXPORT_START = "/api/public/v1/export/start"
# Prints "ready" once reelkit is imported, then runs the CLI: a test can kill it at a
# moment of the batch rather than of the interpreter's start-up.
CLI_SCRIPT = (
    "import sys, reelkit.batch, reelkit.hoox, reelkit.hooked\n"
    "from reelkit._cli import main\n"
    "print('ready', flush=True)\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def script_for(key: str, extra: str = "") -> str:
    # Short scripts: 5 credits each; the key makes each start traceable in the log.
    return f"Batch row {key}. Stop scrolling: here is what changed my mornings. {extra}".strip()


def generate_rows(n: int, prefix: str = "r") -> list[dict[str, Any]]:
    return [
        {"key": f"{prefix}{i:02d}", "script": script_for(f"{prefix}{i:02d}"), "voice_id": VOICE}
        for i in range(n)
    ]


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: json.dumps(v) if isinstance(v, (list, dict)) else v for k, v in row.items()}
            )
    return path


def cli_env(sim: Simulator, poll: float = 0.05) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOOX_", "HOOKED_"))}
    env.update(
        HOOX_BASE_URL=sim.hoox_base_url,
        HOOX_API_KEY=sim.hoox_api_key,
        HOOKED_BASE_URL=sim.hooked_base_url,
        HOOKED_API_KEY=sim.hooked_api_key,
        REELKIT_POLL_INTERVAL=str(poll),
        PYTHONUNBUFFERED="1",
    )
    return env


def start_cli(sim: Simulator, *args: str, poll: float = 0.05) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CLI_SCRIPT, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(sim, poll),
    )


def run_cli(sim: Simulator, *args: str, timeout: float = 120) -> tuple[int, Any, str]:
    """Run to the end: (exit code, the --json document or the stdout text, stderr)."""
    proc = start_cli(sim, *args)
    out, err = proc.communicate(timeout=timeout)
    text = out.removeprefix("ready\n")
    try:
        return proc.returncode, json.loads(text), err
    except ValueError:
        return proc.returncode, text, err


def all_requests(sim: Simulator) -> list[Any]:
    """Every request the simulator received; fails if its log dropped any."""
    native = sim._native.requests()
    assert not native or native[-1]["seq"] + 1 == len(native), "request log overflowed"
    return sim.requests()


def paid_starts(sim: Simulator) -> tuple[Counter[str], Counter[str]]:
    """(generation starts per row key, export starts per video id) seen by the simulator."""
    generations: Counter[str] = Counter()
    exports: Counter[str] = Counter()
    for req in all_requests(sim):
        if req.method != "POST" or not isinstance(req.json, dict):
            continue
        if req.path == GENERATION_START:
            key = str(req.json.get("script", "")).split(".")[0].removeprefix("Batch row ")
            generations[key] += 1
        elif req.path == EXPORT_START:
            exports[str(req.json.get("video_id"))] += 1
    return generations, exports
