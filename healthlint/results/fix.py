"""Safe rewrites: apply a rule's `fix` (delete the flagged text, or replace it) when asked.

What a fix changes, `plan_fixes` decides and `Edit`s record:

- only prose: a flagged span that holds markup (a tag, `**`, a link's URL, an entity: what
  the document's reader blanks) is left alone, because deleting it would break the page;
- fluent Chinese: a deletion removes the clause the flag sits in with the punctuation and
  framing words around it (`fluent.deletion`), so no 咨询电话：，  ，，  并。 is left; where no
  cut is certain to read right, the finding is reported and not fixed;
- nothing outside the flag's sentence.

Writing (`write_fixed`, `write_atomic`) loses nothing:

- the decoded text is encoded back with the file's encoding and byte-order mark, and the
  unchanged text must encode to the bytes on disk exactly, or the file is left alone (a lossy
  decode would rewrite characters far from any finding);
- the bytes on disk are compared again just before they are replaced, so a save made while
  the fix was being written is kept and the fix refused (the window left is the few
  microseconds between that comparison and the rename);
- a symbolic link is followed: its target is rewritten, the link stays a link;
- the new content goes to a temporary file in the target's folder with the original's
  permission bits, owner and group, and replaces it with `os.replace`, so a crash leaves
  either the old or the new file. A file with several hard links, or whose owner or group
  this user cannot give the temporary file, is written in place instead (after the same
  comparison), which keeps its links and owner but is not atomic;
- anything else (a fifo, a device) is refused, as is any error, with a one-line `InputError`.
"""

from __future__ import annotations

import difflib
import io
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from healthlint.document import Document
from healthlint.errors import InputError
from healthlint.finding import Finding, Fix, RuleInfo
from healthlint.results.fluent import deletion
from healthlint.sources.decode import Source

#: Without the document's format, characters that may be markup make a span unfixable.
_MAYBE_MARKUP = frozenset("<>[]()*_~`&\\")


@dataclass(frozen=True)
class Edit:
    """Replace `text[start:end]` by `replacement`, for `finding` (and any it swallowed)."""

    start: int
    end: int
    replacement: str
    finding: Finding


def fixes_of(rules: Iterable[RuleInfo]) -> dict[str, Fix]:
    """The fix of every rule that has one, by rule id."""
    return {rule.id: rule.fix for rule in rules if rule.fix is not None}


def apply_fixes(
    text: str,
    findings: Sequence[Finding],
    fixes: Mapping[str, Fix],
    *,
    format: str | None = None,
) -> tuple[str, list[Finding]]:
    """The text with every fixable finding fixed, and the findings that were (including
    those a clause deletion removed with another). `format` (text, markdown, html) tells
    markup from prose; without it, a span holding a character that may be markup is left."""
    edits = plan_fixes(text, findings, fixes, format=format)
    fixed = [f for f in findings if any(e.start <= f.start and f.end <= e.end for e in edits)]
    return apply_edits(text, edits), sorted(fixed, key=lambda f: f.sort_key)


def plan_fixes(
    text: str,
    findings: Sequence[Finding],
    fixes: Mapping[str, Fix],
    *,
    format: str | None = None,
) -> list[Edit]:
    """The edits that fix `findings`, sorted and never overlapping.

    Cuts are planned on the prose the document's reader sees (where a block tag ends a
    line), from the last finding to the first, each on the text as the later edits left
    it, so a clause deletion sees the punctuation that is really there, and two prompts in
    one sentence take the sentence with them: a deletion that reaches into later edits
    swallows them."""
    prose = Document.parse(text, format).prose if format else None
    current = text if prose is None else prose  # what the reader sees: tags are spaces
    planned: list[Edit] = []  # ascending, offsets into `text`
    for finding, start, end, fix in reversed(_flags(text, findings, fixes)):
        if planned and end > planned[0].start:
            continue  # overlaps an edit already planned: its span no longer exists as found
        if fix.deletes:
            cut = deletion(current, start, end)
            if cut is None:
                continue  # no cut certain to read right: reported, not fixed
            start, end = cut
        end, end_now, swallowed = _to_original(end, planned)
        if prose is not None:
            start, end = _without_markup_edges(text, prose, start, end, swallowed)
        if not _only_prose(text, prose, start, end, swallowed):
            continue
        planned[: len(swallowed)] = [Edit(start, end, fix.replacement, finding)]
        current = current[:start] + fix.replacement + current[end_now:]
    return planned


def _flags(
    text: str, findings: Sequence[Finding], fixes: Mapping[str, Fix]
) -> list[tuple[Finding, int, int, Fix]]:
    """The fixable findings in order as (first finding, start, end, fix), deletions that
    touch (or have only spaces or tabs between them, never a line break) joined into one:
    加 微 信ＶＸ is one prompt, and deleting either half alone would read as neither."""
    out: list[tuple[Finding, int, int, Fix]] = []
    for finding in sorted(findings, key=lambda f: f.sort_key):
        fix = fixes.get(finding.rule)
        if fix is None or text[finding.start : finding.end] != finding.text:
            continue
        if out and fix.deletes and out[-1][3].deletes:
            first, start, end, _ = out[-1]
            if finding.start >= start and not text[end : finding.start].strip(" \t"):
                out[-1] = (first, start, max(end, finding.end), fix)
                continue
        out.append((finding, finding.start, finding.end, fix))
    return out


def _to_original(end: int, planned: list[Edit]) -> tuple[int, int, list[Edit]]:
    """An end offset into the text as the `planned` edits left it: as an offset into the
    original, as the offset in the edited text where the new edit ends (past a replacement
    it reaches into), and the planned edits it swallows."""
    shift = 0
    swallowed: list[Edit] = []
    for edit in planned:
        start_now = edit.start + shift
        if end <= start_now:
            break
        swallowed.append(edit)
        replacement_end = start_now + len(edit.replacement)
        if end <= replacement_end:
            return edit.end, replacement_end, swallowed  # inside a replacement: it goes whole
        shift += len(edit.replacement) - (edit.end - edit.start)
    return end - shift, end, swallowed


def _without_markup_edges(
    text: str, prose: str, start: int, end: int, swallowed: Sequence[Edit]
) -> tuple[int, int]:
    """[start, end) without the markup at its edges, which the reader showed as spaces (the
    `<p>` before a line the cut takes whole): the tags stay, the prose between them goes."""

    def blanked(i: int) -> bool:
        return prose[i] != text[i] and prose[i].isspace()

    first = swallowed[0].start if swallowed else end  # swallowed edits stay whole
    last = swallowed[-1].end if swallowed else start
    while start < first and blanked(start):
        start += 1
    while end > max(start, last) and blanked(end - 1):
        end -= 1
    return start, end


def _only_prose(
    text: str, prose: str | None, start: int, end: int, swallowed: Sequence[Edit]
) -> bool:
    """Whether [start, end), but for edits already checked, holds no markup: with the
    reader's mask, no character it blanked or changed (an entity); without it, no character
    that may be markup."""
    at = start
    for lo, hi in [*((e.start, e.end) for e in swallowed), (end, end)]:
        chunk = text[at:lo]
        if prose is None:
            if _MAYBE_MARKUP.intersection(chunk) or "://" in chunk:
                return False
        elif any(prose[i] != text[i] and not text[i].isspace() for i in range(at, lo)):
            return False
        at = hi
    return True


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """`text` with sorted, disjoint `edits` applied."""
    parts = []
    at = 0
    for edit in edits:
        parts += (text[at : edit.start], edit.replacement)
        at = edit.end
    parts.append(text[at:])
    return "".join(parts)


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
        unchanged = source.encode()
        data = source.encode(new_text)
    except UnicodeError:
        raise InputError(
            f"not fixed: the replacement cannot be written in {source.encoding}", path=source.path
        ) from None
    try:
        _replace(Path(source.path), data, expected=unchanged, encoding=source.encoding)
    except OSError as exc:
        raise InputError(f"not fixed: {_reason(exc)}", path=source.path) from None


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace the file at `path` (through a symbolic link: its target) by `data`, keeping
    its permission bits, owner and group and its hard links (see the module docstring)."""
    _replace(Path(path), data, expected=None, encoding="")


class _Changed(Exception):
    """The file on disk is not what was read."""


def _replace(path: Path, data: bytes, *, expected: bytes | None, encoding: str) -> None:
    """Write `data` over the file `path` names; with `expected`, only if it still holds it."""
    target = Path(os.path.realpath(path))
    try:
        info: os.stat_result | None = target.stat()
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise InputError("not written: not a regular file", path=str(path))
    try:
        if info is not None and info.st_nlink > 1:
            _write_in_place(target, data, expected)
        else:
            _write_beside(target, data, info, expected)
    except _Changed:
        raise InputError(
            "not fixed: the file changed since it was read"
            + (f" or does not round-trip through {encoding}" if encoding else ""),
            path=str(path),
        ) from None


def _check(target: Path, expected: bytes | None) -> None:
    if expected is not None and target.read_bytes() != expected:
        raise _Changed


def _write_beside(
    target: Path, data: bytes, info: os.stat_result | None, expected: bytes | None
) -> None:
    """Through a temporary file beside `target`, renamed over it."""
    _check(target, expected)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            if not _same_owner(out.fileno(), info):
                raise _KeepOwner
            os.fchmod(out.fileno(), _mode(info))
            os.fsync(out.fileno())
        _check(target, expected)  # a save made while this was written is not lost
        os.replace(tmp, target)
    except _KeepOwner:
        Path(tmp).unlink(missing_ok=True)
        _write_in_place(target, data, expected)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class _KeepOwner(Exception):
    """The temporary file cannot get the original's owner and group."""


def _same_owner(fd: int, info: os.stat_result | None) -> bool:
    """Give the open temporary file the original's owner and group; False if not allowed."""
    if info is None or not hasattr(os, "fchown"):
        return True
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) == (info.st_uid, info.st_gid):
        return True
    try:
        os.fchown(fd, info.st_uid, info.st_gid)
    except PermissionError:
        return False
    return True


def _mode(info: os.stat_result | None) -> int:
    """The original's permission bits, or what a new file gets under the umask."""
    if info is not None:
        return stat.S_IMODE(info.st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _write_in_place(target: Path, data: bytes, expected: bytes | None) -> None:
    """Overwrite the file's own bytes: keeps hard links and owner, but is not atomic."""
    with open(target, "r+b") as handle:
        if expected is not None and handle.read() != expected:
            raise _Changed
        handle.seek(0)
        handle.write(data)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())


def _reason(exc: OSError) -> str:
    reason = exc.strerror or exc.__class__.__name__
    return reason[:1].lower() + reason[1:]
