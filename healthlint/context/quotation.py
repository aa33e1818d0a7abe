"""quotation: a hit inside quotation marks in a sentence that quotes a law or a rumour
(广告不得使用“最佳”等用语; 网传“喝醋能根治高血压”)."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from healthlint.context.base import Cues, Drop, Hit

if TYPE_CHECKING:
    from healthlint.matching.analysis import Analysis

NAME = "quotation"
CUES = ("quote_context",)
REASONS = {
    "quoted": {
        "zh": "在引号内，且本句在引述法规或传言（“{cue}”）",
        "en": "quoted in a sentence about a law or rumour (“{cue}”)",
    }
}
_QUOTES = {"“": "”", "「": "」", "『": "』", "《": "》", '"': '"', "'": "'", "﹁": "﹂"}
#: How far after the hit a closing quote is looked for.
_REACH = 200


def drops(hit: Hit, cues: Cues) -> Drop | None:
    analysis = hit.analysis
    sentence = analysis.layout.sentence_at(hit.start)
    if not _inside_quotes(analysis, sentence.start, hit.start, hit.end):
        return None
    span = cues["quote_context"].first_within(analysis, sentence.start, max(sentence.end, hit.end))
    return Drop(NAME, "quoted", hit.cue(span)) if span else None


def _inside_quotes(analysis: Analysis, sentence_start: int, start: int, end: int) -> bool:
    """True if an opening quote before the hit (in its sentence) is closed after it.

    Counts and finds the quotes by bisecting their positions, found once per text: slicing
    the sentence before every hit cost time in the square of a long sentence's length."""
    text = analysis.text
    after = text[end : end + _REACH]
    for opener, closer in _QUOTES.items():
        if closer not in after:
            continue
        openers = _positions(analysis, opener)
        lo = bisect.bisect_left(openers, sentence_start)
        hi = bisect.bisect_left(openers, start)
        if opener == closer:
            if (hi - lo) % 2 == 1:
                return True
            continue
        if hi > lo:
            closers = _positions(analysis, closer)
            last_close = bisect.bisect_left(closers, start) - 1
            if last_close < 0 or closers[last_close] < openers[hi - 1]:
                return True
    return False


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
