"""Fuzz the error-body parser: error responses in every documented shape (Hoox's
`{"error", "details": [{code, message, field}]}` and `{"error", "code"}`, Hooked's
`{"success": false, "message", "code"}`, `{"error": {code, message}}`) with fuzzed
types and values, any 4xx/5xx status (or a Hooked 2xx failure envelope), and the
Retry-After / X-RateLimit-Reset headers, through the native status-error path and
into the public exception.

    python fuzz/fuzz_error_body.py -atheris_runs=1000000

Every input must give an `APIStatusError` with the response's status, a string
message, an upper-case code (or None) and a non-negative `retry_after` (or None);
nothing else may come out."""

from __future__ import annotations

import json
import math
import sys

import atheris

with atheris.instrument_imports():
    import _gen

    import reelkit
    from reelkit import _errors, _native

SHAPES = ["hoox_details", "hoox_flat", "hooked", "nested", "random"]


def field(fdp: atheris.FuzzedDataProvider, depth: int = 3):
    """Mostly a string, sometimes any JSON value."""
    return _gen.text(fdp) if fdp.ConsumeIntInRange(0, 3) else _gen.value(fdp, depth)


def error_body(fdp: atheris.FuzzedDataProvider) -> dict:
    shape = fdp.PickValueInList(SHAPES)
    if shape == "hoox_details":
        details = [
            {"code": field(fdp), "message": field(fdp), "field": field(fdp)}
            for _ in range(fdp.ConsumeIntInRange(0, 4))
        ]
        body = {
            "error": field(fdp),
            "details": details if fdp.ConsumeIntInRange(0, 4) else field(fdp),
        }
    elif shape == "hoox_flat":
        body = {"error": field(fdp), "code": field(fdp)}
    elif shape == "hooked":
        body = {"success": False, "message": field(fdp), "code": field(fdp)}
        if fdp.ConsumeBool():
            body["details"] = _gen.value(fdp, 3)
    elif shape == "nested":
        body = {"error": {"code": field(fdp), "message": field(fdp)}}
    else:
        body = _gen.obj(fdp)
    for _ in range(fdp.ConsumeIntInRange(0, 2)):
        body[fdp.PickValueInList(_gen.KEYS)] = _gen.value(fdp, 3)
    return body


def retry_headers(fdp: atheris.FuzzedDataProvider) -> list[tuple[str, str]]:
    out = []
    for name in ("retry-after", "retry-after-ms", "x-ratelimit-reset", "x-request-id"):
        if fdp.ConsumeBool():
            pick = fdp.ConsumeIntInRange(0, 4)
            value = [
                lambda: repr(fdp.ConsumeFloat()),  # inf, nan, -0.0, 1e308 ...
                lambda: str(fdp.ConsumeInt(8)),
                lambda: "Wed, 21 Oct 2015 07:28:00 GMT",
                lambda: "Fri, 31 Dec 9999 23:59:59 GMT",
                lambda: fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 32)),
            ][pick]()
            out.append((name, value))
    return out


def TestOneInput(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    provider = fdp.PickValueInList(["hoox", "hooked"])
    envelope = provider == "hooked" and fdp.ConsumeIntInRange(0, 4) == 0
    status = fdp.PickValueInList([200, 201]) if envelope else fdp.ConsumeIntInRange(400, 599)
    body = error_body(fdp)
    if envelope:
        body["success"] = False
    raw = json.dumps(body).encode() if fdp.ConsumeIntInRange(0, 7) else _gen.body(fdp)
    try:
        _native._decode_for_fuzzing(provider, status, raw, retry_headers(fdp), fdp.ConsumeBool())
    except _native.NativeError as exc:
        error = _errors.from_native(exc.args[0], secrets=("fuzz",))
    else:
        # A 2xx whose body is not the failure envelope (e.g. raw bytes) decodes fine.
        assert 200 <= status < 300, f"HTTP {status} did not raise"
        return
    if 200 <= status < 300 and not isinstance(error, reelkit.APIStatusError):
        assert isinstance(error, reelkit.APIResponseError), repr(error)
        return
    assert isinstance(error, reelkit.APIStatusError), repr(error)
    assert error.status_code == status, (error.status_code, status)
    assert isinstance(str(error), str) and isinstance(error.message, str)
    # Codes are upper-cased (ASCII: a code is an identifier like MISSING_FIELD).
    code = error.code
    assert code is None or (isinstance(code, str) and not any("a" <= c <= "z" for c in code))
    retry_after = getattr(error, "retry_after", None)
    assert retry_after is None or (isinstance(retry_after, float) and retry_after >= 0), retry_after
    if isinstance(retry_after, float):
        assert not math.isnan(retry_after)
    repr(error)


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
