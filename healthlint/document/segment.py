"""Word boundaries from rjieba (jieba-rs, jieba's dictionary and algorithm in Rust), loaded only
when a rule asks for them.

jieba itself took about 1.9 s and 70 MB to build its prefix dictionary, so every run with one
`word_boundary: true` rule cost a second; rjieba starts in about 0.3 s and cuts some 18 times
faster. Its boundaries between two Chinese characters are jieba's (measured on 1.06 million
characters of health text: no difference); the two differ only inside runs of digits and
punctuation (rjieba keeps 23-24 together), where no word-boundary rule looks. Nothing imports
it until the first hit of a rule with `word_boundary: true` needs checking, and then only that
hit's sentence is segmented.
"""

from __future__ import annotations

import threading
from typing import Any


class Segmenter:
    """A lazily loaded segmenter, private to one Linter and safe across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cut: Any = None

    def _get(self) -> Any:
        if self._cut is None:
            with self._lock:
                if self._cut is None:
                    import rjieba

                    self._cut = rjieba.cut
        return self._cut

    def boundaries(self, text: str) -> frozenset[int]:
        """Offsets in `text` where a word starts or ends."""
        edges = {0}
        pos = 0
        for token in self._get()(text, True):  # True: HMM for unknown words, as jieba's default
            pos += len(token)
            edges.add(pos)
        return frozenset(edges)
