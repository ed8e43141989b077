"""Hooked schedules and integrations: posting videos to social accounts."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timezone
from typing import Any

from ..._endpoint import Call, Resource, async_variant, endpoint
from ..._errors import ValidationError
from ..._models._base import parse_datetime
from ..._models.hooked import DeletedSchedule, Integration, ScheduledPost, SchedulePage
from ..._validation import check_bool, check_enum, check_str
from .._common import segment, takes
from ._shared import (
    check_list,
    check_object,
    compact,
    list_of,
    offset_pages,
    one_of,
    page_fetcher,
    present,
)

__all__ = ["AsyncIntegrations", "AsyncSchedules", "Integrations", "Schedules"]

SCHEDULE_STATUSES = ("pending", "published", "failed", "draft")
# The page size the server uses when `limit` is omitted (api/hooked.md §8).
SCHEDULE_PAGE_SIZE = 50
SCHEDULE_HINT = "Check client.schedules.list() for this post before scheduling it again."


@dataclasses.dataclass(frozen=True)
class ScheduleQuery:
    """The filters and paging of `schedules.list` and `schedules.iter`, declared once."""

    status: str | None = None
    platform: str | None = None
    limit: int | None = None
    offset: int | None = None

    def pages(self) -> Callable[[int | None], Call]:
        check_enum("status", self.status, SCHEDULE_STATUSES)
        check_str("platform", self.platform, min_len=1)
        filters = present(("status", self.status), ("platform", self.platform))
        return page_fetcher(
            "/schedule/list",
            filters,
            self.limit,
            self.offset,
            max_limit=None,
            parse=SchedulePage.from_raw,
        )


def _utc_timestamp(field: str, value: Any) -> str:
    """A future instant as ISO 8601 UTC with milliseconds and `Z` (what Hooked's
    examples send). Naive datetimes and offset-less strings are taken as UTC."""
    if isinstance(value, datetime):
        when = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    elif isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValidationError(field, f"must be an ISO 8601 date-time, got {value!r}")
        when = parsed
    else:
        raise ValidationError(
            field, f"must be a datetime or an ISO 8601 string, got {type(value).__name__}"
        )
    when = when.astimezone(timezone.utc)
    if when <= datetime.now(timezone.utc):
        raise ValidationError(field, f"must be in the future, got {when.isoformat()}")
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _platform_data(value: Any) -> dict[str, Any] | None:
    data = check_object("platformData", value)
    if data is None:
        return None
    # The platform is only known from the integration, so each limit is the loosest
    # one documented: title 100 (YouTube), description 5000 (YouTube; TikTok and
    # Instagram stop at 2200, which the server reports).
    check_str("platformData.title", data.get("title"), max_len=100)
    check_str("platformData.description", data.get("description"), max_len=5000, strip=False)
    tags = check_list("platformData.tags", data.get("tags"))
    for i, tag in enumerate(tags or ()):
        check_str(f"platformData.tags.{i}", tag, required=True)
    check_str("platformData.privacyStatus", data.get("privacyStatus"))
    check_bool("platformData.madeForKids", data.get("madeForKids"))
    return data


class Schedules(Resource):
    """Posts of finished videos to connected social accounts (see `integrations`)."""

    @endpoint
    def create(
        self,
        video_id: str,
        integration_id: str,
        scheduled_date_time: datetime | str,
        *,
        platform_data: Mapping[str, Any] | None = None,
    ) -> ScheduledPost:
        """Schedule a COMPLETED video for posting at `scheduled_date_time` (a future
        aware datetime, a naive one taken as UTC, or an ISO 8601 string).
        `platform_data`: title, description, tags, privacy_status, made_for_kids."""
        check_str("videoId", video_id, required=True)
        check_str("integrationId", integration_id, required=True)
        body: dict[str, Any] = {
            "videoId": video_id,
            "integrationId": integration_id,
            "scheduledDateTime": _utc_timestamp("scheduledDateTime", scheduled_date_time),
        }
        body.update(compact({"platformData": _platform_data(platform_data)}))
        return Call(
            "POST", "/schedule/create", body=body, parse=ScheduledPost.from_raw, hint=SCHEDULE_HINT
        )

    @endpoint
    @takes(ScheduleQuery, into="query")
    def list(self, *, query: ScheduleQuery) -> SchedulePage:
        """One page of scheduled posts (`status`: pending, published, failed or draft;
        `platform`: e.g. youtube, tiktok, instagram; server default `limit` 50)."""
        return query.pages()(None)

    @endpoint
    @takes(ScheduleQuery, into="query")
    def iter(self, *, query: ScheduleQuery) -> Iterator[ScheduledPost]:
        """Every scheduled post, page by page (`limit` = page size); an async iterator
        on `AsyncHooked`."""
        return offset_pages(query.pages(), query.limit, SCHEDULE_PAGE_SIZE)

    @endpoint
    def get(self, schedule_id: str) -> ScheduledPost:
        """One scheduled post: status, the integration, the video and `platform_data`
        (`publishedUrl` once published, `error` once failed)."""
        return Call(
            "GET", f"/schedule/{segment('schedule_id', schedule_id)}", parse=ScheduledPost.from_raw
        )

    @endpoint
    def update(
        self,
        schedule_id: str,
        *,
        scheduled_date_time: datetime | str | None = None,
        platform_data: Mapping[str, Any] | None = None,
    ) -> ScheduledPost:
        """Move a pending post and/or change its `platform_data` (merged into the
        existing value by the server)."""
        path = f"/schedule/{segment('schedule_id', schedule_id)}"
        body = compact(
            {
                "scheduledDateTime": None
                if scheduled_date_time is None
                else _utc_timestamp("scheduledDateTime", scheduled_date_time),
                "platformData": _platform_data(platform_data),
            }
        )
        # Setting the same values twice has the same effect, so retrying is safe.
        return Call("PATCH", path, body=body, parse=ScheduledPost.from_raw, idempotent=True)

    @endpoint
    def delete(self, schedule_id: str) -> DeletedSchedule:
        """Cancel a pending post (a published one cannot be deleted)."""
        return Call(
            "DELETE",
            f"/schedule/{segment('schedule_id', schedule_id)}",
            parse=DeletedSchedule.from_raw,
        )


class Integrations(Resource):
    """Connected social accounts. `is_healthy` is False for an expired token or an
    error: reconnect the account at https://hooked.so/settings/integrations."""

    @endpoint
    def list(self) -> list[Integration]:
        return Call("GET", "/integration/list", parse=list_of(Integration, "integrations"))

    @endpoint
    def get(self, integration_id: str) -> Integration:
        return Call(
            "GET",
            f"/integration/{segment('integration_id', integration_id)}",
            parse=one_of(Integration, "integration"),
        )


AsyncSchedules = async_variant(Schedules)
AsyncIntegrations = async_variant(Integrations)
