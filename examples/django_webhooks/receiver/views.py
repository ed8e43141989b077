"""Webhook views for Hoox and Hooked, with reelkit's sync clients.

Neither provider signs its webhooks, so each delivery is checked for what can be
checked (Hoox: `X-Hoox-Webhook: true` and a `Hoox-API` User-Agent), parsed with
reelkit, deduplicated on the job id (a redelivery gets 200 and is not processed
again), confirmed by fetching the job through the SDK, and only then recorded.
Any non-2xx answer makes the provider retry later, so errors that may clear up
(the API unreachable, the job not finished yet) answer 503.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

import reelkit

from .store import EventStore

# Hoox tasks whose webhook carries `job_id`, and the SDK resource that re-fetches each.
_HOOX_JOB_STATUS = {"video_generate": "generations", "video_export": "exports"}
# Failure payloads name only the project: how many failed videos to scan for it.
_HOOKED_SCAN_LIMIT = 500

_failures = {"left": None}
_failures_lock = threading.Lock()


@functools.cache
def store() -> EventStore:
    return EventStore(settings.WEBHOOK_DB)


@functools.cache
def client(provider: str) -> Any:
    """One client per process (they are thread-safe and pool connections); keys and
    base URLs come from HOOX_* / HOOKED_* in the environment."""
    return reelkit.Hoox() if provider == "hoox" else reelkit.Hooked()


class NotConfirmed(Exception):
    def __init__(self, reason: str, retry: bool = False) -> None:
        super().__init__(reason)
        self.retry = retry


def _check_phase(event: Any, fetched: Any) -> None:
    if fetched.is_pending:
        raise NotConfirmed(f"the API still says {fetched.status!r}", retry=True)
    if fetched.is_complete != event.is_complete:
        raise NotConfirmed(f"the webhook says {event.status!r}, the API {fetched.status!r}")


def confirm_hoox(hoox: reelkit.Hoox, event: Any) -> dict[str, Any]:
    if event.task in _HOOX_JOB_STATUS or (event.task is None and event.job_id):
        resource = getattr(hoox, _HOOX_JOB_STATUS.get(event.task, "generations"))
        fetched = resource.status(event.job_id)
        facts = {
            "video_id": getattr(fetched, "video_id", None),
            "video_url": getattr(fetched, "video_url", None),
        }
    elif event.look_id and event.avatar_id:
        fetched = hoox.avatars.status(event.avatar_id, event.look_id)
        facts = {"avatar_id": event.avatar_id, "look_id": event.look_id}
    elif event.asset_id:
        fetched = hoox.assets.status(event.asset_id)
        facts = {"url": fetched.url}
    else:
        raise NotConfirmed("the webhook names no job")
    _check_phase(event, fetched)
    return {**facts, "status": fetched.status, "error": getattr(fetched, "error", None)}


def confirm_hooked(hooked: reelkit.Hooked, event: Any) -> dict[str, Any]:
    if event.video_id:
        video = hooked.videos.get(event.video_id)
    else:
        video = None
        for scanned, candidate in enumerate(hooked.videos.iter(status="failed")):
            if candidate.project_id == event.project_id:
                video = candidate
                break
            if scanned >= _HOOKED_SCAN_LIMIT:  # a forged id must not walk the account
                break
        if video is None:
            raise NotConfirmed(f"no failed video of project {event.project_id}")
    if video.project_id and video.project_id != event.project_id:
        raise NotConfirmed("the video belongs to another project")
    _check_phase(event, video)
    return {"video_id": video.id, "status": video.status, "url": video.url}


def _answer(status: int, outcome: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"status": outcome, **extra}, status=status)


def _fail_on_purpose() -> bool:
    """WEBHOOK_FAIL_FIRST: answer 500 to the first N recorded deliveries."""
    with _failures_lock:
        if _failures["left"] is None:
            _failures["left"] = settings.WEBHOOK_FAIL_FIRST
        if _failures["left"] > 0:
            _failures["left"] -= 1
            return True
        return False


def _handle(provider: str, request: HttpRequest) -> JsonResponse:
    events = store()
    if provider == "hoox" and (
        request.headers.get("X-Hoox-Webhook", "").lower() != "true"
        or "Hoox-API" not in request.headers.get("User-Agent", "")
    ):
        events.log(provider, None, "rejected: not from Hoox")
        return _answer(401, "rejected", reason="missing Hoox webhook headers")
    try:
        if provider == "hoox":
            event = reelkit.hoox.parse_webhook(request.body)
            job_id = event.id
        else:
            event = reelkit.hooked.parse_webhook(request.body)
            job_id = event.project_id
    except reelkit.WebhookPayloadError as exc:
        events.log(provider, None, "rejected: unparsable")
        return _answer(400, "rejected", reason=str(exc))
    if not job_id:
        events.log(provider, None, "rejected: no job id")
        return _answer(400, "rejected", reason="no job id in the payload")
    key = f"{provider}:{job_id}"

    claim = events.begin(key)
    if claim == "duplicate":
        events.log(provider, key, "duplicate")
        return _answer(200, "duplicate", job_id=job_id)
    if claim == "busy":
        events.log(provider, key, "busy")
        return _answer(409, "in progress", job_id=job_id)

    recorded = None
    try:
        if provider == "hoox":
            facts = confirm_hoox(client("hoox"), event)
            recorded = {"provider": provider, "job_id": job_id, "task": event.task, **facts}
        else:
            facts = confirm_hooked(client("hooked"), event)
            recorded = {"provider": provider, "job_id": job_id, "event": event.event, **facts}
            recorded["metadata"] = event.metadata
        # Act on the confirmed event here (notify a user, enqueue the download, ...).
    except NotConfirmed as exc:
        events.log(provider, key, f"not confirmed: {exc}")
        return _answer(503 if exc.retry else 400, "not confirmed", reason=str(exc))
    except reelkit.NotFoundError:
        events.log(provider, key, "not confirmed: unknown job")
        return _answer(400, "not confirmed", reason="the API does not know this job")
    except reelkit.APIError as exc:
        events.log(provider, key, f"error: {exc}")
        return _answer(503, "error", reason="could not reach the API; retry")
    except reelkit.ReelkitError as exc:  # e.g. no API key configured
        events.log(provider, key, f"error: {exc}")
        return _answer(503, "error", reason=str(exc))
    finally:
        events.finish(key, recorded)
    events.log(provider, key, "recorded")
    if _fail_on_purpose():
        return _answer(500, "simulated failure after recording")
    return _answer(200, "recorded", job_id=job_id)


@csrf_exempt  # a provider's server-to-server POST carries no CSRF token
@require_POST
def hoox_webhook(request: HttpRequest) -> JsonResponse:
    return _handle("hoox", request)


@csrf_exempt
@require_POST
def hooked_webhook(request: HttpRequest) -> JsonResponse:
    return _handle("hooked", request)


@require_GET
def events(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"events": store().events(), "deliveries": store().deliveries()})
