"""word-boundary: with `word_boundary: true` a hit must start and end where jieba cuts words."""

from __future__ import annotations

from healthlint.context.base import Cues, Drop, Hit

NAME = "word-boundary"
CUES: tuple[str, ...] = ()
REASONS = {
    "inside": {"zh": "不是完整的词（分词边界不符）", "en": "not a whole word (jieba's boundaries)"}
}


def drops(hit: Hit, cues: Cues) -> Drop | None:
    if not hit.rule.word_boundary or hit.analysis.on_word_boundaries(hit.start, hit.end):
        return None
    return Drop(NAME, "inside")
