"""Webhook parsing: every documented payload shape (hoox.md §5/§8, the avatar seed,
hooked.md §7/§10.17), given as bytes, str or a mapping; anything malformed is a
`WebhookPayloadError` (also a `ValueError`)."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone

import pytest

import reelkit
import reelkit.hooked
import reelkit.hoox
from reelkit import WebhookPayloadError

# ------------------------------------------------------------------------- Hoox

HOOX_GENERATE_DONE = {
    "task": "video_generate",
    "job_id": "run_01234567890abcdef",
    "status": "completed",
    "result": {
        "video_id": "video_abcdef1234567890",
        "thumbnail_url": "https://cdn.hoox.video/thumbnails/video_123.jpg",
        "cost": 5,
        "created_at": "2024-01-15T10:30:00Z",
    },
}
HOOX_GENERATE_FAILED = {
    "task": "video_generate",
    "job_id": "run_01234567890abcdef",
    "status": "failed",
    "error": {
        "code": "INSUFFICIENT_CREDITS",
        "message": "Not enough credits to complete video generation",
    },
}
HOOX_EXPORT_NO_TASK = {
    "job_id": "run_fedcba0987654321",
    "status": "completed",
    "result": {
        "video_url": "https://cdn.hoox.video/exports/video_456.mp4",
        "thumbnail_url": "https://cdn.hoox.video/thumbnails/video_456.jpg",
        "cost": 3,
        "created_at": "2024-01-15T10:35:00Z",
    },
}
HOOX_ASSET = {
    "task": "asset_generation",
    "asset_id": "asset_abc123",
    "status": "completed",
    "result": {
        "asset_url": "https://cdn.hoox.video/assets/...",
        "asset_type": "video",
        "width": 1920,
        "height": 1080,
        "duration_seconds": 6,
    },
}
HOOX_AVATAR_DONE = {  # shared/seeds/hoox-avatar-workflow.txt: job_id is the look id
    "job_id": "look_edit_789",
    "status": "completed",
    "result": {"thumbnail_url": "https://media.hoox.video/.../image.jpg"},
}
HOOX_AVATAR_FAILED = {
    "job_id": "look_edit_789",
    "status": "failed",
    "error": {"code": "GENERATION_FAILED", "message": "Edit failed"},
}

HOOX_CASES = {
    # name: (payload, task, job_id, asset_id, status, complete, failed, dedupe id)
    "generate completed": (
        HOOX_GENERATE_DONE,
        "video_generate",
        "run_01234567890abcdef",
        None,
        "completed",
        True,
        False,
        "run_01234567890abcdef",
    ),
    "generate failed": (
        HOOX_GENERATE_FAILED,
        "video_generate",
        "run_01234567890abcdef",
        None,
        "failed",
        False,
        True,
        "run_01234567890abcdef",
    ),
    "export without task": (
        HOOX_EXPORT_NO_TASK,
        None,
        "run_fedcba0987654321",
        None,
        "completed",
        True,
        False,
        "run_fedcba0987654321",
    ),
    "asset": (
        HOOX_ASSET,
        "asset_generation",
        None,
        "asset_abc123",
        "completed",
        True,
        False,
        "asset_abc123",
    ),
    "avatar completed": (
        HOOX_AVATAR_DONE,
        None,
        "look_edit_789",
        None,
        "completed",
        True,
        False,
        "look_edit_789",
    ),
    "avatar failed": (
        HOOX_AVATAR_FAILED,
        None,
        "look_edit_789",
        None,
        "failed",
        False,
        True,
        "look_edit_789",
    ),
}

FORMS = {
    "bytes": lambda p: json.dumps(p).encode(),
    "str": lambda p: json.dumps(p),
    "mapping": lambda p: dict(p),
}


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("case", list(HOOX_CASES))
def test_hoox_payloads(case, form):
    payload, task, job_id, asset_id, status, complete, failed, dedupe = HOOX_CASES[case]
    event = reelkit.hoox.parse_webhook(FORMS[form](payload))
    assert event.task == task
    assert event.job_id == job_id
    assert event.asset_id == asset_id
    assert event.status == status
    assert (event.is_complete, event.is_failed, event.is_pending) == (complete, failed, False)
    assert event.result == payload.get("result")
    assert event.error == payload.get("error")
    assert event.raw == payload
    assert event.id == dedupe


def test_hoox_avatar_payload_job_id_is_the_look_id():
    event = reelkit.hoox.parse_webhook(json.dumps(HOOX_AVATAR_FAILED).encode())
    assert event.job_id == "look_edit_789"
    assert event.error == {"code": "GENERATION_FAILED", "message": "Edit failed"}
    assert event.is_failed


def test_hoox_avatar_payload_with_task_and_ids():
    # hoox.md §5: the newest avatar payloads carry task, avatar_id and look_id.
    payload = {
        "task": "avatar_edit",
        "avatar_id": "avtr_abc",
        "look_id": "look_edit_789",
        "status": "completed",
        "result": {"thumbnail_url": "https://media.hoox.video/.../image.jpg"},
    }
    event = reelkit.hoox.parse_webhook(payload)
    assert (event.task, event.avatar_id, event.look_id) == (
        "avatar_edit",
        "avtr_abc",
        "look_edit_789",
    )
    assert event.job_id is None
    assert event.id == "look_edit_789"


def test_hoox_event_is_a_frozen_model_that_keeps_unknown_fields():
    payload = {**HOOX_GENERATE_DONE, "x_future_field": [1, 2]}
    event = reelkit.hoox.parse_webhook(payload)
    assert event.raw["x_future_field"] == [1, 2]
    assert event.to_dict()["job_id"] == "run_01234567890abcdef"
    assert "raw" not in event.to_dict()
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.status = "failed"  # type: ignore[misc]


def test_hoox_unknown_status_is_pending():
    event = reelkit.hoox.parse_webhook({"job_id": "run_1", "status": "rendering"})
    assert event.status == "rendering"
    assert event.is_pending and not event.is_complete and not event.is_failed


# ----------------------------------------------------------------------- Hooked

HOOKED_DONE = {
    "event": "project.completed",
    "projectId": "proj_abc123",
    "status": "completed",
    "video": {
        "id": "video_xyz789",
        "url": "https://cdn.hooked.so/videos/xyz789.mp4",
        "duration": 45,
        "thumbnail": "https://cdn.hooked.so/thumbnails/xyz789.jpg",
        "aspectRatio": "9:16",
        "resolution": "1080x1920",
    },
    "createdAt": "2024-01-15T10:30:00Z",
    "completedAt": "2024-01-15T10:33:00Z",
}
HOOKED_FAILED = {
    "event": "project.failed",
    "projectId": "proj_abc123",
    "status": "failed",
    "message": "Script too short to generate video",
    "createdAt": "2024-01-15T10:30:00Z",
}


@pytest.mark.parametrize("form", list(FORMS))
def test_hooked_project_completed(form):
    event = reelkit.hooked.parse_webhook(FORMS[form](HOOKED_DONE))
    assert event.event == "project.completed"
    assert event.project_id == "proj_abc123"
    assert event.video_id == "video_xyz789"
    assert event.status == "completed"
    assert event.is_complete and not event.is_failed and not event.is_pending
    assert event.video == HOOKED_DONE["video"]
    assert event.created_at == datetime(2024, 1, 15, 10, 30, tzinfo=timezone.utc)
    assert event.completed_at == datetime(2024, 1, 15, 10, 33, tzinfo=timezone.utc)
    assert event.message is None
    assert event.raw == HOOKED_DONE


@pytest.mark.parametrize("form", list(FORMS))
def test_hooked_project_failed(form):
    event = reelkit.hooked.parse_webhook(FORMS[form](HOOKED_FAILED))
    assert event.event == "project.failed"
    assert event.project_id == "proj_abc123"
    assert event.status == "failed"
    assert event.is_failed and not event.is_complete
    assert event.message == "Script too short to generate video"
    assert event.video is None and event.video_id is None
    assert event.created_at == datetime(2024, 1, 15, 10, 30, tzinfo=timezone.utc)
    assert event.completed_at is None


def test_hooked_metadata_is_echoed():
    # hooked.md §7 (CLONE guide): metadata given at creation comes back in the webhook.
    event = reelkit.hooked.parse_webhook({**HOOKED_DONE, "metadata": {"campaign": "spring"}})
    assert event.metadata == {"campaign": "spring"}


# ------------------------------------------------------------------- malformed

HOOX_MALFORMED = {
    "not JSON": b"{not json",
    "not UTF-8": b"\xff\xfe{}",
    "empty": b"",
    "a JSON array": b"[1, 2]",
    "a JSON string": '"completed"',
    "no status": {"job_id": "run_1"},
    "no id at all": {"status": "completed"},
    "job_id not a string": {"job_id": 3, "status": "completed"},
    "status not a string": {"job_id": "run_1", "status": 1},
    "result not an object": {"job_id": "run_1", "status": "completed", "result": "ok"},
    "error not an object": {"job_id": "run_1", "status": "failed", "error": "boom"},
    "an int": 42,
    "None": None,
}


@pytest.mark.parametrize("case", list(HOOX_MALFORMED))
def test_hoox_malformed(case):
    with pytest.raises(WebhookPayloadError) as info:
        reelkit.hoox.parse_webhook(HOOX_MALFORMED[case])
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, reelkit.ReelkitError)
    assert str(info.value)


HOOKED_MALFORMED = {
    "not JSON": b"project.completed",
    "a JSON list": "[]",
    "neither event nor status": {"projectId": "proj_abc123"},
    "no project or video id": {"event": "project.completed", "status": "completed"},
    "video not an object": {"event": "project.completed", "projectId": "proj_abc123", "video": "x"},
    "projectId not a string": {"event": "project.failed", "projectId": 7, "status": "failed"},
    "an int": 42,
}


@pytest.mark.parametrize("case", list(HOOKED_MALFORMED))
def test_hooked_malformed(case):
    with pytest.raises(WebhookPayloadError) as info:
        reelkit.hooked.parse_webhook(HOOKED_MALFORMED[case])
    assert isinstance(info.value, ValueError)
