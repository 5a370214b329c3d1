"""The translators' wording, in English and Chinese (templates/messages.*.j2)."""

from __future__ import annotations

from functools import lru_cache

from skillrt.i18n import Catalog

__all__ = ["CATALOG", "say", "say_fixed"]

#: Loaded lazily and cached by skillrt.i18n; rendering has no side effects.
CATALOG = Catalog("skillrt.translators")


def say(name: str, language: str, /, **context: object) -> str:
    """Render message ``name`` in ``language``."""
    return CATALOG.render(name, language, **context)


@lru_cache(maxsize=512)
def say_fixed(name: str, language: str, /, **flags: bool | int | str | None) -> str:
    """Message ``name`` rendered once per language and arguments, then reused.

    For messages whose arguments come from a small set (the sentences said in place of a
    direction, a track's name from its kind and role, "Clip 3"): rendering is pure, so the
    bounded cache only saves the jinja2 call. Never for free text such as a title.
    """
    return CATALOG.render(name, language, **flags)
