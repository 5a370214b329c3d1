"""``skillrt emulator``: run the local NemoVideo-compatible backend."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import typer

from skillrt.cli._output import fail, stderr
from skillrt.errors import InputError, SkillrtError

app = typer.Typer(help="The local NemoVideo-compatible backend (docs/emulator.md).",
                  no_args_is_help=True)  # fmt: skip

_TIMINGS = ("fast", "default", "realistic")


def startup_lines(api_url: str, cdn_url: str, emulator: Any) -> list[str]:
    """What ``serve`` prints once it listens: the origins, the data folder, missing fonts."""
    lines = [
        f"skillrt emulator: API {api_url}  CDN {cdn_url}",
        f"  data: {emulator.data_dir}",
        f"  use:  export NEMO_API_URL={api_url}",
    ]
    warning = emulator.font_warning()
    if warning:
        lines.append(f"  fonts: {warning}")
    return lines


def _settings(timings: str, data_dir: Path | None, values: dict[str, Any]) -> Any:
    from skillrt.emulator import EmulatorSettings, FaultSwitches

    faults = FaultSwitches.model_validate({k: v for k, v in values.pop("faults").items()
                                           if v is not None})  # fmt: skip
    chosen = {k: v for k, v in values.items() if v is not None}
    chosen.update(data_dir=data_dir, faults=faults)
    if timings == "fast":
        return EmulatorSettings.for_tests(**chosen)
    if timings == "realistic":
        return EmulatorSettings.realistic(**chosen)
    return EmulatorSettings.model_validate(chosen)


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8787, "--port", help="API origin port (0: any free port)."),
    cdn_port: int = typer.Option(0, "--cdn-port", help="CDN origin port (0: any free port)."),
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="Keep uploads and renders here (default: a temporary folder)."
    ),
    clean: bool = typer.Option(False, "--clean", help="Empty --data-dir before starting."),
    timings: str = typer.Option(
        "default", "--timings", help="fast (tests), default, or realistic (the cloud's)."
    ),
    event_family: str | None = typer.Option(None, "--event-family", help="adk or simple."),
    render_status_shape: str | None = typer.Option(
        None, "--render-status-shape", help="envelope or flat."
    ),
    missing_session_style: str | None = typer.Option(
        None, "--missing-session-style", help="http404 or code1002."
    ),
    starting_credits: int | None = typer.Option(None, "--starting-credits"),
    silent_edit_ratio: float | None = typer.Option(None, "--silent-edit-ratio"),
    seed: int | None = typer.Option(
        None, "--seed", help="Seeds silent edits and the --chaos draws (reproducible runs)."
    ),
    chaos: float | None = typer.Option(
        None,
        "--chaos",
        help="Chaos mode: hit each API request, with this probability (0-1), by one fault "
        "drawn from all the fault switches; each is logged.",
    ),
    render_min_seconds: float | None = typer.Option(
        None, "--render-min-seconds", help="Renders take at least this long (for kill tests)."
    ),
    drop_after_events: int | None = typer.Option(None, "--drop-after-events"),
    stall_seconds: float | None = typer.Option(None, "--stall-seconds"),
    http_status: int | None = typer.Option(None, "--http-status", help="e.g. 503 or 429."),
    truncate_after_events: int | None = typer.Option(None, "--truncate-after-events"),
    stream_error: str | None = typer.Option(
        None, "--stream-error", help="error_object, system_text or error_code."
    ),
    garbage_stream: bool = typer.Option(
        False, "--garbage-stream", help="Chat streams carry frames that are not JSON."
    ),
    stream_error_after_events: int | None = typer.Option(
        None, "--stream-error-after-events", help="The stream error comes after N events."
    ),
    drop_mode: str | None = typer.Option(
        None, "--drop-mode", help="abort (cut mid-chunk, default) or close (end cleanly)."
    ),
    render_fail: bool = typer.Option(False, "--render-fail"),
    render_hang: bool = typer.Option(False, "--render-hang"),
    no_free_plan_export: bool = typer.Option(
        False, "--no-free-plan-export", help="Refuse export (402) to free-plan accounts."
    ),
) -> None:
    """Serve the API origin and the CDN origin until Ctrl-C."""
    try:
        from skillrt.emulator import serve_forever
    except ImportError:
        fail(InputError("the emulator needs the 'local' extra",
                        hint="pip install 'skillrt[local]'"))  # fmt: skip
    if timings not in _TIMINGS:
        fail(InputError(f"--timings must be one of {', '.join(_TIMINGS)}"))
    if clean and data_dir is not None and data_dir.is_dir():
        shutil.rmtree(data_dir)
    values: dict[str, Any] = {
        "event_family": event_family,
        "render_status_shape": render_status_shape,
        "missing_session_style": missing_session_style,
        "starting_credits": starting_credits,
        "silent_edit_ratio": silent_edit_ratio,
        "seed": seed,
        "chaos": chaos,
        "render_min_seconds": render_min_seconds,
        "free_plan_export": False if no_free_plan_export else None,
        "faults": {
            "drop_after_events": drop_after_events,
            "stall_seconds": stall_seconds,
            "http_status": http_status,
            "truncate_after_events": truncate_after_events,
            "stream_error": stream_error,
            "garbage_stream": garbage_stream or None,
            "stream_error_after_events": stream_error_after_events,
            "drop_mode": drop_mode,
            "render_fail": render_fail or None,
            "render_hang": render_hang or None,
        },
    }
    try:
        settings = _settings(timings, data_dir, values)
    except ValueError as exc:  # pydantic's ValidationError names the bad option
        fail(InputError(f"invalid option: {exc}"))

    def ready(api_url: str, cdn_url: str, emulator: Any) -> None:
        console = stderr()
        for line in startup_lines(api_url, cdn_url, emulator):
            console.print(line, markup=False)
        if emulator.settings.chaos:
            console.print(f"  chaos: {emulator.settings.chaos:g} of API requests get a fault "
                          f"(seed {emulator.settings.seed}); see {api_url}/__emulator__/stats",
                          markup=False)  # fmt: skip

    try:
        serve_forever(settings, host, port, cdn_port, ready)
    except SkillrtError as error:
        fail(error)
