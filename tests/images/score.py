"""Score recognised text against what a poster drew: character accuracy and box error.

Shared by the tests and ``bench/images.py`` so both report the same numbers.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from .render import DrawnLine, Rect


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions and substitutions each cost 1)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _squash(text: str) -> str:
    # Spaces are not scored: the recognisers drop or add them between CJK and Latin text,
    # and a person reading the poster would not count them either.
    return "".join(text.split())


@dataclass(frozen=True)
class Found:
    """A recognised line reduced to what scoring needs (engine-independent)."""

    text: str
    box: Rect
    char_boxes: tuple[Rect, ...] = ()


def _centre(r: Rect) -> tuple[float, float]:
    return (r[0] + r[2]) / 2, (r[1] + r[3]) / 2


def assign(truth: Sequence[DrawnLine], found: Sequence[Found]) -> list[list[Found]]:
    """For each drawn line, the recognised lines that belong to it, left to right.

    A recognised line belongs to the drawn line with the glyph nearest its centre, if that
    glyph is within one font size of it (boxes of tilted lines overlap their neighbours',
    glyphs do not); a recognised line near no glyph is left out (see `char_accuracy`)."""
    groups: list[list[Found]] = [[] for _ in truth]
    for f in found:
        cx, cy = _centre(f.box)
        best: tuple[float, int] | None = None
        for i, line in enumerate(truth):
            for g in line.glyphs:
                if g is None:
                    continue
                gx, gy = _centre(g)
                d = ((gx - cx) ** 2 + (gy - cy) ** 2) ** 0.5 / line.size
                if best is None or d < best[0]:
                    best = (d, i)
        if best is not None and best[0] <= 1.0 + (f.box[2] - f.box[0]) / 2 / truth[best[1]].size:
            groups[best[1]].append(f)
    for g in groups:
        g.sort(key=lambda f: f.box[0])
    return groups


def char_accuracy(truth: Sequence[DrawnLine], found: Sequence[Found]) -> float:
    """1 − (edit distance summed over drawn lines + characters recognised outside every
    drawn line) / characters drawn; spaces ignored. 1.0 is perfect; it can go below 0."""
    groups = assign(truth, found)
    used = {id(f) for g in groups for f in g}
    errors = sum(len(_squash(f.text)) for f in found if id(f) not in used)
    total = 0
    for line, group in zip(truth, groups, strict=True):
        expected = _squash(line.text)
        total += len(expected)
        errors += edit_distance(expected, _squash("".join(f.text for f in group)))
    return 1.0 - errors / max(1, total)


@dataclass(frozen=True)
class BoxError:
    """Per matched character, in pixels: how far the estimated box's centre and its left
    and right edges lie from the drawn glyph's ink box."""

    centre_x: float
    centre_y: float
    left: float
    right: float
    size: int
    #: The glyph's ink lies within the box, give or take a tenth of the font size (at
    #: least 2 px) vertically, and its centre lies between the box's left and right edges.
    inside: bool


def box_errors(truth: Sequence[DrawnLine], found: Sequence[Found]) -> list[BoxError]:
    """Errors for every character that the recogniser read right, matched to its drawn
    glyph by aligning the line's recognised text with the drawn text."""
    out: list[BoxError] = []
    for line, group in zip(truth, assign(truth, found), strict=True):
        chars: list[tuple[str, Rect]] = []
        for f in group:
            if len(f.char_boxes) != len(f.text):
                continue
            chars.extend(
                (c, b) for c, b in zip(f.text, f.char_boxes, strict=False) if not c.isspace()
            )
        drawn = [(c, g) for c, g in zip(line.text, line.glyphs, strict=False) if g is not None]
        matcher = difflib.SequenceMatcher(
            a=[c for c, _ in drawn], b=[c for c, _ in chars], autojunk=False
        )
        for block in matcher.get_matching_blocks():
            for k in range(block.size):
                g = drawn[block.a + k][1]
                b = chars[block.b + k][1]
                (gx, gy), (bx, by) = _centre(g), _centre(b)
                slack = max(2.0, line.size * 0.1)
                inside = b[0] <= gx <= b[2] and b[1] - slack <= g[1] and g[3] <= b[3] + slack
                out.append(
                    BoxError(
                        abs(gx - bx),
                        abs(gy - by),
                        abs(g[0] - b[0]),
                        abs(g[2] - b[2]),
                        line.size,
                        inside,
                    )
                )
    return out
