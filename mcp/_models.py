"""The structured results of the MCP tools: what an agent reads back from each call."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

__all__ = [
    "CreditsResult",
    "JobInfo",
    "JobsResult",
    "LinkInfo",
    "MediaInfo",
    "MessageResult",
    "ProblemInfo",
    "SkillInfo",
    "SkillsResult",
    "TimelineResult",
]


class SkillInfo(BaseModel):
    """One skill the server offers."""

    name: str
    display_name: str
    version: str
    description: str
    try_saying: list[str] = Field(description="Example requests, English first.")
    resource: str = Field(description="URI of its SKILL.md (resources/read).")


class SkillsResult(BaseModel):
    """Every skill the server offers."""

    skills: list[SkillInfo]


class MediaInfo(BaseModel):
    """A finished video on the server's disk."""

    path: str
    size: int = Field(description="Bytes.")
    duration_s: float | None = None
    url: str | None = Field(default=None, description="Where it was downloaded from.")


class LinkInfo(BaseModel):
    """A page for the user: the project, a claim or a registration link."""

    url: str
    kind: str


class ProblemInfo(BaseModel):
    """Something that failed, in the user's language, and what to do."""

    code: str
    message: str
    hint: str = ""
    retryable: bool = False


class MessageResult(BaseModel):
    """The outcome of send_message, export_video or export_status.

    ``status`` is ``running`` when the work outlasted the call's bound: it goes on in the
    server; call export_status with ``job_id`` to wait for it again.
    """

    status: Literal["done", "running"]
    job_id: str = Field(description="Pass to export_status to continue or re-read this work.")
    skill: str
    session_id: str | None = None
    replies: list[str] = Field(default_factory=list, description="The skill's words, in order.")
    media: list[MediaInfo] = Field(default_factory=list)
    links: list[LinkInfo] = Field(default_factory=list)
    errors: list[ProblemInfo] = Field(
        default_factory=list, description="Problems met and recovered from along the way."
    )
    render_job_id: str | None = Field(
        default=None, description="The render this work started, once it has one."
    )
    progress: str | None = Field(default=None, description="The latest progress sentence.")
    message: str | None = Field(default=None, description="What to do next, while running.")


class CreditsResult(BaseModel):
    """The account's credit balance."""

    available: float
    frozen: float = Field(description="Reserved by work still running.")
    total: float


class TimelineResult(BaseModel):
    """The current project's timeline, summarized for people."""

    skill: str
    session_id: str | None
    summary: str


class JobInfo(BaseModel):
    """A render job (from the job store) or work still running in this server."""

    job_id: str
    skill: str
    status: str
    progress: int = 0
    path: str | None = None
    size: int | None = None
    error: str | None = None
    resource: str = Field(description="URI of this job (resources/read).")


class JobsResult(BaseModel):
    """Render jobs, newest first, and the work this server is running now."""

    jobs: list[JobInfo]
    running: list[JobInfo]
