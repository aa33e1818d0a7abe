"""The default output, for people: where, what, why, the line with the characters marked."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence

from healthlint.formatters.base import Formatter, Report

_COLORS = {"error": "31", "warning": "33", "info": "36", "dim": "2", "bold": "1"}
_WORDS = {
    "zh": {
        "error": "错误",
        "warning": "警告",
        "info": "提示",
        "suggestion": "建议:",
        "basis": "依据:",
        "clean": "{files} 个文件，未发现问题。",
        "summary": "{files} 个文件中有 {dirty} 个存在问题：{parts}。",
        "count": "{n} 个{label}",
        "join": "，",
    },
    "en": {
        "error": "errors",
        "warning": "warnings",
        "info": "notes",
        "suggestion": "suggestion:",
        "basis": "basis:",
        "clean": "{files} file(s), no problems found.",
        "summary": "{dirty} of {files} file(s) with problems: {parts}.",
        "count": "{n} {label}",
        "join": ", ",
    },
}
_CONTEXT = 30  # characters of the source line shown either side of a finding


class TextFormatter(Formatter):
    @property
    def words(self) -> dict[str, str]:
        return _WORDS[self.config.language if self.config else "zh"]

    def file(self, report: Report) -> None:
        lines = report.source.splitlines()
        for f in report.findings:
            where = self._paint("bold", f"{report.path}:{f.line}:{f.column}")
            severity = self._paint(f.severity, f.severity)
            self.stream.write(f"{where}: {severity} [{f.rule}] {f.message}\n")
            if 0 < f.line <= len(lines):
                end = f.end_column if f.end_line == f.line else None
                self._quote(lines[f.line - 1], f.column, end)
            if f.suggestion:
                label = self._paint("dim", self.words["suggestion"])
                self.stream.write(f"    {label} {f.suggestion}\n")
            if f.basis:
                self.stream.write(f"    {self._paint('dim', self.words['basis'])} {f.basis}\n")

    def finish(self, reports: Sequence[Report]) -> None:
        if self.quiet:
            return
        counts = Counter(f.severity for r in reports for f in r.findings)
        words = self.words
        if not counts:
            self.stream.write(words["clean"].format(files=len(reports)) + "\n")
            return
        order = ("error", "warning", "info")
        parts = words["join"].join(
            words["count"].format(n=counts[s], label=words[s]) for s in order if counts[s]
        )
        dirty = sum(1 for r in reports if r.findings)
        summary = words["summary"].format(files=len(reports), dirty=dirty, parts=parts)
        self.stream.write(f"\n{summary}\n")

    def _quote(self, line: str, column: int, end_column: int | None) -> None:
        """The source line around the finding and carets under the flagged characters.

        Chinese paragraphs are often one long line, so only `_CONTEXT` characters either side
        are shown; carets count display width, two columns for each wide CJK character.
        """
        line = line.replace("\t", " ")
        end = end_column if end_column is not None else len(line)
        lo = max(column - 1 - _CONTEXT, 0)
        hi = min(end + _CONTEXT, len(line))
        head = "..." if lo else ""
        shown = head + line[lo:hi] + ("..." if hi < len(line) else "")
        pad = _width(head + line[lo : column - 1])
        marks = max(_width(line[column - 1 : end]), 1)
        self.stream.write(f"    {shown}\n    {' ' * pad}{self._paint('error', '^' * marks)}\n")

    def _paint(self, style: str, text: str) -> str:
        return f"\033[{_COLORS[style]}m{text}\033[0m" if self.color else text


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
