"""healthlint: a compliance linter for Chinese health content.

    >>> import healthlint
    >>> [f.rule for f in healthlint.lint_text("本品能彻底治愈糖尿病，永不复发！")]  # doctest: +SKIP
    ['cure-promise', 'no-relapse']

`Linter` is built once (rule packs compiled, config applied) and then lints any number of
texts, from any number of threads; `lint_text` and `lint_file` use a shared default Linter.
"""

from __future__ import annotations

import os
from functools import lru_cache

from healthlint.config import Config
from healthlint.engine import Linter
from healthlint.errors import ConfigError, HealthlintError, InputError, RuleError, UsageError
from healthlint.finding import CATEGORIES, Finding, Result, RuleInfo, Severity
from healthlint.version import __version__

__all__ = [
    "CATEGORIES",
    "Config",
    "ConfigError",
    "Finding",
    "HealthlintError",
    "InputError",
    "Linter",
    "Result",
    "RuleError",
    "RuleInfo",
    "Severity",
    "UsageError",
    "__version__",
    "lint_file",
    "lint_text",
]


@lru_cache(maxsize=1)
def _default_linter() -> Linter:
    return Linter()


def lint_text(text: str, *, path: str | None = None, format: str | None = None) -> list[Finding]:
    """Findings in `text` with the default rules; `path` or `format` choose the reader."""
    return _default_linter().lint(text, path=path, format=format)


def lint_file(path: str | os.PathLike[str], *, encoding: str | None = None) -> list[Finding]:
    """Findings in a file: its encoding is detected (or given) and its format comes from
    its extension. Offsets are into the decoded text."""
    from healthlint.sources.decode import read_source

    source = read_source(path, encoding=encoding)
    return _default_linter().lint(source.text, path=os.fspath(path))
