"""Readers keep every offset: prose masks have the source's length and findings land exactly."""

from __future__ import annotations

import pytest

from healthlint import Linter
from healthlint.document import Document
from healthlint.document.normalize import normalize
from healthlint.document.sentences import layout
from healthlint.sources.files import format_for_path

MARKDOWN = """# 标题

正文第一段，这款产品能彻底治愈糖尿病。

```python
print("彻底治愈")
```

点击[彻底治愈的秘密](https://example.com/彻底治愈) 了解，行内 `根治` 代码。
![根治](https://img.example.com/根治.png)
<!-- 彻底治愈 in a comment -->
最后一行：永不复发。
"""


def test_markdown_findings_land_on_source_lines_and_skip_code(linter: Linter) -> None:
    findings = linter.lint(MARKDOWN, format="markdown")
    places = [(f.line, f.column, f.text) for f in findings if f.category == "overclaim"]
    lines = MARKDOWN.splitlines()
    assert (3, lines[2].index("彻底治愈") + 1, "彻底治愈") in places
    assert (9, lines[8].index("彻底治愈") + 1, "彻底治愈") in places  # the link text is prose
    assert (12, lines[11].index("永不复发") + 1, "永不复发") in places
    assert (10, 3, "根治") in places  # image alt text is prose, its URL is not
    assert all(line not in (6, 11) for line, _, _ in places)  # code block, comment
    url = MARKDOWN.index("https://example.com")
    assert not any(url <= f.start < MARKDOWN.index(") 了解") for f in findings)
    assert not any(f.line == 9 and f.text == "根治" for f in findings)  # inline code
    assert not any(f.line == 10 and f.column > 3 for f in findings)  # image URL


@pytest.mark.parametrize(
    "source",
    [
        MARKDOWN,
        "```\n未闭合的代码块 彻底治愈\n",
        "<div><p>彻底&nbsp;治愈</p><script>var a='彻底治愈'</script><!-- x",
        "* 列表 **加粗** _强调_ [链接](url)\r\n> 引用\r\n",
    ],
)
@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_readers_keep_length(source: str, fmt: str) -> None:
    document = Document.parse(source, fmt)
    assert len(document.prose) == len(source)
    assert [i for i, c in enumerate(source) if c in "\r\n"] == [
        i for i, c in enumerate(document.prose) if c in "\r\n" and source[i] in "\r\n"
    ]


def test_html_sees_text_not_markup(linter: Linter) -> None:
    html = '<p class="彻底治愈">本品<b>彻底</b>治愈糖尿病</p><script>alert("根治")</script>'
    findings = [f for f in linter.lint(html, format="html") if f.rule == "cure-promise"]
    assert [f.text for f in findings] == ["彻底</b>治愈"]
    assert html[findings[0].start : findings[0].end] == findings[0].text


def test_html_entities_are_decoded_in_place() -> None:
    document = Document.parse("彻底&nbsp;治愈&#x6cbb;", "html")
    assert document.prose.startswith("彻底 ") and document.prose[8] == "治"


def test_positions_count_characters_and_crlf_lines() -> None:
    document = Document.parse("第一行\r\n第二行\r第三行\n", "text")
    assert document.position(0) == (1, 1)
    assert document.position(5) == (2, 1)
    assert document.position(9) == (3, 1)


def test_format_for_path() -> None:
    assert format_for_path("a.MD") == "markdown"
    assert format_for_path("a.htm") == "html"
    assert format_for_path("a.txt") == format_for_path(None) == "text"


def test_normalize_maps_back_exactly() -> None:
    source = "彻 底 治 愈，根·治，徹底治癒，ＶＸ：ａｂｃ，138 0013 8000，2.3倍\u200b！"
    normalized = normalize(source)
    assert normalized.text == "彻底治愈,根治,彻底治愈,vx:abc,13800138000,2.3倍!"
    for i, char in enumerate(normalized.text):
        original = source[normalized.offsets.to_source(i)]
        assert normalize(original).text in (char, "") or original in "徹癒"


def test_sentences_respect_quotes_and_lines() -> None:
    text = "他说：“这药很好。能治病。”然后走了。第二句！\n新的一行"
    spans = [text[s.start : s.end] for s in layout(text, paragraph_per_line=True).sentences]
    assert spans == ["他说：“这药很好。能治病。”然后走了。", "第二句！", "新的一行"]


def test_reference_list_is_found_and_ends_at_prose() -> None:
    text = (
        "正文。\n参考文献\n[1] A. J Med. 2020;1:2.\n[2] 某某. 中华医学杂志, 2019.\n"
        "免责说明：仅供参考。"
    )
    result = layout(text, paragraph_per_line=True)
    assert result.references == {"1", "2"}
    assert result.in_references(text.index("[2]"))
    assert not result.in_references(text.index("免责说明"))
