"""The API key never appears in a repr, str, exception, traceback, log record or
pickle; plain http to a non-loopback host is refused; credentials do not follow a
redirect to another host."""

from __future__ import annotations

import json
import logging
import pickle
import socketserver
import threading
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


class WireServer:
    """A loopback HTTP server of this test's own: it keeps every request's raw bytes
    as they came off the socket, and answers by path (the video's signed URL points
    back here, so the storage request is seen too). Any error echoes the key, as a
    careless server might."""

    def __init__(self) -> None:
        self.raw: list[bytes] = []
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                while True:
                    head = b""
                    while not head.endswith(b"\r\n\r\n"):
                        chunk = self.rfile.readline()
                        if not chunk:
                            return
                        head += chunk
                    length = 0
                    for line in head.split(b"\r\n"):
                        name, _, value = line.partition(b":")
                        if name.strip().lower() == b"content-length":
                            length = int(value)
                    raw = head + self.rfile.read(length)
                    outer.raw.append(raw)
                    status, body, kind = outer.answer(raw.split(b" ", 2)[1].decode())
                    self.wfile.write(
                        b"HTTP/1.1 %d X\r\ncontent-type: %s\r\ncontent-length: %d\r\n\r\n"
                        % (status, kind, len(body))
                        + body
                    )

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, target: str) -> tuple[int, bytes, bytes]:
        if target.startswith("/media/"):
            return 200, b"\0" * 1000, b"video/mp4"
        if target == "/v1/video/vid_ok":
            data = {"id": "vid_ok", "status": "COMPLETED", "url": f"{self.url}/media/v.mp4?s=1"}
            return 200, json.dumps({"success": True, "data": data}).encode(), b"application/json"
        echo = {"success": False, "error": f"Invalid API key {KEY}", "message": f"bad key {KEY}"}
        return 401, json.dumps(echo).encode(), b"application/json"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("provider", ["hoox", "hooked"])
def test_key_appears_on_the_wire_only_in_its_header(provider, tmp_path):
    # The key goes to the API host in its one header, and nowhere else: not in a URL,
    # a body, another header, or the storage request that fetches the video.
    header = b"authorization: Bearer " if provider == "hoox" else b"x-api-key: "
    # (the header name in any case; the value exactly)
    wire = WireServer()
    try:
        if provider == "hoox":
            client = reelkit.Hoox(api_key=KEY, base_url=wire.url + "/api/public/v1")
            with pytest.raises(reelkit.AuthenticationError):
                client.videos.duplicate("vid_1", voice_id="voice_1")
            with pytest.raises(reelkit.AuthenticationError):
                client.voices.list(language="en")
        else:
            client = reelkit.Hooked(api_key=KEY, base_url=wire.url + "/v1")
            client.videos.download("vid_ok", tmp_path / "v.mp4")
            with pytest.raises(reelkit.AuthenticationError):
                client.projects.create_talking_avatar(script="Hi.", avatar_id="a", voice_id="v")
    finally:
        wire.close()
    api = [r for r in wire.raw if not r.split(b" ", 2)[1].startswith(b"/media/")]
    media = [r for r in wire.raw if r.split(b" ", 2)[1].startswith(b"/media/")]
    assert len(api) >= 2 and (provider == "hoox" or len(media) == 1)
    for raw in api:
        assert raw.count(KEY.encode()) == 1, raw
        (line,) = [ln for ln in raw.split(b"\r\n") if KEY.encode() in ln]
        name, value = line.split(b" ", 1)
        assert name.lower() + b" " + value == header + KEY.encode(), line
    for raw in media:
        assert KEY.encode() not in raw, raw


@pytest.mark.parametrize("provider", ["hoox", "hooked"])
def test_key_absent_from_errors_tracebacks_pickles_and_logs(provider, caplog, capfd):
    # The server echoes the key in its error body: the exception, its traceback, its
    # pickle, the log records and anything printed must still not contain it.
    caplog.set_level(logging.DEBUG, logger="reelkit")
    wire = WireServer()
    try:
        if provider == "hoox":
            client = reelkit.Hoox(api_key=KEY, base_url=wire.url + "/api/public/v1")
            with pytest.raises(reelkit.AuthenticationError) as info:
                client.videos.duplicate("vid_1")
        else:
            client = reelkit.Hooked(api_key=KEY, base_url=wire.url + "/v1")
            with pytest.raises(reelkit.AuthenticationError) as info:
                client.videos.get("vid_1")
    finally:
        wire.close()
    assert any(KEY.encode() in raw for raw in wire.raw)  # it was sent, and echoed
    error = info.value
    printed = capfd.readouterr()
    seen = {
        "str": str(error),
        "repr": repr(error),
        "traceback": "".join(traceback.format_exception(error)),
        "vars": repr(vars(error)),
        "log text": caplog.text,
        "log records": repr([vars(r) for r in caplog.records]),
        "stdout": printed.out,
        "stderr": printed.err,
    }
    assert caplog.records, "no log record at DEBUG: the log check would prove nothing"
    assert {where for where, text in seen.items() if KEY in text} == set()
    assert KEY.encode() not in pickle.dumps(error)
    assert "<redacted>" in str(error)


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
