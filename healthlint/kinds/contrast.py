"""kind: contrast — the implied claim by contrast.

"传统治疗手段……却难以从根源上逆转……近年来干细胞治疗的出现，为这一僵局带来了革命性的转机":
the old treatment is said to fail at something so that the new one is implied to achieve it.
Read alone, the failure clause is a negation and every term rule stays quiet on it; this kind
flags the claimed outcome when a promotion of something new follows within a few sentences.
It is never negatable: the negation is the construction itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from healthlint.kinds.base import Compiler, Kind, Option, leftmost_longest
from healthlint.matching.analysis import Analysis
from healthlint.matching.prefilter import Prefilters

OPTIONS = {
    "failure": Option(
        list, items=str, doc="regexes for the failure clause, with a `claim` group to flag"
    ),
    "promotion": Option(
        list, items=str, doc="terms or `re:` regexes that promote the new treatment"
    ),
    "window": Option(
        int, 2, "how many sentences after the failure the promotion may come", minimum=0
    ),
}


class Contrast(Kind):
    name = "contrast"
    options = OPTIONS
    filters = ("quotation",)  # the negation is the construction itself

    def __init__(self, options: Mapping[str, Any], compiler: Compiler) -> None:
        self.failure = tuple(compiler.regex(p, groups=("claim",)) for p in options["failure"])
        self.promotion = compiler.vocabulary(options["promotion"])
        self.window = options["window"]

    def check(self, analysis: Analysis) -> Iterator[tuple[int, int]]:
        sentences = analysis.layout.sentences
        hits = []
        for pattern in self.failure:
            for m in analysis.finditer(pattern):
                k = analysis.layout.sentence_index(m.start())
                horizon = sentences[min(k + self.window, len(sentences) - 1)].end
                if self.promotion.within(analysis, m.end(), max(horizon, m.end())):
                    hits.append(m.span("claim"))
        return leftmost_longest(hits)

    def triggers(self, prefilters: Prefilters) -> frozenset[str] | None:
        return prefilters.required(self.failure)
