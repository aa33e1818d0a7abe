"""Paths to files: which files a run lints, and which format each is read as.

Discovery walks folders in sorted order without following a symlink loop, skips hidden
files and folders, ``node_modules`` and special files, and reports a missing or unreadable path
as an `InputError` item so that the remaining paths are still linted.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from healthlint.errors import InputError, UsageError
from healthlint.sources.decode import os_error

DEFAULT_EXTENSIONS = (".md", ".markdown", ".txt", ".html", ".htm")
_SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})
FORMATS = ("text", "markdown", "html")
_EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}


def format_for_path(path: str | os.PathLike[str] | None) -> str:
    """The input format a file name implies; plain text when unknown."""
    if path is None:
        return "text"
    return _EXTENSIONS.get(os.path.splitext(os.fspath(path))[1].lower(), "text")


def iter_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    exclude: Sequence[str] = (),
    extensions: Sequence[str] = DEFAULT_EXTENSIONS,
) -> Iterator[Path | InputError]:
    """Yield the files to lint under `paths`, in order, and an `InputError` for each bad path.

    A file named explicitly is yielded whatever its extension; inside folders only files with
    one of `extensions` (case-insensitive) are, in sorted order, skipping hidden entries,
    ``node_modules`` and special files. Symbolic links are followed, but no folder or file is
    visited twice, so a symlink loop ends. `exclude` holds glob patterns: one without ``/``
    matches any file or folder name, one with ``/`` matches the path relative to the folder
    given (or the path as given); it applies to paths named explicitly too, because tools such
    as pre-commit name every file. Standard input (``-``) is the caller's business.
    """
    walker = _Walker(tuple(exclude), tuple(e.lower() for e in extensions))
    for given in paths:
        yield from walker.walk(given)


def input_format(path: str | os.PathLike[str], explicit: str | None = None) -> str:
    """The document format to read `path` as: `explicit` if given, else by its extension."""
    if explicit is not None:
        if explicit not in FORMATS:
            raise UsageError(
                f"unknown input format {explicit!r}; choose one of {', '.join(FORMATS)}"
            )
        return explicit
    return format_for_path(path)


class _Walker:
    """One discovery run: remembers the folders and files already seen (by device and inode),
    which is what makes symlink loops and repeated paths harmless."""

    def __init__(self, exclude: tuple[str, ...], extensions: tuple[str, ...]) -> None:
        self.exclude = exclude
        self.extensions = extensions
        self.seen: set[tuple[int, int]] = set()

    def walk(self, given: str | os.PathLike[str]) -> Iterator[Path | InputError]:
        name = os.fspath(given)
        if not name:  # Path("") would silently mean the current folder
            yield InputError("empty path")
            return
        given = Path(name)
        try:
            st = given.stat()
        except OSError as exc:
            yield self._stat_error(given, exc)
            return
        if self._excluded(given.name, name):
            return
        if stat.S_ISDIR(st.st_mode):
            yield from self._walk_folder(given, st)
        elif not stat.S_ISREG(st.st_mode):
            yield InputError("not a regular file (fifo, socket or device)", path=name)
        elif self._first_visit(st):
            yield given

    def _walk_folder(self, root: Path, root_stat: os.stat_result) -> Iterator[Path | InputError]:
        if not self._first_visit(root_stat):
            return
        stack = [(root, self._entries(root))]
        while stack:
            folder, entries = stack[-1]
            entry = next(entries, None)
            if entry is None:
                stack.pop()
                continue
            if isinstance(entry, InputError):
                yield entry
                continue
            path = folder / entry.name
            relative = path.relative_to(root).as_posix()
            if entry.name.startswith(".") or self._excluded(entry.name, relative, str(path)):
                continue
            try:
                st = os.stat(path)
            except OSError as exc:
                if self._wanted_name(entry.name):
                    yield self._stat_error(path, exc)
                continue
            if stat.S_ISDIR(st.st_mode):
                if entry.name not in _SKIPPED_FOLDERS and self._first_visit(st):
                    stack.append((path, self._entries(path)))
            elif (
                stat.S_ISREG(st.st_mode) and self._wanted_name(entry.name) and self._first_visit(st)
            ):
                yield path

    @staticmethod
    def _entries(folder: Path) -> Iterator[os.DirEntry[str] | InputError]:
        """The folder's entries sorted by name; an unreadable folder is one error item."""
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield os_error(exc, str(folder))
            return
        yield from entries

    def _wanted_name(self, name: str) -> bool:
        return name.lower().endswith(self.extensions)

    def _excluded(self, name: str, *paths: str) -> bool:
        for pattern in self.exclude:
            candidates = paths if "/" in pattern.rstrip("/") else (name,)
            pattern = pattern.rstrip("/")
            if any(fnmatch.fnmatchcase(c, pattern) for c in candidates):
                return True
        return False

    def _first_visit(self, st: os.stat_result) -> bool:
        key = (st.st_dev, st.st_ino)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    @staticmethod
    def _stat_error(path: Path, exc: OSError) -> InputError:
        if os.path.islink(path) and not os.path.exists(path):
            if exc.errno == errno.ELOOP:
                return InputError("symbolic link loop", path=str(path))
            return InputError("broken symbolic link", path=str(path))
        return os_error(exc, str(path))
