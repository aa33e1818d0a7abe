"""One lint run over many inputs: read, lint, fix, and hand each result to a front end.

The command line, batch runs and the servers lint through a `Session`, so everywhere a rule
whose regex runs out of time is reported once and then left out for the rest of the run, and
fixes are applied and re-linted the same way. Nothing here prints: problems come back as
`HealthlintError` values, in input order, for the front end to show.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from healthlint.config import Config
from healthlint.engine import Linter
from healthlint.errors import HealthlintError, RuleTimeoutError
from healthlint.finding import Finding


def load_config(path: str | os.PathLike[str] | None = None, **options: Any) -> Config:
    """`--config FILE`, else the configuration discovered from the current folder, with
    `options` (None values are ignored) applied on top."""
    config = Config.load(path) if path else Config.discover()
    return config.with_options(**options) if options else config


def load_linter(
    config_path: str | os.PathLike[str] | None = None,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    **options: Any,
) -> Linter:
    """A Linter for `load_config(config_path, **options)`."""
    return Linter(load_config(config_path, **options), cache_dir=cache_dir)


@dataclass(frozen=True)
class Linted:
    """One input's result: `text` is what the findings point into (the fixed text once a fix
    was written), `fixed` how many fixes were applied, `diff` the fixes as a unified diff."""

    name: str
    text: str
    findings: list[Finding]
    fixed: int = 0
    diff: str = ""


class Session:
    """A Linter for one run, and what the run learns: a rule that runs out of time on one text
    is dropped for every later one, so a pathological pattern cannot stall a whole folder."""

    def __init__(self, config: Config, *, cache_dir: str | os.PathLike[str] | None = None) -> None:
        self.cache_dir = None if cache_dir is None else Path(cache_dir)
        self.config = config
        self.linter = Linter(config, cache_dir=self.cache_dir)

    def lint(
        self, text: str, *, format: str, name: str
    ) -> tuple[list[Finding], list[HealthlintError]]:
        """The findings in `text`, and the time-outs met on it (each naming `name`)."""
        try:
            return self.linter.lint(text, format=format), []
        except RuleTimeoutError as exc:
            self.config = self.config.with_options(ignore=(*self.config.ignore, *exc.rules))
            self.linter = Linter(self.config, cache_dir=self.cache_dir)
            problems: list[HealthlintError] = [
                type(e)(
                    f"{e.message} (on {name}; rule skipped from here on)", path=e.path, line=e.line
                )
                for e in exc.errors
            ]
            return exc.findings, problems


def lint_paths(
    session: Session,
    paths: Iterable[str],
    *,
    stdin_name: str | None = None,
    encoding: str | None = None,
    input_format: str | None = None,
    fix: str | None = None,
) -> Iterator[Linted | HealthlintError]:
    """Lint files, folders and `-` (standard input) in order; every problem is yielded as an
    error value and the run goes on. `fix` is None, "write" (apply the rules' fixes to the
    files, then lint what is left) or "diff" (compute the fixes, write nothing)."""
    from healthlint.sources.decode import read_source, read_stdin
    from healthlint.sources.files import input_format as format_of
    from healthlint.sources.files import iter_files

    if fix is not None:
        from healthlint.results import fix as fixing

        fixes = fixing.fixes_of(session.linter.rules)
    for item in _inputs(paths, session.config, iter_files):
        if isinstance(item, HealthlintError):
            yield item
            continue
        try:
            if item == "-":
                name = stdin_name or "-"
                source = read_stdin(name=name, encoding=encoding)
            else:
                name = str(item)
                source = read_source(item, encoding=encoding)
            fmt = format_of(name, input_format)
            text = source.text
            findings, problems = session.lint(text, format=fmt, name=name)
            yield from problems
            if fix is None:
                yield Linted(name, text, findings)
                continue
            new_text, applied = fixing.apply_fixes(text, findings, fixes)
            if not applied:
                yield Linted(name, text, findings)
            elif fix == "diff":
                yield Linted(
                    name, text, findings, len(applied), fixing.unified_diff(name, text, new_text)
                )
            else:
                fixing.write_fixed(source, new_text)
                findings, problems = session.lint(new_text, format=fmt, name=name)
                yield from problems
                yield Linted(name, new_text, findings, len(applied))
        except HealthlintError as exc:
            yield exc


def _inputs(paths: Iterable[str], config: Config, iter_files: Any) -> Iterator[Any]:
    """Standard input as "-", files in order; errors as values so the run goes on. Paths go
    to `iter_files` together, so a file named twice or reached twice is linted once."""
    import itertools

    for is_stdin, group in itertools.groupby(paths, key=lambda path: path == "-"):
        if is_stdin:
            yield from group
        else:
            yield from iter_files(list(group), exclude=config.exclude)
