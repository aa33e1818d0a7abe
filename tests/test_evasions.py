"""The disguises spammers use are caught at exactly the disguised characters; clean twins are not.

Each family of disguise has a claim and a contact that must give the findings their plain
twin gives (the same rules), among them the one named, flagging exactly the characters that
carry the disguise; and a clean twin: the same disguise applied to innocent text, which must
give no finding at all. The tests name rules but not how many fire, so they hold while the
rule packs change. Where a family needs a rule change rather than normalisation or reading,
the test is a strict expected failure that names the change; it turns red the day the change
lands, so it is not forgotten.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from healthlint import Linter
from healthlint.frontends.cli import main


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def flagged(linter: Linter, text: str, fmt: str = "text") -> list[tuple[str, str]]:
    """(rule, flagged source text) of every finding, in order."""
    findings = linter.lint(text, format=fmt)
    for f in findings:
        assert text[f.start : f.end] == f.text
    return [(f.rule, f.text) for f in findings]


CLAIM = "cure-promise"
WECHAT = "contact-wechat"
PHONE = "contact-phone"

CLAIM_TEXT = "本品能彻底治愈糖尿病。"
CONTACT_TEXT = "请加微信abc123咨询。"
PHONE_TEXT = "咨询电话：13812345678"

#: family -> (format, text, the (rule, flagged text) it must give)
CAUGHT: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "plain claim": ("text", "本品能彻底治愈糖尿病。", [(CLAIM, "彻底治愈")]),
    "plain contact": ("text", "请加微信abc123咨询。", [(WECHAT, "加微信abc123")]),
    # emoji and other symbols, repeated between the characters of a word
    "emoji claim": ("text", "本品能彻😀底😀治😀愈糖尿病。", [(CLAIM, "彻😀底😀治😀愈")]),
    "emoji contact": ("text", "请加😀微😀信abc123咨询。", [(WECHAT, "加😀微😀信abc123")]),
    # default-ignorable characters: U+034F, U+3164, U+2800 (blank), variation selectors,
    # ZWJ, bidi isolates, tag characters
    "invisible claim": (
        "text",
        "本品能彻\u034f底\u3164治\u2800愈糖尿病。",
        [(CLAIM, "彻\u034f底\u3164治\u2800愈")],
    ),
    "invisible contact": (
        "text",
        "请加\ufe0f微\u200d信\u2066abc123咨询。",
        [(WECHAT, "加\ufe0f微\u200d信\u2066abc123")],
    ),
    "tag characters claim": (
        "text",
        "本品能彻\U000e0041底\U000e0042治愈糖尿病。",
        [(CLAIM, "彻\U000e0041底\U000e0042治愈")],
    ),
    # combining marks on Chinese characters
    "combining claim": (
        "text",
        "本品能彻\u0301底\u0302治\u0303愈糖尿病。",
        [(CLAIM, "彻\u0301底\u0302治\u0303愈")],
    ),
    "combining contact": (
        "text",
        "请加\u0308微\u0308信abc123咨询。",
        [(WECHAT, "加\u0308微\u0308信abc123")],
    ),
    # 、,./ repeated between single characters
    "separator claim": ("text", "本品能彻、底、治、愈糖尿病。", [(CLAIM, "彻、底、治、愈")]),
    "separator contact": ("text", "请加/微/信：abc123咨询。", [(WECHAT, "加/微/信：abc123")]),
    # one character per line
    "vertical claim": ("text", "彻\n底\n治\n愈", [(CLAIM, "彻\n底\n治\n愈")]),
    "vertical contact": ("text", "加\n微\n信\nabc123", [(WECHAT, "加\n微\n信\nabc123")]),
    "vertical claim, CRLF": ("text", "彻\r\n底\r\n治\r\n愈", [(CLAIM, "彻\r\n底\r\n治\r\n愈")]),
    # a right-to-left override shows the characters after it reversed
    "reversed claim": ("text", "本品能\u202e愈治底彻\u202c糖尿病。", [(CLAIM, "愈治底彻")]),
    "reversed contact": (
        "text",
        "请\u202e信微加\u202c：abc123咨询。",
        [(WECHAT, "信微加\u202c：abc123")],
    ),
    # look-alike letters of other scripts (TR39) and look-alike characters
    "look-alike claim": ("text", "本品能根冶糖尿病。", [(CLAIM, "根冶")]),
    "Cyrillic contact": ("text", "请加В信abc123咨询。", [(WECHAT, "加В信abc123")]),
    "Greek contact": ("text", "请加ν信abc123咨询。", [(WECHAT, "加ν信abc123")]),
    "mixed-script contact": ("text", "请加weixіn: abc123咨询。", [(WECHAT, "加weixіn: abc123")]),
    # digits that look like digits
    "circled phone": ("text", "咨询电话：①③⑧①②③④⑤⑥⑦⑧", [(PHONE, "①③⑧①②③④⑤⑥⑦⑧")]),
    "Chinese numeral phone": (
        "text",
        "咨询电话：一三八零零一三八零零零",
        [(PHONE, "一三八零零一三八零零零")],
    ),
    "mathematical phone": ("text", "咨询电话：𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", [(PHONE, "𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖")]),
    "ideographic zero phone": ("text", "咨询电话：4〇〇-123-4567", [(PHONE, "4〇〇-123-4567")]),
    "Cyrillic O phone": ("text", "咨询电话：138ОО138ООО", [(PHONE, "138ОО138ООО")]),
    "superscript phone": ("text", "咨询电话：¹³⁸¹²³⁴⁵⁶⁷⁸", [(PHONE, "¹³⁸¹²³⁴⁵⁶⁷⁸")]),
    "keycap phone": (
        "text",
        "咨询电话：1️⃣3️⃣8️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣",
        [(PHONE, "1️⃣3️⃣8️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8")],  # the last keycap's marks are invisible
    ),
    "mathematical claim": ("text", "本品𝟏𝟎𝟎%有效", [("efficacy-guarantee", "𝟏𝟎𝟎%有效")]),
    # full-width, traditional and variant characters
    "full-width contact": ("text", "ＶＸ：ａｂｃ１２３", [(WECHAT, "ＶＸ：ａｂｃ１２３")]),
    "traditional claim": ("text", "本品能徹底治癒糖尿病。", [(CLAIM, "徹底治癒")]),
    "traditional contact": ("text", "掃碼加微信咨詢", [("qr-contact", "掃碼加微信")]),
    "variant claim": ("text", "本品能彻底治瘉糖尿病。", [(CLAIM, "彻底治瘉")]),
    # split by markup, entities
    "markup claim": ("html", "<p>本品能彻底<b></b>治愈糖尿病。</p>", [(CLAIM, "彻底<b></b>治愈")]),
    "markup contact": (
        "html",
        "<p>请加<span>微信</span>abc123</p>",
        [(WECHAT, "加<span>微信</span>abc123")],
    ),
    "Markdown claim": ("markdown", "本品能彻**底**治愈糖尿病。", [(CLAIM, "彻**底**治愈")]),
    "Markdown contact": ("markdown", "请加**微信**abc123", [(WECHAT, "加**微信**abc123")]),
    "entity claim": ("html", "<p>本品能彻&#24213;治愈糖尿病。</p>", [(CLAIM, "彻&#24213;治愈")]),
    "entity contact": ("html", "<p>请加&#24494;信abc123</p>", [(WECHAT, "加&#24494;信abc123")]),
    # HTML a page shows or a search engine indexes
    "alt claim": (
        "html",
        '<img alt="本品能彻底治愈糖尿病" src="a.png"><p>正文。</p>',
        [(CLAIM, "彻底治愈")],
    ),
    "title contact": ("html", '<p title="加微信abc123">正文。</p>', [(WECHAT, "加微信abc123")]),
    "title with > claim": ("html", '<p title="a>b 彻底治愈">正文。</p>', [(CLAIM, "彻底治愈")]),
    "meta description claim": (
        "html",
        '<meta name="description" content="本品能彻底治愈糖尿病">',
        [(CLAIM, "彻底治愈")],
    ),
    "og:description contact": (
        "html",
        '<meta property="og:description" content="加微信abc123">',
        [(WECHAT, "加微信abc123")],
    ),
    "textarea claim": ("html", "<textarea>本品能彻底治愈糖尿病</textarea>", [(CLAIM, "彻底治愈")]),
    "button contact": (
        "html",
        '<input type="submit" value="加微信abc123咨询">',
        [(WECHAT, "加微信abc123")],
    ),
    "placeholder contact": (
        "html",
        '<input placeholder="加微信abc123">',
        [(WECHAT, "加微信abc123")],
    ),
    "tel link": ("html", '<a href="tel:13800138000">联系我们</a>', [(PHONE, "13800138000")]),
    "Markdown link title claim": (
        "markdown",
        '[正文](http://x.com "本品能彻底治愈糖尿病")',
        [(CLAIM, "彻底治愈")],
    ),
    "Markdown link title contact": (
        "markdown",
        '[正文](http://x.com "加微信abc123")',
        [(WECHAT, "加微信abc123")],
    ),
    # a reference list is one only where it looks like one
    "fake reference list": (
        "text",
        "正文。\n参考文献\n[1] 本品能彻底治愈糖尿病。\n[2] 请加微信abc123咨询。",
        [(CLAIM, "彻底治愈"), (WECHAT, "加微信abc123")],
    ),
}

#: family -> (format, innocent text with the same disguise), each must give no finding
CLEAN: dict[str, tuple[str, str]] = {
    "emoji between words": ("text", "今天天气很好😀我们去公园散步吧。"),
    "emoji between characters": ("text", "早😀上😀好，大家一起去公园散步。"),
    "an emoji that is a word": ("text", "扫🐎是什么意思？是一种网络用语。"),
    "invisible": ("text", "今\u034f天\u3164天\u2800气很好。"),
    "combining": ("text", "今\u0301天天气很好。"),
    "separators in a list": ("text", "心、肝、脾、肺都要保养。"),
    "commas between clauses": ("text", "我，你，他都同意。"),
    "sentences on lines": ("text", "今天很好。\n明天也好。"),
    "vertical poem": ("text", "春\n夏\n秋\n冬"),
    "reversed": ("text", "\u202e好很气天天今\u202c"),
    "look-alike in its word": ("text", "多读书可以陶冶情操。"),
    "Greek letters": ("text", "β-胡萝卜素和γ-氨基丁酸是两种营养素。"),
    "Cyrillic text": ("text", "Привет, мир."),
    "short number": ("text", "急救请拨打120。"),
    "list markers": ("text", "①多喝水②少熬夜"),
    "year in numerals": ("text", "二〇二三年的冬天很冷。"),
    "footnote": ("text", "这一点已有研究说明¹。"),
    "a word in o and digits": ("text", "book1234567 is an id."),
    "traditional negation": ("text", "目前醫學上無法根治。"),
    "alt of a photo": (
        "html",
        '<img alt="一张风景照" src="x.png" data-note="彻底治愈"><p>正文。</p>',
    ),
    "attribute beside prose": ("html", '<p>彻底<img alt="治愈" src="a.png"></p>'),
    "comment and code": ("html", "<!-- 彻底治愈 --><code>彻底治愈</code><p>正文。</p>"),
    "paragraphs apart": ("html", "<p>彻底</p><p>治愈</p>"),
    "entities": ("html", "<p>&lt;p&gt;正文&amp;说明</p>"),
    "web link": ("html", '<a href="https://example.com/彻底治愈">链接</a>'),
    "unclosed code ends with its block": ("html", "<p><code>x = 1</p><p>正文。</p>"),
    "Markdown link title": ("markdown", '[链接](http://x.com "一个普通的标题")'),
    "real reference list": (
        "text",
        "正文。\n参考文献\n[1] 张三. 彻底治愈糖尿病的研究. 中华医学杂志, 2020.\n",
    ),
}


#: Plain twins that are not the common ones below.
PLAIN: dict[str, str] = {"look-alike claim": "本品能根治糖尿病。"}


def _plain_twin(family: str, expected: list[tuple[str, str]]) -> str | None:
    """The undisguised text whose rules the family must give, when it has one."""
    if family in PLAIN:
        return PLAIN[family]
    rules = {rule for rule, _ in expected}
    if "claim" in family and CLAIM in rules:
        return CLAIM_TEXT
    if "contact" in family and WECHAT in rules:
        return CONTACT_TEXT
    if "phone" in family and PHONE in rules:
        return PHONE_TEXT
    return None


@pytest.mark.parametrize("family", list(CAUGHT))
def test_disguise_is_caught_at_the_disguised_characters(linter: Linter, family: str) -> None:
    fmt, text, expected = CAUGHT[family]
    found = flagged(linter, text, fmt)
    assert set(expected) <= set(found), found
    plain = _plain_twin(family, expected)
    if plain is not None and fmt == "text" and "\n" not in text:
        assert {rule for rule, _ in found} == {f.rule for f in linter.lint(plain)}, found


@pytest.mark.parametrize("family", list(CLEAN))
def test_clean_twin_stays_silent(linter: Linter, family: str) -> None:
    fmt, text = CLEAN[family]
    assert flagged(linter, text, fmt) == []


def test_an_unclosed_code_element_does_not_hide_the_next_block(linter: Linter) -> None:
    assert (CLAIM, "彻底治愈") in flagged(
        linter, "<p><code>x</p><p>本品能彻底治愈糖尿病。</p>", "html"
    )


# -- families caught by a rule or a filter, not by the readers: each says what catches it ------

CAUGHT_BY_RULES: dict[str, tuple[str, str, list[tuple[str, str]], str]] = {
    "spaced pinyin": (
        "text",
        "请加 wei xin: abc123",
        [(WECHAT, "加 wei xin: abc123")],
        "the messenger fragment allows spaces inside a pinyin or initials contact word (spaces "
        "between Latin letters separate words, so the normaliser cannot drop them)",
    ),
    "messaging link": (
        "html",
        '<a href="weixin://dl/chat?abc123">联系我们</a>',
        [(WECHAT, "weixin://dl/chat?abc123")],
        "the HTML reader keeps a messaging-app link target as prose, and contact-wechat flags "
        "a messaging app's link scheme",
    ),
    "fake context: 绝不是谣言": (
        "text",
        "本品能彻底治愈糖尿病，绝不是谣言。",
        [(CLAIM, "彻底治愈")],
        "a refutation negated right before it refutes nothing (context.base.undone)",
    ),
    "fake context: 网传……真相：确实能": (
        "text",
        "网传本品能根治糖尿病。真相：确实能根治。",
        [(CLAIM, "根治")],
        "a 真相 that confirms (确实能, 是真的) refutes nothing (context.base.undone)",
    ),
    "fake context: ……吗？能！": (
        "text",
        "本品能根治糖尿病吗？能！",
        [(CLAIM, "根治")],
        "the question filter keeps a claim whose question the next sentence answers yes",
    ),
}


@pytest.mark.parametrize("family", list(CAUGHT_BY_RULES))
def test_disguise_caught_by_a_rule(linter: Linter, family: str) -> None:
    fmt, text, expected, why = CAUGHT_BY_RULES[family]
    assert set(expected) <= set(flagged(linter, text, fmt)), why


def test_a_submission_cannot_switch_linting_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --no-inline-config (a platform's setting), a submission's own disable comment
    silences nothing."""
    path = tmp_path / "submission.md"
    path.write_text("<!-- healthlint-disable -->\n本品能彻底治愈糖尿病。\n", encoding="utf-8")
    assert main(["--no-inline-config", str(path)]) == 1
    assert "cure-promise" in capsys.readouterr().out
