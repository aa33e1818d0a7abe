"""The command line: a table of subcommands, each `main(argv) -> int`; the only module that turns
errors into text and exit codes.

Exit codes (stable, for CI):
    0  no finding at or above --fail-on
    1  findings at or above --fail-on (with --diff: a fix would change a file)
    2  usage, input or configuration error (one line on stderr each; other files still linted),
       or nothing was linted

`healthlint PATH` is `healthlint check PATH`: any first argument that is not a command name is
the lint command's, so a folder named like a command is linted with `healthlint check NAME`.
Each command's module is imported only when it runs, so `--help` and a pre-commit run pay for
nothing else; optional front ends (the language server, the web checker) name the extra to
install when their module or its dependencies are missing.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NoReturn

from healthlint.errors import HealthlintError, UsageError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class Command:
    """A subcommand: what `--help` says of it, where its `main(argv) -> int` lives, where its
    argparse parser is built (for completion), and the extra that provides it, if any."""

    summary: str
    target: str  # "module:function"
    parser: str | None = None  # "module:function" returning its ArgumentParser
    extra: str | None = None

    def load(self, name: str) -> Callable[[list[str]], int]:
        module, _, function = self.target.partition(":")
        try:
            return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]
        except ImportError as exc:
            if self.extra is None:
                raise
            raise UsageError(
                f"`healthlint {name}` needs {exc.name or 'a module'}: "
                f"pip install 'healthlint[{self.extra}]'"
            ) from None


_HERE = "healthlint.frontends"
COMMANDS: dict[str, Command] = {
    "check": Command(
        "lint files and folders (the default: `healthlint PATH` is `healthlint check PATH`)",
        f"{_HERE}.check:main",
        f"{_HERE}.check:build_parser",
    ),
    "rules": Command(
        "list every rule: id, category, severity, summary",
        f"{_HERE}.rules:rules_main",
        f"{_HERE}.rules:rules_parser",
    ),
    "explain": Command(
        "explain a rule, or trace why a text is or is not flagged",
        f"{_HERE}.rules:explain_main",
        f"{_HERE}.rules:explain_parser",
    ),
    "batch": Command(
        "lint JSON Lines submissions on all cores, one JSON result a line",
        f"{_HERE}.batch:main",
        f"{_HERE}.batch:build_parser",
    ),
    "eval": Command(
        "precision, recall and F1 per category on the labelled cases (a checkout's tests/eval)",
        f"{_HERE}.eval:main",
    ),
    "server": Command("the language server, for editors (stdio)", f"{_HERE}.lsp:main", extra="lsp"),
    "serve": Command("the web checker, on a local port", f"{_HERE}.web:main", extra="serve"),
    "completion": Command(
        "print a shell completion script: bash, zsh or fish",
        f"{_HERE}.completion:main",
        f"{_HERE}.completion:build_parser",
    ),
}


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit 2 like every other error."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def commands_help() -> str:
    """The commands section of `healthlint --help`."""
    width = max(map(len, COMMANDS))
    lines = [f"  {name:<{width}}  {command.summary}" for name, command in COMMANDS.items()]
    return (
        "commands:\n" + "\n".join(lines) + "\n\n`healthlint COMMAND --help` shows a command's "
        "options; the options below are those of check."
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    args = list(sys.argv[1:] if argv is None else argv)
    name = args[0] if args and args[0] in COMMANDS else "check"
    rest = args[1:] if args and args[0] in COMMANDS else args
    try:
        return COMMANDS[name].load(name)(rest)
    except HealthlintError as exc:
        report(exc)
        return EXIT_ERROR
    except KeyboardInterrupt:
        error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        quiet_stdout()
        return EXIT_ERROR
    except OSError as exc:  # ENOSPC and the like while writing the report
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO):
            error(f"cannot write the output: {exc.strerror}")
            return EXIT_ERROR
        error(f"internal error: {type(exc).__name__}: {exc} (please report this)")
        return EXIT_ERROR
    except Exception as exc:  # never a traceback for users; say what and where to report
        error(f"internal error: {type(exc).__name__}: {exc} (please report this)")
        return EXIT_ERROR


def quiet_stdout() -> None:
    """After a closed pipe (`healthlint … | head -1`): point stdout at /dev/null, so the flush
    at exit does not print a second BrokenPipeError."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def error(message: str) -> None:
    print(f"healthlint: {' '.join(message.split())}", file=sys.stderr)


def report(exc: HealthlintError, context: str = "") -> None:
    """One line: `path:line:col: message` when the error has a place, else `healthlint: …`."""
    from healthlint.formatters.escape import printable

    print(printable(str(exc) if exc.path else f"healthlint: {exc}") + context, file=sys.stderr)
