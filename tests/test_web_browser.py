"""The web checker as an editor uses it: in a real headless Chromium (Debian's, driven by
Playwright; no browser is downloaded), against `healthlint serve` on a free loopback port.

The highlighted spans are measured in the page itself — each <mark>'s offset in the text the
page shows, found with a DOM Range — and compared with the findings' spans that the Python
`Linter` gives for the same text, converted to UTF-16 here, independently of the server.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("HEALTHLINT_CHROMIUM", "/usr/bin/chromium"))
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the browser test needs the 'dev' extra (playwright)"
)
pytest.importorskip("starlette", reason="the browser test needs the 'serve' extra")
if not CHROMIUM.exists():
    pytest.skip(
        f"no Chromium at {CHROMIUM}: install Debian's (apt-get install chromium; .ci/run does) "
        "or set HEALTHLINT_CHROMIUM",
        allow_module_level=True,
    )

from healthlint import Config, Finding, Linter  # noqa: E402
from healthlint.results.fix import apply_fixes, fixes_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "examples" / "stem-cell-poi.txt"
README_SCREENSHOT = ROOT / "docs" / "images" / "web-checker.png"
#: As the machine notes recommend for Debian's Chromium as root on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ASTRAL_TEXT = "😀𠀀本品能彻底治愈糖尿病，永不复发！\n👍喜欢就点个赞，转发到朋友圈。\n扫码添加微信\n"
MARKS_JS = """
() => {
  const doc = document.getElementById("document");
  const marks = [];
  for (const m of doc.querySelectorAll("mark.hl")) {
    const before = document.createRange();
    before.setStart(doc, 0);
    before.setEnd(m, 0);
    const start = before.toString().length;
    marks.push({
      start, end: start + m.textContent.length, text: m.textContent,
      findings: m.dataset.findings.split(" ").map(Number),
    });
  }
  return {text: doc.textContent, marks};
}
"""


def utf16(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2


def expected_spans(text: str, findings: list[Finding]) -> list[tuple[int, int]]:
    return [(utf16(text, f.start), utf16(text, f.end)) for f in findings]


def highlighted(page: Any) -> tuple[str, dict[int, tuple[int, int]]]:
    """The text the page shows and, for each finding index it highlights, the one span its
    marks cover (checked to be contiguous)."""
    shown = page.evaluate(MARKS_JS)
    units = shown["text"].encode("utf-16-le")  # the marks' offsets are JavaScript's
    pieces: dict[int, list[tuple[int, int]]] = {}
    for mark in shown["marks"]:
        assert units[2 * mark["start"] : 2 * mark["end"]].decode("utf-16-le") == mark["text"]
        for index in mark["findings"]:
            pieces.setdefault(index, []).append((mark["start"], mark["end"]))
    spans = {}
    for index, parts in pieces.items():
        parts.sort()
        for (_, end), (start, _) in itertools.pairwise(parts):
            assert end == start, f"finding {index} is highlighted in pieces with a gap"
        spans[index] = (parts[0][0], parts[-1][1])
    return shown["text"], spans


class Server:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "healthlint.frontends.web", "--port", "0", "--no-access-log"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert "http://" in line, line
        self.url = line.split()[2]


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.process.terminate()
    running.process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
        base_url=server.url,
    )
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto("/")
    opened.wait_for_selector("body[data-ready=true]")
    yield opened
    context.close()
    assert errors == [], f"errors in the page: {errors}"


def paste(page: Any, text: str) -> None:
    """Put `text` on the clipboard and paste it into the article box with Ctrl+V."""
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    page.click("#source")
    page.keyboard.press("Control+V")


def wait_done(page: Any) -> None:
    page.wait_for_selector("#results[data-state=done]", timeout=30_000)


def test_reference_article_filter_fix_and_screenshot(page: Any, tmp_path: Path) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    linter = Linter()
    findings = linter.lint(text)
    assert len(findings) >= 8
    page.uncheck("#live")  # this test checks by the button; live checking has its own test
    paste(page, text)
    assert page.input_value("#source") == text
    page.click("#check")
    wait_done(page)

    shown, spans = highlighted(page)
    assert shown == text
    assert [spans[i] for i in sorted(spans)] == expected_spans(text, findings)
    assert sorted(spans) == list(range(len(findings)))
    assert page.locator(".finding").count() == len(findings)
    assert page.text_content("#verdict") == "不通过"
    first = page.locator(".finding").first
    assert findings[0].message in first.text_content()
    assert findings[0].basis in first.text_content()

    # A filter: commercial contacts off, and their highlights and cards go with them.
    page.uncheck("input[data-filter=category][value=commercial-contact]")
    kept = [i for i, f in enumerate(findings) if f.category != "commercial-contact"]
    assert len(kept) < len(findings)
    _, spans = highlighted(page)
    assert sorted(spans) == kept
    assert [spans[i] for i in kept] == [expected_spans(text, findings)[i] for i in kept]
    assert page.locator(".finding").count() == len(kept)
    page.screenshot(path=str(tmp_path / "filtered.png"))
    page.check("input[data-filter=category][value=commercial-contact]")

    # The fix button copies the text with every safe fix applied.
    fixed, applied = apply_fixes(text, findings, fixes_of(linter.rules))
    assert applied
    page.click("#copy-fixed")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('已复制')")
    assert page.evaluate("() => navigator.clipboard.readText()") == fixed

    page.locator(".finding").nth(1).click()
    page.screenshot(path=str(tmp_path / "web-checker.png"))
    if os.environ.get("HEALTHLINT_README_SCREENSHOT"):
        README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.locator("mark.hl").first.scroll_into_view_if_needed()
        page.screenshot(path=str(README_SCREENSHOT))
    assert (tmp_path / "web-checker.png").stat().st_size > 10_000


def test_astral_characters_are_highlighted_exactly(page: Any) -> None:
    findings = Linter().lint(ASTRAL_TEXT)
    page.uncheck("#live")
    page.fill("#source", ASTRAL_TEXT)
    page.click("#check")
    wait_done(page)
    shown, spans = highlighted(page)
    assert shown == ASTRAL_TEXT
    assert [spans[i] for i in sorted(spans)] == expected_spans(ASTRAL_TEXT, findings)
    marks = page.evaluate(MARKS_JS)["marks"]
    by_finding = {m["findings"][0]: m["text"] for m in marks if len(m["findings"]) == 1}
    for index, text in by_finding.items():
        # a finding that overlaps another is marked in pieces (彻底治愈 lies in 彻底治愈糖尿病)
        assert text in findings[index].text


def test_english_switch(page: Any) -> None:
    page.uncheck("#live")
    page.fill("#source", ASTRAL_TEXT)
    page.click("#check")
    wait_done(page)
    english = Linter(Config(language="en")).lint(ASTRAL_TEXT)
    page.click("#lang-switch")
    page.wait_for_function(
        "m => document.querySelector('.finding .message').textContent === m", arg=english[0].message
    )
    assert page.text_content("#lang-switch") == "中文"
    assert page.text_content("#check") == "Check"
    assert page.text_content("#verdict") == "Reject"
    assert page.evaluate("() => document.documentElement.lang") == "en"


def test_live_check_while_typing(page: Any) -> None:
    page.click("#source")
    page.keyboard.type("本品能彻底治愈")
    wait_done(page)
    page.wait_for_function("() => document.querySelectorAll('.finding').length === 1")
    assert page.text_content(".finding code") == "cure-promise"


def test_upload_in_gb18030(page: Any, tmp_path: Path) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    path = tmp_path / "文章.txt"
    path.write_bytes(text.encode("gb18030"))
    page.set_input_files("#file", str(path))
    wait_done(page)
    page.wait_for_function(
        "() => document.getElementById('status').textContent.includes('gb18030')"
    )
    assert page.input_value("#source") == text
    _, spans = highlighted(page)
    assert [spans[i] for i in sorted(spans)] == expected_spans(text, Linter().lint(text))


def test_article_html_is_shown_not_rendered(page: Any) -> None:
    html = '<p onclick="x">本品能彻底治愈</p><script>window.pwned = 1</script>'
    page.uncheck("#live")
    page.fill("#source", html)
    page.select_option("#format", "html")
    page.click("#check")
    wait_done(page)
    time.sleep(0.2)
    shown, spans = highlighted(page)
    assert shown == html and len(spans) == 1
    assert page.evaluate("() => window.pwned === undefined")
