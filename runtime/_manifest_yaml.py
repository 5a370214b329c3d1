"""Read a manifest's YAML frontmatter without letting a hostile file hang or crash anything.

Discovery reads every SKILL.md on the search path for every command, so one bad file
there must cost a manifest error, not a hang or a traceback. On top of ``safe_load``:

- **No aliases.** ``*name`` refers back to an anchor; ten anchors of ten aliases each
  ("billion laughs") expand to 10^10 nodes. A manifest never needs them, so the first
  alias is refused (with its line) before anything is expanded.
- **Bounded depth.** PyYAML composes nodes recursively; a thousand ``[`` (or a few
  hundred indented mappings) end in a ``RecursionError``. Nesting deeper than
  :data:`MAX_YAML_DEPTH` is refused where it starts.
- **Values that cannot be built** (``2024-13-45`` read as a date, an integer of 5,000
  digits) are refused with their line instead of escaping as a ``ValueError``.

The YAML is parsed once, into the composed node (for line numbers) and its data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from skillrt.errors import ManifestError
from skillrt.runtime._envelope import messages

__all__ = ["MAX_YAML_DEPTH", "load_frontmatter"]

#: Nesting levels a manifest's YAML may have (the bundled skills use six).
MAX_YAML_DEPTH = 32


#: what was refused → the catalog's (message, hint) names for it
_MESSAGES = {
    "alias": ("err_manifest_yaml_alias", "hint_manifest_yaml_alias"),
    "depth": ("err_manifest_yaml_depth", "hint_manifest_yaml_depth"),
    "value": ("err_manifest_yaml_value", "hint_manifest_yaml_value"),
}


class _Refused(Exception):
    """Raised inside the loader; turned into a :class:`ManifestError` by ``load_frontmatter``."""

    def __init__(self, name: str, mark: object, **context: object) -> None:
        super().__init__(name)
        self.name = name
        line = getattr(mark, "line", None)
        #: 0-based line in the frontmatter, when known
        self.line = line if isinstance(line, int) else None
        self.context = context


class _ManifestLoader(yaml.SafeLoader):
    """``SafeLoader`` that refuses aliases and deep nesting while it composes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise _Refused("alias", event.start_mark, alias=str(event.anchor))
        if not isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            return super().compose_node(parent, index)
        if self._depth >= MAX_YAML_DEPTH:
            raise _Refused("depth", event.start_mark, limit=MAX_YAML_DEPTH)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError, TypeError) as exc:
            raise _Refused("value", node.start_mark, detail=str(exc)[:120]) from exc


def load_frontmatter(yaml_text: str, path: Path, offset: int) -> tuple[yaml.Node | None, Any]:
    """``(node, data)`` of the frontmatter ``yaml_text`` (which starts at line ``offset``).

    YAML syntax errors propagate as :class:`yaml.YAMLError`; aliases, nesting deeper than
    :data:`MAX_YAML_DEPTH` and values that cannot be built raise :class:`ManifestError`.
    """
    loader = _ManifestLoader(yaml_text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _Refused as exc:
        raise _error(exc, path, offset) from None
    finally:
        loader.dispose()
    return node, data


def _error(refused: _Refused, path: Path, offset: int) -> ManifestError:
    t = messages()
    line = refused.line + offset if refused.line is not None else None
    message, hint = _MESSAGES[refused.name]
    return ManifestError(
        t.render(message, "en", **refused.context),
        path=path,
        line=line,
        hint=t.render(hint, "en"),
    )
