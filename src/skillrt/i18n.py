"""User-facing text: language detection and jinja2 message catalogs in English and Chinese.

Each package keeps its wording in ``templates/messages.<lang>.j2``; every message is a
jinja2 macro, so a catalog is one file per language and the two files must define the same
names (a test checks). Rendering is pure: templates are loaded once per package and cached.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Literal

import jinja2

from skillrt._text import HAN

__all__ = ["LANGUAGES", "Catalog", "Language", "detect_language", "normalize_language"]

Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")

_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def detect_language(text: str) -> Language:
    """``"zh"`` when the text is written in Chinese (even mixed with English), else ``"en"``.

    A message such as "帮我check一下credits" is Chinese: the person writes Chinese and
    borrows English words; one Han character among many English words is not.
    """
    han = len(HAN.findall(text))
    if han == 0:
        return "en"
    latin_words = len(_LATIN_WORD.findall(text))
    return "zh" if han >= 2 or han >= latin_words else "en"


def normalize_language(value: str | None) -> Language:
    """Map a language tag (``zh-CN``, ``en_US``, ``中文``) to a supported language."""
    if value and (value.lower().startswith("zh") or value in {"中文", "简体中文", "chinese"}):
        return "zh"
    return "en"


class Catalog:
    """The messages of one package, rendered in the language asked for."""

    def __init__(self, package: str) -> None:
        self._env = jinja2.Environment(
            loader=jinja2.PackageLoader(package, "templates"),
            autoescape=False,  # noqa: S701 - plain text for terminals and chats, never HTML
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self.package = package

    def _module(self, language: Language) -> Any:
        return _load_module(self._env, language)

    def names(self, language: Language) -> set[str]:
        """The message names the catalog defines for ``language``."""
        module = self._module(language)
        return {name for name in dir(module) if not name.startswith("_")}

    def render(self, name: str, language: str = "en", /, **context: Any) -> str:
        """Render message ``name`` in ``language`` (unknown languages fall back to English)."""
        module = self._module(normalize_language(language))
        macro = getattr(module, name, None)
        if macro is None:
            raise KeyError(f"{self.package}: no message named {name!r}")
        return str(macro(**context)).strip()


@lru_cache(maxsize=32)
def _load_module(env: jinja2.Environment, language: Language) -> Any:
    return env.get_template(f"messages.{language}.j2").module
