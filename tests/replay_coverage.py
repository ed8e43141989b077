"""Which documented-example cassettes a replay test module really replays.

Instead of a list of file names, the module's own tests are run once more, each with
a `Replay` that notes its cassette when every interaction was served and none
mismatched. A cassette on disk that no test replays to the end is then reported by
name, and one whose test stops sending the documented request is reported too."""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from reelkit.testing import Replay


class NotingReplay(Replay):
    """A strict `Replay` that adds its cassette's name to `served` on a clean close."""

    def __init__(self, path: Path, served: set[str]) -> None:
        super().__init__(path)
        self._name = path.stem.removeprefix("api_")
        self._served = served

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        super().__exit__(exc_type, *exc_info)
        # An expected SDK error may leave the block; the cassette still counts
        # when the server saw exactly the documented requests.
        if not self.unused and not self.mismatches:
            self._served.add(self._name)


def replayed_by(
    module: ModuleType,
    skip: Callable[..., Any],
    arguments: dict[str, Any],
    patch: Callable[[set[str]], Callable[[], None]],
) -> set[str]:
    """Run every `test_*` function of `module` but `skip` with `arguments` (by
    parameter name) after `patch(served)` made its replays note what they served;
    `patch` returns the function that undoes it. Returns the cassettes served."""
    served: set[str] = set()
    undo = patch(served)
    old = os.environ.get("REELKIT_POLL_INTERVAL")
    os.environ["REELKIT_POLL_INTERVAL"] = "0"
    try:
        for name, test in sorted(vars(module).items()):
            if not name.startswith("test_") or test is skip or not inspect.isfunction(test):
                continue
            params = inspect.signature(test).parameters
            missing = set(params) - set(arguments)
            assert not missing, f"{name}: no value for {missing}"
            test(**{p: arguments[p](name) for p in params})
    finally:
        undo()
        if old is None:
            os.environ.pop("REELKIT_POLL_INTERVAL", None)
        else:
            os.environ["REELKIT_POLL_INTERVAL"] = old
    return served
