"""A local NemoVideo-compatible backend for demos and tests (see docs/emulator.md).

``create_app(settings)`` is the API origin, ``create_cdn_app(emulator)`` the second
origin that serves output URLs; :mod:`skillrt.emulator.testing` runs both in-process,
``serve_forever`` in the foreground (``skillrt emulator serve``).
"""

from skillrt.emulator._app import create_app
from skillrt.emulator._cdn import create_cdn_app
from skillrt.emulator._core import Emulator
from skillrt.emulator._serve import serve_forever
from skillrt.emulator._settings import EmulatorSettings, FaultSwitches, StreamErrorFormat

__all__ = [
    "Emulator",
    "EmulatorSettings",
    "FaultSwitches",
    "StreamErrorFormat",
    "create_app",
    "create_cdn_app",
    "serve_forever",
]
