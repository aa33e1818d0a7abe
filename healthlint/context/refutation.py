"""refutation: a claim refuted after it in its sentence (……，这是谣言), or inside a debunk frame:
a rumour frame before it in its paragraph (网传, 流言：) and a refutation in that paragraph or the
next (流言：…… / 真相：…… are often two paragraphs). A refutation that is itself negated
(绝不是谣言) or followed by a confirmation (真相：确实能) refutes nothing."""

from __future__ import annotations

import bisect

from healthlint.context.base import Cues, Drop, Hit, undone

NAME = "refutation"
CUES = ("refutation", "rumor_frame", "negation", "confirmation")
REASONS = {
    "after": {"zh": "句中其后的“{cue}”驳斥了它", "en": "refuted by “{cue}” later in its sentence"},
    "frame": {"zh": "位于辟谣语境中（“{cue}”……）", "en": "quoted in a debunk frame (“{cue}” …)"},
}


def drops(hit: Hit, cues: Cues) -> Drop | None:
    analysis, start = hit.analysis, hit.start
    sentence = analysis.layout.sentence_at(start)
    span = _refuting(hit, cues, hit.end, sentence.end)
    if span:
        return Drop(NAME, "after", hit.cue(span))
    paragraphs = analysis.layout.paragraphs
    index = sentence.paragraph
    p_start, p_end = paragraphs[index]
    frame = cues["rumor_frame"].first_within(analysis, p_start, start)
    if frame is None:
        return None
    refute_end = paragraphs[index + 1][1] if index + 1 < len(paragraphs) else p_end
    if _refuting(hit, cues, p_start, refute_end):
        return Drop(NAME, "frame", hit.cue(frame))
    return None


def _refuting(hit: Hit, cues: Cues, start: int, end: int) -> tuple[int, int] | None:
    """The first refutation cue in [start, end) that no confirmation undoes."""
    spans = cues["refutation"].occurrences(hit.analysis)
    k = bisect.bisect_left(spans, (start, start))
    while k < len(spans) and spans[k][0] < end:
        if spans[k][1] <= end and not undone(hit, cues, spans[k]):
            return spans[k]
        k += 1
    return None
