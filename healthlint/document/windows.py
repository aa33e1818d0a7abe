"""Windows over a long source: where to cut a text too long to analyse in one piece.

An analysis holds several times its text in memory (the matching text, its offset map, every
occurrence of every vocabulary word), so a 50 MB upload analysed whole needs gigabytes. Texts
longer than `WINDOW` characters are cut into windows of about that length, each ending at a
paragraph break (a blank line; in Markdown, one outside a fenced code block), else at a line
break, else after a sentence end, so that no clause, sentence or paragraph a rule reads is split.
Each window starts at the beginning of a line, so columns need no shifting.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

#: Texts up to this many characters are analysed whole.
WINDOW = 1_000_000
_SENTENCE_ENDS = "。！？!?；;"


@dataclass(frozen=True)
class Window:
    start: int  # offset of the window's first character in the source
    end: int
    line: int  # the number of line breaks before `start`


def windows(text: str, format: str, size: int = WINDOW) -> Iterator[Window]:
    """The windows of `text`, in order and covering it exactly; one when it is short."""
    start, line, fenced = 0, 0, False  # fenced: a Markdown code fence is open at `start`
    while start < len(text):
        if len(text) - start <= size:
            end = len(text)
        else:
            end = _cut(text, format, start, start + size, fenced)
        yield Window(start, end, line)
        line += text.count("\n", start, end)
        fenced ^= text.count("```", start, end) % 2 == 1
        start = end


def _cut(text: str, format: str, start: int, limit: int, fenced: bool) -> int:
    """Where the window from `start` ends: just after the last break before `limit`."""
    floor = start + (limit - start) // 2  # never a window less than half the size
    at = _paragraph_break(text, format, start, floor, limit, fenced)
    if at is None:
        at = text.rfind("\n", floor, limit)
        at = None if at < 0 else at + 1
    if at is None:
        ends = [text.rfind(mark, floor, limit) for mark in _SENTENCE_ENDS]
        best = max(ends)
        at = limit if best < 0 else best + 1
    return at


def _paragraph_break(
    text: str, format: str, start: int, floor: int, limit: int, fenced: bool
) -> int | None:
    """Just after the last blank line in [floor, limit), outside Markdown code fences."""
    at = text.rfind("\n\n", floor, limit)
    while at >= 0:
        cut = at + 2
        if format != "markdown" or fenced == (text.count("```", start, cut) % 2 == 1):
            return cut
        at = text.rfind("\n\n", floor, at)
    return None
