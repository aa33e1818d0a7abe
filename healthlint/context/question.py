"""question: a claim asked about rather than asserted.

Only when its own clause is the question (用疟原虫能治愈癌症？) or holds a question cue
(苦瓜真的能降血糖吗，还是骗局？), or when a closing clause asks about what came before
(喝醋能软化血管，是真的吗？). A question elsewhere in the sentence leaves an assertion standing:
每5个人就有1人失眠，你是其中之一吗？ A question the next sentence answers yes (……吗？能！) is
the ad's own set-up: the claim stands.
"""

from __future__ import annotations

from healthlint.context.base import Cues, Drop, Hit

NAME = "question"
CUES = ("question", "question_tail", "affirmative_answers")
REASONS = {
    "asked": {"zh": "是在提问（“{cue}”）", "en": "asked, not asserted (“{cue}”)"},
    "tail": {"zh": "句末的“{cue}”在质疑前面的说法", "en": "“{cue}” at the end questions it"},
}


def drops(hit: Hit, cues: Cues) -> Drop | None:
    analysis = hit.analysis
    sentence = analysis.layout.sentence_at(hit.start)
    if not _ends_with_question_mark(analysis.text, sentence.start, sentence.end):
        return None
    if _answered_yes(hit, cues, sentence.end):
        return None
    clause_start, clause_end = analysis.clause(hit.start, hit.end)
    if analysis.text.startswith("?", clause_end):
        return Drop(NAME, "asked", "?")
    span = cues["question"].first_within(analysis, clause_start, clause_end)
    if span:
        return Drop(NAME, "asked", hit.cue(span))
    span = cues["question_tail"].first_within(analysis, clause_end, max(sentence.end, hit.end))
    return Drop(NAME, "tail", hit.cue(span)) if span else None


def _answered_yes(hit: Hit, cues: Cues, end: int) -> bool:
    """Whether the next sentence opens with a short yes (能！, 当然可以。)."""
    analysis = hit.analysis
    layout = analysis.layout
    k = layout.sentence_index(hit.start) + 1
    if (
        k >= len(layout.sentences)
        or layout.sentences[k].paragraph != layout.sentence_at(end - 1).paragraph
    ):
        return False
    nxt = layout.sentences[k]
    start = nxt.start
    while start < nxt.end and analysis.text[start] in " \u3000":
        start += 1
    for lo, hi in cues["affirmative_answers"].occurrences(analysis):
        if lo == start:
            return hi >= nxt.end or analysis.text[hi] in _ANSWER_END
        if lo > start:
            break
    return False


#: What may follow a yes for the sentence to be that answer alone.
_ANSWER_END = set("!！。.，,~～ ")
_TRAILING = set(' \r\n"”」)。.!…')


def _ends_with_question_mark(text: str, start: int, end: int) -> bool:
    """Whether text[start:end], closing quotes and stops stripped, ends with a question mark.

    Walks back from the end instead of slicing the sentence: one slice per hit cost time in
    the square of a long sentence's length."""
    at = end - 1
    while at >= start and text[at] in _TRAILING:
        at -= 1
    return at >= start and text[at] in "?？"
