"""The Hoox seed workflows end to end (shared/seeds/hoox-avatar-workflow.txt and
hoox-duplicate-video.txt), each with the sync and the async client."""

from __future__ import annotations

import dataclasses

import pytest

AVATAR_PROMPT = {
    "prompt": "Young entrepreneur in a modern office, confident smile",
    "style": "iphone",
    "format": "vertical",
    "name": "Alex",
    "place": "office",
    "resolution": "2K",
    "element_images": ["https://your-domain.com/logo.png"],
    "webhook_url": "https://your-domain.com/webhooks/avatar",
}
EDIT = {
    "prompt": "Same person, podcast scene, warm cinematic lighting",
    "style": "podcast",
    "format": "vertical",
    "resolution": "2K",
    "images": ["https://your-domain.com/extra-reference.jpg"],
    "webhook_url": "https://your-domain.com/webhooks/avatar",
}
EDIT_DONE_RAW = {
    "avatar_id": "avtr_abc",
    "look_id": "look_edit_789",
    "status": "completed",
    "result": {"thumbnail_url": "https://media.hoox.video/…/image.jpg"},
}
DUP_MESSAGE = (
    "Video duplicated successfully. "
    "The video will need to be exported to generate the final output."
)


@pytest.mark.cassette("hoox/avatar_workflow")
def test_avatar_workflow_create_poll_edit(cassette, run):
    progress: list = []

    def scenario(client):
        job = yield client.avatars.create(**AVATAR_PROMPT)
        done = yield client.avatars.wait(job.avatar_id, job.look_id, on_progress=progress.append)
        edit = yield client.avatars.edit(job.avatar_id, job.look_id, **EDIT)
        edited = yield client.avatars.wait(edit.avatar_id, edit.look_id)
        again = yield client.avatars.status(edit.avatar_id, edit.look_id)
        return job, done, edit, edited, again

    job, done, edit, edited, again = run.hoox(cassette.hoox_base_url, scenario)

    assert type(job).__name__ == "AvatarJob"
    assert (job.avatar_id, job.look_id) == ("avtr_abc", "look_123")
    assert job.raw == {"avatar_id": "avtr_abc", "look_id": "look_123"}

    assert type(done).__name__ == "AvatarStatus"
    assert (done.avatar_id, done.look_id, done.status) == ("avtr_abc", "look_123", "completed")
    assert done.is_complete and not done.is_failed and not done.is_pending
    assert done.result["id"] == "look_123"
    assert done.result["model_available"] == ["premium", "ultra", "veo-3-fast", "veo-3"]
    assert done.error is None

    # on_progress saw every intermediate status model, in order.
    statuses = [s.status for s in progress]
    assert statuses in (["pending", "processing"], ["pending", "processing", "completed"])
    assert all(type(s).__name__ == "AvatarStatus" for s in progress)
    assert progress[0].is_pending and progress[1].is_pending

    assert (edit.avatar_id, edit.look_id) == ("avtr_abc", "look_edit_789")
    assert edited.raw == EDIT_DONE_RAW
    assert edited.result == {"thumbnail_url": "https://media.hoox.video/…/image.jpg"}
    assert again.raw == EDIT_DONE_RAW
    assert again == edited  # frozen dataclasses compare by field (raw excluded)


@pytest.mark.cassette("hoox/avatar_create_from_images")
def test_avatar_from_images_is_ready_at_once(cassette, run):
    def scenario(client):
        job = yield client.avatars.create_from_images(
            ["https://your-domain.com/img1.jpg", "https://your-domain.com/img2.jpg"],
            name="Jordan",
            place="studio",
            webhook_url="https://your-domain.com/webhooks/avatar",
        )
        status = yield client.avatars.wait(job.avatar_id, job.look_id)
        return job, status

    job, status = run.hoox(cassette.hoox_base_url, scenario)
    assert (job.avatar_id, job.look_id) == ("avtr_xyz", "look_a")
    # The look vocabulary's `ready` counts as complete and is kept unchanged.
    assert status.status == "ready"
    assert status.is_complete and not status.is_pending


@pytest.mark.cassette("hoox/duplicate_with_voice_and_look")
def test_duplicate_with_voice_and_look(cassette, run):
    dup = run.hoox(
        cassette.hoox_base_url,
        lambda c: c.videos.duplicate(
            "vid_abc123",
            voice_id="voice_en_us_female_1",
            avatar_look_id="avatar_business_woman_office_1",
        ),
    )
    assert type(dup).__name__ == "DuplicatedVideo"
    assert dup.video_id == "vid_dup_456"
    assert dup.status == "done"
    assert dup.message == DUP_MESSAGE
    assert dup.changes_applied == {"voice_changed": True, "avatar_changed": True}
    assert dup.raw == {
        "video_id": "vid_dup_456",
        "status": "done",
        "message": DUP_MESSAGE,
        "changes_applied": {"voice_changed": True, "avatar_changed": True},
    }
    assert dup.to_dict() == {
        "video_id": "vid_dup_456",
        "status": "done",
        "message": DUP_MESSAGE,
        "changes_applied": {"voice_changed": True, "avatar_changed": True},
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        dup.video_id = "other"  # type: ignore[misc]
    (request,) = cassette.requests()
    assert request.header("content-type").startswith("application/json")
    assert request.header("user-agent").startswith("reelkit/")


@pytest.mark.cassette("hoox/duplicate_plain")
def test_duplicate_without_options_sends_only_the_video_id(cassette, run):
    # The cassette's request body is exactly {"video_id": "vid_abc123"}: a None option
    # sent as null would be a strict-replay mismatch.
    dup = run.hoox(cassette.hoox_base_url, lambda c: c.videos.duplicate("vid_abc123"))
    assert dup.video_id == "vid_dup_456"
    assert dup.changes_applied == {"voice_changed": False, "avatar_changed": False}
