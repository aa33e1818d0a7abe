"""Where to cut so that deleting a flagged span leaves a sentence that reads as Chinese.

Deleting only the flagged characters leaves wreckage: 咨询电话：，  觉得有用就吧。  希望，。
效果好并。 A delete fix therefore removes the whole clause the flag sits in, with the words
that frame a prompt (请, 记得, 觉得有用就, 咨询热线, 吧, 哦, 给身边的朋友 …) and one of the
clause's punctuation marks, chosen so that no two marks meet:

    A，[X]，B。 → A，B。      A，[X]。 → A。      [X]，B。 → B。      [X]。 → (the sentence goes)
    咨询电话：[X]，B → B (a short label before a colon goes with what it labels)
    效果好并[X]。 → 效果好。 (a connective left dangling goes too)
    [X]，就…… → (the sentence goes: a consequence without its condition does not read)

When the clause holds other words than the flag and its frame, no cut is certain to read
right, and `deletion` says so (None): the finding is reported and not fixed. Every cut stays
inside the flag's sentence and its line, and looks at most `REACH` characters either side,
so a long line with many flags costs time in proportion to the flags.

The frame words are matched on the one-for-one folded text (`normalize.fold`), so full-width
punctuation and traditional characters count like their plain forms.
"""

from __future__ import annotations

import re

from healthlint.document.normalize import fold

REACH = 200  # characters looked at either side of a flag
_CLAUSE_MARKS = ",、;:"
_TERMINATORS = "。!?…"
_LINE_BREAKS = "\r\n\u2028\u2029\x85\x0b\x0c"
_STOPS = _CLAUSE_MARKS + _TERMINATORS + _LINE_BREAKS
_CLOSERS = "”」』)】\"'"  # may follow a terminator and go with the sentence
_COLONS = ":"
_LABEL_MAX = 10  # a colon's label longer than this is a clause of its own
#: Words before a prompt that only frame it (written for the shipped delete fixes), and
#: phrases with a gap: 想了解……的, 觉得……就, 如果……能.
_FRAME_BEFORE_WORDS = [
    "请",
    "欢迎",
    "记得",
    "别忘了",
    "赶紧",
    "赶快",
    "快",
    "马上",
    "立即",
    "立刻",
    "可以",
    "可",
    "您",
    "你",
    "大家",
    "就",
    "也",
    "都",
    "希望",
    "麻烦",
    "帮忙",
    "顺手",
    "一定要",
    "看完",
    "此文",
    "本文",
    "必",
    "把我们",
    "订购",
    "预约",
    "免费",
    "详情",
    "咨询",
    "客服",
    "官方",
    "专家",
    "全国统一",
    "热线",
    "专线",
    "电话",
    "拨打",
    "致电",
    "联系",
    "有需要的朋友",
    "有需要的",
    "需要的朋友",
    "需要的",
    "喜欢的话",
    "喜欢",
    "了解详情",
    "了解更多",
    "了解",
]
_FRAME_BEFORE_GAPS = (
    r"加入[^,、;:。!?…]{0,8}",
    r"想了解[^,、;:。!?…]{0,8}的",
    r"如果?[^,、;:。!?…]{0,4}(?:能|想|需要)",
    r"觉得[^,、;:。!?…]{0,6}(?:就|的话)",
    r"动动[^,、;:。!?…]{0,8}",
)
#: Words after a prompt that only finish it: particles, what is offered, whom to share with.
_FRAME_AFTER_WORDS = [
    "吧",
    "哦",
    "喔",
    "呀",
    "啊",
    "啦",
    "呢",
    "哈",
    "一下",
    "咨询",
    "了解",
    "了解更多",
    "了解详情",
    "获取",
    "领取",
    "详询",
    "谢谢",
    "谢谢大家",
    "支持",
    "团队",
    "一辈子",
]
_FRAME_AFTER_GAPS = (
    r"(?:给|到|至)?(?:家里的|身边的|需要的|更多的?)?(?:朋友|老人|家人|亲友|人|群|朋友圈)(?:们)?"
    r"(?:看看|看到|知道)?",
)
_FILLER = r"[^\w,、;:。!?…]"  # spaces, quotes, emoji, tildes: never a word


def _frames(words: tuple[str, ...] | list[str], gaps: tuple[str, ...]) -> str:
    """One alternation, longest words first (a regex takes the first alternative that fits)."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join([*gaps, *map(re.escape, ordered), _FILLER])


# Searched up to the flag (`$` matches at the search's end); matched from just after it.
_FRAME_BEFORE = re.compile(f"(?:{_frames(_FRAME_BEFORE_WORDS, _FRAME_BEFORE_GAPS)})+$")
_FRAME_AFTER = re.compile(f"(?:{_frames(_FRAME_AFTER_WORDS, _FRAME_AFTER_GAPS)})+")
_CONNECTIVE_BEFORE = re.compile(r"(?:并且|而且|同时|以及|或者|并|和|或|及|与)[^\w,、;:。!?…]*$")
_CONNECTIVE_AFTER = re.compile(r"[^\w,、;:。!?…]*(?:并且|而且|同时|以及|或者|并|和|或|及|与)")
_CONSEQUENCE = re.compile(r"[^\w]*(?:就|那么|那|才|便|则)")


def deletion(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span to delete so that deleting the flagged [start, end) of `text` reads right,
    or None when no cut is certain to."""
    folded = fold(text[max(start - REACH, 0) : end + REACH])
    shift = max(start - REACH, 0)
    cut = _Cut(folded, start - shift, end - shift)
    found = cut.find()
    return None if found is None else (found[0] + shift, found[1] + shift)


class _Cut:
    """The cut for one flag, on a window of folded text (offsets relative to it)."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end

    def find(self) -> tuple[int, int] | None:
        bounds = self._clause(self.start, self.end)
        if bounds is None:
            return None
        lo, hi = bounds
        before = _FRAME_BEFORE.search(self.text, lo, self.start)
        a = before.start() if before else self.start
        after = _FRAME_AFTER.match(self.text, self.end, hi)
        b = after.end() if after else self.end
        if a == lo and b == hi:
            return self._clause_cut(lo, hi)
        if b == hi and (connective := _CONNECTIVE_BEFORE.search(self.text, lo, a)):
            return connective.start(), b  # 效果好并[X]。 → 效果好。
        if a == lo and (connective := _CONNECTIVE_AFTER.match(self.text, b, hi)):
            return a, connective.end()
        return None

    def _clause(self, start: int, end: int) -> tuple[int, int] | None:
        """From after the stop before `start` to the stop at or after `end` (None when no
        stop lies within reach, where the window was cut: not certain to be the clause)."""
        lo = start
        while lo > 0 and self.text[lo - 1] not in _STOPS:
            lo -= 1
        hi = end
        while hi < len(self.text) and self.text[hi] not in _STOPS:
            hi += 1
        window_cut = (lo == 0 and start >= REACH) or (hi == len(self.text) and hi - end >= REACH)
        while lo < start and self.text[lo] in " \t":
            lo += 1
        while hi > end and self.text[hi - 1] in " \t":
            hi -= 1
        return None if window_cut else (lo, hi)

    def _clause_cut(self, lo: int, hi: int) -> tuple[int, int] | None:
        """Delete the clause [lo, hi) and one punctuation mark next to it (spaces between the
        clause and its marks do not count)."""
        text = self.text
        p, f = self._neighbour(lo - 1, -1), self._neighbour(hi, 1)
        before = text[p] if p >= 0 else ""
        after = text[f] if f >= 0 else ""
        if before and before in _COLONS:  # 咨询电话：[X] — the label goes with it, if it is one
            label = self._clause(p, p)
            if label is None or p - label[0] > _LABEL_MAX or label[0] >= lo:
                return None
            return self._clause_cut(label[0], hi)
        if before and before in _CLAUSE_MARKS:
            if after and after in _CLAUSE_MARKS:
                return lo, f + 1  # A，[X]，B → A，B
            return p, hi  # A，[X]。 → A。
        if after and after in _CLAUSE_MARKS:
            if _CONSEQUENCE.match(text, f + 1):  # [X]，就…… → the sentence goes
                return self._sentence(lo)
            return lo, f + 1  # [X]，B。 → B。
        if after and after in _TERMINATORS:
            hi = self._sentence_end(f)  # [X]。 → nothing
            while hi < len(text) and text[hi] in _CLAUSE_MARKS:
                hi += 1  # [X]。； → nothing: the stray mark has no clause left to close
        return lo, self._line_break_after(lo, hi)

    def _neighbour(self, at: int, step: int) -> int:
        """The first character from `at` in direction `step` that is not a space or tab,
        within the line; -1 at the line's (or the window's) edge."""
        text = self.text
        while 0 <= at < len(text) and text[at] in " \t":
            at += step
        if not 0 <= at < len(text) or text[at] in _LINE_BREAKS:
            return -1
        return at

    def _line_break_after(self, lo: int, hi: int) -> int:
        """`hi`, or past the line break after it when [lo, hi) is all the line holds but
        spaces: the line goes."""
        text = self.text
        if self._neighbour(lo - 1, -1) >= 0 or self._neighbour(hi, 1) >= 0:
            return hi
        while hi < len(text) and text[hi] in " \t":
            hi += 1
        if text.startswith("\r\n", hi):
            return hi + 2
        return hi + 1 if hi < len(text) else hi

    def _sentence(self, lo: int) -> tuple[int, int] | None:
        """The sentence from `lo`, with its terminator and closing quotes."""
        hi = lo
        while hi < len(self.text) and self.text[hi] not in _TERMINATORS + _LINE_BREAKS:
            hi += 1
        if hi == len(self.text) and hi - lo >= REACH:
            return None
        return lo, self._line_break_after(lo, self._sentence_end(hi))

    def _sentence_end(self, hi: int) -> int:
        """Past the terminators at `hi` and the closing quotes after them."""
        while hi < len(self.text) and self.text[hi] in _TERMINATORS:
            hi += 1
        while hi < len(self.text) and self.text[hi] in _CLOSERS:
            hi += 1
        return hi
