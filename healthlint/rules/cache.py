"""A disk cache of compiled rule packs, so the command line starts fast.

Reading the YAML packs (with line marks, in pure Python) and compiling their rules costs
about ten times Python's own start, and a pre-commit hook pays it on every commit. The
compiled `RuleSet` is pickled under a key that changes with anything it depends on: the
packs' paths and bytes, the healthlint source files, the Python version. A stale or
unreadable entry is simply rebuilt; a cache folder that cannot be written is skipped.

The folder is the caller's choice: a `Linter` keeps nothing on disk unless given one. The
command line uses `default_cache_dir()`: `$HEALTHLINT_CACHE_DIR`, else
`$XDG_CACHE_HOME/healthlint`, else `~/.cache/healthlint`; `HEALTHLINT_CACHE_DIR=` (empty)
turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path

from healthlint.rules.load import RuleSet, load_rules, rule_files

_SOURCE = Path(__file__).resolve().parent
#: Entries kept: enough for several configurations with their own rule folders.
KEEP = 16


def cached_rules(
    directories: Iterable[str | os.PathLike[str]],
    *,
    folder: Path | None,
    filters: tuple[str, ...] | None = None,
    cues: tuple[str, ...] = (),
) -> RuleSet:
    """`load_rules(...)`, from the cache in `folder` when nothing it depends on has changed."""
    directories = list(directories)
    if folder is None:
        return load_rules(directories, filters=filters, cues=cues)
    entry = folder / f"rules-{_key(directories, filters, cues)}.pickle"
    try:
        with entry.open("rb") as stream:
            cached = pickle.load(stream)
        if isinstance(cached, RuleSet):
            return cached
    except Exception:  # missing, truncated or from another version: rebuild
        pass
    ruleset = load_rules(directories, filters=filters, cues=cues)
    _store(entry, ruleset)
    return ruleset


def default_cache_dir() -> Path | None:
    """Where the command line keeps compiled packs, or None when the cache is turned off."""
    configured = os.environ.get("HEALTHLINT_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "healthlint"


def _key(
    directories: list[str | os.PathLike[str]],
    filters: tuple[str, ...] | None,
    cues: tuple[str, ...],
) -> str:
    digest = hashlib.sha256(sys.version.encode())
    digest.update(repr((filters, cues)).encode())
    for source in sorted(_SOURCE.rglob("*.py")):
        stat = source.stat()
        digest.update(f"{source}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    for directory in directories:
        for pack in rule_files(directory):
            digest.update(str(pack.resolve()).encode())
            digest.update(pack.read_bytes())
    return digest.hexdigest()[:32]


def _store(entry: Path, ruleset: RuleSet) -> None:
    """Write atomically (temp file, rename), so a concurrent reader never sees half."""
    import tempfile  # only on a miss: tempfile costs more to import than a hit takes

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=entry.parent, delete=False) as stream:
            temporary = Path(stream.name)
            pickle.dump(ruleset, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
        _prune(entry.parent)
    except (OSError, pickle.PicklingError):
        if "temporary" in locals():
            temporary.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    """Keep the newest `KEEP` entries: each edit of a pack or of healthlint makes a new one."""
    entries = sorted(folder.glob("rules-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[KEEP:]:
        stale.unlink(missing_ok=True)
