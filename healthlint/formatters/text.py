"""The default output, for people: where, what, why, the line with the characters marked."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence

from healthlint.formatters.base import Formatter, Report

_COLORS = {"error": "31", "warning": "33", "info": "36", "dim": "2", "bold": "1"}
_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


class TextFormatter(Formatter):
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
                self.stream.write(f"    {self._paint('dim', '建议:')} {f.suggestion}\n")
            if f.basis:
                self.stream.write(f"    {self._paint('dim', '依据:')} {f.basis}\n")

    def finish(self, reports: Sequence[Report]) -> None:
        if self.quiet:
            return
        counts = Counter(f.severity for r in reports for f in r.findings)
        files = sum(1 for r in reports if r.findings)
        if not counts:
            self.stream.write(f"{len(reports)} 个文件，未发现问题。\n")
            return
        order = ("error", "warning", "info")
        parts = "，".join(f"{counts[s]} 个{_LABELS[s]}" for s in order if counts[s])
        self.stream.write(f"\n{len(reports)} 个文件中有 {files} 个存在问题：{parts}。\n")

    def _quote(self, line: str, column: int, end_column: int | None) -> None:
        """The source line and a caret line under the flagged characters (wide CJK aware)."""
        line = line.replace("\t", " ")
        end = end_column if end_column is not None else len(line)
        pad = _width(line[: column - 1])
        marks = max(_width(line[column - 1 : end]), 1)
        self.stream.write(f"    {line}\n    {' ' * pad}{self._paint('error', '^' * marks)}\n")

    def _paint(self, style: str, text: str) -> str:
        return f"\033[{_COLORS[style]}m{text}\033[0m" if self.color else text


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
