"""examples/notebooks/quickstart.ipynb, executed by a real Jupyter kernel (nbclient +
ipykernel, installed by .ci/env.sh): the seed workflows run against the simulator,
the outputs show the video players, thumbnails and tables, and nothing errs or
writes to stderr. Plus the HTML itself: every value escaped."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelkit._models import hooked, hoox

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "notebooks" / "quickstart.ipynb"


def _html(output: dict) -> str:
    return "".join(output.get("data", {}).get("text/html", ""))


def test_the_quickstart_notebook_runs_in_a_kernel(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")
    client = nbclient.NotebookClient(
        nb,
        timeout=180,
        kernel_name="python3",  # ipykernel's own spec: this interpreter
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"], "a cell raised"
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert stderr == [], stderr
    html = [_html(o) for o in outputs if o.output_type in ("execute_result", "display_data")]
    players = [h for h in html if "<video" in h]
    # The export (Hoox) and the Hooked video, each with its id and status.
    assert any('class="reelkit-video"' in h and "ExportStatus" in h for h in players)
    assert any("<b>Video</b>" in h and "COMPLETED" in h for h in players)
    assert any("<img" in h and "Look" in h for h in html)  # the look's thumbnail
    assert sum('class="reelkit-list"' in h for h in html) >= 2  # voices, a page of videos
    printed = "".join(o.text for o in outputs if o.output_type == "stream")
    assert "copy.mp4" in printed and "200" in printed


# -- the HTML --------------------------------------------------------------------------


HOSTILE = '"><script>alert(1)</script>'


def test_every_value_is_escaped():
    video = hooked.Video.from_raw(
        {
            "id": HOSTILE,
            "status": HOSTILE,
            "url": f"https://cdn.example/{HOSTILE}.mp4",
            "thumbnail": f"https://cdn.example/{HOSTILE}.jpg",
        }
    )
    pending = hooked.Video.from_raw({"id": "v", "status": "STARTED", "name": HOSTILE})
    look = hoox.Look.from_raw({"id": HOSTILE, "thumbnail": f"https://x/{HOSTILE}"})
    page = hooked.VideoPage.from_raw(
        {"videos": [{"id": HOSTILE, "status": "x"}], "total": 1, "limit": 1, "offset": 0}
    )
    for text in (
        video._repr_html_(),
        pending._repr_html_(),
        look._repr_html_(),
        page._repr_html_(),
        hoox.Voice.list_from_raw([{"id": HOSTILE, "name": HOSTILE}])._repr_html_(),
    ):
        assert HOSTILE not in text and "<script" not in text, text
        assert "&lt;script&gt;" in text


def test_players_thumbnails_and_tables():
    done = hooked.Video.from_raw(
        {"id": "v1", "status": "COMPLETED", "url": "https://cdn.example/v1.mp4"}
    )
    assert '<video controls preload="metadata"' in done._repr_html_()
    assert 'src="https://cdn.example/v1.mp4"' in done._repr_html_()
    # No playable URL yet (or not an http(s) one): the fields, no player.
    for url in (None, "javascript:alert(1)"):
        pending = hooked.Video.from_raw({"id": "v2", "status": "STARTED", "url": url})
        assert "<video" not in pending._repr_html_() and "v2" in pending._repr_html_()
    export = hoox.ExportStatus.from_raw(
        {
            "job_id": "run_1",
            "status": "completed",
            "progress": 100,
            "result": {"video_url": "https://cdn.example/e.mp4"},
        }
    )
    assert "<video" in export._repr_html_() and "run_1" in export._repr_html_()
    avatar = hooked.Avatar.from_raw({"id": "a", "name": "Sarah", "thumbnail": "https://x/a.jpg"})
    assert '<img src="https://x/a.jpg"' in avatar._repr_html_()
    voices = hoox.Voice.list_from_raw([{"id": f"v{i}", "name": "n"} for i in range(50)])
    table = voices._repr_html_()
    assert table.count("<tr>") == 1 + 20 and "30 more" in table  # rows are capped
    assert isinstance(voices, list) and voices == list(voices)
    # The plain repr stays short and has no HTML.
    assert len(repr(done)) <= 300 and "<" not in repr(done)
