"""Offsets in Python characters ↔ the units editors count.

healthlint's findings are offsets into a `str`, that is, in code points. Editors count
otherwise: LSP positions are (line, character) with the character counted in UTF-16 code units
unless client and server agree on UTF-8 or UTF-32, and JavaScript strings index UTF-16 code
units. A character outside the Basic Multilingual Plane — an emoji, a rare CJK ideograph from
extension B such as 𠀀 — is one code point but two UTF-16 units, so every finding after one
would be shifted by one column without this conversion.

Lines are split the way LSP splits them: at ``\\n``, ``\\r\\n`` and ``\\r`` only (not at
U+2028 or a form feed, where `str.splitlines` would), which is also how healthlint counts
lines.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"
ENCODINGS = (UTF8, UTF16, UTF32)

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def astral_offsets(text: str) -> list[int]:
    """Sorted offsets of the characters of `text` that take two UTF-16 code units."""
    return [m.start() for m in _ASTRAL.finditer(text)]


class Utf16Offsets:
    """Converts code-point offsets into `text` to UTF-16 offsets (what JavaScript indexes).

    Built once per text in O(n); each conversion is a binary search.
    """

    def __init__(self, text: str) -> None:
        self._astral = astral_offsets(text)

    def __call__(self, offset: int) -> int:
        """The UTF-16 offset of code-point `offset`."""
        return offset + bisect.bisect_left(self._astral, offset)


@dataclass(frozen=True)
class Position:
    """A zero-based line and a character counted in the encoding's code units (LSP's shape)."""

    line: int
    character: int


class LineIndex:
    """Line starts of one text, for converting offsets to LSP positions and back.

    `encoding` is the position encoding negotiated with the client: ``utf-16`` (LSP's
    default and the only one every client supports), ``utf-8`` or ``utf-32``.
    """

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        if encoding not in ENCODINGS:
            raise ValueError(f"unknown position encoding {encoding!r}")
        self.text = text
        self.encoding = encoding
        self.line_starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
        # Where each line's content ends (before its line break), for clamping.
        self._line_ends = [m.start() for m in _LINE_BREAK.finditer(text)] + [len(text)]

    def _units(self, start: int, end: int) -> int:
        chunk = self.text[start:end]
        if self.encoding == UTF32:
            return len(chunk)
        if self.encoding == UTF16:
            return len(chunk) + sum(1 for _ in _ASTRAL.finditer(chunk))
        return len(chunk.encode("utf-8", "surrogatepass"))

    def position(self, offset: int) -> Position:
        """The position of code-point `offset` (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return Position(line, self._units(self.line_starts[line], offset))

    def offset(self, position: Position) -> int:
        """The code-point offset of `position`.

        As the LSP specification asks, a character past the end of its line means the end of
        the line, and a line past the last means the end of the text. A position inside a
        character (between the two halves of a surrogate pair, inside a UTF-8 sequence) is
        taken as that character's start.
        """
        if position.line < 0:
            return 0
        if position.line >= len(self.line_starts):
            return len(self.text)
        start = self.line_starts[position.line]
        end = self._line_ends[position.line]
        wanted = max(0, position.character)
        if self.encoding == UTF32:
            return min(start + wanted, end)
        units = 0
        for index in range(start, end):
            char = self.text[index]
            width = (
                (2 if char > "\uffff" else 1)
                if self.encoding == UTF16
                else len(char.encode("utf-8", "surrogatepass"))
            )
            if units + width > wanted:
                return index
            units += width
        return end

    def range(self, start: int, end: int) -> tuple[Position, Position]:
        """The positions of a code-point span ``[start, end)``."""
        return self.position(start), self.position(end)


def apply_change(text: str, start: Position, end: Position, new: str, encoding: str) -> str:
    """`text` with the range from `start` to `end` (in `encoding` units) replaced by `new`:
    one incremental ``textDocument/didChange`` content change."""
    index = LineIndex(text, encoding)
    lo, hi = index.offset(start), index.offset(end)
    if hi < lo:
        lo, hi = hi, lo
    return text[:lo] + new + text[hi:]
