"""Hoox `/script/generate`: narration scripts written by the server."""

from __future__ import annotations

from collections.abc import Sequence

from ... import _credits
from ..._endpoint import Call, Resource, async_variant, endpoint
from ..._models.hoox import Script
from ..._validation import check_bool, check_number, check_str, check_str_list, drop_none
from ._shared import estimate_budget

__all__ = ["AsyncScripts", "Scripts"]


class Scripts(Resource):
    @endpoint
    def generate(
        self,
        prompt: str,
        *,
        duration: float | None = None,
        urls: Sequence[str] | None = None,
        web_search: bool | None = None,
        max_credits: float | None = None,
    ) -> Script:
        """Write a narration script (0.1 credit per started minute, +0.1 with web
        search, +0.1 per URL). `duration` is 10-600 s (server default 60); `urls`
        (at most 10) are scraped, and their images come back as `extracted_images`."""
        check_str("prompt", prompt, required=True, max_len=10_000)
        check_number("duration", duration, minimum=10, maximum=600)
        check_str_list("urls", urls, max_items=10, urls=True)
        check_bool("webSearch", web_search)
        estimate_budget(max_credits, lambda: _credits.script_credits(duration, web_search, urls))
        body = drop_none(
            prompt=prompt,
            duration=duration,
            urls=list(urls) if urls is not None else None,
            # The one camelCase field of the API (hoox.md §3.1).
            webSearch=web_search,
        )
        return Call(
            "POST",
            "/script/generate",
            body=body,
            parse=Script.from_raw,
            hint="A script has no job to look up: check your credit usage in your "
            "Hoox space before generating it again.",
        )


AsyncScripts = async_variant(Scripts)
