# The compiled core (src/py/). Hand-written; `tests/test_typing.py` runs stubtest
# to prove it matches the extension module.
from collections.abc import Callable, Iterable
from typing import Any, final

__all__ = [
    "LoopBridge",
    "NativeClient",
    "NativeError",
    "NativeRecordServer",
    "NativeReplayServer",
    "NativeSimServer",
    "NativeTask",
    "USER_AGENT",
    "__version__",
    "_decode_for_fuzzing",
    "_panic_for_testing",
    "fill_models",
    "json_loads",
    "parse_hooked_webhook",
    "parse_hoox_webhook",
    "reset_log_cache",
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

@final
class NativeSimServer:
    base_url: str
    hoox_base_url: str
    hooked_base_url: str
    hoox_api_key: str
    hooked_api_key: str
    port: int
    def __new__(
        cls,
        *,
        job_seconds: float = 2.0,
        credits: float = 1000.0,
        rate_limit_per_minute: int = 100,
        url_ttl_seconds: float = 86400.0,
        video_bytes: int = 0,
        port: int = 0,
        hoox_enterprise: bool = True,
        webhook_delay_scale: float = 0.01,
        hoox_api_key: str | None = None,
        hooked_api_key: str | None = None,
        rate_limit_window_seconds: float = 60.0,
    ) -> NativeSimServer: ...
    def inject(
        self, method: str, path_pattern: str, fault: dict[str, Any], times: int = 1
    ) -> None: ...
    def clear_faults(self) -> None: ...
    def requests(self) -> list[dict[str, Any]]: ...
    def clear_requests(self) -> None: ...
    @property
    def hoox_credits_used(self) -> float: ...
    @property
    def hooked_credits_used(self) -> float: ...
    @property
    def hoox_rate_limited(self) -> int: ...
    @property
    def running(self) -> bool: ...
    def stop(self) -> None: ...

@final
class NativeReplayServer:
    base_url: str
    hoox_base_url: str
    hooked_base_url: str
    strict: bool
    cassette_path: str | None
    def __new__(
        cls,
        cassette_path: str | None = None,
        *,
        strict: bool = True,
        port: int = 0,
        cassette_json: str | None = None,
    ) -> NativeReplayServer: ...
    def mismatches(self) -> list[Any]: ...
    def unused(self) -> list[Any]: ...
    def requests(self) -> list[dict[str, Any]]: ...
    def inject(
        self, method: str, path_pattern: str, fault: dict[str, Any], times: int = 1
    ) -> None: ...
    def __len__(self) -> int: ...
    @property
    def running(self) -> bool: ...
    def stop(self) -> None: ...

@final
class NativeRecordServer:
    base_url: str
    hoox_base_url: str
    hooked_base_url: str
    upstream: str
    cassette_path: str
    def __new__(
        cls, upstream: str, cassette_path: str, *, port: int = 0, description: str | None = None
    ) -> NativeRecordServer: ...
    def __len__(self) -> int: ...
    def save(self) -> None: ...
    @property
    def running(self) -> bool: ...
    def stop(self) -> None: ...
