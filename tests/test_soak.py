"""A small soak (issue 10 §6): whole conversations against the emulator in chaos mode."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SOAK = Path(__file__).resolve().parents[1] / "benchmarks" / "soak.py"


def test_small_soak_ends_every_conversation_in_the_truth() -> None:
    """30 conversations (3 workers, chaos 0.1, fixed seed, 360x640 renders): none hung,
    crashed, lost or doubled a message, leaked the token, sent it to the CDN, left an
    invalid MP4 or a partial file, or said ok without what it promised."""
    done = subprocess.run(
        [sys.executable, str(SOAK), "--conversations", "30", "--workers", "3",
         "--chaos", "0.1", "--seed", "10", "--hang-seconds", "60", "--render-deadline", "4",
         "--json"],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.stdout.strip(), done.stderr[-3000:]
    figures = json.loads(done.stdout.splitlines()[-1])
    assert figures["failures"] == [], figures
    assert done.returncode == 0, done.stderr[-3000:]
    outcomes = figures["completed_ok"] + figures["defined_error"]
    assert outcomes == 30, figures
    assert figures["completed_ok"] > 0
    assert figures["faults_injected"] > 0
    assert figures["messages_sent"] == figures["messages_received"] > 0
    assert figures["mp4s_delivered"] >= figures["completed_ok"]
