"""references: the reference list at a text's end is never linted; its entries cite, not claim."""

from __future__ import annotations

from healthlint.context.base import Cues, Drop, Hit

NAME = "references"
CUES: tuple[str, ...] = ()
REASONS = {"list": {"zh": "位于参考文献列表中", "en": "inside the reference list"}}


def drops(hit: Hit, cues: Cues) -> Drop | None:
    layout = hit.analysis.layout
    if layout.reference_start is not None and layout.sentence_at(hit.start).reference:
        return Drop(NAME, "list")
    return None
