"""What a rule kind is: declared options, compiled once, then `check` on every text.

A kind module declares `OPTIONS` (option → `Option`) and a `Kind` subclass. `rules.py`
validates a rule's options against `OPTIONS` before the kind sees them, so `__init__` can trust
their types; `check` yields hit spans in matching-text offsets, and the engine applies the
context filters every kind shares (negation, quotes, conditions, suppressions).
"""

from __future__ import annotations

import bisect
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import regex

if TYPE_CHECKING:
    from healthlint.matching.analysis import Analysis
    from healthlint.matching.prefilter import Prefilters
    from healthlint.matching.vocabulary import Vocabulary

REQUIRED: Any = object()
#: The filters that tell a claim from a negated, refuted, reported, asked or quoted one.
CLAIM_FILTERS = ("negation", "refutation", "attribution", "question", "quotation")


@dataclass(frozen=True)
class Option:
    """One option: its YAML type(s), default (or REQUIRED), what it means, and constraints.

    `items` is the type of each item of a list; `choices` the allowed values of a scalar or of
    each item of a list; `minimum` the least allowed number. `healthlint.rules.schema` checks
    every rule against these declarations, so a kind's `__init__` can trust its options.
    """

    types: type | tuple[type, ...]
    default: Any = REQUIRED
    doc: str = ""
    items: type | tuple[type, ...] | None = None
    choices: tuple[Any, ...] | None = None
    minimum: int | None = None


class Compiler(Protocol):
    """What a kind may ask of the rule loader while compiling (errors name file and line)."""

    def vocabulary(self, items: list[str]) -> Vocabulary: ...

    def regex(self, pattern: str, *, groups: tuple[str, ...] = ()) -> regex.Pattern[str]: ...


class Kind(ABC):
    """A compiled rule of some kind; immutable, shared by every thread of a Linter."""

    name: ClassVar[str]
    options: ClassVar[Mapping[str, Option]]
    #: The context filters a rule of this kind runs unless its folder or itself says otherwise.
    filters: ClassVar[tuple[str, ...]] = CLAIM_FILTERS

    @abstractmethod
    def __init__(self, options: Mapping[str, Any], compiler: Compiler) -> None: ...

    @abstractmethod
    def check(self, analysis: Analysis) -> Iterator[tuple[int, int]]:
        """Yield (start, end) spans of candidate findings in the matching text."""

    def triggers(self, prefilters: Prefilters) -> frozenset[str] | None:
        """Indexed strings one of which a text must hold for `check` to find anything in it,
        so that the engine can skip the rule on most texts without asking it; None when
        unknown (the rule is always checked)."""
        return None

    def reports(self, kind: str, content: str | None) -> bool:
        """Whether a scannable code in a picture (`kind` "qr" or "miniprogram", `content`
        decoded or None) is a finding of this rule; only the `code` kind says yes."""
        return False


#: The option of the kinds whose hits may not start inside a longer word (`outside`).
NOT_WITHIN = Option(
    list,
    [],
    "longer words a hit, or a claim's first part, may not be part of (通 of 普通感冒, 第一 of "
    "第一次, 治失眠 of 根治失眠)",
    items=str,
)


def outside(found: list[tuple[int, int]], words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of `found` that are not part of a longer word of `words`: the 通 of 普通感冒,
    the 第一 of 第一次, the 治失眠 of 根治失眠 (`not_within`). A word covering a span's first
    character makes it part of that word unless the word is the span itself or a shorter
    word at its start (预防 does not excuse 预防龋齿). Both lists are sorted by start."""
    if not words:
        return found
    longest = max(e - s for s, e in words)
    starts = [s for s, _ in words]
    kept = []
    for s, e in found:
        k = bisect.bisect_right(starts, s) - 1  # the last word that starts at or before s
        inside = False
        while k >= 0 and starts[k] >= s - longest and not inside:
            ws, we = words[k]
            inside = we > s and (ws < s or we > e)
            k -= 1
        if not inside:
            kept.append((s, e))
    return kept


def leftmost_longest(spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Non-overlapping spans, preferring the earliest start and then the longest."""
    last_end = -1
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start >= last_end:
            last_end = end
            yield start, end


def matches(
    analysis: Analysis, patterns: tuple[regex.Pattern[str], ...], group: str
) -> list[tuple[int, int]]:
    """Spans of every match of `patterns`, narrowed to `group` where the pattern has it."""
    spans = []
    for pattern in patterns:
        narrow = group in pattern.groupindex
        for m in analysis.finditer(pattern):
            span = m.span(group) if narrow else m.span()
            if span[1] > span[0]:
                spans.append(span)
    return spans
