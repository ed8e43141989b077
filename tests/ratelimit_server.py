"""Test helpers for the rate-limit tests: an independent loopback HTTP server that
enforces a strict sliding window (as Hoox does), and a minimal RESP client to
inspect what reelkit stored in Redis (the server itself: tests/_redis_server.py).

The window server answers two Hoox routes (`GET .../generation/status/{id}`, `POST
.../video/duplicate`), records when each request arrived and whether it was refused,
and refuses with Hoox's documented 429 whenever `limit` requests already arrived in
the last `window` seconds. With `headers=True` every answer carries
`X-RateLimit-Limit/Remaining/Reset` computed as the Hoox server does.
"""

from __future__ import annotations

import json
import math
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOOX_PATH = "/api/public/v1"


@dataclass(frozen=True)
class Arrival:
    at: float  # time.monotonic() when the request line was read
    wall: float  # time.time() then
    method: str
    path: str
    refused: bool


class WindowServer:
    """A strict sliding-window server on 127.0.0.1 (see the module docstring)."""

    def __init__(self, limit: int, window: float, *, headers: bool = True) -> None:
        self.limit = limit
        self.window = window
        self.headers = headers
        # A key of its own: budgets are per (origin, key), and a later server may
        # get a port an earlier one had.
        self.key = f"hx_test_ratelimit_{secrets.token_hex(8)}"
        self.arrivals: list[Arrival] = []
        self.refuse_next_posts = 0  # answer this many POSTs 429 whatever the window says
        self.refusal_wait = 1.0  # seconds to the X-RateLimit-Reset of a forced 429
        self.forced_resets: list[int] = []  # the X-RateLimit-Reset each forced 429 sent
        self.completed: set[str] = set()  # job ids whose status is "completed"
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                owner._serve(self, "GET")

            def do_POST(self) -> None:
                owner._serve(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}{HOOX_PATH}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> WindowServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def add_foreign(self, n: int) -> None:
        """Count `n` requests from "another program" now (not in `arrivals`'s methods)."""
        now, wall = time.monotonic(), time.time()
        with self._lock:
            self.arrivals.extend(Arrival(now, wall, "OTHER", "", False) for _ in range(n))

    # -- what the tests inspect

    def accepted(self, method: str | None = None) -> list[Arrival]:
        with self._lock:
            return [a for a in self.arrivals if not a.refused and method in (None, a.method)]

    def refused(self) -> list[Arrival]:
        with self._lock:
            return [a for a in self.arrivals if a.refused]

    def max_in_window(self) -> int:
        """The most accepted requests that arrived within any `window` seconds."""
        times = sorted(a.at for a in self.accepted())
        best, j = 0, 0
        for i, t in enumerate(times):
            while times[j] <= t - self.window:
                j += 1
            best = max(best, i - j + 1)
        return best

    # -- serving

    def _serve(self, h: BaseHTTPRequestHandler, method: str) -> None:
        now = time.monotonic()
        length = int(h.headers.get("content-length") or 0)
        if length:
            h.rfile.read(length)
        path = h.path.split("?", 1)[0]
        with self._lock:
            recent = [a.at for a in self.arrivals if not a.refused and a.at > now - self.window]
            forced = method == "POST" and self.refuse_next_posts > 0
            refused = forced or len(recent) >= self.limit
            if forced:
                self.refuse_next_posts -= 1
            self.arrivals.append(Arrival(now, time.time(), method, path, refused))
            used = len(recent) + (0 if refused else 1)
            if forced:
                reset_in = self.refusal_wait
            elif refused:
                reset_in = min(recent) + self.window - now
            else:
                reset_in = self.window
            completed = set(self.completed)
        extra = {}
        # Whole unix seconds, rounded up, as the Hoox server sends them.
        reset = math.ceil(time.time() + reset_in)
        if forced:
            with self._lock:
                self.forced_resets.append(reset)
        if self.headers or forced:
            extra = {
                "x-ratelimit-limit": str(self.limit),
                "x-ratelimit-remaining": str(max(0, self.limit - used)),
                "x-ratelimit-reset": str(reset),
            }
        if refused:
            msg = f"Rate limit exceeded. Maximum {self.limit} requests per minute."
            body: Any = {"error": msg, "details": [{"code": "rate_limit_exceeded", "message": msg}]}
            return self._reply(h, 429, body, extra)
        if method == "POST" and path == f"{HOOX_PATH}/video/duplicate":
            n = len(self.arrivals)
            return self._reply(h, 201, {"video_id": f"vid_dup_{n}", "status": "done"}, extra)
        prefix = f"{HOOX_PATH}/generation/status/"
        if method == "GET" and path.startswith(prefix):
            job = path[len(prefix) :]
            if job in completed:
                body = {
                    "job_id": job,
                    "status": "completed",
                    "progress_step": 100,
                    "result": {"video_id": "v_" + job},
                }
            else:
                body = {"job_id": job, "status": "processing", "progress_step": 10}
            return self._reply(h, 200, body, extra)
        self._reply(h, 404, {"error": "Not found"}, extra)

    @staticmethod
    def _reply(h: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str]) -> None:
        data = json.dumps(body).encode()
        h.send_response(status)
        h.send_header("content-type", "application/json")
        h.send_header("content-length", str(len(data)))
        for k, v in headers.items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)


# ------------------------------------------------------------------------------ Redis


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Resp:
    """A minimal RESP2 client (enough to inspect what reelkit stored)."""

    def __init__(self, port: int) -> None:
        self._sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self._buf = b""

    def close(self) -> None:
        self._sock.close()

    def __call__(self, *args: str) -> Any:
        out = f"*{len(args)}\r\n".encode()
        for a in args:
            b = a.encode()
            out += b"$%d\r\n%s\r\n" % (len(b), b)
        self._sock.sendall(out)
        return self._read()

    def _line(self) -> bytes:
        while b"\r\n" not in self._buf:
            chunk = self._sock.recv(65536)
            if not chunk:
                raise ConnectionError("redis closed the connection")
            self._buf += chunk
        line, self._buf = self._buf.split(b"\r\n", 1)
        return line

    def _read(self) -> Any:
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self._buf) < n + 2:
                self._buf += self._sock.recv(65536)
            data, self._buf = self._buf[:n], self._buf[n + 2 :]
            return data.decode(errors="replace")
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self._read() for _ in range(n)]
        raise RuntimeError(f"unexpected RESP line {line!r}")
