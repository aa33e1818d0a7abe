"""Decode an image file into an RGB pixel array, or say in one line why not."""

from __future__ import annotations

import os
from typing import Any

from ..errors import InputError

#: Formats read (Pillow's names); MPO is the JPEG variant some phone cameras write.
FORMATS = frozenset({"PNG", "JPEG", "MPO", "WEBP", "GIF"})
#: Refuse images with more pixels than this before decoding them, so a hostile or absurd
#: file cannot take gigabytes: 64 Mpx is a 1080 × 59,000 long image, or 8000 × 8000.
MAX_PIXELS = 64_000_000


def load_rgb(path: str) -> Any:
    """The image at `path` as an H × W × 3 uint8 array (RGB), its EXIF orientation applied,
    transparency flattened onto white (a poster's transparent background is meant to be
    seen on a light page, and text drawn on it must not vanish into black), GIFs at their
    first frame."""
    import numpy as np
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        size = os.path.getsize(path)
    except OSError as error:
        raise InputError(f"cannot read image: {error.strerror or error}", path=path) from None
    if size == 0:
        raise InputError("empty file, not an image", path=path)
    try:
        with Image.open(path) as image:
            if image.format not in FORMATS:
                raise InputError(
                    f"unsupported image format {image.format}: PNG, JPEG, WebP or GIF",
                    path=path,
                )
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise InputError(
                    f"image too large: {width} × {height} pixels (at most "
                    f"{MAX_PIXELS // 1_000_000} million)",
                    path=path,
                )
            image.seek(0)
            image.load()
            image = ImageOps.exif_transpose(image) or image
            rgb = _flatten(image)
            return np.asarray(rgb, dtype=np.uint8)
    except InputError:
        raise
    except UnidentifiedImageError:
        raise InputError("not an image (PNG, JPEG, WebP or GIF expected)", path=path) from None
    except Image.DecompressionBombError:
        raise InputError("image too large to decode safely", path=path) from None
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        # Pillow reports truncated and corrupt data as OSError ("image file is truncated"),
        # bad chunk data as SyntaxError or ValueError.
        message = str(error) or type(error).__name__
        raise InputError(f"cannot decode image: {message}", path=path) from None


def _flatten(image: Any) -> Any:
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if image.mode != "RGB":
        return image.convert("RGB")
    return image
