"""Scripted replies: the next chat turn says exactly what a test or a host author wants.

The agent's wording is fixed by its rules; a host that must handle a particular reply
(a GUI direction in a certain order, a long silence between two replies) scripts it
through the admin endpoint: ``PUT /__emulator__/script`` with ``{"steps": [...]}``. The
next ``/run_sse`` message (any session) plays those steps instead of the agent's answer,
then the agent answers again. Tool steps change nothing in the session.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from skillrt.emulator._turn import Call, Say, Step, Turn, Work

__all__ = ["ScriptStep", "ScriptedTurn"]


class ScriptStep(BaseModel):
    """One step: ``say`` a text, ``work`` (keep-alives only) for seconds, or call a ``tool``."""

    model_config = ConfigDict(extra="forbid")

    say: str | None = None
    work: float | None = Field(default=None, ge=0, le=600)
    tool: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> ScriptStep:
        if sum(v is not None for v in (self.say, self.work, self.tool)) != 1:
            raise ValueError("a step is exactly one of say, work or tool")
        return self


class ScriptedTurn(BaseModel):
    """What the next chat turn plays."""

    model_config = ConfigDict(extra="forbid")

    steps: list[ScriptStep] = Field(min_length=1, max_length=100)

    def turn(self, language: str) -> Turn:
        """The steps as a :class:`Turn` (no credits are charged)."""
        steps: list[Step] = []
        for step in self.steps:
            if step.say is not None:
                steps.append(Say(step.say))
            elif step.work is not None:
                steps.append(Work(step.work))
            elif step.tool is not None:
                steps.append(Call(step.tool, {}, _unchanged))
        return Turn(language, steps)


def _unchanged() -> dict[str, Any]:
    return {"ok": True}
