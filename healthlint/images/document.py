"""Pictures as text to lint: each image's recognised text joined as a person reads it, put
after the text of the document that shows it, and every finding mapped back to pixels.

A document and its pictures are linted as one text, so a disclaimer or a citation in the
article counts for a claim on its poster, and a QR code in the poster makes the article
promotional. `Combined.text` is the document's source, then each page's text after a blank
line (a paragraph break in every input format). `Combined.relocate` hands back the findings
of the document's own characters as they are and moves those in a page into the page's
recognised text, with the image's path and the box of the characters (`Finding.image`).
"""

from __future__ import annotations

import bisect
import os
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote

from healthlint.finding import Finding, ImageSpot, ImageSummary
from healthlint.sources.files import is_image

from .layout import join_lines, span_boxes
from .model import Box, Code, ImageText
from .reader import ImageReader

#: Between the document and a page, and between pages: an empty line ends a paragraph in
#: plain text, Markdown and HTML alike.
SEPARATOR = "\n\n"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Page:
    """One image's recognised text as linted: `path` as reports name it, `text` its lines
    joined (`join_lines`), `where` the map from `text` back to the lines, `min_confidence`
    the reader's threshold below which lines were left out."""

    path: str
    image: ImageText
    text: str
    where: tuple[tuple[int, int, int], ...]
    min_confidence: float

    @classmethod
    def read(cls, reader: ImageReader, path: str) -> Page:
        image = reader.read(path)
        text, where = join_lines(image.lines)
        return cls(path, image, text, tuple(where), reader.min_confidence)

    def summary(self) -> ImageSummary:
        image = self.image
        return ImageSummary(
            self.path,
            self.text,
            len(image.lines),
            image.low_confidence,
            len(image.codes),
            self.min_confidence,
        )

    def locate(self, finding: Finding) -> Finding:
        """`finding`, whose offsets count in this page's text, with its lines, its text and
        its place in the image."""
        start, end = finding.start, min(finding.end, len(self.text))
        boxes = span_boxes(self.image.lines, self.where, start, end)
        box = boxes[0] if boxes else Box(0, 0, self.image.width, self.image.height)
        for other in boxes[1:]:
            box = box.union(other)
        starts = _line_starts(self.text)
        line, column = _position(starts, start)
        end_line, end_column = _position(starts, end - 1)
        shown = self.text[starts[line - 1] :].split("\n", 1)[0]
        return replace(
            finding,
            start=start,
            end=end,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            text=self.text[start:end],
            image=ImageSpot(self.path, _pixels(box), shown),
        )

    def on_code(self, finding: Finding, code: Code) -> Finding:
        """A finding on one of this page's codes, placed at the code."""
        return replace(finding, image=ImageSpot(self.path, _pixels(code.box), code=code.data))


@dataclass(frozen=True)
class Combined:
    """A document's source followed by the text of the pages it shows."""

    source: str
    pages: tuple[Page, ...]

    @property
    def text(self) -> str:
        return self.source + "".join(SEPARATOR + page.text for page in self.pages)

    def relocate(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings of `text`, those in a page moved into that page (see module doc)."""
        bases = self._bases()
        moved = []
        for finding in findings:
            k = bisect.bisect_right(bases, finding.start) - 1
            if k < 0:
                moved.append(finding)
                continue
            base = bases[k]
            shifted = replace(finding, start=finding.start - base, end=finding.end - base)
            moved.append(self.pages[k].locate(shifted))
        return moved

    def _bases(self) -> list[int]:
        """Where each page's text starts in `text`."""
        bases = []
        at = len(self.source)
        for page in self.pages:
            at += len(SEPARATOR)
            bases.append(at)
            at += len(page.text)
        return bases


def local_images(addresses: Sequence[str], document: str) -> list[str]:
    """The addresses of `addresses` that name an image file beside `document` (a path),
    as paths to read, each once: relative addresses are resolved from the document's folder;
    remote ones (`https:`, `//host`, `data:`) and site-absolute ones (`/img/a.png`, whose
    root is the web server's) are left out, as are files that do not exist."""
    folder = Path(document).parent
    found: dict[str, None] = {}
    for address in addresses:
        if _SCHEME.match(address) or address.startswith(("/", "\\")):
            continue
        relative = unquote(address.split("#", 1)[0].split("?", 1)[0])
        if not relative or not is_image(relative):
            continue
        path = os.path.normpath(folder / relative)
        if os.path.isfile(path):
            found[path] = None
    return list(found)


_shared: tuple[int, ImageReader] | None = None
_shared_lock = threading.Lock()


def engine_loaded() -> bool:
    """Whether this process has built its reader (whose engine a fork must not copy)."""
    return _shared is not None and _shared[0] == os.getpid()


def shared_reader() -> ImageReader:
    """The process's one `ImageReader` (its engine is about 300 MB: one per process). A
    forked pool worker builds its own: an ONNX Runtime session copied over a fork has lost
    its threads and would hang."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared[0] != os.getpid():
            _shared = (os.getpid(), ImageReader())
        return _shared[1]


def _pixels(box: Box) -> tuple[int, int, int, int]:
    return (box.left, box.top, box.right, box.bottom)


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer("\n", text))]


def _position(starts: Sequence[int], offset: int) -> tuple[int, int]:
    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1
