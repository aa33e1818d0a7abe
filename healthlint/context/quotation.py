"""quotation: a hit inside quotation marks in a sentence that quotes a law or a rumour
(广告不得使用“最佳”等用语; 网传“喝醋能根治高血压”), or a term in scare quotes outside
promotional text (至于“抗癌”，只适合当作饭后的谈资): the writer mentions the word, she does not
use it. A quoted sentence of speech (用户说：“用了一周就不疼了”) is no scare quote, and an ad's
own quotation marks (“抗衰老”新品) are emphasis, so neither is excused that way."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from healthlint.context import register
from healthlint.context.base import Cues, Drop, Hit

if TYPE_CHECKING:
    from healthlint.matching.analysis import Analysis

NAME = "quotation"
CUES = ("quote_context",)
REASONS = {
    "quoted": {
        "zh": "在引号内，且本句在引述法规或传言（“{cue}”）",
        "en": "quoted in a sentence about a law or rumour (“{cue}”)",
    },
    "mention": {
        "zh": "加了引号，是在提及这个说法而非使用它",
        "en": "in scare quotes: the term is mentioned, not used",
    },
}
#: A quoted stretch at most this many characters longer than the hit is a scare quote.
_SCARE = 6
_QUOTES = {"“": "”", "「": "」", "『": "』", "《": "》", '"': '"', "'": "'", "﹁": "﹂"}
#: How far after the hit a closing quote is looked for.
_REACH = 200


def drops(hit: Hit, cues: Cues) -> Drop | None:
    analysis = hit.analysis
    sentence = analysis.layout.sentence_at(hit.start)
    quoted = _quoted_length(analysis, sentence.start, hit.start, hit.end)
    if quoted is None:
        return None
    span = cues["quote_context"].first_within(analysis, sentence.start, max(sentence.end, hit.end))
    if span:
        return Drop(NAME, "quoted", hit.cue(span))
    scare = quoted <= hit.end - hit.start + _SCARE
    if scare and register.at(analysis, cues, hit.start) != register.PROMOTIONAL:
        return Drop(NAME, "mention")
    return None


def _quoted_length(analysis: Analysis, sentence_start: int, start: int, end: int) -> int | None:
    """The length of the quoted stretch around the hit (in its sentence), or None when an
    opening quote before it is not closed after it.

    Finds the quotes before the hit by bisecting their positions, found once per text:
    slicing the sentence before every hit cost time in the square of a long sentence's
    length."""
    after = analysis.text[end : end + _REACH]
    for opener, closer in _QUOTES.items():
        if closer not in after:
            continue
        openers = _positions(analysis, opener)
        lo = bisect.bisect_left(openers, sentence_start)
        hi = bisect.bisect_left(openers, start)
        if hi == lo:
            continue
        opened = openers[hi - 1]
        if opener == closer:
            if (hi - lo) % 2 == 0:
                continue
        else:
            closers = _positions(analysis, closer)
            last_close = bisect.bisect_left(closers, start) - 1
            if last_close >= 0 and closers[last_close] > opened:
                continue
        return start - opened - 1 + (end - start) + after.find(closer)
    return None


def _positions(analysis: Analysis, char: str) -> list[int]:
    """Sorted offsets of `char` in the matching text, found once per analysis."""
    text = analysis.text
    return analysis.cached(("quote positions", char), lambda: _find_all(text, char))


def _find_all(text: str, char: str) -> list[int]:
    out = []
    at = text.find(char)
    while at >= 0:
        out.append(at)
        at = text.find(char, at + 1)
    return out
