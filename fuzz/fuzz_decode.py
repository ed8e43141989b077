"""Fuzz response decoding: arbitrary status, headers and body through the native
decoder (the clients' JSON-to-Python decoder for 2xx, `Transport::status_error`
otherwise; no I/O, see `reelkit._native._decode_for_fuzzing`), the native error
turned into the public exception as the clients do, and every payload built into
every model. Each 2xx is also decoded by the core's reference path
(`Transport::decode` then pythonize): both must agree, value for value.

    python fuzz/fuzz_decode.py -atheris_runs=1000000

Only reelkit exceptions (or none) may come out."""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    import _gen
    import _models

    import reelkit
    from reelkit import _errors, _native

_gen.KEYS.extend(k for k in _models.wire_names() if k not in _gen.KEYS)

STATUSES = [200, 201, 202, 204, 299, 301, 400, 401, 402, 403, 404, 409, 422, 429, 500, 503]
HEADERS = ["retry-after", "retry-after-ms", "x-ratelimit-reset", "x-request-id", "request-id",
           "x-should-retry", "content-type"]  # fmt: skip


def headers(fdp: atheris.FuzzedDataProvider) -> list[tuple[str, str]]:
    out = []
    for _ in range(fdp.ConsumeIntInRange(0, 3)):
        name = fdp.PickValueInList(HEADERS)
        pick = fdp.ConsumeIntInRange(0, 3)
        if pick == 0:
            value = str(fdp.ConsumeRegularFloat())
        elif pick == 1:
            value = str(fdp.ConsumeInt(8))
        elif pick == 2:
            value = "Wed, 21 Oct 2015 07:28:00 GMT"
        else:
            value = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 40))
        out.append((name, value))
    return out


def decode(provider: str, status: int, body: bytes, hdrs, idempotent: bool, reference=False):
    """(payload, None) or (None, the public exception), as a client would see them."""
    try:
        args = (provider, status, body, hdrs, idempotent, reference)
        return _native._decode_for_fuzzing(*args), None
    except _native.NativeError as exc:
        error = _errors.from_native(exc.args[0], hint="hint", secrets=("fuzz",))
        assert isinstance(error, reelkit.ReelkitError), type(error)
        str(error), repr(error)
        return None, error


def same(a, b) -> bool:
    """Equal, with the same types all the way down (1 and 1.0 differ here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float) and a != a:
        return b != b
    return a == b


def TestOneInput(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    provider = fdp.PickValueInList(["hoox", "hooked"])
    if fdp.ConsumeIntInRange(0, 3):
        status = fdp.PickValueInList(STATUSES)
    else:
        status = fdp.ConsumeIntInRange(100, 999)
    hdrs = headers(fdp)
    idempotent = fdp.ConsumeBool()
    body = _gen.body(fdp)
    payload, error = decode(provider, status, body, hdrs, idempotent)
    if 200 <= status < 300:
        expected, expected_error = decode(provider, status, body, hdrs, idempotent, True)
        assert (error is None) == (expected_error is None), (error, expected_error)
        if error is None:
            assert same(payload, expected), (body, payload, expected)
        else:
            assert type(error) is type(expected_error), (error, expected_error)
    if error is None:
        assert 200 <= status < 300, f"{status} decoded as a success"
        _models.touch(payload)
    elif 200 <= status < 300:
        # A 2xx is an error only when its body is not JSON or is Hooked's failure envelope.
        assert isinstance(error, (reelkit.APIResponseError, reelkit.APIStatusError)), repr(error)
        if not idempotent and isinstance(error, reelkit.APIResponseError):
            assert error.may_have_acted, "a 2xx to a POST means the server acted"
    else:
        assert isinstance(error, reelkit.APIStatusError), repr(error)
        assert error.status_code == status


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
