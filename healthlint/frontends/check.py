"""`healthlint check PATH …` (and plain `healthlint PATH …`): lint files and folders.

Only `--fix` and `--write-baseline` write files (and `--output-file` its report). A run that
lints nothing, an empty folder or only unsupported files, says so and exits 2, as eslint does:
a CI job pointed at the wrong folder must not pass. Files named explicitly that an exclude
leaves out are not an error (pre-commit names every staged file).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from healthlint.errors import HealthlintError, UsageError
from healthlint.finding import Severity
from healthlint.frontends.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Parser, report

if TYPE_CHECKING:
    from healthlint.formatters import Formatter, Report
    from healthlint.run import Configs, Linted, Sessions, Tally

#: Output formats, for --help and completion (healthlint.formatters.FORMATTERS has them all).
FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "report")
INPUT_FORMATS = ("text", "markdown", "html")


def _csv(value: str) -> list[str]:
    return [v for v in (x.strip() for x in value.split(",")) if v]


def build_parser() -> argparse.ArgumentParser:
    """The lint command's options, which `healthlint --help` shows with the commands."""
    from healthlint.frontends.cli import commands_help

    parser = Parser(
        prog="healthlint",
        usage="healthlint [check] [OPTIONS] [PATH ...]\n       healthlint COMMAND [OPTIONS]",
        description="Lint Chinese health content for overclaims, unsourced statistics, share "
        "and contact prompts, endorsements, fear appeals and missing disclaimers.",
        epilog=commands_help() + "\n\nExit codes: 0 clean, 1 findings at or above --fail-on, "
        "2 usage, input or configuration error, or nothing linted.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders to lint; - for standard input"
    )
    parser.add_argument("--version", action="version", version=f"healthlint {_version()}")
    _input_options(parser.add_argument_group("input"))
    _selection_options(parser.add_argument_group("rules and configuration"))
    _output_options(parser.add_argument_group("output"))
    _change_options(parser.add_argument_group("baselines and fixes"))
    return parser


def _input_options(group: Any) -> None:
    group.add_argument(
        "--stdin-filename", metavar="NAME", help="name (and so format) of standard input"
    )
    group.add_argument(
        "--input-format", choices=INPUT_FORMATS, help="read every input as this format"
    )
    group.add_argument("--encoding", metavar="CODEC", help="decode input with this codec")
    group.add_argument(
        "--exclude",
        type=_csv,
        action="extend",
        metavar="PATTERNS",
        help="also skip paths matching these gitignore patterns (relative to the current folder)",
    )
    group.add_argument(
        "--no-respect-gitignore",
        dest="respect_gitignore",
        action="store_false",
        default=None,
        help="lint what .gitignore files ignore, too",
    )
    group.add_argument(
        "--images",
        choices=("auto", "always", "never"),
        help="read pictures and the local images documents show (default: auto, when the "
        "images extra is installed)",
    )
    group.add_argument(
        "--show-files", action="store_true", help="list the files that would be linted, and stop"
    )
    group.add_argument(
        "--jobs", "-j", type=int, metavar="N", help="processes past 2,000 files (default: all)"
    )


def _selection_options(group: Any) -> None:
    group.add_argument(
        "--config", metavar="FILE", help="config file (default: the nearest to each path)"
    )
    group.add_argument(
        "--isolated", action="store_true", help="read no config file: defaults and options only"
    )
    group.add_argument(
        "--no-inline-config",
        dest="inline_config",
        action="store_false",
        default=None,
        help="ignore <!-- healthlint-disable --> comments in the texts (for submissions)",
    )
    group.add_argument(
        "--select", type=_csv, action="extend", metavar="RULES", help="only these ids or categories"
    )
    group.add_argument(
        "--ignore", type=_csv, action="extend", metavar="RULES", help="skip these ids or categories"
    )
    group.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        help="lowest severity that fails (default: warning)",
    )
    group.add_argument(
        "--show-config", action="store_true", help="print the config file used and every setting"
    )


def _output_options(group: Any) -> None:
    group.add_argument(
        "--format", default="text", choices=FORMATS, help="output format (default: text)"
    )
    group.add_argument("--output-file", "-o", metavar="FILE", help="write the report here")
    group.add_argument("--language", choices=("zh", "en"), help="message language (default: zh)")
    group.add_argument("--no-color", action="store_true", help="never colour (also: NO_COLOR=1)")
    group.add_argument("--quiet", "-q", action="store_true", help="findings only, no summary")
    group.add_argument(
        "--statistics", action="store_true", help="then the number of findings per rule"
    )


def _change_options(group: Any) -> None:
    group.add_argument("--baseline", metavar="FILE", help="report only findings not in FILE")
    group.add_argument(
        "--write-baseline", action="store_true", help="record the findings in --baseline FILE"
    )
    group.add_argument("--fix", action="store_true", help="apply the rules' safe fixes")
    group.add_argument("--diff", action="store_true", help="print the fixes as a unified diff")


def _version() -> str:
    from healthlint.version import __version__

    return __version__


def main(argv: Sequence[str]) -> int:
    """Run `healthlint check`; returns the exit code."""
    from healthlint.rules.cache import default_cache_dir
    from healthlint.run import Configs, Overrides, Sessions

    args = build_parser().parse_args(list(argv))
    _check_combinations(args)
    overrides = Overrides(
        select=tuple(args.select) if args.select else None,
        ignore=tuple(args.ignore or ()),
        language=args.language,
        fail_on=args.fail_on,
        respect_gitignore=args.respect_gitignore,
        inline_config=args.inline_config,
        images=args.images,
    )
    configs = Configs(args.config, isolated=args.isolated, overrides=overrides)
    if args.show_config:
        return _show_config(configs, args.paths or ["."], sys.stdout)
    sessions = Sessions(configs, cache_dir=default_cache_dir(), exclude=tuple(args.exclude or ()))
    if args.show_files:
        return _show_files(sessions, args.paths or ["."], sys.stdout)
    if not args.paths:
        raise UsageError("no input: give files or folders to lint, or - for standard input")
    with _output(args.output_file) as out:
        return _Run(args, sessions, out).execute()


def _check_combinations(args: argparse.Namespace) -> None:
    if args.write_baseline and not args.baseline:
        raise UsageError("--write-baseline needs --baseline FILE to write to")
    if args.write_baseline and (args.fix or args.diff):
        raise UsageError("--write-baseline cannot be combined with --fix or --diff")
    if args.fix and not args.diff and "-" in args.paths:
        raise UsageError("--fix cannot write standard input; use --diff to see the fixes")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    try:
        stream = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise UsageError(f"cannot write --output-file {path}: {exc.strerror}") from None
    with stream:
        yield stream


def _show_config(configs: Configs, paths: Sequence[str], out: TextIO) -> int:
    """Each config file the paths get (or `none`) and every effective setting, as YAML."""
    shown: set[str | None] = set()
    for path in paths:
        source = configs.source(None if path == "-" else path)
        if source in shown:
            continue
        shown.add(source)
        settings = configs.for_path(None if path == "-" else path).settings()
        out.write(f"# {path}\nconfig: {json.dumps(source)}\n")
        for key, value in settings.items():
            out.write(f"{key}: {json.dumps(value, ensure_ascii=False)}\n")
    return EXIT_OK


def _show_files(sessions: Sessions, paths: Sequence[str], out: TextIO) -> int:
    """What a run over `paths` would lint, one file a line, without reading any of them."""
    from healthlint.formatters.escape import printable
    from healthlint.run import list_inputs

    errors = listed = 0
    for item in list_inputs(sessions, paths):
        if isinstance(item, HealthlintError):
            report(item)
            errors += 1
        else:
            out.write(printable(item) + "\n")
            listed += 1
    return EXIT_ERROR if errors or not listed else EXIT_OK


class _Run:
    """One lint run of the command line: results to the formatter, the summary, the exit code."""

    def __init__(self, args: argparse.Namespace, sessions: Sessions, out: TextIO) -> None:
        from healthlint.formatters import FORMATTERS
        from healthlint.run import Tally

        self.args = args
        self.sessions = sessions
        self.out = out
        self.tally: Tally = Tally()
        first = sessions.for_path(next((p for p in args.paths if p != "-"), None))
        color = not args.no_color and not os.environ.get("NO_COLOR") and out.isatty()
        self.formatter: Formatter = FORMATTERS[args.format](
            out, rules=first.rules, color=color, quiet=args.quiet, config=first.config
        )
        self.errors = 0
        self.failing = False

    def execute(self) -> int:
        args = self.args
        if args.baseline and args.write_baseline:
            return self._write_baseline()
        self.formatter.start()
        reports = [self._report(r) for r in self._linted()]
        if args.diff or args.fix:
            self._fix_summary()
        if args.diff:
            return EXIT_ERROR if self.errors else EXIT_FINDINGS if self.tally.fixes else EXIT_OK
        if self._nothing_linted():
            return EXIT_ERROR if not self.tally.excluded else EXIT_OK
        self.formatter.rules = self.sessions.rules()
        self.formatter.finish(reports)
        if args.statistics:
            (self.out if args.format == "text" else sys.stderr).write(_statistics(reports))
        if self.errors:
            return EXIT_ERROR
        return EXIT_FINDINGS if self.failing else EXIT_OK

    def _linted(self) -> Iterator[Linted]:
        """The run's results in input order; errors are shown as they come and counted."""
        from healthlint.run import Linted, Reading, lint_paths

        args = self.args
        fix = "diff" if args.diff else "write" if args.fix else None
        reading = Reading(args.stdin_filename, args.encoding, args.input_format, fix)
        for result in lint_paths(
            self.sessions, args.paths, reading, tally=self.tally, jobs=args.jobs
        ):
            if isinstance(result, Linted):
                yield result
            else:
                report(result)
                self.formatter.problem(result)
                self.errors += 1

    def _report(self, result: Linted) -> Report:
        from healthlint.formatters import Report

        findings = result.findings
        if self.args.baseline:
            findings = self._baseline().filter_new(result.name, result.text, findings)
        if self.args.diff:
            self.out.write(result.diff)
        else:
            threshold = Severity(result.fail_on).rank
            self.failing |= any(Severity(f.severity).rank >= threshold for f in findings)
        report = Report(
            result.name,
            result.text,
            findings,
            result.register,
            result.product_types,
            result.images,
        )
        if not self.args.diff:
            self.formatter.file(report)
        return report

    def _baseline(self) -> Any:
        if not hasattr(self, "_known"):
            from healthlint.results import baseline

            self._known = baseline.load(self.args.baseline)
        return self._known

    def _write_baseline(self) -> int:
        from healthlint.results import baseline
        from healthlint.results.fix import write_atomic

        folder = os.path.dirname(os.path.abspath(self.args.baseline))
        entries = [
            entry
            for result in self._linted()
            for entry in baseline.entries_for(result.name, result.text, result.findings, folder)
        ]
        if self._nothing_linted():
            return EXIT_ERROR
        write_atomic(self.args.baseline, baseline.dumps(entries).encode("utf-8"))
        count = sum(e.count for e in entries)
        print(f"healthlint: recorded {count} findings in {self.args.baseline}", file=sys.stderr)
        return EXIT_ERROR if self.errors else EXIT_OK

    def _fix_summary(self) -> None:
        tally = self.tally
        verb = "would apply" if self.args.diff else "applied"
        files = "file" if tally.fixed_files == 1 else "files"
        fixes = "fix" if tally.fixes == 1 else "fixes"
        print(
            f"healthlint: {verb} {tally.fixes} {fixes} in {tally.fixed_files} {files}",
            file=sys.stderr,
        )

    def _nothing_linted(self) -> bool:
        """Say so when no file was linted: exit 2 for an empty selection, a note when every
        file named was excluded by the configuration."""
        if self.tally.linted or self.errors:
            return False
        if self.tally.excluded:
            print(
                f"healthlint: nothing was linted: the configuration excludes every file named "
                f"({len(self.tally.excluded)})",
                file=sys.stderr,
            )
        else:
            print(
                "healthlint: nothing was linted: no Markdown, text or HTML file under "
                + ", ".join(self.args.paths)
                + " (or every one is excluded)",
                file=sys.stderr,
            )
        return True


def _statistics(reports: Sequence[Report]) -> str:
    """`count  rule  category`, most frequent first, for --statistics."""
    counts = Counter((f.rule, f.category) for r in reports for f in r.findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    count_width = max((len(str(n)) for _, n in rows), default=1)
    rule_width = max((len(rule) for (rule, _), _ in rows), default=1)
    return "".join(
        f"{n:>{count_width}}  {rule:<{rule_width}}  {category}\n" for (rule, category), n in rows
    )
