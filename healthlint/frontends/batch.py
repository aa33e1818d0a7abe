"""`healthlint batch FILE.jsonl`: lint a stream of submissions for platforms.

One JSON object a line in, one JSON result a line out, in input order, so the n-th output
line answers the n-th input line and nothing is lost: a line that cannot be read (bad JSON,
bad UTF-8, no text) yields an error record with its line number and the run carries on.
The input is streamed (see `parallel.ordered_map`), so a file larger than RAM is fine. An
interrupted run has written every result before the line it names, and `--skip` resumes.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from healthlint.engine import Linter
from healthlint.errors import HealthlintError
from healthlint.parallel import ordered_map
from healthlint.results.verdict import assess
from healthlint.rules.cache import default_cache_dir
from healthlint.run import load_linter

#: Seconds between two redraws of the progress line.
_REDRAW = 0.2


@dataclass(frozen=True)
class Fields:
    """Where a submission keeps its text and id, and how to read the text."""

    text: str = "text"
    id: str = "id"
    format: str = "text"


@dataclass(frozen=True)
class Outcome:
    """What the parent needs of one linted line: the output line and counts for the summary."""

    line: str
    findings: int = 0
    error: bool = False


def lint_line(job: tuple[Linter, Fields], item: tuple[int, bytes]) -> Outcome:
    """Lint one input line into one output record; never raises, so no line is lost."""
    linter, fields = job
    number, raw = item
    record: dict[str, Any] = {"line": number, "id": None}
    try:
        submission = json.loads(raw)
    except UnicodeDecodeError as error:
        return _error(record, f"not UTF-8: {error.reason} at byte {error.start}")
    except json.JSONDecodeError as error:
        return _error(record, f"invalid JSON: {error.msg} at column {error.colno}")
    if not isinstance(submission, dict):
        return _error(record, f"expected a JSON object, got {type(submission).__name__}")
    record["id"] = submission.get(fields.id)
    text = submission.get(fields.text)
    if not isinstance(text, str):
        problem = "missing" if text is None else f"a {type(text).__name__}, not a string"
        return _error(record, f"text field {fields.text!r} is {problem}")
    try:
        findings = linter.lint(text, format=fields.format)
    except Exception as error:  # one bad submission must not stop a platform's run
        return _error(record, f"{type(error).__name__}: {error}")
    record["findings"] = [finding.to_dict() for finding in findings]
    record.update(assess(findings, linter.config).to_dict())
    return Outcome(_dumps(record), findings=len(findings))


def _error(record: dict[str, Any], message: str) -> Outcome:
    record["error"] = f"line {record['line']}: {message}"
    return Outcome(_dumps(record), error=True)


def _dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


@dataclass
class Tally:
    """Counts for the summary and the progress line; `read` is bytes of input consumed."""

    lines: int = 0
    errors: int = 0
    flagged: int = 0
    findings: int = 0
    read: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, outcome: Outcome) -> None:
        self.lines += 1
        self.errors += outcome.error
        self.flagged += outcome.findings > 0
        self.findings += outcome.findings

    def summary(self) -> str:
        seconds = time.monotonic() - self.started
        rate = self.lines / seconds if seconds else 0.0
        return (
            f"{self.lines} lines: {self.lines - self.errors} linted, {self.errors} unreadable; "
            f"{self.findings} findings in {self.flagged} submissions; "
            f"{seconds:.1f} s ({rate:.0f} lines/s)"
        )


def read_lines(stream: IO[bytes], tally: Tally, skip: int) -> Iterator[tuple[int, bytes]]:
    """Numbered raw lines (1-based), lazily; the first `skip` lines are passed over."""
    for number, raw in enumerate(stream, start=1):
        tally.read += len(raw)
        if number > skip:
            yield number, raw


class Progress:
    """A one-line progress display on stderr, drawn only when stderr is a terminal."""

    def __init__(self, stream: IO[str], total: int | None, enabled: bool) -> None:
        self.stream = stream
        self.total = total
        self.enabled = enabled and stream.isatty()
        self.drawn = 0.0

    def update(self, tally: Tally, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self.drawn < _REDRAW):
            return
        self.drawn = now
        share = f"{100 * tally.read / self.total:5.1f}%  " if self.total else ""
        rate = tally.lines / max(now - tally.started, 1e-9)
        self.stream.write(f"\r{share}{tally.lines} lines  {rate:.0f}/s  {tally.errors} unreadable")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.drawn:
            self.stream.write("\n")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="healthlint batch",
        description="Lint one JSON submission a line; write one JSON result a line, in order.",
    )
    parser.add_argument("file", metavar="FILE", help="JSON Lines input, or - for stdin")
    parser.add_argument("--text-field", default="text", help="field holding the text (text)")
    parser.add_argument("--id-field", default="id", help="field holding the id (id)")
    parser.add_argument(
        "--input-format",
        choices=("text", "markdown", "html"),
        default="text",
        help="how to read each text (text)",
    )
    parser.add_argument("--config", metavar="FILE", help="configuration file")
    parser.add_argument(
        "--jobs", "-j", type=int, default=0, help="worker processes (default: all cores)"
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write results here, not stdout")
    parser.add_argument(
        "--skip", type=int, default=0, metavar="N", help="pass over the first N lines (resume)"
    )
    parser.add_argument("--no-progress", action="store_true", help="never draw a progress line")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `healthlint batch`; exit 0 all clean, 1 findings or unreadable lines, 2 usage."""
    args = build_parser().parse_args(argv)
    if args.jobs < 0 or args.skip < 0:
        print("healthlint batch: --jobs and --skip must not be negative", file=sys.stderr)
        return 2
    try:
        linter = load_linter(args.config, cache_dir=default_cache_dir())
        source = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")  # noqa: SIM115
        sink = sys.stdout if args.output is None else open(args.output, "w", encoding="utf-8")  # noqa: SIM115
    except HealthlintError as error:
        print(str(error) if error.path else f"healthlint batch: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"healthlint batch: {error}", file=sys.stderr)
        return 2
    fields = Fields(args.text_field, args.id_field, args.input_format)
    tally = Tally()
    progress = Progress(sys.stderr, _size(source), enabled=not args.no_progress)
    lines = read_lines(source, tally, args.skip)
    try:
        for outcome in ordered_map(lint_line, (linter, fields), lines, args.jobs):
            sink.write(outcome.line + "\n")
            tally.add(outcome)
            progress.update(tally)
    except KeyboardInterrupt:
        sink.flush()
        progress.close()
        last = args.skip + tally.lines
        print(
            f"healthlint batch: interrupted after input line {last}; every result up to it "
            f"is written; continue with --skip {last}",
            file=sys.stderr,
        )
        return 130
    finally:
        source.close()
        if sink is not sys.stdout:
            sink.close()
    progress.update(tally, force=True)
    progress.close()
    print(f"healthlint batch: {tally.summary()}", file=sys.stderr)
    return 1 if tally.errors or tally.findings else 0


def _size(stream: IO[bytes]) -> int | None:
    """The input's size in bytes when it is a regular file, for a percentage."""
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) and info.st_size else None
