"""Word boundaries from jieba, loaded only when a rule asks for them.

Importing jieba and building its prefix dictionary costs over a second, a hundred times
Python's own start, so nothing imports it until the first hit of a rule with
`word_boundary: true` needs checking, and then only that hit's sentence is segmented.
"""

from __future__ import annotations

import threading
from typing import Any


class Segmenter:
    """A lazily built jieba tokenizer, private to one Linter and safe across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokenizer: Any = None

    def _get(self) -> Any:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    import logging

                    import jieba

                    jieba.setLogLevel(logging.WARNING)
                    tokenizer = jieba.Tokenizer()
                    tokenizer.initialize()
                    self._tokenizer = tokenizer
        return self._tokenizer

    def boundaries(self, text: str) -> frozenset[int]:
        """Offsets in `text` where a word starts or ends."""
        edges = {0}
        pos = 0
        for token in self._get().cut(text, HMM=True):
            pos += len(token)
            edges.add(pos)
        return frozenset(edges)
