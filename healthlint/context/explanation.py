"""explanation: outside promotional text, a sentence that explains is not ad copy.

A short unmarked text is read as the claim it makes ("一喝就见效"), but a sentence about
behaviour, diet, a study or a care process explains health rather than selling it
(规律运动可以改善血糖控制; 造血干细胞移植是治疗白血病的成熟手段), in unmarked and in
informational text alike; so does one whose subject, before the claim, is a drug, a measure,
a nutrient, a drug by its generic name or the body itself (这些药物能缓解症状; 布洛芬可以
退热止痛; 免疫系统能对抗病毒). Promotional text is
not excused this way: an ad's "配合运动" does not turn its claim into advice.
"""

from __future__ import annotations

import bisect

from healthlint.context import register
from healthlint.context.base import Cues, Drop, Hit

NAME = "explanation"
CUES = ("explanatory_subjects", "explanation", "care_subjects", "drug_names")
#: Prepositions after which a care word is the object of the claim (对身体, 给肝脏, 让人体).
_PREPOSITIONS = frozenset("对给让帮为替使令")
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
    # a drug, a measure, a nutrient or the body as the subject before it in its clause:
    # 这些药物能缓解症状, 布洛芬可以退热止痛; not its object (对身体零副作用)
    clause_start, _ = hit.analysis.clause(hit.start, hit.end)
    for name in ("care_subjects", "drug_names"):
        spans = cues[name].occurrences(hit.analysis)
        k = bisect.bisect_left(spans, (clause_start, clause_start))
        while k < len(spans) and spans[k][1] <= hit.start:
            if not _object(hit, spans[k][0]):
                return Drop(NAME, "explains", hit.cue(spans[k]))
            k += 1
    return None


def _object(hit: Hit, start: int) -> bool:
    """Whether the word at `start` follows a preposition that makes it an object."""
    return start > 0 and hit.analysis.text[start - 1] in _PREPOSITIONS
