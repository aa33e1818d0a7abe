"""What the image reader returns: plain frozen values, no OCR types, so findings can keep
them and the lint stage never needs the optional extra to handle them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in image pixels: `left` and `top` inclusive, `right` and
    `bottom` exclusive, origin at the top-left corner of the image as stored after its EXIF
    orientation is applied."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def centre(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.top + self.bottom) / 2

    def union(self, other: Box) -> Box:
        """The smallest box holding both (a finding's span over several characters)."""
        return Box(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )


@dataclass(frozen=True)
class TextLine:
    """One line of text as the recogniser read it.

    `box` bounds the detected line (for a tilted line, the upright box around it);
    `confidence` is the recogniser's mean per-character probability, 0 to 1; `char_boxes`
    holds one box per character of `text`, in order, estimated from where the recogniser's
    output peaked for each character (see docs/images.md for the method and its error).
    """

    text: str
    box: Box
    confidence: float
    char_boxes: tuple[Box, ...]


@dataclass(frozen=True)
class Code:
    """A scannable code: `kind` is ``"qr"`` or ``"miniprogram"`` (WeChat's round sun
    code); `data` is the decoded content, or None when the code was found but could not be
    decoded (always None for a mini-program code, whose format is not public)."""

    kind: str
    data: str | None
    box: Box


@dataclass(frozen=True)
class ImageText:
    """Everything read from one image.

    `lines` are in reading order (see `reading_order`) and exclude lines below the
    reader's `min_confidence`; `low_confidence` counts those dropped, so a caller can tell
    an image with no text from one whose text could not be read. `width` and `height` are
    of the image after its EXIF orientation is applied, the frame every box refers to.
    """

    path: str
    width: int
    height: int
    lines: tuple[TextLine, ...]
    low_confidence: int
    codes: tuple[Code, ...]
