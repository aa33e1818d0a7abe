"""One exception root. Every error carries where it happened; only the CLI turns it into text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class HealthlintError(Exception):
    """Base of every error healthlint raises on purpose.

    `path`, `line` and `column` (1-based) say where, when known; `str(error)` is the
    one-line form the CLI prints: ``path:line:col: message``.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = ":".join(str(x) for x in (self.path, self.line, self.column) if x is not None)
        text = " ".join(self.message.split())  # always one line
        return f"{where}: {text}" if where else text


class InputError(HealthlintError):
    """A file that cannot be read or decoded, a missing path, a binary file."""


class ConfigError(HealthlintError):
    """A configuration file that is not valid YAML/TOML or has unknown or ill-typed keys."""


class RuleError(HealthlintError):
    """A rule pack that cannot be loaded: bad YAML, unknown kind or category, invalid regex."""


class RuleTimeoutError(RuleError):
    """Rules whose regexes ran past their time limit on one text.

    Linting went on without them: `findings` holds what the other rules found, `errors` one
    `RuleError` per rule that did not finish (naming its pack and line), `rules` their ids.
    """

    def __init__(self, errors: Sequence[RuleError], rules: Sequence[str], findings: list[Any]):
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first.message + more, path=first.path, line=first.line)
        self.errors = tuple(errors)
        self.rules = tuple(rules)
        self.findings = findings


class UsageError(HealthlintError):
    """A command line that makes no sense (unknown rule id, conflicting options)."""
