"""The shared context filters: negation, questions, debunk frames and quoted law.

A probe rule (a plain term rule with the default cue lexicon) shows what every span kind gets
from `healthlint.context`, independent of any shipped rule's own exceptions and conditions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from healthlint import Config, Linter

PROBE = """
rules:
  - id: probe-claim
    kind: term
    category: overclaim
    severity: error
    message: probe
    basis: 《广告法》第十六条
    terms: [根治, 降血糖]
    examples: {bad: [根治], good: [无法根治]}
"""


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Linter:
    folder: Path = tmp_path_factory.mktemp("probe")
    (folder / "probe.yaml").write_text(PROBE, encoding="utf-8")
    return Linter(Config(rules_dirs=(str(folder),), select=("probe-claim",)))


def hits(linter: Linter, text: str) -> list[str]:
    return [f.text for f in linter.lint(text)]


@pytest.mark.parametrize(
    "text",
    [
        "目前糖尿病还无法根治。",
        "这种药并不能根治银屑病。",
        "没有任何一种保健品能保证根治痛风。",  # the negation is twelve characters away
        "此病目前无任何药物可以根治。",
    ],
)
def test_negation_in_the_clause_suppresses(probe: Linter, text: str) -> None:
    assert hits(probe, text) == []


def test_negation_does_not_cross_a_clause(probe: Linter) -> None:
    assert hits(probe, "西药无法治本，本品三个疗程根治。") == ["根治"]


def test_not_negation_looks_like_one_but_is_not(probe: Linter) -> None:
    assert hits(probe, "本品不仅能根治胃病。") == ["根治"]


@pytest.mark.parametrize(
    "text",
    [
        "吃苦瓜真的能降血糖吗？",
        "干细胞疗法能否根治糖尿病？",
        "有人说喝醋能根治高血压，这是真的吗？",
        "用疟原虫能根治晚期癌症？",  # the clause is the question, even without a cue
    ],
)
def test_a_question_about_the_claim_suppresses(probe: Linter, text: str) -> None:
    assert hits(probe, text) == []


def test_a_question_elsewhere_in_the_sentence_does_not(probe: Linter) -> None:
    assert hits(probe, "本品三天根治失眠，你还在等什么吗？") == ["根治"]


@pytest.mark.parametrize(
    "text",
    [
        "网传“吃洋葱能根治高血压”，这是谣言。",
        "流言：喝碱性水能根治痛风。\n真相：人体有强大的酸碱缓冲系统。",
    ],
)
def test_a_rumour_quoted_to_refute_it_is_not_a_claim(probe: Linter, text: str) -> None:
    assert hits(probe, text) == []


def test_a_rumour_frame_without_refutation_is_still_a_claim(probe: Linter) -> None:
    assert hits(probe, "网传这个方子能根治痛风，大家快试试。") == ["根治"]


def test_quoted_law_is_not_a_claim(probe: Linter) -> None:
    assert hits(probe, "《广告法》规定，广告中不得出现“根治”等用语。") == []
    assert hits(probe, "本品“根治”痛风，扫码购买。") == ["根治"]


def test_markers_count_as_citations_when_the_list_has_no_numbers(linter: Linter) -> None:
    """A reference list whose entries are not numbered cannot refute a [5] marker."""
    unnumbered = "葡萄籽提取物可使风险降低30%[5]。\n参考文献\nSmith J. A trial. BMJ, 2020.\n"
    numbered = "葡萄籽提取物可使风险降低30%[5]。\n参考文献\n[1] Smith J. A trial. BMJ, 2020.\n"
    assert not [f for f in linter.lint(unnumbered) if f.category == "unsupported-statistic"]
    assert [f.text for f in linter.lint(numbered) if f.category == "unsupported-statistic"] == [
        "30%"
    ]


def test_a_question_ending_a_crlf_line_is_still_a_question(probe: Linter) -> None:
    assert hits(probe, "吃苦瓜能根治糖尿病吗？\r\n本品三天根治失眠。\r\n") == ["根治"]


def test_a_marker_written_in_the_list_cites_even_if_its_entry_spans_lines(linter: Linter) -> None:
    text = "人体内70%的碘集中在甲状腺[2]。\n参考资料:\n[1]\n某书。\n[2]\n某报告。\n"
    assert not [f for f in linter.lint(text) if f.category == "unsupported-statistic"]


def _figures(linter: Linter, text: str) -> list[str]:
    return [f.text for f in linter.lint(text) if f.category == "unsupported-statistic"]


def test_a_citation_in_the_heading_of_a_section_covers_its_figures(linter: Linter) -> None:
    section = "骨质疏松防治指南解读\n50岁以上女性中约三分之一有骨质疏松。\n"
    assert _figures(linter, section) == []
    untitled = "骨质疏松常被忽视\n50岁以上女性中约三分之一有骨质疏松。\n"
    assert _figures(linter, untitled) == ["三分之一"]


def test_an_authority_named_as_the_source_of_the_text_covers_every_figure(
    linter: Linter,
) -> None:
    body = "全球约有5%的成年人患抑郁症。\n吸烟者患肺癌的风险是不吸烟者的20倍。\n"
    assert _figures(linter, body + "来源：世界卫生组织\n") == []
    assert _figures(linter, body + "（本文部分摘自中华医学会发布的资料）\n") == []
    # who published the text is not where its figures come from
    assert _figures(linter, body + "来源：原创\n") == ["5%", "20倍"]
    assert _figures(linter, body + "来源：某某健康公众号\n") == ["5%", "20倍"]
    assert _figures(linter, body + "来源：某某生物科技有限公司研发中心\n") == ["5%", "20倍"]


def test_a_sentence_negation_reaches_across_commas(probe: Linter) -> None:
    """不能说 / 不代表 deny the whole statement after them, not only their own clause."""
    assert hits(probe, "不能说在任何情况下，对任何人都能根治。") == []
    assert hits(probe, "低糖不代表健康，也不代表能降血糖。") == []
    assert hits(probe, "不少人服用后，很快就根治了。") == ["根治"]


def test_a_popular_belief_refuted_in_its_sentence_is_not_a_claim(probe: Linter) -> None:
    assert hits(probe, "很多人认为吃苦瓜能降血糖，然而事实并非如此。") == []
    assert hits(probe, "吃苦瓜能降血糖，其实不然。") == []


def test_a_paragraph_reporting_a_study_cited_before_it_is_sourced(linter: Linter) -> None:
    cited = "《营养学报》2020年发表了一项减盐研究。\n这项研究发现，减盐组的血压平均下降了12%。\n"
    assert _figures(linter, cited) == []
    uncited = "有人做了一项减盐研究。\n这项研究发现，减盐组的血压平均下降了12%。\n"
    assert _figures(linter, uncited) == ["12%"]
    # without a word that refers back, the earlier citation covers its own paragraph only
    unrelated = "《营养学报》2020年发表了一项减盐研究。\n减盐后血压平均下降了12%。\n"
    assert _figures(linter, unrelated) == ["12%"]


def test_a_figure_referred_to_again_is_not_a_new_claim(linter: Linter) -> None:
    text = "约有50%的成年人感染幽门螺杆菌，而这50%的人中多数没有症状。"
    assert _figures(linter, text) == ["50%"]


def test_under_a_heading_the_whole_section_can_refer_back_to_a_study(linter: Linter) -> None:
    """A section reporting a study cited earlier often names it in one paragraph only."""
    cited = "《自然·医学》发表了一项轻断食研究。\n"
    section = "后续跟踪\n受试者被分为三组。\n到第18个月，仍有42%的人坚持。\n"
    assert _figures(linter, cited + section) == []
    # a text without headings has no sections: the paragraph must refer back itself
    flat = cited + "受试者被分为三组。\n到第18个月，仍有42%的人坚持。\n"
    assert _figures(linter, flat) == ["42%"]


def test_a_quoted_first_advice_does_not_excuse_a_missing_disclaimer(linter: Linter) -> None:
    """The disclaimer finding only points at the first advice; a quotation there changes
    nothing about the document needing a disclaimer."""
    advice = "建议每天服用维生素D，可以口服补充剂。" * 12
    quoted = "网传“偏方”能治咳嗽。" + advice
    assert [f.rule for f in linter.lint(advice) if f.category == "missing-disclaimer"]
    assert [f.rule for f in linter.lint(quoted) if f.category == "missing-disclaimer"]
