"""quotation: a hit inside quotation marks in a sentence that quotes a law or a rumour
(广告不得使用“最佳”等用语; 网传“喝醋能根治高血压”)."""

from __future__ import annotations

from healthlint.context.base import Cues, Drop, Hit

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
    if not _inside_quotes(analysis.text, sentence.start, hit.start, hit.end):
        return None
    span = cues["quote_context"].first_within(analysis, sentence.start, max(sentence.end, hit.end))
    return Drop(NAME, "quoted", hit.cue(span)) if span else None


def _inside_quotes(text: str, sentence_start: int, start: int, end: int) -> bool:
    """True if an opening quote before the hit (in its sentence) is closed after it."""
    before = text[sentence_start:start]
    after = text[end : end + _REACH]
    for opener, closer in _QUOTES.items():
        if opener == closer:
            if before.count(opener) % 2 == 1 and opener in after:
                return True
            continue
        if before.rfind(opener) > before.rfind(closer) and closer in after:
            return True
    return False
