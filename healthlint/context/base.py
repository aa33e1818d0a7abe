"""What a filter sees and says: the candidate hit, the compiled cue lists, a drop's reason."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from healthlint.matching.analysis import Analysis
    from healthlint.matching.terms import TermIndex
    from healthlint.matching.vocabulary import Vocabulary
    from healthlint.rules.load import Rule


@dataclass(frozen=True)
class Cues:
    """The compiled cue lists by name, and the settings filters read (allow list, profile)."""

    lists: Mapping[str, Vocabulary]
    allowed: TermIndex | None = None  # the configured `allow` phrases, normalised
    profile: str = "auto"  # what the platform says it lints: auto, ad or article

    def __getitem__(self, name: str) -> Vocabulary:
        return self.lists[name]


@dataclass(frozen=True)
class Hit:
    """A candidate finding: `rule`'s span [start, end) in the matching text of `analysis`."""

    rule: Rule
    analysis: Analysis
    start: int
    end: int

    def cue(self, span: tuple[int, int] | None) -> str:
        """The text of a cue occurrence, for a drop's reason."""
        return self.analysis.text[span[0] : span[1]] if span else ""


@dataclass(frozen=True)
class Drop:
    """Why `filter` dropped a hit: a key of its `REASONS` and the text that decided."""

    filter: str
    reason: str
    cue: str = ""


#: How far after a refutation cue a confirmation may start and still undo it.
_NEAR = 3
_NOT = frozenset("不没非未")


def undone(hit: Hit, cues: Cues, span: tuple[int, int]) -> bool:
    """Whether a refutation cue at `span` is negated right before it (绝不是谣言, 并非谣言) or
    confirmed right after it (真相：确实能), so that it refutes nothing. Filters that read a
    refutation declare "negation" and "confirmation" in CUES."""
    lo, hi = span
    analysis = hit.analysis
    if any(lo - 1 <= end <= lo for _, end in _near(cues["negation"].occurrences(analysis), lo)):
        return True
    found = cues["confirmation"].occurrences(analysis)
    text = analysis.text
    return any(
        hi <= start <= hi + _NEAR and text[start - 1] not in _NOT  # 这不是真的 confirms nothing
        for start, _ in _near(found, hi + _NEAR + 1)
    )


def _near(spans: list[tuple[int, int]], before: int) -> list[tuple[int, int]]:
    """The few sorted spans that start shortly before `before`."""
    k = bisect.bisect_left(spans, (before, before))
    return spans[max(k - 8, 0) : k]
