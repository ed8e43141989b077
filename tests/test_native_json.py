"""The native JSON decoder (responses go straight from bytes to Python objects) must
agree with `json.loads`."""

from __future__ import annotations

import json
import random

import pytest

from reelkit._native import json_loads

CASES = [
    "{}",
    "[]",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1.5",
    "1e3",
    "-0.0",
    "2.5e-10",
    "908884.7599027045",
    '"x"',
    '"\\u00e9\\ud83d\\ude00"',
    '"caf\u00e9 \u65e5\u672c"',
    '"\\n\\t\\"\\\\\\/"',
    '{"a": [1, 2, {"b": null}], "c": "d"}',
    '{"a": 1, "a": 2}',
    "  [1]  \n",
    "18446744073709551615",
    "-9223372036854775808",
]


@pytest.mark.parametrize("text", CASES)
def test_agrees_with_json_loads(text):
    expected = json.loads(text)
    got = json_loads(text.encode())
    assert got == expected
    assert type(got) is type(expected)


def test_key_order_and_shared_strings():
    body = json.dumps([{"status": "ok", "id": f"x{i}", "z": 1, "a": 2} for i in range(50)])
    got = json_loads(body.encode())
    assert got == json.loads(body)
    assert [list(d) for d in got] == [["status", "id", "z", "a"]] * 50
    # Keys and short repeated values are shared str objects.
    assert got[0]["status"] is got[49]["status"]
    assert next(iter(got[0])) is next(iter(got[49]))


@pytest.mark.parametrize(
    "bad", [b"", b"{", b"[1,]", b'{"a" 1}', b"nul", b"1 2", b'"\xff"', b"[1] x", b"NaN"]
)
def test_invalid_json_raises_value_error(bad):
    with pytest.raises(ValueError):
        json_loads(bad)


def _random_value(rng: random.Random, depth: int = 0):
    r = rng.random()
    if depth > 4 or r < 0.3:
        return rng.choice(
            [
                None,
                True,
                False,
                rng.randint(-(10**12), 10**12),
                rng.random() * 10 ** rng.randint(-5, 8),
                "".join(rng.choice('ab\u00e9"\\\n\u65e5') for _ in range(rng.randint(0, 8))),
            ]
        )
    if r < 0.65:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    return {
        "".join(rng.choice("k\u00e9y") for _ in range(rng.randint(0, 4))): _random_value(
            rng, depth + 1
        )
        for _ in range(rng.randint(0, 5))
    }


def test_random_documents_round_trip():
    rng = random.Random(7)
    for _ in range(2000):
        text = json.dumps(_random_value(rng), ensure_ascii=rng.random() < 0.5)
        assert json_loads(text.encode()) == json.loads(text), text


def test_large_body_with_gc_paused_leaves_gc_state_alone():
    import gc

    body = json.dumps([{"k": [i, str(i)]} for i in range(20000)]).encode()
    assert gc.isenabled()
    assert json_loads(body) == json.loads(body)
    assert gc.isenabled()
    gc.disable()
    try:
        json_loads(body)
        assert not gc.isenabled()
    finally:
        gc.enable()


# ------------------------------------------------- Hooked's envelope, sync and async


def _hooked_cassette(body: object, status: int = 200) -> str:
    return json.dumps(
        {
            "reelkit_cassette": 1,
            "description": "Hooked envelope shapes",
            "source": "hand-written",
            "interactions": [
                {
                    "request": {"method": "GET", "path": "/v1/video/v1"},
                    "response": {"status": status, "json": body},
                }
            ],
        }
    )


def _get_video(tmp_path, body: object, use_async: bool):
    import asyncio

    from reelkit import AsyncHooked, Hooked
    from reelkit.testing import Replay

    path = tmp_path / "c.json"
    path.write_text(_hooked_cassette(body))
    with Replay(path, strict=False) as replay:
        if use_async:

            async def go():
                async with AsyncHooked(api_key="k", base_url=replay.hooked_base_url) as c:
                    return await c.videos.get("v1")

            return asyncio.run(go())
        with Hooked(api_key="k", base_url=replay.hooked_base_url) as c:
            return c.videos.get("v1")


@pytest.mark.parametrize("use_async", [False, True])
def test_hooked_envelope_data_is_unwrapped(tmp_path, use_async):
    video = _get_video(
        tmp_path, {"success": True, "data": {"id": "v1", "status": "COMPLETED"}}, use_async
    )
    assert video.raw == {"id": "v1", "status": "COMPLETED"}


@pytest.mark.parametrize("use_async", [False, True])
def test_hooked_envelope_without_data_drops_success(tmp_path, use_async):
    body = {"success": True, "data": None, "id": "v1", "status": "STARTED"}
    video = _get_video(tmp_path, body, use_async)
    assert video.raw == {"id": "v1", "status": "STARTED"}


@pytest.mark.parametrize("use_async", [False, True])
def test_hooked_envelope_failure_in_a_2xx_raises(tmp_path, use_async):
    import reelkit

    with pytest.raises(reelkit.APIStatusError) as info:
        _get_video(
            tmp_path,
            {"success": False, "message": "Video not ready", "code": "NOT_READY"},
            use_async,
        )
    assert "Video not ready" in str(info.value)
    assert info.value.body == {"success": False, "message": "Video not ready", "code": "NOT_READY"}


@pytest.mark.parametrize("reference", [False, True])
def test_envelope_unwrap_keeps_the_servers_key_order(reference):
    # Both decoders (the clients' and the core's used by polling) drop `success`
    # without reordering the remaining keys (found by fuzz/fuzz_decode.py).
    from reelkit import _native

    body = b'{"success": true, "id": "v1", "status": "COMPLETED", "data": null, "url": "u"}'
    payload = _native._decode_for_fuzzing("hooked", 200, body, None, True, reference)
    assert list(payload) == ["id", "status", "url"]
