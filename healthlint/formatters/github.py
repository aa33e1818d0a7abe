"""GitHub Actions workflow commands: one annotation per finding on the pull request's diff.

`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`. Property values and the
message are escaped the way the Actions runner unescapes them (`%` first, then CR and LF, and
in properties also `:` and `,`, which would otherwise end the value). Columns are those of
SARIF (UTF-16 units, end exclusive); the runner accepts columns only for a one-line
annotation, so a finding spanning lines gives lines only.
"""

from __future__ import annotations

from healthlint.finding import Finding
from healthlint.formatters.base import Formatter, Report
from healthlint.formatters.escape import printable
from healthlint.formatters.sarif import repository_path, utf16_region

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """The runner's escapes, then every other character that could act on the log's terminal
    spelled out (a file name can hold an escape sequence)."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(path: str, finding: Finding, source: str | None = None) -> str:
    """The workflow command for one finding of the file at `path`."""
    region = utf16_region(finding, source)
    one_line = region["startLine"] == region["endLine"]
    props = [
        ("file", repository_path(path).as_posix()),
        ("line", region["startLine"]),
        ("col", region["startColumn"] if one_line else None),
        ("endLine", region["endLine"]),
        ("endColumn", region["endColumn"] if one_line else None),
        ("title", f"healthlint {finding.rule} ({finding.category})"),
    ]
    message = finding.message
    if finding.suggestion:
        message = f"{message} {finding.suggestion}"
    severity = getattr(finding.severity, "value", finding.severity)
    joined = ",".join(f"{k}={escape_property(str(v))}" for k, v in props if v is not None)
    return f"::{COMMANDS[severity]} {joined}::{escape_data(message)}"


class GithubFormatter(Formatter):
    """`--format github`: annotations as each file is linted, nothing else on stdout."""

    def file(self, report: Report) -> None:
        for f in report.findings:
            self.stream.write(annotation(report.path_of(f), f, report.text_of(f)) + "\n")
