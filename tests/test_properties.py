"""Invariants that must hold for any input: linting never raises and never lies about a position.

The strategies mix real trigger words with noise, markup, zero-width characters, full-width
forms and traditional characters, so the properties are exercised on texts that do give
findings. ``HEALTHLINT_HYPOTHESIS_EXAMPLES`` sets the examples per property (default 2,000; see
docs/testing.md).
"""

from __future__ import annotations

import bisect
import concurrent.futures
import os
import random
import re

import pytest
from hypothesis import HealthCheck, assume, find, given, settings
from hypothesis import strategies as st

from healthlint import Finding, Linter
from healthlint.document.normalize import fold
from healthlint.errors import InputError
from healthlint.results.fix import Fix, apply_edits, apply_fixes, fixes_of, plan_fixes
from healthlint.sources.decode import decode

# A few thousand examples per property by default (what CI runs); a long run sets the variable.
# Applied per test, so other modules' Hypothesis settings are left alone. Under CI (CI set)
# the examples are derandomized: a red build is reproducible, never a roll of the dice; local
# and long runs keep exploring new examples.
EXAMPLES = settings(
    max_examples=int(os.environ.get("HEALTHLINT_HYPOTHESIS_EXAMPLES", "2000")),
    derandomize=bool(os.environ.get("CI")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

TRIGGERS = (
    "彻底治愈",
    "根治",
    "永不复发",
    "药到病除",
    "革命性",
    "从根源上逆转",
    "100%有效",
    "无任何副作用",
    "扫码添加微信",
    "加微信",
    "留言获取",
    "咨询热线：400-123-4567",
    "2.3倍",
    "高出5.02倍",
    "有效率达95%",
    "点个赞",
    "转发到朋友圈",
    "点在看",
    "专家推荐",
    "再不治疗就晚了",
    "癌症找上门",
    "仅供参考",
    "不构成医疗建议",
    "请遵医嘱",
)
INNOCENT = (
    "目前无法根治",
    "并不能彻底治愈",
    "根治性切除术",
    "第一产程",
    "辛亥革命",
    "最近",
    "糖尿病",
    "高血压",
    "这款产品能",
    "研究表明",
    "[1]",
    "【2】",
    "据《柳叶刀》2021年发表的研究",
    "参考文献\n1. Smith J. Lancet. 2020.\n",
)
TRADITIONAL = ("徹底治癒", "根治", "永不復發", "藥到病除", "革命性", "掃碼添加微信", "點個讚")
# characters whose case folding or compatibility form is longer or shorter than they are
TRICKY = ("İ", "ﬁ", "㎏", "ß", "½", "\u0301", "\U0001f600", "\u00ad", "\ufe0f", "\u3000", "Ⅻ", "①")
FULL_WIDTH = (
    "１００％有效",
    "２．３倍",
    "ＶＸ",
    "加 微 信",
    "彻\u200b底\u200d治\ufeff愈",
    "根\u00a0治",
)
NOISE_CHARS = st.characters(
    codec="utf-8",
    categories=("L", "M", "N", "P", "S", "Z", "Cc", "Cf"),
)
PUNCTUATION = ("。", "！", "？", "；", "，", "…", "“", "”", "「", "」", "《", "》", "!", "?", " ")
BREAKS = ("\n", "\n\n", "\r\n", "\r", "\u2028", "\x85")


def _pieces(*extra: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(
        st.one_of(
            st.sampled_from(TRIGGERS),
            st.sampled_from(INNOCENT),
            st.sampled_from(TRADITIONAL + FULL_WIDTH + TRICKY),
            st.sampled_from(PUNCTUATION + BREAKS),
            st.text(NOISE_CHARS, max_size=8),
            *extra,
        ),
        max_size=40,
    ).map("".join)


MARKDOWN = st.sampled_from(
    (
        "\n```\n",
        "\n```python\n",
        "\n~~~\n",
        "`",
        "``",
        "[",
        "](",
        ")",
        "[彻底治愈](http://example.com/根治)",
        "![根治](img/彻底治愈.png)",
        "<http://example.com>",
        "\n# ",
        "\n## ",
        "\n> ",
        "\n- ",
        "\n1. ",
        "\n    ",
        "*",
        "**",
        "_",
        "\\",
        "<!--",
        "-->",
        "<!-- healthlint-disable-next-line -->\n",
        "<!-- healthlint-disable -->",
        "<!-- healthlint-enable -->",
        "\n---\n",
        "\n| a | b |\n|---|---|\n",
        "[^1]",
        "\n[1]: http://example.com\n",
        "\n===\n",
        "\n<div>\n",
        "---\ntitle: 彻底治愈\n---\n",
        "\n## 参考文献\n1. 王某. 中华医学杂志. 2020.\n",
        "\n免责声明：本文仅供参考，不构成医疗建议。\n",
    )
)
HTML = st.sampled_from(
    (
        "<p>",
        "</p>",
        "<div class='x'>",
        "</div>",
        "<br/>",
        "<script>",
        "</script>",
        "<style>",
        "</style>",
        "<!--",
        "-->",
        "<a href='http://example.com/彻底治愈'>",
        "</a>",
        '<img alt="根治" src="x.png">',
        "&nbsp;",
        "&amp;",
        "&#24443;",
        "&#x5e95;",
        "&lt;",
        "<",
        ">",
        "<![CDATA[",
        "]]>",
        "<pre>",
        "</pre>",
        "<code>",
        "</code>",
        "<title>",
        "</title>",
        "<h1>",
        "</h1>",
        "<li>",
        "<!DOCTYPE html>",
        "<?xml version='1.0'?>",
    )
)
TEXT = _pieces()
MARKDOWN_TEXT = _pieces(MARKDOWN)
HTML_TEXT = _pieces(HTML)
ANY_TEXT = st.one_of(st.text(), TEXT)
LF_PROSE = _pieces().map(lambda s: re.sub(r"\r\n?|[\u2028\x85]", "\n", s))


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def _position(line_starts: list[int], offset: int) -> tuple[int, int]:
    """1-based line and column of `offset`, computed independently of the engine."""
    line = bisect.bisect_right(line_starts, offset)
    return line, offset - line_starts[line - 1] + 1


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))]


def _check_positions(text: str, findings: list[Finding]) -> None:
    starts = _line_starts(text)
    for f in findings:
        assert 0 <= f.start < f.end <= len(text), f
        assert text[f.start : f.end] == f.text, f
        assert (f.line, f.column) == _position(starts, f.start), f
        assert (f.end_line, f.end_column) == _position(starts, f.end - 1), f
        assert f.severity in ("error", "warning", "info"), f


@EXAMPLES
@given(text=ANY_TEXT)
def test_plain_text_never_raises_and_positions_hold(linter: Linter, text: str) -> None:
    _check_positions(text, linter.lint(text, format="text"))


@EXAMPLES
@given(text=MARKDOWN_TEXT)
def test_markdown_never_raises_and_positions_hold(linter: Linter, text: str) -> None:
    _check_positions(text, linter.lint(text, format="markdown"))


@EXAMPLES
@given(text=HTML_TEXT)
def test_html_never_raises_and_positions_hold(linter: Linter, text: str) -> None:
    _check_positions(text, linter.lint(text, format="html"))


@EXAMPLES
@given(text=LF_PROSE, fmt=st.sampled_from(("text", "markdown")))
def test_crlf_gives_the_same_findings_as_lf(linter: Linter, text: str, fmt: str) -> None:
    crlf = text.replace("\n", "\r\n")
    lf_findings = linter.lint(text, format=fmt)
    crlf_findings = linter.lint(crlf, format=fmt)

    def shifted(offset: int) -> int:  # the LF offset's place in the CRLF text
        return offset + text.count("\n", 0, offset)

    expected = sorted(
        (f.rule, shifted(f.start), shifted(f.end - 1) + 1, f.line, f.column) for f in lf_findings
    )
    got = sorted((f.rule, f.start, f.end, f.line, f.column) for f in crlf_findings)
    assert got == expected


@pytest.mark.parametrize(
    ("strategy", "fmt"), [(TEXT, "text"), (MARKDOWN_TEXT, "markdown"), (HTML_TEXT, "html")]
)
def test_strategies_reach_findings(
    linter: Linter, strategy: st.SearchStrategy[str], fmt: str
) -> None:
    """The strategies must produce texts with several findings, or the properties prove little."""
    found = find(
        strategy,
        lambda text: len({f.rule for f in linter.lint(text, format=fmt)}) >= 3,
        settings=settings(max_examples=2000, database=None),
    )
    assert found


def test_one_linter_from_eight_threads_equals_serial(linter: Linter) -> None:
    """A shared Linter must not leak state between texts linted at the same time."""
    rng = random.Random(7)
    words = (*TRIGGERS, *INNOCENT, *TRADITIONAL, *FULL_WIDTH, *PUNCTUATION, "\n\n")
    texts = ["".join(rng.choices(words, k=rng.randint(1, 30))) for _ in range(2000)]

    def lint(text: str) -> list[Finding]:
        return linter.lint(text, format="markdown")

    serial = [lint(text) for text in texts]
    assert sum(map(len, serial)) > len(texts)  # the texts do give findings
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        threaded = list(pool.map(lint, texts))
    assert threaded == serial


# -- decoding ---------------------------------------------------------------------------------

SIMPLIFIED = st.lists(
    st.sampled_from(TRIGGERS + INNOCENT + PUNCTUATION + BREAKS[:4]), min_size=1, max_size=30
).map("".join)
TRADITIONAL_TEXT = st.lists(
    st.sampled_from((*TRADITIONAL, "高血壓", "糖尿病", "研究顯示", "醫生")), min_size=1, max_size=30
).map(lambda pieces: "，".join(pieces) + "。")


@EXAMPLES
@given(data=st.binary(max_size=300))
def test_decode_refuses_or_round_trips_any_bytes(data: bytes) -> None:
    try:
        source = decode(data)
    except InputError:
        return
    assert "\ufeff" not in source.text[:1]
    if source.encoding not in ("big5", "cp950"):  # a few Big5 codes have twins
        assert source.encode() == data


@EXAMPLES
@given(text=ANY_TEXT, codec=st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "utf-32")))
def test_unicode_text_decodes_to_itself_or_is_called_binary(text: str, codec: str) -> None:
    # A UTF-16 BOM and a NUL read as the UTF-32 BOM; NULs without a BOM may be UTF-16.
    assume(not (codec == "utf-16" and text[:1] == "\x00"))
    assume(not (codec == "utf-8" and "\x00" in text))
    data = text.encode(codec)
    try:
        source = decode(data)
    except InputError as exc:
        assert "binary file" in exc.message
        return
    # a leading U+FEFF written without a BOM of its own reads as the BOM
    assert source.text == (text.removeprefix("\ufeff") if codec == "utf-8" else text)
    assert source.encode() == data


@EXAMPLES
@given(text=SIMPLIFIED)
def test_gb18030_text_is_detected(text: str) -> None:
    source = decode(text.encode("gb18030"))
    assert source.text == text
    assert source.encode() == text.encode("gb18030")


@EXAMPLES
@given(text=TRADITIONAL_TEXT)
def test_big5_text_is_detected(text: str) -> None:
    assert decode(text.encode("big5")).text == text


# -- fixes ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixes(linter: Linter) -> dict[str, Fix]:
    found = fixes_of(linter.rules)
    assert found, "no shipped rule has a fix: the property below would prove nothing"
    return found


def _same_paragraph(text: str, a: int, b: int) -> bool:
    """No blank line between offsets `a` and `b` of `text`."""
    lo, hi = sorted((max(a, 0), max(b, 0)))
    between = text[lo:hi].replace("\r", "")
    return "\n\n" not in between and not any(
        line.strip() == "" for line in between.split("\n")[1:-1]
    )


#: Punctuation a fix must never leave: two clause marks or a mark and a stop meeting, a mark
#: opening a line, a connective before a stop (咨询电话：，  ，，希望  并。), on folded text.
BROKEN = re.compile(r"[,、;:]\s*[,、;:。!?]|^\s*[,、;:。!?]|(?<![\w])[并和或及]\s*[。!?]", re.M)
#: Every line break the linter knows, so that `^` in BROKEN sees a line that starts after \r.
LINE_BREAK = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")


def _broken(text: str) -> int:
    return len(BROKEN.findall(LINE_BREAK.sub("\n", fold(text))))


def _sentence_region(text: str, start: int, end: int) -> tuple[int, int]:
    """From after the stop or line break before `start` to the end of the line holding `end`,
    its line break included: where a fix of the finding [start, end) may change text."""
    stops = "。！？!?…\r\n\u2028\u2029\x85\x0b\x0c"
    lo = max(text.rfind(c, 0, start) for c in stops) + 1
    line_end = min((i for i in (text.find(c, end) for c in "\r\n") if i >= 0), default=len(text))
    return lo, line_end + (2 if text.startswith("\r\n", line_end) else 1)


@EXAMPLES
@given(text=MARKDOWN_TEXT, fmt=st.sampled_from(("text", "markdown", "html")))
def test_fix_changes_only_flagged_sentences_fluently_and_adds_no_finding(
    linter: Linter, fixes: dict[str, Fix], text: str, fmt: str
) -> None:
    before = linter.lint(text, format=fmt)
    edits = plan_fixes(text, before, fixes, format=fmt)
    fixed = apply_edits(text, edits)
    # Every edit lies in the sentence of a finding it fixes, and outside the edits the texts
    # agree character for character.
    regions = [_sentence_region(text, f.start, f.end) for f in before]
    to_old: dict[int, int] = {}  # kept character's index in the fixed text -> in the original
    at_old = at_new = 0
    for e in [*edits, None]:
        stop = len(text) if e is None else e.start
        kept = text[at_old:stop]
        assert fixed[at_new : at_new + len(kept)] == kept
        to_old.update((at_new + i, at_old + i) for i in range(len(kept)))
        at_new += len(kept)
        if e is not None:
            assert any(lo <= e.start and e.end <= hi for lo, hi in regions), (e, regions)
            assert fixed[at_new : at_new + len(e.replacement)] == e.replacement
            at_new += len(e.replacement)
            at_old = e.end
    assert at_new == len(fixed)
    # No broken punctuation the text did not have.
    assert _broken(fixed) <= _broken(text), fixed
    # Every finding left is one that was there before, at the same original characters, except
    # in a paragraph a fix changed: a deletion makes strangers neighbours ("400-123-4567ＶＸ"
    # hides ＶＸ behind a digit until the number is deleted) or changes how a line ends, and so
    # which lines a citation covers. Paragraphs no fix touched must keep exactly their findings.
    fixed_spans = {(e.start, e.end) for e in edits}
    unfixed = {
        (f.rule, f.start, f.end)
        for f in before
        if not any(s <= f.start and f.end <= e for s, e in fixed_spans)
    }
    seams = {e.start - 1 for e in edits} | {e.end for e in edits}  # the kept neighbours
    for f in linter.lint(fixed, format=fmt):
        assert f.start in to_old and f.end - 1 in to_old, f  # not in a replacement
        old = (f.rule, to_old[f.start], to_old[f.end - 1] + 1)
        assert old in unfixed or any(_same_paragraph(text, old[1], seam) for seam in seams), f


def test_fix_exposes_no_hidden_contact(linter: Linter, fixes: dict[str, Fix]) -> None:
    """Found by the property above: 'ＶＸ' was flagged but not the '加 微 信' before it."""
    text = "加 微 信ＶＸ"
    fixed, _ = apply_fixes(text, linter.lint(text), fixes)
    assert linter.lint(fixed) == []
