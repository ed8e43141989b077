"""Every `wait()` polls on its pinned schedule, and the README says the same.

The schedules are (seconds since the wait started, interval) steps; the core uses the
last step whose start has passed (`src/core/poll.rs`, unit-tested there). Each wait
method is found by walking the clients, built without sending anything, and its plan's
schedule compared with the table below (hoox.md §1.10 for Hoox; Hooked documents no
cadence, only "typically 2-5 minutes", so reelkit starts at 5 s and slows to 10 s)."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import reelkit
from reelkit._endpoint import Resource, Wait

# (provider, resource) -> schedule of its wait(); README wording for each.
PINNED: dict[tuple[str, str], list[tuple[float, float]]] = {
    ("hoox", "generations"): [(0.0, 5.0), (60.0, 10.0), (300.0, 30.0)],
    ("hoox", "exports"): [(0.0, 3.0), (30.0, 5.0), (120.0, 10.0)],
    ("hoox", "avatars"): [(0.0, 3.0), (30.0, 5.0), (120.0, 10.0)],
    ("hoox", "assets"): [(0.0, 3.0), (60.0, 5.0), (300.0, 10.0)],
    ("hooked", "videos"): [(0.0, 5.0), (120.0, 10.0)],
}

WAIT_ARGS = {
    ("hoox", "avatars"): ("avtr_1", "look_1"),
}

README = (Path(__file__).parent.parent / "README.md").read_text()


def wait_methods() -> list[tuple[str, str, object]]:
    found = []
    for provider, cls in (("hoox", reelkit.Hoox), ("hooked", reelkit.Hooked)):
        client = cls(api_key="k", base_url="http://127.0.0.1:9")
        client._run = lambda plan: plan  # build the plan, send nothing
        for name in sorted(type(client)._resource_names):
            resource = getattr(client, name)  # resource groups load on first access
            if isinstance(resource, Resource) and hasattr(resource, "wait"):
                found.append((provider, name, resource.wait))
    return found


WAITS = wait_methods()


def test_every_wait_is_pinned():
    assert {(p, r) for p, r, _ in WAITS} == set(PINNED)


@pytest.mark.parametrize(
    ("provider", "resource", "wait"), WAITS, ids=lambda v: v if isinstance(v, str) else "wait"
)
def test_wait_uses_its_pinned_schedule(provider, resource, wait, monkeypatch):
    monkeypatch.delenv("REELKIT_POLL_INTERVAL", raising=False)
    args = WAIT_ARGS.get((provider, resource), ("job_1",))
    plan = wait(*args)
    assert isinstance(plan, Wait), plan
    assert [tuple(map(float, step)) for step in plan.schedule] == PINNED[(provider, resource)]
    assert plan.poll_interval is None  # the schedule applies unless one is given
    assert wait(*args, poll_interval=0.25).poll_interval == 0.25
    assert "poll_interval" in inspect.signature(wait).parameters


def _seconds(value: float) -> str:
    if value < 60:
        return f"{value:g} s"
    minutes = value / 60
    return "a minute" if minutes == 1 else f"{minutes:g} min"


def describe(schedule: list[tuple[float, float]]) -> str:
    """`[(0, 3), (30, 5), (120, 10)]` -> "3 s → 5 s after 30 s → 10 s after 2 min"."""
    first, *rest = schedule
    parts = [f"{first[1]:g} s"] + [f"{iv:g} s after {_seconds(at)}" for at, iv in rest]
    return " → ".join(parts)


@pytest.mark.parametrize(("key", "schedule"), list(PINNED.items()), ids=lambda v: str(v))
def test_readme_states_each_schedule(key, schedule):
    provider, resource = key
    text = f"{provider.capitalize()} {resource} {describe(schedule)}"
    flat = " ".join(README.split())
    assert text in flat, f"README.md should say: {text!r}"
