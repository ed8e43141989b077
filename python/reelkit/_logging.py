"""Logging setup: records from the Rust core arrive on `logging.getLogger("reelkit")`
(children like `reelkit.core.transport`). `REELKIT_LOG=debug|info|warning` turns
output on without code; otherwise a `NullHandler` keeps a library's records off
stderr until the application configures logging. The API key is never logged: the
core logs method, path, status, attempt and duration, never headers or bodies.

The bridge to `logging` is installed before the first request (`install()`), not at
import: it imports `logging`, which building a client does not need."""

from __future__ import annotations

import os

from . import _native

_installed = False


def install() -> None:
    """Route the core's records to `logging` (once; cheap after the first call)."""
    global _installed
    if not _installed:
        import logging

        # A library prints nothing unless asked: without a handler of its own, Python's
        # last-resort handler would print WARNING records when the application
        # configured no logging.
        logger = logging.getLogger("reelkit")
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
        _native.install_logging()
        _installed = True


def setup_from_env() -> None:
    level_name = os.environ.get("REELKIT_LOG", "").strip().lower()
    if not level_name:
        return
    import logging

    levels = {
        "debug": logging.DEBUG,
        "info": logging.INFO,
        "warning": logging.WARNING,
        "warn": logging.WARNING,
        "error": logging.ERROR,
    }
    level = levels.get(level_name)
    if level is None:
        return
    logger = logging.getLogger("reelkit")
    logger.setLevel(level)
    if not any(not isinstance(h, logging.NullHandler) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    install()
    _native.reset_log_cache()


def refresh() -> None:
    """Pick up logging levels configured after import (called when a client is built)."""
    _native.reset_log_cache()
