"""register: whether a text promotes something, explains something, or shows neither.

The same claim reads differently by who makes it: "规律运动有助于降低血压" is popular science,
"本品有助于降低血压" an ad for a product that may not say so (广告法 第十七条). A text is

- *promotional* when a paragraph points at a product or provider of its own (本品, 这款, 我院),
  shows a registration mark (国食健字, 械字号), a price, an offer, an order path, a seller's
  contact (扫码添加, 咨询热线) or the voice of ad copy (闭眼入, 真实反馈, 家人们);
- *informational* when it shows none of these but explains: research, experts' advice, a
  citation, a definition, a debunk, a news report;
- *unmarked* when it shows neither: a short line of ad copy often names no product at all
  ("三甲医院医生都在用，一喝就见效"), and is read as the claim it makes.

A text that mostly explains (more explanatory cues than promotional ones, and at least two) is
judged paragraph by paragraph: an article that quotes a seller or ends with a pitch is
promotional only in the paragraphs that show a signal themselves, so its explanation is not
read as ad copy while a disguised ad at its end still is.

It is computed once per text and exposed on the result (`Result.register`, each finding's
`register`); a rule with `register: [promotional, unmarked]` reports everywhere but in text that
explains. The `profile` setting lets a platform that knows what it lints say so: `ad` treats
every text as promotional, `article` judges every text paragraph by paragraph, `auto` (the
default) decides per text.

Product types (food, health-food, drug, device, cosmetic, medical-service …) are those whose
words a promotional or unmarked text uses, most used first: what it sells decides which law
applies.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from healthlint.context.base import Cues, Drop, Hit
from healthlint.matching.analysis import Analysis

NAME = "register"
PROMOTIONAL, INFORMATIONAL, UNMARKED = "promotional", "informational", "unmarked"
REGISTERS = (PROMOTIONAL, INFORMATIONAL, UNMARKED)
PROMOTION = (
    "product_deixis",
    "registration_marks",
    "prices",
    "commercial",
    "sales_path",
    "marketing",
)
EXPLANATION = ("explanation", "explanatory_subjects", "citation", "study_reference", "debunk_document")
PRODUCTS = {
    "food": "products_food",
    "health-food": "products_health_food",
    "special-medical-food": "products_special_medical_food",
    "drug": "products_drug",
    "device": "products_device",
    "cosmetic": "products_cosmetic",
    "medical-service": "products_medical_service",
}
CUES = (*PROMOTION, *EXPLANATION, *PRODUCTS.values())
REASONS = {
    register: {
        "zh": f"本规则不检查{label}文本",
        "en": f"the rule does not read {register} text",
    }
    for register, label in (
        (PROMOTIONAL, "推广性"),
        (INFORMATIONAL, "科普、新闻等说明性"),
        (UNMARKED, "无明显语域标记的"),
    )
}


@dataclass(frozen=True)
class Register:
    """The register of one text: of each paragraph (matching-text order) and of the whole;
    `per_paragraph` when a hit takes its paragraph's register rather than the document's."""

    paragraphs: tuple[str, ...]
    document: str
    product_types: tuple[str, ...]
    per_paragraph: bool = False


def of(analysis: Analysis, cues: Cues) -> Register:
    """The text's register, computed once per analysis."""
    return analysis.cached(("register", cues.profile), lambda: _compute(analysis, cues))


def at(analysis: Analysis, cues: Cues, index: int) -> str:
    """The register that holds at matching-text `index`: its paragraph's in a text judged
    paragraph by paragraph, else the document's."""
    register = of(analysis, cues)
    if not register.per_paragraph:
        return register.document
    return register.paragraphs[analysis.layout.sentence_at(index).paragraph]


def drops(hit: Hit, cues: Cues) -> Drop | None:
    if not hit.rule.register:
        return None
    here = at(hit.analysis, cues, hit.start)
    return None if here in hit.rule.register else Drop(NAME, here)


def _compute(analysis: Analysis, cues: Cues) -> Register:
    count = len(analysis.layout.paragraphs)
    if cues.profile == "ad":
        return Register((PROMOTIONAL,) * count, PROMOTIONAL, _products(analysis, cues))
    promotional, promotion = _paragraphs_with(analysis, cues, PROMOTION)
    explanatory, explanation = _paragraphs_with(analysis, cues, EXPLANATION)
    if cues.profile == "article" or (explanation >= 2 and explanation > promotion):
        flags = tuple(PROMOTIONAL if p in promotional else INFORMATIONAL for p in range(count))
        document = PROMOTIONAL if promotional else INFORMATIONAL
        products = _products(analysis, cues) if promotional else ()
        return Register(flags, document, products, per_paragraph=True)
    if promotional:
        document = PROMOTIONAL
    elif explanatory:
        document = INFORMATIONAL
    else:
        document = UNMARKED
    products = _products(analysis, cues) if document != INFORMATIONAL else ()
    return Register((document,) * count, document, products)


def _paragraphs_with(
    analysis: Analysis, cues: Cues, lists: tuple[str, ...]
) -> tuple[set[int], int]:
    """The paragraphs where a word of one of `lists` occurs, and how many occurrences."""
    starts = [start for start, _ in analysis.layout.paragraphs]
    found: set[int] = set()
    total = 0
    for name in lists:
        for start, _ in cues[name].occurrences(analysis):
            found.add(max(bisect.bisect_right(starts, start) - 1, 0))
            total += 1
    return found, total


def _products(analysis: Analysis, cues: Cues) -> tuple[str, ...]:
    counts = {kind: len(cues[name].occurrences(analysis)) for kind, name in PRODUCTS.items()}
    return tuple(k for k, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n)
