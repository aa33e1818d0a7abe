"""The command line: arguments in, exit code out. The only module that prints.

Exit codes (stable, for CI):
    0  no finding at or above --fail-on
    1  findings at or above --fail-on
    2  usage, input or configuration error (one line on stderr each; other files still linted)
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

from healthlint.config import Config
from healthlint.errors import HealthlintError, UsageError
from healthlint.finding import Severity

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit 2 like every other error."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see healthlint --help)")


def _csv(value: str) -> list[str]:
    return [v for v in (x.strip() for x in value.split(",")) if v]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="healthlint",
        description="Lint Chinese health content for overclaims, unsourced statistics, share and "
        "contact prompts, endorsements, fear appeals and missing disclaimers.",
        epilog="Exit codes: 0 clean, 1 findings at or above --fail-on, "
        "2 usage, input or configuration error.",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders to lint; - for standard input"
    )
    parser.add_argument(
        "--format", default="text", help="output format: text (default), json, sarif, github"
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="config file (default: nearest .healthlint.yaml or pyproject.toml)",
    )
    parser.add_argument(
        "--stdin-filename", metavar="NAME", help="name (and so format) of standard input"
    )
    parser.add_argument(
        "--input-format",
        choices=("text", "markdown", "html"),
        help="read every input as this format",
    )
    parser.add_argument(
        "--encoding", metavar="CODEC", help="decode input with this codec instead of detecting it"
    )
    parser.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        help="lowest severity that fails (default: warning)",
    )
    parser.add_argument(
        "--select",
        type=_csv,
        action="extend",
        metavar="RULES",
        help="only these rule ids or categories (comma-separated)",
    )
    parser.add_argument(
        "--ignore",
        type=_csv,
        action="extend",
        metavar="RULES",
        help="skip these rule ids or categories (comma-separated)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        metavar="GLOB",
        help="skip paths matching this glob (repeatable)",
    )
    parser.add_argument("--language", choices=("zh", "en"), help="message language (default: zh)")
    parser.add_argument(
        "--no-color", action="store_true", help="never colour the output (also: NO_COLOR=1)"
    )
    parser.add_argument("--version", action="version", version=f"healthlint {_version()}")
    return parser


def _version() -> str:
    from healthlint import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["batch"]:
        from healthlint.batch import main as batch

        return batch(args[1:])
    try:
        return _lint(args, sys.stdout, sys.stderr)
    except HealthlintError as exc:
        _report(exc, sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_ERROR
    except Exception as exc:  # never a traceback for users; say what and where to report
        _error(f"internal error: {type(exc).__name__}: {exc} (please report this)")
        return EXIT_ERROR


def _error(message: str) -> None:
    print(f"healthlint: {' '.join(message.split())}", file=sys.stderr)


def _report(error: HealthlintError, stream: TextIO) -> None:
    """One line: `path:line:col: message` when the error has a place, else `healthlint: …`."""
    print(str(error) if error.path else f"healthlint: {error}", file=stream)


def _lint(argv: list[str], out: TextIO, err: TextIO) -> int:
    from healthlint.engine import Linter
    from healthlint.formatters import FORMATTERS, Report
    from healthlint.source import input_format, iter_files, read_source, read_stdin

    args = build_parser().parse_args(argv)
    if args.format not in FORMATTERS:
        raise UsageError(f"unknown format {args.format!r}; choose one of {', '.join(FORMATTERS)}")
    if not args.paths:
        raise UsageError("no input: give files or folders to lint, or - for standard input")
    config = Config.load(args.config) if args.config else Config.discover()
    config = config.with_options(
        select=tuple(args.select) if args.select else None,
        ignore=tuple(config.ignore) + tuple(args.ignore) if args.ignore else None,
        exclude=tuple(config.exclude) + tuple(args.exclude) if args.exclude else None,
        language=args.language,
        fail_on=args.fail_on,
    )
    linter = Linter(config)
    color = not args.no_color and "NO_COLOR" not in os.environ and out.isatty()
    formatter = FORMATTERS[args.format](out, rules=linter.rules, color=color)
    formatter.start()
    reports: list[Report] = []
    errors = 0
    for item in _inputs(args.paths, config, iter_files):
        if isinstance(item, HealthlintError):
            _report(item, err)
            errors += 1
            continue
        try:
            if item == "-":
                name = args.stdin_filename or "-"
                source = read_stdin(name=name, encoding=args.encoding)
            else:
                name = str(item)
                source = read_source(item, encoding=args.encoding)
            fmt = input_format(name, args.input_format)
        except HealthlintError as exc:
            _report(exc, err)
            errors += 1
            continue
        report = Report(name, source.text, linter.lint(source.text, format=fmt))
        formatter.file(report)
        reports.append(report)
    formatter.finish(reports)
    if errors:
        return EXIT_ERROR
    threshold = Severity(config.fail_on).rank
    failing = any(Severity(f.severity).rank >= threshold for r in reports for f in r.findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def _inputs(paths: Sequence[str], config: Config, iter_files):  # type: ignore[no-untyped-def]
    """Standard input as "-", files in order; errors as values so the run goes on."""
    for path in paths:
        if path == "-":
            yield "-"
        else:
            yield from iter_files([path], exclude=config.exclude)
