"""The public conversation events: typed, tagged, and readable back from one JSON line."""

from __future__ import annotations

import pydantic
import pytest

from skillrt.runtime._events import (
    EVENT_ADAPTER,
    DoneEvent,
    ErrorEvent,
    LinkEvent,
    MediaEvent,
    ProgressEvent,
    TextEvent,
)

_EXAMPLES = [
    ProgressEvent(stage="render", message="Rendering: 40%", percent=40.0),
    TextEvent(text="你好", kind="reply"),
    MediaEvent(path="/tmp/out.mp4", url="http://127.0.0.1:1/o.mp4", size=10, duration_s=2.5),
    LinkEvent(url="https://nemovideo.com/workspace/t1", kind="task"),
    ErrorEvent(code="2001", message="No credits.", hint="Register.", exit_code=4),
    DoneEvent(ok=False, actions=("chat",), session_id="s1"),
]


@pytest.mark.parametrize("event", _EXAMPLES, ids=lambda e: e.type)
def test_event_round_trips_through_one_json_line(event: object) -> None:
    """Every event serialises to one line and reads back as the same typed event."""
    assert isinstance(event, pydantic.BaseModel)
    line = event.model_dump_json()
    assert "\n" not in line
    assert EVENT_ADAPTER.validate_json(line) == event


def test_events_are_frozen_and_strict() -> None:
    """Events cannot be changed after creation, and unknown fields are refused."""
    event = TextEvent(text="a")
    with pytest.raises(pydantic.ValidationError):
        event.text = "b"  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        EVENT_ADAPTER.validate_python({"type": "text", "text": "a", "token": "x"})
