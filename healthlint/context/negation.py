"""negation: a claim negated in its clause (目前无法根治, 没有任何一种保健品能保证百分之百有效), or
after a cue that negates the rest of its sentence across commas (不能说……，对任何人都绝对安全)."""

from __future__ import annotations

import bisect

from healthlint.context.base import Cues, Drop, Hit

NAME = "negation"
CUES = ("negation", "not_negation", "negation_sentence")
REASONS = {
    "clause": {
        "zh": "被同一分句中前面的“{cue}”否定",
        "en": "negated by “{cue}” before it in its clause",
    },
    "sentence": {
        "zh": "句中前面的“{cue}”否定了其后内容",
        "en": "“{cue}” earlier in the sentence negates the rest",
    },
}
#: Characters before a trigger, within its clause, that a negation reaches: in
#: 没有任何一种保健品能保证百分之百有效 twelve characters separate the negation from the claim.
WINDOW = 16


def drops(hit: Hit, cues: Cues) -> Drop | None:
    analysis, start = hit.analysis, hit.start
    clause_start, _ = analysis.clause(start, hit.end)
    lo = max(clause_start, start - WINDOW)
    spans = cues["negation"].occurrences(analysis)
    k = bisect.bisect_left(spans, (lo, lo))
    while k < len(spans) and spans[k][0] < start:
        s, e = spans[k]
        if e <= start and not cues["not_negation"].covering(analysis, s, e):
            return Drop(NAME, "clause", hit.cue((s, e)))
        k += 1
    sentence = analysis.layout.sentence_at(start)
    span = cues["negation_sentence"].first_within(analysis, sentence.start, start)
    return Drop(NAME, "sentence", hit.cue(span)) if span else None
