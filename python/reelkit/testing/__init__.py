"""reelkit.testing: test a reelkit application without the network or credits.

- :class:`Simulator`: the offline Hoox + Hooked API on ``127.0.0.1``, with fault
  injection (:mod:`~reelkit.testing.faults`) and request inspection
  (:class:`RecordedRequest`).
- :class:`Replay`: serve a recorded cassette; :class:`Recorder`: record one from
  the real API.
- ``python -m reelkit.testing``: run the simulator in the foreground.
- ``reelkit.testing.pytest_plugin``: the ``reelkit_simulator``, ``hoox_sim``,
  ``hooked_sim`` and ``reelkit_replay`` fixtures.
"""

from reelkit import _logging
from reelkit.testing import faults
from reelkit.testing._cassettes import HOOKED_UPSTREAM, HOOX_UPSTREAM, Recorder, Replay
from reelkit.testing._requests import RecordedRequest
from reelkit.testing._simulator import Simulator

_logging.install()  # the simulator logs through the core's bridge too

__all__ = [
    "HOOKED_UPSTREAM",
    "HOOX_UPSTREAM",
    "RecordedRequest",
    "Recorder",
    "Replay",
    "Simulator",
    "faults",
]
