"""Safe rewrites: apply a rule's `fix` (delete the flagged text, or replace it) when asked.

Only `--fix` writes, and it writes as little as it can: the decoded text is changed at the
flagged spans and nothing else, then encoded back with the file's own encoding and byte-order
mark; line endings are never touched because the text keeps them. Before writing, the
unchanged text must encode back to the original bytes exactly, otherwise the file is left
alone: a lossy decode would otherwise rewrite characters far away from any finding. The new
content goes to a temporary file in the same folder, gets the original permission bits and
replaces the original with `os.replace`, so a crash leaves either the old or the new file.
"""

from __future__ import annotations

import difflib
import io
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from healthlint.errors import InputError
from healthlint.finding import Finding, Fix, RuleInfo
from healthlint.sources.decode import Source


def fixes_of(rules: Iterable[RuleInfo]) -> dict[str, Fix]:
    """The fix of every rule that has one, by rule id."""
    return {rule.id: rule.fix for rule in rules if rule.fix is not None}


def apply_fixes(
    text: str, findings: Sequence[Finding], fixes: Mapping[str, Fix]
) -> tuple[str, list[Finding]]:
    """The text with every fixable finding fixed, and the findings that were.

    A finding that overlaps one already fixed is skipped: its span no longer exists as found.
    """
    chosen: list[Finding] = []
    for f in sorted(findings, key=lambda f: f.sort_key):
        if f.rule not in fixes or text[f.start : f.end] != f.text:
            continue
        if chosen and f.start < chosen[-1].end:
            continue
        chosen.append(f)
    parts = []
    at = 0
    for f in chosen:
        parts.append(text[at : f.start])
        parts.append(fixes[f.rule].replacement)
        at = f.end
    parts.append(text[at:])
    return "".join(parts), chosen


def _lines(text: str) -> list[str]:
    # newline="" splits on \n, \r and \r\n only, and keeps them, unlike str.splitlines.
    return io.StringIO(text, newline="").readlines()


def unified_diff(path: str, old: str, new: str) -> str:
    """A `git diff`-style unified diff of one file; empty when nothing changes."""
    lines = difflib.unified_diff(_lines(old), _lines(new), f"a/{path}", f"b/{path}")
    out = []
    for line in lines:
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def write_fixed(source: Source, new_text: str) -> None:
    """Write `new_text` over the file `source` was read from, in its encoding and BOM.

    Refuses (InputError) when the file on disk is no longer exactly what `source` encodes to:
    it changed since it was read, or its decoding was lossy.
    """
    try:
        on_disk = Path(source.path).read_bytes()
    except OSError as exc:
        raise InputError(f"not fixed: {exc.strerror}", path=source.path) from None
    try:
        unchanged = source.encode()
        data = source.encode(new_text)
    except UnicodeError:
        raise InputError(
            f"not fixed: the replacement cannot be written in {source.encoding}", path=source.path
        ) from None
    if unchanged != on_disk:
        raise InputError(
            f"not fixed: the file changed since it was read or does not round-trip "
            f"through {source.encoding}",
            path=source.path,
        )
    write_atomic(source.path, data)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace the file at `path` by `data` via a temporary file in the same folder.

    Keeps the permission bits of the file it replaces (or the umask default for a new one).
    """
    target = Path(path)
    try:
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
