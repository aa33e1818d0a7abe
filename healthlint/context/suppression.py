"""Inline suppressions in Markdown/HTML comments, which readers never show as prose.

    <!-- healthlint-disable-next-line cure-promise -->
    <!-- healthlint-disable-line overclaim -->
    <!-- healthlint-disable share-solicitation --> … <!-- healthlint-enable -->

Each directive names the rules or categories it silences (comma or space separated); a
directive naming none silences everything, which is allowed but shown in `explain`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from healthlint.document import Document
from healthlint.finding import Finding

DIRECTIVE = re.compile(
    r"<!--\s*healthlint-(?P<what>disable-next-line|disable-line|disable|enable)\b(?P<names>[\s\S]*?)-->"
)


@dataclass(frozen=True)
class Suppression:
    start: int
    end: int
    names: frozenset[str] | None  # None: every rule

    def covers(self, finding: Finding) -> bool:
        return self.start <= finding.start < self.end and (
            self.names is None or finding.rule in self.names or finding.category in self.names
        )


def parse(document: Document) -> tuple[Suppression, ...]:
    """The suppressed regions of a document, from its directive comments."""
    source = document.source
    if "healthlint-" not in source:
        return ()
    out: list[Suppression] = []
    open_blocks: list[tuple[int, frozenset[str] | None]] = []
    for m in DIRECTIVE.finditer(source):
        what = m.group("what")
        names = frozenset(re.split(r"[\s,]+", m.group("names").strip())) - {""} or None
        if what == "disable":
            open_blocks.append((m.end(), names))
        elif what == "enable":
            still_open = []
            for start, block in open_blocks:
                if names is None or block is None or block <= names:
                    out.append(Suppression(start, m.start(), block))
                else:
                    out.append(Suppression(start, m.start(), block & names))
                    still_open.append((m.end(), block - names))
            open_blocks = still_open
        else:
            line, _ = document.position(m.end() - 1)
            if what == "disable-next-line":
                line += 1
            if line <= len(document.line_starts):
                start = document.line_starts[line - 1]
                end = (
                    document.line_starts[line] if line < len(document.line_starts) else len(source)
                )
                out.append(Suppression(start, end, names))
    out.extend(Suppression(start, len(source), names) for start, names in open_blocks)
    return tuple(out)


def suppressed(finding: Finding, suppressions: tuple[Suppression, ...]) -> bool:
    return any(s.covers(finding) for s in suppressions)
