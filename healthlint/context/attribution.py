"""attribution: a claim the sentence reports as someone else's, to sell or to believe
(商家宣称……, 打着……的旗号, 在许多人心目中……) is not the author's claim."""

from __future__ import annotations

from healthlint.context.base import Cues, Drop, Hit

NAME = "attribution"
CUES = ("attribution",)
REASONS = {
    "reported": {
        "zh": "句中前面的“{cue}”表明这是他人的说法",
        "en": "“{cue}” reports it as someone else's claim",
    }
}


def drops(hit: Hit, cues: Cues) -> Drop | None:
    sentence = hit.analysis.layout.sentence_at(hit.start)
    span = cues["attribution"].first_within(hit.analysis, sentence.start, hit.start)
    return Drop(NAME, "reported", hit.cue(span)) if span else None
