"""reelkit: the Python SDK (Rust core) for the Hoox and Hooked avatar-video APIs."""

from . import _logging, _native
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BudgetExceededError,
    ConflictError,
    DownloadError,
    InsufficientCreditsError,
    InternalServerError,
    JobFailedError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ReelkitError,
    UnprocessableEntityError,
    ValidationError,
    WaitTimeoutError,
    WebhookPayloadError,
)
from .hooked import AsyncHooked, Hooked
from .hoox import AsyncHoox, Hoox

__version__: str = _native.__version__

_logging.setup_from_env()

__all__ = [
    "Hoox",
    "AsyncHoox",
    "Hooked",
    "AsyncHooked",
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
    "__version__",
]
