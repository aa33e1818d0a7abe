"""Everything the rule kinds share about one text, computed at most once.

An `Analysis` is built per `Linter.lint` call and thrown away after it: the matching text,
its layout, the occurrences of every indexed term, regex matches and word boundaries, each
computed lazily on first use. Nothing in it outlives the call, so a Linter stays thread-safe.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, TypeVar

import regex

from healthlint.document import Document
from healthlint.document.normalize import Normalized
from healthlint.document.segment import Segmenter
from healthlint.document.sentences import Layout
from healthlint.matching.prefilter import Prefilters
from healthlint.matching.terms import TermIndex

T = TypeVar("T")
_CLAUSE_MARKS = re.compile(r"[,，、:：;；()（）【】\[\]\n。!?…]")
_CLAUSE_MAX = 80  # a clause longer than this is treated as ending here
# A regex whose matches can start only at its leading literals is tried at each of them, unless
# they are more than one in this many characters: then one scan costs less (each call of the
# regex module with a time limit costs a few microseconds; on the corpus 400 was the best).
_DENSE_STARTS = 400

# A rule's regex gets this long per text in total, over all its calls, plus
# REGEX_SECONDS_PER_MILLION per million characters, so a catastrophic pattern in a user's pack
# costs bounded time instead of hanging the run. The allowance is generous because the slowest
# shipped patterns take a few seconds per million characters on a busy machine, and a false
# time-out would drop a good rule.
REGEX_SECONDS = 2.0
REGEX_SECONDS_PER_MILLION = 10.0
#: Tries of one call, each with what is left of the budget (see `_timed`).
TRIES = 16


class RegexTimeout(Exception):
    """A rule regex ran past its time limit on this text (raised inside the engine only)."""

    def __init__(self, pattern: str, seconds: float) -> None:
        super().__init__(pattern, seconds)
        self.pattern = pattern
        self.seconds = seconds


class RegexBudget:
    """The time one regex may spend on one text, in total over all its calls: a pattern the
    prefilter runs in a thousand windows gets no more than one that runs once (a per-call
    limit let one pattern spend 52 s on a 1.7 KB text without a time-out)."""

    def __init__(self, text_length: int) -> None:
        self.seconds = REGEX_SECONDS + REGEX_SECONDS_PER_MILLION * text_length / 1_000_000
        self.left = self.seconds


def timed_finditer(
    pattern: regex.Pattern[str],
    text: str,
    pos: int = 0,
    endpos: int | None = None,
    *,
    budget: RegexBudget | None = None,
) -> list[regex.Match[str]]:
    """All matches of `pattern` in `text[pos:endpos]`, or `RegexTimeout` past the budget
    (default: a budget of its own for this one call)."""
    end = len(text) if endpos is None else endpos
    return _timed(
        pattern,
        budget or RegexBudget(len(text)),
        lambda limit: list(pattern.finditer(text, pos, end, timeout=limit)),
    )


def timed_match(
    pattern: regex.Pattern[str], text: str, pos: int, *, budget: RegexBudget | None = None
) -> regex.Match[str] | None:
    """`pattern.match(text, pos)` under the same budget as `timed_finditer`."""
    return _timed(
        pattern,
        budget or RegexBudget(len(text)),
        lambda limit: pattern.match(text, pos, timeout=limit),
    )


def _timed(pattern: regex.Pattern[str], budget: RegexBudget, call: Callable[[float], T]) -> T:
    """`call(limit)` with what is left of `budget`, charged with the CPU time this thread spent.

    The `regex` module measures its limit in the process's CPU time (C `clock()`), which other
    threads of the process run up too, and so does a garbage collection during a search: a
    long property run once saw a 7 µs match time out. So the budget is charged with this
    thread's own CPU time, and a call that timed out while its thread had budget left is
    tried again with what is left. A pattern that is really too slow spends the budget once
    and is reported; one that met a busy moment answers on a later try.
    """
    for _ in range(TRIES):
        if budget.left <= 0:
            break
        started = time.thread_time()
        try:
            return call(budget.left)
        except TimeoutError:
            pass
        finally:
            budget.left -= time.thread_time() - started
    raise RegexTimeout(pattern.pattern, budget.seconds)


class Analysis:
    def __init__(
        self,
        document: Document,
        normalized: Normalized,
        layout: Layout,
        index: TermIndex,
        segmenter: Segmenter,
        prefilters: Prefilters,
    ) -> None:
        self.document = document
        self.text = normalized.text
        self.offsets = normalized.offsets
        self.layout = layout
        self._index = index
        self._segmenter = segmenter
        self._prefilters = prefilters
        self._cache: dict[Hashable, Any] = {}
        self._by_term: dict[str, list[tuple[int, int]]] | None = None
        self._candidates: dict[tuple[str, int], list[tuple[int, int]]] | None = None
        self._regex_matches: dict[tuple[str, int], list[regex.Match[str]] | RegexTimeout] = {}
        self._budgets: dict[tuple[str, int], RegexBudget] = {}

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]  # type: ignore[no-any-return]

    def _occurrences(self) -> dict[str, list[tuple[int, int]]]:
        """Every indexed term's spans, from one scan of the text."""
        if self._by_term is None:
            by_term: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for start, end, term in self._index.find(self.text):
                by_term[term].append((start, end))
            self._by_term = by_term
        return self._by_term

    def found_terms(self) -> frozenset[str]:
        """The indexed terms that occur in the text."""
        return self.cached("found terms", lambda: frozenset(self._occurrences()))

    def term_spans(self, terms: Iterable[str]) -> Iterator[tuple[int, int]]:
        """Occurrences of the given indexed terms, in no particular order. Only the terms found
        are looked up: a vocabulary may hold hundreds, a text a few of them."""
        by_term = self._occurrences()
        for term in self.found_terms().intersection(terms):
            yield from by_term[term]

    def finditer(self, pattern: regex.Pattern[str]) -> list[regex.Match[str]]:
        """All matches of a regex over the text, shared by every rule that uses it.

        With a prefilter the regex runs only around its required strings, and not at all
        when they are absent: most regexes on most texts. A time-out is remembered too, so a
        slow pattern shared by several rules costs its limit once.
        """
        key = (pattern.pattern, pattern.flags)
        matches = self._regex_matches.get(key)
        if matches is None:
            try:
                matches = self._matches(pattern, key)
            except RegexTimeout as exc:
                matches = exc
            self._regex_matches[key] = matches
        if isinstance(matches, RegexTimeout):
            raise matches
        return matches

    def budget(self, pattern: regex.Pattern[str]) -> RegexBudget:
        """The time `pattern` has left on this text, shared by all its calls."""
        key = (pattern.pattern, pattern.flags)
        if key not in self._budgets:
            self._budgets[key] = RegexBudget(len(self.text))
        return self._budgets[key]

    def finditer_between(
        self, pattern: regex.Pattern[str], pos: int, endpos: int
    ) -> list[regex.Match[str]]:
        """Matches of `pattern` in text[pos:endpos], charged to the pattern's budget."""
        return timed_finditer(pattern, self.text, pos, endpos, budget=self.budget(pattern))

    def _matches(self, pattern: regex.Pattern[str], key: tuple[str, int]) -> list[regex.Match[str]]:
        budget = self.budget(pattern)
        found = self._prefilters.by_key.get(key)
        if found is None:
            return timed_finditer(pattern, self.text, budget=budget)
        if self._candidates is None:
            self._candidates = self._prefilters.candidates(self._occurrences())
        spans = self._candidates.get(key)
        if not spans:
            return []
        if found.lead is not None:
            stops = self._stops(found.barriers) if found.count > 1 and found.barriers else ()
            starts = found.starts(spans, len(self.text), stops)
            if not starts:
                return []
            if found.lead == 0 and len(starts) * _DENSE_STARTS > len(self.text) - starts[0]:
                # Matches start only at these positions, and there are many of them: one scan
                # from the first finds the same matches for less than a call per position.
                return timed_finditer(pattern, self.text, starts[0], budget=budget)
            return self._match_at(pattern, starts, budget)
        stops = self._stops(found.barriers) if found.reach is None and found.barriers else ()
        windows = found.windows(len(self.text), spans, stops)
        return [
            m
            for lo, hi in windows
            for m in timed_finditer(pattern, self.text, lo, hi, budget=budget)
        ]

    def _match_at(
        self, pattern: regex.Pattern[str], starts: list[int], budget: RegexBudget
    ) -> list[regex.Match[str]]:
        """What `finditer` finds when matches can only start at `starts`: try each in
        order, skipping those inside the previous match."""
        matches = []
        end = 0
        for start in starts:
            if start < end:
                continue
            if (m := timed_match(pattern, self.text, start, budget=budget)) is not None:
                matches.append(m)
                end = max(m.end(), start + 1)
        return matches

    def _stops(self, barriers: str) -> list[int]:
        """Sorted offsets of the given characters in the text, found once per analysis."""
        return self.cached(
            ("stops", barriers),
            lambda: [m.start() for m in re.finditer(f"[{re.escape(barriers)}]", self.text)],
        )

    def scope(self, name: str, start: int, end: int, window: int = 0) -> tuple[int, int]:
        """The span of the clause, sentence, paragraph, window or document around a hit."""
        if name == "document":
            return 0, len(self.text)
        if name == "window":  # characters either side, never across a sentence boundary
            sentence = self.layout.sentence_at(start)
            return max(sentence.start, start - window), min(max(sentence.end, end), end + window)
        if name == "paragraph":
            return self.layout.paragraph_span(start)
        sentence = self.layout.sentence_at(start)
        if name == "sentence":
            return sentence.start, max(sentence.end, end)
        return self.clause(start, end)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """From the clause mark before `start` to the one at or after `end`, within the sentence."""
        sentence = self.layout.sentence_at(start)
        lo = max(sentence.start, start - _CLAUSE_MAX)
        before = [m.end() for m in _CLAUSE_MARKS.finditer(self.text, lo, start)]
        after = _CLAUSE_MARKS.search(self.text, end, min(max(sentence.end, end), end + _CLAUSE_MAX))
        return (before[-1] if before else lo), (
            after.start() if after else min(max(sentence.end, end), end + _CLAUSE_MAX)
        )

    def on_word_boundaries(self, start: int, end: int) -> bool:
        """True if [start, end) starts and ends where jieba puts word boundaries."""
        k = self.layout.sentence_index(start)
        sentence = self.layout.sentences[k]
        edges = self.cached(
            ("words", k),
            lambda: self._segmenter.boundaries(self.text[sentence.start : sentence.end]),
        )
        return start - sentence.start in edges and end - sentence.start in edges
