"""No input takes time in the square of its size.

Each case is a hostile input a platform may be sent, linted at two sizes four times apart.
Linear time makes the larger one take about four times as long, quadratic time sixteen
times; the test fails at eight. Times are compared within one test (the best of three runs
of each size, measured again once if the first comparison fails), never against a fixed
limit, so a slow or busy machine does not fail it.
Every case here was measured at 1, 4 and 16 MB too (docs/testing.md, Linear time).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from healthlint import Linter

RATIO = 8

#: name -> (format, size in characters of the smaller input, how to make an input of a size)
CASES: dict[str, tuple[str, int, Callable[[int], str]]] = {
    "html: unclosed <h1>": ("html", 1 << 16, lambda n: "<h1>" + "<p>正文一句。</p>" * (n // 12)),
    "html: unclosed <script": ("html", 1 << 16, lambda n: "正文。<script" + " x" * (n // 2)),
    "html: <a without >": ("html", 1 << 16, lambda n: "<a " * (n // 3)),
    "html: unclosed comments": ("html", 1 << 16, lambda n: "<!-- x" * (n // 6)),
    "html: unclosed attribute quotes": ("html", 1 << 16, lambda n: '<img alt="' * (n // 10)),
    "html: end tags without >": ("html", 1 << 16, lambda n: "</p " * (n // 4)),
    "html: shown attributes": (
        "html",
        1 << 15,
        lambda n: '<img alt="彻底治愈" title="加微信">' * (n // 30),
    ),
    "markdown: soft-wrapped lines": (
        "markdown",
        1 << 16,
        lambda n: "这是一行没有结束的文字\n" * (n // 12),
    ),
    "markdown: unmatched backticks": ("markdown", 1 << 16, lambda n: "``a` " * (n // 5)),
    "markdown: unclosed link titles": ("markdown", 1 << 16, lambda n: '[a](x "' * (n // 7)),
    "text: many findings on one line": (
        "text",
        1 << 14,
        lambda n: "本品能彻底治愈糖尿病，" * (n // 11),
    ),
    "text: many contacts on one line": ("text", 1 << 14, lambda n: "加微信abc123，" * (n // 10)),
    "text: disguises on one line": (
        "text",
        1 << 14,
        lambda n: "彻😀底😀治😀愈\u202e愈治\u202c加В信①③⑧①②③④⑤⑥⑦⑧，" * (n // 40),
    ),
    "text: one character per line": ("text", 1 << 16, lambda n: "彻\n底\n治\n愈\n" * (n // 8)),
}


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def _best_time(linter: Linter, text: str, fmt: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        linter.lint(text, format=fmt)
        best = min(best, time.perf_counter() - start)
    return best


def _growth(linter: Linter, fmt: str, size: int, make: Callable[[int], str]) -> str | None:
    """None if four times the input took less than RATIO times as long, else the times."""
    small = _best_time(linter, make(size), fmt)
    large = _best_time(linter, make(4 * size), fmt)
    return None if large / max(small, 1e-4) < RATIO else f"{small:.3f}s, 4x larger {large:.3f}s"


@pytest.mark.parametrize("name", list(CASES))
def test_time_grows_linearly(linter: Linter, name: str) -> None:
    fmt, size, make = CASES[name]
    linter.lint(make(size // 16), format=fmt)  # warm up: tables, caches, jieba if needed
    # A busy machine can slow one measurement; quadratic time fails every time.
    first = _growth(linter, fmt, size, make)
    assert first is None or _growth(linter, fmt, size, make) is None, f"{name}: {first}"
