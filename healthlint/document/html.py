"""HTML: the text between tags. Tags, attributes, comments, scripts and styles are blanked.

A tokenizer by regex, not a tree builder: malformed, deeply nested or unclosed HTML cannot make
it fail or slow down, and every offset is kept. Entities are decoded in place: the decoded
character takes the entity's first position and the rest of the entity becomes spaces.
"""

from __future__ import annotations

import html.entities
import re

from healthlint.document.model import Masked, blank

_RAW = re.compile(r"<(script|style|template|textarea)\b[^>]*>[\s\S]*?(?:</\1\s*>|\Z)", re.I)
_TOKEN = re.compile(
    r"<!--[\s\S]*?(?:-->|\Z)"
    r"|<!\[CDATA\[[\s\S]*?(?:\]\]>|\Z)"
    r"|<[!?][^>]*>?"
    r"|</?(?P<name>[A-Za-z][A-Za-z0-9:-]*)(?:\s[^<>]*)?/?>"
)
_ENTITY = re.compile(
    r"&(?:#[xX](?P<hex>[0-9a-fA-F]{1,6})|#(?P<dec>[0-9]{1,7})|(?P<name>[A-Za-z][A-Za-z0-9]{1,31}));?"
)
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "body",
        "html",
        "head",
        "title",
        "option",
    ]
)
_HEADING = re.compile(r"<(h[1-6])\b[^>]*>([\s\S]*?)</\1\s*>", re.I)


def mask(text: str) -> Masked:
    """Blank markup, keep text; block-level tags end a line so paragraphs stay apart."""
    spans: list[tuple[int, int]] = []
    breaks: list[int] = []
    pos = 0
    for raw in _RAW.finditer(text):
        _tokens(text, pos, raw.start(), spans, breaks)
        spans.append(raw.span())
        breaks.append(raw.start())
        pos = raw.end()
    _tokens(text, pos, len(text), spans, breaks)
    prose = _decode_entities(blank(text, spans, breaks=breaks))
    headings = tuple(m.span(2) for m in _HEADING.finditer(text))
    return Masked(prose, headings)


def _tokens(
    text: str, start: int, end: int, spans: list[tuple[int, int]], breaks: list[int]
) -> None:
    for m in _TOKEN.finditer(text, start, end):
        spans.append(m.span())
        name = m.group("name")
        if name and name.lower() in _BLOCK:
            breaks.append(m.start())


def _decode_entities(prose: str) -> str:
    if "&" not in prose:
        return prose

    def one(m: re.Match[str]) -> str:
        char = _entity_char(m)
        if char is None:
            return m.group()
        return char + " " * (len(m.group()) - 1)

    return _ENTITY.sub(one, prose)


def _entity_char(m: re.Match[str]) -> str | None:
    """The single character an entity stands for, or None to leave it as written."""
    if m.group("name"):
        value = html.entities.html5.get(m.group("name") + ";")
    else:
        code = int(m.group("hex"), 16) if m.group("hex") else int(m.group("dec"))
        value = chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else None
    if not value or len(value) != 1:
        return None
    return " " if value == "\xa0" else value
