"""SARIF and GitHub annotations, parsed back: structure, columns, escaping."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from handmade import finding_at

from healthlint.finding import RuleInfo
from healthlint.formatters import FORMATTERS, Report
from healthlint.formatters.github import annotation, escape_data, escape_property
from healthlint.formatters.sarif import SarifFormatter, utf16_region
from healthlint.frontends.cli import main

SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-2.1.0-subset.schema.json").read_text(encoding="utf-8")
)
SOURCE = "标题\n😀本品可彻底治愈糖尿病，扫码添加微信。\n𠀀记得转发\n"


def rule(id: str, category: str, severity: str) -> RuleInfo:
    return RuleInfo(
        id=id,
        kind="term",
        category=category,
        severity=severity,
        message="疗效断言。",
        basis="《广告法》第十六条",
        suggestion="改为“有助于改善”。",
        description=None,
        fix=None,
        bad_examples=("本品可彻底治愈糖尿病。",),
        good_examples=("糖尿病目前无法根治。",),
        path="rules/x.yaml",
    )


RULES = (
    rule("cure-promise", "overclaim", "error"),
    rule("wechat-contact", "commercial-contact", "warning"),
    rule("share-prompt", "share-solicitation", "info"),
)


def findings() -> list:
    return [
        finding_at(SOURCE, "彻底治愈"),
        finding_at(SOURCE, "扫码添加微信", rule="wechat-contact", severity="warning"),
        finding_at(SOURCE, "记得转发", rule="share-prompt", severity="info"),
    ]


def log() -> dict:
    out = io.StringIO()
    SarifFormatter(out, rules=RULES).finish([Report("docs/文章 1.md", SOURCE, findings())])
    return json.loads(out.getvalue())


def test_sarif_validates_against_the_schema() -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(log())


def test_sarif_has_what_github_code_scanning_requires() -> None:
    data = log()
    assert data["version"] == "2.1.0" and data["$schema"]
    (run,) = data["runs"]
    assert run["columnKind"] == "utf16CodeUnits"
    driver = run["tool"]["driver"]
    assert driver["name"] == "healthlint"
    rules = {r["id"]: r for r in driver["rules"]}
    assert set(rules) == {r.id for r in RULES}
    for r in rules.values():
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert "《广告法》第十六条" in r["help"]["text"]
        assert r["properties"]["basis"] == "《广告法》第十六条"
    assert [r["level"] for r in run["results"]] == ["error", "warning", "note"]
    for result in run["results"]:
        assert result["ruleId"] in rules
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "docs/%E6%96%87%E7%AB%A0%201.md"
        assert set(location["region"]) >= {"startLine", "startColumn", "endLine", "endColumn"}


def test_columns_count_utf16_units_and_end_after_the_region() -> None:
    cure, _, share = findings()
    # 😀 is one Python character but two UTF-16 units; 𠀀 (Extension B) too.
    assert (cure.line, cure.column, cure.end_column) == (2, 5, 8)
    assert utf16_region(cure, SOURCE) == {
        "startLine": 2,
        "startColumn": 6,
        "endLine": 2,
        "endColumn": 10,
    }
    assert utf16_region(share, SOURCE)["startColumn"] == 3
    # Without the source, character columns: exact for BMP-only lines.
    assert utf16_region(cure, None)["startColumn"] == 5


def test_region_slices_back_to_the_flagged_text() -> None:
    for f in findings():
        region = utf16_region(f, SOURCE)
        line = SOURCE.splitlines()[region["startLine"] - 1].encode("utf-16-le")
        start, end = (region["startColumn"] - 1) * 2, (region["endColumn"] - 1) * 2
        assert line[start:end].decode("utf-16-le") == f.text


def test_github_annotation_fields_and_levels() -> None:
    lines = [annotation("docs/a.md", f, SOURCE) for f in findings()]
    assert lines[0] == (
        "::error file=docs/a.md,line=2,col=6,endLine=2,endColumn=10,"
        "title=healthlint cure-promise (overclaim)::cure-promise message"
    )
    assert lines[1].startswith("::warning file=docs/a.md,line=2,")
    assert lines[2].startswith("::notice file=docs/a.md,line=3,col=3,")


def test_github_multi_line_finding_has_no_columns() -> None:
    text = "彻底\n治愈"
    f = finding_at(text, "彻底\n治愈")
    line = annotation("a.md", f, text)
    assert "line=1,endLine=2,title=" in line and "col=" not in line


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("100%有效", "100%25有效", "100%25有效"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_github_escaping(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_github_escapes_path_and_message() -> None:
    text = "彻底治愈"
    f = finding_at(text, "彻底治愈")
    line = annotation("dir,1/a:b.md", f, text)
    assert line.startswith("::error file=dir%2C1/a%3Ab.md,line=1,")


# The command line, on the reference articles in examples/.
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[int, str, str]]:
    """`main(argv)` run from the repository root: (exit code, stdout, stderr)."""
    monkeypatch.chdir(EXAMPLES.parent)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_formats_are_registered() -> None:
    assert {"text", "json", "sarif", "github"} <= set(FORMATTERS)


def test_cli_json_is_a_list_of_findings_with_path(cli: Callable[..., tuple]) -> None:
    code, out, err = cli("--format", "json", "examples/stem-cell-poi.txt")
    assert code == 1, err
    data = json.loads(out)
    fields = {"path", "rule", "category", "severity", "message", "start", "end", "line"}
    fields |= {"column", "end_line", "end_column", "text", "suggestion", "basis", "register"}
    fields |= {"image"}
    assert data and all(set(item) == fields for item in data)
    text = (EXAMPLES / "stem-cell-poi.txt").read_text(encoding="utf-8")
    assert all(text[d["start"] : d["end"]] == d["text"] for d in data)


def test_cli_sarif_validates_and_points_into_the_file(cli: Callable[..., tuple]) -> None:
    code, out, err = cli("--format", "sarif", str(EXAMPLES / "stem-cell-poi.txt"))
    assert code == 1, err
    data = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(data)
    (run_,) = data["runs"]
    ids = {r["id"] for r in run_["tool"]["driver"]["rules"]}
    lines = (EXAMPLES / "stem-cell-poi.txt").read_text(encoding="utf-8").splitlines()
    assert run_["results"]
    for r in run_["results"]:
        assert r["ruleId"] in ids
        location = r["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "examples/stem-cell-poi.txt"
        region = location["region"]
        line = lines[region["startLine"] - 1]
        if region["endLine"] == region["startLine"]:
            flagged = line[region["startColumn"] - 1 : region["endColumn"] - 1]
            assert flagged == region["snippet"]["text"]


def test_cli_github_annotations_parse(cli: Callable[..., tuple]) -> None:
    code, out, err = cli("--format", "github", "examples/biochemical-pregnancy.txt")
    assert code == 1, err
    lines = out.splitlines()
    assert lines
    for line in lines:
        command, _, rest = line.partition(" ")
        assert command in ("::error", "::warning", "::notice")
        props, _, message = rest.partition("::")
        fields = dict(p.split("=", 1) for p in props.split(","))
        assert fields["file"] == "examples/biochemical-pregnancy.txt"
        assert int(fields["line"]) >= 1 and fields["title"].startswith("healthlint ")
        assert message


def test_cli_sarif_of_a_clean_run_is_valid(cli: Callable[..., tuple], tmp_path: Path) -> None:
    clean = tmp_path / "clean.md"
    clean.write_text("均衡饮食有助于健康。\n", encoding="utf-8")
    code, out, _ = cli("--format", "sarif", str(clean))
    assert code == 0
    data = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(data)
    assert data["runs"][0]["results"] == []


def test_quiet_prints_findings_without_summary(cli: Callable[..., tuple]) -> None:
    _, loud, _ = cli("examples/stem-cell-poi.txt")
    code, quiet, _ = cli("--quiet", "examples/stem-cell-poi.txt")
    assert code == 1
    assert quiet and loud.startswith(quiet) and quiet != loud
    assert "个文件" not in quiet


def test_statistics_counts_per_rule(cli: Callable[..., tuple]) -> None:
    code, data, stats = cli("--statistics", "--format", "json", "examples")
    assert code == 1
    expected: dict[str, int] = {}
    for item in json.loads(data):  # stdout stays parseable: the counts go to stderr
        expected[item["rule"]] = expected.get(item["rule"], 0) + 1
    rows = [line.split() for line in stats.splitlines()]
    assert {rule: int(n) for n, rule, _ in rows} == expected
    assert [int(n) for n, _, _ in rows] == sorted(expected.values(), reverse=True)
    _, text, _ = cli("--quiet", "--statistics", "examples")
    assert text.endswith(stats)


def test_colour_only_on_a_terminal_and_never_with_no_color(
    monkeypatch: pytest.MonkeyPatch, cli: Callable[..., tuple]
) -> None:
    _, plain, _ = cli("examples/stem-cell-poi.txt")
    assert "\033[" not in plain
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = cli("examples/stem-cell-poi.txt")
    assert "\033[" not in out
    monkeypatch.setenv("NO_COLOR", "")
    _, out, _ = cli("examples/stem-cell-poi.txt")
    assert "\033[" in out
    _, out, _ = cli("--no-color", "examples/stem-cell-poi.txt")
    assert "\033[" not in out
