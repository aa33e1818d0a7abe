"""Paragraphs, sentences, headings and the reference list of a matching text.

Several rule kinds reason per sentence or paragraph (a citation "in the same paragraph", a
negation "in the same clause"), so the layout is computed once per text. It works on the
matching text, where full-width punctuation is already folded to ASCII.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

_TERMINATORS = "。!?;…"
_OPENERS = "“「『﹁"
_CLOSERS = "”」』﹂"
_TRAILERS = _CLOSERS + ")）】\"'"
_BOUNDARY = re.compile(rf"\n|[{_TERMINATORS}]+|[{_OPENERS}{_CLOSERS}\"]|\.(?=\s|$|[\u3400-\u9fff])")
_MAX_QUOTE = 200  # an unclosed quote stops protecting its sentence after this many characters
_LINE_END = re.compile(r"[。!?;…:：\"”」』)）]\s*$")
_LINE = re.compile(r"[^\n]+")
_HEADING_END = re.compile(r"[。!?;…,，:：、.]\s*$")
_REFERENCES_HEADING = re.compile(
    r"^[\s#*>【\[]*(?:参考文献|参考资料|参考来源|参考书目|文献来源|引用文献|主要参考文献|文献|参考"
    r"|references?|bibliography|sources?|citations?)[\]】\s*]*[:：]?\s*$",
    re.IGNORECASE,
)
_ENTRY_NUMBER = re.compile(
    r"^\s*(?:\[(\d+)\]|【(\d+)】|\((\d+)\)|（(\d+)）|(\d+)\s*[、.．)）]\s*\S)"
)
#: What a reference has and a sentence of prose has not: an identifier, a link, a journal or
#: publisher, a document type mark ([J], [M]), or a year as citations write it (2020; 2020,
#: 2020. (2020)). A numbered line alone is no reference: `参考文献` followed by numbered
#: claims would otherwise hide them.
_ENTRY_LIKE = re.compile(
    r"doi|pmid|pmcid|et al|\[[jmdcnrsz]\]|https?://|www\.|journal|lancet|期刊|杂志|学报"
    r"|出版社|\b(?:19|20)\d{2}\s*[;,(.；，]|[(（](?:19|20)\d{2}",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int
    heading: bool
    reference: bool


@dataclass(frozen=True)
class Layout:
    """Where the sentences, paragraphs and reference list of one matching text are."""

    sentences: tuple[Sentence, ...]
    paragraphs: tuple[tuple[int, int], ...]
    references: frozenset[str]
    reference_start: int | None
    _starts: tuple[int, ...]
    _headings: tuple[int, ...]  # indexes of the paragraphs that are headings

    def sentence_at(self, index: int) -> Sentence:
        """The sentence holding `index` (or the nearest one before it)."""
        k = max(bisect.bisect_right(self._starts, index) - 1, 0)
        return self.sentences[k]

    def sentence_index(self, index: int) -> int:
        return max(bisect.bisect_right(self._starts, index) - 1, 0)

    def paragraph_span(self, index: int) -> tuple[int, int]:
        return self.paragraphs[self.sentence_at(index).paragraph]

    def heading_over(self, index: int) -> tuple[int, int] | None:
        """The span of the nearest heading before the paragraph holding `index`: the title
        of its section, which may name the source of what the section reports."""
        k = bisect.bisect_left(self._headings, self.sentence_at(index).paragraph) - 1
        return self.paragraphs[self._headings[k]] if k >= 0 else None

    def section_span(self, index: int) -> tuple[int, int]:
        """From the heading over the paragraph holding `index` (or the text's start) to the
        end of the last paragraph before the next heading (or the text's end)."""
        k = bisect.bisect_right(self._headings, self.sentence_at(index).paragraph)
        first = self._headings[k - 1] if k else 0
        last = self._headings[k] - 1 if k < len(self._headings) else len(self.paragraphs) - 1
        return self.paragraphs[first][0], self.paragraphs[max(first, last)][1]

    def in_references(self, index: int) -> bool:
        return self.reference_start is not None and self.sentence_at(index).reference


def layout(
    text: str, *, paragraph_per_line: bool, headings: Sequence[tuple[int, int]] = ()
) -> Layout:
    """Split `text` into paragraphs and sentences and find its reference list.

    Plain text and HTML (as WeChat exports it) have one paragraph per line; Markdown also
    joins soft-wrapped lines. `headings` are spans the reader knows to be headings; short lines
    without closing punctuation are taken as headings too.
    """
    paragraphs = _paragraphs(text, paragraph_per_line)
    refs_start, refs_end, numbers = _reference_list(text)
    marked = sorted(headings)
    sentences: list[Sentence] = []
    heading_paragraphs: list[int] = []
    for p, (start, end) in enumerate(paragraphs):
        heading = _is_heading(text, start, end, marked, last=p == len(paragraphs) - 1)
        if heading:
            heading_paragraphs.append(p)
        for s, e in _split(text, start, end):
            in_refs = refs_start is not None and refs_start <= s < refs_end
            sentences.append(Sentence(s, e, p, heading, in_refs))
    if not sentences:
        sentences.append(Sentence(0, len(text), 0, False, False))
        paragraphs = paragraphs or [(0, len(text))]
    return Layout(
        tuple(sentences),
        tuple(paragraphs),
        frozenset(numbers),
        refs_start,
        tuple(s.start for s in sentences),
        tuple(heading_paragraphs),
    )


def _paragraphs(text: str, per_line: bool) -> list[tuple[int, int]]:
    """Each non-blank line, except that in Markdown a line that stops mid-sentence continues
    on the next line (a soft wrap). Line length plays no part, so an edit elsewhere in a line
    (a `--fix`) never regroups the paragraphs around it."""
    spans: list[tuple[int, int]] = []
    previous_start = previous_end = -1
    for m in _LINE.finditer(text):
        line = m.group()
        if not line.strip():
            continue
        wrapped = (
            not per_line
            and spans
            and previous_end == m.start() - 1
            and not _LINE_END.search(text, previous_start, previous_end)
        )
        if wrapped:
            spans[-1] = (spans[-1][0], m.end())
        else:
            spans.append(m.span())
        previous_start, previous_end = m.span()
    return spans


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of one paragraph: at 。!?;… and line breaks, never inside a short quote."""
    out: list[tuple[int, int]] = []
    begin = start
    quote_open: int | None = None
    depth = 0
    for m in _BOUNDARY.finditer(text, start, end):
        token = m.group()
        if token in _OPENERS or (token == '"' and depth == 0):
            depth += 1
            quote_open = m.start() if depth == 1 else quote_open
            continue
        if token in _CLOSERS or token == '"':
            depth = max(depth - 1, 0)
            continue
        if (
            token != "\n"
            and depth
            and quote_open is not None
            and m.start() - quote_open < _MAX_QUOTE
        ):
            continue
        stop = m.end()
        while stop < end and text[stop] in _TRAILERS:
            stop += 1
        if text[begin:stop].strip():
            out.append((begin, stop))
        begin, depth = stop, 0
    if text[begin:end].strip():
        out.append((begin, end))
    return out


def _is_heading(
    text: str, start: int, end: int, marked: Sequence[tuple[int, int]], *, last: bool
) -> bool:
    k = bisect.bisect_left(marked, (end,)) - 1
    if k >= 0 and marked[k][1] > start:
        return True
    line = text[start:end].strip()
    return not last and "\n" not in line and 0 < len(line) <= 30 and not _HEADING_END.search(line)


def _reference_list(text: str) -> tuple[int | None, int, list[str]]:
    """The span of the reference list (its heading and entries) and its entry numbers.

    The list is the heading and the lines after it that look like references; the first line
    that does not ends it, so what follows is linted as prose however it is numbered."""
    refs_start: int | None = None
    refs_end = 0
    numbers: list[str] = []
    for m in _LINE.finditer(text):
        line = m.group()
        if not line.strip():
            continue
        if refs_start is None:
            if _REFERENCES_HEADING.match(line):
                refs_start, refs_end = m.start(), m.end()
            continue
        if _ENTRY_LIKE.search(line):
            refs_end = m.end()
            number = _ENTRY_NUMBER.match(line)
            if number:  # an unnumbered list cannot tell a [5] marker it has no entry 5
                numbers.append(next(g for g in number.groups() if g))
            continue
        if _REFERENCES_HEADING.match(line):
            continue
        break
    return refs_start, refs_end, numbers
