"""The exception hierarchy and how each documented error body becomes an exception:
every error code of the duplicate seed (in each of the three Hoox body shapes),
the other Hoox statuses, the Hooked envelope, malformed responses, and client-side
validation (which must send nothing)."""

from __future__ import annotations

import pytest

import reelkit
from reelkit import (
    APIConnectionError,
    APIError,
    APIResponseError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InsufficientCreditsError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ReelkitError,
    ValidationError,
)

# --------------------------------------------------------------------- hierarchy


def test_hierarchy():
    assert issubclass(ValidationError, ReelkitError) and issubclass(ValidationError, ValueError)
    assert issubclass(APIError, ReelkitError)
    assert issubclass(APIStatusError, APIError)
    for cls in (
        BadRequestError,
        AuthenticationError,
        InsufficientCreditsError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        RateLimitError,
        InternalServerError,
    ):
        assert issubclass(cls, APIStatusError), cls
    assert issubclass(APIConnectionError, APIError)
    assert issubclass(APITimeoutError, APIConnectionError)
    assert issubclass(APIResponseError, APIError)
    assert not issubclass(APIConnectionError, APIStatusError)
    assert issubclass(reelkit.JobFailedError, ReelkitError)
    assert issubclass(reelkit.WaitTimeoutError, ReelkitError)
    assert issubclass(reelkit.WebhookPayloadError, ReelkitError)
    assert issubclass(reelkit.WebhookPayloadError, ValueError)
    for name in (
        "ReelkitError",
        "ValidationError",
        "APIError",
        "APIStatusError",
        "BadRequestError",
        "AuthenticationError",
        "InsufficientCreditsError",
        "PermissionDeniedError",
        "NotFoundError",
        "ConflictError",
        "RateLimitError",
        "InternalServerError",
        "APIConnectionError",
        "APITimeoutError",
        "APIResponseError",
        "JobFailedError",
        "WaitTimeoutError",
        "WebhookPayloadError",
    ):
        assert name in reelkit.__all__, name


# ------------------------------------------------- the duplicate seed's error codes

# name -> (call kwargs, exception class, status, code, server message, details)
DUPLICATE_ERRORS = {
    "missing_video_id": (
        # The SDK refuses an empty id itself (see test_validation_sends_nothing), so
        # the server's answer is provoked by overriding the body.
        {"video_id": "vid_abc123", "extra_body": {"video_id": ""}},
        BadRequestError,
        400,
        "MISSING_VIDEO_ID",
        "video_id parameter is required.",
        [
            {
                "code": "MISSING_VIDEO_ID",
                "message": "video_id parameter is required.",
                "field": "video_id",
            }
        ],
    ),
    "invalid_type": (
        {"video_id": "vid_abc123", "extra_body": {"voice_id": 42}},
        BadRequestError,
        400,
        "INVALID_TYPE",
        "One of the parameters has an invalid type (must be strings).",
        [
            {
                "code": "invalid_type",
                "message": "One of the parameters has an invalid type (must be strings).",
                "field": "voice_id",
            }
        ],
    ),
    "invalid_voice_id": (
        {"video_id": "vid_abc123", "voice_id": "voice_does_not_exist"},
        BadRequestError,
        400,
        "INVALID_VOICE_ID",
        "Provided voice_id does not match any available voice.",
        None,
    ),
    "invalid_avatar_id": (
        {"video_id": "vid_abc123", "avatar_look_id": "look_does_not_exist"},
        BadRequestError,
        400,
        "INVALID_AVATAR_ID",
        "Provided avatar_look_id does not match any available avatar look.",
        None,
    ),
    "video_not_found": (
        {"video_id": "vid_missing"},
        NotFoundError,
        404,
        "VIDEO_NOT_FOUND",
        "Video with specified ID does not exist.",
        [{"code": "VIDEO_NOT_FOUND", "message": "Video with specified ID does not exist."}],
    ),
    "unauthorized_video": (
        {"video_id": "vid_other_space"},
        PermissionDeniedError,
        403,
        "UNAUTHORIZED_VIDEO",
        "Video does not belong to your space.",
        None,
    ),
    "video_not_ready": (
        {"video_id": "vid_rendering"},
        BadRequestError,
        400,
        "VIDEO_NOT_READY",
        "Video must be completed before duplication.",
        [{"code": "video_not_ready", "message": "Video must be completed before duplication."}],
    ),
    "internal_error": (
        {"video_id": "vid_abc123"},
        InternalServerError,
        500,
        "INTERNAL_ERROR",
        "Internal server error",
        [{"code": "internal_error", "message": "An unexpected error occurred"}],
    ),
}


@pytest.mark.parametrize("name", list(DUPLICATE_ERRORS))
def test_duplicate_error_codes(name, run, open_cassette):
    kwargs, cls, status, code, server_message, details = DUPLICATE_ERRORS[name]
    kwargs = dict(kwargs)
    video_id = kwargs.pop("video_id")
    with open_cassette(f"hoox/duplicate_error_{name}") as replay, pytest.raises(cls) as info:
        run.hoox(replay.hoox_base_url, lambda c: c.videos.duplicate(video_id, **kwargs))
    exc = info.value
    assert type(exc) is cls
    assert exc.status_code == status
    assert exc.code == code  # upper-cased whatever the server's casing
    assert server_message in exc.message and server_message in str(exc)
    assert exc.details == details
    assert exc.request_id == f"req_dup_{name}"
    assert exc.headers.get("x-request-id") == f"req_dup_{name}"
    body = exc.body
    assert isinstance(body, dict) and "error" in body
    # A 5xx answer to a credit-spending POST: the job may exist, it was not resent.
    assert exc.may_have_acted is (status >= 500)


@pytest.mark.cassette("hoox/duplicate_error_missing_video_id")
def test_validation_failed_message_names_the_field_problem(cassette, run):
    with pytest.raises(BadRequestError) as info:
        run.hoox(
            cassette.hoox_base_url,
            lambda c: c.videos.duplicate("vid_abc123", extra_body={"video_id": ""}),
        )
    # "Validation failed" alone would not tell the user what to fix.
    assert "Validation failed" in info.value.message
    assert "video_id parameter is required." in info.value.message
    assert info.value.body == {
        "error": "Validation failed",
        "details": [
            {
                "code": "MISSING_VIDEO_ID",
                "message": "video_id parameter is required.",
                "field": "video_id",
            }
        ],
    }


# ------------------------------------------------------------ other Hoox statuses


@pytest.mark.cassette("hoox/error_invalid_api_key")
def test_hoox_401_invalid_api_key(cassette, run):
    with pytest.raises(AuthenticationError) as info:
        run.hoox(cassette.hoox_base_url, lambda c: c.avatars.status("avtr_abc", "look_123"))
    exc = info.value
    assert (exc.status_code, exc.code, exc.request_id) == (401, "INVALID_API_KEY", "req_401")
    assert "Invalid API key" in exc.message
    assert "hx_test_reelkit_key" not in str(exc) and "hx_test_reelkit_key" not in repr(exc.args)


@pytest.mark.cassette("hoox/error_plan_required")
def test_hoox_403_plan_required_and_request_id_header(cassette, run):
    with pytest.raises(PermissionDeniedError) as info:
        run.hoox(cassette.hoox_base_url, lambda c: c.avatars.status("avtr_abc", "look_123"))
    exc = info.value
    assert (exc.status_code, exc.code) == (403, "PLAN_REQUIRED")
    assert exc.request_id == "req_403"  # from `request-id` (no `x-request-id` here)
    assert "Enterprise plan required for API access" in exc.message


@pytest.mark.cassette("hoox/error_insufficient_credits")
def test_hoox_402_insufficient_credits(cassette, run):
    with pytest.raises(InsufficientCreditsError) as info:
        run.hoox(
            cassette.hoox_base_url,
            lambda c: c.avatars.create(
                prompt="Young entrepreneur in a modern office, confident smile",
                style="iphone",
                format="vertical",
                name="Alex",
                place="office",
                resolution="2K",
                element_images=["https://your-domain.com/logo.png"],
                webhook_url="https://your-domain.com/webhooks/avatar",
            ),
        )
    exc = info.value
    assert (exc.status_code, exc.code, exc.request_id) == (402, "INSUFFICIENT_CREDITS", "req_402")
    assert "Insufficient credits. Required: 85, Available: 45" in exc.message
    assert exc.details is None
    assert exc.body == {
        "error": "Insufficient credits. Required: 85, Available: 45",
        "code": "INSUFFICIENT_CREDITS",
    }
    # The server refused before acting: nothing was spent, nothing is uncertain.
    assert exc.may_have_acted is False


@pytest.mark.cassette("hoox/error_conflict")
def test_hoox_409_conflict_is_not_retried(cassette, run):
    with pytest.raises(ConflictError) as info:
        run.hoox(cassette.hoox_base_url, lambda c: c.videos.duplicate("vid_abc123"))
    assert (info.value.status_code, info.value.code) == (409, "CONFLICT")
    assert "Resource already exists" in info.value.message


@pytest.mark.cassette("hoox/error_rate_limited")
def test_hoox_429_rate_limit_error_carries_retry_after(cassette, run):
    with pytest.raises(RateLimitError) as info:
        run.hoox(
            cassette.hoox_base_url,
            lambda c: c.avatars.status("avtr_abc", "look_123"),
            max_retries=0,
            rate_limit=0,  # the limiter would absorb the 429 (tests/test_rate_limit.py)
        )
    exc = info.value
    assert (exc.status_code, exc.code, exc.request_id) == (429, "RATE_LIMIT_EXCEEDED", "req_429")
    assert exc.retry_after == pytest.approx(0.3)
    assert "Rate limit exceeded. Maximum 100 requests per minute." in exc.message


@pytest.mark.cassette("hoox/error_look_not_found")
def test_hoox_404_without_code(cassette, run):
    with pytest.raises(NotFoundError) as info:
        run.hoox(cassette.hoox_base_url, lambda c: c.avatars.status("avtr_abc", "look_nope"))
    exc = info.value
    assert exc.status_code == 404 and exc.code is None and exc.details is None
    assert "Look not found" in exc.message
    assert exc.request_id is None


@pytest.mark.cassette("hoox/retry_get_max_retries_zero")
def test_hoox_500_internal_server_error(cassette, run):
    with pytest.raises(InternalServerError) as info:
        run.hoox(
            cassette.hoox_base_url,
            lambda c: c.avatars.status("avtr_abc", "look_123"),
            max_retries=0,
        )
    exc = info.value
    assert (exc.status_code, exc.code, exc.request_id) == (500, "INTERNAL_ERROR", "req_500")
    assert "Internal server error" in exc.message
    # A GET cannot have started a job.
    assert exc.may_have_acted is False


@pytest.mark.cassette("hoox/error_malformed_json")
def test_hoox_malformed_json_is_an_api_response_error(cassette, run):
    with pytest.raises(APIResponseError) as info:
        run.hoox(cassette.hoox_base_url, lambda c: c.avatars.status("avtr_abc", "look_123"))
    assert not isinstance(info.value, APIStatusError)


# --------------------------------------------------------------- Hooked envelope

HOOKED_ERRORS = {
    # cassette -> (video id, class, status, code, message, details, request id)
    "error_missing_api_key": (
        "vid_abc123",
        AuthenticationError,
        401,
        "MISSING_API_KEY",
        "API key is required",
        None,
        "req_hk_401",
    ),
    "error_invalid_api_key": (
        "vid_abc123",
        AuthenticationError,
        401,
        None,
        "Invalid API key",
        None,
        None,
    ),
    "error_video_not_found": (
        "vid_missing",
        NotFoundError,
        404,
        None,
        "Video not found",
        None,
        "req_hk_404",
    ),
    "error_other_team": (
        "vid_abc123",
        PermissionDeniedError,
        403,
        None,
        "Video does not belong to your team",
        None,
        None,
    ),
    "error_envelope_details": (
        "vid_abc123",
        BadRequestError,
        400,
        "ERROR_CODE",
        "Error description",
        {"field": "Additional context"},
        None,
    ),
    "error_internal": (
        "vid_abc123",
        InternalServerError,
        500,
        None,
        "Internal server error",
        None,
        "req_hk_500",
    ),
}


@pytest.mark.parametrize("name", list(HOOKED_ERRORS))
def test_hooked_envelope_errors(name, run, open_cassette):
    video_id, cls, status, code, message, details, request_id = HOOKED_ERRORS[name]
    with open_cassette(f"hooked/{name}") as replay, pytest.raises(cls) as info:
        run.hooked(replay.hooked_base_url, lambda c: c.videos.get(video_id), max_retries=0)
    exc = info.value
    assert type(exc) is cls
    assert exc.status_code == status
    assert exc.code == code
    assert message in exc.message
    assert exc.details == details
    assert exc.request_id == request_id
    assert exc.body["success"] is False and exc.body["message"] == message


@pytest.mark.cassette("hooked/error_success_false_200")
def test_hooked_success_false_in_a_200_is_an_error(cassette, run):
    with pytest.raises(APIError) as info:
        run.hooked(cassette.hooked_base_url, lambda c: c.videos.get("vid_abc123"))
    assert "Video not found" in info.value.message


@pytest.mark.cassette("hooked/error_html_gateway")
def test_hooked_html_gateway_error(cassette, run):
    with pytest.raises(InternalServerError) as info:
        run.hooked(cassette.hooked_base_url, lambda c: c.videos.get("vid_abc123"), max_retries=0)
    exc = info.value
    assert exc.status_code == 502 and exc.code is None
    assert "502" in exc.message
    assert isinstance(exc.body, str) and "Bad Gateway" in exc.body


# ------------------------------------------------------------ connection errors


@pytest.mark.cassette("hoox/get_timeout")
def test_read_timeout_is_api_timeout_error(cassette, run):
    import time

    started = time.monotonic()
    with pytest.raises(APITimeoutError) as info:
        run.hoox(
            cassette.hoox_base_url,
            lambda c: c.avatars.status("avtr_abc", "look_123"),
            timeout=0.2,
            max_retries=0,
        )
    assert isinstance(info.value, APIConnectionError)
    # Gave up at its 0.2 s timeout, not when the answer came 20 s later: a quarter of
    # that delay leaves ample room for client start-up on a loaded machine.
    elapsed = time.monotonic() - started
    assert 0.2 <= elapsed < 20 / 4


def test_connection_refused_is_api_connection_error(run):
    import socket

    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(APIConnectionError) as info:
        run.hoox(
            f"http://127.0.0.1:{port}/api/public/v1",
            lambda c: c.avatars.status("avtr_abc", "look_123"),
            max_retries=0,
        )
    assert not isinstance(info.value, APIStatusError)


# ------------------------------------------------------ validation sends nothing

HOOX_INVALID_CALLS = {
    "duplicate empty id": lambda c: c.videos.duplicate(""),
    "duplicate blank id": lambda c: c.videos.duplicate("   "),
    "duplicate id not a string": lambda c: c.videos.duplicate(123),
    "duplicate voice not a string": lambda c: c.videos.duplicate("vid_abc123", voice_id=42),
    "duplicate empty voice": lambda c: c.videos.duplicate("vid_abc123", voice_id=""),
    "duplicate empty look": lambda c: c.videos.duplicate("vid_abc123", avatar_look_id=""),
    "create empty prompt": lambda c: c.avatars.create(prompt=""),
    "create unknown style": lambda c: c.avatars.create(prompt="x", style="watercolour"),
    "create unknown format": lambda c: c.avatars.create(prompt="x", format="diagonal"),
    "create unknown resolution": lambda c: c.avatars.create(prompt="x", resolution="8K"),
    "create element image not a URL": lambda c: c.avatars.create(
        prompt="x", element_images=["logo.png"]
    ),
    "create bad webhook": lambda c: c.avatars.create(prompt="x", webhook_url="not a url"),
    "images: none": lambda c: c.avatars.create_from_images([]),
    "images: a string": lambda c: c.avatars.create_from_images("https://your-domain.com/img1.jpg"),
    "images: not URLs": lambda c: c.avatars.create_from_images(["img1.jpg"]),
    "edit empty avatar": lambda c: c.avatars.edit("", "look_123", prompt="x"),
    "edit empty look": lambda c: c.avatars.edit("avtr_abc", "", prompt="x"),
    "edit empty prompt": lambda c: c.avatars.edit("avtr_abc", "look_123", prompt=""),
    "edit upscale not bool": lambda c: c.avatars.edit(
        "avtr_abc", "look_123", prompt="x", upscale="yes"
    ),
    "status empty avatar": lambda c: c.avatars.status("", "look_123"),
    "status empty look": lambda c: c.avatars.status("avtr_abc", ""),
    "wait negative timeout": lambda c: c.avatars.wait("avtr_abc", "look_123", timeout=-1),
    "wait negative poll": lambda c: c.avatars.wait("avtr_abc", "look_123", poll_interval=-0.5),
}


@pytest.mark.parametrize("case", list(HOOX_INVALID_CALLS))
@pytest.mark.cassette("hoox/no_requests")
def test_hoox_validation_sends_nothing(case, cassette, run):
    with pytest.raises(ValidationError) as info:
        run.hoox(cassette.hoox_base_url, HOOX_INVALID_CALLS[case])
    assert isinstance(info.value, ValueError)
    assert info.value.field  # names the offending field
    # The empty strict cassette fails the test at teardown if anything was sent.


HOOKED_INVALID_CALLS = {
    "get empty id": lambda c: c.videos.get(""),
    "get id not a string": lambda c: c.videos.get(None),
    "wait empty id": lambda c: c.videos.wait(""),
    "wait negative timeout": lambda c: c.videos.wait("vid_abc123", timeout=-5),
    "download empty id": lambda c: c.videos.download("", "/tmp/never-written.mp4"),
}


@pytest.mark.parametrize("case", list(HOOKED_INVALID_CALLS))
@pytest.mark.cassette("hooked/no_requests")
def test_hooked_validation_sends_nothing(case, cassette, run):
    with pytest.raises(ValidationError):
        run.hooked(cassette.hooked_base_url, HOOKED_INVALID_CALLS[case])
