"""Word lists as rules write them: literal terms, `re:` regexes and `@lexicon` references.

A `Vocabulary` is compiled once per Linter. Its literal terms go into the Linter's shared
`TermIndex`, so asking "does any of these words occur in this sentence?" costs a bisect, not a
scan, however many words and rules there are.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    from healthlint.matching.analysis import Analysis
    from healthlint.matching.prefilter import Prefilters

REGEX_PREFIX = "re:"


@dataclass(frozen=True)
class Vocabulary:
    """Literal terms (already normalised) and compiled regexes."""

    terms: frozenset[str]
    patterns: tuple[regex.Pattern[str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms or self.patterns)

    def triggers(self, prefilters: Prefilters) -> frozenset[str] | None:
        """Strings one of which a text holds wherever this vocabulary occurs in it: the terms
        and the regexes' required literals; None when a regex may match without one."""
        required = prefilters.required(self.patterns)
        return None if required is None else self.terms | required

    def occurrences(self, analysis: Analysis) -> list[tuple[int, int]]:
        """Every (start, end) where a term or pattern occurs, sorted; cached per analysis."""
        return analysis.cached(("vocabulary", id(self)), lambda: self._occurrences(analysis))

    def _occurrences(self, analysis: Analysis) -> list[tuple[int, int]]:
        spans = list(analysis.term_spans(self.terms))
        for pattern in self.patterns:
            spans.extend(m.span() for m in analysis.finditer(pattern) if m.end() > m.start())
        return sorted(spans)

    def within(self, analysis: Analysis, start: int, end: int) -> bool:
        """True if an occurrence lies wholly inside [start, end)."""
        return self.first_within(analysis, start, end) is not None

    def first_within(self, analysis: Analysis, start: int, end: int) -> tuple[int, int] | None:
        """The first occurrence lying wholly inside [start, end), or None."""
        spans = self.occurrences(analysis)
        k = bisect.bisect_left(spans, (start, start))
        while k < len(spans) and spans[k][0] < end:
            if spans[k][1] <= end:
                return spans[k]
            k += 1
        return None

    def covering(self, analysis: Analysis, start: int, end: int) -> bool:
        """True if an occurrence contains the whole span [start, end)."""
        return self.first_covering(analysis, start, end) is not None

    def first_covering(self, analysis: Analysis, start: int, end: int) -> tuple[int, int] | None:
        """An occurrence that contains the whole span [start, end), or None."""
        spans = self.occurrences(analysis)
        k = bisect.bisect_right(spans, (start, len(analysis.text) + 1))
        if not k:
            return None
        reach = analysis.cached(
            ("reach", id(self)), lambda: list(accumulate((e for _, e in spans), max))
        )
        if reach[k - 1] < end:
            return None
        while spans[k - 1][1] < end:  # the running maximum says one of these reaches `end`
            k -= 1
        return spans[k - 1]


def compile_vocabulary(
    items: list[str],
    *,
    lexicon: dict[str, list[str]],
    normalize: Callable[[str], str],
    compile_regex: Callable[[str], regex.Pattern[str]],
) -> Vocabulary:
    """Resolve `@name` references, normalise literal terms and compile `re:` items."""
    terms: set[str] = set()
    patterns: list[regex.Pattern[str]] = []
    for item in _expand(items, lexicon, seen=()):
        if item.startswith(REGEX_PREFIX):
            patterns.append(compile_regex(item[len(REGEX_PREFIX) :]))
        else:
            term = normalize(item)
            if term:
                terms.add(term)
    return Vocabulary(frozenset(terms), tuple(patterns))


def _expand(items: list[str], lexicon: dict[str, list[str]], seen: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item.startswith("@"):
            name = item[1:]
            if name in seen:
                raise KeyError(f"lexicon list @{name} refers to itself")
            if name not in lexicon:
                raise KeyError(f"unknown lexicon list @{name}")
            out.extend(_expand(lexicon[name], lexicon, (*seen, name)))
        else:
            out.append(item)
    return out
