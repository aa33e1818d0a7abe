"""`--format concise`: one line per finding, `path:line:col: severity [rule] message`, the
shape editors' problem matchers and `grep` read (flake8's and ruff's concise output)."""

from __future__ import annotations

from collections.abc import Sequence

from healthlint.finding import Finding
from healthlint.formatters.base import Formatter, Report
from healthlint.formatters.escape import printable


def line(path: str, f: Finding) -> str:
    """The line of one finding."""
    message = " ".join(f.message.split())
    return printable(f"{path}:{f.line}:{f.column}: {f.severity} [{f.rule}] {message}")


class ConciseFormatter(Formatter):
    def file(self, report: Report) -> None:
        for finding in report.findings:
            self.stream.write(line(report.path_of(finding), finding) + "\n")

    def finish(self, reports: Sequence[Report]) -> None:
        if not self.quiet:
            count = sum(len(r.findings) for r in reports)
            self.stream.write(f"{count} finding(s) in {len(reports)} file(s)\n")
