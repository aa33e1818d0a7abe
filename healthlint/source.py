"""Bytes to text, and paths to files: the only place that reads what users give us.

Decoding never guesses silently wrong: UTF-8 (strict) first, a BOM wins over everything, and
only when UTF-8 fails are the legacy Chinese encodings tried and scored against the most common
characters, so Big5 text is not read as GB18030 mojibake. A file that cannot be decoded, or is
binary, is an `InputError` naming the file (and the byte offset), never a crash.

File discovery walks folders in sorted order without following a symlink loop, skips hidden
files and folders, ``node_modules`` and special files, and reports a missing or unreadable path
as an `InputError` item so that the remaining paths are still linted.
"""

from __future__ import annotations

import codecs
import errno
import fnmatch
import functools
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from healthlint.document.model import FORMATS, format_for_path
from healthlint.errors import InputError, UsageError

__all__ = [
    "DEFAULT_EXTENSIONS",
    "FORMATS",
    "Source",
    "decode",
    "input_format",
    "iter_files",
    "read_source",
    "read_stdin",
]

DEFAULT_EXTENSIONS = (".md", ".markdown", ".txt", ".html", ".htm")
_SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})

# Longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (b"\x84\x31\x95\x33", "gb18030"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Tried in this order when UTF-8 fails; on a tie in score the earlier one wins. cp950 is the
# Windows superset of Big5, tried only when plain Big5 cannot decode the bytes.
_LEGACY = ("gb18030", "big5", "cp950")
_SAMPLE_BYTES = 1 << 16  # enough text to score an encoding; scoring never reads the whole file
# Right readings of real articles score >= 0.87, wrong ones <= 0.78 (measured on a corpus of
# 800 health articles and ads, each encoded in GB18030 and, converted, in Big5).
_MIN_COMMON_SHARE = 0.5
_MIN_SCORED_CHARS = 32
# C0 controls and DEL that never occur in text; tab, LF, VT, FF, CR, ESC and SUB (a DOS
# end-of-file mark) are tolerated.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\x0b\x0c\r\x1a\x1b") + b"\x7f"
_NON_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_MAX_CONTROL_SHARE = 0.05
_MIN_UTF16_NUL_SHARE = 0.3  # of the high bytes, for BOM-less UTF-16


@dataclass(frozen=True)
class Source:
    """A decoded file, with what is needed to write it back byte for byte.

    `text` has the BOM removed and line endings untouched, so offsets into it are the offsets
    findings report. `encoding` is the codec that turns `text` back into the bytes after the
    BOM: ``bom + text.encode(encoding)`` (what `encode` does) reproduces the file, except for
    a few duplicate Big5 codes that encode back to their twin (a fixer compares before writing).
    """

    path: str
    text: str
    encoding: str
    bom: bytes = b""
    newline: str = "\n"

    def encode(self, text: str | None = None) -> bytes:
        """The bytes of `text` (default: this source's text) in this file's encoding and BOM."""
        return self.bom + (self.text if text is None else text).encode(self.encoding)


def decode(data: bytes, *, path: str = "<bytes>", encoding: str | None = None) -> Source:
    """Decode the bytes of one file; `encoding` overrides detection (a BOM is still removed)."""
    if encoding is not None:
        return _decode_as(data, _codec_name(encoding), path)
    for bom, codec in _BOMS:
        if data.startswith(bom) and (not codec.startswith("utf-32") or _looks_utf32(data, codec)):
            return _decode_as(data, codec, path)
    if b"\x00" in data:
        return _decode_bomless_utf16(data, path)
    _refuse_control_bytes(data, path)
    try:
        return _source(path, data.decode("utf-8"), "utf-8", b"")
    except UnicodeDecodeError as utf8_error:
        return _decode_legacy(data, path, utf8_error)


def read_source(path: str | os.PathLike[str], *, encoding: str | None = None) -> Source:
    """Read and decode one file; any failure is an `InputError` naming it.

    The file is opened without blocking and checked to be a regular file before reading, so a
    fifo or a device given by mistake is an error rather than a hang.
    """
    name = os.fspath(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(name, flags)
    except OSError as exc:
        raise _os_error(exc, name) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError("is a directory", path=name)
        if not stat.S_ISREG(mode):
            raise InputError("not a regular file (fifo, socket or device)", path=name)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read()
    except OSError as exc:
        raise _os_error(exc, name) from None
    finally:
        os.close(fd)
    return decode(data, path=name, encoding=encoding)


def read_stdin(*, name: str = "<stdin>", encoding: str | None = None) -> Source:
    """Read all of standard input as bytes and decode it like a file called `name`."""
    try:
        data = sys.stdin.buffer.read()
    except OSError as exc:
        raise _os_error(exc, name) from None
    return decode(data, path=name, encoding=encoding)


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


# -- decoding ---------------------------------------------------------------------------------


def _source(path: str, text: str, encoding: str, bom: bytes) -> Source:
    return Source(path, text, encoding, bom, _first_newline(text))


def _first_newline(text: str) -> str:
    """The first line ending in `text` (LF when there is none), for writing fixes back."""
    cr = text.find("\r")
    lf = text.find("\n", 0, cr if cr >= 0 else len(text))
    if lf >= 0:
        return "\n"
    if cr < 0:
        return "\n"
    return "\r\n" if text.startswith("\n", cr + 1) else "\r"


def _codec_name(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise UsageError(f"unknown encoding {encoding!r}") from None
    # The BOM-consuming codecs are mapped to their BOM-less forms; the BOM is split off first.
    return {"utf-8-sig": "utf-8", "utf-16": "utf-16", "utf-32": "utf-32"}.get(name, name)


def _decode_as(data: bytes, codec: str, path: str) -> Source:
    """Decode with one known codec, splitting off a BOM that belongs to it."""
    bom = b""
    if codec in ("utf-16", "utf-32"):  # endianness from the BOM, else little-endian
        for mark, specific in _BOMS:
            if specific.startswith(codec) and data.startswith(mark):
                codec, bom = specific, mark
                break
        else:
            codec += "-le"
    else:
        for mark, specific in _BOMS:
            if specific == codec and data.startswith(mark):
                bom = mark
                break
    try:
        text = codecs.decode(memoryview(data)[len(bom) :], codec)
    except UnicodeDecodeError as exc:
        raise _undecodable(path, exc, len(bom), f"not {codec}") from None
    _refuse_control_text(text, path)
    return _source(path, text, codec, bom)


def _looks_utf32(data: bytes, codec: str) -> bool:
    """FF FE 00 00 also starts UTF-16-LE text whose first character is NUL; UTF-32 it is only
    if every code unit is at most U+10FFFF: a zero top byte and a plane byte up to 0x10."""
    top, plane = (data[7::4], data[6::4]) if codec == "utf-32-le" else (data[4::4], data[5::4])
    return len(data) % 4 == 0 and top.count(0) == len(top) and max(plane, default=0) <= 0x10


def _decode_bomless_utf16(data: bytes, path: str) -> Source:
    """NUL bytes: UTF-16 without a BOM only on strong evidence, else binary.

    Mostly-ASCII UTF-16 has a NUL in (nearly) every other byte and none in between; a stray NUL
    in UTF-8 or GB18030 text must not turn the whole file into UTF-16 mojibake.
    """
    if len(data) % 2 == 0:
        even_nul = data[0::2].count(0)
        odd_nul = data[1::2].count(0)
        nul = max(even_nul, odd_nul)
        if min(even_nul, odd_nul) == 0 and nul >= _MIN_UTF16_NUL_SHARE * len(data) / 2:
            codec = "utf-16-le" if even_nul == 0 else "utf-16-be"
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                pass
            else:
                if not _too_many_controls(text):
                    return _source(path, text, codec, b"")
    raise InputError("binary file (contains NUL bytes)", path=path)


def _refuse_control_bytes(data: bytes, path: str) -> None:
    """Many control bytes mean binary. In UTF-8, GB18030 and Big5 bytes below 0x20 are always
    characters of their own, so counting them in the bytes is exact and needs no decoding."""
    controls = len(data.translate(None, _NON_CONTROL_BYTES))
    if controls > _MAX_CONTROL_SHARE * len(data):
        raise InputError("binary file (too many control characters)", path=path)


def _too_many_controls(text: str) -> bool:
    controls = sum(text.count(chr(b)) for b in _CONTROL_BYTES)
    return controls > _MAX_CONTROL_SHARE * len(text)


def _refuse_control_text(text: str, path: str) -> None:
    if _too_many_controls(text):
        raise InputError("binary file (too many control characters)", path=path)


def _decode_legacy(data: bytes, path: str, utf8_error: UnicodeDecodeError) -> Source:
    """Not UTF-8: the best-scoring legacy Chinese encoding that decodes the whole file.

    Scores come from a sample. When even the best reading of a sample with enough non-ASCII
    characters is mostly rare characters, the file is some other encoding (Latin-1, Shift-JIS,
    ...) and any reading would be mojibake: refuse rather than lint garbage.
    """
    sample = data[:_SAMPLE_BYTES]
    scored = []
    for rank, codec in enumerate(_LEGACY):
        decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        share, count = _common_share(decoder.decode(sample, final=False))
        scored.append((-share, rank, codec, count))
    best_share, _, _, count = min(scored)
    if count >= _MIN_SCORED_CHARS and -best_share < _MIN_COMMON_SHARE:
        raise _undecodable(path, utf8_error, 0, "not UTF-8, and not GB18030 or Big5 text either")
    failures = [utf8_error]
    for _, _, codec, _ in sorted(scored):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            failures.append(exc)
            continue
        return _source(path, text, codec, b"")
    furthest = max(failures, key=lambda e: e.start)
    raise _undecodable(path, furthest, 0, "tried utf-8, gb18030, big5")


def _common_share(text: str) -> tuple[float, int]:
    """Share of the non-ASCII characters of `text` that are common Chinese characters or
    punctuation, and their count. Right decodings score near 1; Big5 read as GB18030 (or the
    reverse) scores far lower, because the other encoding's byte pairs land on rare characters.
    """
    common = _common_characters()
    total = hits = 0
    for ch in text:
        if ch >= "\x80":
            total += 1
            hits += ch in common
    return (hits / total if total else 0.0), total


@functools.cache
def _common_characters() -> frozenset[str]:
    """The frequent characters of both scripts, taken from the encodings' own frequency tiers:
    GB2312 level 1 (3,755 common simplified characters) and Big5 level 1 (5,401 common
    traditional ones), plus each encoding's punctuation, numeral and full-width rows and the
    pinyin letters with tone marks (Zhōngyī), which mainland texts use."""
    gb = _pairs(range(0xB0, 0xD8), range(0xA1, 0xFF))
    gb += _pairs(range(0xA1, 0xA4), range(0xA1, 0xFF)) + _pairs((0xA8,), range(0xA1, 0xC1))
    big5 = _pairs(range(0xA1, 0xC7), (*range(0x40, 0x7F), *range(0xA1, 0xFF)))
    chars = set(gb.decode("gb2312", errors="ignore"))
    chars.update(big5.decode("big5", errors="ignore"))
    chars.update(map(chr, range(0x3000, 0x3040)))  # CJK symbols and punctuation
    chars.update(map(chr, range(0xFF01, 0xFF5F)))  # full-width forms
    chars.update("“”‘’…—·")
    chars.discard("\ufffd")
    return frozenset(chars)


def _pairs(leads: Iterable[int], trails: Iterable[int]) -> bytes:
    """Every two-byte code from `leads` × `trails`, concatenated."""
    trail_bytes = bytes(trails)
    return b"".join(bytes((lead, trail)) for lead in leads for trail in trail_bytes)


def _undecodable(path: str, error: UnicodeDecodeError, offset: int, why: str) -> InputError:
    """The one-line decoding error: the first bad byte, its offset in the file, and why."""
    where = offset + error.start
    byte = error.object[error.start : error.start + 1]
    what = f"byte 0x{bytes(byte).hex()} at offset {where}" if byte else f"end of file at {where}"
    return InputError(f"cannot decode {what} ({why}); pass --encoding if you know it", path=path)


def _os_error(exc: OSError, path: str) -> InputError:
    reason = exc.strerror or exc.__class__.__name__
    return InputError(reason[:1].lower() + reason[1:], path=path)


# -- discovery --------------------------------------------------------------------------------


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
            yield _os_error(exc, str(folder))
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
        return _os_error(exc, str(path))
