"""The pictures a document shows: the addresses of its Markdown images and HTML `<img>`.

The image stage reads the local ones with the document (`healthlint.images.document`), so a
poster an article shows is linted with the article's text. Addresses come back as written,
entities and `<…>` brackets undone, in document order, each once; what is code (fenced or
indented blocks, code spans, `<pre>`/`<code>` in HTML is kept: a page shows those images)
is left out in Markdown, where an image in a code block is an example, not a picture.
"""

from __future__ import annotations

import html as entities
import re

from healthlint.document import html, markdown

# ![alt](address "title") with the address bare or in <…>
_INLINE_IMAGE = re.compile(
    r"!\[[^\]\r\n]*\]\(\s*(?:<(?P<bracketed>[^<>\r\n]*)>|(?P<bare>[^()\s]+))"
    r"(?:\s+(?:\"[^\"\r\n]*\"|'[^'\r\n]*'|\([^()\r\n]*\)))?\s*\)"
)
# ![alt][label], ![label][] and ![label]
_REFERENCE_IMAGE = re.compile(r"!\[(?P<alt>[^\]\r\n]*)\](?:\[(?P<label>[^\]\r\n]*)\])?(?!\()")
_DEFINITION = re.compile(
    r"^ {0,3}\[(?P<label>[^\]\r\n]+)\]:[ \t]*(?:<(?P<bracketed>[^<>\r\n]*)>|(?P<bare>\S+))",
    re.MULTILINE,
)


def image_addresses(text: str, format: str) -> list[str]:
    """The addresses of the images `text` (read as `format`) shows, in order, each once."""
    if format == "markdown":
        found = _markdown_images(text)
    elif format == "html":
        found = _html_images(text)
    else:
        return []
    return list(dict.fromkeys(a for _, a in sorted(found) if a))


def _markdown_images(text: str) -> list[tuple[int, str]]:
    shown = markdown.without_code(text)
    labels = {
        _label(m["label"]): m["bracketed"] if m["bracketed"] is not None else m["bare"]
        for m in reversed(list(_DEFINITION.finditer(text)))  # the first definition wins
    }
    found = [
        (m.start(), m["bracketed"] if m["bracketed"] is not None else m["bare"])
        for m in _INLINE_IMAGE.finditer(shown)
    ]
    for m in _REFERENCE_IMAGE.finditer(shown):
        address = labels.get(_label(m["label"] or m["alt"]))
        if address:
            found.append((m.start(), address))
    return found + _html_images(shown)  # Markdown may hold raw <img> tags


def _html_images(text: str) -> list[tuple[int, str]]:
    return [
        (token.start, entities.unescape(html.attribute(text, token, "src")))
        for token in html.tags(text)
        if token.name == "img" and not token.closing
    ]


def _label(label: str) -> str:
    """A reference label as CommonMark matches it: case and inner spaces do not count."""
    return " ".join(label.split()).casefold()
