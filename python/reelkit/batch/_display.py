# The batch's one progress bar (progress=True): rows finished out of all, with the
# done, failed and running counts and the credits spent; built on reelkit._progress.
"""`BatchDisplay`: tqdm in notebooks and terminals, else a line on stderr printed
when it changes (at most every 2 s in a log), like the per-wait displays."""

from __future__ import annotations

import sys
import time
from typing import Any

from .. import _progress

__all__ = ["open_batch_display"]


class _BatchDisplay(_progress.Display):
    def __init__(self, total: int) -> None:
        super().__init__("batch")
        self.total = total

    def update(self, counts: dict[str, int], running: int, credits: float) -> None:
        self._guard(self._update, counts, running, credits)

    @staticmethod
    def _text(counts: dict[str, int], running: int, credits: float) -> str:
        parts = [f"done {counts.get('done', 0)}", f"failed {counts.get('failed', 0)}"]
        for state in ("unknown", "skipped"):
            if counts.get(state):
                parts.append(f"{state} {counts[state]}")
        parts.append(f"running {running}")
        return ", ".join(parts) + f", {credits:g} credits"

    def _update(self, counts: dict[str, int], running: int, credits: float) -> None:
        raise NotImplementedError


class _TqdmBatch(_BatchDisplay):
    def __init__(self, tqdm: Any, total: int) -> None:
        super().__init__(total)
        self.bar = tqdm(total=total, desc="batch", unit="row", leave=True)

    def _update(self, counts: dict[str, int], running: int, credits: float) -> None:
        finished = sum(counts.values())
        # The postfix first, drawn by update() at most every `mininterval` (a redraw
        # per row would cost more than the row on a fast batch).
        self.bar.set_postfix_str(self._text(counts, running, credits), refresh=False)
        self.bar.update(finished - self.bar.n)

    def _close(self, ok: bool) -> None:
        self.bar.close()


class _LineBatch(_BatchDisplay):
    def __init__(self, total: int) -> None:
        super().__init__(total)
        self.last = ""
        self.last_write = 0.0
        self.pending = ""
        self.width = 0

    def _update(self, counts: dict[str, int], running: int, credits: float) -> None:
        finished = sum(counts.values())
        text = f"batch: {finished}/{self.total} rows ({self._text(counts, running, credits)})"
        self.pending = text
        tty = _progress._stderr_is_tty()
        now = time.monotonic()
        if text == self.last or now - self.last_write < (0.1 if tty else 2.0):
            return
        self._write(text, tty)

    def _write(self, text: str, tty: bool) -> None:
        if tty:
            sys.stderr.write("\r" + text.ljust(self.width))
            self.width = max(self.width, len(text))
        else:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()
        self.last, self.last_write = text, time.monotonic()

    def _close(self, ok: bool) -> None:
        tty = _progress._stderr_is_tty()
        if self.pending and self.pending != self.last:
            self._write(self.pending + ("" if ok else " - interrupted"), tty)
        if tty and self.last:
            sys.stderr.write("\n")
            sys.stderr.flush()


def open_batch_display(total: int) -> _BatchDisplay:
    tqdm = _progress._tqdm()
    if tqdm is not None and (_progress._notebook(tqdm) or _progress._stderr_is_tty()):
        try:
            return _TqdmBatch(tqdm, total)
        except Exception:
            pass
    return _LineBatch(total)
