"""Logging setup: records from the Rust core arrive on `logging.getLogger("reelkit")`
(children like `reelkit.core.transport`). `REELKIT_LOG=debug|info|warning` turns
output on without code; otherwise a `NullHandler` keeps a library's records off
stderr until the application configures logging. The API key is never logged: the
core logs method, path, status, attempt and duration, never headers or bodies."""

from __future__ import annotations

import logging
import os

from . import _native

logger = logging.getLogger("reelkit")
# A library prints nothing unless asked: without this, Python's last-resort handler
# would print WARNING records on stderr when the application configured no logging.
if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
    logger.addHandler(logging.NullHandler())

_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "warn": logging.WARNING,
    "error": logging.ERROR,
}


def setup_from_env() -> None:
    level = _LEVELS.get(os.environ.get("REELKIT_LOG", "").strip().lower())
    if level is None:
        return
    logger.setLevel(level)
    if not any(not isinstance(h, logging.NullHandler) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    _native.reset_log_cache()


def refresh() -> None:
    """Pick up logging levels configured after import (called when a client is built)."""
    _native.reset_log_cache()
