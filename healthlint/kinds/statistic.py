"""kind: statistic — a quantitative claim needs a citation.

A figure (81.3%, 5.02倍, 三成, 治愈率, p<0.05) is a finding when nothing in its sentence or
paragraph, nor the heading of its section, cites a source, or when its citation marker ([3],
【3】) points at no entry of the document's reference list. A paragraph (or, with
`back_reference_scope: section`, a section under a heading) that refers back to a study
(这项研究, 本次调查, 受试者, 对照组) reports the one cited before it, so a citation anywhere
earlier counts; a line naming the source of the whole text (来源：世界卫生组织) attributes every
figure in it. Dates, ages, doses and phone numbers are not statistics (`not_quantities`), and
the reference list itself is never linted.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from healthlint.kinds.base import Compiler, Kind, Option, leftmost_longest, matches
from healthlint.matching.analysis import Analysis
from healthlint.matching.prefilter import Prefilters

SCOPES = ("sentence", "paragraph")
OPTIONS = {
    "quantities": Option(
        list, items=str, doc="regexes of quantitative claims (a `hit` group narrows)"
    ),
    "not_quantities": Option(
        list, [], items=str, doc="regexes of figures that are not claims: dates, doses…"
    ),
    "citations": Option(list, items=str, doc="terms or `re:` regexes that cite a source"),
    "sources": Option(
        list, [], items=str, doc="terms or `re:` regexes that source the whole document"
    ),
    "back_references": Option(
        list, [], "terms that refer back to a study: then earlier citations count", items=str
    ),
    "back_reference_scope": Option(
        str,
        "paragraph",
        "where a back reference counts: paragraph, or section (under a heading)",
        choices=("paragraph", "section"),
    ),
    "markers": Option(
        list, [], items=str, doc="regexes of citation markers with a `ref` group: [1], 【2】"
    ),
    "scope": Option(
        str, "paragraph", "where a citation counts: sentence or paragraph", choices=SCOPES
    ),
}


class Statistic(Kind):
    name = "statistic"
    options = OPTIONS

    def __init__(self, options: Mapping[str, Any], compiler: Compiler) -> None:
        self.quantities = tuple(compiler.regex(p) for p in options["quantities"])
        self.not_quantities = compiler.vocabulary([f"re:{p}" for p in options["not_quantities"]])
        self.citations = compiler.vocabulary(options["citations"])
        self.sources = compiler.vocabulary(options["sources"])
        self.back_references = compiler.vocabulary(options["back_references"])
        self.back_reference_scope = options["back_reference_scope"]
        self.markers = tuple(compiler.regex(p, groups=("ref",)) for p in options["markers"])
        self.scope = options["scope"]

    def check(self, analysis: Analysis) -> Iterator[tuple[int, int]]:
        if self.sources and self.sources.within(analysis, 0, len(analysis.text)):
            return
        for start, end in leftmost_longest(matches(analysis, self.quantities, "hit")):
            if self.not_quantities.covering(analysis, start, end):
                continue
            lo, hi = analysis.scope(self.scope, start, end)
            if not self._cited(analysis, lo, hi):
                yield start, end

    def triggers(self, prefilters: Prefilters) -> frozenset[str] | None:
        return prefilters.required(self.quantities)

    def _cited(self, analysis: Analysis, lo: int, hi: int) -> bool:
        refs = [m.group("ref") for p in self.markers for m in analysis.finditer_between(p, lo, hi)]
        if refs:
            # A marker cites when it names an entry of the numbered reference list. A list
            # whose entries carry no numbers, or that was only partly recognised (some markers
            # of the paragraph resolve), cannot refute it.
            known = analysis.layout.references
            return not known or any(_listed(analysis, r) for r in refs)
        if self.citations.within(analysis, lo, hi):
            return True
        heading = analysis.layout.heading_over(lo)
        if self.back_references and self.back_references.within(
            analysis, *self._referring(analysis, lo, hi, heading is not None)
        ):
            return self.citations.within(analysis, 0, lo)
        return heading is not None and self.citations.within(analysis, *heading)

    def _referring(self, analysis: Analysis, lo: int, hi: int, headed: bool) -> tuple[int, int]:
        """Where a back reference counts: the paragraph, or the section under a heading (a
        text without headings would otherwise be one section)."""
        if self.back_reference_scope == "section" and headed:
            return analysis.layout.section_span(lo)
        return lo, hi


def _listed(analysis: Analysis, ref: str) -> bool:
    """Is `ref` an entry of the reference list, or at least written as one ([3], 【3】) there?

    The layout recognises entries line by line; a list laid out as "[3]" on one line and the
    source on the next is still a list that holds entry 3.
    """
    if ref in analysis.layout.references:
        return True
    start = analysis.layout.reference_start
    if start is None:
        return False
    text = analysis.text  # searched in place: a copy of the tail per marker grows quadratically
    return text.find(f"[{ref}]", start) >= 0 or text.find(f"【{ref}】", start) >= 0
