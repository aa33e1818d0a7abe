"""allow: phrases the configuration says are never flagged (a product name, a quoted title)."""

from __future__ import annotations

from healthlint.context.base import Cues, Drop, Hit

NAME = "allow"
CUES: tuple[str, ...] = ()
REASONS = {
    "allowed": {"zh": "在配置的 allow 短语“{cue}”之内", "en": "inside the allowed phrase “{cue}”"}
}


def drops(hit: Hit, cues: Cues) -> Drop | None:
    if cues.allowed is None:
        return None
    analysis = hit.analysis
    spans = analysis.cached(
        "allowed", lambda: sorted((s, e) for s, e, _ in cues.allowed.find(analysis.text))
    )
    for start, end in spans:
        if start > hit.start:
            break
        if hit.end <= end:
            return Drop(NAME, "allowed", analysis.text[start:end])
    return None
