"""The README's main command runs examples/demo.py against the built-in simulator:
every main workflow of both APIs end to end, offline. Run here as a user would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_demo_runs_offline_and_writes_both_videos(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},  # no API keys at all
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    videos = sorted(out.glob("*.mp4"))
    assert [p.name.split("-")[0] for p in videos] == ["hooked", "hoox"], videos
    for video in videos:
        assert video.read_bytes()[4:8] == b"ftyp", video  # a real MP4 header
    for line in ("duplicated as", "Credits used:", "Files written:"):
        assert line in proc.stdout, proc.stdout
    # The batch: five videos, then the same batch again, which redoes nothing.
    assert "5 rows: 5 done; 25 credits" in proc.stdout, proc.stdout
    assert "again: 5 rows: 5 done; 25 credits; 0 requests sent, nothing redone" in proc.stdout
    assert sorted(p.name for p in (out / "batch").glob("*.mp4")) == [
        f"ad-{i}.mp4" for i in range(1, 6)
    ]
    assert "100%" in proc.stderr or "COMPLETED" in proc.stderr.upper(), proc.stderr[-2000:]
