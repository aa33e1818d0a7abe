"""The term index and the regex prefilter: faster, and exactly the same matches."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from healthlint.matching.prefilter import Prefilter, Prefilters, prefilter
from healthlint.matching.terms import TermIndex
from healthlint.rules.load import default_rules_dir, load_rules

PREFILTERS = sorted(load_rules([default_rules_dir()]).prefilters.items())


def test_index_reports_overlapping_occurrences() -> None:
    index = TermIndex(["彻底治愈", "治愈", "底治", ""])
    assert sorted(index.find("彻底治愈了")) == [(0, 4, "彻底治愈"), (1, 3, "底治"), (2, 4, "治愈")]
    assert list(TermIndex([]).find("彻底治愈")) == []


def test_prefilter_reads_required_literals_and_reach() -> None:
    found = prefilter(r"(?<![数依])据(?!统计)[^。]{1,40}?(?:研究|报告)")
    assert found is not None
    assert found.literals == {"研究", "报告"}
    assert found.reach is not None and found.reach >= 40 + 2 + 1 + 2
    sentence = prefilter(r"\d+(?:\.\d+)?\s*%")
    assert sentence is not None and sentence.reach is None and "。" in sentence.barriers
    leading = prefilter(r"(?:[^。，]{0,4}(?:降糖|抗癌)[^。，]{0,4}[、，]\s*){2,}")
    assert leading is not None and leading.lead == 4 and leading.literals == {"降糖", "抗癌"}
    assert leading.count == 2 and leading.barriers == "。"


def test_prefilter_counts_the_literals_every_match_holds() -> None:
    """Occurrences in lookarounds or optional parts do not count; repeats multiply."""
    cases = {
        r"(?:[^。]{0,4}(?:降糖|抗癌)[^。]{0,4}){2,}[^。]{0,4}(?:降糖|抗癌)": 3,
        r"[^。]{0,2}(?:降糖|抗癌(?:药)?)[^。]*(?:降糖)?": 1,
        r"[^。]{0,2}(?:降糖|抗癌)[^。]*(?<=降糖)": 1,
        r"[^。]{0,2}(?:降糖|抗癌)(?:[^。]*(?:降糖|护肝))+": 1,  # 护肝 is not a leading literal
    }
    for pattern, count in cases.items():
        found = prefilter(pattern)
        assert found is not None and found.count == count, pattern
    three = prefilter(next(iter(cases)))
    assert three is not None
    text = "降糖、抗癌。降糖、抗癌、降糖"  # only the second sentence holds three
    spans = [(s, e) for s, e, _ in TermIndex(three.literals).find(text)]
    stops = [i for i, char in enumerate(text) if char in three.barriers]
    assert min(three.starts(spans, len(text), stops)) == 6 - 4


def test_prefilter_declines_what_it_cannot_read_safely() -> None:
    for pattern in [r"\p{Han}+药", "(?i)vx", "x*", "(?:药){e<=1}", "[[:alpha:]]药", "a|b*"]:
        assert prefilter(pattern) is None, pattern


def test_every_shipped_regex_with_a_prefilter_has_literals() -> None:
    assert PREFILTERS, "the shipped packs have regexes the prefilter can read"
    assert all(found.literals for _, found in PREFILTERS)


def test_required_literals_of_patterns_are_their_prefilters_or_unknown() -> None:
    """What lets the engine skip a rule: the union of its regexes' literals, unless one of
    them has no prefilter and may match anywhere."""
    study, percent, han = (regex.compile(p) for p in (r"据\S{0,9}研究", r"\d+%", r"\p{Han}+药"))
    prefilters = Prefilters({(p.pattern, p.flags): prefilter(p.pattern) for p in (study, percent)})
    assert prefilters.required([study, percent]) == {"研究", "%"}
    assert prefilters.required([]) == frozenset()
    assert prefilters.required([study, han]) is None


@st.composite
def pattern_and_text(
    draw: st.DrawFn, prefilters: list[tuple[tuple[str, int], Prefilter]]
) -> tuple[regex.Pattern[str], str]:
    (source, flags), found = draw(st.sampled_from(prefilters))
    pieces = [*found.literals, "，", "。", "、", "\n", " ", "1", "2%", "的", "治疗", "药"]
    text = "".join(draw(st.lists(st.sampled_from(pieces), max_size=40)))
    return regex.compile(source, flags), text


@settings(max_examples=300, deadline=None)
@given(pattern_and_text(PREFILTERS))
def test_windowed_scan_equals_whole_text_scan(case: tuple[regex.Pattern[str], str]) -> None:
    pattern, text = case
    found = dict(PREFILTERS)[(pattern.pattern, pattern.flags)]
    spans = [(s, e) for s, e, _ in TermIndex(found.literals).find(text)]
    stops = [i for i, char in enumerate(text) if char in found.barriers]
    if found.lead is not None:  # try only where a match can start, as Analysis does
        windowed, end = [], 0
        for start in found.starts(spans, len(text), stops):
            if start >= end and (m := pattern.match(text, start)) is not None:
                windowed.append(m.span())
                end = max(m.end(), start + 1)
    else:
        windows = found.windows(len(text), spans, stops)
        windowed = [m.span() for lo, hi in windows for m in pattern.finditer(text, lo, hi)]
    assert windowed == [m.span() for m in pattern.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(pattern_and_text([item for item in PREFILTERS if item[1].lead == 0]))
def test_scan_from_the_first_leading_literal_equals_whole_text_scan(
    case: tuple[regex.Pattern[str], str],
) -> None:
    """A regex whose matches start at its leading literals, when they are dense, is scanned
    once from the first of them (Analysis._matches): no match can start before it."""
    pattern, text = case
    found = dict(PREFILTERS)[(pattern.pattern, pattern.flags)]
    spans = [(s, e) for s, e, _ in TermIndex(found.literals).find(text)]
    whole = [m.span() for m in pattern.finditer(text)]
    if not spans:
        assert whole == []
        return
    stops = [i for i, char in enumerate(text) if char in found.barriers]
    starts = found.starts(spans, len(text), stops)
    if not starts:
        assert whole == []
        return
    first = starts[0]
    assert [m.span() for m in pattern.finditer(text, first)] == whole
