"""`healthlint rules` and `healthlint explain`: the rules as people read them.

`rules` lists every loaded rule on one line; `explain RULE` prints what it flags, why, what to
write instead, its examples and how to suppress it; `explain --trace TEXT` shows each candidate
hit in a text and which context filter kept or dropped it, and why.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from healthlint.errors import UsageError
from healthlint.frontends.cli import EXIT_OK, Parser
from healthlint.run import Session

LANGUAGES = ("zh", "en")


def _parser(name: str, description: str) -> argparse.ArgumentParser:
    parser = Parser(prog=f"healthlint {name}", description=description)
    parser.add_argument("--config", metavar="FILE", help="config file (default: discovered)")
    parser.add_argument("--isolated", action="store_true", help="read no config file")
    parser.add_argument("--language", choices=LANGUAGES, help="message language")
    return parser


def rules_parser() -> argparse.ArgumentParser:
    return _parser("rules", "List every rule: id, category, severity, summary.")


def explain_parser() -> argparse.ArgumentParser:
    parser = _parser(
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
    return parser


def rules_main(argv: Sequence[str]) -> int:
    """`healthlint rules`: every loaded rule on one line (and the notices about comments)."""
    from healthlint.formatters.explain import rules_table

    args = rules_parser().parse_args(list(argv))
    sys.stdout.write(rules_table(_session(args).rules))
    return EXIT_OK


def explain_main(argv: Sequence[str]) -> int:
    """`healthlint explain RULE` or `healthlint explain --trace TEXT`."""
    from healthlint.formatters.explain import explain_text, trace_text

    args = explain_parser().parse_args(list(argv))
    if args.trace is None and args.rule is None:
        raise UsageError("explain needs a RULE, or --trace TEXT")
    # Every rule, even one the config switches off: the user asks about it by name.
    select = (args.rule,) if args.trace is not None and args.rule else ()
    session = _session(args, select=select, ignore=())
    language = session.config.language
    if args.trace is not None:
        text = sys.stdin.read() if args.trace == "-" else args.trace
        trace = session.linter.trace(text, format=args.input_format)
        sys.stdout.write(trace_text(trace, language))
        return EXIT_OK
    by_id = {r.id: r for r in session.rules}
    if args.rule not in by_id:
        raise UsageError(f"unknown rule {args.rule!r}; `healthlint rules` lists them")
    sys.stdout.write(explain_text(by_id[args.rule], language))
    return EXIT_OK


def _session(args: argparse.Namespace, **options: Any) -> Session:
    """The Session a subcommand uses: the config of the current folder, the rules cache."""
    from healthlint.rules.cache import default_cache_dir
    from healthlint.run import Configs

    config = Configs(args.config, isolated=args.isolated).for_path()
    config = config.with_options(language=args.language, **options)
    return Session(config, cache_dir=default_cache_dir())
