"""Long texts are analysed in windows: the cuts, and findings equal to a whole analysis."""

from __future__ import annotations

import itertools

import pytest

from healthlint import Linter
from healthlint.document import windows

PARAGRAPH = "今天聊聊均衡饮食，多吃蔬菜水果。\n本品能彻底治愈糖尿病，加微信abc123咨询。\n\n"


def test_windows_cover_the_text_and_end_at_paragraph_breaks() -> None:
    text = PARAGRAPH * 50
    cuts = list(windows.windows(text, "text", size=200))
    assert cuts[0].start == 0 and cuts[-1].end == len(text)
    assert all(a.end == b.start for a, b in itertools.pairwise(cuts))
    assert all(text[w.end - 2 : w.end] == "\n\n" for w in cuts[:-1])
    assert [w.line for w in cuts] == [text.count("\n", 0, w.start) for w in cuts]


def test_a_markdown_window_never_ends_inside_a_code_fence() -> None:
    fence = "```\n本品能彻底治愈糖尿病\n\n加微信abc123\n```\n\n"
    text = (PARAGRAPH + fence) * 30
    for window in windows.windows(text, "markdown", size=150):
        assert text.count("```", 0, window.end) % 2 == 0


def test_a_line_without_breaks_is_cut_after_a_sentence() -> None:
    text = "本品能彻底治愈糖尿病。" * 100
    cuts = list(windows.windows(text, "text", size=101))
    assert all(text[w.end - 1] == "。" for w in cuts)


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_windowed_findings_equal_the_whole_texts(
    linter: Linter, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    text = PARAGRAPH * 60
    whole = linter.lint(text, format=fmt)
    monkeypatch.setattr(windows, "WINDOW", 300)
    windowed = linter.lint(text, format=fmt)
    assert windowed == whole
    assert {f.rule for f in windowed} >= {"cure-promise", "contact-wechat"}
    assert all(text[f.start : f.end] == f.text for f in windowed)


def test_a_document_level_finding_is_reported_once(
    linter: Linter, monkeypatch: pytest.MonkeyPatch
) -> None:
    advice = "高血压患者每天服用氨氯地平5mg，饭后服用，不要自行停药，定期复查血压。\n\n"
    text = advice * 40
    assert [f.rule for f in linter.lint(text)].count("missing-disclaimer") == 1
    monkeypatch.setattr(windows, "WINDOW", 400)
    assert [f.rule for f in linter.lint(text)].count("missing-disclaimer") == 1
