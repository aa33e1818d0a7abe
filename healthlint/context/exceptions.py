"""exceptions: a rule's longer innocent strings around a hit (根治性切除术 around 根治)."""

from __future__ import annotations

from healthlint.context.base import Cues, Drop, Hit

NAME = "exceptions"
CUES: tuple[str, ...] = ()
REASONS = {"inside": {"zh": "在例外词“{cue}”之内", "en": "inside the exception “{cue}”"}}


def drops(hit: Hit, cues: Cues) -> Drop | None:
    if not hit.rule.exceptions:
        return None
    span = hit.rule.exceptions.first_covering(hit.analysis, hit.start, hit.end)
    return Drop(NAME, "inside", hit.cue(span)) if span else None
