"""`ImageReader`: text lines with per-character boxes, and scannable codes, from one image.

The OCR engine is RapidOCR (``rapidocr`` 3.x) on ONNX Runtime with the PP-OCR models its
wheel ships, so nothing is downloaded: the model files are named explicitly from the
installed package, which keeps RapidOCR off its download path. It is loaded on the first
`read`, once per reader, under a lock; importing this module imports none of it.
"""

from __future__ import annotations

import importlib.util
import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, UsageError
from . import codes as _codes
from ._load import load_rgb
from .layout import reading_order
from .model import Box, ImageText, TextLine

#: Lines the recogniser is less sure of than this are dropped and counted. 0.5 is RapidOCR's
#: and PaddleOCR's own default. On the rendered test set every line read right scored 0.96
#: or more, and the few lines read off shapes with no text ("_", "■", "●") scored 0.63 to
#: 0.95, so no threshold would separate them there (docs/images.md); it drops the garbage a
#: recogniser gives on textures and leaves misreads of real text to the caller to judge.
DEFAULT_MIN_CONFIDENCE = 0.5
#: Pixels of the longest side the detector sees in one pass: a taller image (a long WeChat
#: image) is cut into overlapping tiles of at most this height, so its text is read at full
#: resolution and memory stays bounded by the tile, not the image; a wider one is shrunk.
TILE = 2000
#: Overlap between tiles: a line up to half this tall is read whole in one of two tiles.
OVERLAP = 240
#: An image (or a tile, once scaled) thinner than this holds no legible text: not read.
MIN_SIDE = 8
#: More tiles than this (a strip 20 px wide and 60,000 tall) is refused as an InputError.
MAX_TILES = 200
#: The detector upscales images whose short side is below this (RapidOCR's own default,
#: 736, made small images 40 % slower here with no gain in accuracy: docs/images.md).
DET_MIN_SIDE = 320
INSTALL_HINT = "reading images needs the images extra: pip install 'healthlint[images]'"
_NEEDED = ("rapidocr", "onnxruntime", "cv2", "numpy", "PIL")


@dataclass(frozen=True)
class _Raw:
    """A line as the engine gave it, in whole-image pixels."""

    text: str
    quad: tuple[tuple[float, float], ...]
    score: float
    chars: tuple[tuple[str, tuple[tuple[float, float], ...]], ...]


def extra_installed() -> bool:
    """Whether the images extra is installed, found without importing any of it."""
    return all(importlib.util.find_spec(name) is not None for name in _NEEDED)


def _model_files() -> dict[str, Path]:
    """The det, cls and rec ONNX models inside the installed rapidocr package."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or spec.origin is None:
        raise UsageError(INSTALL_HINT)
    folder = Path(spec.origin).parent / "models"
    found: dict[str, Path] = {}
    for task in ("det", "cls", "rec"):
        files = sorted(folder.glob(f"*_{task}_*.onnx"))
        if len(files) != 1:
            raise UsageError(
                f"the installed rapidocr ships {len(files)} {task} models, expected one; "
                "install the pinned version: pip install 'healthlint[images]'"
            )
        found[task] = files[0]
    return found


class ImageReader:
    """Read the text and codes of images, offline.

    One reader holds one OCR engine (about 300 MB of memory once loaded); it is safe to share
    between threads, and `read` calls from several threads run concurrently in ONNX
    Runtime. `min_confidence` (0 to 1) is the recogniser score below which a line is
    dropped and counted in `ImageText.low_confidence`.
    """

    def __init__(self, *, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> None:
        if not 0.0 <= min_confidence <= 1.0:
            raise UsageError(f"min_confidence must be between 0 and 1, not {min_confidence}")
        if not extra_installed():
            raise UsageError(INSTALL_HINT)
        self.min_confidence = min_confidence
        self._lock = threading.Lock()
        self._engine: Any = None

    def _ocr(self) -> Any:
        # Double-checked: the common path takes no lock once the engine exists.
        engine = self._engine
        if engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = self._load()
                engine = self._engine
        return engine

    @staticmethod
    def _load() -> Any:
        try:
            from rapidocr import RapidOCR
        except ImportError as error:  # installed, but a library it needs will not load
            raise UsageError(f"{INSTALL_HINT} (importing rapidocr failed: {error})") from None

        models = _model_files()
        params = {
            "Global.log_level": "critical",
            "Global.text_score": 0.0,  # keep every line: `read` filters and counts
            "Global.return_word_box": True,
            "Global.return_single_char_box": True,
            "Global.max_side_len": 4 * TILE,  # `_fit` has already made every tile fit
            "Det.limit_side_len": DET_MIN_SIDE,
            "Det.model_path": str(models["det"]),
            "Cls.model_path": str(models["cls"]),
            "Rec.model_path": str(models["rec"]),
        }
        return RapidOCR(params=params)

    def read(self, path: str | os.PathLike[str]) -> ImageText:
        """Read one PNG, JPEG, WebP or GIF (first frame) file.

        Raises `InputError` naming the path for a missing, empty, truncated, oversized or
        non-image file; never anything else for a bad file.
        """
        name = os.fspath(path)
        rgb = load_rgb(name)
        height, width = rgb.shape[:2]
        bgr = rgb[:, :, ::-1].copy()
        del rgb
        try:
            raws = self._recognise(bgr, name)
            found = _codes.find_codes(bgr)
        except MemoryError:
            raise InputError("out of memory reading image", path=name) from None
        kept: list[TextLine] = []
        low = 0
        for raw in raws:
            line = _to_line(raw, width, height)
            if line is None:
                continue
            if any(_inside(line.box, code.box) for code in found):
                continue  # a QR code's modules read as text are not text
            if line.confidence < self.min_confidence:
                low += 1
                continue
            kept.append(line)
        return ImageText(name, width, height, tuple(reading_order(kept)), low, tuple(found))

    def _recognise(self, bgr: Any, name: str) -> list[_Raw]:
        height, width = bgr.shape[:2]
        tiles = _tiles(width, height)
        if len(tiles) > MAX_TILES:
            raise InputError(
                f"image too long and narrow to read: {width} × {height} pixels", path=name
            )
        engine = self._ocr() if tiles else None
        out: list[_Raw] = []
        for top, bottom, own_top, own_bottom in tiles:
            part, scale = _fit(bgr[top:bottom])
            if part is None:
                continue
            try:
                raws = _run(engine, part)
            except Exception as error:  # the engine's own failure on this picture
                first = (str(error).strip().splitlines() or [""])[-1].strip()
                raise InputError(
                    f"cannot read text from image: {type(error).__name__}: {first}", path=name
                ) from None
            for raw in raws:
                moved = _move(raw, scale, top)
                centre = sum(y for _, y in moved.quad) / len(moved.quad)
                if own_top <= centre < own_bottom:
                    out.append(moved)
        return out


def _tiles(width: int, height: int) -> list[tuple[int, int, int, int]]:
    """(top, bottom, own_top, own_bottom) per tile, none for an image too thin to hold
    legible text.

    A tall image (a long WeChat image, a chat screenshot) is cut across into tiles at most
    `TILE` rows and four widths tall, overlapping by `OVERLAP` (less for a narrow image): the
    text is read at full resolution, memory is bounded by the tile, and no tile is so thin
    that the recogniser's own upscaling of a short side blows it up. A line belongs to the
    tile whose own rows (the middle of the overlaps) hold its centre, so a line cut by one
    tile's edge is taken whole from the other. Any other image is one tile, scaled to fit
    by `_fit`."""
    if min(width, height) < MIN_SIDE:
        return []
    overlap = min(OVERLAP, max(16, width // 2))
    length = min(TILE, max(4 * width, 2 * overlap + 1))
    if height <= width or height <= length:
        return [(0, height, 0, height)]
    count = math.ceil((height - overlap) / (length - overlap))
    step = (height - overlap) / count
    tiles = []
    for k in range(count):
        top = round(k * step)
        bottom = height if k == count - 1 else round(k * step + step + overlap)
        own_top = 0 if k == 0 else top + overlap // 2
        own_bottom = height if k == count - 1 else bottom - overlap // 2
        tiles.append((top, bottom, own_top, own_bottom))
    return tiles


def _fit(part: Any) -> tuple[Any | None, float]:
    """The tile as the engine should see it, and the scale applied: shrunk so its longer
    side is at most `TILE`, and a wide strip padded below with white to 8:1, the widest the
    detector takes without padding it itself (which, on a thin strip, multiplies its size
    many times over). None when the result is too thin to hold text."""
    import cv2
    import numpy as np

    height, width = part.shape[:2]
    scale = 1.0
    if max(height, width) > TILE:
        scale = TILE / max(height, width)
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        part = cv2.resize(part, size, interpolation=cv2.INTER_AREA)
        height, width = part.shape[:2]
    if min(height, width) < MIN_SIDE:
        return None, scale
    if width > 8 * height:
        pad = np.full((math.ceil(width / 8) - height, width, 3), 255, dtype=part.dtype)
        part = np.concatenate([part, pad])
    return part, scale


def _run(engine: Any, bgr: Any) -> list[_Raw]:
    result = engine(bgr)
    texts = getattr(result, "txts", None)
    if not texts:
        return []
    words = getattr(result, "word_results", None) or ((),) * len(texts)
    out = []
    for quad, text, score, chars in zip(result.boxes, texts, result.scores, words, strict=False):
        points = tuple((float(x), float(y)) for x, y in quad)
        glyphs = tuple(
            (str(c[0]), tuple((float(x), float(y)) for x, y in c[2])) for c in chars or ()
        )
        out.append(_Raw(str(text), points, float(score), glyphs))
    return out


def _move(raw: _Raw, scale: float, top: int) -> _Raw:
    """From tile pixels back to image pixels."""

    def move(points: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
        return tuple((x / scale, y / scale + top) for x, y in points)

    return _Raw(raw.text, move(raw.quad), raw.score, tuple((c, move(q)) for c, q in raw.chars))


def _box(points: tuple[tuple[float, float], ...], width: int, height: int) -> Box:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    left = min(max(0, math.floor(min(xs))), width)
    top = min(max(0, math.floor(min(ys))), height)
    return Box(
        left,
        top,
        max(left, min(width, math.ceil(max(xs)))),
        max(top, min(height, math.ceil(max(ys)))),
    )


def _inside(box: Box, outer: Box) -> bool:
    cx, cy = box.centre
    return outer.left <= cx <= outer.right and outer.top <= cy <= outer.bottom


def _to_line(raw: _Raw, width: int, height: int) -> TextLine | None:
    text = raw.text
    if not text.strip():
        return None
    box = _box(raw.quad, width, height)
    glyphs = [(c, _box(q, width, height)) for c, q in raw.chars]
    return TextLine(text, box, round(raw.score, 4), char_boxes(text, box, glyphs))


def _units(char: str) -> int:
    """Advance of a character in half-ems: 2 for wide (CJK, full-width punctuation), 1 for
    narrow (ASCII, half-width)."""
    import unicodedata

    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def char_boxes(text: str, line: Box, glyphs: list[tuple[str, Box]]) -> tuple[Box, ...]:
    """One box per character of `text`.

    The recogniser reports a box for each character it emitted, centred where its output
    peaked for that character; those are taken as they are. Spaces (which it reads between
    Latin words but gives no box) get the gap between their neighbours. If its characters
    do not line up with the text (it never happened on the test set), the line box is split
    in proportion to the characters' widths, wide CJK = 2 units, ASCII = 1, a coarser
    estimate (docs/images.md gives both errors).
    """
    out: list[Box | None] = []
    k = 0
    for char in text:
        if k < len(glyphs) and glyphs[k][0] == char:
            out.append(glyphs[k][1])
            k += 1
        elif char.isspace():
            out.append(None)
        else:
            return split_by_width(text, line)
    if k != len(glyphs):
        return split_by_width(text, line)
    filled: list[Box] = []
    for i, box in enumerate(out):
        if box is not None:
            filled.append(box)
            continue
        before = next((b for b in reversed(out[:i]) if b is not None), None)
        after = next((b for b in out[i + 1 :] if b is not None), None)
        left = before.right if before else line.left
        right = after.left if after else line.right
        filled.append(Box(left, line.top, max(left, right), line.bottom))
    return tuple(filled)


def split_by_width(text: str, line: Box) -> tuple[Box, ...]:
    """The line box cut into one slice per character, each as wide as its share of the
    line's half-em units."""
    units = [_units(c) for c in text]
    total = sum(units) or 1
    boxes = []
    x = float(line.left)
    for u in units:
        step = line.width * u / total
        boxes.append(Box(round(x), line.top, round(x + step), line.bottom))
        x += step
    return tuple(boxes)
