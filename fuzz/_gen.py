"""Structure-aware inputs for the harnesses: JSON-like values built from the fuzzer's
bytes, biased towards the keys and shapes the two APIs use, so most inputs get past
the JSON parser and exercise the code behind it."""

from __future__ import annotations

import json
from typing import Any

import atheris

KEYS = [
    # webhooks
    "task", "job_id", "avatar_id", "look_id", "asset_id", "status", "result", "error",
    "event", "projectId", "video", "videoId", "id", "url", "message", "metadata",
    "createdAt", "completedAt",
    # payloads and errors
    "success", "data", "code", "details", "field", "video_url", "video_id", "progress",
    "avatars", "voices", "looks", "models", "folders", "type", "provider", "total_cost",
    "cost_per_generation", "generation_count", "error_code", "error_message", "name",
]  # fmt: skip
STATUSES = ["completed", "failed", "processing", "pending", "COMPLETED", "FAILED", "ready",
            "error", "project.completed", "project.failed", "", "done"]  # fmt: skip


def text(fdp: atheris.FuzzedDataProvider) -> str:
    pick = fdp.ConsumeIntInRange(0, 5)
    if pick == 0:
        return fdp.PickValueInList(KEYS)
    if pick == 1:
        return fdp.PickValueInList(STATUSES)
    if pick == 2:
        return "2024-01-15T10:30:00" + fdp.ConsumeUnicodeNoSurrogates(6)
    return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 24))


def value(fdp: atheris.FuzzedDataProvider, depth: int = 0) -> Any:
    """A JSON value (dicts and lists at most 6 deep)."""
    pick = fdp.ConsumeIntInRange(0, 9 if depth < 6 else 6)
    if pick == 0:
        return None
    if pick == 1:
        return fdp.ConsumeBool()
    if pick == 2:
        return fdp.ConsumeInt(8)
    if pick == 3:
        return fdp.ConsumeRegularFloat()
    if pick in (4, 5, 6):
        return text(fdp)
    if pick == 7:
        return [value(fdp, depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 4))]
    return obj(fdp, depth + 1)


def obj(fdp: atheris.FuzzedDataProvider, depth: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for _ in range(fdp.ConsumeIntInRange(0, 8)):
        key = fdp.PickValueInList(KEYS) if fdp.ConsumeIntInRange(0, 4) else text(fdp)
        out[key] = value(fdp, depth)
    return out


def body(fdp: atheris.FuzzedDataProvider) -> bytes:
    """Bytes to decode: mostly JSON built from `obj`, sometimes mangled or raw."""
    pick = fdp.ConsumeIntInRange(0, 9)
    if pick == 0:
        return fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 512))
    data = json.dumps(value(fdp) if pick == 1 else obj(fdp), allow_nan=True).encode()
    if pick == 2 and data:  # cut or corrupt it
        cut = fdp.ConsumeIntInRange(0, len(data))
        return data[:cut] + fdp.ConsumeBytes(4)
    return data
