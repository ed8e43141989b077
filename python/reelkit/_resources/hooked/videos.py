"""Hooked videos: one video, the paginated list, the wait and the download."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..._endpoint import Call, Resource, Wait, async_variant, endpoint
from ..._models.hooked import Video, VideoPage
from ..._validation import check_enum
from .._common import check_path, check_timeout, download_to, segment, takes
from ._shared import offset_pages, page_fetcher, present

__all__ = ["AsyncVideos", "Videos"]

VIDEO_SCHEDULE = [(0.0, 5.0), (120.0, 10.0)]
VIDEO_TYPES = (
    "class",
    "ugc_ads",
    "ugc_video",
    "script_to_video",
    "prompt_to_video",
    "hook_demo",
    "product_ads",
    "scenes",
    "add_captions",
    "extend_video",
    "remove_background",
    "tiktok_slideshow",
)
VIDEO_STATUSES = ("draft", "processing", "completed", "failed")
# The page size the server uses when `limit` is omitted (api/hooked.md §8).
VIDEO_PAGE_SIZE = 50


@dataclasses.dataclass(frozen=True)
class VideoQuery:
    """The filters and paging of `videos.list` and `videos.iter`, declared once."""

    type: str | None = None
    status: str | None = None
    limit: int | None = None
    offset: int | None = None

    def pages(self) -> Callable[[int | None], Call]:
        check_enum("type", self.type, VIDEO_TYPES)
        check_enum("status", self.status, VIDEO_STATUSES)
        filters = present(("type", self.type), ("status", self.status))
        return page_fetcher(
            "/video/list", filters, self.limit, self.offset, max_limit=100, parse=VideoPage.from_raw
        )


def _failure(video: Video) -> tuple[str | None, str | None]:
    return "FAILED", video.message


class Videos(Resource):
    def _get_call(self, video_id: str) -> Call:
        return Call("GET", f"/video/{segment('video_id', video_id)}", parse=Video.from_raw)

    @endpoint
    def get(self, video_id: str) -> Video:
        """Status and details of one video of your team."""
        return self._get_call(video_id)

    @endpoint
    @takes(VideoQuery, into="query")
    def list(self, *, query: VideoQuery) -> VideoPage:
        """One page of your team's videos (templates excluded), newest first.
        `type`: a project type (`ugc_ads`, `scenes`, ...); `status`: draft, processing,
        completed or failed; `limit` 1-100 (server default 50)."""
        return query.pages()(None)

    @endpoint
    @takes(VideoQuery, into="query")
    def iter(self, *, query: VideoQuery) -> Iterator[Video]:
        """Every video, fetched lazily page by page (`limit` = page size). An iterator
        on `Hooked`, an async iterator (`async for`) on `AsyncHooked`."""
        return offset_pages(query.pages(), query.limit, VIDEO_PAGE_SIZE)

    @endpoint
    def wait(
        self,
        video_id: str,
        *,
        timeout: float = 1800.0,
        poll_interval: float | None = None,
        on_progress: Callable[[Video], Any] | None = None,
        progress: bool = False,
    ) -> Video:
        """Poll until COMPLETED (returned) or FAILED (`JobFailedError`)."""
        return Wait(
            call=self._get_call(video_id),
            job_id=video_id,
            parse=Video.from_raw,
            complete=["completed"],
            failed=["failed"],
            complete_requires="/url",
            schedule=VIDEO_SCHEDULE,
            timeout=check_timeout("timeout", timeout),
            poll_interval=None
            if poll_interval is None
            else check_timeout("poll_interval", poll_interval),
            on_progress=on_progress,
            progress=progress,
            failure=_failure,
            resume=f"client.videos.wait({video_id!r})",
        )

    @endpoint
    def download(
        self,
        video_id: str,
        path: str | os.PathLike[str],
        *,
        on_progress: Callable[[int, int | None], Any] | None = None,
        progress: bool = False,
    ) -> Path:
        """Stream the video's MP4 to `path`: bounded memory, written to a temporary
        file renamed into place only when complete; an expired signed URL (storage
        answers 403) is replaced by fetching the video again."""
        # `yield from` keeps this a generator: the arguments are checked as it runs.
        refresh = self._get_call(video_id)
        target = check_path("path", path)
        return (yield from download_to(refresh, "/url", target, on_progress, progress))


AsyncVideos = async_variant(Videos)
