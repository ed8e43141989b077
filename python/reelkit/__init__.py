"""reelkit: the Python SDK (Rust core) for the Hoox and Hooked avatar-video APIs."""

from typing import TYPE_CHECKING

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
from ._lazy import lazy_attributes
from ._ratelimit import RateLimit

if TYPE_CHECKING:
    from . import batch as batch
    from . import hooked as hooked
    from . import hoox as hoox
    from ._response import APIResponse
    from .hooked import AsyncHooked, Hooked
    from .hoox import AsyncHoox, Hoox

__version__: str = _native.__version__

# The provider clients load on first use (`from reelkit import Hoox` imports the
# Hoox client, not Hooked's; its endpoints and models load with its first call),
# which keeps `import reelkit` fast. `reelkit.hoox` / `reelkit.hooked` (the
# modules, e.g. `reelkit.hoox.parse_webhook`) and `reelkit.batch` are served the same way.
_LAZY = {
    "Hoox": "reelkit.hoox",
    "AsyncHoox": "reelkit.hoox",
    "Hooked": "reelkit.hooked",
    "AsyncHooked": "reelkit.hooked",
    "APIResponse": "reelkit._response",
}
# `reelkit.batch` too: the subpackage, loaded on first use like the clients.
_SUBMODULES = frozenset({"hoox", "hooked", "batch"})


if not TYPE_CHECKING:  # type checkers see the imports above, not a catch-all
    __getattr__, __dir__ = lazy_attributes(__name__, globals(), _LAZY, _SUBMODULES)


_logging.setup_from_env()

__all__ = [
    "APIResponse",
    "Hoox",
    "AsyncHoox",
    "Hooked",
    "AsyncHooked",
    "RateLimit",
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
