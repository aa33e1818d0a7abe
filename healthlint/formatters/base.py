"""The formatter protocol: `start`, one `file` call per linted file, `finish` (flake8's shape)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from healthlint.config import Config
from healthlint.errors import HealthlintError
from healthlint.finding import Finding, RuleInfo


@dataclass(frozen=True)
class Report:
    """The findings of one linted file, with the source text to quote from."""

    path: str
    source: str
    findings: Sequence[Finding]


class Formatter:
    """Writes a run's output to `stream`; subclasses override what they need.

    `quiet`: findings only, no summary. `config`: the run's configuration, for formatters that
    report more than findings (the verdict of `report`). `rules` holds every rule of the run by
    the time `finish` is called (a run with configs of its own per folder meets more as it goes).
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        rules: Sequence[RuleInfo] = (),
        color: bool = False,
        quiet: bool = False,
        config: Config | None = None,
    ) -> None:
        self.stream = stream
        self.rules = rules
        self.color = color
        self.quiet = quiet
        self.config = config or Config()

    def start(self) -> None:
        """Before the first file."""

    def file(self, report: Report) -> None:
        """After each file is linted, in input order."""

    def problem(self, error: HealthlintError) -> None:
        """An input that could not be linted (the command line also prints it on stderr)."""

    def finish(self, reports: Sequence[Report]) -> None:
        """After the last file; `reports` holds every file's report."""
