"""A rule's regex has one time budget per text, over all its calls.

The prefilter runs a regex near each of its literals, so a pattern that is slow at every `x`
of a text was called once per `x`, each call with a limit of its own: 52 s on 1.7 KB, and no
error. The budget now holds in total.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from healthlint import Config, Linter
from healthlint.errors import RuleTimeoutError
from healthlint.matching import analysis
from healthlint.matching.analysis import RegexBudget, RegexTimeout, timed_match

PACK = """rules:
  - id: slow-everywhere
    kind: pattern
    category: overclaim
    severity: error
    message: m
    basis: b
    patterns: ["x(?:a|aa)+y"]
    examples: {bad: [xaay], good: [无关]}
"""
#: Each `x` costs the pattern about 40 ms of backtracking; a hundred of them, four seconds.
SLOW_TEXT = ("x" + "a" * 26 + "b ") * 100


def test_many_calls_share_one_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis, "REGEX_SECONDS", 0.2)
    monkeypatch.setattr(analysis, "REGEX_SECONDS_PER_MILLION", 0.0)
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "slow.yaml").write_text(PACK, encoding="utf-8")
    linter = Linter(Config(rules_dirs=(str(packs),)))
    started = time.thread_time()
    with pytest.raises(RuleTimeoutError) as info:
        linter.lint("本品能彻底治愈糖尿病。\n" + SLOW_TEXT)
    spent = time.thread_time() - started
    assert info.value.rules == ("slow-everywhere",)
    assert "彻底治愈" in [f.text for f in info.value.findings]  # the other rules ran
    assert spent < 2.0, f"{spent:.2f}s of CPU: the budget of 0.2s did not hold"


def test_a_call_is_charged_its_own_thread_time() -> None:
    budget = RegexBudget(0)
    budget.left = 0.05
    import regex

    slow = regex.compile(r"x(?:a|aa)+y")
    timed_match(slow, "x" + "a" * 20 + "b", 0, budget=budget)  # a few ms
    assert 0 < budget.left < 0.05
    budget.left = 0.0
    with pytest.raises(RegexTimeout):
        timed_match(slow, "xaay", 0, budget=budget)  # nothing left: not even tried
