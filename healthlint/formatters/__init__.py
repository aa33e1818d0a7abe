"""Output formats, kept apart from the engine: each turns findings into text for one audience."""

from healthlint.formatters.base import Formatter, Report
from healthlint.formatters.github import GithubFormatter
from healthlint.formatters.json import JsonFormatter
from healthlint.formatters.report import ReportFormatter
from healthlint.formatters.sarif import SarifFormatter
from healthlint.formatters.text import TextFormatter

FORMATTERS: dict[str, type[Formatter]] = {
    "text": TextFormatter,
    "json": JsonFormatter,
    "sarif": SarifFormatter,
    "github": GithubFormatter,
    "report": ReportFormatter,
}

__all__ = ["FORMATTERS", "Formatter", "Report"]
