"""What every agent rule needs: the session, the settings, the wording and the lock."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from skillrt.emulator._settings import EmulatorSettings
from skillrt.emulator._store import Session
from skillrt.emulator._turn import Call
from skillrt.i18n import Catalog

__all__ = ["CATALOG", "AgentContext"]

CATALOG = Catalog("skillrt.emulator")


@dataclass
class AgentContext:
    """One message being answered."""

    session: Session
    settings: EmulatorSettings
    text: str
    language: str
    lock: threading.RLock

    def say(self, message: str, /, **values: Any) -> str:
        """A message of the catalog in the reply language."""
        return CATALOG.render(message, self.language, **values)

    def edit(
        self, name: str, args: dict[str, Any], change: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> Call:
        """A tool call that edits the draft under the lock and bumps its version."""

        def apply() -> dict[str, Any]:
            with self.lock:
                response = change(self.session.draft)
                self.session.draft_version += 1
                return {"ok": True, "draft_version": self.session.draft_version, **response}

        return Call(name, args, apply)

    @property
    def has_timeline(self) -> bool:
        """Whether the draft has at least one segment."""
        return any(t.get("sg") for t in self.session.draft.get("t", []))
