"""Output formats, kept apart from the engine: each turns findings into text for one audience.

`FORMATTERS` maps a format name to its formatter class. A run writes one format, so each
formatter's module is imported when its name is looked up, not with this package: importing
every formatter (and what SARIF and JSON need) on each start would cost the many runs that
print plain text.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from healthlint.formatters.base import Formatter, Report


class _Formatters(Mapping[str, type[Formatter]]):
    """Format name → formatter class, each imported on first look-up."""

    def __init__(self, classes: Mapping[str, str]) -> None:
        self._classes = classes  # name → "module:Class" inside healthlint.formatters

    def __getitem__(self, name: str) -> type[Formatter]:
        module, _, cls = self._classes[name].partition(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), cls)  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return iter(self._classes)

    def __len__(self) -> int:
        return len(self._classes)


FORMATTERS: Mapping[str, type[Formatter]] = _Formatters(
    {
        "text": "text:TextFormatter",
        "concise": "concise:ConciseFormatter",
        "json": "json:JsonFormatter",
        "sarif": "sarif:SarifFormatter",
        "github": "github:GithubFormatter",
        "gitlab": "gitlab:GitlabFormatter",
        "report": "report:ReportFormatter",
    }
)

__all__ = ["FORMATTERS", "Formatter", "Report"]
