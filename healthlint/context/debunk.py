"""debunk-document: in a text that refutes rumours (辟谣, 谣言, 真相是, 智商税 …), the claims it
quotes are not its author's, wherever they stand. A debunk word that is negated or confirmed
(绝不是谣言, 真相：确实能) makes no debunk."""

from __future__ import annotations

from healthlint.context.base import Cues, Drop, Hit, undone

NAME = "debunk-document"
CUES = ("debunk_document", "negation", "confirmation")
REASONS = {"debunk": {"zh": "全文是辟谣文章（“{cue}”）", "en": "the text is a debunk (“{cue}”)"}}


def drops(hit: Hit, cues: Cues) -> Drop | None:
    span = hit.analysis.cached(NAME, lambda: _debunking(hit, cues))
    return Drop(NAME, "debunk", hit.cue(span)) if span else None


def _debunking(hit: Hit, cues: Cues) -> tuple[int, int] | None:
    """The first debunk word of the text that no negation or confirmation undoes."""
    for span in cues["debunk_document"].occurrences(hit.analysis):
        if not undone(hit, cues, span):
            return span
    return None
