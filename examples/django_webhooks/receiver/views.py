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
from collections.abc import Callable
from typing import Any, Protocol

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

import reelkit
from reelkit.hooked import HookedWebhookEvent, Video
from reelkit.hoox import HooxWebhookEvent

from .store import EventStore

# Failure payloads name only the project: how many failed videos to scan for it.
_HOOKED_SCAN_LIMIT = 500

# WEBHOOK_FAIL_FIRST, read from the settings on first use.
_failures_left: list[int] = []
_failures_lock = threading.Lock()


@functools.cache
def store() -> EventStore:
    return EventStore(settings.WEBHOOK_DB)


# One client per process (clients are thread-safe and pool connections); keys and base
# URLs come from HOOX_* / HOOKED_* in the environment.
@functools.cache
def client_hoox() -> reelkit.Hoox:
    return reelkit.Hoox()


@functools.cache
def client_hooked() -> reelkit.Hooked:
    return reelkit.Hooked()


class NotConfirmed(Exception):
    """The API does not confirm the webhook: `retry` if it may yet (still pending)."""

    def __init__(self, reason: str, retry: bool = False) -> None:
        super().__init__(reason)
        self.retry = retry


class _Phased(Protocol):
    @property
    def status(self) -> str | None: ...

    @property
    def is_complete(self) -> bool: ...

    @property
    def is_pending(self) -> bool: ...


def _check_phase(event: _Phased, fetched: _Phased) -> None:
    if fetched.is_pending:
        raise NotConfirmed(f"the API still says {fetched.status!r}", retry=True)
    if fetched.is_complete != event.is_complete:
        raise NotConfirmed(f"the webhook says {event.status!r}, the API {fetched.status!r}")


def confirm_hoox(hoox: reelkit.Hoox, event: HooxWebhookEvent) -> dict[str, Any]:
    """Fetch the job the Hoox webhook is about; the confirmed facts to record. Payloads
    without `task` (the older format) are recognised by the ids they carry."""
    task = event.task
    facts: dict[str, Any] = {"task": task}
    fetched: _Phased
    if event.avatar_id and event.look_id and task in ("avatar_create", "avatar_edit", None):
        look = hoox.avatars.status(event.avatar_id, event.look_id)
        facts.update(avatar_id=look.avatar_id, look_id=look.look_id, error=look.error)
        fetched = look
    elif event.asset_id and task in ("asset_generation", None):
        asset = hoox.assets.status(event.asset_id)
        facts.update(url=asset.url, error=asset.error)
        fetched = asset
    elif event.job_id and task == "video_export":
        export = hoox.exports.status(event.job_id)
        facts.update(video_url=export.video_url, error=export.error)
        fetched = export
    elif event.job_id and task in ("video_generate", None):
        generation = hoox.generations.status(event.job_id)
        facts.update(video_id=generation.video_id, error=generation.error)
        fetched = generation
    else:
        raise NotConfirmed(f"unknown task {task!r} or no job id")
    _check_phase(event, fetched)
    return {**facts, "status": fetched.status}


def _failed_video(hooked: reelkit.Hooked, project_id: str | None) -> Video:
    """A failure payload names only the project: find its video among the failed ones."""
    video: Video
    for scanned, video in enumerate(hooked.videos.iter(status="failed")):
        if video.project_id == project_id:
            return video
        if scanned >= _HOOKED_SCAN_LIMIT:  # a forged id must not walk the whole account
            break
    raise NotConfirmed(f"no failed video of project {project_id}")


def confirm_hooked(hooked: reelkit.Hooked, event: HookedWebhookEvent) -> dict[str, Any]:
    """Fetch the video the Hooked webhook is about; the confirmed facts to record."""
    if event.video_id:
        video = hooked.videos.get(event.video_id)
    else:
        video = _failed_video(hooked, event.project_id)
    if video.project_id and video.project_id != event.project_id:
        raise NotConfirmed("the video belongs to another project")
    _check_phase(event, video)
    return {
        "event": event.event,
        "video_id": video.id,
        "status": video.status,
        "url": video.url,
        "metadata": event.metadata,
    }


def _answer(status: int, outcome: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"status": outcome, **extra}, status=status)


def _fail_on_purpose() -> bool:
    """WEBHOOK_FAIL_FIRST: answer 500 to the first N recorded deliveries."""
    with _failures_lock:
        if not _failures_left:
            _failures_left.append(int(settings.WEBHOOK_FAIL_FIRST))
        if _failures_left[0] > 0:
            _failures_left[0] -= 1
            return True
        return False


def _receive(
    provider: str, job_id: str | None, confirm: Callable[[], dict[str, Any]]
) -> JsonResponse:
    """Steps 3-5 for a parsed event: claim its job id, confirm, record."""
    events = store()
    if not job_id:
        events.log(provider, None, "rejected: no job id")
        return _answer(400, "rejected", reason="no job id in the payload")
    key = f"{provider}:{job_id}"
    claim = events.begin(key)
    if claim == "duplicate":
        events.log(provider, key, "duplicate")
        return _answer(200, "duplicate", job_id=job_id)
    if claim == "busy":
        events.log(provider, key, "busy")  # non-2xx: the provider retries later
        return _answer(409, "in progress", job_id=job_id)

    recorded = None
    try:
        recorded = {"provider": provider, "job_id": job_id, **confirm()}
        # Act on the confirmed event here (notify a user, enqueue the download, ...).
    except NotConfirmed as exc:
        events.log(provider, key, f"not confirmed: {exc}")
        return _answer(503 if exc.retry else 400, "not confirmed", reason=str(exc))
    except reelkit.NotFoundError:
        events.log(provider, key, "not confirmed: unknown job")
        return _answer(400, "not confirmed", reason="the API does not know this job")
    except reelkit.ReelkitError as exc:  # the API unreachable, a 5xx, no key: retry later
        events.log(provider, key, f"error: {exc}")
        return _answer(503, "error", reason="could not confirm with the API; retry")
    finally:
        events.finish(key, recorded)
    events.log(provider, key, "recorded")
    if _fail_on_purpose():
        return _answer(500, "simulated failure after recording")
    return _answer(200, "recorded", job_id=job_id)


@csrf_exempt  # a provider's server-to-server POST carries no CSRF token
@require_POST
def hoox_webhook(request: HttpRequest) -> JsonResponse:
    # The only authenticity signals Hoox documents (hoox.md §5).
    if request.META.get("HTTP_X_HOOX_WEBHOOK", "").lower() != "true" or (
        "Hoox-API" not in request.META.get("HTTP_USER_AGENT", "")
    ):
        store().log("hoox", None, "rejected: not from Hoox")
        return _answer(401, "rejected", reason="missing Hoox webhook headers")
    try:
        event = reelkit.hoox.parse_webhook(request.body)
    except reelkit.WebhookPayloadError as exc:
        store().log("hoox", None, "rejected: unparsable")
        return _answer(400, "rejected", reason=str(exc))
    return _receive("hoox", event.id, lambda: confirm_hoox(client_hoox(), event))


@csrf_exempt
@require_POST
def hooked_webhook(request: HttpRequest) -> JsonResponse:
    try:
        event = reelkit.hooked.parse_webhook(request.body)
    except reelkit.WebhookPayloadError as exc:
        store().log("hooked", None, "rejected: unparsable")
        return _answer(400, "rejected", reason=str(exc))
    # Hooked's failure payload has no video id: the project id names the job.
    return _receive("hooked", event.project_id, lambda: confirm_hooked(client_hooked(), event))


@require_GET
def events(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"events": store().events(), "deliveries": store().deliveries()})
