"""Every knob of the emulator, in one validated pydantic model."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "DEFAULT_UPLOAD_TYPES",
    "EmulatorSettings",
    "FaultSwitches",
    "StreamErrorFormat",
]

StreamErrorFormat = Literal["error_object", "system_text", "error_code"]

DEFAULT_UPLOAD_TYPES: tuple[str, ...] = (
    "mp4", "mov", "avi", "webm", "mkv", "jpg", "png", "gif", "webp", "mp3", "wav", "m4a", "aac",
)  # fmt: skip


class FaultSwitches(BaseModel):
    """Faults injected on purpose; every switch off by default (see docs/emulator.md)."""

    model_config = ConfigDict(extra="forbid")

    drop_after_events: int | None = Field(
        default=None, ge=0, description="close a chat stream after this many events"
    )
    drop_mode: Literal["abort", "close"] = Field(
        default="abort", description="abort: cut the connection mid-chunk; close: end it cleanly"
    )
    stall_seconds: float = Field(default=0.0, ge=0, description="send nothing at all for this long")
    stall_after_events: int = Field(default=0, ge=0, description="... after this many events")
    http_status: int | None = Field(
        default=None, ge=400, le=599, description="answer API requests with this status (5xx, 429)"
    )
    http_status_times: int | None = Field(
        default=None, ge=1, description="only for this many requests (None: until cleared)"
    )
    http_status_path: str | None = Field(
        default=None, description="only requests whose path starts with this"
    )
    truncate_after_events: int | None = Field(
        default=None,
        ge=0,
        description="send a truncated JSON frame after this many events, then close",
    )
    stream_error: StreamErrorFormat | None = Field(
        default=None, description="report an error inside the stream in this format, then close"
    )
    stream_error_after_events: int = Field(default=0, ge=0)
    garbage_stream: bool = Field(
        default=False, description="the chat stream's data frames are not JSON, then it closes"
    )
    render_fail: bool = Field(default=False, description="renders end with status failed")
    render_hang: bool = Field(default=False, description="renders stay processing until cancelled")


class EmulatorSettings(BaseModel):
    """Configuration of one emulator instance; defaults follow the contract."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # credits and tokens
    starting_credits: int = Field(default=100, ge=0, description="credits of a new anonymous token")
    generation_cost: int = Field(default=100, ge=0, description="credits per generated clip")
    edit_cost: int = Field(default=50, ge=0, description="credits per editing session")
    token_ttl_seconds: float = Field(default=7 * 24 * 3600, gt=0)
    client_id_window_seconds: float = Field(
        default=7 * 24 * 3600, gt=0, description="one anonymous token per client id in this window"
    )
    tokens_per_ip: int = Field(default=10, ge=1, description="anonymous tokens per IP per window")
    free_plan_export: bool = Field(
        default=True,
        description="accounts on the free plan (every anonymous token) may export; "
        "False: their export is refused with HTTP 402",
    )

    # shapes the contract lists more than once
    render_status_shape: Literal["flat", "envelope"] = "envelope"
    event_family: Literal["adk", "simple"] = "adk"
    missing_session_style: Literal["http404", "code1002"] = "http404"
    envelope_error_status: Literal["http200", "mapped"] = Field(
        default="http200",
        description="HTTP status of envelope errors (code 1001, 1002, 2001, 4001, 4002): "
        "200 with the code, or a matching 4xx",
    )

    # the agent
    silent_edit_ratio: float = Field(default=0.3, ge=0, le=1)
    seed: int = 0
    reply_seconds: float = Field(default=2.0, ge=0, description="time to answer with text")
    generation_seconds: float = Field(default=20.0, ge=0, description="time to generate raw video")
    edit_seconds: float = Field(default=5.0, ge=0, description="time an edit takes")
    keepalive_seconds: float = Field(
        default=5.0, gt=0, description="keep-alive interval in long work"
    )
    partial_chunk_chars: int = Field(
        default=24, ge=1, description="characters per partial text event"
    )
    generated_long_side: int = Field(
        default=1920,
        ge=64,
        le=1920,
        description="long side of a generated canvas (short side scales)",
    )

    # renders
    render_min_seconds: float = Field(
        default=0.0, ge=0, description="a render takes at least this long"
    )
    render_preset: str = "veryfast"
    render_threads: int = Field(default=2, ge=0)
    max_concurrent_renders: int = Field(default=2, ge=1)

    # uploads
    upload_types: tuple[str, ...] = DEFAULT_UPLOAD_TYPES
    max_upload_bytes: int = Field(default=500 * 1024 * 1024, ge=1)
    url_upload_timeout_seconds: float = Field(default=30.0, gt=0)

    # storage and bounds
    data_dir: Path | None = Field(
        default=None, description="None: a temporary folder removed on stop"
    )
    max_sessions: int = Field(
        default=1000, ge=1, description="oldest sessions are forgotten beyond this"
    )
    max_renders: int = Field(
        default=200, ge=1, description="oldest finished renders are deleted beyond"
    )
    cdn_base_url: str | None = Field(default=None, description="public base URL of the CDN origin")
    cjk_font: Path | None = Field(
        default=None, description="font file for Chinese text; None: search"
    )

    admin_enabled: bool = True
    faults: FaultSwitches = Field(default_factory=FaultSwitches)
    chaos: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="chaos mode: each API request is hit, with this probability, by one fault "
        "drawn from the switches (seeded with ``seed``)",
    )
    chaos_stall_seconds: float = Field(
        default=1.0, gt=0, le=600, description="how long a stall drawn by chaos mode lasts"
    )

    @classmethod
    def for_tests(cls, **overrides: object) -> EmulatorSettings:
        """Settings with timings in fractions of a second and a small (360x640) canvas."""
        values: dict[str, object] = {
            "reply_seconds": 0.05,
            "generation_seconds": 0.2,
            "edit_seconds": 0.1,
            "keepalive_seconds": 0.05,
            "generated_long_side": 640,
            "starting_credits": 1000,
        }
        values.update(overrides)
        return cls.model_validate(values)

    @classmethod
    def realistic(cls, **overrides: object) -> EmulatorSettings:
        """Settings with the service's real timings (replies 8 s, generation 150 s, edits 20 s)."""
        values: dict[str, object] = {
            "reply_seconds": 8.0,
            "generation_seconds": 150.0,
            "edit_seconds": 20.0,
            "keepalive_seconds": 15.0,
            "render_min_seconds": 30.0,
        }
        values.update(overrides)
        return cls.model_validate(values)
