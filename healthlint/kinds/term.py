"""kind: term — any of a list of words or phrases.

The workhorse for absolute terms, guarantees, share prompts and contact prompts. Terms are
literal (matched on the normalised text, so 徹底治癒 and 彻 底 治 愈 match 彻底治愈); the common
options `word_boundary` and `exceptions` keep 根治性切除术 and 第一产程 from matching.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from healthlint.kinds.base import NOT_WITHIN, Compiler, Kind, Option, leftmost_longest, outside
from healthlint.matching.analysis import Analysis
from healthlint.matching.prefilter import Prefilters

OPTIONS = {
    "terms": Option(
        list, items=str, doc="words or phrases; `re:` items are regexes, `@name` a lexicon list"
    ),
    "not_within": NOT_WITHIN,
}


class Term(Kind):
    name = "term"
    options = OPTIONS

    def __init__(self, options: Mapping[str, Any], compiler: Compiler) -> None:
        self.terms = compiler.vocabulary(options["terms"])
        self.not_within = compiler.vocabulary(options["not_within"])

    def check(self, analysis: Analysis) -> Iterator[tuple[int, int]]:
        found = self.terms.occurrences(analysis)
        if self.not_within:
            found = outside(found, self.not_within.occurrences(analysis))
        return leftmost_longest(found)

    def triggers(self, prefilters: Prefilters) -> frozenset[str] | None:
        return self.terms.triggers(prefilters)
