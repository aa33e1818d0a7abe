"""Render test posters whose every glyph position is known.

The image reader is tested on pictures drawn here rather than on files checked in: the
truth (which character was drawn where) comes from the same code that drew it, so a test
can ask whether a recognised character's box lies where its glyph really is. Each glyph is
drawn on its own at the pen position Pillow's font metrics give (``getlength`` of the text
before it), and its ink box is measured from a rendering of that glyph alone, so the truth
does not depend on how Pillow lays out a whole string.

Used by ``tests/test_images.py`` and ``bench/images.py``; not part of the package.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

#: Noto Sans CJK from Debian's ``fonts-noto-cjk``; index 2 of the collection is Simplified
#: Chinese (the glyph shapes differ from the Japanese face at index 0).
FONT_CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
)
BOLD_CANDIDATES = (("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),)

Rect = tuple[float, float, float, float]

#: Sentences of the kind penalised health advertising puts in pictures.
SENTENCES = (
    "本产品采用纳米技术，三天见效，彻底治愈糖尿病！",
    "扫码添加官方微信，领取免费体验装。",
    "限时优惠：原价1980元，现价仅需399元。",
    "专家推荐，每日两粒，血糖稳稳降下来。",
    "无效退款，已帮助10万名患者摆脱病痛。",
    "祖传秘方，纯中药配方，无任何副作用。",
    "长按识别二维码，关注公众号了解更多。",
    "转发到三个群，即可免费领取调理方案。",
    "干细胞抗衰，让卵巢功能恢复到二十岁。",
    "临床验证有效率高达98.6%，医院都在用。",
    "一个疗程告别高血压，从此不用再吃药。",
    "咨询热线：400-800-1234，24小时在线。",
)


def find_font(bold: bool = False) -> tuple[str, int] | None:
    """The (path, collection index) of a CJK font on this machine, or None."""
    for path, index in BOLD_CANDIDATES if bold else FONT_CANDIDATES:
        if Path(path).is_file():
            return path, index
    return None


@functools.lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    found = find_font(bold) or find_font()
    if found is None:
        raise FileNotFoundError("no CJK font: apt-get install fonts-noto-cjk")
    return ImageFont.truetype(found[0], size, index=found[1])


@functools.lru_cache(maxsize=4096)
def _ink(char: str, size: int, bold: bool) -> Rect | None:
    """Ink box of one glyph relative to its pen position (top of the ascender line)."""
    f = font(size, bold)
    pad = size
    canvas = Image.new("L", (3 * size + 2 * pad, 3 * size), 0)
    ImageDraw.Draw(canvas).text((pad, pad), char, font=f, fill=255)
    box = canvas.getbbox()
    if box is None:
        return None
    return (box[0] - pad, box[1] - pad, box[2] - pad, box[3] - pad)


@dataclass(frozen=True)
class DrawnLine:
    """One line as drawn: its text, font size, and per character the ink box (None for a
    character with no ink, such as a space)."""

    text: str
    size: int
    glyphs: tuple[Rect | None, ...]

    @property
    def box(self) -> Rect:
        inked = [g for g in self.glyphs if g is not None]
        return (
            min(g[0] for g in inked),
            min(g[1] for g in inked),
            max(g[2] for g in inked),
            max(g[3] for g in inked),
        )


@dataclass
class Poster:
    """An image and what was drawn on it: text lines in the order a person reads them,
    and QR codes as (data, box)."""

    image: Image.Image
    lines: list[DrawnLine] = field(default_factory=list)
    codes: list[tuple[str, Rect]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(line.text for line in self.lines)


def background(width: int, height: int, kind: str, seed: int = 0) -> Image.Image:
    """A plain, photo-like (gradient, blotches and noise) or poster-red background."""
    if kind == "plain":
        return Image.new("RGB", (width, height), (255, 255, 255))
    if kind == "red":
        return Image.new("RGB", (width, height), (190, 20, 30))
    if kind != "photo":
        raise ValueError(kind)
    rng = random.Random(seed)
    # A vertical gradient from a warm light tone to a cooler one.
    top = (250, 236, 210)
    bottom = (200, 220, 240)
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(1, height - 1)
        column.putpixel(
            (0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    img = column.resize((width, height))
    # Soft blotches, like an out-of-focus photo behind the text.
    blotches = Image.new("RGB", (width, height), (0, 0, 0))
    draw = ImageDraw.Draw(blotches)
    for _ in range(12):
        r = rng.randint(width // 12, width // 4)
        x, y = rng.randint(0, width), rng.randint(0, height)
        colour = tuple(rng.randint(0, 60) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    blotches = blotches.filter(ImageFilter.GaussianBlur(max(4, width // 30)))
    img = Image.blend(img, blotches, 0.25)
    # Sensor noise.
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    return Image.blend(img, noise, 0.12)


class Canvas:
    """Draw text and QR codes, remembering where every glyph went."""

    def __init__(self, width: int, height: int, kind: str = "plain", seed: int = 0) -> None:
        self.image = background(width, height, kind, seed)
        self.draw = ImageDraw.Draw(self.image)
        self.poster = Poster(self.image)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: int,
        fill: tuple[int, int, int] = (20, 20, 20),
        bold: bool = False,
    ) -> DrawnLine:
        f = font(size, bold)
        glyphs: list[Rect | None] = []
        for k, char in enumerate(text):
            pen = x + f.getlength(text[:k])
            self.draw.text((pen, y), char, font=f, fill=fill)
            ink = _ink(char, size, bold)
            glyphs.append(
                None if ink is None else (pen + ink[0], y + ink[1], pen + ink[2], y + ink[3])
            )
        line = DrawnLine(text, size, tuple(glyphs))
        self.poster.lines.append(line)
        return line

    def paragraph(
        self,
        x: float,
        y: float,
        text: str,
        size: int,
        width: float,
        fill: tuple[int, int, int] = (20, 20, 20),
        spacing: float = 1.6,
    ) -> float:
        """Wrap text at `width` pixels as a poster would (no hyphenation, any character may
        end a line); returns the y below the last line."""
        f = font(size)
        start = 0
        while start < len(text):
            end = start + 1
            while end < len(text) and f.getlength(text[start : end + 1]) <= width:
                end += 1
            self.text(x, y, text[start:end], size, fill)
            y += size * spacing
            start = end
        return y

    def qr(self, data: str, x: int, y: int, scale: int = 6) -> Rect:
        """A QR code (segno, error correction M, quiet zone 4) with its top-left at (x, y)."""
        import segno

        code = segno.make_qr(data, error="m")
        side = code.symbol_size(scale=scale)[0]
        img = Image.new("RGB", (side, side), (255, 255, 255))
        modules = code.matrix
        draw = ImageDraw.Draw(img)
        for row, bits in enumerate(modules):
            for col, bit in enumerate(bits):
                if bit:
                    left, top = (col + 4) * scale, (row + 4) * scale
                    draw.rectangle((left, top, left + scale - 1, top + scale - 1), fill=(0, 0, 0))
        self.image.paste(img, (x, y))
        box = (float(x), float(y), float(x + side), float(y + side))
        self.poster.codes.append((data, box))
        return box

    def finish(self, angle: float = 0.0) -> Poster:
        """The poster, rotated `angle` degrees counter-clockwise about its centre (the canvas
        keeps its size; the corners show white), with every glyph box rotated along: a
        rotated glyph's box is the axis-aligned box around its four rotated corners."""
        if not angle:
            return self.poster
        w, h = self.image.size
        rotated = self.image.rotate(
            angle, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255)
        )
        turn = _rotator(angle, w / 2, h / 2)
        lines = [
            DrawnLine(
                line.text, line.size, tuple(None if g is None else turn(g) for g in line.glyphs)
            )
            for line in self.poster.lines
        ]
        codes = [(data, turn(box)) for data, box in self.poster.codes]
        return Poster(rotated, lines, codes)


def _rotator(angle: float, cx: float, cy: float):
    """Map a rectangle to the bounding box of its corners after Pillow's rotate(angle)."""
    t = math.radians(angle)
    c, s = math.cos(t), math.sin(t)

    def point(x: float, y: float) -> tuple[float, float]:
        dx, dy = x - cx, y - cy
        return cx + dx * c + dy * s, cy - dx * s + dy * c

    def turn(r: Rect) -> Rect:
        corners = [point(x, y) for x in (r[0], r[2]) for y in (r[1], r[3])]
        xs = [p[0] for p in corners]
        ys = [p[1] for p in corners]
        return (min(xs), min(ys), max(xs), max(ys))

    return turn


def lines_poster(
    texts: Sequence[str],
    size: int,
    kind: str = "plain",
    angle: float = 0.0,
    width: int | None = None,
    seed: int = 0,
) -> Poster:
    """Each text on a line of its own, left-aligned, at one size."""
    f = font(size)
    margin = max(24, size)
    width = width or int(max(f.getlength(t) for t in texts) + 2 * margin)
    step = size * 1.8
    # Room above and below for the turn, so no glyph is turned off the canvas.
    top = margin + math.ceil(width * abs(math.sin(math.radians(angle))) / 2)
    height = int(2 * top + step * len(texts))
    canvas = Canvas(width, height, kind, seed)
    fill = (255, 235, 120) if kind == "red" else (20, 20, 20)
    for i, t in enumerate(texts):
        canvas.text(margin, top + i * step, t, size, fill)
    return canvas.finish(angle)


def ad_poster(seed: int = 0, kind: str = "photo", qr: str | None = None) -> Poster:
    """A 750×1334 phone poster: a large bold title, body paragraphs, a price line in red,
    and optionally a QR code at the bottom with its call to action."""
    rng = random.Random(seed)
    picks = rng.sample(SENTENCES, 6)
    canvas = Canvas(750, 1334, kind, seed)
    canvas.text(60, 70, picks[0][:10], 56, (150, 10, 20), bold=True)
    y = 200.0
    for sentence in picks[1:4]:
        y = canvas.paragraph(60, y, sentence, 34, 630) + 30
    canvas.text(60, y, picks[4][:14], 40, (200, 20, 20))
    y += 90
    if qr is not None:
        canvas.qr(qr, 60, int(y), scale=8)
        canvas.text(420, y + 90, "长按识别二维码", 30)
        canvas.text(420, y + 150, "添加专属顾问", 30)
    else:
        canvas.paragraph(60, y, picks[5], 30, 630)
    return canvas.finish()


def long_image(width: int = 1080, height: int = 4000, seed: int = 0) -> Poster:
    """A long WeChat-article image: paragraphs of body text down its whole height."""
    rng = random.Random(seed)
    canvas = Canvas(width, height, "plain", seed)
    y = 80.0
    size = 40
    while y < height - 200:
        text = "".join(rng.sample(SENTENCES, 3))
        y = canvas.paragraph(80, y, text, size, width - 160) + size
    return canvas.finish()


@dataclass(frozen=True)
class Scene:
    """A named test picture: `clean` ones are plain renders at a readable size (the ≥ 95 %
    accuracy target), the others are the hard cases. `fmt` is the file format to save as."""

    name: str
    poster: Poster
    clean: bool
    fmt: str = "PNG"
    quality: int = 60

    def save(self, folder: Path) -> Path:
        path = folder / f"{self.name}.{self.fmt.lower()}"
        image = self.poster.image
        if self.fmt == "JPEG":
            image.save(path, "JPEG", quality=self.quality)
        else:
            image.save(path, self.fmt)
        return path


def scenes(long: bool = True) -> list[Scene]:
    """The set both the tests and the benchmark read."""
    s = SENTENCES
    out = [
        Scene(f"clean-{size}", lines_poster(s[i : i + 4], size), True)
        for i, size in zip((0, 4, 8, 0, 4), (20, 24, 32, 48, 64), strict=True)
    ]
    out += [
        Scene("small-16", lines_poster(s[8:12], 16), False),
        Scene("photo-24", lines_poster(s[0:4], 24, "photo", seed=1), False),
        Scene("photo-32", lines_poster(s[4:8], 32, "photo", seed=2), False),
        Scene("red-40", lines_poster(s[8:12], 40, "red"), False),
        Scene("rotated+3", lines_poster(s[0:4], 32, "photo", angle=3, seed=3, width=900), False),
        Scene("rotated-5", lines_poster(s[4:8], 32, angle=-5, width=900), False),
        Scene("jpeg-24", lines_poster(s[8:12], 24, "photo", seed=4), False, "JPEG"),
        Scene("poster-qr", ad_poster(1, qr="https://u.wechat.com/EFx8s9dK3Ld"), False),
        Scene("poster-plain", ad_poster(2, kind="plain"), True),
    ]
    blurred = lines_poster(s[0:4], 24, "photo", seed=5)
    blurred.image = blurred.image.filter(ImageFilter.GaussianBlur(1.5))
    faint = Canvas(760, 300, "photo", seed=6)
    for i, t in enumerate(s[4:8]):
        faint.text(30, 30 + i * 60, t, 28, (150, 150, 160))
    out += [
        Scene("tiny-12", lines_poster(s[0:4], 12), False),
        Scene("blur-24", blurred, False),
        Scene("faint-28", faint.finish(), False),
        Scene("jpeg-q15-24", lines_poster(s[4:8], 24, "photo", seed=7), False, "JPEG", 15),
        Scene(
            "rotated-10", lines_poster(s[8:12], 32, "photo", angle=10, seed=8, width=1000), False
        ),
        Scene("rotated-30", lines_poster(s[0:4], 28, "photo", angle=-30, seed=9, width=900), False),
    ]
    if long:
        out.append(Scene("long-1080x4000", long_image(), True))
    return out


def damage(poster: Poster, box: Rect, share: float = 0.45) -> None:
    """Paste a white square over the middle `share` of a code's side, as a logo would:
    the finder marks stay, the data does not survive."""
    left, top, right, bottom = box
    side = (right - left) * share
    cx, cy = (left + right) / 2, (top + bottom) / 2
    ImageDraw.Draw(poster.image).rectangle(
        (cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2), fill=(255, 255, 255)
    )


def sun_code(canvas: Canvas, cx: float, cy: float, radius: float, seed: int = 0) -> Rect:
    """A drawing in the layout of a WeChat mini-program code: a logo disc in the middle,
    rays of random length around it, and three ring-and-dot finder marks at the top-left,
    top-right and bottom-left. Not a real code (its format is not public): a stand-in with
    the features the detector looks for."""
    rng = random.Random(seed)
    draw = canvas.draw
    dark = (30, 30, 30)
    rho = 0.72 * radius  # the marks' distance from the centre
    mark = 0.13 * radius
    eyes = [
        (cx - rho / math.sqrt(2), cy - rho / math.sqrt(2)),
        (cx + rho / math.sqrt(2), cy - rho / math.sqrt(2)),
        (cx - rho / math.sqrt(2), cy + rho / math.sqrt(2)),
    ]
    inner = 0.4 * radius
    rays = 96
    for k in range(rays):
        t = 2 * math.pi * k / rays
        length = rng.choice((0.25, 0.4, 0.55)) * radius
        x0, y0 = cx + inner * math.cos(t), cy + inner * math.sin(t)
        x1, y1 = cx + (inner + length) * math.cos(t), cy + (inner + length) * math.sin(t)
        if any(
            math.dist((x1, y1), e) < 1.6 * mark or math.dist((x0, y0), e) < 1.6 * mark for e in eyes
        ) or any(math.dist(((x0 + x1) / 2, (y0 + y1) / 2), e) < 1.6 * mark for e in eyes):
            continue
        draw.line((x0, y0, x1, y1), fill=dark, width=max(2, round(radius * 0.022)))
    for ex, ey in eyes:
        draw.ellipse((ex - mark, ey - mark, ex + mark, ey + mark), fill=dark)
        ring = mark * 0.68
        draw.ellipse((ex - ring, ey - ring, ex + ring, ey + ring), fill=(255, 255, 255))
        dot = mark * 0.38
        draw.ellipse((ex - dot, ey - dot, ex + dot, ey + dot), fill=dark)
    logo = 0.3 * radius
    draw.ellipse((cx - logo, cy - logo, cx + logo, cy + logo), fill=(40, 160, 70))
    return (cx - radius, cy - radius, cx + radius, cy + radius)
