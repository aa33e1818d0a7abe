"""Context that decides whether a hit is a claim at all.

Precision lives here, shared by every span-producing rule kind: a trigger word inside a
negated or hedged clause (目前无法根治), a question (能否根治？), a rumour quoted in order to
refute it (网传……这是谣言; 流言：…… 真相：……) or a quoted law ("不得使用'最佳'等用语") is not a
claim of the text's author. The cue words are data: the lexicon lists named in `CUE_LISTS`,
which the default rule packs define and user packs may extend.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass

from healthlint.analysis import Analysis
from healthlint.vocabulary import Vocabulary

CUE_LISTS = (
    "negation",  # cues before a trigger in its clause: 无法, 并不能, 没有任何, 谨防, 号称
    "not_negation",  # look like negation but are not: 不仅, 不但, 无论
    "negation_sentence",  # negate the rest of their sentence, across commas: 不能说, 不代表
    "refutation",  # after a trigger in its sentence, or anywhere in a debunk frame: 是谣言, 骗局
    "rumor_frame",  # introduce a claim reported by others: 网传, 传言, 有人说, 流言
    "question",  # make the trigger's clause, in a sentence ending in ?, a question: 能否, 吗
    "question_tail",  # a closing question about what came before: 是真的吗, 靠谱吗
    "quote_context",  # make a quoted trigger a quotation: 广告法, 不得, 规定, 网传
    "attribution",  # earlier in the sentence, report a seller's claim: 商家宣称, 鼓吹, 卖点是
)
# Characters before a trigger, within its clause, that a negation reaches: in
# 没有任何一种保健品能保证百分之百有效 twelve characters separate the negation from the claim.
NEGATION_WINDOW = 16
_QUOTES = {"“": "”", "「": "」", "『": "』", "《": "》", '"': '"', "'": "'", "﹁": "﹂"}


@dataclass(frozen=True)
class Cues:
    """The compiled cue lists; an absent list is empty."""

    lists: Mapping[str, Vocabulary]

    def __getitem__(self, name: str) -> Vocabulary:
        return self.lists[name]


def negated(analysis: Analysis, cues: Cues, start: int, end: int) -> bool:
    """Is the hit negated, hedged, asked about, refuted or reported as someone else's claim?"""
    clause_start, _ = analysis.clause(start, end)
    lo = max(clause_start, start - NEGATION_WINDOW)
    if _negation_before(analysis, cues, lo, start):
        return True
    sentence = analysis.layout.sentence_at(start)
    if cues["refutation"].within(analysis, end, sentence.end):
        return True
    if cues["attribution"].within(analysis, sentence.start, start):
        return True
    if cues["negation_sentence"].within(analysis, sentence.start, start):
        return True
    if _is_question(analysis, cues, start, end):
        return True
    return _in_debunk_frame(analysis, cues, start)


def quoted(analysis: Analysis, cues: Cues, start: int, end: int) -> bool:
    """Is the hit inside quotation marks in a sentence that quotes a law or a rumour?"""
    sentence = analysis.layout.sentence_at(start)
    if not _inside_quotes(analysis.text, sentence.start, start, end):
        return False
    return cues["quote_context"].within(analysis, sentence.start, max(sentence.end, end))


def _negation_before(analysis: Analysis, cues: Cues, lo: int, start: int) -> bool:
    spans = cues["negation"].occurrences(analysis)
    k = bisect.bisect_left(spans, (lo, lo))
    while k < len(spans) and spans[k][0] < start:
        s, e = spans[k]
        if e <= start and not cues["not_negation"].covering(analysis, s, e):
            return True
        k += 1
    return False


def _is_question(analysis: Analysis, cues: Cues, start: int, end: int) -> bool:
    """Is the hit asked about rather than asserted?

    Only when its own clause is the question (用疟原虫能治愈癌症？) or holds a question cue
    (苦瓜真的能降血糖吗，还是骗局？), or when a closing clause asks about what came before
    (喝醋能软化血管，是真的吗？). A question elsewhere in the sentence leaves an assertion
    standing: 每5个人就有1人失眠，你是其中之一吗？
    """
    sentence = analysis.layout.sentence_at(start)
    tail = analysis.text[sentence.start : sentence.end].rstrip(' \r\n"”」)。.!…')
    if not tail.endswith(("?", "？")):
        return False
    clause_start, clause_end = analysis.clause(start, end)
    if analysis.text.startswith("?", clause_end) or cues["question"].within(
        analysis, clause_start, clause_end
    ):
        return True
    return cues["question_tail"].within(analysis, clause_end, max(sentence.end, end))


def _in_debunk_frame(analysis: Analysis, cues: Cues, start: int) -> bool:
    """A rumour frame before the hit in its paragraph, and a refutation in the paragraph
    or the one after it (流言：…… / 真相：…… are often two paragraphs)."""
    paragraphs = analysis.layout.paragraphs
    index = analysis.layout.sentence_at(start).paragraph
    p_start, p_end = paragraphs[index]
    if not cues["rumor_frame"].within(analysis, p_start, start):
        return False
    refute_end = paragraphs[index + 1][1] if index + 1 < len(paragraphs) else p_end
    return cues["refutation"].within(analysis, p_start, refute_end)


def _inside_quotes(text: str, sentence_start: int, start: int, end: int) -> bool:
    """True if an opening quote before the hit (in its sentence) is closed after it."""
    before = text[sentence_start:start]
    for opener, closer in _QUOTES.items():
        if opener == closer:
            if before.count(opener) % 2 == 1 and opener in text[end : end + 200]:
                return True
            continue
        last_open = before.rfind(opener)
        if last_open > before.rfind(closer) and closer in text[end : end + 200]:
            return True
    return False
