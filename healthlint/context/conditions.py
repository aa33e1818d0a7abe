"""conditions: a rule's `requires` (all must hold) and `unless` (none may hold) around a hit.

A condition holds when one of its words occurs within its scope: the clause, sentence,
paragraph or document of the hit, or a window of characters either side within the sentence;
`side: before` or `after` looks only on that side of the hit (the hit itself excluded).
The engine reads the same conditions for `escalate`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from healthlint.context.base import Cues, Drop, Hit

if TYPE_CHECKING:
    from healthlint.matching.analysis import Analysis
    from healthlint.rules.load import Condition

NAME = "conditions"
CUES: tuple[str, ...] = ()
REASONS = {
    "requires": {"zh": "缺少必需的上下文（{cue}）", "en": "a required context is missing ({cue})"},
    "unless": {
        "zh": "上下文中有排除词“{cue}”",
        "en": "an excluding context word “{cue}” is present",
    },
}


def occurrence(
    condition: Condition, analysis: Analysis, start: int, end: int
) -> tuple[int, int] | None:
    """Where one of the condition's words occurs in its scope around [start, end), or None."""
    lo, hi = analysis.scope(condition.scope, start, end, condition.window)
    if condition.side == "before":
        hi = start
    elif condition.side == "after":
        lo = end
    return condition.vocabulary.first_within(analysis, lo, hi)


def drops(hit: Hit, cues: Cues) -> Drop | None:
    analysis, start, end = hit.analysis, hit.start, hit.end
    for condition in hit.rule.requires:
        if occurrence(condition, analysis, start, end) is None:
            return Drop(NAME, "requires", condition.scope)
    for condition in hit.rule.unless:
        span = occurrence(condition, analysis, start, end)
        if span is not None:
            return Drop(NAME, "unless", hit.cue(span))
    return None
