"""Start-up stays cheap: the segmenter loads only when a rule needs word boundaries checked.

Importing a Chinese word segmenter costs far more than Python's own start, and a pre-commit
hook pays start-up on every commit, so `--help`, `rules` and a text with no candidate hit of
a word-boundary rule must never import one.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

SEGMENTERS = {"jieba", "rjieba"}
PROBE = f"""
import sys
from healthlint.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("imported:", *sorted({{m.split(".")[0] for m in sys.modules}} & {SEGMENTERS!r}))
"""


@pytest.mark.parametrize(
    ("argv", "stdin"),
    [(("--help",), ""), (("rules",), ""), (("-",), "今天天气不错，我们去公园散步吧。\n")],
)
def test_no_segmenter_without_need(argv: tuple[str, ...], stdin: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], input=stdin, capture_output=True, text=True
    )
    assert result.stdout.splitlines()[-1] == "imported:", result.stderr
