"""Start-up stays cheap: nothing is imported before something needs it.

Importing a Chinese word segmenter costs far more than Python's own start, and a pre-commit
hook pays start-up on every commit, so `--help`, `rules` and a text with no candidate hit of
a word-boundary rule must never import one. Likewise a run whose rule packs come from the
cache parses no YAML, and plain-text output needs neither the other formatters nor the fixing
and baseline modules.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SEGMENTERS = {"jieba", "rjieba"}
PROBE = f"""
import sys
from healthlint.frontends.cli import main
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


#: Modules a text-output lint with the rules cached has no use for.
NOT_AT_START = {
    "yaml",
    "healthlint.results.baseline",
    "healthlint.results.fix",
    "healthlint.formatters.github",
    "healthlint.formatters.json",
    "healthlint.formatters.report",
    "healthlint.formatters.sarif",
}
LINT_PROBE = f"""
import sys
from healthlint.frontends.cli import main
main(sys.argv[1:])
print("imported:", *sorted(set(sys.modules) & {NOT_AT_START!r}))
"""


def test_cached_start_imports_only_what_it_uses(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("本品能彻底治愈糖尿病。\n", encoding="utf-8")
    command = [sys.executable, "-c", LINT_PROBE, str(article)]
    subprocess.run(command, capture_output=True, check=False)  # fills the rules cache
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "imported:", result.stderr
