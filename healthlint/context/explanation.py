"""explanation: outside promotional text, a sentence that explains is not ad copy.

A short unmarked text is read as the claim it makes ("一喝就见效"), but a sentence about
behaviour, diet, a study or a care process explains health rather than selling it
(规律运动可以改善血糖控制; 造血干细胞移植是治疗白血病的成熟手段), in unmarked and in
informational text alike; so does one whose subject, before the claim, is a drug, a measure,
a nutrient or the body itself (这些药物能缓解症状; 免疫系统能对抗病毒). Promotional text is not excused this way: an ad's "配合运动" does not
turn its claim into advice.
"""

from __future__ import annotations

from healthlint.context import register
from healthlint.context.base import Cues, Drop, Hit

NAME = "explanation"
CUES = ("explanatory_subjects", "explanation", "care_subjects")
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
    around = ((sentence.start, hit.start), (hit.end, max(sentence.end, hit.end)))
    for name in ("explanatory_subjects", "explanation"):  # outside the hit: its own words
        for lo, hi in around:  # (治疗, 降糖药) are the claim
            span = cues[name].first_within(hit.analysis, lo, hi)
            if span:
                return Drop(NAME, "explains", hit.cue(span))
    # a drug, a measure, a nutrient or the body as the subject before it: 这些药物能缓解症状
    span = cues["care_subjects"].first_within(hit.analysis, sentence.start, hit.start)
    return Drop(NAME, "explains", hit.cue(span)) if span else None
