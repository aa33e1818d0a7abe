"""Markdown: prose only. Code, link targets, image URLs, HTML and front matter are blanked;
a link's or image's title (`[text](url "title")`), which readers see, is prose, a line of its own.

A regex and line scanner rather than a full CommonMark parser: it must never fail on broken
input and must keep every offset, and it only needs to know what is *not* prose.
"""

from __future__ import annotations

import re

from healthlint.document.model import Masked, blank

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n[\s\S]*?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)")
_HAN = re.compile(r"[\u3400-\u9fff]")
_ATX_HEADING = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")
_SETEXT_UNDERLINE = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_BLOCK_QUOTE = re.compile(r" {0,3}(?:>[ \t]?)+")

# Inline constructs, matched on text already free of code blocks. Each pattern names the
# parts to blank; everything else stays prose (link and image text, emphasised words).
_INLINE = re.compile(
    r"(?P<code>(?P<ticks>`+)[\s\S]*?(?P=ticks))"
    r"|(?P<comment><!--[\s\S]*?(?:-->|\Z))"
    r"|(?P<autolink><(?:https?|ftp|mailto):[^\s<>]*>)"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)"
    r"|(?P<target>\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*"
    r"(?:\s+(?P<title>\"[^\"\r\n]*\"|'[^'\r\n]*'))?\s*\))"
    r"|(?P<ref>\]\[[^\]\r\n]*\])"
    r"|(?P<opener>!?\[)"
    r"|(?P<emphasis>\*+|~~|(?<![A-Za-z0-9])_{1,3}|_{1,3}(?![A-Za-z0-9]))"
)
_CODE_SPAN = re.compile(r"(`+)[\s\S]*?\1")
_REF_DEFINITION = re.compile(r"^ {0,3}\[[^\]\r\n]+\]:[ \t]*\S+.*$", re.MULTILINE)


def mask(text: str) -> Masked:
    """Blank everything in `text` that is Markdown syntax or non-prose, keeping its length."""
    headings: list[tuple[int, int]] = []
    masked = _blocks_blanked(text, headings)
    inline: list[tuple[int, int]] = []
    breaks: list[int] = []
    for m in _INLINE.finditer(masked):
        if m.lastgroup in (None, "ticks"):
            continue
        title_start, title_end = m.span("title")
        if title_end - title_start > 2:  # a link title is shown: prose, a line of its own
            inline += ((m.start(), title_start + 1), (title_end - 1, m.end()))
            breaks += (title_start, title_end - 1)
        else:
            inline.append(m.span())
    return Masked(blank(masked, inline, breaks=breaks), tuple(headings))


def without_code(text: str) -> str:
    """`text` with front matter, code blocks, reference definitions and code spans blanked
    (same length): where the images a Markdown file shows are looked for."""
    masked = _blocks_blanked(text, [])
    return blank(masked, (m.span() for m in _CODE_SPAN.finditer(masked)))


def _blocks_blanked(text: str, headings: list[tuple[int, int]]) -> str:
    """`text` with front matter, code blocks, block markers and reference definitions blanked;
    the heading lines found are added to `headings`."""
    spans: list[tuple[int, int]] = []
    front = _FRONT_MATTER.match(text)
    if front:
        spans.append(front.span())
    _scan_blocks(text, front.end() if front else 0, spans, headings)
    spans.extend(m.span() for m in _REF_DEFINITION.finditer(text))
    return blank(text, spans)


def _scan_blocks(
    text: str, pos: int, spans: list[tuple[int, int]], headings: list[tuple[int, int]]
) -> None:
    """Find fenced and indented code, block-quote markers and headings, line by line."""
    fence: str | None = None
    fence_start = 0
    previous_blank = True
    previous: tuple[int, int] | None = None
    for m in _LINE.finditer(text, pos):
        if m.start() == m.end():
            break
        start, end = m.span()
        line = m.group().rstrip("\r\n")
        if fence is not None:
            closing = _FENCE.match(line)
            if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence):
                spans.append((fence_start, end))
                fence = None
            continue
        opening = _FENCE.match(line)
        if opening:
            fence, fence_start = opening.group(1), start
            continue
        is_blank = not line.strip()
        if line.startswith(("    ", "\t")) and previous_blank and not _HAN.search(line):
            spans.append((start, end))  # indented code; indented Chinese prose stays prose
            continue
        quote = _BLOCK_QUOTE.match(line)
        if quote and quote.end():
            spans.append((start, start + quote.end()))
        heading = _ATX_HEADING.match(line)
        if heading:
            spans.append((start, start + heading.end()))
            headings.append((start, start + len(line)))
        elif previous and not previous_blank and _SETEXT_UNDERLINE.match(line) and line.strip():
            spans.append((start, start + len(line)))
            headings.append(previous)
        previous_blank = is_blank
        previous = (start, start + len(line))
    if fence is not None:  # an unclosed fence runs to the end, as in CommonMark
        spans.append((fence_start, len(text)))
