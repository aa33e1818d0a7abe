"""What may reach a terminal: linted texts are untrusted, and a file name or a quoted line can
carry escape sequences that recolour, retitle or rewrite a terminal (or a CI log that renders
them), bidi controls that make text read in another order, and line separators that break the
one-line-per-finding layout.

`printable` spells each such character out (``\\x1b``, ``\\u202e``, ``\\udcff`` for a byte of a
non-UTF-8 file name) for text formats; `json_safe` does the same inside JSON, where the encoder
already escapes C0 controls but leaves C1 controls, bidi controls, line separators and lone
surrogates raw (and a lone surrogate cannot even be written as UTF-8).
"""

from __future__ import annotations

import re

#: C0 and C1 controls, DEL, bidi embedding/override/isolate marks, line and paragraph
#: separators, and surrogates (a non-UTF-8 byte of a file name decoded with surrogateescape).
UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)


def spelled(char: str) -> str:
    """How `printable` writes one unsafe character."""
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every character that could act on a terminal spelled out."""
    return UNSAFE.sub(lambda m: spelled(m.group()), text) if UNSAFE.search(text) else text


def json_safe(encoded: str) -> str:
    """A JSON document (from `json.dumps(..., ensure_ascii=False)`) with the characters a
    terminal could act on, and lone surrogates, written as ``\\uXXXX`` escapes: the same JSON."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)
