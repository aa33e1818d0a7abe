"""The matching text: one canonical spelling, so rules see through disguises.

Full-width forms become half-width, letters lower case, traditional characters simplified
(OpenCC t2s), and the characters that disguise a word are dropped: zero-width characters,
spaces and decorations between two Chinese characters (彻 底 治 愈, 根·治), spaces between
digits (138 0013 8000). Every step either maps one character to one character or deletes
characters, so `OffsetMap` can map each matching-text index back to exactly one source index.
"""

from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

_FOLD = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}  # ASCII → its full-width form
_TABLE = str.maketrans(
    {
        **{chr(full): chr(ascii_).lower() for ascii_, full in _FOLD.items()},
        **{chr(c): chr(c).lower() for c in range(ord("A"), ord("Z") + 1)},
        "\u3000": " ",
        "\u00a0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\t": " ",
        "\u2014": "-",  # — em dash, as in "胰岛素样生长因子 – 1"
        "\u2013": "-",
        "\u2212": "-",
        "\u00b7": "·",
        "\u30fb": "·",
        "\u2027": "·",
        "\u2022": "·",
    }
)
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_DROP = re.compile(
    r"[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\ufe0e\ufe0f]"  # zero-width, BOM, variation selectors
    rf"|(?<=[{_HAN}])[ ·*_~|\-★☆♥❤♡♪✿❀◆◇■□▲△●○]+(?=[{_HAN}])"  # disguise between Han
    r"|(?<=\d) +(?=\d)"  # 138 0013 8000
    r"|\r(?=\n)"  # CRLF reads as LF, so every character count is the same for both
)


@dataclass(frozen=True)
class OffsetMap:
    """Maps matching-text indices to source indices; built from the runs that were kept."""

    norm_starts: tuple[int, ...]
    source_starts: tuple[int, ...]

    def to_source(self, index: int) -> int:
        k = bisect.bisect_right(self.norm_starts, index) - 1
        return self.source_starts[k] + index - self.norm_starts[k]

    def to_norm(self, index: int) -> int:
        """The matching-text index of a source index (of the next kept character if dropped)."""
        k = bisect.bisect_right(self.source_starts, index) - 1
        run_end = self.norm_starts[k + 1] if k + 1 < len(self.norm_starts) else None
        norm = self.norm_starts[k] + index - self.source_starts[k]
        return min(norm, run_end) if run_end is not None else norm

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """A matching-text span [start, end) as the source span from its first to last char."""
        return self.to_source(start), self.to_source(end - 1) + 1


@dataclass(frozen=True)
class Normalized:
    text: str
    offsets: OffsetMap


def normalize(prose: str) -> Normalized:
    """The matching text of `prose` and the map back to it."""
    folded = prose.translate(_TABLE)
    norm_starts, source_starts, pieces = [0], [0], []
    kept = 0
    done = 0
    for m in _DROP.finditer(folded):
        pieces.append(folded[done : m.start()])
        kept += m.start() - done
        done = m.end()
        norm_starts.append(kept)
        source_starts.append(done)
    pieces.append(folded[done:])
    text = _simplify("".join(pieces))
    return Normalized(text, OffsetMap(tuple(norm_starts), tuple(source_starts)))


_converter_lock = threading.Lock()


@lru_cache(maxsize=1)
def _converter() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def _simplify(text: str) -> str:
    """Traditional → simplified, keeping the length (line by line, then character by character)."""
    if text.isascii():
        return text
    with _converter_lock:  # the OpenCC binding gives no thread-safety promise
        converter = _converter()
        converted = converter.convert(text)  # type: ignore[attr-defined]
        if len(converted) == len(text):
            return converted
        lines = text.split("\n")
        out = []
        for line in lines:
            simple = converter.convert(line)  # type: ignore[attr-defined]
            if len(simple) != len(line):
                chars = (converter.convert(c) for c in line)  # type: ignore[attr-defined]
                simple = "".join(s if len(s) == 1 else c for s, c in zip(chars, line, strict=True))
            out.append(simple)
        return "\n".join(out)
