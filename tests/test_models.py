"""Status models: the server's status string is kept unchanged; `is_complete`,
`is_failed` and `is_pending` cover both Hoox vocabularies (job: completed/failed;
look: ready/error) and treat anything unknown as pending. Models are frozen
dataclasses that keep the whole payload (unknown fields included) in `.raw`."""

from __future__ import annotations

import dataclasses

import pytest

VOCABULARY = [
    # status, complete, failed, pending
    ("pending", False, False, True),
    ("processing", False, False, True),
    ("completed", True, False, False),
    ("failed", False, True, False),
    ("ready", True, False, False),
    ("error", False, True, False),
    ("queued_for_gpu", False, False, True),
]


@pytest.mark.cassette("hoox/avatar_status_vocabulary")
def test_avatar_status_phases(cassette, run):
    def scenario(client):
        out = []
        for _ in VOCABULARY:
            out.append((yield client.avatars.status("avtr_abc", "look_123")))
        return out

    statuses = run.hoox(cassette.hoox_base_url, scenario)
    for model, (status, complete, failed, pending) in zip(statuses, VOCABULARY, strict=True):
        assert model.status == status
        assert (model.is_complete, model.is_failed, model.is_pending) == (
            complete,
            failed,
            pending,
        ), status
        assert model.raw == {"avatar_id": "avtr_abc", "look_id": "look_123", "status": status}


@pytest.mark.cassette("hoox/avatar_status_unknown_fields")
def test_hoox_raw_keeps_unknown_fields(cassette, run):
    status = run.hoox(
        cassette.hoox_base_url, lambda c: c.avatars.status("avtr_abc", "look_edit_789")
    )
    assert status.raw["x_future_field"] == {"kept": True}
    assert not hasattr(status, "x_future_field")
    as_dict = status.to_dict()
    assert as_dict["status"] == "completed"
    assert as_dict["result"] == {"thumbnail_url": "https://media.hoox.video/…/image.jpg"}
    assert "x_future_field" not in as_dict and "raw" not in as_dict
    assert dataclasses.is_dataclass(status)
    with pytest.raises(dataclasses.FrozenInstanceError):
        status.status = "failed"  # type: ignore[misc]


@pytest.mark.cassette("hooked/get_video_unknown_fields")
def test_hooked_raw_keeps_unknown_fields(cassette, run):
    video = run.hooked(cassette.hooked_base_url, lambda c: c.videos.get("vid_abc123"))
    assert video.raw["renderNode"] == "eu-1"
    # teamId and size are documented in the seed's field list
    assert video.team_id == "team_42"
    assert video.size == 10485760
    assert video.to_dict()["team_id"] == "team_42"
