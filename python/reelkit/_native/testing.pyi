# The simulator's servers (src/py/testing.rs), the native submodule
# `reelkit._native.testing`, imported only by `reelkit.testing`. Hand-written;
# `tests/test_typing.py` runs stubtest to prove it matches the extension module.
from typing import Any, final

__all__ = [
    "NativeRecordServer",
    "NativeReplayServer",
    "NativeSimServer",
    "sim_allowed_values",
    "sim_credits",
]

def sim_allowed_values() -> dict[str, list[str]]: ...
def sim_credits(op: str, params: dict[str, Any]) -> float: ...

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
