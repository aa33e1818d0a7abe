"""speculation: outside promotional text, a claim said to be possible is speculation, not a
promise (这种疗法或许能根治糖尿病; 研究者希望这类药物有望缓解症状).

The disease and function claims run this instead of `hedging`: in an ad a hedged claim is
still the claim the law forbids (本品有助于预防中风, 扫码购买), so only text that sells
nothing (informational or unmarked) is excused. The hedges are `hedging`'s, within the same
few characters.
"""

from __future__ import annotations

from healthlint.context import hedging, register
from healthlint.context.base import Cues, Drop, Hit

NAME = "speculation"
CUES = hedging.CUES
#: Registers in which a hedged claim still sells.
SELLING = (register.PROMOTIONAL, register.ADVERTORIAL)
REASONS = {
    "speculative": {
        "zh": "有限定语“{cue}”，且文本不在推销产品，是推测而非承诺",
        "en": "hedged by “{cue}” in text that sells nothing: speculation, not a promise",
    }
}


def drops(hit: Hit, cues: Cues) -> Drop | None:
    if register.at(hit.analysis, cues, hit.start) in SELLING:
        return None
    hedged = hedging.drops(hit, cues)
    return None if hedged is None else Drop(NAME, "speculative", hedged.cue)
