"""Fuzz both `parse_webhook`s with bytes, str and parsed mappings.

    python fuzz/fuzz_webhooks.py -atheris_runs=1000000

Only `reelkit.WebhookPayloadError` (or a parsed event) may come out; anything else
(a TypeError, a Rust panic, ...) is a crash that atheris reports with the input."""

from __future__ import annotations

import json
import sys

import atheris

with atheris.instrument_imports():
    import _gen

    import reelkit
    from reelkit import hooked, hoox

PARSERS = (hoox.parse_webhook, hooked.parse_webhook)


def use(event) -> None:
    """Touch everything a receiver would read."""
    repr(event)
    event.to_dict()
    _ = (event.raw, event.status, event.is_complete, event.is_failed, event.is_pending)
    if hasattr(event, "id"):
        _ = event.id


def TestOneInput(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    form = fdp.ConsumeIntInRange(0, 4)
    if form == 0:
        payload = fdp.ConsumeBytes(fdp.remaining_bytes())
    elif form == 1:
        payload = fdp.ConsumeUnicode(fdp.remaining_bytes())  # lone surrogates included
    elif form == 2:
        payload = _gen.body(fdp)
    elif form == 3:
        payload = _gen.body(fdp).decode("utf-8", "replace")
    else:
        payload = _gen.obj(fdp)  # an already-parsed mapping
    for parse in PARSERS:
        try:
            event = parse(payload)
        except reelkit.WebhookPayloadError:
            continue
        use(event)
        # A parsed event's raw payload round-trips as JSON.
        json.dumps(event.raw)


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
