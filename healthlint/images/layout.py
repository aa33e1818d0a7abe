"""Reading order and joined text: from recognised lines to the text a person reads.

Both work on geometry alone (no OCR library), so the lint stage can call them on lines it
kept, and they can be tested without the optional extra.

Tilt. A photographed poster is often turned a few degrees; then the upright boxes of
neighbouring lines overlap and sorting by `top` interleaves them. The tilt of each line is
read off its character boxes (a least-squares line through their centres), the page's tilt is
the median over the lines long enough to tell, and all geometry below is taken in that
deskewed frame.

Order. A recursive XY cut: at each level the set is cut at the widest empty gap, a band gap
across the page (read top to bottom) or a column gap (read left to right) at least 1.5 line
heights wide; a set that cannot be cut is read row by row. A column gap whose two sides pair
up row by row with short text on the left ("电话" | "400-…") is a table, not two columns, and
is read by rows, and so is a lone line beside a column (a column holds two lines or more).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Box, TextLine

#: A column gap must be this many line heights wide.
COLUMN_GAP = 1.5
#: Consecutive lines further apart than this many line heights (of the smaller line) start a
#: new paragraph. Line boxes are about 1.3 em tall, so lines set at 1.2 to 1.8 em leave gaps
#: of 0 to 0.4 line heights, and a paragraph's extra space of an em or more gives over 0.75.
PARAGRAPH_GAP = 0.75
#: A line this many times taller or shorter than the previous starts a new paragraph.
SIZE_JUMP = 1.3
#: Within one row, a gap this many line heights wide separates two items.
ROW_ITEM_GAP = 2.0
#: Characters that end a sentence, and closers that may follow them.
SENTENCE_END = frozenset("。！？!?…")
CLOSERS = frozenset("”’」』）)】》\"'")


@dataclass(frozen=True)
class _Geo:
    """A line in the deskewed frame."""

    index: int
    left: float
    right: float
    top: float
    bottom: float
    chars: int

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def _centres(line: TextLine) -> list[tuple[float, float]]:
    boxes = [b for b, c in zip(line.char_boxes, line.text, strict=False) if not c.isspace()]
    return [b.centre for b in boxes] or [line.box.centre]


def _slope(line: TextLine) -> float | None:
    """dy/dx of the line's character centres, or None when the line is too short to tell."""
    pts = _centres(line)
    h = _char_height(line)
    if len(pts) < 3 or line.box.width < 3 * h:
        return None
    mx = statistics.fmean(p[0] for p in pts)
    my = statistics.fmean(p[1] for p in pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    if sxx <= 0:
        return None
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx


def _char_height(line: TextLine) -> float:
    heights = [
        b.height for b, c in zip(line.char_boxes, line.text, strict=False) if not c.isspace()
    ]
    return float(statistics.median(heights)) if heights else float(max(1, line.box.height))


def _char_width(line: TextLine) -> float:
    widths = [b.width for b, c in zip(line.char_boxes, line.text, strict=False) if not c.isspace()]
    return float(statistics.median(widths)) if widths else 0.0


def page_tilt(lines: Sequence[TextLine]) -> float:
    """The page's tilt in radians (positive: lines run downhill to the right)."""
    slopes = [s for s in map(_slope, lines) if s is not None]
    return math.atan(statistics.median(slopes)) if slopes else 0.0


def _geometry(lines: Sequence[TextLine]) -> list[_Geo]:
    theta = page_tilt(lines)
    c, s = math.cos(theta), math.sin(theta)
    out = []
    for i, line in enumerate(lines):
        pts = [(x * c + y * s, -x * s + y * c) for x, y in _centres(line)]
        h = _char_height(line) * c if line.char_boxes else float(line.box.height)
        half_w = _char_width(line) / 2 if line.char_boxes else line.box.width / 2
        cy = statistics.fmean(p[1] for p in pts)
        out.append(
            _Geo(
                i,
                min(p[0] for p in pts) - half_w,
                max(p[0] for p in pts) + half_w,
                cy - h / 2,
                cy + h / 2,
                len(line.text.strip()),
            )
        )
    return out


def _median_height(items: Sequence[_Geo]) -> float:
    return max(1.0, statistics.median(g.height for g in items))


def _band_cut(items: list[_Geo]) -> tuple[float, list[_Geo], list[_Geo]] | None:
    """The widest horizontal gap: (its height in pixels, the lines above, those below)."""
    ordered = sorted(items, key=lambda g: g.top)
    best: tuple[float, int] | None = None
    bottom = ordered[0].bottom
    for j in range(1, len(ordered)):
        g = ordered[j]
        # Slightly overlapping neighbours (25 % of the smaller height) are still cut apart:
        # detector boxes are padded, and tight line spacing makes them touch.
        tolerance = 0.25 * min(g.height, ordered[j - 1].height)
        if g.top >= bottom - tolerance and (best is None or g.top - bottom > best[0]):
            best = (g.top - bottom, j)
        bottom = max(bottom, g.bottom)
    if best is None:
        return None
    return best[0], ordered[: best[1]], ordered[best[1] :]


def _column_cut(items: list[_Geo], min_gap: float) -> tuple[float, list[_Geo], list[_Geo]] | None:
    """The widest vertical gap of at least `min_gap` with two lines or more on each side
    that is not the middle of a table: (its width, the lines left of it, those right)."""
    ordered = sorted(items, key=lambda g: g.left)
    cuts: list[tuple[float, int]] = []
    right = ordered[0].right
    for j in range(1, len(ordered)):
        if ordered[j].left - right >= min_gap:
            cuts.append((ordered[j].left - right, j))
        right = max(right, ordered[j].right)
    for gap, j in sorted(cuts, reverse=True):
        left_side, right_side = ordered[:j], ordered[j:]
        # A column holds at least two lines: a lone line beside others is an item of a row.
        if min(len(left_side), len(right_side)) < 2:
            continue
        if _is_table(left_side, right_side, min_gap / COLUMN_GAP):
            continue
        return gap, left_side, right_side
    return None


def _is_table(left: list[_Geo], right: list[_Geo], h: float) -> bool:
    """Two sides that pair up row by row, the left holding short labels."""
    small, big = sorted((left, right), key=len)
    paired = sum(1 for a in small if any(abs(a.cy - b.cy) < 0.3 * h for b in big))
    return paired >= 0.8 * len(small) and statistics.median(g.chars for g in left) <= 8


def _rows(items: list[_Geo]) -> list[_Geo]:
    ordered = sorted(items, key=lambda g: g.cy)
    rows: list[list[_Geo]] = []
    for g in ordered:
        if rows and abs(g.cy - statistics.fmean(r.cy for r in rows[-1])) < 0.5 * min(
            g.height, rows[-1][0].height
        ):
            rows[-1].append(g)
        else:
            rows.append([g])
    return [g for row in rows for g in sorted(row, key=lambda g: g.left)]


def _order(items: list[_Geo]) -> list[_Geo]:
    """Recursive XY cut, at the single widest gap of either direction each time, so that
    the rows of two columns under a title are not cut across both columns at once."""
    if len(items) <= 1:
        return items
    h = _median_height(items)
    band = _band_cut(items)
    column = _column_cut(items, COLUMN_GAP * h)
    if column is not None and (band is None or column[0] >= band[0]):
        return _order(column[1]) + _order(column[2])
    if band is not None:
        return _order(band[1]) + _order(band[2])
    return _rows(items)


def reading_order(lines: Sequence[TextLine]) -> list[TextLine]:
    """The lines in the order a person reads them: top to bottom, left to right, a column
    at a time, in the page's own deskewed frame (see the module's docstring)."""
    lines = list(lines)
    if len(lines) <= 1:
        return lines
    return [lines[g.index] for g in _order(_geometry(lines))]


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip()
    while stripped and stripped[-1] in CLOSERS:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in SENTENCE_END


def _latin(char: str) -> bool:
    # Letters only: a number wrapped over two lines ("9" / "8.6%") is one number, while
    # two words wrapped apart ("Vitamin" / "C") need their space back.
    return char.isascii() and char.isalpha()


def _separator(a: _Geo, b: _Geo, ta: str, tb: str) -> str:
    """What goes between line `a` and the next line `b`: "" or " " to continue, "\\n" to
    start a new paragraph."""
    h = max(a.height, b.height)
    continue_with = " " if _latin(ta.rstrip()[-1:]) and _latin(tb.lstrip()[:1]) else ""
    if max(a.height, b.height) > SIZE_JUMP * min(a.height, b.height):
        return "\n"
    if abs(a.cy - b.cy) < 0.5 * min(a.height, b.height):  # the same row
        return continue_with if b.left - a.right <= ROW_ITEM_GAP * h else "\n"
    if b.top < a.top or b.left > a.right or b.right < a.left:  # another column or block
        return "\n"
    if b.top - a.bottom > PARAGRAPH_GAP * min(a.height, b.height):
        return "\n"
    if _ends_sentence(ta) and a.right < b.right - 2 * h:  # a paragraph's short last line
        return "\n"
    return continue_with


def join_lines(lines: Sequence[TextLine]) -> tuple[str, list[tuple[int, int, int]]]:
    """The lines, taken in the order given (pass `reading_order`'s, as `ImageText.lines`
    is), joined into the text a person reads, and a map back to where each character came
    from.

    A line continues the one before it (nothing between them, or a space between two Latin
    letters) unless a new paragraph starts, marked by a single "\\n": after a wide vertical
    gap (over three quarters of the smaller line's height), at a font-size jump (over 1.3
    times), when the next line is in another column or block, or when a line ending a
    sentence (。！？) stops at least two characters short of the next, as a paragraph's last
    line does. So a sentence
    wrapped over three poster lines is one sentence to the linter, and "\\n" means a
    paragraph as in the linter's plain-text input.

    The map has one entry per character of the text: ``(line, start, end)`` says the
    character is ``lines[line].text[start:end]``; a separator that no line holds maps to the
    empty span at the end of the line before it, ``(line, len(text), len(text))``. The boxes
    of a finding's span ``text[a:b]`` are therefore those of the characters its entries
    name, ``lines[line].char_boxes[start:end]`` for each: see `span_boxes`.
    """
    lines = list(lines)
    geos = _geometry(lines) if lines else []
    parts: list[str] = []
    mapping: list[tuple[int, int, int]] = []
    previous: int | None = None
    for i, line in enumerate(lines):
        if not line.text:
            continue
        if previous is not None:
            sep = _separator(geos[previous], geos[i], lines[previous].text, line.text)
            end = len(lines[previous].text)
            parts.append(sep)
            mapping.extend((previous, end, end) for _ in sep)
        parts.append(line.text)
        mapping.extend((i, k, k + 1) for k in range(len(line.text)))
        previous = i
    return "".join(parts), mapping


def span_boxes(
    lines: Sequence[TextLine], mapping: Sequence[tuple[int, int, int]], start: int, end: int
) -> list[Box]:
    """One box per line touched by the joined text's span [start, end): the union of the
    character boxes of that line's characters in the span (a finding that wraps over two
    poster lines gets two boxes)."""
    per_line: dict[int, Box] = {}
    for line, a, b in mapping[start:end]:
        for box in lines[line].char_boxes[a:b]:
            per_line[line] = per_line[line].union(box) if line in per_line else box
    return [per_line[k] for k in sorted(per_line)]
