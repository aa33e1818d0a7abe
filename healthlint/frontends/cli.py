"""The command line: arguments in, exit code out. The only module that prints.

Exit codes (stable, for CI):
    0  no finding at or above --fail-on
    1  findings at or above --fail-on (with --diff: a fix would change a file)
    2  usage, input or configuration error (one line on stderr each; other files still linted)

Subcommands: `healthlint rules`, `healthlint explain RULE`, `healthlint batch FILE`,
`healthlint eval`, `healthlint server` (language server), `healthlint serve` (web checker);
anything else is the lint command. Only `--fix` and `--write-baseline` write files.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from healthlint.errors import HealthlintError, UsageError
from healthlint.finding import Severity

if TYPE_CHECKING:
    from healthlint.engine import Linter
    from healthlint.formatters import Report

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
        "--format",
        default="text",
        help="output format: text (default), json, sarif, github, report (JSON with a verdict "
        "per document)",
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
    parser.add_argument(
        "--quiet", "-q", action="store_true", help="print the findings only, no summary"
    )
    parser.add_argument(
        "--statistics",
        action="store_true",
        help="after the output, the number of findings per rule (on stderr unless --format text)",
    )
    parser.add_argument(
        "--baseline",
        metavar="FILE",
        help="report only findings not recorded in this baseline file",
    )
    parser.add_argument(
        "--write-baseline",
        action="store_true",
        help="record the current findings in the --baseline FILE instead of reporting them",
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="apply the rules' safe fixes to the files, then report what is left",
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="print the fixes as a unified diff instead of writing them or reporting findings",
    )
    parser.add_argument("--version", action="version", version=f"healthlint {_version()}")
    return parser


def _version() -> str:
    from healthlint.version import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] and args[0] in _FRONT_ENDS:
        module = importlib.import_module(f"healthlint.frontends.{_FRONT_ENDS[args[0]]}")
        return int(module.main(args[1:]))
    try:
        if args and args[0] in _SUBCOMMANDS:
            return _SUBCOMMANDS[args[0]](args[1:], sys.stdout)
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


def _report(error: HealthlintError, stream: TextIO, context: str = "") -> None:
    """One line: `path:line:col: message` when the error has a place, else `healthlint: …`."""
    print((str(error) if error.path else f"healthlint: {error}") + context, file=stream)


def _lint(argv: list[str], out: TextIO, err: TextIO) -> int:
    from healthlint.formatters import FORMATTERS, Report
    from healthlint.rules.cache import default_cache_dir
    from healthlint.run import Linted, Session, lint_paths, load_config

    args = build_parser().parse_args(argv)
    if args.format not in FORMATTERS:
        raise UsageError(f"unknown format {args.format!r}; choose one of {', '.join(FORMATTERS)}")
    if not args.paths:
        raise UsageError("no input: give files or folders to lint, or - for standard input")
    _check_combinations(args)
    if args.baseline:  # imported only by the runs that keep one
        from healthlint.results import baseline
    config = load_config(args.config)
    config = config.with_options(
        select=tuple(args.select) if args.select else None,
        ignore=tuple(config.ignore) + tuple(args.ignore) if args.ignore else None,
        exclude=tuple(config.exclude) + tuple(args.exclude) if args.exclude else None,
        language=args.language,
        fail_on=args.fail_on,
    )
    session = Session(config, cache_dir=default_cache_dir())
    known = None if args.write_baseline or not args.baseline else baseline.load(args.baseline)
    color = not args.no_color and not os.environ.get("NO_COLOR") and out.isatty()
    formatter = FORMATTERS[args.format](
        out, rules=session.linter.rules, color=color, quiet=args.quiet, config=config
    )
    formatter.start()
    reports: list[Report] = []
    entries: list[baseline.Entry] = []
    errors = changed = 0
    fix = "diff" if args.diff else "write" if args.fix else None
    results = lint_paths(
        session,
        args.paths,
        stdin_name=args.stdin_filename,
        encoding=args.encoding,
        input_format=args.input_format,
        fix=fix,
    )
    for result in results:
        if not isinstance(result, Linted):
            _report(result, err)
            errors += 1
            continue
        if args.diff:
            out.write(result.diff)
            changed += bool(result.diff)
            continue
        findings = result.findings
        if args.write_baseline:
            entries += baseline.entries_for(
                result.name, result.text, findings, _folder(args.baseline)
            )
            continue
        if known is not None:
            findings = known.filter_new(result.name, result.text, findings)
        report = Report(result.name, result.text, findings)
        formatter.file(report)
        reports.append(report)
    if args.write_baseline:
        from healthlint.results.fix import write_atomic

        write_atomic(args.baseline, baseline.dumps(entries).encode("utf-8"))
        err.write(
            f"healthlint: recorded {sum(e.count for e in entries)} findings in {args.baseline}\n"
        )
        return EXIT_ERROR if errors else EXIT_OK
    if args.diff:
        return EXIT_ERROR if errors else EXIT_FINDINGS if changed else EXIT_OK
    formatter.finish(reports)
    if args.statistics:
        (out if args.format == "text" else err).write(_statistics(reports))
    if errors:
        return EXIT_ERROR
    threshold = Severity(session.config.fail_on).rank
    failing = any(Severity(f.severity).rank >= threshold for r in reports for f in r.findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def _check_combinations(args: argparse.Namespace) -> None:
    if args.write_baseline and not args.baseline:
        raise UsageError("--write-baseline needs --baseline FILE to write to")
    if args.write_baseline and (args.fix or args.diff):
        raise UsageError("--write-baseline cannot be combined with --fix or --diff")
    if args.fix and not args.diff and "-" in args.paths:
        raise UsageError("--fix cannot write standard input; use --diff to see the fixes")


def _folder(path: str) -> str:
    return os.path.dirname(os.path.abspath(path))


def _statistics(reports: Sequence[Report]) -> str:
    """`count  rule  category`, most frequent first, for --statistics."""
    counts = Counter((f.rule, f.category) for r in reports for f in r.findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    count_width = max((len(str(n)) for _, n in rows), default=1)
    rule_width = max((len(rule) for (rule, _), _ in rows), default=1)
    return "".join(
        f"{n:>{count_width}}  {rule:<{rule_width}}  {category}\n" for (rule, category), n in rows
    )


def _rules(argv: list[str], out: TextIO) -> int:
    """`healthlint rules`: every loaded rule on one line."""
    from healthlint.formatters.explain import rules_table

    args = _subparser("rules", "List every rule: id, category, severity, summary.").parse_args(argv)
    linter = _linter(args.config, language=args.language)
    out.write(rules_table(linter.rules))
    return EXIT_OK


def _explain(argv: list[str], out: TextIO) -> int:
    """`healthlint explain RULE`: what it flags, why, examples, how to suppress; with
    `--trace TEXT`, why each candidate hit in TEXT is or is not a finding."""
    from healthlint.formatters.explain import explain_text, trace_text

    parser = _subparser(
        "explain",
        "Explain one rule: what it flags, why, examples; or, with --trace, which context "
        "filter kept or dropped each candidate hit in a text.",
    )
    parser.add_argument(
        "rule", metavar="RULE", nargs="?", help="a rule id, as `healthlint rules` lists"
    )
    parser.add_argument("--trace", metavar="TEXT", help="a text to trace (- reads standard input)")
    parser.add_argument(
        "--input-format", choices=("text", "markdown", "html"), default="text", help="with --trace"
    )
    args = parser.parse_args(argv)
    if args.trace is None and args.rule is None:
        raise UsageError("explain needs a RULE, or --trace TEXT")
    # Every rule, even one the config switches off: the user asks about it by name.
    select = (args.rule,) if args.trace is not None and args.rule else ()
    linter = _linter(args.config, language=args.language, select=select, ignore=())
    if args.trace is not None:
        text = sys.stdin.read() if args.trace == "-" else args.trace
        out.write(trace_text(linter.trace(text, format=args.input_format), linter.config.language))
        return EXIT_OK
    by_id = {r.id: r for r in linter.rules}
    if args.rule not in by_id:
        raise UsageError(f"unknown rule {args.rule!r}; `healthlint rules` lists them")
    out.write(explain_text(by_id[args.rule], linter.config.language))
    return EXIT_OK


#: Subcommands that are front ends of their own: name → module with `main(argv) -> int`.
_FRONT_ENDS = {"batch": "batch", "eval": "eval", "server": "lsp", "serve": "web"}
_SUBCOMMANDS: dict[str, Callable[[list[str], TextIO], int]] = {
    "rules": _rules,
    "explain": _explain,
}


def _linter(config_path: str | None, **options: Any) -> Linter:
    """The Linter a subcommand uses, with the command line's rules cache."""
    from healthlint.rules.cache import default_cache_dir
    from healthlint.run import load_linter

    return load_linter(config_path, cache_dir=default_cache_dir(), **options)


def _subparser(name: str, description: str) -> argparse.ArgumentParser:
    parser = _Parser(prog=f"healthlint {name}", description=description)
    parser.add_argument("--config", metavar="FILE", help="config file (default: discovered)")
    parser.add_argument("--language", choices=("zh", "en"), help="message language")
    return parser
