"""The web chat's files: served at / and /static/ from a fixed table, self-contained."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from serve_helpers import serve

from skillrt.serve._web import STATIC_DIR


def test_page_and_assets_are_served_with_a_strict_policy(tmp_path: Path) -> None:
    """/ is the page (HTML, CSP to its own origin); its script and style are served; any
    other name under /static/ is a 404 problem, and no path reaches the file system."""
    with serve(tmp_path) as served, httpx.Client(base_url=served.url) as http:
        page = http.get("/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        policy = page.headers["content-security-policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert page.headers["x-content-type-options"] == "nosniff"
        assert 'src="static/chat.js"' in page.text
        script = http.get("/static/chat.js")
        assert script.status_code == 200
        assert script.headers["content-type"].startswith("text/javascript")
        assert http.get("/static/chat.css").headers["content-type"].startswith("text/css")
        for name in ("index.html", "nope.js", "..%2F_app.py", "%2e%2e%2fpy.typed"):
            answer = http.get(f"/static/{name}")
            assert answer.status_code == 404, name
            assert answer.headers["content-type"].startswith("application/problem+json")
        assert "/" not in http.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize("name", ["index.html", "chat.js", "chat.css"])
def test_files_load_nothing_from_elsewhere(name: str) -> None:
    """No file of the page names another origin to load from (no CDN, no fonts, no
    analytics); the only absolute URLs are none at all."""
    text = (STATIC_DIR / name).read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert not re.search(r"""@import|url\(\s*["']?(https?:)?//""", text)
    assert "https://" not in text
    assert "http://" not in text


def test_every_string_has_both_languages() -> None:
    """The page's string table has the same keys in English and Chinese, and every key the
    HTML or the script asks for is in it."""
    script = (STATIC_DIR / "chat.js").read_text(encoding="utf-8")
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    tables = re.findall(r"^  (en|zh): \{\n(.*?)^  \},", script, flags=re.S | re.M)
    keys = {lang: set(re.findall(r"^    (\w+):", body, flags=re.M)) for lang, body in tables}
    assert keys["en"] == keys["zh"]
    asked = set(re.findall(r"""\bt\("(\w+)"\)?""", script))
    asked |= set(re.findall(r'data-i18n(?:-[\w-]+)?="(\w+)"', html))
    assert asked, "no string was found to check"
    assert asked <= keys["en"], asked - keys["en"]
    assert keys["en"] <= asked, keys["en"] - asked
