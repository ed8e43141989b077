"""Client construction and configuration: the constructor contract, environment
fallbacks read at construction, default base URLs, the auth header of each provider
(proven on the wire with `match_headers`), context managers, close() and
with_options()."""

from __future__ import annotations

import asyncio
import inspect

import pytest

import reelkit
from reelkit import AsyncHooked, AsyncHoox, Hooked, Hoox, ReelkitError, ValidationError

HOOX_DEFAULT = "https://app.hoox.video/api/public/v1"
HOOKED_DEFAULT = "https://api.hooked.so/v1"

PROVIDERS = {
    # class: (key variable, base URL variable, default base URL)
    Hoox: ("HOOX_API_KEY", "HOOX_BASE_URL", HOOX_DEFAULT),
    AsyncHoox: ("HOOX_API_KEY", "HOOX_BASE_URL", HOOX_DEFAULT),
    Hooked: ("HOOKED_API_KEY", "HOOKED_BASE_URL", HOOKED_DEFAULT),
    AsyncHooked: ("HOOKED_API_KEY", "HOOKED_BASE_URL", HOOKED_DEFAULT),
}
ALL = list(PROVIDERS)


def close(client) -> None:
    result = client.close()
    if inspect.isawaitable(result):
        asyncio.run(result)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_constructor_signature(cls):
    params = inspect.signature(cls).parameters
    assert next(iter(params)) == "api_key"
    assert params["api_key"].default is None
    assert params["api_key"].kind in (
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        inspect.Parameter.POSITIONAL_ONLY,
    )
    for name, default in (("base_url", None), ("timeout", 60.0), ("max_retries", 2)):
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY, name
        assert params[name].default == default, name


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_defaults(cls):
    client = cls("k_test")
    try:
        assert client.base_url == PROVIDERS[cls][2]
        assert client.timeout == 60.0
        assert client.max_retries == 2
    finally:
        close(client)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_missing_key_names_the_variable(cls):
    key_var = PROVIDERS[cls][0]
    with pytest.raises(ReelkitError) as info:
        cls()
    assert key_var in str(info.value)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_empty_key_from_the_environment_is_missing(cls, monkeypatch):
    key_var = PROVIDERS[cls][0]
    monkeypatch.setenv(key_var, "")
    with pytest.raises(ReelkitError) as info:
        cls()
    assert key_var in str(info.value)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_environment_is_read_at_construction(cls, monkeypatch):
    key_var, base_var, default = PROVIDERS[cls]
    monkeypatch.setenv(key_var, "k_from_env")
    monkeypatch.setenv(base_var, "https://proxy.example.com/api")
    client = cls()
    # Changing the environment afterwards does not change a built client...
    monkeypatch.setenv(base_var, "https://elsewhere.example.com/api")
    monkeypatch.delenv(key_var)
    try:
        assert client.base_url == "https://proxy.example.com/api"
    finally:
        close(client)
    # ...and a new client sees the new environment.
    monkeypatch.setenv(key_var, "k_from_env")
    client = cls()
    try:
        assert client.base_url == "https://elsewhere.example.com/api"
    finally:
        close(client)
    monkeypatch.delenv(base_var)
    client = cls()
    try:
        assert client.base_url == default
    finally:
        close(client)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_explicit_arguments_win_over_the_environment(cls, monkeypatch):
    key_var, base_var, _ = PROVIDERS[cls]
    monkeypatch.setenv(base_var, "https://proxy.example.com/api")
    monkeypatch.delenv(key_var, raising=False)
    client = cls("k_explicit", base_url="https://explicit.example.com/v9")
    try:
        assert client.base_url == "https://explicit.example.com/v9"
    finally:
        close(client)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
@pytest.mark.parametrize(
    "kwargs", [{"timeout": 0}, {"timeout": -1.0}, {"max_retries": -1}, {"max_retries": 1.5}]
)
def test_invalid_settings_are_validation_errors(cls, kwargs):
    with pytest.raises(ValidationError):
        cls("k_test", **kwargs)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_plain_http_to_a_remote_host_is_refused(cls):
    # The key would travel unencrypted; loopback (the replay server) is allowed.
    with pytest.raises(ReelkitError):
        cls("k_test", base_url="http://api.example.com/v1")


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_the_key_is_not_in_repr(cls):
    client = cls("k_secret_value_123")
    try:
        assert "k_secret_value_123" not in repr(client)
        assert "k_secret_value_123" not in str(vars(client))
    finally:
        close(client)


# ------------------------------------------------------------------ on the wire


@pytest.mark.cassette("hoox/auth_header")
def test_hoox_sends_bearer_auth(cassette, run):
    status = run.hoox(
        cassette.hoox_base_url,
        lambda c: c.avatars.status("avtr_abc", "look_123"),
        api_key="hx_test_reelkit_key",
    )
    assert status.status == "pending"
    (request,) = cassette.requests()
    assert request.header("authorization") is not None
    assert request.header("x-api-key") is None


@pytest.mark.cassette("hooked/auth_header")
def test_hooked_sends_x_api_key(cassette, run):
    video = run.hooked(
        cassette.hooked_base_url,
        lambda c: c.videos.get("vid_abc123"),
        api_key="hk_test_reelkit_key",
    )
    assert video.id == "vid_abc123"
    (request,) = cassette.requests()
    assert request.header("x-api-key") is not None
    assert request.header("authorization") is None


@pytest.mark.parametrize("provider", ["hoox", "hooked"])
def test_a_wrong_key_fails_the_auth_cassette(provider, run, open_cassette):
    # The auth tests above can fail: with another key the interaction does not match.
    replay = open_cassette(f"{provider}/auth_header")
    with pytest.raises(AssertionError), replay, pytest.raises(reelkit.APIError):
        if provider == "hoox":
            run.hoox(
                replay.hoox_base_url,
                lambda c: c.avatars.status("avtr_abc", "look_123"),
                api_key="hx_test_another_key",
                max_retries=0,
            )
        else:
            run.hooked(
                replay.hooked_base_url,
                lambda c: c.videos.get("vid_abc123"),
                api_key="hk_test_another_key",
                max_retries=0,
            )


@pytest.mark.cassette("hoox/auth_header_env_key")
def test_hoox_key_and_base_url_from_the_environment(cassette, run, monkeypatch):
    monkeypatch.setenv("HOOX_API_KEY", "hx_test_from_environment")
    monkeypatch.setenv("HOOX_BASE_URL", cassette.hoox_base_url)
    status = run.hoox(None, lambda c: c.avatars.status("avtr_abc", "look_123"), api_key=None)
    assert status.look_id == "look_123"


@pytest.mark.cassette("hooked/auth_header_env_key")
def test_hooked_key_and_base_url_from_the_environment(cassette, run, monkeypatch):
    monkeypatch.setenv("HOOKED_API_KEY", "hk_test_from_environment")
    monkeypatch.setenv("HOOKED_BASE_URL", cassette.hooked_base_url)
    video = run.hooked(None, lambda c: c.videos.get("vid_abc123"), api_key=None)
    assert video.id == "vid_abc123"


# ------------------------------------------------- lifecycle and with_options


def test_sync_context_manager_and_close():
    with Hoox("k_test") as client:
        assert isinstance(client, Hoox)
    client.close()  # idempotent
    with Hooked("k_test") as client:
        assert isinstance(client, Hooked)
    assert client.close() is None


def test_async_context_manager_and_close():
    async def main():
        async with AsyncHoox("k_test") as client:
            assert isinstance(client, AsyncHoox)
        await client.close()
        async with AsyncHooked("k_test") as client:
            assert isinstance(client, AsyncHooked)
        await client.close()

    asyncio.run(main())


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_with_options_returns_a_configured_copy(cls):
    client = cls("k_test", base_url="https://example.com/api", timeout=30.0, max_retries=4)
    try:
        copy = client.with_options(timeout=5.0, max_retries=0)
        assert type(copy) is cls and copy is not client
        assert (copy.timeout, copy.max_retries, copy.base_url) == (
            5.0,
            0,
            "https://example.com/api",
        )
        assert (client.timeout, client.max_retries) == (30.0, 4)  # original unchanged
        only_timeout = client.with_options(timeout=2.5)
        assert (only_timeout.timeout, only_timeout.max_retries) == (2.5, 4)
        only_retries = client.with_options(max_retries=1)
        assert (only_retries.timeout, only_retries.max_retries) == (30.0, 1)
        with pytest.raises(ValidationError):
            client.with_options(timeout=-1)
        with pytest.raises(ValidationError):
            client.with_options(max_retries=-1)
    finally:
        close(client)


@pytest.mark.cassette("hoox/duplicate_plain")
def test_with_options_copy_works_on_the_wire(cassette, run):
    dup = run.hoox(
        cassette.hoox_base_url,
        lambda c: c.with_options(timeout=10.0, max_retries=0).videos.duplicate("vid_abc123"),
    )
    assert dup.video_id == "vid_dup_456"


def test_async_methods_return_awaitables():
    async def main():
        async with AsyncHoox(
            "k_test", base_url="http://127.0.0.1:9/api/public/v1", max_retries=0
        ) as client:
            pending = client.videos.duplicate("vid_abc123")
            assert inspect.isawaitable(pending)
            with pytest.raises(reelkit.APIConnectionError) as info:
                await pending
            # Nothing could connect, so nothing was sent: no job can exist.
            assert info.value.may_have_acted is False

    asyncio.run(main())


@pytest.mark.cassette("hoox/duplicate_plain")
def test_base_url_with_a_trailing_slash(cassette, run):
    dup = run.hoox(cassette.hoox_base_url + "/", lambda c: c.videos.duplicate("vid_abc123"))
    assert dup.video_id == "vid_dup_456"


@pytest.mark.cassette("hooked/auth_header_env_key")
def test_empty_base_url_variable_means_the_default(cassette, run, monkeypatch):
    monkeypatch.setenv("HOOKED_BASE_URL", "")
    assert Hooked("k_test").base_url == HOOKED_DEFAULT
    # (and the cassette is still served, via an explicit base URL)
    monkeypatch.setenv("HOOKED_API_KEY", "hk_test_from_environment")
    assert run.hooked(cassette.hooked_base_url, lambda c: c.videos.get("vid_abc123"), api_key=None)
