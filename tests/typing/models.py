"""Every model's required fields, typed without `None` (and closed enums as
`Literal`): checked by mypy --strict and pyright (tests/test_typing.py), which also
checks that each `req_<Model>` function below reads every required field of its
model. Never executed: it only has to type-check."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Literal

import reelkit
from reelkit import hooked as hk
from reelkit import hoox as hx

JobStatus = Literal["pending", "processing", "completed", "failed"]
AssetState = Literal["pending", "generating", "completed", "failed"]


# -- the example: no None check, no cast -------------------------------------------


def status(c: reelkit.Hooked, vid: str) -> str:
    return c.videos.get(vid).status


# -- Hoox --------------------------------------------------------------------------------


def req_Script(m: hx.Script) -> tuple[str, float]:
    return m.script, m.cost


def req_DuplicatedVideo(m: hx.DuplicatedVideo) -> tuple[str, str]:
    return m.video_id, m.status


def req_AvatarJob(m: hx.AvatarJob) -> tuple[str, str]:
    return m.avatar_id, m.look_id


def req_Look(m: hx.Look) -> str:
    return m.id


def req_AvatarLook(m: hx.AvatarLook) -> str:
    return m.id


def req_Avatar(m: hx.Avatar) -> tuple[str, list[str]]:
    return m.id, [look.id for look in m.looks]


def req_AvatarStatus(m: hx.AvatarStatus) -> tuple[str, str, str]:
    return m.avatar_id, m.look_id, m.status


def req_Voice(m: hx.Voice) -> tuple[str, str]:
    return m.id, m.name


def req_GenerationJob(m: hx.GenerationJob) -> tuple[str, JobStatus, float]:
    return m.job_id, m.status, m.estimated_credits


def req_GenerationStatus(m: hx.GenerationStatus) -> tuple[str, JobStatus, float]:
    return m.job_id, m.status, m.progress_step


def req_ExportJob(m: hx.ExportJob) -> tuple[str, JobStatus, float]:
    return m.job_id, m.status, m.estimated_credits


def req_ExportStatus(m: hx.ExportStatus) -> tuple[str, JobStatus, float]:
    return m.job_id, m.status, m.progress


def req_AssetModel(m: hx.AssetModel) -> str:
    return m.name


def req_AssetModelSetting(m: hx.AssetModelSetting) -> str:
    return m.key


def req_AssetModelDetail(m: hx.AssetModelDetail) -> str:
    return m.name


def req_AssetPricing(m: hx.AssetPricing) -> tuple[str, float, float]:
    return m.model, m.cost_per_generation, m.total_cost


def req_AssetJob(m: hx.AssetJob) -> tuple[list[str], AssetState]:
    return m.asset_ids, m.status


def req_AssetStatus(m: hx.AssetStatus) -> tuple[str, AssetState]:
    return m.asset_id, m.status


def req_Folder(m: hx.Folder) -> tuple[str, str, Literal["assets", "videos"]]:
    return m.id, m.name, m.type


# -- Hooked ------------------------------------------------------------------------------


def req_Video(m: hk.Video) -> tuple[str, str]:
    return m.id, m.status


def req_VideoPage(m: hk.VideoPage) -> tuple[list[hk.Video], int, int, int]:
    return m.videos, m.total, m.limit, m.offset


def req_CreatedProject(m: hk.CreatedProject) -> str:
    return m.project_id


def req_Avatar_hooked(m: hk.Avatar) -> tuple[str, str]:
    return m.id, m.name


def req_Template(m: hk.Template) -> str:
    return m.id


def req_TrendingVideo(m: hk.TrendingVideo) -> str:
    return m.id


def req_TrendPage(m: hk.TrendPage) -> list[hk.TrendingVideo]:
    return m.videos


def req_SocialSearch(m: hk.SocialSearch) -> tuple[str, str, Literal["tiktok", "youtube"]]:
    return m.id, m.search_term, m.platform


def req_IntegrationHealth(m: hk.IntegrationHealth) -> Literal["healthy", "expired", "error"]:
    return m.status


def req_IntegrationAccount(m: hk.IntegrationAccount) -> str:
    return m.id


def req_Integration(m: hk.Integration) -> tuple[str, Literal["youtube", "tiktok", "instagram"]]:
    return m.id, m.type


def req_ScheduledVideo(m: hk.ScheduledVideo) -> str:
    return m.id


def req_ScheduledPost(
    m: hk.ScheduledPost,
) -> tuple[str, str, Literal["pending", "published", "failed", "draft"]]:
    return m.schedule_id, m.id, m.status


def req_SchedulePage(m: hk.SchedulePage) -> tuple[list[hk.ScheduledPost], int, int, int]:
    return m.scheduled_posts, m.total, m.limit, m.offset


def req_DeletedSchedule(m: hk.DeletedSchedule) -> tuple[str, bool]:
    return m.id, m.deleted


# -- fields that stay optional are still `X | None` ------------------------------------------


def optional_fields(v: hk.Video, s: hx.GenerationStatus) -> tuple[str | None, str | None]:
    return v.url, s.video_id


# -- raw responses, sync and async ---------------------------------------------------------


def raw_sync(c: reelkit.Hooked, vid: str) -> tuple[int, str | None, float, hk.Video]:
    resp: reelkit.APIResponse[hk.Video] = c.videos.with_raw_response.get(vid)
    remaining: str | None = resp.headers.get("x-ratelimit-remaining")
    print(remaining, resp.retries_taken)
    elapsed: dt.timedelta = resp.elapsed
    waited: reelkit.APIResponse[hk.Video] = c.videos.with_raw_response.wait(vid, timeout=60.0)
    path: Path = c.videos.with_raw_response.download(vid, "out.mp4").parse()
    print(waited.status_code, path)
    for page in c.videos.with_raw_response.iter(limit=10):
        print(page.status_code)
    return resp.status_code, resp.request_id, elapsed.total_seconds(), resp.parse()


async def raw_async(c: reelkit.AsyncHoox) -> tuple[int, hx.GenerationJob]:
    resp = await c.generations.with_raw_response.start(script="Hi.", voice_id="v")
    job: hx.GenerationJob = resp.parse()
    done = await c.exports.with_raw_response.wait("run_1")
    url: str | None = done.parse().video_url
    print(url)
    return resp.status_code, job


def run_async() -> None:
    asyncio.run(raw_async(reelkit.AsyncHoox(api_key="k")))
