"""A FastAPI receiver for Hoox and Hooked webhooks, built on reelkit.

    pip install "reelkit[examples]"
    HOOX_API_KEY=... HOOKED_API_KEY=... uvicorn fastapi_webhooks:app --port 8000

Then start jobs with `webhook_url="https://<your host>/webhooks/hoox"` (Hoox) or
`webhook="https://<your host>/webhooks/hooked"` (Hooked). Try it offline against the
simulator: `reelkit sim` prints the HOOX_*/HOOKED_* variables to export.

Neither provider signs its webhooks, so anyone who knows the URL can post to it. Each
delivery is therefore
  1. checked for what can be checked (Hoox: `X-Hoox-Webhook: true` and a `Hoox-API`
     User-Agent; Hooked sends nothing to check),
  2. parsed with `reelkit.hoox.parse_webhook` / `reelkit.hooked.parse_webhook`,
  3. deduplicated on the job id: a redelivery is acknowledged (200) but not processed
     again, since providers retry on any error and may deliver twice,
  4. confirmed by fetching the job through the SDK (the payload is only a hint), and
  5. recorded, only then, in a small JSON file (`WEBHOOK_STORE`).

`WEBHOOK_FAIL_FIRST=N` makes the first N deliveries fail with a 500 *after* they were
recorded, as a crash before answering would: the provider retries, and the retry is
acknowledged as a duplicate. It exists to demonstrate (and test) the idempotency.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

import reelkit
from reelkit.hooked import HookedWebhookEvent, Video
from reelkit.hoox import HooxWebhookEvent


class EventStore:
    """Recorded events and a log of deliveries in one JSON file, rewritten atomically.
    `begin(key)` claims a job id; only one delivery of a job is ever processed.

    Small and synchronous, which suits one process and a demo's traffic; with several
    workers, claim in a database instead (see the Django example's SQLite store)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._in_flight: set[str] = set()
        if not self.path.exists():
            self._save({"events": {}, "deliveries": []})

    def _load(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        return data

    def _save(self, data: dict[str, Any]) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
        os.replace(tmp, self.path)  # readers never see a half-written file

    def begin(self, key: str) -> str:
        """ "new" (the caller processes it), "duplicate" (already recorded) or "busy"
        (another delivery of the same job is being processed right now)."""
        with self._lock:
            if key in self._load()["events"]:
                return "duplicate"
            if key in self._in_flight:
                return "busy"
            self._in_flight.add(key)
            return "new"

    def finish(self, key: str, event: dict[str, Any] | None) -> None:
        """Record `event` under `key` (None: give the claim up unrecorded)."""
        with self._lock:
            self._in_flight.discard(key)
            if event is not None:
                data = self._load()
                data["events"][key] = event
                self._save(data)

    def log(self, provider: str, key: str | None, outcome: str) -> None:
        with self._lock:
            data = self._load()
            data["deliveries"].append(
                {"provider": provider, "key": key, "outcome": outcome, "at": time.time()}
            )
            self._save(data)

    def events(self) -> dict[str, Any]:
        with self._lock:
            events: dict[str, Any] = self._load()["events"]
        return events

    def deliveries(self) -> list[dict[str, Any]]:
        with self._lock:
            deliveries: list[dict[str, Any]] = self._load()["deliveries"]
        return deliveries


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


async def confirm_hoox(client: reelkit.AsyncHoox, event: HooxWebhookEvent) -> dict[str, Any]:
    """Fetch the job the Hoox webhook is about; the confirmed facts to record. Payloads
    without `task` (the older format) are recognised by the ids they carry."""
    task = event.task
    facts: dict[str, Any] = {"task": task}
    fetched: _Phased
    if event.avatar_id and event.look_id and task in ("avatar_create", "avatar_edit", None):
        look = await client.avatars.status(event.avatar_id, event.look_id)
        facts.update(avatar_id=look.avatar_id, look_id=look.look_id, error=look.error)
        fetched = look
    elif event.asset_id and task in ("asset_generation", None):
        asset = await client.assets.status(event.asset_id)
        facts.update(url=asset.url, error=asset.error)
        fetched = asset
    elif event.job_id and task == "video_export":
        export = await client.exports.status(event.job_id)
        facts.update(video_url=export.video_url, error=export.error)
        fetched = export
    elif event.job_id and task in ("video_generate", None):
        generation = await client.generations.status(event.job_id)
        facts.update(video_id=generation.video_id, error=generation.error)
        fetched = generation
    else:
        raise NotConfirmed(f"unknown task {task!r} or no job id")
    _check_phase(event, fetched)
    return {**facts, "status": fetched.status}


async def _failed_video(client: reelkit.AsyncHooked, project_id: str | None) -> Video:
    """A failure payload names only the project: find its video among the failed ones."""
    scanned = 0
    video: Video
    async for video in client.videos.iter(status="failed"):
        if video.project_id == project_id:
            return video
        scanned += 1
        if scanned >= 500:  # bounded: a forged id must not walk the whole account
            break
    raise NotConfirmed(f"no failed video of project {project_id}")


async def confirm_hooked(client: reelkit.AsyncHooked, event: HookedWebhookEvent) -> dict[str, Any]:
    """Fetch the video the Hooked webhook is about; the confirmed facts to record."""
    if event.video_id:
        video = await client.videos.get(event.video_id)
    else:
        video = await _failed_video(client, event.project_id)
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


def _response(status: int, outcome: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"status": outcome, **extra}, status_code=status)


def create_app(
    store_path: str | os.PathLike[str] | None = None,
    *,
    fail_first: int | None = None,
    hoox: reelkit.AsyncHoox | None = None,
    hooked: reelkit.AsyncHooked | None = None,
) -> FastAPI:
    """The app. Clients default to `reelkit.AsyncHoox()` / `reelkit.AsyncHooked()`
    (keys and base URLs from the environment), built at startup."""
    if store_path is None:
        default = Path(tempfile.gettempdir()) / "reelkit_webhook_events.json"
        store_path = os.environ.get("WEBHOOK_STORE", default)
    store = EventStore(store_path)
    failures_left = [
        int(os.environ.get("WEBHOOK_FAIL_FIRST", "0")) if fail_first is None else fail_first
    ]
    clients: dict[str, Any] = {"hoox": hoox, "hooked": hooked}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned: list[reelkit.AsyncHoox | reelkit.AsyncHooked] = []
        if clients["hoox"] is None and os.environ.get("HOOX_API_KEY"):
            owned.append(reelkit.AsyncHoox())
            clients["hoox"] = owned[-1]
        if clients["hooked"] is None and os.environ.get("HOOKED_API_KEY"):
            owned.append(reelkit.AsyncHooked())
            clients["hooked"] = owned[-1]
        yield
        for client in owned:
            await client.close()

    app = FastAPI(title="reelkit webhook receiver", lifespan=lifespan)
    app.state.store = store

    async def receive(
        provider: str, job_id: str | None, confirm: Callable[[Any], Awaitable[dict[str, Any]]]
    ) -> JSONResponse:
        """Steps 3-5 for a parsed event: claim its job id, confirm, record."""
        if not job_id:
            store.log(provider, None, "rejected: no job id")
            return _response(400, "rejected", reason="no job id in the payload")
        key = f"{provider}:{job_id}"
        claim = store.begin(key)
        if claim == "duplicate":
            store.log(provider, key, "duplicate")
            return _response(200, "duplicate", job_id=job_id)
        if claim == "busy":
            store.log(provider, key, "busy")  # non-2xx: the provider retries later
            return _response(409, "in progress", job_id=job_id)

        recorded = None
        try:
            client = clients[provider]
            if client is None:
                raise NotConfirmed(f"no {provider} API key configured", retry=True)
            recorded = {"provider": provider, "job_id": job_id, **await confirm(client)}
            # Act on the confirmed event here (notify a user, enqueue the download, ...).
        except NotConfirmed as exc:
            store.log(provider, key, f"not confirmed: {exc}")
            return _response(503 if exc.retry else 400, "not confirmed", reason=str(exc))
        except reelkit.NotFoundError:
            store.log(provider, key, "not confirmed: unknown job")
            return _response(400, "not confirmed", reason="the API does not know this job")
        except reelkit.ReelkitError as exc:  # the API unreachable, a 5xx, ...: retry later
            store.log(provider, key, f"error: {exc}")
            return _response(503, "error", reason="could not confirm with the API; retry")
        finally:
            store.finish(key, recorded)
        store.log(provider, key, "recorded")
        if failures_left[0] > 0:
            failures_left[0] -= 1
            return _response(500, "simulated failure after recording")
        return _response(200, "recorded", job_id=job_id)

    @app.post("/webhooks/hoox")
    async def hoox_webhook(request: Request) -> JSONResponse:
        # The only authenticity signals Hoox documents (hoox.md §5).
        if request.headers.get("x-hoox-webhook", "").lower() != "true" or (
            "Hoox-API" not in request.headers.get("user-agent", "")
        ):
            store.log("hoox", None, "rejected: not from Hoox")
            return _response(401, "rejected", reason="missing Hoox webhook headers")
        try:
            event = reelkit.hoox.parse_webhook(await request.body())
        except reelkit.WebhookPayloadError as exc:
            store.log("hoox", None, "rejected: unparsable")
            return _response(400, "rejected", reason=str(exc))
        return await receive("hoox", event.id, lambda client: confirm_hoox(client, event))

    @app.post("/webhooks/hooked")
    async def hooked_webhook(request: Request) -> JSONResponse:
        try:
            event = reelkit.hooked.parse_webhook(await request.body())
        except reelkit.WebhookPayloadError as exc:
            store.log("hooked", None, "rejected: unparsable")
            return _response(400, "rejected", reason=str(exc))
        # Hooked's failure payload has no video id: the project id names the job.
        return await receive(
            "hooked", event.project_id, lambda client: confirm_hooked(client, event)
        )

    @app.get("/events")
    async def events() -> dict[str, Any]:
        return {"events": store.events(), "deliveries": store.deliveries()}

    return app


def __getattr__(name: str) -> Any:
    # `uvicorn fastapi_webhooks:app` builds the app on first access, so importing the
    # module (for create_app, in tests) creates no store file.
    if name == "app":
        globals()["app"] = create_app()
        return globals()["app"]
    raise AttributeError(name)
