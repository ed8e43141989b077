"""Hooked trends and social searches: trending and found videos, with analytics."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

from ..._endpoint import Call, Resource, async_variant, endpoint
from ..._models.hooked import SocialSearch, TrendingVideo, TrendPage
from ..._validation import check_enum, check_number, check_str
from .._common import segment, takes
from ._shared import Paging, compact, offset_pages, page_fetcher, present

__all__ = ["AsyncSocialSearches", "AsyncTrends", "SocialSearches", "Trends"]

TREND_PLATFORMS = ("tiktok", "youtube")
# Page sizes the server uses when `limit` is omitted (api/hooked.md §8).
TREND_PAGE_SIZE, SEARCH_PAGE_SIZE = 20, 20


@dataclasses.dataclass(frozen=True)
class TrendQuery:
    """The filters and paging of `trends.videos` and `trends.iter_videos`, declared once."""

    platform: str | None = None
    niche: str | None = None
    limit: int | None = None
    offset: int | None = None

    def pages(self) -> Callable[[int | None], Call]:
        check_enum("platform", self.platform, TREND_PLATFORMS)
        check_str("niche", self.niche, min_len=1)
        filters = present(("platform", self.platform), ("niche", self.niche))
        return page_fetcher(
            "/trends/videos", filters, self.limit, self.offset, max_limit=50, parse=_trend_page
        )


class Trends(Resource):
    @endpoint
    @takes(TrendQuery, into="query")
    def videos(self, *, query: TrendQuery) -> TrendPage:
        """One page of trending videos (`platform`: tiktok or youtube; `niche`: an ID
        from `niches.list()`; `limit` 1-50, server default 20)."""
        return query.pages()(None)

    @endpoint
    @takes(TrendQuery, into="query")
    def iter_videos(self, *, query: TrendQuery) -> Iterator[TrendingVideo]:
        """Every trending video, page by page (`limit` = page size); an async iterator
        on `AsyncHooked`."""
        return offset_pages(query.pages(), query.limit, TREND_PAGE_SIZE)


class SocialSearches(Resource):
    """Searches of TikTok / YouTube for a term, with engagement analytics. Documented
    on the previous brand's site (docs.tryhooked.ai) only."""

    @endpoint
    def create(self, search_term: str, platform: str, *, limit: int | None = None) -> SocialSearch:
        """Search `platform` (tiktok or youtube) for `search_term` (1-200 characters,
        trimmed by the server) and analyse up to `limit` (1-50, default 20) videos."""
        check_str("searchTerm", search_term, required=True, max_len=200)
        check_enum("platform", platform, TREND_PLATFORMS, required=True)
        check_number("limit", limit, minimum=1, maximum=50, integer=True)
        body = compact({"searchTerm": search_term, "platform": platform, "limit": limit})
        return Call(
            "POST",
            "/social/search/create",
            body=body,
            parse=_created_search,
            hint="Check your Hooked social searches before searching again.",
        )

    @endpoint
    @takes(Paging, into="paging")
    def get(self, search_id: str, *, paging: Paging) -> SocialSearch:
        """The search, its analytics and one page of the videos found."""
        return _search_pages(search_id, paging)(None)

    @endpoint
    @takes(Paging, into="paging")
    def iter_videos(self, search_id: str, *, paging: Paging) -> Iterator[TrendingVideo]:
        """Every video the search found, page by page (`limit` = page size)."""
        return offset_pages(_search_pages(search_id, paging), paging.limit, SEARCH_PAGE_SIZE)


def _search_pages(search_id: Any, paging: Paging) -> Callable[[int | None], Call]:
    path = f"/social/search/{segment('search_id', search_id)}"
    return page_fetcher(
        path, [], paging.limit, paging.offset, max_limit=50, parse=SocialSearch.from_raw
    )


def _created_search(raw: Any) -> SocialSearch:
    # create answers {search: {...}, videosFound}: one model, `raw` the whole data.
    fields = dict(raw.get("search") or {}) if isinstance(raw, dict) else {}
    if isinstance(raw, dict):
        fields["videosFound"] = raw.get("videosFound")
    search = SocialSearch.from_raw(fields)
    object.__setattr__(search, "raw", raw)
    return search


def _trend_page(raw: Any) -> TrendPage:
    # Only `data.videos[]` is documented; a bare list is taken as the videos.
    if isinstance(raw, list):
        page = TrendPage.from_raw({"videos": raw})
        object.__setattr__(page, "raw", raw)
        return page
    return TrendPage.from_raw(raw)


AsyncTrends = async_variant(Trends)
AsyncSocialSearches = async_variant(SocialSearches)
