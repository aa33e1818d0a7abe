"""headings: a rule with `scopes: [body]` does not look at headings (a title names a topic)."""

from __future__ import annotations

from healthlint.context.base import Cues, Drop, Hit

NAME = "headings"
CUES: tuple[str, ...] = ()
REASONS = {
    "heading": {
        "zh": "位于标题中，而本规则只检查正文",
        "en": "in a heading; the rule reads the body only",
    },
    "body": {
        "zh": "位于正文中，而本规则只检查标题",
        "en": "in the body; the rule reads headings only",
    },
}


def drops(hit: Hit, cues: Cues) -> Drop | None:
    where = "heading" if hit.analysis.layout.sentence_at(hit.start).heading else "body"
    return None if where in hit.rule.scopes else Drop(NAME, where)
