"""The short soak: `benches/soak.py --requests 5000` in a subprocess (sync and
asyncio calls, successes, 404s and POSTs against `python -m reelkit.testing`) must
pass, i.e. after a 1,000-request warm-up the client's RSS grows by at most 8 MiB and
its open file descriptors by at most 4, and every call returns the right thing.
The full run (100,000 requests) is `python benches/soak.py`; its figures are in
README.md ("Guarantees", Soak)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SOAK = Path(__file__).resolve().parent.parent / "benches" / "soak.py"


@pytest.mark.timeout(300)
def test_short_soak_does_not_leak() -> None:
    proc = subprocess.run(
        [sys.executable, str(SOAK), "--requests", "5000", "--max-seconds", "240", "--json"],
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert proc.stdout.strip(), proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    samples = report["samples"]
    table = "\n".join(
        f"{s['requests']:>6} {s['rss_mib']:>8.1f} MiB {s['fds']:>4} fds" for s in samples
    )
    assert report["problems"] == [], table
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert report["requests"] == 5000
    print(f"\n{table}")
