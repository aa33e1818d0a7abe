"""What a filter sees and says: the candidate hit, the compiled cue lists, a drop's reason."""

from __future__ import annotations

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
