"""kind: claim — a claim found by its structure: parts from vocabularies, in order, close together.

A claim is what it says, not how one ad worded it: a predicate from one vocabulary with an
object from another in one clause (`@cure_verbs` × `@diseases`: 治疗颈椎病, 根治高血压), an
endorser with an endorsing verb (`@endorsers` × `@endorsing_verbs`: 协和专家推荐, 明星都在用), a
use, a duration and an outcome (吃了两个月……血压稳住了). Each part is a word list (terms, `re:`
regexes, `@vocabularies`) whose terms go into the shared one-pass index, so a vocabulary of
thousands of terms costs a bisect, never an alternation regex.

Consecutive parts may stand at most `gap` characters apart, and the whole claim inside one
clause (`within: clause`) or one sentence; `order: any` also accepts two parts the other way
round (血压降下来 as well as 降血压). The flagged span runs from the first part to the last, or
covers one part only (`flag: 0` for the first). Negation, questions, refutation and the
register a rule asks for are the context filters' business, as for every kind.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from typing import Any

from healthlint.kinds.base import NOT_WITHIN, Compiler, Kind, Option, leftmost_longest, outside
from healthlint.matching.analysis import Analysis
from healthlint.matching.prefilter import Prefilters
from healthlint.matching.vocabulary import Vocabulary

OPTIONS = {
    "parts": Option(
        list, doc="word lists, in order: each a list of terms, `re:` or `@name`", items=list
    ),
    "gap": Option(int, 4, "most characters between two consecutive parts", minimum=0),
    "within": Option(
        str,
        "clause",
        "the claim stays inside one clause or sentence",
        choices=("clause", "sentence"),
    ),
    "order": Option(
        str, "fixed", "fixed, or any (two parts, either way round)", choices=("fixed", "any")
    ),
    "flag": Option((str, int), "all", "flag all parts, or only the part with this index"),
    "between": Option(
        str, None, "a regex the text between two parts must match whole (default: any text)"
    ),
    "not_within": NOT_WITHIN,
}
#: Characters a claim never spans inside a clause: the clause marks of `Analysis.clause`,
#: except the enumeration comma (颈椎病、肩周炎都有奇效 is one claim about two diseases).
_CLAUSE_MARKS = frozenset(",，:：;；()（）【】[]\n。!?…")
_SENTENCE_MARKS = frozenset("\n。!?;…")


class Claim(Kind):
    name = "claim"
    options = OPTIONS

    def __init__(self, options: Mapping[str, Any], compiler: Compiler) -> None:
        parts = options["parts"]
        if len(parts) < 2:
            raise ValueError("a claim needs at least two parts")
        if options["order"] == "any" and len(parts) != 2:
            raise ValueError("order: any needs exactly two parts")
        flag = options["flag"]
        if flag != "all" and not (isinstance(flag, int) and 0 <= flag < len(parts)):
            raise ValueError("flag is all or the index of a part")
        self.parts: tuple[Vocabulary, ...] = tuple(compiler.vocabulary(list(p)) for p in parts)
        self.gap = options["gap"]
        self.clause = options["within"] == "clause"
        self.reverse = options["order"] == "any"
        self.flag = None if flag == "all" else flag
        between = options["between"]
        self.between = None if between is None else compiler.regex(between)
        self.not_within = compiler.vocabulary(options["not_within"])

    def check(self, analysis: Analysis) -> Iterator[tuple[int, int]]:
        spans = [part.occurrences(analysis) for part in self.parts]
        if self.not_within:  # the 通 of 普通感冒 begins no claim
            spans[0] = outside(spans[0], self.not_within.occurrences(analysis))
        hits = list(self._chains(analysis, spans))
        if self.reverse:
            hits += [(s, e) for s, e in self._chains(analysis, spans[::-1], reverse=True)]
        return leftmost_longest(hits)

    def triggers(self, prefilters: Prefilters) -> frozenset[str] | None:
        """Every part must occur, so the rarest part's strings are what a text must hold."""
        found = [part.triggers(prefilters) for part in self.parts]
        known = [f for f in found if f is not None]
        return min(known, key=len) if known else None

    def _chains(
        self, analysis: Analysis, spans: list[list[tuple[int, int]]], *, reverse: bool = False
    ) -> Iterator[tuple[int, int]]:
        """Spans where the parts follow one another, each within `gap` of the one before."""
        starts = [[s for s, _ in part] for part in spans]
        text = analysis.text
        for first in spans[0]:
            chain = [first]
            for k in range(1, len(spans)):
                found = self._next(text, chain[-1][1], spans[k], starts[k])
                if found is None:
                    break
                chain.append(found)
            else:
                if self.flag is None:
                    yield chain[0][0], chain[-1][1]
                else:
                    part = chain[len(chain) - 1 - self.flag] if reverse else chain[self.flag]
                    yield part

    def _next(
        self, text: str, after: int, spans: list[tuple[int, int]], starts: list[int]
    ) -> tuple[int, int] | None:
        """The first occurrence starting `gap` or fewer characters after `after`, with nothing
        between that ends the clause (or the sentence); of several starting there, the longest
        (降血糖 rather than 降血)."""
        k = bisect.bisect_left(starts, after)
        marks = _CLAUSE_MARKS if self.clause else _SENTENCE_MARKS
        while k < len(spans) and spans[k][0] <= after + self.gap:
            between = text[after : spans[k][0]]
            if not marks.intersection(between) and (
                self.between is None or self.between.fullmatch(between)
            ):
                last = bisect.bisect_right(starts, spans[k][0]) - 1
                return spans[last]  # sorted by (start, end): the last one there is the longest
            k += 1
        return None
