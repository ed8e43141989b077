"""Progress displays for `progress=True` on waits and downloads.

A `tqdm.auto` bar when tqdm is installed (`pip install reelkit[progress]`; a widget in
Jupyter, a text bar in a terminal), otherwise one line on stderr, redrawn in place on
a terminal and printed on change when stderr is a file or pipe (also with tqdm, whose
redraws would pile up in a log). The drivers in `_client.py` open a display per step
and feed it alongside the user's `on_progress`.
"""

from __future__ import annotations

import sys
import time
from typing import Any

__all__ = ["Display", "open_display"]


def _tqdm() -> Any:
    # Imported per display, not at module import: tqdm is optional and costs ~50 ms.
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm


def _percent(status: Any) -> float | None:
    """The status model's progress as a percentage, when it reports one."""
    for name in ("progress", "progress_step"):
        value = getattr(status, name, None)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return max(0.0, min(100.0, float(value)))
    return None


def _status_text(status: Any) -> str:
    text = str(getattr(status, "status", None) or "pending")
    step = getattr(status, "current_step", None)
    if step:
        text += f" ({step})"
    return text


def _size(n: float) -> str:
    if n < 1024:
        return f"{n:.0f} B"
    for unit in ("KiB", "MiB"):
        n /= 1024
        if n < 1024:
            return f"{n:.1f} {unit}"
    return f"{n / 1024:.1f} GiB"


class Display:
    """What the drivers call. Subclasses draw; this base swallows drawing errors,
    because a progress display must never fail (or lose) a paid job's wait."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._broken = False

    def status(self, status: Any) -> None:
        self._guard(self._status, status)

    def bytes(self, done: int, total: int | None) -> None:
        self._guard(self._bytes, done, total)

    def close(self, ok: bool) -> None:
        self._guard(self._close, ok)

    def _guard(self, fn: Any, *args: Any) -> None:
        if self._broken:
            return
        try:
            fn(*args)
        except Exception:
            self._broken = True

    def _status(self, status: Any) -> None:
        raise NotImplementedError

    def _bytes(self, done: int, total: int | None) -> None:
        raise NotImplementedError

    def _close(self, ok: bool) -> None:
        raise NotImplementedError


class _TqdmDisplay(Display):
    def __init__(self, tqdm: Any, label: str, kind: str) -> None:
        super().__init__(label)
        self.kind = kind
        if kind == "wait":
            # The status goes into the description: tqdm prefixes a postfix with ", ".
            self.bar = tqdm(
                total=100,
                desc=label,
                bar_format="{desc}: {percentage:3.0f}%|{bar}| [{elapsed}]",
                leave=True,
            )
        else:
            self.bar = tqdm(
                total=None, desc=label, unit="B", unit_scale=True, unit_divisor=1024, leave=True
            )

    def _status(self, status: Any) -> None:
        percent = _percent(status)
        if percent is not None:
            # Hoox's progress_step restarts at 0 for each step, so the bar may go back.
            self.bar.update(percent - self.bar.n)
        self.bar.set_description_str(f"{self.label} {_status_text(status)}")

    def _bytes(self, done: int, total: int | None) -> None:
        if total is not None and self.bar.total != total:
            self.bar.total = total
        # A download that restarted from zero reports fewer bytes: update() takes deltas.
        self.bar.update(done - self.bar.n)

    def _close(self, ok: bool) -> None:
        if ok and self.kind == "wait":
            self.bar.update(100 - self.bar.n)
        self.bar.close()


class _LineDisplay(Display):
    """One line on stderr (looked up at each write, so redirection is honoured)."""

    def __init__(self, label: str, kind: str) -> None:
        super().__init__(label)
        self.kind = kind
        self.started = time.monotonic()
        self.last_text = ""
        self.last_key = ""
        self.last_write = 0.0
        self.width = 0
        self.text = f"{label}: starting"

    def _tty(self) -> bool:
        return _stderr_is_tty()

    def _draw(self, text: str, force: bool = False, key: str | None = None) -> None:
        """Show `text` unless nothing changed: `key` (default: the text) is what must
        change, so that a wait's ticking clock alone does not print a new log line."""
        self.text = text
        now = time.monotonic()
        tty = self._tty()
        key = text if key is None else key
        if key == self.last_key and (not tty or text == self.last_text):
            return
        # Byte counts change constantly: redraw a terminal at 10 Hz and print a line
        # to a log file at most every 2 s (`force` is the final state, always shown).
        if not force and self.kind == "download" and now - self.last_write < (0.1 if tty else 2):
            return
        stream = sys.stderr
        if tty:
            stream.write("\r" + text.ljust(self.width))
            self.width = max(self.width, len(text))
        else:
            stream.write(text + "\n")
        stream.flush()
        self.last_text, self.last_key, self.last_write = text, key, now

    def _elapsed(self) -> str:
        seconds = int(time.monotonic() - self.started)
        return f"{seconds // 60}:{seconds % 60:02d}"

    def _status(self, status: Any) -> None:
        percent = _percent(status)
        text = f"{self.label}: {_status_text(status)}"
        if percent is not None:
            text += f" {percent:.0f}%"
        self._draw(text + f" [{self._elapsed()}]", key=text)

    def _bytes(self, done: int, total: int | None) -> None:
        text = f"{self.label}: {_size(done)}"
        if total:
            text += f" / {_size(total)} {100 * done / total:.0f}%"
        self._draw(text)

    def _close(self, ok: bool) -> None:
        if self.kind == "download":
            # The last byte count may have been throttled away: always show where it ended.
            self._draw(self.text + ("" if ok else " - interrupted"), force=True)
        if self.last_text and self._tty():
            sys.stderr.write("\n")
            sys.stderr.flush()


def _notebook(tqdm: Any) -> bool:
    # tqdm.auto resolves to tqdm.notebook's class inside a Jupyter kernel.
    return "notebook" in getattr(tqdm, "__module__", "")


def _stderr_is_tty() -> bool:
    isatty = getattr(sys.stderr, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def open_display(label: str, kind: str) -> Display:
    """A display for a wait (`kind="wait"`, fed status models) or a download
    (`kind="download"`, fed byte counts). tqdm draws in notebooks and terminals; when
    stderr is a file or pipe (logs, CI, `2> file`) its carriage-return redraws would
    pile up, so the line display, which prints only changes, is used there."""
    tqdm = _tqdm()
    if tqdm is not None and (_notebook(tqdm) or _stderr_is_tty()):
        try:
            return _TqdmDisplay(tqdm, label, kind)
        except Exception:
            # A broken tqdm (e.g. a notebook without ipywidgets on an old tqdm) must not
            # cost the user the display altogether.
            pass
    return _LineDisplay(label, kind)
