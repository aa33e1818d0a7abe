"""hedging: a claim said to be possible is no guarantee (可能有助于改善, 有望缓解).

For overclaim rules only: a hedged figure still needs its source. A hedge counts within a few
characters either side of the hit, inside its sentence.
"""

from __future__ import annotations

from healthlint.context.base import Cues, Drop, Hit

NAME = "hedging"
CUES = ("hedge",)
REASONS = {
    "hedged": {"zh": "有限定语“{cue}”，不是保证", "en": "hedged by “{cue}”: not a guarantee"}
}
WINDOW = 6


def drops(hit: Hit, cues: Cues) -> Drop | None:
    lo, hi = hit.analysis.scope("window", hit.start, hit.end, WINDOW)
    span = cues["hedge"].first_within(hit.analysis, lo, hi)
    return Drop(NAME, "hedged", hit.cue(span)) if span else None
