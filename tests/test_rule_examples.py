"""Every rule's own examples: each bad one gives that rule's finding, each good one does not.

A `code` rule's examples are scannable codes (`qr: content`), given to `Linter.code_findings`."""

from __future__ import annotations

import pytest

from healthlint import Linter
from healthlint.kinds.code import parse_example
from healthlint.rules.load import default_rules_dir, load_rules

RULES = load_rules([default_rules_dir()]).rules
KINDS = {r.id: r.kind for r in RULES}
BAD = [
    pytest.param(r.id, e.text, e.flagged, id=f"{r.id}-bad{i}")
    for r in RULES
    for i, e in enumerate(r.bad)
]
GOOD = [
    pytest.param(r.id, text, id=f"{r.id}-good{i}") for r in RULES for i, text in enumerate(r.good)
]


@pytest.mark.parametrize(("rule", "text", "flagged"), BAD)
def test_bad_example_is_flagged(linter: Linter, rule: str, text: str, flagged: str | None) -> None:
    if KINDS[rule] == "code":
        assert rule in [f.rule for f in linter.code_findings(*parse_example(text))]
        return
    # the rule's own verdict, even where another rule reports the same characters
    hits = [c.finding for c in linter.trace(text) if c.finding.rule == rule and c.passed]
    assert hits, f"{rule} does not flag its bad example {text!r}"
    if flagged is not None:
        assert flagged in [f.text for f in hits], (
            f"{rule} flags {[f.text for f in hits]}, not {flagged!r}"
        )


@pytest.mark.parametrize(("rule", "text"), GOOD)
def test_good_example_is_not_flagged(linter: Linter, rule: str, text: str) -> None:
    if KINDS[rule] == "code":
        assert rule not in [f.rule for f in linter.code_findings(*parse_example(text))]
        return
    hits = [c.finding.text for c in linter.trace(text) if c.finding.rule == rule and c.passed]
    assert not hits, f"{rule} flags its good example {text!r} at {hits}"
