"""Output formats, kept apart from the engine: each turns findings into text for one audience."""

from healthlint.formatters.base import Formatter, Report
from healthlint.formatters.json import JsonFormatter
from healthlint.formatters.text import TextFormatter

FORMATTERS: dict[str, type[Formatter]] = {
    "text": TextFormatter,
    "json": JsonFormatter,
}

__all__ = ["FORMATTERS", "Formatter", "Report"]
