"""`healthlint batch FILE.jsonl`: lint a stream of submissions for platforms.

One JSON object a line in, one JSON result a line out, in input order, so the n-th output
line answers the n-th input line and nothing is lost: a line that cannot be read (bad JSON,
bad UTF-8, an integer past Python's digit limit, nesting deep enough to exhaust the parser, a
lone surrogate, no text, a line longer than `--max-line-bytes`) yields an error record with its
line number and the run carries on. The input is streamed (see `parallel.ordered_map`), so a
file larger than RAM is fine.

An interrupted run (Ctrl-C, SIGTERM) has written every result before the line it names, stops
its workers and prints the command that continues it: `--resume` reads the output's last
complete record and appends after it. A closed pipe (`| head -1`) or a full disk ends the run
with one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import shlex
import signal
import stat
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from healthlint.errors import UsageError
from healthlint.finding import Severity
from healthlint.frontends.cli import EXIT_ERROR, EXIT_INTERRUPTED, Parser, quiet_stdout
from healthlint.parallel import ordered_map
from healthlint.results.verdict import assess
from healthlint.run import Configs, Overrides, Session

#: Seconds between two redraws of the progress line.
_REDRAW = 0.2
#: Longest input line read whole (bytes); a longer one is an error record, skipped unread.
MAX_LINE_BYTES = 64 * 1024 * 1024


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
    failing: bool = False


def lint_line(job: tuple[Any, Fields], item: tuple[int, bytes | None]) -> Outcome:
    """Lint one input line into one output record; never raises, so no line is lost.

    `job` holds a `Session` (or a bare `Linter`) and the fields; a line of None was too long
    to read."""
    linter, fields = job
    number, raw = item
    record: dict[str, Any] = {"line": number, "id": None}
    if raw is None:
        return _error(record, "line too long to read (see --max-line-bytes)")
    submission, problem = _parse(raw)
    if problem:
        return _error(record, problem)
    if not isinstance(submission, dict):
        return _error(record, f"expected a JSON object, got {_json_type(submission)}")
    record["id"] = submission.get(fields.id)
    text = submission.get(fields.text)
    if not isinstance(text, str):
        problem = "missing" if text is None else f"a {_json_type(text)}, not a string"
        return _error(record, f"text field {fields.text!r} is {problem}")
    surrogate = next((i for i, c in enumerate(text) if 0xD800 <= ord(c) <= 0xDFFF), None)
    if surrogate is not None:
        return _error(record, f"text has an unpaired surrogate at character {surrogate}")
    try:
        findings, config = _lint(linter, text, fields.format)
    except Exception as error:  # one bad submission must not stop a platform's run
        return _error(record, f"{type(error).__name__}: {error}")
    record["findings"] = [finding.to_dict() for finding in findings]
    record.update(assess(findings, config).to_dict())
    threshold = Severity(config.fail_on).rank
    failing = any(Severity(f.severity).rank >= threshold for f in findings)
    return Outcome(_dumps(record), findings=len(findings), failing=failing)


def _parse(raw: bytes) -> tuple[Any, str | None]:
    """The line's JSON value, or why it has none: every way `json.loads` can fail."""
    try:
        return json.loads(raw), None
    except UnicodeDecodeError as error:
        return None, f"not UTF-8: {error.reason} at byte {error.start}"
    except json.JSONDecodeError as error:
        return None, f"invalid JSON: {error.msg} at column {error.colno}"
    except RecursionError:
        return None, "invalid JSON: nested too deeply"
    except ValueError as error:  # e.g. an integer with more digits than Python converts
        return None, f"invalid JSON: {' '.join(str(error).split())[:200]}"


def _lint(linter: Any, text: str, format: str) -> tuple[list[Any], Any]:
    if isinstance(linter, Session):
        findings, _ = linter.lint(text, format=format, name="submission")
        return findings, linter.config
    return linter.lint(text, format=format), linter.config


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def _error(record: dict[str, Any], message: str) -> Outcome:
    record["error"] = f"line {record['line']}: {message}"
    return Outcome(_dumps(record), error=True)


def _dumps(record: dict[str, Any]) -> str:
    """One JSON line; a lone surrogate (in an id) is written as its JSON escape, so the line
    is still UTF-8 and reads back as the same value."""
    line = json.dumps(record, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = line.encode("utf-8", "backslashreplace").decode("utf-8")
    return line


@dataclass
class Tally:
    """Counts for the summary and the progress line; `read` is bytes of input consumed."""

    lines: int = 0
    errors: int = 0
    flagged: int = 0
    findings: int = 0
    failing: int = 0
    read: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, outcome: Outcome) -> None:
        self.lines += 1
        self.errors += outcome.error
        self.flagged += outcome.findings > 0
        self.findings += outcome.findings
        self.failing += outcome.failing

    def summary(self) -> str:
        seconds = time.monotonic() - self.started
        rate = self.lines / seconds if seconds else 0.0
        return (
            f"{self.lines} lines: {self.lines - self.errors} linted, {self.errors} unreadable; "
            f"{self.findings} findings in {self.flagged} submissions; "
            f"{seconds:.1f} s ({rate:.0f} lines/s)"
        )


def read_lines(
    stream: IO[bytes], tally: Tally, skip: int, limit: int = MAX_LINE_BYTES
) -> Iterator[tuple[int, bytes | None]]:
    """Numbered raw lines (1-based), lazily; the first `skip` lines are passed over, and a
    line longer than `limit` bytes is read past in pieces and given as None."""
    number = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        number += 1
        tally.read += len(raw)
        too_long = len(raw) > limit and not raw.endswith(b"\n")
        while too_long and raw and not raw.endswith(b"\n"):
            raw = stream.readline(limit + 1)
            tally.read += len(raw)
        if number > skip:
            yield number, None if too_long else raw


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
    parser = Parser(
        prog="healthlint batch",
        description="Lint one JSON submission a line; write one JSON result a line, in order. "
        "Exit 0: nothing at or above --fail-on; 1: findings; 2: unreadable lines or an error.",
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
    parser.add_argument("--isolated", action="store_true", help="read no config file")
    parser.add_argument(
        "--no-inline-config",
        dest="inline_config",
        action="store_false",
        default=None,
        help="ignore <!-- healthlint-disable --> comments in the submissions",
    )
    parser.add_argument("--select", metavar="RULES", help="only these ids or categories")
    parser.add_argument("--ignore", metavar="RULES", help="skip these ids or categories")
    parser.add_argument("--fail-on", choices=[s.value for s in Severity], help="(warning)")
    parser.add_argument("--language", choices=("zh", "en"), help="message language (zh)")
    parser.add_argument(
        "--jobs", "-j", type=int, default=0, help="worker processes (default: all cores)"
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write results here, not stdout")
    resume = parser.add_mutually_exclusive_group()
    resume.add_argument(
        "--skip", type=int, default=0, metavar="N", help="pass over the first N lines"
    )
    resume.add_argument(
        "--resume",
        action="store_true",
        help="continue after the last complete record of --output, appending to it",
    )
    parser.add_argument(
        "--max-line-bytes",
        type=int,
        default=MAX_LINE_BYTES,
        metavar="N",
        help=f"longest line read (default {MAX_LINE_BYTES}); a longer one is an error record",
    )
    parser.add_argument("--no-progress", action="store_true", help="never draw a progress line")
    return parser


class Interrupted(Exception):
    """SIGTERM, raised in the parent so the pool's workers are stopped on the way out."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run `healthlint batch`; exit 0 nothing at or above --fail-on, 1 such findings, 2 an
    unreadable line or a usage, input or configuration error."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    if args.jobs < 0 or args.skip < 0 or args.max_line_bytes < 1:
        raise UsageError("--jobs and --skip must not be negative, --max-line-bytes positive")
    session = _session(args)
    skip = _resume_point(args.output) if args.resume else args.skip
    try:
        source = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")  # noqa: SIM115
    except OSError as error:
        raise UsageError(f"cannot read {args.file}: {error.strerror}") from None
    try:
        return _run(args, argv, session, source, skip)
    finally:
        source.close()


def _session(args: argparse.Namespace) -> Session:
    from healthlint.rules.cache import default_cache_dir

    def names(value: str | None) -> tuple[str, ...]:
        return tuple(v.strip() for v in (value or "").split(",") if v.strip())

    overrides = Overrides(
        select=names(args.select) or None,
        ignore=names(args.ignore),
        language=args.language,
        fail_on=args.fail_on,
        inline_config=args.inline_config,
    )
    config = Configs(args.config, isolated=args.isolated, overrides=overrides).for_path()
    return Session(config, cache_dir=default_cache_dir())


def _resume_point(output: str | None) -> int:
    """The input line of the output's last complete record; a torn last line (the run was
    killed while writing it) is cut off, so the output stays one record a line."""
    if output is None:
        raise UsageError("--resume needs --output FILE: the results to continue")
    try:
        with open(output, "rb+") as handle:
            size = handle.seek(0, os.SEEK_END)
            keep, last = _last_record(handle, size)
            handle.truncate(keep)
    except FileNotFoundError:
        return 0
    except OSError as error:
        raise UsageError(f"cannot resume {output}: {error.strerror}") from None
    return last


def _last_record(handle: IO[bytes], size: int) -> tuple[int, int]:
    """(bytes to keep, input line of the last complete record), reading back from the end in
    blocks: only complete lines count, and a line that is not a record is passed over."""
    tail, start = b"", size
    while start > 0:
        step = min(65536, start)
        start -= step
        handle.seek(start)
        tail = handle.read(step) + tail
        lines = tail[: tail.rfind(b"\n") + 1].split(b"\n")[:-1]
        offsets = [start]
        for line in lines:
            offsets.append(offsets[-1] + len(line) + 1)
        first = 1 if start else 0  # the first line of a block may begin in the one before
        for index in range(len(lines) - 1, first - 1, -1):
            try:
                return offsets[index + 1], int(json.loads(lines[index])["line"])
            except (ValueError, KeyError, TypeError):
                continue
    return 0, 0


def _run(
    args: argparse.Namespace, argv: list[str], session: Session, source: IO[bytes], skip: int
) -> int:
    fields = Fields(args.text_field, args.id_field, args.input_format)
    tally = Tally()
    progress = Progress(sys.stderr, _size(source), enabled=not args.no_progress)
    lines = read_lines(source, tally, skip, args.max_line_bytes)
    sink = _open_sink(args.output, append=args.resume)
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        for outcome in ordered_map(lint_line, (session, fields), lines, args.jobs):
            sink.write(outcome.line + "\n")
            tally.add(outcome)
            progress.update(tally)
        sink.flush()
    except (KeyboardInterrupt, Interrupted) as stop:
        _flush_quietly(sink)
        progress.close()
        _say(_stopped(stop, skip + tally.lines, args, argv))
        return EXIT_INTERRUPTED if isinstance(stop, KeyboardInterrupt) else 128 + signal.SIGTERM
    except BrokenPipeError:
        quiet_stdout()
        _say(f"output closed after {tally.lines} results")
        return EXIT_ERROR
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG):
            raise
        if sink is sys.stdout:
            quiet_stdout()
        resume = "; --resume continues after the last complete record" if args.output else ""
        _say(f"cannot write results: {error.strerror}{resume}")
        return EXIT_ERROR
    finally:
        signal.signal(signal.SIGTERM, previous)
        if sink is not sys.stdout:
            _close_quietly(sink)
    progress.update(tally, force=True)
    progress.close()
    _say(tally.summary())
    return EXIT_ERROR if tally.errors else 1 if tally.failing else 0


def _terminate(signum: int, frame: Any) -> None:
    raise Interrupted


def _stopped(stop: BaseException, last: int, args: argparse.Namespace, argv: list[str]) -> str:
    """What to say after an interrupt: how far the results go and the exact command that
    continues the run without losing them."""
    what = "interrupted" if isinstance(stop, KeyboardInterrupt) else "terminated"
    kept = [a for a in argv if a != "--resume"]
    if "--skip" in kept:
        at = kept.index("--skip")
        del kept[at : at + 2]
    kept = [a for a in kept if not a.startswith("--skip=")]
    if args.output:
        command = shlex.join(["healthlint", "batch", *kept, "--resume"])
    else:
        command = shlex.join(["healthlint", "batch", *kept, "--skip", str(last)]) + " >> OUTPUT"
    written = f"{what} after input line {last}; every result up to it is written"
    return f"{written}; continue with: {command}"


def _open_sink(output: str | None, *, append: bool) -> IO[str]:
    if output is None:
        return sys.stdout
    try:
        return open(output, "a" if append else "w", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror}") from None


def _flush_quietly(sink: IO[str]) -> None:
    with contextlib.suppress(OSError):
        sink.flush()


def _close_quietly(sink: IO[str]) -> None:
    with contextlib.suppress(OSError):
        sink.close()


def _say(message: str) -> None:
    print(f"healthlint batch: {message}", file=sys.stderr)


def _size(stream: IO[bytes]) -> int | None:
    """The input's size in bytes when it is a regular file, for a percentage."""
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) and info.st_size else None
