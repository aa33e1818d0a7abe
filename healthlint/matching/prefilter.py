"""Regex prefilters: read a pattern to find where in a text it can match at all.

Most rule regexes need a literal (降糖, 根治) that most texts lack. The literals go into the
shared `TermIndex`, so after its one scan a regex runs only around their occurrences, and not
at all on a text without them (docs/performance.md).
"""

from __future__ import annotations

import bisect
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import regex

try:  # the standard library's regex parser: `re._parser` since 3.11, `sre_parse` before
    from re import _constants, _parser
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _constants  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]


@dataclass(frozen=True)
class Prefilter:
    """What lets a regex run only where it can match, found by reading the pattern.

    Every match contains one of `literals`. Around an occurrence, a match and every
    character deciding it (lookarounds, anchors) lie within `reach` characters when the
    pattern's width is bounded, and within the run of text free of `barriers` (characters
    the pattern can never consume, such as 。 or a line break) widened by `look` otherwise.
    So running the regex on those windows alone finds exactly the matches of a whole-text
    scan, and a text without occurrences does not run it at all.

    For a pattern of unbounded width that starts with a bounded prefix and then a literal
    (`[^，]{0,4}(?:降糖|抗癌)…`), `lead` is that prefix's longest width and `literals` are
    those leading literals: every match starts at most `lead` characters before one, so the
    regex is tried only at those positions (`starts`), not at every position of a sentence.
    When every match holds `count` of those literals (`(?:…(?:降糖|抗癌)…){3,}` holds three),
    an occurrence without that many others after it before the next barrier starts nothing.
    """

    literals: frozenset[str]
    reach: int | None  # longest match plus how far lookarounds look; None: unbounded
    look: int  # how far lookarounds and anchors look beyond a match
    barriers: str  # characters no match contains
    lead: int | None = None
    count: int = 1  # occurrences of `literals`, at distinct offsets, in every match

    def starts(
        self, spans: Iterable[tuple[int, int]], size: int, stops: Sequence[int] = ()
    ) -> list[int]:
        """The positions where a match can start, in order (needs `lead`).

        `stops` are the sorted offsets of the `barriers` in the text of length `size`: a
        match starting up to `lead` before an occurrence ends before the next stop, so it
        can hold `count` occurrences only if that stretch does.
        """
        lead = self.lead or 0
        begins = sorted({start for start, _ in spans})
        if self.count > 1:
            begins = [
                start
                for start in begins
                if bisect.bisect_left(begins, _next(stops, start, size))
                - bisect.bisect_left(begins, start - lead)
                >= self.count
            ]
        return sorted({p for start in begins for p in range(max(0, start - lead), start + 1)})

    def windows(
        self, size: int, spans: Iterable[tuple[int, int]], stops: Sequence[int] = ()
    ) -> list[tuple[int, int]]:
        """Disjoint [lo, hi) windows around the literals' occurrences, merged when they touch.

        `stops` are the sorted offsets of the text's `barriers` characters (the caller
        finds them once per text and barrier set).
        """
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if self.reach is not None:
                lo, hi = start - self.reach, end + self.reach
            elif self.barriers:
                k = bisect.bisect_left(stops, start)
                lo = (stops[k - 1] + 1 if k else 0) - self.look
                hi = _next(stops, end, size) + self.look
            else:
                lo, hi = 0, size
            lo, hi = max(0, lo), min(size, hi)
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
            else:
                merged.append((lo, hi))
        return merged


def _next(stops: Sequence[int], offset: int, size: int) -> int:
    """The first stop at or after `offset`, or the text's end."""
    k = bisect.bisect_left(stops, offset)
    return stops[k] if k < len(stops) else size


class Prefilters:
    """Every regex's prefilter by (pattern, flags), and which regexes each literal wakes."""

    def __init__(self, prefilters: Mapping[tuple[str, int], Prefilter]) -> None:
        self.by_key = dict(prefilters)
        woken: dict[str, list[tuple[str, int]]] = {}
        for key, found in self.by_key.items():
            for literal in found.literals:
                woken.setdefault(literal, []).append(key)
        self._woken = woken

    def required(self, patterns: Iterable[regex.Pattern[str]]) -> frozenset[str] | None:
        """The strings one of which a text must hold for any of `patterns` to match in it;
        None when one of them has no prefilter (it may match anywhere)."""
        found: set[str] = set()
        for pattern in patterns:
            prefilter = self.by_key.get((pattern.pattern, pattern.flags))
            if prefilter is None:
                return None
            found |= prefilter.literals
        return frozenset(found)

    def candidates(
        self, occurrences: Mapping[str, list[tuple[int, int]]]
    ) -> dict[tuple[str, int], list[tuple[int, int]]]:
        """For each regex that can match, the occurrences of its literals: one pass over the
        literals found in a text, instead of one look-up per regex and literal."""
        spans: dict[tuple[str, int], list[tuple[int, int]]] = {}
        for literal, found in occurrences.items():
            for key in self._woken.get(literal, ()):
                spans.setdefault(key, []).extend(found)
        return spans


def prefilter(pattern: str) -> Prefilter | None:
    """The prefilter of a `regex` pattern, or None when it has no required literal.

    It reads the pattern with the standard library's parser and declines (None) whatever
    it is not sure the `regex` module reads the same way: regex-only syntax, nested sets,
    case folding. The literals go into the Linter's shared `TermIndex`, so finding them
    costs nothing extra.
    """
    if re.search(_REGEX_ONLY, pattern):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # e.g. "possible nested set"
            parsed = _parser.parse(pattern)
    except (re.error, Warning, RecursionError, OverflowError):
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    literals = _required(parsed)
    if not literals:
        return None
    look = _assert_reach(parsed) + 1  # + 1: anchors such as \b and $ look one further
    if look >= _UNBOUNDED:
        return Prefilter(literals, None, 0, "")
    width = parsed.getwidth()[1]
    barriers = "".join(c for c in _BARRIERS if not _consumes(parsed, c))
    if width >= _UNBOUNDED and (leading := _lead(parsed)) is not None:
        lead_literals, lead = leading
        return Prefilter(
            lead_literals, None, look, barriers, lead, max(1, _count(parsed, lead_literals))
        )
    return Prefilter(literals, None if width >= _UNBOUNDED else width + look, look, barriers)


#: Characters that end a sentence or line: a pattern that never consumes one of them cannot
#: match across it, which bounds patterns of unbounded width (`(?:…、){2,}`).
_BARRIERS = "\n。！？；!?;"
#: Syntax the `regex` module reads differently from `re`: fuzzy counts ({e<=1}), POSIX
#: classes and nested sets ([[:alpha:]], [[a-z]--[aeiou]]). This and `_CATEGORIES` are kept as
#: strings for `re`'s own cache: they are needed only while packs compile, not on a cached start.
_REGEX_ONLY = r"\{[^}]*[eids]\s*[<=]|\[\["
_REPEATS = tuple(
    getattr(_constants, name)
    for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")  # the last since 3.11
    if hasattr(_constants, name)
)
_ATOMIC = getattr(_constants, "ATOMIC_GROUP", object())  # since 3.11
#: The parser's "unbounded" width (MAXWIDTH since 3.11, MAXREPEAT before).
_UNBOUNDED = getattr(_parser, "MAXWIDTH", _constants.MAXREPEAT)


def _required(items: Any) -> frozenset[str] | None:
    """Required strings of a sequence: its most selective run of literals or group."""
    candidates: list[frozenset[str]] = []
    for strings, run in _runs(items):
        if strings is not None:
            if "" not in strings:  # else the run may match nothing: none of it is required
                candidates.append(strings)
            continue
        for op, value in run:
            found: frozenset[str] | None = None
            if op is _constants.SUBPATTERN:
                _, add_flags, _, body = value
                found = None if add_flags & re.IGNORECASE else _required(body)
            elif op is _ATOMIC:
                found = _required(value)
            elif op is _constants.BRANCH:
                branches = [_required(branch) for branch in value[1]]
                if all(b is not None for b in branches):
                    found = frozenset().union(*branches)  # type: ignore[arg-type]
            elif op in _REPEATS and value[0] >= 1:
                found = _required(value[2])
            if found:
                candidates.append(found)
    if not candidates:
        return None
    # The rarest set wins: its shortest string longest, then the fewest strings.
    return max(candidates, key=lambda c: (min(map(len, c)), -len(c)))


#: Most strings a run of small alternatives is spelt out into: 降(?:糖|脂) needs 降糖 or 降脂,
#: both much rarer than 降 alone, so the regex runs in fewer places.
_SPELLED_OUT = 64


def _runs(items: Any) -> Iterator[tuple[frozenset[str] | None, list[tuple[Any, Any]]]]:
    """A sequence's items with each longest run of items that match few strings joined:
    (every string the run matches, its items), or (None, [item]) for any other item."""
    strings: frozenset[str] = frozenset({""})
    run: list[tuple[Any, Any]] = []
    for op, value in items:
        spelled = _spell(op, value)
        if spelled is not None and len(strings) * len(spelled) <= _SPELLED_OUT:
            strings = frozenset(a + b for a in strings for b in spelled)
            run.append((op, value))
            continue
        if run:
            yield strings, run
        if spelled is None:
            strings, run = frozenset({""}), []
            yield None, [(op, value)]
        else:
            strings, run = spelled, [(op, value)]
    if run:
        yield strings, run


def _spell(op: Any, value: Any) -> frozenset[str] | None:
    """Every string one item matches, when they are few: a literal, a small set of
    characters, a group or alternation of those, optional or not; else None."""
    if op is _constants.LITERAL:
        return frozenset({chr(value)})
    if op is _constants.IN:
        chars: set[str] = set()
        for kind, member in value:
            if kind is _constants.LITERAL:
                chars.add(chr(member))
            elif kind is _constants.RANGE and member[1] - member[0] < _SPELLED_OUT:
                chars.update(map(chr, range(member[0], member[1] + 1)))
            else:
                return None
        return frozenset(chars) if len(chars) <= _SPELLED_OUT else None
    spelled: frozenset[str] | None = None
    if op is _constants.SUBPATTERN and not value[1] & re.IGNORECASE:
        spelled = _spell_all(value[-1])
    elif op is _constants.BRANCH:
        branches = [_spell_all(branch) for branch in value[1]]
        if all(b is not None for b in branches):
            spelled = frozenset().union(*branches)  # type: ignore[arg-type]
    elif op in _REPEATS and value[1] == 1:
        spelled = _spell_all(value[2])
        if spelled is not None and value[0] == 0:
            spelled |= {""}
    return spelled if spelled is not None and len(spelled) <= _SPELLED_OUT else None


def _spell_all(items: Any) -> frozenset[str] | None:
    """Every string a sequence matches, when it is one run of few strings; else None."""
    runs = list(_runs(items))
    if not runs:
        return frozenset({""})
    return runs[0][0] if len(runs) == 1 else None


def _count(items: Any, literals: frozenset[str]) -> int:
    """How many occurrences of `literals` every match holds, at least: a run of literals
    each of whose strings holds one counts once, a repeat as often as its minimum, a branch
    as its poorest alternative, a lookaround not at all (it is not part of the match)."""
    total = 0
    for strings, run in _runs(items):
        if strings is not None:
            total += all(any(literal in text for literal in literals) for text in strings)
            continue
        for op, value in run:
            if op is _constants.SUBPATTERN and not value[1] & re.IGNORECASE:
                total += _count(value[-1], literals)
            elif op is _ATOMIC:
                total += _count(value, literals)
            elif op is _constants.BRANCH:
                total += min(_count(branch, literals) for branch in value[1])
            elif op in _REPEATS:
                total += value[0] * _count(value[2], literals)
    return total


def _assert_reach(items: Any) -> int:
    """An upper bound of how far the lookarounds in a pattern look: their widths summed."""
    reach = 0
    for op, value in items:
        if op in (_constants.ASSERT, _constants.ASSERT_NOT):
            reach += value[1].getwidth()[1] + _assert_reach(value[1])
        elif op in (_constants.SUBPATTERN, _ATOMIC, *_REPEATS):
            body = value if op is _ATOMIC else value[-1]
            reach += _assert_reach(body)
        elif op is _constants.BRANCH:
            reach += sum(_assert_reach(branch) for branch in value[1])
    return min(reach, _UNBOUNDED)


_CATEGORIES = {
    _constants.CATEGORY_DIGIT: r"\d",
    _constants.CATEGORY_NOT_DIGIT: r"\D",
    _constants.CATEGORY_SPACE: r"\s",
    _constants.CATEGORY_NOT_SPACE: r"\S",
    _constants.CATEGORY_WORD: r"\w",
    _constants.CATEGORY_NOT_WORD: r"\W",
}


def _consumes(items: Any, char: str) -> bool:
    """Can the pattern consume `char`? True when unsure (the safe answer)."""
    code = ord(char)
    for op, value in items:
        if op is _constants.LITERAL:
            found = value == code
        elif op is _constants.NOT_LITERAL:
            found = value != code
        elif op is _constants.IN:
            found = _in_set(value, char)
        elif op in (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT):
            found = False  # these look, they do not consume
        elif op is _constants.SUBPATTERN or op in _REPEATS:
            found = _consumes(value[-1], char)
        elif op is _ATOMIC:
            found = _consumes(value, char)
        elif op is _constants.BRANCH:
            found = any(_consumes(branch, char) for branch in value[1])
        else:  # ANY, back references, conditionals, anything new
            found = True
        if found:
            return True
    return False


def _in_set(items: Any, char: str) -> bool:
    code, negate, found = ord(char), False, False
    for op, value in items:
        if op is _constants.NEGATE:
            negate = True
        elif op is _constants.LITERAL:
            found |= value == code
        elif op is _constants.RANGE:
            found |= value[0] <= code <= value[1]
        elif op is _constants.CATEGORY and value in _CATEGORIES:
            found |= bool(re.match(_CATEGORIES[value], char))
        else:
            return True  # unsure
    return found != negate


def _lead(items: Any) -> tuple[frozenset[str], int] | None:
    """The literals one of which every match has after a bounded prefix, and that prefix's
    longest width; None when no such literal comes before an unbounded part."""
    prefix = 0
    for strings, run in _runs(items):
        if strings is not None and "" not in strings:
            return strings, prefix
        for op, value in run:
            found: tuple[frozenset[str], int] | None = None
            if op is _constants.SUBPATTERN and not value[1] & re.IGNORECASE:
                found = _lead(value[-1])
            elif op is _ATOMIC:
                found = _lead(value)
            elif op in _REPEATS and value[0] >= 1:
                found = _lead(value[2])
            elif op is _constants.BRANCH:
                leads = [_lead(branch) for branch in value[1]]
                if all(lead is not None for lead in leads):
                    literals = frozenset().union(*(lead[0] for lead in leads))  # type: ignore[index]
                    found = literals, max(lead[1] for lead in leads)  # type: ignore[index]
            if found is not None:
                return found[0], prefix + found[1]
            if op in (_constants.ASSERT, _constants.ASSERT_NOT, _constants.AT):
                continue  # zero width
            if op is _constants.SUBPATTERN or op is _ATOMIC or op in (*_REPEATS, *_BOUNDED):
                width = _parser.SubPattern(items.state, [(op, value)]).getwidth()[1]
                if width >= _UNBOUNDED:
                    return None
                prefix += width
            else:
                return None
    return None


#: Items of a known longest width that may come before a leading literal.
_BOUNDED = (
    _constants.IN,
    _constants.ANY,
    _constants.NOT_LITERAL,
    _constants.BRANCH,
    _constants.CATEGORY,
)
