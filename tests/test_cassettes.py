"""Hygiene of the provider cassettes: each one loads in the replay server, says what it
exercises and where its bodies come from, and is used by at least one test."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reelkit.testing import Replay

TESTS = Path(__file__).parent
CASSETTES = sorted((TESTS / "cassettes").glob("hoo*/*.json"))
TEST_SOURCES = "\n".join(p.read_text() for p in TESTS.glob("test_*.py"))
# f-string names with a fixed part, such as "hoox/post_{status}_not_resent", as regexes
# (a bare f"hooked/{name}" proves nothing: its names must appear as strings elsewhere)
TEMPLATES = [
    re.compile(re.sub(r"\\\{[^}]*\\\}", ".+", re.escape(m)) + "$")
    for m in re.findall(r'f"(hoo[a-z]+/[^"]*\{[^"]*)"', TEST_SOURCES)
    if not re.fullmatch(r"hoo[a-z]+/\{[^}]*\}", m)
]


def is_used(name: str) -> bool:
    provider, stem = name.split("/")
    return (
        f'"{name}"' in TEST_SOURCES
        or f'"{stem}"' in TEST_SOURCES  # e.g. a key of a parametrization table
        or f'"{provider}" / "{stem}.json"' in TEST_SOURCES
        or any(t.match(name) for t in TEMPLATES)
    )


def test_there_are_cassettes_for_both_providers():
    providers = {p.parent.name for p in CASSETTES}
    assert providers == {"hoox", "hooked"}


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_cassette_is_documented_loadable_and_used(path):
    doc = json.loads(path.read_text())
    assert doc["reelkit_cassette"] == 1
    assert doc["description"].strip() and doc["source"].strip()
    prefix = "/api/public/v1/" if path.parent.name == "hoox" else "/v1/"
    for interaction in doc["interactions"]:
        req_path = interaction["request"]["path"]
        assert req_path.startswith((prefix, "/media/")), req_path
    replay = Replay(path, strict=False)  # parses it (unknown keys are errors)
    try:
        assert replay.base_url.startswith("http://127.0.0.1:")
    finally:
        replay.close()
    assert len(replay.unused) == len(doc["interactions"])
    if not path.stem.startswith("api_"):  # test_hoox_api_replay.py checks its own api_*
        assert is_used(f"{path.parent.name}/{path.stem}")
