"""Read the text and codes of health-advertising images: posters, product shots, long
WeChat images and chat screenshots, offline.

An optional extra (``pip install 'healthlint[images]'``): this package imports without it,
and `ImageReader()` says how to install it. The OCR library is imported on the first
`ImageReader.read`, never on import. See docs/images.md.

    reader = ImageReader()
    page = reader.read("poster.png")
    text, where = join_lines(page.lines)       # what a person reads, and a map back
    boxes = span_boxes(page.lines, where, 3, 9)  # where text[3:9] is on the image
"""

from __future__ import annotations

from .layout import join_lines, page_tilt, reading_order, span_boxes
from .model import Box, Code, ImageText, TextLine
from .reader import DEFAULT_MIN_CONFIDENCE, INSTALL_HINT, ImageReader

__all__ = [
    "DEFAULT_MIN_CONFIDENCE",
    "INSTALL_HINT",
    "Box",
    "Code",
    "ImageReader",
    "ImageText",
    "TextLine",
    "join_lines",
    "page_tilt",
    "reading_order",
    "span_boxes",
]
