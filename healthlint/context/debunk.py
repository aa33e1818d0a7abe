"""debunk-document: in a text that refutes rumours (辟谣, 谣言, 真相是, 智商税 …), the claims it
quotes are not its author's, wherever they stand."""

from __future__ import annotations

from healthlint.context.base import Cues, Drop, Hit

NAME = "debunk-document"
CUES = ("debunk_document",)
REASONS = {"debunk": {"zh": "全文是辟谣文章（“{cue}”）", "en": "the text is a debunk (“{cue}”)"}}


def drops(hit: Hit, cues: Cues) -> Drop | None:
    span = cues["debunk_document"].first_within(hit.analysis, 0, len(hit.analysis.text))
    return Drop(NAME, "debunk", hit.cue(span)) if span else None
