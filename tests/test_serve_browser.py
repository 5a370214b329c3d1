"""The web chat page in a real browser: Debian's headless Chromium driven by Playwright,
against `skillrt serve --backend local` on a free 127.0.0.1 port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from runtime_helpers import make_clip

playwright_sync = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python: pip install -e '.[dev]'"
)
from playwright.sync_api import (  # noqa: E402
    Browser,
    Page,
    Request,
    Route,
    expect,
    sync_playwright,
)

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None
CHROMIUM = CHROMIUM or shutil.which("chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REVIEW_SCREENS = Path("/work/blind/screens")
PROMPT = "generate a 10-second video about a coffee brand waking a city"


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve_env(home: Path) -> dict[str, str]:
    """The server's environment: its own home and data folder, no user or cloud variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NEMO_", "SKILLRT_", "SKILL_SOURCE"))
    }
    env.update(HOME=str(home), SKILLRT_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / ".c"))
    return env


@contextmanager
def running_serve(home: Path, **env: str) -> Iterator[str]:
    """`skillrt serve --backend local` on a free port (``env`` added); yields its base URL."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("skillrt")), "serve", "--backend", "local"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    log = (home / "serve.log").open("wb")
    process = subprocess.Popen(
        command, env={**serve_env(home), **env}, stdout=log, stderr=subprocess.STDOUT, cwd=home
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (home / "serve.log").read_text()
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, (home / "serve.log").read_text()
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`skillrt serve --backend local` in loopback no-key mode; yields its base URL."""
    with running_serve(tmp_path_factory.mktemp("serve-home")) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, launched by Playwright (never `playwright install`)."""
    if CHROMIUM is None:
        pytest.skip("no Chromium: apt-get install chromium")
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def send(page: Page, text: str) -> None:
    """Type ``text`` into the message box and press Enter; wait until the reply is done."""
    box = page.get_by_label("Message")
    box.fill(text)
    box.press("Enter")
    expect(page.locator("#send")).to_be_disabled(timeout=10_000)


def wait_idle(page: Page, timeout_ms: int) -> None:
    """Until the page can send again (the message's stream ended with its done event)."""
    expect(page.locator("#send")).to_be_enabled(timeout=timeout_ms)


def wait_until(page: Page, script: str, timeout_s: float) -> None:
    """Poll ``script`` (a function of no argument) until it is true. The page's CSP forbids
    eval, so Playwright's wait_for_function cannot run there; evaluate() can."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"still false after {timeout_s} s: {script}"
        time.sleep(0.2)


def save_screen(page: Page, path: Path) -> None:
    """A screenshot under the test's folder, and a copy for review when that folder exists."""
    page.screenshot(path=str(path), full_page=True)
    if REVIEW_SCREENS.is_dir():
        shutil.copy(path, REVIEW_SCREENS / path.name)


def test_whole_session_through_the_page(server: str, browser: Browser, tmp_path: Path) -> None:
    """Prompt → each reply shown once → export → the <video> plays a ~10 s MP4; only the
    server's own origin is ever asked for anything."""
    context = browser.new_context(locale="en-US", viewport={"width": 1100, "height": 900})
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + "/")

    skill = page.get_by_label("Skill")
    expect(page.locator("#skill option")).not_to_have_count(0)
    skill.select_option("free-generation-maker")
    assert page.locator("html").get_attribute("lang") == "en"

    send(page, PROMPT)
    # Mid-session: the first bar (still working, or the render) is on screen.
    expect(page.locator("li.progress progress").first).to_be_visible(timeout=120_000)
    save_screen(page, tmp_path / "web-chat-mid-session.png")
    wait_idle(page, 300_000)
    replies = page.locator("li.reply")
    shown = [text.strip() for text in replies.all_inner_texts()]
    assert shown, page.locator("#log").inner_text()
    assert all(shown), shown
    assert len(set(shown)) == len(shown), f"a reply is shown twice: {shown}"
    assert page.locator("li.reply[aria-busy]").count() == 0
    log_text = page.locator("#log").inner_text()
    assert all(log_text.count(text) == 1 for text in shown), log_text
    assert page.locator("li.user").first.inner_text() == PROMPT

    videos_before = page.locator("li.media video").count()
    send(page, "export")
    wait_idle(page, 300_000)

    assert page.locator("li.media video").count() == videos_before + 1, "export made no video"
    video = page.locator("li.media video").last
    wait_until(
        page, "() => [...document.querySelectorAll('li.media video')].pop().readyState >= 2", 60
    )
    duration = float(video.evaluate("v => v.duration"))
    assert abs(duration - 10.0) < 1.0, duration
    link = page.locator("li.media a[download]").last
    href = link.get_attribute("href")
    assert href
    assert href == video.evaluate("v => v.currentSrc")
    assert not page.locator("li.error").count(), page.locator("#log").inner_text()
    save_screen(page, tmp_path / "web-chat-finished.png")

    assert errors == []
    foreign = [url for url in asked if not url.startswith(server + "/")]
    assert foreign == [], "the page asked another origin"
    context.close()


def test_file_upload_shows_progress(server: str, browser: Browser, tmp_path: Path) -> None:
    """An attached clip goes up as multipart with an upload bar reaching 100 %, and the
    conversation answers it."""
    clip = make_clip(tmp_path / "clip.mp4")
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(server + "/")
    expect(page.locator("#skill option")).not_to_have_count(0)
    page.get_by_label("Skill").select_option("video-meta-ai")
    # Record every value the upload bar shows (progress reflects .value to its attribute).
    page.evaluate(
        """() => {
        window.uploadValues = [];
        const bar = document.getElementById("upload");
        new MutationObserver(() => window.uploadValues.push(bar.value))
            .observe(bar, { attributes: true, attributeFilter: ["value"] });
    }"""
    )
    page.get_by_label("Attach a file").set_input_files(str(clip))
    send(page, "write a title, a description and tags for this clip for YouTube")
    wait_idle(page, 180_000)
    assert "Attached: clip.mp4" in page.locator("li.user").first.inner_text()
    assert 100 in page.evaluate("() => window.uploadValues")
    assert page.locator("#upload").is_hidden()
    assert page.locator("li.reply").count() >= 1
    assert not page.locator("li.error").count(), page.locator("#log").inner_text()
    context.close()


def test_broken_stream_resumes_with_last_event_id(
    server: str, browser: Browser, tmp_path: Path
) -> None:
    """The POST's stream is cut after a few events: the page asks .../events with
    Last-Event-ID for the rest, shows each event once, and never posts the message again."""
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    posts: list[str] = []
    resumes: list[str | None] = []

    def cut_stream(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        posts.append(route.request.url)
        response = route.fetch()
        frames = response.text().split("\n\n")
        kept = "\n\n".join(frames[: max(2, len(frames) // 3)]) + "\n\n"
        route.fulfill(response=response, body=kept)

    def on_request(request: Request) -> None:
        if request.url.endswith("/events"):
            resumes.append(request.headers.get("last-event-id"))

    page.route("**/v1/conversations/*/messages", cut_stream)
    page.on("request", on_request)
    page.goto(server + "/")
    expect(page.locator("#skill option")).not_to_have_count(0)
    page.get_by_label("Skill").select_option("free-generation-maker")
    send(page, PROMPT)
    wait_idle(page, 300_000)

    assert len(posts) == 1
    assert resumes
    assert resumes[0]
    shown = [text.strip() for text in page.locator("li.reply").all_inner_texts()]
    assert shown
    assert len(set(shown)) == len(shown), f"a reply is shown twice: {shown}"
    assert not page.locator("li.error").count(), page.locator("#log").inner_text()
    context.close()


def test_page_follows_a_chinese_browser(server: str, browser: Browser) -> None:
    """navigator.language zh-CN → Chinese labels; Shift+Enter adds a line, it does not send."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.title() == "skillrt 对话"
    box = page.get_by_label("消息")
    assert page.get_by_label("技能").count() == 1
    assert page.get_by_label("附加文件").count() == 1
    assert page.get_by_role("button", name="发送").count() == 1
    assert box.get_attribute("placeholder") == "描述你想要的视频……"
    box.type("第一行")
    box.press("Shift+Enter")
    box.type("第二行")
    assert box.input_value() == "第一行\n第二行"
    assert page.locator("li.user").count() == 0
    context.close()


def test_english_page_has_labelled_controls(server: str, browser: Browser) -> None:
    """Every form control has a label, the replies list is a live region, and the key is
    kept in the tab's sessionStorage only."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(server + "/")
    for label in ("Skill", "API key", "Attach a file", "Message"):
        assert page.get_by_label(label).count() == 1, label
    assert page.locator("#log").get_attribute("aria-live") == "polite"
    assert page.get_by_role("button", name="Send").count() == 1
    key = page.get_by_label("API key")
    assert key.get_attribute("type") == "password"
    key.fill("key-for-this-tab")
    key.press("Tab")
    stored = page.evaluate("sessionStorage.getItem('skillrt.apiKey')")
    assert stored == "key-for-this-tab"
    assert page.evaluate("localStorage.getItem('skillrt.apiKey')") is None
    context.close()


def test_page_with_a_keyed_server(browser: Browser, tmp_path: Path) -> None:
    """A server that needs a key: the page says so, lists the skills once the key is typed
    (sent as a bearer token, kept in this tab only), and plays the video fetched with it."""
    with running_serve(tmp_path, SKILLRT_API_KEYS="browser-test-key") as base:
        context = browser.new_context(locale="en-US")
        page = context.new_page()
        bearers: list[str | None] = []
        page.on("request", lambda request: bearers.append(request.headers.get("authorization")))
        page.goto(base + "/")
        expect(page.locator("#status")).to_contain_text("needs an API key")
        assert page.locator("#skill option").count() == 0
        key = page.get_by_label("API key")
        key.fill("browser-test-key")
        key.press("Tab")
        expect(page.locator("#skill option")).not_to_have_count(0)
        assert "Bearer browser-test-key" in bearers
        assert page.evaluate("localStorage.getItem('skillrt.apiKey')") is None
        # A <video> cannot send the key: the page fetches the MP4 with it and plays a blob.
        page.get_by_label("Skill").select_option("free-generation-maker")
        send(page, PROMPT)
        wait_idle(page, 300_000)
        assert not page.locator("li.error").count(), page.locator("#log").inner_text()
        last = "[...document.querySelectorAll('li.media video')].pop()"
        wait_until(page, f"() => {last} !== undefined && {last}.readyState >= 2", 60)
        assert page.evaluate(f"() => {last}.currentSrc").startswith("blob:")
        assert abs(float(page.evaluate(f"() => {last}.duration")) - 10.0) < 1.0
        context.close()
