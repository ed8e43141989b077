"""What loads when, in a fresh process: `reelkit.hoox` / `reelkit.hooked` work right
after `import reelkit` (as the README writes them), and building a client loads
nothing its first request does not need yet (no endpoints, models or asyncio):
that keeps the first call cheap (README, "First call")."""

from __future__ import annotations

import json
import subprocess
import sys

WEBHOOK = {"job_id": "run_1", "status": "completed", "result": {"video_id": "v"}}
HOOKED_WEBHOOK = {"event": "project.completed", "projectId": "p", "status": "completed"}


def fresh(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""  # a library prints nothing
    return out.stdout.strip()


def test_provider_modules_work_right_after_import_reelkit():
    code = f"""
import reelkit
event = reelkit.hoox.parse_webhook({json.dumps(WEBHOOK)!r})
print(event.id, event.is_complete)
print(reelkit.hoox.estimate_credits("generation", duration=60))
hooked = reelkit.hooked.parse_webhook({json.dumps(HOOKED_WEBHOOK)!r})
print(hooked.project_id, type(reelkit.hooked.Video).__name__)
print(sorted({{"hoox", "hooked"}} & set(dir(reelkit))))
"""
    lines = fresh(code).splitlines()
    assert lines == ["run_1 True", "10.0", "p type", "['hooked', 'hoox']"]


def test_unknown_names_still_raise():
    code = """
import reelkit
for get in (lambda: reelkit.nothing, lambda: reelkit.hoox.nothing):
    try:
        get()
    except AttributeError as exc:
        print(exc)
"""
    assert fresh(code).splitlines() == [
        "module 'reelkit' has no attribute 'nothing'",
        "module 'reelkit.hoox' has no attribute 'nothing'",
    ]


def test_building_a_client_loads_no_endpoints_models_or_asyncio():
    code = """
import sys
import reelkit
hoox = reelkit.Hoox(api_key="hx_test", base_url="http://127.0.0.1:9")
hooked = reelkit.AsyncHooked(api_key="hk_test", base_url="http://127.0.0.1:9")
heavy = ("asyncio", "dataclasses", "inspect", "logging", "reelkit._endpoint",
         "reelkit._models.hoox", "reelkit._models.hooked", "reelkit._resources.hoox",
         "reelkit._resources.hooked")
print(sorted(m for m in heavy if m in sys.modules))
hoox.voices  # the first use of a resource group loads its provider's endpoints
print(sorted(m for m in heavy if m in sys.modules and m.startswith("reelkit")))
"""
    before, after = fresh(code).splitlines()
    assert before == "[]"
    assert after == str(
        sorted(["reelkit._endpoint", "reelkit._models.hoox", "reelkit._resources.hoox"])
    )


def test_the_core_logs_once_requests_start():
    # The bridge to `logging` is installed with the first resource group, so records
    # of the first request arrive, with levels configured after import.
    from reelkit.testing import Simulator

    with Simulator() as sim:
        code = f"""
import logging, sys
import reelkit
client = reelkit.Hoox(api_key={sim.hoox_api_key!r}, base_url={sim.hoox_base_url!r})
logging.basicConfig(level=logging.DEBUG, stream=sys.stdout, format="%(name)s %(message)s")
client.voices.list()
"""
        out = fresh(code)
    assert "GET /voice/list -> 200" in out, out
