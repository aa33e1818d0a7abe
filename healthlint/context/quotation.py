"""quotation: a hit inside quotation marks in a sentence that quotes a law or a rumour
(广告不得使用“最佳”等用语; 网传“喝醋能根治高血压”), or a term in scare quotes outside
promotional text (至于“抗癌”，只适合当作饭后的谈资): the writer mentions the word, she does not
use it. A quoted sentence of speech (用户说：“用了一周就不疼了”) is no scare quote, and an ad's
own quotation marks (“抗衰老”新品) are emphasis, so neither is excused that way."""

from __future__ import annotations

from healthlint.context import register
from healthlint.context.base import Cues, Drop, Hit

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
    quoted = _quoted_length(analysis.text, sentence.start, hit.start, hit.end)
    if quoted is None:
        return None
    span = cues["quote_context"].first_within(analysis, sentence.start, max(sentence.end, hit.end))
    if span:
        return Drop(NAME, "quoted", hit.cue(span))
    scare = quoted <= hit.end - hit.start + _SCARE
    if scare and register.at(analysis, cues, hit.start) != register.PROMOTIONAL:
        return Drop(NAME, "mention")
    return None


def _quoted_length(text: str, sentence_start: int, start: int, end: int) -> int | None:
    """The length of the quoted stretch around the hit (in its sentence), or None when an
    opening quote before it is not closed after it."""
    before = text[sentence_start:start]
    after = text[end : end + _REACH]
    for opener, closer in _QUOTES.items():
        if opener == closer:
            if before.count(opener) % 2 == 1 and opener in after:
                return len(before) - before.rfind(opener) - 1 + (end - start) + after.find(opener)
            continue
        opened = before.rfind(opener)
        if opened > before.rfind(closer) and closer in after:
            return len(before) - opened - 1 + (end - start) + after.find(closer)
    return None
