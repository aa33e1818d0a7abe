"""The Document: source text plus a same-length prose mask, line starts and heading spans.

Readers never change length: everything that is not prose (code, URLs, tags) is blanked to
spaces in `prose`, so an offset into `prose` is an offset into `source`. That is what makes
every finding map back to the exact line and column of the original file.
"""

from __future__ import annotations

import bisect
import importlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from healthlint.sources.files import FORMATS

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_NOT_BREAK = re.compile(r"[^\r\n]")


@dataclass(frozen=True)
class Masked:
    """What a reader returns: the prose mask and the source spans that are headings."""

    prose: str
    headings: tuple[tuple[int, int], ...] = ()


def blank(text: str, spans: Iterable[tuple[int, int]], *, breaks: Iterable[int] = ()) -> str:
    """Return `text` with every character in `spans` turned into a space, line breaks kept.

    `breaks` are offsets (inside blanked spans) that become `\\n`, so that a block-level HTML
    tag still ends a paragraph. The result always has the length of `text`.
    """
    wanted = sorted(set(breaks))
    pieces: list[str] = []
    done = 0
    for start, end in _merged(spans):
        pieces.append(text[done:start])
        chunk = _NOT_BREAK.sub(" ", text[start:end])
        inside = wanted[bisect.bisect_left(wanted, start) : bisect.bisect_left(wanted, end)]
        if inside:
            chars = list(chunk)
            for i in inside:
                chars[i - start] = "\n"
            chunk = "".join(chars)
        pieces.append(chunk)
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def line_starts(text: str) -> tuple[int, ...]:
    """Offsets where lines begin; `\\r\\n`, `\\n` and a lone `\\r` each end a line."""
    return (0, *(m.end() for m in _LINE_BREAK.finditer(text)))


@dataclass(frozen=True)
class Document:
    """A text to lint: `source` as given, `prose` the same length with non-prose blanked."""

    source: str
    prose: str
    format: str
    line_starts: tuple[int, ...]
    headings: tuple[tuple[int, int], ...]

    @classmethod
    def parse(cls, source: str, format: str = "text") -> Document:
        """Read `source` as `format` (text, markdown or html)."""
        if format not in FORMATS:
            raise ValueError(f"unknown input format {format!r}; use one of {', '.join(FORMATS)}")
        masked = _reader(format)(source)
        if len(masked.prose) != len(source):  # a reader bug would misplace every finding
            raise AssertionError(f"{format} reader changed the text length")
        return cls(source, masked.prose, format, line_starts(source), masked.headings)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset, counting characters."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1


def _reader(format: str) -> Callable[[str], Masked]:
    """The reader of one format, imported on first use: a plain-text run never pays for the
    Markdown and HTML readers (their import is a noticeable part of the CLI's start)."""
    module = importlib.import_module(f"healthlint.document.{_READER_MODULES[format]}")
    return module.mask  # type: ignore[no-any-return]


_READER_MODULES = {"text": "plain", "markdown": "markdown", "html": "html"}
