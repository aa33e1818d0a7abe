"""Baselines: accept today's findings so that only new ones fail.

A team adopting healthlint on an existing archive cannot fix every article at once. A baseline
records each finding by path, rule and a fingerprint of the flagged text and of the characters
around it on its line, never by line or column: an edit elsewhere in the file that adds,
removes or moves lines does not make its findings new. Chinese prose keeps a paragraph on one
line, so the line is the natural bound; blanks are ignored, so indentation, trailing spaces
and line endings do not matter either.

The same fingerprint may occur more than once in a file (the same phrase pasted twice); the
baseline stores a count, and a run may report that many occurrences as known.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from healthlint.errors import InputError
from healthlint.finding import Finding

FORMAT_VERSION = 1
CONTEXT = 12
"""Non-blank characters taken on each side of the flagged text."""
_SCAN_LIMIT = 200
"""How far to look for them, so a long line costs nothing."""
_LINE_BREAK = re.compile(r"[\r\n]")


@dataclass(frozen=True)
class Entry:
    """One baselined finding; `text` is kept for people reading the file, not for matching."""

    path: str
    rule: str
    fingerprint: str
    text: str
    count: int = 1


def _context(source: str, start: int, end: int) -> tuple[str, str]:
    head = _LINE_BREAK.split(source[max(0, start - _SCAN_LIMIT) : start])[-1]
    tail = _LINE_BREAK.split(source[end : end + _SCAN_LIMIT], maxsplit=1)[0]
    return "".join(head.split())[-CONTEXT:], "".join(tail.split())[:CONTEXT]


def fingerprint(finding: Finding, source: str) -> str:
    """A short hash of rule, flagged text and context; stable when lines move. In a picture
    the context is the recognised line, or for a code its content, and the picture's name."""
    if finding.image is not None:
        spot = finding.image
        name = os.path.basename(spot.path)
        data = "\x1f".join((finding.rule, name, spot.line, finding.text, spot.code or ""))
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]
    before, after = _context(source, finding.start, finding.end)
    flagged = "".join(finding.text.split())
    data = "\x1f".join((finding.rule, before, flagged, after))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]


def path_key(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> str:
    """The key of a file in a baseline: its path relative to the baseline's folder, with `/`.

    Relative to the baseline rather than the working directory, so the same baseline works
    from the repository root, from a pre-commit hook and from CI.
    """
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root))).as_posix()


@dataclass(frozen=True)
class Baseline:
    """Known findings keyed by (path, rule, fingerprint) with their number of occurrences.

    `root` is the folder the paths are relative to: the folder of the baseline file.
    """

    root: str
    counts: tuple[tuple[tuple[str, str, str], int], ...]

    @classmethod
    def from_entries(cls, entries: Iterable[Entry], root: str | os.PathLike[str]) -> Baseline:
        counts: Counter[tuple[str, str, str]] = Counter()
        for e in entries:
            counts[(e.path, e.rule, e.fingerprint)] += e.count
        return cls(os.fspath(root), tuple(sorted(counts.items())))

    def filter_new(
        self, path: str | os.PathLike[str], source: str, findings: Sequence[Finding]
    ) -> list[Finding]:
        """The findings of one file the baseline does not account for, in their given order."""
        key_path = path_key(path, self.root)
        left = Counter(dict(self.counts))
        new = []
        for f in findings:
            key = (key_path, f.rule, fingerprint(f, source))
            if left[key] > 0:
                left[key] -= 1
            else:
                new.append(f)
        return new


def entries_for(
    path: str | os.PathLike[str],
    source: str,
    findings: Iterable[Finding],
    root: str | os.PathLike[str],
) -> list[Entry]:
    """Baseline entries for the findings of one file, paths relative to `root`."""
    key_path = path_key(path, root)
    grouped: dict[tuple[str, str], Entry] = {}
    for f in findings:
        fp = fingerprint(f, source)
        known = grouped.get((f.rule, fp))
        count = known.count + 1 if known else 1
        grouped[(f.rule, fp)] = Entry(key_path, f.rule, fp, f.text, count)
    return list(grouped.values())


def dumps(entries: Iterable[Entry]) -> str:
    """Deterministic JSON, sorted by path, rule and fingerprint, so diffs of it stay small."""
    rows = sorted(entries, key=lambda e: (e.path, e.rule, e.fingerprint))
    data = {
        "version": FORMAT_VERSION,
        "tool": "healthlint",
        "findings": [
            {
                "path": e.path,
                "rule": e.rule,
                "fingerprint": e.fingerprint,
                "text": e.text,
                "count": e.count,
            }
            for e in rows
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def loads(text: str, root: str | os.PathLike[str], *, path: str | None = None) -> Baseline:
    """Parse a baseline file; anything malformed is an InputError naming the file."""
    try:
        data: Any = json.loads(text)
    except ValueError as exc:
        raise InputError(f"baseline is not valid JSON: {exc}", path=path) from None
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        raise InputError(f"not a healthlint baseline of version {FORMAT_VERSION}", path=path)
    rows = data.get("findings")
    if not isinstance(rows, list):
        raise InputError("baseline has no list of findings", path=path)
    entries = []
    for i, row in enumerate(rows):
        try:
            count = row.get("count", 1)
            if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                raise TypeError
            entries.append(
                Entry(
                    _string(row["path"]),
                    _string(row["rule"]),
                    _string(row["fingerprint"]),
                    _string(row.get("text", "")),
                    count,
                )
            )
        except (AttributeError, KeyError, TypeError):
            raise InputError(f"baseline entry {i} is malformed", path=path) from None
    return Baseline.from_entries(entries, root)


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError
    return value


def load(path: str | os.PathLike[str]) -> Baseline:
    """Read a baseline file written by `dumps`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read baseline: {exc.strerror}", path=str(path)) from None
    return loads(text, Path(path).parent, path=str(path))
