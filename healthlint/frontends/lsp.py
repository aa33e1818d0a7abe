"""`healthlint server`: a Language Server Protocol server on standard input and output.

Editors that speak LSP (VS Code through an LSP client extension, Neovim, Helix, Emacs, Zed,
Sublime Text) start it and get healthlint's findings as diagnostics while the author types:
ranges in the units the editor counts (UTF-16 by default, so emoji and rare ideographs do not
shift anything), the message, suggestion and legal basis, a link to the rule's page, quick
fixes where a rule has a safe fix, a code action that adds the suppression comment, and the
rule's explanation on hover. Each document is linted with the `.healthlint.yaml` nearest to
it, re-read when it changes.

This module only parses the command line: the server (on pygls, the ``lsp`` extra) is
imported when it starts, so ``import healthlint`` never loads pygls.
"""

from __future__ import annotations

import argparse
import logging
import sys

from healthlint.frontends.service import DEFAULT_DOCS_BASE

EXTRA_MISSING = "healthlint server needs the 'lsp' extra: pip install 'healthlint[lsp]' ({error})"


def build_parser(prog: str = "healthlint server") -> argparse.ArgumentParser:
    """The command line of the language server."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=(
            "Run the healthlint language server on standard input and output, for editors "
            "that speak the Language Server Protocol. Each document is linted with the "
            ".healthlint.yaml nearest to it (reloaded when it changes)."
        ),
    )
    parser.add_argument(
        "--stdio",
        action="store_true",
        help="talk over standard input and output (the default; accepted because LSP clients "
        "such as vscode-languageclient pass it)",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="use this configuration for every document instead of the nearest one",
    )
    parser.add_argument(
        "--debounce-ms",
        type=int,
        default=300,
        metavar="MS",
        help="quiet time after a change before the document is linted again (default 300)",
    )
    parser.add_argument(
        "--docs-url",
        default=DEFAULT_DOCS_BASE,
        metavar="URL",
        help="base URL of the rule pages a diagnostic links to, <URL>/<rule-id>.md "
        f"(default {DEFAULT_DOCS_BASE})",
    )
    parser.add_argument(
        "--log-level",
        choices=("error", "warning", "info", "debug"),
        default="warning",
        help="what the server logs to standard error (never document text; default warning)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the server until the client says exit; the exit code follows LSP (0 after a
    shutdown request, 1 otherwise), 2 for a usage error or a missing extra."""
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.debounce_ms < 0:
        parser.error("--debounce-ms must not be negative")
    try:
        from healthlint.frontends.lsp_server import Settings, create_server
    except ImportError as exc:  # the optional dependency is missing
        print(f"healthlint: {EXTRA_MISSING.format(error=exc)}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=args.log_level.upper(), stream=sys.stderr, format="%(name)s: %(message)s"
    )
    server = create_server(
        Settings(debounce=args.debounce_ms / 1000, docs_base=args.docs_url, config=args.config)
    )
    try:
        server.start_io()
    except SystemExit as exc:  # pygls ends the process with LSP's exit code
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
