# The compiled bindings (src/py/). Hand-written; `tests/test_typing.py` runs stubtest
# to prove it matches the extension module.
from collections.abc import Callable, Iterable
from typing import Any, final

from . import testing as testing

__all__ = [
    "LoopBridge",
    "NativeClient",
    "NativeError",
    "NativeTask",
    "USER_AGENT",
    "__version__",
    "_decode_for_fuzzing",
    "_panic_for_testing",
    "fill_models",
    "install_logging",
    "json_loads",
    "parse_hooked_webhook",
    "parse_hoox_webhook",
    "reset_log_cache",
    "testing",
]

__version__: str
USER_AGENT: str

class NativeError(Exception):
    """args[0] is a dict of the error's fields (see src/py/errors.rs)."""

@final
class NativeClient:
    def __new__(
        cls,
        provider: str,
        api_key: str,
        base_url: str,
        timeout: float,
        max_retries: int,
        default_headers: list[tuple[str, str]] | None = None,
        allow_insecure_http: bool = False,
        rate_limit: tuple[str, int, float, str | None] | None = None,
    ) -> NativeClient: ...
    @property
    def base_url(self) -> str: ...
    def with_options(
        self,
        timeout: float | None = None,
        max_retries: int | None = None,
        rate_limit: tuple[str, int, float, str | None] | None = None,
    ) -> NativeClient: ...
    def close(self) -> None: ...
    def request(self, call: Any) -> Any: ...
    def request_async(
        self, call: Any, future: Any = None, bridge: LoopBridge | None = None
    ) -> Any: ...
    def wait(self, step: Any, on_status: Callable[[Any], Any] | None = None) -> dict[str, Any]: ...
    def wait_async(
        self,
        step: Any,
        on_status: Callable[[Any], Any] | None = None,
        future: Any = None,
        bridge: LoopBridge | None = None,
    ) -> Any: ...
    def download(self, step: Any) -> dict[str, Any]: ...
    def download_async(
        self, step: Any, future: Any = None, bridge: LoopBridge | None = None
    ) -> Any: ...

@final
class LoopBridge:
    def __new__(cls, py_loop: Any) -> LoopBridge: ...

@final
class NativeTask:
    def abort(self) -> None: ...

def parse_hoox_webhook(body: Any) -> tuple[dict[str, Any], Any]: ...
def parse_hooked_webhook(body: Any) -> tuple[dict[str, Any], Any]: ...
def reset_log_cache() -> None: ...
def install_logging() -> None: ...
def json_loads(data: bytes) -> Any: ...
def fill_models(
    cls: type[Any], names: tuple[str, ...], wires: tuple[str, ...], items: Iterable[Any]
) -> list[Any]: ...

# Test-only (src/py/diagnostics.rs): the fuzzers' decoder and deliberate panics.
def _decode_for_fuzzing(
    provider: str,
    status: int,
    body: bytes,
    headers: list[tuple[str, str]] | None = None,
    idempotent: bool = True,
    reference: bool = False,
) -> Any: ...
def _panic_for_testing(where_: str) -> Any: ...
