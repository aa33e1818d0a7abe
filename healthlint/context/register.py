"""register: whether a text, and each paragraph, promotes something.

The same claim reads differently by who makes it: "规律运动有助于降低血压" is popular science,
"本品有助于降低血压" an ad for a product that may not say so (广告法 第十七条). A paragraph is
*promotional* when it points at a product or provider of its own (本品, 这款, 我院), shows a
registration mark (国食健字, 械字号), a price, an offer or an order path, or a seller's contact
(扫码添加, 咨询热线); the document is promotional when any paragraph is. It is computed once per
text and exposed on the result (`Result.register`, each finding's `register`), and a rule with
`register: promotional` reports only in a promotional document.

The `profile` setting lets a platform that knows what it lints say so: `ad` treats every text
as promotional, `article` only the paragraphs that show a signal themselves (a disguised ad
in an article still counts there), `auto` (the default) decides per document.

Product types (食品, 保健食品, 药品, 医疗器械, 化妆品, 医疗服务) are those whose words a
promotional text uses, most used first: what it sells decides which law applies.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from healthlint.context.base import Cues, Drop, Hit
from healthlint.matching.analysis import Analysis

NAME = "register"
SIGNALS = ("product_deixis", "registration_marks", "prices", "commercial", "sales_path")
PRODUCTS = {
    "food": "products_food",
    "health-food": "products_health_food",
    "special-medical-food": "products_special_medical_food",
    "drug": "products_drug",
    "device": "products_device",
    "cosmetic": "products_cosmetic",
    "medical-service": "products_medical_service",
}
CUES = (*SIGNALS, *PRODUCTS.values())
PROMOTIONAL, INFORMATIONAL = "promotional", "informational"
REASONS = {
    "informational": {
        "zh": "文本不是推广内容（未见产品指代、价格、购买或联系方式）",
        "en": "the text promotes nothing (no product of its own, price, offer or contact)",
    }
}


@dataclass(frozen=True)
class Register:
    """The register of one text: per paragraph (matching-text order) and for the whole."""

    paragraphs: tuple[bool, ...]
    document: bool
    product_types: tuple[str, ...]

    @property
    def name(self) -> str:
        return PROMOTIONAL if self.document else INFORMATIONAL


def of(analysis: Analysis, cues: Cues) -> Register:
    """The text's register, computed once per analysis."""
    return analysis.cached(("register", cues.profile), lambda: _compute(analysis, cues))


def paragraph_register(analysis: Analysis, cues: Cues, index: int) -> str:
    """PROMOTIONAL or INFORMATIONAL, for the paragraph holding matching-text `index`."""
    register = of(analysis, cues)
    paragraph = analysis.layout.sentence_at(index).paragraph
    promotional = register.paragraphs[paragraph] if cues.profile == "article" else register.document
    return PROMOTIONAL if promotional else INFORMATIONAL


def drops(hit: Hit, cues: Cues) -> Drop | None:
    if hit.rule.register is None:
        return None
    if paragraph_register(hit.analysis, cues, hit.start) == hit.rule.register:
        return None
    return Drop(NAME, "informational")


def _compute(analysis: Analysis, cues: Cues) -> Register:
    paragraphs = analysis.layout.paragraphs
    starts = [start for start, _ in paragraphs]
    flags = [False] * len(paragraphs)
    if cues.profile == "ad":
        flags = [True] * len(paragraphs)
    else:
        for name in SIGNALS:
            for start, _ in cues[name].occurrences(analysis):
                flags[max(bisect.bisect_right(starts, start) - 1, 0)] = True
    document = any(flags)
    types: tuple[str, ...] = ()
    if document:
        counts = {kind: len(cues[lst].occurrences(analysis)) for kind, lst in PRODUCTS.items()}
        types = tuple(k for k, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n)
    return Register(tuple(flags), document, types)
