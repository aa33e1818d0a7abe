"""Test pictures: a renderer whose every glyph position is known, and scores against it."""

from __future__ import annotations

import pytest


def require_extra() -> None:
    """Skip, saying why, unless the images extra and a CJK font are both there."""
    for name in ("rapidocr", "onnxruntime", "cv2", "PIL", "numpy", "segno"):
        pytest.importorskip(
            name, reason=f"the images extra is not installed ({name}): pip install -e '.[dev]'"
        )
    from images import render

    if render.find_font() is None:
        pytest.skip("no CJK font to draw test posters: apt-get install fonts-noto-cjk")
