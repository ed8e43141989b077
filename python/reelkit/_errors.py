"""The exception hierarchy, and the one place native errors become Python ones.

Every API error carries the HTTP status, the server's code and message, the request
id, the method and path; job errors carry the job id, so a user can always find what
they paid for.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ReelkitError",
    "ValidationError",
    "BudgetExceededError",
    "APIError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "InsufficientCreditsError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "APIConnectionError",
    "APITimeoutError",
    "APIResponseError",
    "DownloadError",
    "JobFailedError",
    "WaitTimeoutError",
    "WebhookPayloadError",
]


class ReelkitError(Exception):
    """Base class of every error reelkit raises. `message` is what went wrong (for
    API errors, the server's own message); `str(error)` is the full, actionable text
    (status, code, request, what to do next)."""

    def __init__(self, message: str, *, text: str | None = None) -> None:
        super().__init__(text or message)
        self.message = message
        self._text = text or message

    def __str__(self) -> str:
        return self._text

    def _annotate(self, suffix: str) -> None:
        """Append context to the text (e.g. the job a failed wait was waiting for)."""
        self._text += suffix
        self.args = (self._text,)


class ValidationError(ReelkitError, ValueError):
    """Bad input, rejected before any request was sent. Names the field and the rule."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


class BudgetExceededError(ValidationError):
    """The request's credit estimate is above the caller's `max_credits`; nothing was sent."""

    def __init__(self, field: str, estimate: float, max_credits: float) -> None:
        super().__init__(
            field,
            f"estimated cost {estimate:g} credits exceeds max_credits={max_credits:g}; "
            "nothing was sent",
        )
        self.estimate = estimate
        self.max_credits = max_credits


class APIError(ReelkitError):
    """Something went wrong talking to the API."""

    def __init__(
        self,
        message: str,
        *,
        text: str | None = None,
        request_id: str | None = None,
        method: str | None = None,
        path: str | None = None,
        body: Any = None,
        attempts: int = 0,
        may_have_acted: bool = False,
    ) -> None:
        super().__init__(message, text=text)
        self.request_id = request_id
        self.method = method
        self.path = path
        self.body = body
        self.attempts = attempts
        #: True when a credit-spending request reached the server and its outcome is
        #: unknown: a job may exist. reelkit never resends such a request by itself.
        self.may_have_acted = may_have_acted
        #: Set when the error interrupted a `wait()`: the job that may still be running.
        self.job_id: str | None = None


class APIStatusError(APIError):
    """The API answered with an error status."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.status_code = status_code
        self.code = code
        self.details = details
        self.headers = headers or {}


class BadRequestError(APIStatusError):
    """400: the API rejected the request's content."""


class AuthenticationError(APIStatusError):
    """401: missing or invalid API key."""


class InsufficientCreditsError(APIStatusError):
    """402: not enough credits for this operation."""


class PermissionDeniedError(APIStatusError):
    """403: plan or ownership forbids this (e.g. Hoox's Enterprise gate)."""


class NotFoundError(APIStatusError):
    """404: no such resource (or not yours)."""


class ConflictError(APIStatusError):
    """409: the resource already exists or is in the wrong state."""


class UnprocessableEntityError(APIStatusError):
    """422: the request is well-formed but cannot be processed."""


class RateLimitError(APIStatusError):
    """429: too many requests. `retry_after` is the server's requested wait in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """>= 500: the API failed."""


class APIConnectionError(APIError):
    """The connection failed or broke before a full response arrived."""


class APITimeoutError(APIConnectionError):
    """Connecting or reading took longer than the timeout."""


class APIResponseError(APIError):
    """A response arrived but is not what the API documents (bad JSON, wrong shape)."""

    def __init__(self, message: str, *, status_code: int | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.status_code = status_code


class DownloadError(APIError):
    """A download failed (storage refused it, size mismatch, disk error)."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        file_path: str | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(message, **kw)
        self.status_code = status_code
        self.file_path = file_path


class JobFailedError(ReelkitError):
    """A job ended in a failed state. `status` is the final status model."""

    def __init__(
        self, message: str, *, job_id: str, code: str | None, error_message: str | None, status: Any
    ) -> None:
        # `message` is the server's error message; str() is the full sentence.
        super().__init__(error_message or message, text=message)
        self.job_id = job_id
        self.code = code
        self.error_message = error_message
        self.status = status


class WaitTimeoutError(ReelkitError, TimeoutError):
    """A job did not reach a terminal state in time. It may still be running (and
    spending credits): `job_id` lets you resume waiting or check it later."""

    def __init__(
        self, message: str, *, job_id: str, last_status: Any, timeout: float, last_error: Any = None
    ) -> None:
        super().__init__(message)
        self.job_id = job_id
        self.last_status = last_status
        self.timeout = timeout
        self.last_error = last_error


class WebhookPayloadError(ReelkitError, ValueError):
    """A webhook body that is not a payload of the documented shape."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: InsufficientCreditsError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}

_UNKNOWN_OUTCOME = (
    "The request reached the server but its outcome is unknown, so reelkit did not resend it "
    "(a resend could start a second paid job)."
)


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, "<redacted>")
    return text


def _scrub_value(value: Any, secrets: tuple[str, ...]) -> Any:
    """`value` (a parsed body, details, headers) with every secret in its strings
    redacted: a server that echoes the key must not put it into the exception."""
    if not secrets or value is None:
        return value
    if isinstance(value, str):
        return _scrub(value, secrets)
    if isinstance(value, dict):
        return {_scrub_value(k, secrets): _scrub_value(v, secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_scrub_value(v, secrets) for v in value)
    return value


def from_native(
    fields: dict[str, Any], *, hint: str | None = None, secrets: tuple[str, ...] = ()
) -> ReelkitError:
    """Build the public exception for a native error dict (see src/py/errors.rs)."""
    kind = fields.get("kind")
    message = _scrub(str(fields.get("message") or "unknown error"), secrets)
    status = fields.get("status")
    code = _scrub_value(fields.get("code"), secrets)
    method, path = fields.get("method"), fields.get("path")
    request_id = fields.get("request_id")
    may_have_acted = bool(fields.get("may_have_acted"))

    text = message
    if kind == "status" and status is not None:
        text = f"HTTP {status}" + (f" {code}" if code else "") + f": {message}"
    where = []
    if method and path:
        where.append(f"{method} {path}")
    if request_id:
        where.append(f"request id {request_id}")
    attempts = fields.get("attempts") or 0
    if attempts > 1:
        where.append(f"{attempts} attempts")
    if where:
        text += " (" + ", ".join(where) + ")"
    if may_have_acted:
        text += ". " + _UNKNOWN_OUTCOME
        if hint:
            text += " " + hint
    text = _scrub(text, secrets)

    common: dict[str, Any] = {
        "text": text,
        "request_id": request_id,
        "method": method,
        "path": path,
        "body": _scrub_value(fields.get("body"), secrets),
        "attempts": attempts,
        "may_have_acted": may_have_acted,
    }
    if kind == "status":
        headers = _scrub_value(dict(fields.get("headers") or []), secrets)
        cls = _STATUS_CLASSES.get(status or 0)
        if cls is None:
            cls = InternalServerError if (status or 0) >= 500 else APIStatusError
        extra: dict[str, Any] = {}
        if cls is RateLimitError:
            extra["retry_after"] = fields.get("retry_after")
        return cls(
            message,
            status_code=status or 0,
            code=code,
            details=_scrub_value(fields.get("details"), secrets),
            headers=headers,
            **extra,
            **common,
        )
    if kind == "timeout":
        return APITimeoutError(message, **common)
    if kind == "connection":
        return APIConnectionError(message, **common)
    if kind == "response":
        return APIResponseError(message, status_code=status, **common)
    if kind == "download":
        common["path"] = None
        return DownloadError(message, status_code=status, file_path=path, **common)
    if kind == "webhook":
        return WebhookPayloadError(message, text=text)
    return ReelkitError(message, text=text)
