"""Run an emulator in a child process so a benchmark measures only the client's memory.

``with emulator_process() as (api_url, cdn_url): ...``; the child prints its URLs and stops
when its stdin closes. Keyword arguments override single emulator settings.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_CHILD = """
import json, sys
from skillrt.emulator.testing import run_emulator
with run_emulator(**json.loads(sys.argv[1])) as emu:
    print(emu.base_url, emu.cdn_url, flush=True)
    sys.stdin.read()
"""


@contextmanager
def emulator_process(**overrides: object) -> Iterator[tuple[str, str]]:
    """Start the emulator in a child process; yield ``(api_url, cdn_url)``."""
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, json.dumps(overrides)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        api_url, cdn_url = child.stdout.readline().split()
        yield api_url, cdn_url
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
