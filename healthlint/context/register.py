"""register: whether a text promotes something, explains something, or shows neither.

The same claim reads differently by who makes it: "规律运动有助于降低血压" is popular science,
"本品有助于降低血压" an ad for a product that may not say so (广告法 第十七条). A text is

- *promotional* when a paragraph points at a product or provider of its own (本品, 这款, 我院),
  shows a registration mark (国食健字, 械字号), a price, an offer, an order path, a seller's
  contact (扫码添加, 咨询热线) or the voice of ad copy (闭眼入, 真实反馈, 家人们);
- *informational* when it shows none of these but explains: research, experts' advice, a
  citation, a definition, a debunk, a news report;
- *advertorial* when it explains but also names products for sale (膠囊, 益生菌, 配方): health
  knowledge that may be an ad in disguise (广告法 第十九条), where a rule that asks for it
  reads each sentence that does not itself explain;
- *unmarked* when it shows neither: a short line of ad copy often names no product at all
  ("三甲医院医生都在用，一喝就见效"), and is read as the claim it makes.

Explanation is weighed: a cue of research, citation, definition or debunk counts two, a
subject of explanation (饮食, 研究, 服药) one; a text scoring two or more explains. A text
that mostly explains (a score of four or more, and more than twice its promotional signals) is
judged paragraph by paragraph: an article that quotes a seller or ends with a pitch is
promotional only in the paragraphs that show a signal themselves, so its explanation is not
read as ad copy while a disguised ad at its end still is. And wherever a sentence names a
product for sale (a capsule, a health food, a cream, a device: 蘋果醋膠囊……穩定血糖), that
sentence is product talk, promotional whatever the rest of the text is: the advertorial that
dresses an ad as health knowledge is the ad 广告法 第十九条 forbids.

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
PROMOTIONAL, ADVERTORIAL = "promotional", "advertorial"
INFORMATIONAL, UNMARKED = "informational", "unmarked"
REGISTERS = (PROMOTIONAL, ADVERTORIAL, INFORMATIONAL, UNMARKED)
PROMOTION = (
    "product_deixis",
    "registration_marks",
    "prices",
    "commercial",
    "sales_path",
    "marketing",
)
#: Cues that a text explains: each counts two, an explanatory subject (饮食, 研究, 服药) one.
EXPLANATION = ("explanation", "citation", "study_reference", "debunk_document")
SUBJECTS = ("explanatory_subjects",)
#: Words that make a sentence product talk: a product of its own, a mark, or a product for sale.
PRODUCT_TALK = ("product_deixis", "registration_marks", "product_forms")
#: Words that make explanatory text an advertorial: products for sale named anywhere.
PRODUCT_NAMES = (*PRODUCT_TALK, "product_offer")
PRODUCTS = {
    "food": "products_food",
    "health-food": "products_health_food",
    "special-medical-food": "products_special_medical_food",
    "drug": "products_drug",
    "device": "products_device",
    "cosmetic": "products_cosmetic",
    "medical-service": "products_medical_service",
}
CUES = tuple(
    dict.fromkeys((*PROMOTION, *EXPLANATION, *SUBJECTS, *PRODUCT_NAMES, *PRODUCTS.values()))
)
REASONS = {
    register: {
        "zh": f"本规则不检查{label}文本",
        "en": f"the rule does not read {register} text",
    }
    for register, label in (
        (PROMOTIONAL, "推广性"),
        (ADVERTORIAL, "软文（以科普形式推销产品）"),
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
    """The register that holds at matching-text `index`: promotional in a sentence that names
    a product for sale, else its paragraph's in a text judged paragraph by paragraph, else the
    document's."""
    register = of(analysis, cues)
    sentence = analysis.layout.sentence_at(index)
    here = register.paragraphs[sentence.paragraph] if register.per_paragraph else register.document
    if here == PROMOTIONAL or cues.profile == "article":
        return here
    end = max(sentence.end, index + 1)
    if any(cues[name].within(analysis, sentence.start, end) for name in PRODUCT_TALK):
        return PROMOTIONAL
    return here


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
    explanation = 2 * _paragraphs_with(analysis, cues, EXPLANATION)[1]
    explanation += _paragraphs_with(analysis, cues, SUBJECTS)[1]
    explains = INFORMATIONAL
    if any(cues[name].occurrences(analysis) for name in PRODUCT_NAMES):
        explains = ADVERTORIAL
    if cues.profile == "article" or (explanation >= 4 and explanation > 2 * promotion):
        flags = tuple(PROMOTIONAL if p in promotional else explains for p in range(count))
        document = PROMOTIONAL if promotional else explains
        products = _products(analysis, cues) if promotional or explains == ADVERTORIAL else ()
        return Register(flags, document, products, per_paragraph=True)
    if promotional:
        document = PROMOTIONAL
    elif explanation >= 2:
        document = explains
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
