"""The translators' wording, in English and Chinese (templates/messages.*.j2)."""

from __future__ import annotations

from skillrt.i18n import Catalog

__all__ = ["CATALOG", "say"]

#: Loaded lazily and cached by skillrt.i18n; rendering has no side effects.
CATALOG = Catalog("skillrt.translators")


def say(name: str, language: str, /, **context: object) -> str:
    """Render message ``name`` in ``language``."""
    return CATALOG.render(name, language, **context)
