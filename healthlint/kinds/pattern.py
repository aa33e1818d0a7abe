"""kind: pattern — regular expressions, for claims with a shape rather than a word.

"N天见效", "治愈率高达N%", a phone number written with any separators. A named group `hit`
narrows the flagged characters to the part that is wrong.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from healthlint.kinds.base import Compiler, Kind, Option, leftmost_longest, matches
from healthlint.matching.analysis import Analysis
from healthlint.matching.prefilter import Prefilters

OPTIONS = {
    "patterns": Option(
        list, items=str, doc="regexes (the `regex` module), run on the normalised text"
    )
}


class Pattern(Kind):
    name = "pattern"
    options = OPTIONS

    def __init__(self, options: Mapping[str, Any], compiler: Compiler) -> None:
        self.patterns = tuple(compiler.regex(p) for p in options["patterns"])

    def check(self, analysis: Analysis) -> Iterator[tuple[int, int]]:
        return leftmost_longest(matches(analysis, self.patterns, "hit"))

    def triggers(self, prefilters: Prefilters) -> frozenset[str] | None:
        return prefilters.required(self.patterns)
