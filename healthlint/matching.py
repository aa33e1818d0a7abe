"""Find every occurrence of many literal strings in one pass.

All rules' terms, exceptions and context cues go into one index, so a text is scanned once
however many rules there are. The index reports overlapping occurrences (彻底治愈 and 治愈 at
once), because each rule picks its own hits independently of the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


class TermIndex:
    """Every occurrence of a fixed set of strings, overlapping ones included."""

    def __init__(self, terms: Iterable[str]) -> None:
        unique = sorted({t for t in terms if t}, key=lambda t: (-len(t), t))
        self.terms = frozenset(unique)
        # At each position the alternation (longest first) finds the longest term; the
        # shorter terms starting there are its prefixes that are terms too.
        self._pattern = (
            re.compile("(?=(" + "|".join(map(re.escape, unique)) + "))") if unique else None
        )
        self._prefixes = {
            t: tuple(t[:n] for n in range(len(t) - 1, 0, -1) if t[:n] in self.terms) for t in unique
        }

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, term) for every occurrence, by start then longest first."""
        if self._pattern is None:
            return
        for m in self._pattern.finditer(text):
            start, longest = m.start(), m.group(1)
            yield start, start + len(longest), longest
            for shorter in self._prefixes[longest]:
                yield start, start + len(shorter), shorter
