"""The README's fenced blocks, by section, for the tests that run them as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
#: The one URL the recipes name for this repository; tests replace it with a local clone.
REPOSITORY = "https://github.com/healthlint/healthlint"


def blocks(section: str, language: str, path: Path = README) -> list[str]:
    """The fenced `language` blocks under the `## section` heading, in order."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f"\n## {section}\n")
    end = text.find("\n## ", start + 1)
    body = text[start : end if end > 0 else len(text)]
    return re.findall(rf"^```{language}\n(.*?)^```$", body, flags=re.M | re.S)
