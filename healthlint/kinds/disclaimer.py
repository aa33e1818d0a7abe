"""kind: disclaimer — a document that gives health advice must say it is no medical advice.

Document-level: it fires once, when the text is long enough, gives advice (`advice` occurs
in at least `min_advice` distinct forms outside the reference list) and no `disclaimers`
phrase occurs anywhere, header or footer. The finding points at the first piece of advice,
so an editor sees what made the disclaimer necessary. That piece only places the finding:
a negation or quotation around it does not make the document any less in need of one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from healthlint.kinds.base import Compiler, Kind, Option
from healthlint.matching.analysis import Analysis
from healthlint.matching.prefilter import Prefilters

OPTIONS = {
    "advice": Option(
        list, items=str, doc="terms or `re:` regexes that show health or treatment advice"
    ),
    "min_advice": Option(int, 2, "distinct advice forms needed before the rule applies", minimum=1),
    "min_length": Option(int, 200, "shorter texts (in characters) are never judged", minimum=0),
    "disclaimers": Option(
        list, items=str, doc="terms or `re:` regexes that disclaim medical advice"
    ),
}


class Disclaimer(Kind):
    name = "disclaimer"
    options = OPTIONS
    filters = ()  # the hit only places a document-level finding

    def __init__(self, options: Mapping[str, Any], compiler: Compiler) -> None:
        self.advice = compiler.vocabulary(options["advice"])
        self.min_advice = options["min_advice"]
        self.min_length = options["min_length"]
        self.disclaimers = compiler.vocabulary(options["disclaimers"])

    def check(self, analysis: Analysis) -> Iterator[tuple[int, int]]:
        text = analysis.text
        if len(text) - text.count(" ") - text.count("\n") < self.min_length:
            return
        advice = [
            s for s in self.advice.occurrences(analysis) if not analysis.layout.in_references(s[0])
        ]
        if len({text[s:e] for s, e in advice}) < self.min_advice:
            return
        if self.disclaimers.within(analysis, 0, len(text)):
            return
        yield advice[0]

    def triggers(self, prefilters: Prefilters) -> frozenset[str] | None:
        return self.advice.triggers(prefilters)
