"""explanation: outside promotional text, a sentence that explains is not ad copy.

A short unmarked text is read as the claim it makes ("一喝就见效"), but a sentence about
behaviour, diet, a study or a care process explains health rather than selling it
(规律运动可以改善血糖控制; 造血干细胞移植是治疗白血病的成熟手段), in unmarked and in
informational text alike. Promotional text is not excused this way: an ad's "配合运动" does not
turn its claim into advice.
"""

from __future__ import annotations

from healthlint.context import register
from healthlint.context.base import Cues, Drop, Hit

NAME = "explanation"
CUES = ("explanatory_subjects", "explanation")
REASONS = {
    "explains": {
        "zh": "句中有“{cue}”，是在说明健康知识而非推销",
        "en": "“{cue}” in the sentence: it explains health, it does not sell",
    }
}


def drops(hit: Hit, cues: Cues) -> Drop | None:
    if register.at(hit.analysis, cues, hit.start) == register.PROMOTIONAL:
        return None
    sentence = hit.analysis.layout.sentence_at(hit.start)
    for name in CUES:  # outside the hit: its own words (治疗, 降糖药) are the claim
        for lo, hi in ((sentence.start, hit.start), (hit.end, max(sentence.end, hit.end))):
            span = cues[name].first_within(hit.analysis, lo, hi)
            if span:
                return Drop(NAME, "explains", hit.cue(span))
    return None
