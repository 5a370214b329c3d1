"""The service's sentences, from ``serve/templates/messages.{en,zh}.j2``."""

from __future__ import annotations

from skillrt.i18n import Catalog

__all__ = ["text"]

_CATALOG = Catalog("skillrt.serve")


def text(name: str, language: str = "en", /, **params: object) -> str:
    """Message ``name`` of the catalog, in ``language`` (``en`` or ``zh``)."""
    return _CATALOG.render(name, language, **params)
