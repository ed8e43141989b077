"""Hoox response models (unknown fields kept in `.raw`, unknown enum values accepted,
status phases, un-hoisting) and the recovery hint of credit-spending calls whose
outcome is unknown."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

import reelkit
from reelkit.hoox import (
    AssetJob,
    AssetStatus,
    Avatar,
    AvatarStatus,
    ExportStatus,
    GenerationStatus,
    Look,
    Script,
)
from reelkit.testing import Simulator, faults


def test_unknown_fields_stay_in_raw_and_models_are_frozen():
    raw = {"script": "Hi.", "cost": 0.1, "extractedImages": [], "tokens": 42}
    script = Script.from_raw(raw)
    assert script.raw["tokens"] == 42 and "tokens" not in script.to_dict()
    assert script.to_dict() == {"script": "Hi.", "cost": 0.1, "extracted_images": []}
    with pytest.raises(dataclasses.FrozenInstanceError):
        script.cost = 0  # type: ignore[misc]


# The fields every job status carries (hoox.md §3), whatever its phase.
IDS = {"job_id": "run_1", "avatar_id": "a", "look_id": "l", "asset_id": "x"}
IDS.update(progress_step=0, progress=0)


@pytest.mark.parametrize(
    ("model", "status", "phase"),
    [
        (GenerationStatus, "pending", "pending"),
        (GenerationStatus, "processing", "pending"),
        (GenerationStatus, "completed", "complete"),
        (GenerationStatus, "failed", "failed"),
        (GenerationStatus, "queued_for_gpu", "pending"),  # a value the API may add later
        (ExportStatus, "completed", "complete"),
        (AvatarStatus, "ready", "complete"),
        (AvatarStatus, "error", "failed"),
        (AvatarStatus, "processing", "pending"),
        (AssetStatus, "generating", "pending"),
        (AssetStatus, "pending", "pending"),
        (AssetStatus, "completed", "complete"),
        (AssetStatus, "failed", "failed"),
    ],
)
def test_status_phases(model, status, phase):
    value = model.from_raw(dict(IDS, status=status))
    assert value.status == status
    assert (value.is_complete, value.is_failed, value.is_pending) == (
        phase == "complete",
        phase == "failed",
        phase == "pending",
    )


def test_job_error_and_result_properties():
    failed = GenerationStatus.from_raw(
        {**IDS, "status": "failed", "error": {"code": "ASSEMBLY_FAILED", "message": "boom"}}
    )
    assert (failed.error_code, failed.error_message) == ("ASSEMBLY_FAILED", "boom")
    assert failed.video_id is None and failed.cost is None
    export = ExportStatus.from_raw(
        {**IDS, "status": "completed", "result": {"video_url": "u", "cost": 3}}
    )
    assert (export.video_url, export.cost, export.error_code) == ("u", 3, None)
    weird = AssetStatus.from_raw({**IDS, "status": "failed", "error": "text only"})
    assert weird.error_code is None


def test_nested_models_and_unknown_enum_values():
    avatar = Avatar.from_raw(
        {
            "id": "a",
            "looks": [{"id": "l", "format": "square-ish", "model_available": ["hyper-9"]}],
            "created_at": "2024-01-15T10:30:00.123456789Z",
        }
    )
    assert avatar.looks[0].format == "square-ish" and avatar.looks[0].supports_model("hyper-9")
    assert avatar.created_at.microsecond == 123456
    assert Look.from_raw({"id": "l"}).supports_model("premium")  # unknown: not refused
    job = AssetJob.from_raw({"asset_ids": [], "status": "generating"})
    assert job.asset_id is None


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_unknown_outcome_names_how_to_check(mode):
    with Simulator(job_seconds=0.05, rate_limit_per_minute=0) as sim:
        sim.inject("POST", "/api/public/v1/generation/start", faults.reset_mid_body())
        kwargs = {"prompt": "p", "duration": 30, "voice_id": "voice_en_us_female_1"}
        if mode == "sync":
            client = reelkit.Hoox(api_key=sim.hoox_api_key, base_url=sim.hoox_base_url)
            with client, pytest.raises(reelkit.APIConnectionError) as info:
                client.generations.start(**kwargs)
        else:

            async def main():
                async with reelkit.AsyncHoox(
                    api_key=sim.hoox_api_key, base_url=sim.hoox_base_url
                ) as client:
                    await client.generations.start(**kwargs)

            with pytest.raises(reelkit.APIConnectionError) as info:
                asyncio.run(main())
        # Never resent: exactly one POST reached the server.
        assert [r.method for r in sim.requests()] == ["POST"]
    assert info.value.may_have_acted
    assert "Check your Hoox space" in str(info.value)
