"""Bytes to text: the only place that decodes what users give us.

Decoding never guesses silently wrong: UTF-8 (strict) first, a BOM wins over everything, and
only when UTF-8 fails are the legacy Chinese encodings tried and scored against the most common
characters, so Big5 text is not read as GB18030 mojibake. A file that cannot be decoded, or is
binary, is an `InputError` naming the file (and the byte offset), never a crash.
"""

from __future__ import annotations

import codecs
import functools
import os
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass

from healthlint.errors import HealthlintError, InputError, UsageError

__all__ = [
    "DEFAULT_INPUT_LIMIT",
    "Source",
    "decode",
    "os_error",
    "read_bounded",
    "read_source",
    "read_stdin",
]

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


#: The largest input read by default, in bytes. Linting holds several copies of a text and
#: its layout in memory (docs/performance.md), so a platform must bound what a submission
#: can cost; pass `limit=None` for no bound, or a smaller one.
DEFAULT_INPUT_LIMIT = 64 * 1024 * 1024


def read_source(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    limit: int | None = DEFAULT_INPUT_LIMIT,
) -> Source:
    """Read and decode one file; any failure is an `InputError` naming it.

    The file is opened without blocking and checked to be a regular file before reading, so a
    fifo or a device given by mistake is an error rather than a hang. A file over `limit`
    bytes (default `DEFAULT_INPUT_LIMIT`) is refused from its size before anything is read,
    so a huge or sparse file costs no memory.
    """
    name = os.fspath(path)
    return decode(read_bounded(name, limit), path=name, encoding=encoding)


def read_bounded(
    path: str | os.PathLike[str],
    limit: int | None,
    *,
    error: type[HealthlintError] = InputError,
    what: str = "file",
) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (None: any size).

    The size is checked on the open file before reading, and at most `limit + 1` bytes are
    read, so neither a huge nor a growing file costs more memory than the limit.
    """
    name = os.fspath(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(name, flags)
    except OSError as exc:
        raise error(os_error(exc, name).message, path=name) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise error("is a directory", path=name)
        if not stat.S_ISREG(info.st_mode):
            raise error("not a regular file (fifo, socket or device)", path=name)
        if limit is not None and info.st_size > limit:
            raise error(f"{what} too large ({info.st_size} bytes; the limit is {limit})", path=name)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read() if limit is None else handle.read(limit + 1)
    except OSError as exc:
        raise error(os_error(exc, name).message, path=name) from None
    finally:
        os.close(fd)
    if limit is not None and len(data) > limit:
        raise error(f"{what} too large (over {limit} bytes)", path=name)
    return data


def read_stdin(
    *,
    name: str = "<stdin>",
    encoding: str | None = None,
    limit: int | None = DEFAULT_INPUT_LIMIT,
) -> Source:
    """Read standard input as bytes and decode it like a file called `name`; more than
    `limit` bytes is refused after reading at most `limit + 1`."""
    try:
        data = sys.stdin.buffer.read() if limit is None else sys.stdin.buffer.read(limit + 1)
    except OSError as exc:
        raise os_error(exc, name) from None
    if limit is not None and len(data) > limit:
        raise InputError(f"input too large (over {limit} bytes)", path=name)
    return decode(data, path=name, encoding=encoding)


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


def os_error(exc: OSError, path: str) -> InputError:
    """An OS error as the one-line `InputError` users see: the reason, lower-cased."""
    reason = exc.strerror or exc.__class__.__name__
    return InputError(reason[:1].lower() + reason[1:], path=path)
