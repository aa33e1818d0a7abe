"""Context filters: whether a candidate hit is a claim of the text's author at all.

Precision lives here. Every span a rule kind yields is a *candidate*; it becomes a finding only
if no filter drops it. A trigger word inside a negated or hedged clause (目前无法根治), a question
(能否根治？), a rumour quoted in order to refute it (网传……这是谣言) or a quoted law
("不得使用'最佳'等用语") is not a claim of the text's author.

Each filter is one small module of this package declaring

- `NAME`: how rules and `explain --trace` call it;
- `CUES`: the lexicon lists it reads (a list missing from the loaded packs is a load error);
- `REASONS`: why it drops a hit, per reason key, in Chinese and English;
- `drops(hit, cues) -> Drop | None`.

Some filters always run (the configured allow list, the reference list, headings, the
register a rule asks for, a rule's exceptions and conditions, word boundaries); the others
are chosen per rule by its `filters:` option, which defaults to its folder's
`_defaults.yaml` and then to its kind. Inline suppressions (`suppression`) work on findings,
after these.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

from healthlint.context import (
    allowed,
    attribution,
    boundaries,
    conditions,
    debunk,
    exceptions,
    explanation,
    headings,
    hedging,
    negation,
    question,
    quotation,
    references,
    refutation,
    register,
    speculation,
)
from healthlint.context.base import Cues, Drop, Hit

#: Run for every rule, cheapest first.
ALWAYS: tuple[ModuleType, ...] = (
    allowed,
    references,
    headings,
    register,
    exceptions,
    conditions,
)
#: Chosen per rule (`filters:`), run in this order.
OPTIONAL: dict[str, ModuleType] = {
    m.NAME: m
    for m in (
        negation,
        refutation,
        attribution,
        question,
        hedging,
        speculation,
        debunk,
        explanation,
        quotation,
    )
}
#: Run last: segmenting a sentence into words costs more than every other filter.
LAST: tuple[ModuleType, ...] = (boundaries,)
_ALL = (*ALWAYS, *OPTIONAL.values(), *LAST)
#: Every lexicon list some filter reads.
CUE_LISTS: tuple[str, ...] = tuple(dict.fromkeys(cue for m in _ALL for cue in m.CUES))


def chain(names: tuple[str, ...]) -> tuple[ModuleType, ...]:
    """The filters a rule with these optional `filters` runs, in order."""
    return (*ALWAYS, *(m for n, m in OPTIONAL.items() if n in names), *LAST)


def first_drop(filters: tuple[ModuleType, ...], hit: Hit, cues: Cues) -> Drop | None:
    """Why the first filter that drops the hit does so, or None when the hit is kept."""
    for module in filters:
        drop = module.drops(hit, cues)
        if drop is not None:
            return drop
    return None


def verdicts(
    filters: tuple[ModuleType, ...], hit: Hit, cues: Cues
) -> Iterator[tuple[str, Drop | None]]:
    """Every filter's verdict on the hit, for `explain --trace`: all of them, not the first."""
    for module in filters:
        yield module.NAME, module.drops(hit, cues)


def reason(drop: Drop, language: str = "zh") -> str:
    """A drop's reason in words."""
    module = next(m for m in _ALL if drop.filter == m.NAME)
    texts = module.REASONS[drop.reason]
    return str(texts.get(language, texts["en"])).format(cue=drop.cue)


__all__ = [
    "ALWAYS",
    "CUE_LISTS",
    "LAST",
    "OPTIONAL",
    "Cues",
    "Drop",
    "Hit",
    "chain",
    "first_drop",
    "reason",
    "verdicts",
]
