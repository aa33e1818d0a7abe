"""Paths to files: which files a run lints, and which format each is read as.

Discovery walks folders in sorted order without following a symlink loop, skips hidden
files and folders, ``node_modules`` and special files, and reports a missing or unreadable path
as an `InputError` item so that the remaining paths are still linted.

Excludes are gitignore patterns (``drafts/``, ``**/old/*.md``, ``!keep.md``), each set relative
to the folder it belongs to (a config file's), read by `pathspec`, the library pre-commit and
black use. Inside a git work tree the `.gitignore` files (and ``.git/info/exclude``) are honoured
the way git reads them, the deepest deciding, unless told not to. pathspec is imported only by a
run that has a pattern to match.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from healthlint.errors import InputError, UsageError
from healthlint.sources.decode import os_error

DEFAULT_EXTENSIONS = (".md", ".markdown", ".txt", ".html", ".htm")
_SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})
FORMATS = ("text", "markdown", "html")
#: Pictures the image reader takes (healthlint.images).
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp", ".gif")
_EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}


def is_image(path: str | os.PathLike[str]) -> bool:
    """Whether a file name is a picture's (`IMAGE_EXTENSIONS`), read by the image reader."""
    return os.path.splitext(os.fspath(path))[1].lower() in IMAGE_EXTENSIONS


def format_for_path(path: str | os.PathLike[str] | None) -> str:
    """The text format a file name implies; plain text when unknown."""
    if path is None:
        return "text"
    return _EXTENSIONS.get(os.path.splitext(os.fspath(path))[1].lower(), "text")


class Ignores:
    """Which paths a run leaves out: layers of gitignore patterns, each relative to its base
    folder (a later layer overrides an earlier one, as a deeper .gitignore does), and, with
    `gitignore`, the .gitignore files of the git work tree a path is in."""

    def __init__(
        self,
        layers: Iterable[tuple[str | os.PathLike[str], Sequence[str]]] = (),
        *,
        gitignore: bool = False,
    ) -> None:
        self.layers = [(Path(os.path.abspath(base)), _spec(p)) for base, p in layers if p]
        self.gitignore = gitignore
        #: files named explicitly (not found in a folder) that an exclude left out
        self.left_out: list[str] = []
        self._roots: dict[Path, Path | None] = {}
        self._specs: dict[Path, Any] = {}

    def excluded(self, path: str | os.PathLike[str], *, is_dir: bool) -> bool:
        """Whether an exclude pattern leaves `path` out (for any path, named or found)."""
        absolute = Path(os.path.abspath(path))
        for base, spec in reversed(self.layers):
            decided = _check(spec, absolute, base, is_dir)
            if decided is not None:
                return decided
        return False

    def ignored(self, path: str | os.PathLike[str], *, is_dir: bool) -> bool:
        """Whether git would ignore `path` (only for paths found in folders)."""
        if not self.gitignore:
            return False
        absolute = Path(os.path.abspath(path))
        root = self._root(absolute.parent)
        if root is None:
            return False
        for folder in (absolute.parent, *absolute.parent.parents):
            spec = self._gitignore(folder, root)
            decided = None if spec is None else _check(spec, absolute, folder, is_dir)
            if decided is not None:
                return decided
            if folder == root:
                return False
        return False

    def _root(self, folder: Path) -> Path | None:
        """The top of the git work tree holding `folder` (where `.git` is), if any."""
        if folder not in self._roots:
            if (folder / ".git").exists():
                self._roots[folder] = folder
            else:
                parent = folder.parent
                self._roots[folder] = None if parent == folder else self._root(parent)
        return self._roots[folder]

    def _gitignore(self, folder: Path, root: Path) -> Any:
        if folder not in self._specs:
            sources = [folder / ".gitignore"]
            if folder == root:
                sources.insert(0, root / ".git" / "info" / "exclude")
            lines = [line for source in sources for line in _lines(source)]
            self._specs[folder] = _spec(lines) if lines else None
        return self._specs[folder]


def _spec(patterns: Sequence[str]) -> Any:
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _check(spec: Any, path: Path, base: Path, is_dir: bool) -> bool | None:
    """True: a pattern excludes `path`; False: a `!pattern` keeps it; None: none matches."""
    try:
        relative = path.relative_to(base).as_posix()
    except ValueError:  # patterns apply below their own folder only
        return None
    if relative == ".":
        return None
    result = spec.check_file(relative + "/" if is_dir else relative)
    return result.include  # type: ignore[no-any-return]


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def iter_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    exclude: Sequence[str] | Ignores = (),
    extensions: Sequence[str] = DEFAULT_EXTENSIONS,
) -> Iterator[Path | InputError]:
    """Yield the files to lint under `paths`, in order, and an `InputError` for each bad path.

    A file named explicitly is yielded whatever its extension; inside folders only files with
    one of `extensions` (case-insensitive) are, in sorted order, skipping hidden entries,
    ``node_modules`` and special files. Symbolic links are followed, but no folder or file is
    visited twice, so a symlink loop ends. `exclude` is an `Ignores`, or gitignore patterns
    relative to the current folder; excludes apply to paths named explicitly too, because tools
    such as pre-commit name every file, .gitignore files only to what is found in folders.
    Standard input (``-``) is the caller's business.
    """
    ignores = exclude if isinstance(exclude, Ignores) else Ignores([(Path.cwd(), exclude)])
    discovery = Discovery(extensions)
    for given in paths:
        yield from discovery.walk(given, ignores)


def input_format(path: str | os.PathLike[str], explicit: str | None = None) -> str:
    """The document format to read `path` as: `explicit` if given, else by its extension."""
    if explicit is not None:
        if explicit not in FORMATS:
            raise UsageError(
                f"unknown input format {explicit!r}; choose one of {', '.join(FORMATS)}"
            )
        return explicit
    return format_for_path(path)


class Discovery:
    """One discovery run: remembers the folders and files already seen (by device and inode),
    which is what makes symlink loops and repeated paths harmless. Each path may come with
    its own `Ignores` (the excludes of the configuration nearest to it)."""

    def __init__(self, extensions: Sequence[str] = DEFAULT_EXTENSIONS) -> None:
        self.extensions = tuple(e.lower() for e in extensions)
        self.seen: set[tuple[int, int]] = set()
        self.ignores = Ignores()

    def walk(
        self,
        given: str | os.PathLike[str],
        ignores: Ignores | None = None,
        *,
        extensions: Sequence[str] | None = None,
    ) -> Iterator[Path | InputError]:
        """The files to lint under one path given, in order, and an error for each bad one;
        `extensions` (default: the discovery's) are those looked for in folders."""
        self.ignores = ignores or Ignores()
        if extensions is not None:
            self.extensions = tuple(e.lower() for e in extensions)
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
        if self.ignores.excluded(given, is_dir=stat.S_ISDIR(st.st_mode)):
            if not stat.S_ISDIR(st.st_mode):  # a folder given that is all excluded lints nothing
                self.ignores.left_out.append(name)
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
            if entry.name.startswith("."):
                continue
            try:
                st = os.stat(path)
            except OSError as exc:
                if self._wanted_name(entry.name) and not self._left_out(path, False):
                    yield self._stat_error(path, exc)
                continue
            is_dir = stat.S_ISDIR(st.st_mode)
            if self._left_out(path, is_dir):
                continue
            if is_dir:
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

    def _left_out(self, path: Path, is_dir: bool) -> bool:
        return self.ignores.excluded(path, is_dir=is_dir) or self.ignores.ignored(
            path, is_dir=is_dir
        )

    def _wanted_name(self, name: str) -> bool:
        return name.lower().endswith(self.extensions)

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
