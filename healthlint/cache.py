"""A disk cache of compiled rule packs, so the command line starts fast.

Reading the YAML packs (with line marks, in pure Python) and compiling their rules costs
about ten times Python's own start, and a pre-commit hook pays it on every commit. The
compiled `RuleSet` is pickled under a key that changes with anything it depends on: the
packs' paths and bytes, the healthlint source files, the Python version. A stale or
unreadable entry is simply rebuilt; a cache folder that cannot be written is skipped.

Location: `$HEALTHLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/healthlint`, else
`~/.cache/healthlint`. `HEALTHLINT_CACHE_DIR=` (empty) turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path

from healthlint.rules import RuleSet, load_rules, pack_files

_SOURCE = Path(__file__).resolve().parent
#: Entries kept: enough for several configurations with their own rule folders.
KEEP = 16


def cached_rules(directories: Iterable[str | os.PathLike[str]]) -> RuleSet:
    """`load_rules(directories)`, from the cache when nothing it depends on has changed."""
    directories = list(directories)
    folder = cache_dir()
    if folder is None:
        return load_rules(directories)
    entry = folder / f"rules-{_key(directories)}.pickle"
    try:
        with entry.open("rb") as stream:
            cached = pickle.load(stream)
        if isinstance(cached, RuleSet):
            return cached
    except Exception:  # missing, truncated or from another version: rebuild
        pass
    ruleset = load_rules(directories)
    _store(entry, ruleset)
    return ruleset


def cache_dir() -> Path | None:
    """Where entries live, or None when the cache is turned off."""
    configured = os.environ.get("HEALTHLINT_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "healthlint"


def _key(directories: list[str | os.PathLike[str]]) -> str:
    digest = hashlib.sha256(sys.version.encode())
    for source in sorted(_SOURCE.rglob("*.py")):
        stat = source.stat()
        digest.update(f"{source}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    for directory in directories:
        for pack in pack_files(directory):
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
