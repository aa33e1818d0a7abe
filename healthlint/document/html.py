"""HTML: what a reader sees or a platform indexes, by a tokenizer that follows the HTML standard.

The tokenizer follows the WHATWG tokenization states that decide what is text: tags with
their attributes (a quoted value may hold `>`), comments (`<!-- … -->`, to the end of the file
when unclosed, as browsers do), doctype and bogus comments (`<!…>`, `<?…>`, `</…>` that is no
end tag), the raw text of `script`, `style`, `xmp`, `iframe`, `noembed`, `noframes` (up to
their end tag), the escapable raw text of `textarea` and `title` (shown: tags inside are
literal text), and a tag left open at the end of the file (which a browser drops, with the
rest of the file). Every step moves forward from where the last one ended and no search
starts twice at the same place, so time is linear in the input, whatever is left unclosed.
The standard library's `html.parser` was measured and not used: on Python 3.11.7 it takes
quadratic time on unterminated tags (`<a ` repeated: 0.5 s for 6 KB, 6 s for 24 KB) and
raises on `<![x`, and its recovery differs between Python releases.

Prose, linted with exact offsets:

- text outside tags, except inside `code`, `pre`, `kbd`, `samp` (shown, but code, as in
  Markdown), `template` (never rendered) and the raw-text elements above; an unclosed
  `code`, `pre`, `kbd` or `samp` ends where the block holding it ends;
- attribute values that a page shows or a search engine indexes (`SHOWN_ATTRIBUTES`): `alt`,
  `title`, `placeholder`, `aria-label` on any element; `value` of a button-like `<input>`;
  `content` of a description `<meta>` (`description`, `og:` and `twitter:` titles and
  descriptions); and the target of a link to a messaging or phone app (`weixin://…`,
  `tel:…`, `CONTACT_SCHEMES`), which is itself a contact prompt. Each value is a line of its
  own, so it never joins the prose around it into one sentence.

Not prose: tags and their other attributes, and comments, which readers never see (inline
`healthlint-` directives live there). Entities are decoded in place: the decoded character
takes the entity's first position and the rest of the entity becomes spaces.
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from healthlint.document.model import Masked, blank

#: Attributes shown on the page or indexed, on any element.
SHOWN_ATTRIBUTES = frozenset(["alt", "title", "placeholder", "aria-label"])
#: `<input type=…>` whose `value` is the button's label.
BUTTON_INPUTS = frozenset(["button", "submit", "reset"])
#: `<meta name|property=…>` whose `content` search results and share cards show.
SHOWN_META = frozenset(
    ["description", "og:title", "og:description", "twitter:title", "twitter:description"]
)
#: Link targets that open a chat or a call: the target is the contact.
CONTACT_SCHEMES = (
    "weixin:",
    "wechat:",
    "wxp:",
    "tel:",
    "sms:",
    "mqq:",
    "mqqapi:",
    "mqqwpa:",
    "tencent:",
    "whatsapp:",
    "line:",
    "alipays:",
    "mailto:",
)
#: Elements whose text is not prose: code, and what is never rendered.
HIDDEN = frozenset(["code", "pre", "kbd", "samp", "template"])
#: Of those, the ones a browser closes when the block holding them ends.
_INLINE_HIDDEN = frozenset(["code", "pre", "kbd", "samp"])
#: Raw-text elements: their content is text up to their end tag, never markup.
_RAW_TEXT = frozenset(["script", "style", "xmp", "iframe", "noembed", "noframes"])
_ESCAPABLE_RAW_TEXT = frozenset(["textarea", "title"])  # shown
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
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
        "head",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "option",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
_HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])

_WHITESPACE = "\t\n\f\r "
_TAG_NAME = re.compile(r"[^\t\n\f\r />]*")
_BETWEEN_ATTRIBUTES = re.compile(r"[\t\n\f\r /]*")
_ATTRIBUTE_NAME = re.compile(r"[^\t\n\f\r />][^\t\n\f\r />=]*")
_SPACES = re.compile(r"[\t\n\f\r ]*")
_UNQUOTED = re.compile(r"[^\t\n\f\r >]*")
_COMMENT_END = re.compile(r"--!?>")
_ENTITY = re.compile(
    r"&(?:#[xX](?P<hex>[0-9a-fA-F]{1,6})|#(?P<dec>[0-9]{1,7})|(?P<name>[A-Za-z][A-Za-z0-9]{1,31}));?"
)


@dataclass
class _Tag:
    """A start or end tag: `start`..`end` in the source, attributes as value spans."""

    name: str
    start: int
    end: int
    closing: bool
    attributes: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class _Markup:
    """A comment, doctype, processing instruction or bogus comment: never prose."""

    start: int
    end: int


@dataclass
class _RawText:
    """The content of a raw-text element, up to its end tag."""

    element: str
    start: int
    end: int


def mask(text: str) -> Masked:
    """Blank markup, keep what is shown; block-level tags end a line so paragraphs stay apart."""
    builder = _Builder(text)
    for token in _tokens(text):
        builder.add(token)
    builder.finish()
    prose = _decode_entities(blank(text, builder.blanks, breaks=builder.breaks))
    return Masked(prose, tuple(builder.headings))


def tags(text: str) -> Iterator[_Tag]:
    """The start and end tags of `text` in order (none inside comments or raw text)."""
    return (token for token in _tokens(text) if isinstance(token, _Tag))


def _tokens(text: str) -> Iterator[_Tag | _Markup | _RawText]:
    """The markup tokens of `text` in order; whatever lies between them is text."""
    at = text.find("<")
    while at >= 0:
        token = _markup_at(text, at)
        if token is None:  # a "<" that starts nothing is text
            at = text.find("<", at + 1)
            continue
        yield token
        at = token.end
        if isinstance(token, _Tag) and not token.closing:
            raw = _raw_text(text, token)
            if raw is not None:
                yield raw
                at = raw.end
        at = text.find("<", at)


def _markup_at(text: str, at: int) -> _Tag | _Markup | None:
    """The token starting with the "<" at `at`, or None when it starts none."""
    nxt = text[at + 1 : at + 2]
    if nxt.isascii() and nxt.isalpha():
        return _tag(text, at, at + 1, closing=False)
    if nxt == "!":
        if text.startswith("<!--", at):
            return _comment(text, at)
        return _Markup(at, _past(text, ">", at + 2))  # doctype, CDATA, bogus comment
    if nxt == "?":
        return _Markup(at, _past(text, ">", at + 2))
    if nxt == "/":
        after = text[at + 2 : at + 3]
        if after.isascii() and after.isalpha():
            return _tag(text, at, at + 2, closing=True)
        if after == ">":
            return _Markup(at, at + 3)
        if after:
            return _Markup(at, _past(text, ">", at + 2))
    return None


def _comment(text: str, at: int) -> _Markup:
    """`<!-- … -->` (also `--!>`, and the empty `<!-->`, `<!--->`); to the end when open."""
    for empty in ("<!-->", "<!--->"):
        if text.startswith(empty, at):
            return _Markup(at, at + len(empty))
    end = _COMMENT_END.search(text, at + 4)
    return _Markup(at, end.end() if end else len(text))


def _past(text: str, char: str, start: int) -> int:
    """Just after the next `char` from `start`, or the end of the text."""
    found = text.find(char, start)
    return len(text) if found < 0 else found + 1


def _tag(text: str, at: int, name_start: int, *, closing: bool) -> _Tag:
    """A tag whose name starts at `name_start`; one left open at the end runs to the end."""
    name_match = _TAG_NAME.match(text, name_start)
    assert name_match is not None  # the pattern matches the empty string
    tag = _Tag(name_match.group().lower(), at, len(text), closing)
    pos = name_match.end()
    while True:
        pos = _BETWEEN_ATTRIBUTES.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= len(text):
            return tag
        if text[pos] == ">":
            tag.end = pos + 1
            return tag
        name = _ATTRIBUTE_NAME.match(text, pos)
        assert name is not None  # text[pos] is neither space, "/" nor ">"
        pos = _SPACES.match(text, name.end()).end()  # type: ignore[union-attr]
        if not text.startswith("=", pos):
            tag.attributes.setdefault(name.group().lower(), (name.end(), name.end()))
            continue
        pos = _SPACES.match(text, pos + 1).end()  # type: ignore[union-attr]
        quote = text[pos : pos + 1]
        if quote in ('"', "'"):
            close = text.find(quote, pos + 1)
            if close < 0:  # open at the end of the file: the tag swallows the rest
                return tag
            value = (pos + 1, close)
            pos = close + 1
        else:
            bare = _UNQUOTED.match(text, pos)
            assert bare is not None
            value = bare.span()
            pos = bare.end()
        tag.attributes.setdefault(name.group().lower(), value)  # the first one counts


def _raw_text(text: str, tag: _Tag) -> _RawText | None:
    """The raw text after the start tag of a raw-text element, up to its end tag."""
    if tag.name not in _RAW_TEXT and tag.name not in _ESCAPABLE_RAW_TEXT:
        return None
    end = _end_tag_pattern(tag.name).search(text, tag.end)
    return _RawText(tag.name, tag.end, end.start() if end else len(text))


_END_TAGS: dict[str, re.Pattern[str]] = {
    name: re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE)
    for name in _RAW_TEXT | _ESCAPABLE_RAW_TEXT
}


def _end_tag_pattern(name: str) -> re.Pattern[str]:
    return _END_TAGS[name]


class _Builder:
    """Turns tokens into the spans to blank, the line breaks to insert and the headings."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.blanks: list[tuple[int, int]] = []
        self.breaks: list[int] = []
        self.headings: list[tuple[int, int]] = []
        self._hidden: dict[str, int] = {}  # open hidden elements and their depth
        self._hidden_from: int | None = None
        self._heading_from: int | None = None

    def add(self, token: _Tag | _Markup | _RawText) -> None:
        if isinstance(token, _Markup):
            self.blanks.append((token.start, token.end))
        elif isinstance(token, _RawText):
            if token.element in _RAW_TEXT:
                self.blanks.append((token.start, token.end))
        elif token.closing:
            self._end_tag(token)
        else:
            self._start_tag(token)

    def finish(self) -> None:
        end = len(self.text)
        if self._hidden_from is not None:
            self.blanks.append((self._hidden_from, end))
        if self._heading_from is not None:
            self.headings.append((self._heading_from, end))

    def _start_tag(self, tag: _Tag) -> None:
        self._block_boundary(tag)
        shown = [] if self._hidden_from is not None else sorted(_shown_values(self.text, tag))
        at = tag.start
        for start, end in shown:
            self.blanks.append((at, start))
            self.breaks.append(start - 1)  # the quote or "=" before the value
            if end < tag.end:
                self.breaks.append(end)  # the quote, space or ">" after it
            at = end
        self.blanks.append((at, tag.end))
        if tag.name in HIDDEN:
            self._open_hidden(tag)
        if tag.name in _HEADINGS and self._hidden_from is None:
            self._heading_from = tag.end

    def _end_tag(self, tag: _Tag) -> None:
        self.blanks.append((tag.start, tag.end))
        if tag.name in self._hidden:
            self._hidden[tag.name] -= 1
            if not self._hidden[tag.name]:
                del self._hidden[tag.name]
            if not self._hidden:
                self._close_hidden(tag.start)
        self._block_boundary(tag)

    def _block_boundary(self, tag: _Tag) -> None:
        """A block tag ends a line, an open heading and (end tags only) open inline code."""
        if tag.name not in _BLOCK:
            return
        self.breaks.append(tag.start)
        if self._heading_from is not None:
            self.headings.append((self._heading_from, tag.start))
            self._heading_from = None
        if tag.closing and self._hidden and all(name in _INLINE_HIDDEN for name in self._hidden):
            self._hidden.clear()
            self._close_hidden(tag.start)

    def _open_hidden(self, tag: _Tag) -> None:
        if not self._hidden:
            self._hidden_from = tag.end
        self._hidden[tag.name] = self._hidden.get(tag.name, 0) + 1

    def _close_hidden(self, at: int) -> None:
        if self._hidden_from is not None:
            self.blanks.append((self._hidden_from, at))
        self._hidden_from = None


def _shown_values(text: str, tag: _Tag) -> Iterator[tuple[int, int]]:
    """The spans of the tag's attribute values that are prose (see the module docstring)."""
    values = tag.attributes
    for name in SHOWN_ATTRIBUTES & values.keys():
        yield from _non_empty(values[name])
    if tag.name == "input" and attribute(text, tag, "type").lower() in BUTTON_INPUTS:
        yield from _non_empty(values.get("value"))
    if tag.name == "meta":
        kind = (attribute(text, tag, "name") or attribute(text, tag, "property")).lower()
        if kind in SHOWN_META:
            yield from _non_empty(values.get("content"))
    if tag.name in ("a", "area") and attribute(text, tag, "href").lower().startswith(
        CONTACT_SCHEMES
    ):
        yield from _non_empty(values.get("href"))


def _non_empty(span: tuple[int, int] | None) -> Iterator[tuple[int, int]]:
    if span is not None and span[1] > span[0]:
        yield span


def attribute(text: str, tag: _Tag, name: str) -> str:
    """An attribute's value as written (entities left alone), or "" when absent."""
    span = tag.attributes.get(name)
    return "" if span is None else text[span[0] : span[1]].strip()


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
