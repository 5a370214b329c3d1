"""A library logs, the application configures: importing and running skillrt in a host's
process leaves the host's logging as the host set it, and skillrt's own lines (routed
through the standard library's ``skillrt`` logger) carry no token."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

# The host: its own structlog set-up (key=value lines at INFO and above on its own stream),
# a stdlib handler that collects skillrt's lines, then skillrt imported and a conversation
# run against the emulator, with a dropped stream so skillrt has warnings to log.
_HOST = textwrap.dedent(
    """
    import io, json, logging, sys
    from pathlib import Path

    import structlog

    host_out = io.StringIO()
    structlog.configure(
        processors=[structlog.processors.add_log_level,
                    structlog.processors.KeyValueRenderer(key_order=["event", "level"])],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        logger_factory=structlog.PrintLoggerFactory(file=host_out),
    )
    config_before = structlog.get_config()
    library_lines = io.StringIO()
    handler = logging.StreamHandler(library_lines)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    root_before = (list(root.handlers), root.level)
    log = structlog.get_logger()
    log.info("host.before", step=1)
    log.debug("host.hidden")

    from skillrt.emulator.testing import run_emulator
    from skillrt.runtime import BackendConfig, Intervals, SkillRuntime

    home = Path(sys.argv[1])
    fast = Intervals(recovery_waits=(0.05,), render_poll=0.05, retry_backoff=(0.01,))
    with run_emulator(silent_edit_ratio=0.0) as emu:
        config = BackendConfig(api_url=emu.base_url, data_dir=home,
                               client_id_path=home / "client_id", intervals=fast)
        with SkillRuntime(config=config, env={}) as runtime:
            chat = runtime.conversation("free-generation-maker")
            events = list(chat.send("generate a 3-second video about a harbour at dawn"))
            emu.faults(drop_after_events=1)
            events += list(chat.send("add chill background music at 20% volume"))
        with emu.emulator.store.lock:
            tokens = list(emu.emulator.store.tokens)

    log.info("host.after", step=2)
    log.debug("host.hidden")
    after = structlog.get_config()
    print(json.dumps({
        "config_unchanged": all(after[k] is config_before[k] for k in config_before),
        "root_unchanged": (list(root.handlers), root.level) == root_before,
        "host_lines": host_out.getvalue(),
        "library_lines": library_lines.getvalue(),
        "tokens": tokens,
        "events": [e.type for e in events],
    }))
    """
)


def test_host_logging_survives_skillrt_and_skillrt_lines_carry_no_token(tmp_path: Path) -> None:
    """A host's structlog configuration (renderer, level) and root logger are the same
    after importing skillrt and running a conversation; its lines come out as it set them;
    skillrt's lines reach the host's stdlib handler, redacted."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEMO_", "SKILLRT_"))}
    done = subprocess.run(
        [sys.executable, "-c", _HOST, str(tmp_path)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["config_unchanged"]
    assert result["root_unchanged"]
    assert result["host_lines"].splitlines() == [
        "event='host.before' level='info' step=1",
        "event='host.after' level='info' step=2",
    ]
    library = result["library_lines"]
    assert "skillrt.runtime._chat WARNING chat.stream_dropped" in library, library
    ours = [line for line in library.splitlines() if line.startswith("skillrt.")]
    assert any(" INFO " in line for line in ours), ours  # the host's level, not skillrt's
    assert result["tokens"]
    for token in result["tokens"]:
        assert token not in library
        assert token not in done.stderr
        assert token not in result["host_lines"]
    assert "done" in result["events"]
    # The process wrote nothing to its own stderr: no handler of skillrt's anywhere.
    assert "stream_dropped" not in done.stderr
