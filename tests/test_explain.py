"""`healthlint rules` and `healthlint explain RULE`, generated from the packs."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthlint import Config, Linter
from healthlint.context import suppression
from healthlint.formatters.explain import explain_text
from healthlint.frontends.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_rules_lists_every_rule_with_category_severity_and_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    lines = out.splitlines()
    rules = (*Linter().rules, *suppression.rules())  # and the notices about directives
    assert [line.split()[0] for line in lines[-2:]] == ["unused-suppression", "unknown-suppression"]
    assert len(lines) == len(rules)
    for line, rule in zip(lines, rules, strict=True):
        rule_id, category, severity, summary = line.split(maxsplit=3)
        assert (rule_id, category, severity) == (rule.id, rule.category, rule.severity)
        assert summary == " ".join(rule.message.split())


def test_rules_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--language", "en")
    assert code == 0
    for rule in Linter(Config(language="en")).rules:
        assert " ".join(rule.message.split()) in out


def test_explanation_of_every_rule_has_basis_examples_and_suppression() -> None:
    for info in Linter().rules:
        out = explain_text(info)
        assert out.startswith(f"{info.id} ({info.category}, {info.severity})\n")
        for part in (info.basis, *info.bad_examples, *info.good_examples):
            assert part in out, info.id
        assert f"<!-- healthlint-disable-next-line {info.id} -->" in out


def test_explain_command(capsys: pytest.CaptureFixture[str]) -> None:
    info = {r.id: r for r in Linter().rules}["cure-promise"]
    code, out, _ = run(capsys, "explain", "cure-promise")
    assert (code, out) == (0, explain_text(info))


def test_explain_headings_follow_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "explain", "cure-promise", "--language", "en")
    for heading in ("What it flags:", "Why:", "Flagged:", "Not flagged:", "How to suppress:"):
        assert heading in out


def test_explain_a_rule_the_config_ignores(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".healthlint.yaml").write_text("ignore: [cure-promise]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "explain", "cure-promise")
    assert code == 0 and out.startswith("cure-promise ")


def test_explain_says_what_fix_does(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "explain", "share-request", "--language", "en")
    assert "Fix (--fix):\n  deletes the flagged text\n" in out
    _, out, _ = run(capsys, "explain", "cure-promise", "--language", "en")
    assert "Fix (--fix)" not in out


def test_explain_unknown_rule_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", "no-such-rule")
    assert (code, out) == (2, "")
    assert "no-such-rule" in err and "healthlint rules" in err and "Traceback" not in err


def test_explain_needs_a_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "explain")
    assert code == 2 and err.count("\n") == 1
