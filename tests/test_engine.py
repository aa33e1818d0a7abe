"""The engine's shared behaviour: context filters, config, suppressions, threads, pickling."""

from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import healthlint
from healthlint import Config, ConfigError, Linter, RuleError


@pytest.mark.parametrize(
    "text",
    [
        "目前糖尿病尚无法根治。",
        "这种药并不能彻底治愈高血压。",
        "网传“吃苦瓜能根治糖尿病”，这是谣言。",
        "干细胞疗法能否根治糖尿病？",
        "《广告法》规定，广告不得使用“根治”等用语。",
        "包治百病、药到病除是骗局。",
    ],
)
def test_negated_hedged_debunked_and_quoted_claims_are_not_findings(
    linter: Linter, text: str
) -> None:
    assert not [f for f in linter.lint(text) if f.category == "overclaim"], text


def test_the_same_claim_unnegated_is_a_finding(linter: Linter) -> None:
    # two problems: a guaranteed cure (彻底治愈) and a claim to treat a disease
    found = [(f.rule, f.text) for f in linter.lint("这种药能彻底治愈高血压。")]
    assert found == [("cure-promise", "彻底治愈"), ("disease-claim", "彻底治愈高血压")]


def test_disguised_and_traditional_forms_point_at_original_characters(linter: Linter) -> None:
    for text, flagged in (
        ("本品能彻 底 治 愈糖尿病", "彻 底 治 愈"),
        ("本品可徹底治癒糖尿病", "徹底治癒"),
        ("根·治高血压", "根·治"),
    ):
        findings = [f for f in linter.lint(text) if f.rule == "cure-promise"]
        assert [f.text for f in findings] == [flagged]
        assert text[findings[0].start : findings[0].end] == flagged


def test_finding_fields(linter: Linter) -> None:
    (finding,) = [
        f for f in linter.lint("第一行\n这款产品能彻底治愈糖尿病") if f.rule == "cure-promise"
    ]
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (2, 6, 2, 9)
    assert (finding.start, finding.end, finding.text) == (9, 13, "彻底治愈")
    assert finding.category == "overclaim" and finding.severity == "error"
    assert finding.basis and finding.suggestion and finding.message
    with pytest.raises(AttributeError):
        finding.rule = "x"  # type: ignore[misc]


def test_escalation_in_commercial_context(linter: Linter) -> None:
    plain = linter.lint("这是革命性的疗法。")
    selling = linter.lint("这是革命性的疗法。扫码添加官方微信预约。")
    assert [f.severity for f in plain if f.rule == "revolutionary-claim"] == ["warning"]
    assert [f.severity for f in selling if f.rule == "revolutionary-claim"] == ["error"]


def test_select_ignore_severity_allow_and_language() -> None:
    text = "这款产品能彻底治愈糖尿病。给我点个赞！"
    assert {f.category for f in Linter(Config(select=("share-solicitation",))).lint(text)} == {
        "share-solicitation"
    }
    assert {f.category for f in Linter(Config(ignore=("overclaim",))).lint(text)} == {
        "share-solicitation"
    }
    assert {
        f.severity
        for f in Linter(Config(severity={"overclaim": "info"})).lint(text)
        if f.category == "overclaim"
    } == {"info"}
    assert not [
        f for f in Linter(Config(allow=("彻底治愈糖尿病",))).lint(text) if f.category == "overclaim"
    ]
    english = Linter(Config(language="en")).lint(text)
    assert all(f.message.isascii() for f in english)


def test_unknown_rule_names_are_refused() -> None:
    with pytest.raises(ConfigError, match="no-such-rule"):
        Linter(Config(ignore=("no-such-rule",)))


def test_inline_suppressions(linter: Linter) -> None:
    text = (
        "<!-- healthlint-disable-next-line cure-promise, disease-claim -->\n"
        "本品能彻底治愈糖尿病。\n"
        "本品能彻底治愈高血压。<!-- healthlint-disable-line overclaim -->\n"
        "<!-- healthlint-disable -->\n根治痛风。\n<!-- healthlint-enable -->\n"
        "根治失眠。\n"
    )
    findings = linter.lint(text, format="markdown")
    assert [f.text for f in findings] == ["根治", "根治失眠"]
    assert {f.line for f in findings} == {7}


def test_threads_give_serial_results(linter: Linter) -> None:
    texts = [
        p.read_text(encoding="utf-8")
        for p in sorted(Path(__file__).parents[1].glob("examples/*.txt"))
    ]
    texts += ["这款产品能彻底治愈糖尿病，永不复发！", "目前糖尿病尚无法根治。"] * 20
    fresh = Linter()
    serial = [fresh.lint(t) for t in texts]
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(fresh.lint, texts * 3)) == serial * 3


def test_linter_pickles_as_its_config() -> None:
    linter = Linter(Config(ignore=("share-solicitation",)))
    clone = pickle.loads(pickle.dumps(linter))
    assert clone.config == linter.config
    assert clone.lint("给我点个赞，彻底治愈！") == linter.lint("给我点个赞，彻底治愈！")


def test_rules_metadata(linter: Linter) -> None:
    ids = [r.id for r in linter.rules]
    assert len(ids) == len(set(ids))
    assert all(r.category in healthlint.CATEGORIES and r.message and r.basis for r in linter.rules)


def test_user_rule_pack(tmp_path: Path) -> None:
    (tmp_path / "house.yaml").write_text(
        """
rules:
  - id: house-miracle
    kind: term
    category: overclaim
    severity: warning
    message: 本社禁用“神奇”。
    basis: 编辑部规范
    terms: [神奇功效]
    examples: {bad: [具有神奇功效], good: [没有神奇功效]}
""",
        encoding="utf-8",
    )
    linter = Linter(Config(rules_dirs=(str(tmp_path),)))
    # on the same characters as a shipped rule of its category and severity, the user's wins
    assert "house-miracle" in [f.rule for f in linter.lint("本品具有神奇功效。")]


RULE = """rules:
  - id: x
    kind: term
    category: overclaim
    severity: error
    message: m
    basis: b
    terms: [a]
    examples: {bad: [a], good: [b]}
"""


@pytest.mark.parametrize(
    ("pack", "message"),
    [
        ("rules:\n  - id: x\n    kind: [unclosed\n", "invalid YAML"),
        (RULE.replace("kind: term", "kind: nonsense"), "unknown kind"),
        (RULE.replace("category: overclaim", "category: spam"), "'category' cannot be 'spam'"),
        (
            RULE.replace("kind: term", "kind: pattern").replace("terms: [a]", "patterns: ['(']"),
            "invalid regex",
        ),
        (RULE.replace("terms: [a]", "terms: [a]\n    tems: [b]"), "unknown option 'tems'"),
        (RULE.replace("severity: error", "severity: fatal"), "'severity' cannot be 'fatal'"),
        (RULE.replace("terms: [a]", "terms: ['@nowhere']"), "unknown lexicon list @nowhere"),
        (RULE.replace("terms: [a]", "terms: [a]\n    fix: {replace: ''}"), "fix must be"),
        (RULE.replace("terms: [a]", "terms: [a]\n    fix: remove"), "fix must be"),
        (RULE.replace("terms: [a]", "terms: [a]\n    fix: {replace: a, x: 1}"), "fix must be"),
    ],
)
def test_broken_packs_name_file_and_line(tmp_path: Path, pack: str, message: str) -> None:
    (tmp_path / "broken.yaml").write_text(pack, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        Linter(Config(rules_dirs=(str(tmp_path),)))
    text = str(caught.value)
    assert message in text and "broken.yaml:" in text and "\n" not in text


def test_word_boundaries_come_from_jieba_only_when_asked(tmp_path: Path) -> None:
    (tmp_path / "boundary.yaml").write_text(
        RULE.replace("terms: [a]", "terms: [根治]\n    word_boundary: true").replace(
            "id: x", "id: root-cure"
        ),
        encoding="utf-8",
    )
    linter = Linter(Config(rules_dirs=(str(tmp_path),), default_rules=False))
    assert [f.text for f in linter.lint("本品能根治糖尿病。")] == ["根治"]
    assert linter.lint("患者接受了根治性切除术。") == []


def test_a_hedge_in_another_clause_does_not_hide_a_claim(linter: Linter) -> None:
    found = [f.text for f in linter.lint("本品有助于改善睡眠，更能彻底治愈失眠。")]
    assert found == ["有助于改善睡眠", "彻底治愈", "彻底治愈失眠"]
    assert linter.lint("这种疗法或许能根治糖尿病。") == []


def test_crlf_and_fixes_do_not_change_what_is_found(linter: Linter) -> None:
    lf = linter.lint("加微信\n\n扫码添加微信")
    crlf = linter.lint("加微信\r\n\r\n扫码添加微信")
    assert [f.rule for f in lf] == [f.rule for f in crlf] == ["contact-wechat", "qr-contact"]
    for text in ("彻底治愈?点个赞。", "彻底治愈?。"):  # a question, whatever follows its mark
        assert "cure-promise" not in [f.rule for f in linter.lint(text)]
