"""The API key never appears in a repr, str, exception, traceback, log record or
pickle; plain http to a non-loopback host is refused; credentials do not follow a
redirect to another host."""

from __future__ import annotations

import logging
import pickle
import traceback

import pytest

import reelkit
from reelkit.testing import Simulator, faults

KEY = "hx_live_" + "ab" * 32


def test_key_absent_from_repr_str_vars_and_pickle():
    client = reelkit.Hoox(api_key=KEY, base_url="http://127.0.0.1:9")
    texts = [
        repr(client),
        str(client),
        repr(vars(client)),
        repr(client.videos),
        repr(client.with_options(timeout=3)),
    ]
    assert all(KEY not in t for t in texts)
    assert KEY.encode() not in pickle.dumps(client)


def test_key_absent_from_errors_tracebacks_and_logs(caplog):
    caplog.set_level(logging.DEBUG, logger="reelkit")
    with Simulator() as sim:
        sim.inject("*", "*", faults.status(401, body={"error": f"Invalid API key {KEY}"}), times=0)
        client = reelkit.Hoox(api_key=KEY, base_url=sim.hoox_base_url, max_retries=1)
        with pytest.raises(reelkit.AuthenticationError) as info:
            client.videos.duplicate("vid_1")
        rendered = "".join(traceback.format_exception(info.value))
        seen = [
            str(info.value),
            repr(info.value),
            rendered,
            caplog.text,
            repr([vars(r) for r in caplog.records]),
        ]
        seen += [repr(r.headers) for r in sim.requests()]
    assert all(KEY not in text for text in seen)
    assert "<redacted>" in str(info.value)


def test_plain_http_to_remote_host_is_refused():
    with pytest.raises(reelkit.ReelkitError, match="allow_insecure_http"):
        reelkit.Hooked(api_key="k", base_url="http://api.example.com/v1")
    reelkit.Hooked(api_key="k", base_url="http://api.example.com/v1", allow_insecure_http=True)
    reelkit.Hooked(api_key="k", base_url="http://localhost:1/v1")
    reelkit.Hooked(api_key="k", base_url="http://[::1]:1/v1")


def test_credentials_do_not_follow_a_redirect_to_another_host():
    with Simulator() as upstream, Simulator() as other:
        # 127.0.0.1 -> localhost is another host as far as URLs go.
        target = other.hooked_base_url.replace("127.0.0.1", "localhost") + "/video/vid_abc123"
        upstream.inject(
            "GET", "/v1/video/*", faults.status(302, headers={"location": target}, body=""), times=1
        )
        client = reelkit.Hooked(
            api_key=upstream.hooked_api_key, base_url=upstream.hooked_base_url, max_retries=0
        )
        with pytest.raises(reelkit.APIStatusError) as info:
            client.videos.get("vid_abc123")
        assert info.value.status_code == 302
        assert other.requests() == []
