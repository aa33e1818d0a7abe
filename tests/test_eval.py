"""The evaluation set: the scorer's arithmetic, the case format, and the floors to meet."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from healthlint import Linter
from healthlint.frontends.eval import (
    Case,
    CaseError,
    Report,
    Span,
    evaluate,
    format_report,
    load_cases,
    load_file,
    main,
    part_of,
    score_case,
)

CASES = Path(__file__).parent / "eval"
F1_FLOOR = 0.95
CLEAN_CEILING = 0.03


def _case(tmp_path: Path, body: str) -> list[Case]:
    path = tmp_path / "cases.yaml"
    path.write_text(body, encoding="utf-8")
    return load_file(path)


def test_expected_span_is_the_given_occurrence(tmp_path: Path) -> None:
    (case,) = _case(
        tmp_path,
        "cases:\n  - id: a\n    text: 加微信，再加微信\n"
        "    expect: [{category: commercial-contact, text: 加微信, occurrence: 2}]\n",
    )
    assert (case.expect[0].start, case.expect[0].end) == (5, 8)


def test_overlap_scores_true_positive_and_extra_hit_as_false_alarm(tmp_path: Path) -> None:
    (case,) = _case(
        tmp_path,
        "cases:\n  - id: a\n    text: 点个赞，加微信\n"
        "    expect: [{category: share-solicitation, text: 点个赞}]\n",
    )
    report = Report()
    score_case(
        case,
        [
            Span("share-solicitation", 1, 3),
            Span("share-solicitation", 0, 2),  # a second hit on the same span counts once
            Span("commercial-contact", 4, 7),
        ],
        report,
    )
    share, contact = report.tallies["share-solicitation"], report.tallies["commercial-contact"]
    assert (share.tp, share.fn, share.fp) == (1, 0, 0)
    assert (contact.tp, contact.fn, contact.fp) == (0, 0, 1)
    assert report.clean_cases == 0


def test_wrong_place_is_a_miss_and_a_false_alarm(tmp_path: Path) -> None:
    (case,) = _case(
        tmp_path,
        "cases:\n  - id: a\n    text: 欢迎转发。点个赞\n"
        "    expect: [{category: share-solicitation, text: 点个赞}]\n",
    )
    report = evaluate([case], lambda _text, _format: [Span("share-solicitation", 0, 4, "欢迎转发")])
    tally = report.tallies["share-solicitation"]
    assert (tally.tp, tally.fn, tally.fp) == (0, 1, 1)
    assert [o.text for o in report.misses] == ["点个赞"]
    assert "miss" in format_report(report, verbose=True)


def test_clean_case_ignores_listed_categories(tmp_path: Path) -> None:
    cases = _case(
        tmp_path,
        "cases:\n  - id: a\n    text: 多喝水\n    expect: []\n"
        "    ignore_categories: [missing-disclaimer]\n  - id: b\n    text: 多喝水\n",
    )
    report = evaluate(cases, lambda _text, _format: [Span("missing-disclaimer", 0, 1)])
    assert report.clean_cases == 2
    assert report.clean_flagged == ["b"]
    assert report.clean_flagged_share == 0.5


@pytest.mark.parametrize(
    "body",
    [
        "- id: a\n",  # a list, not a mapping with cases
        "cases:\n  - id: a\n    text: 文本\n    expect: [{category: overclaim, text: 根治}]\n",
        "cases:\n  - id: a\n    text: 文本\n    colour: red\n",
        "cases:\n  - id: a\n    text: 文本\n"
        "    expect: [{category: overclaim, text: 文本, occurrence: 0}]\n",
        "cases:\n  - id: a\n    text: 文本\n    expect: [{text: 文本}]\n",
        "cases:\n  - id: a\n    text: 文本\n    format: docx\n",
        "cases:\n  - id: a\n    text: '['\n  bad: [\n",
        "cases:\n  - id: a\n    text: 文本\n    expect: [{category: puffery, text: 文本}]\n",
        "cases:\n  - id: a\n    text: 文本\n    expect: [{category: overclaim, text: 文本}]\n"
        "    ignore_categories: [overclaim]\n",
    ],
)
def test_malformed_files_name_the_file(tmp_path: Path, body: str) -> None:
    with pytest.raises(CaseError) as info:
        _case(tmp_path, body)
    assert "cases.yaml" in str(info.value)


def test_an_expected_finding_without_text_may_be_anywhere(tmp_path: Path) -> None:
    (case,) = _case(
        tmp_path,
        "cases:\n  - id: a\n    text: 本品每日两粒。\n    format: markdown\n"
        "    expect: [{category: missing-disclaimer}]\n",
    )
    seen = []
    report = evaluate(
        [case], lambda text, fmt: seen.append(fmt) or [Span("missing-disclaimer", 3, 5)]
    )
    assert seen == ["markdown"]
    assert report.tallies["missing-disclaimer"].tp == 1


def test_parts_are_fixed_by_id() -> None:
    """About 30% locked, and an id's part never depends on the other cases."""
    parts = [part_of(f"case-{n}") for n in range(2000)]
    assert 0.25 < parts.count("locked") / len(parts) < 0.35
    assert part_of("case-1") == part_of("case-1")


def test_duplicate_ids_across_files_are_refused(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("cases:\n  - id: same\n    text: 文本\n", encoding="utf-8")
    with pytest.raises(CaseError, match="same"):
        load_cases(tmp_path)


def test_command_reports_bad_cases_with_exit_2(tmp_path: Path, capsys) -> None:
    assert main(["--cases", str(tmp_path)]) == 2
    assert "no evaluation files" in capsys.readouterr().err


@pytest.fixture(scope="module")
def report(linter: Linter) -> Report:
    return evaluate(load_cases(CASES), lambda text, fmt: linter.lint(text, format=fmt))


def test_every_category_meets_the_f1_floor(report: Report) -> None:
    failing = {c: t for c, t in report.tallies.items() if t.f1 < F1_FLOOR}
    detail = [f"{c}: F1 {t.f1:.3f} (TP {t.tp}, FN {t.fn}, FP {t.fp})" for c, t in failing.items()]
    detail += [f"miss {o.case}: {o.category} at {o.text!r}" for o in report.misses]
    detail += [
        f"false alarm {o.case}: {o.category} ({o.rule}) at {o.text!r}" for o in report.false_alarms
    ]
    assert not failing, "\n".join(detail)


def test_clean_cases_stay_clean(report: Report) -> None:
    assert report.clean_flagged_share <= CLEAN_CEILING, (
        f"{len(report.clean_flagged)} of {report.clean_cases} clean cases flagged: "
        + ", ".join(report.clean_flagged)
    )


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("集满30个赞，免费领取体检套餐。", "error"),
        ("不转不是中国人！", "error"),
        ("分享到朋友圈后才能查看全文。", "error"),
        ("觉得有用，请帮我点个赞。", "warning"),
        ("赶紧转发到家族群！", "warning"),
        ("欢迎转发给需要的朋友。", "info"),
        ("设为星标，不错过推送。", "info"),
    ],
)
def test_share_solicitation_is_graded(linter: Linter, text: str, severity: str) -> None:
    """The cases score categories only; the grading REGULATIONS.md asks for is checked here."""
    found = [f.severity for f in linter.lint(text) if f.category == "share-solicitation"]
    assert found == [severity]


def _corpus_report(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(__file__).resolve().parents[1] / "bench" / "corpus_report.py"
    return subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, check=False
    )


def test_corpus_report_without_corpus_says_so(tmp_path: Path) -> None:
    result = _corpus_report("--corpus", str(tmp_path / "absent"))
    assert result.returncode == 0
    assert "no corpus" in result.stdout


def test_corpus_report_on_a_tiny_corpus(tmp_path: Path) -> None:
    records = [
        {"id": "tw-a", "kind": "ad", "text": "本品諮詢專線0800-123-456，醫師推薦。"},
        {"id": "x-b", "kind": "article", "text": "多喝水，适量运动，保持良好作息。"},
        {"id": "x-c", "kind": "debunk", "text": "网传喝醋能软化血管，这是谣言。"},
    ]
    (tmp_path / "articles.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8"
    )
    (tmp_path / "mainland-ads.jsonl").write_text(
        json.dumps({"id": "m-1", "text": "加微信：abc12345，买二送一。"}, ensure_ascii=False),
        encoding="utf-8",
    )
    result = _corpus_report(
        "--corpus", str(tmp_path), "--part", "tuned", "--sample", "2", "--seed", "1"
    )
    assert result.returncode == 0, result.stderr
    tuned = [r for r in [*records, {"id": "m-1", "kind": "ad"}] if part_of(r["id"]) == "tuned"]
    ads = sum(r["kind"] == "ad" for r in tuned)
    science = len(tuned) - ads
    assert f"all penalised ads {ads}/{ads} (100.0%)" in " ".join(result.stdout.split())
    assert f"all 0/{science} (0.0%)" in " ".join(result.stdout.split())
    assert "findings sampled from the tuned part" in result.stdout
