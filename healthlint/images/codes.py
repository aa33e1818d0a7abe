"""Find scannable codes: QR codes (decoded with OpenCV) and WeChat mini-program codes.

QR codes. OpenCV has two detectors and they miss different codes, so both run and their
results are merged by position: the ArUco-based one (`cv2.QRCodeDetectorAruco`) finds
small and several codes where the classic one (`cv2.QRCodeDetector`) often finds only
the first. A code that is located but does not decode (a logo pasted over too much of it,
blur) is still reported, with `data` None: for a linter, "there is a QR code" is the finding,
what it points to is a detail. `cv2.wechat_qrcode` would be more robust on photos, but it
lives only in the opencv-contrib wheels and its CNN models ship in neither, so it is not used.

Mini-program codes ("sun codes"). Their format is not public and nothing offline decodes
them; they are recognised by their layout: a disc with a logo in the middle, rays around it,
and three bull's-eye finder marks (a ring with a dot inside) at the top-left, top-right
and bottom-left, the corners of a right isosceles triangle. The detector looks for exactly
that: three round, concentric ring-and-dot marks of one size in that triangle, with many
light/dark changes on a circle between them (the rays), and reports the disc around them.
QR finder marks are square and do not pass the roundness test. See docs/images.md for how
well this does and on what it was tested.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .model import Box, Code

#: Area of a contour over that of its enclosing circle: 1 for a disc, 0.64 for a square.
ROUND = 0.8
#: Smallest finder mark (outer diameter, pixels) worth looking at.
MIN_MARK = 8


def find_codes(bgr: Any) -> list[Code]:
    """Every QR and mini-program code in a BGR image (a numpy array)."""
    import cv2

    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    suns = _sun_codes(gray)
    # A sun code's three marks can pass for QR finder marks; a QR code that decodes is a
    # QR code, one that does not and sits on a sun code is that sun code.
    codes = [
        c
        for c in _qr_codes(gray)
        if c.data is not None or not any(_overlap(c.box, s) > 0.3 for s in suns)
    ]
    for box in suns:
        if not any(_overlap(box, c.box) > 0.3 for c in codes):
            codes.append(Code("miniprogram", None, box))
    return sorted(codes, key=lambda c: (c.box.top, c.box.left))


def _quad_box(points: Any, width: int, height: int) -> Box:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return Box(
        max(0, math.floor(min(xs))),
        max(0, math.floor(min(ys))),
        min(width, math.ceil(max(xs))),
        min(height, math.ceil(max(ys))),
    )


def _overlap(a: Box, b: Box) -> float:
    """Intersection over the smaller box's area."""
    w = min(a.right, b.right) - max(a.left, b.left)
    h = min(a.bottom, b.bottom) - max(a.top, b.top)
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / max(1, min(a.width * a.height, b.width * b.height))


def _qr_codes(gray: Any) -> list[Code]:
    import cv2

    height, width = gray.shape[:2]
    found: list[Code] = []

    def add(quad: Any, text: str) -> None:
        box = _quad_box(quad, width, height)
        if box.width < 4 or box.height < 4:
            return
        data = text or None
        same = [i for i, c in enumerate(found) if _overlap(c.box, box) > 0.5]
        if not same:
            found.append(Code("qr", data, box))
        elif data is not None and found[same[0]].data is None:
            found[same[0]] = Code("qr", data, found[same[0]].box)

    for detector in (cv2.QRCodeDetectorAruco(), cv2.QRCodeDetector()):
        try:
            _ok, texts, points, _ = detector.detectAndDecodeMulti(gray)
        except cv2.error:
            continue  # OpenCV raises on degenerate candidates; the other detector may do
        if points is not None:
            for text, quad in zip(texts, points, strict=False):
                add(quad, text)
    # The multi-code calls drop a code they locate but cannot decode; the classic
    # single-code detector keeps it, so a damaged code is still reported (data None).
    try:
        detector = cv2.QRCodeDetector()
        ok, quad = detector.detect(gray)
        if ok and quad is not None and _squarish(quad.reshape(-1, 2)):
            text, _ = detector.decode(gray, quad)[:2]
            add(quad.reshape(-1, 2), text)
    except cv2.error:
        pass
    return found


def _squarish(quad: Any) -> bool:
    """Four corners whose sides differ by at most a quarter: a QR code seen at a modest
    angle, not a stretch of text or rays the classic detector took for one."""
    sides = [math.dist(quad[i], quad[(i + 1) % 4]) for i in range(4)]
    return len(quad) == 4 and min(sides) > 0 and max(sides) <= 1.25 * min(sides)


@dataclass(frozen=True)
class _Mark:
    x: float
    y: float
    r: float


def _roundness(contour: Any) -> float:
    import cv2

    (_, _), r = cv2.minEnclosingCircle(contour)
    return float(cv2.contourArea(contour)) / (math.pi * r * r) if r > 0 else 0.0


def _marks(binary: Any) -> list[_Mark]:
    """Ring-and-dot marks: a round dark contour holding a round hole holding a round dot,
    all about one centre."""
    import cv2

    contours, hierarchy = cv2.findContours(binary, cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    tree = hierarchy[0]
    marks: list[_Mark] = []
    for i, contour in enumerate(contours):
        hole = tree[i][2]
        if hole < 0 or tree[hole][0] >= 0:  # exactly one hole
            continue
        dot = tree[hole][2]
        if dot < 0 or tree[dot][0] >= 0:  # exactly one dot in it
            continue
        (x, y), r = cv2.minEnclosingCircle(contour)
        if 2 * r < MIN_MARK:
            continue
        parts = (contour, contours[hole], contours[dot])
        if any(_roundness(c) < ROUND for c in parts):
            continue
        (hx, hy), hr = cv2.minEnclosingCircle(contours[hole])
        (dx, dy), dr = cv2.minEnclosingCircle(contours[dot])
        if math.dist((x, y), (hx, hy)) > 0.2 * r or math.dist((x, y), (dx, dy)) > 0.2 * r:
            continue
        if not (dr < hr < r):
            continue
        marks.append(_Mark(x, y, r))
    return marks


def _rays(binary: Any, cx: float, cy: float, radius: float) -> int:
    """Dark/light changes on a circle of `radius` around (cx, cy)."""
    height, width = binary.shape[:2]
    samples = 360
    values = []
    for k in range(samples):
        t = 2 * math.pi * k / samples
        x = round(cx + radius * math.cos(t))
        y = round(cy + radius * math.sin(t))
        if not (0 <= x < width and 0 <= y < height):
            return 0
        values.append(bool(binary[y, x]))
    return sum(1 for a, b in zip(values, values[1:] + values[:1], strict=True) if a != b)


def _sun_codes(gray: Any) -> list[Box]:
    import cv2

    height, width = gray.shape[:2]
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    marks = _marks(binary)
    if len(marks) < 3 or len(marks) > 60:  # a page of ◎ characters is not a code
        return []
    boxes: list[Box] = []
    used: set[int] = set()
    for a in range(len(marks)):
        for b in range(len(marks)):
            for c in range(b + 1, len(marks)):
                if len({a, b, c} | used) < 3 or a in (b, c) or {a, b, c} & used:
                    continue
                corner, p, q = marks[a], marks[b], marks[c]
                if max(m.r for m in (corner, p, q)) > 1.3 * min(m.r for m in (corner, p, q)):
                    continue
                leg1 = math.dist((corner.x, corner.y), (p.x, p.y))
                leg2 = math.dist((corner.x, corner.y), (q.x, q.y))
                hyp = math.dist((p.x, p.y), (q.x, q.y))
                if leg1 < 3 * corner.r or abs(leg1 - leg2) > 0.12 * leg1:
                    continue
                if abs(hyp - math.sqrt(2) * leg1) > 0.12 * hyp:
                    continue
                cx, cy = (p.x + q.x) / 2, (p.y + q.y) / 2
                # The rays fill the ring between the logo and the rim, where the marks sit:
                # count changes on circles inside, at and outside the marks' radius.
                rho = hyp / 2
                if max(_rays(binary, cx, cy, rho * f) for f in (0.6, 0.8, 1.1)) < 24:
                    continue
                radius = hyp / 2 + 2 * corner.r
                boxes.append(
                    Box(
                        max(0, math.floor(cx - radius)),
                        max(0, math.floor(cy - radius)),
                        min(width, math.ceil(cx + radius)),
                        min(height, math.ceil(cy + radius)),
                    )
                )
                used |= {a, b, c}
    return boxes
