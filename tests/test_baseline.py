"""Baselines: findings are known by rule and context, not by line, and counted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from handmade import finding_at

from healthlint.errors import InputError
from healthlint.frontends.cli import main
from healthlint.results import baseline

ARTICLE = "第一段。\n\n本品可彻底治愈糖尿病，效果惊人。\n\n第三段，无问题。\n"


def written(tmp_path: Path, source: str, findings: list) -> baseline.Baseline:
    doc = tmp_path / "a.md"
    text = baseline.dumps(baseline.entries_for(doc, source, findings, tmp_path))
    (tmp_path / "baseline.json").write_text(text, encoding="utf-8")
    return baseline.load(tmp_path / "baseline.json")


def test_known_finding_is_filtered(tmp_path: Path) -> None:
    f = finding_at(ARTICLE, "彻底治愈")
    known = written(tmp_path, ARTICLE, [f])
    assert known.filter_new(tmp_path / "a.md", ARTICLE, [f]) == []


def test_moved_lines_blanks_and_line_endings_keep_the_fingerprint(tmp_path: Path) -> None:
    known = written(tmp_path, ARTICLE, [finding_at(ARTICLE, "彻底治愈")])
    moved = "新加的一段。\r\n\r\n" + ARTICLE.replace("\n", "\r\n").replace("可彻底", "  可 彻底")
    f = finding_at(moved, "彻底治愈")
    assert f.line == 5
    assert known.filter_new(tmp_path / "a.md", moved, [f]) == []


def test_flagged_text_at_line_start_has_no_context_from_the_line_above(tmp_path: Path) -> None:
    text = "上一行。\n彻底治愈\n"
    known = written(tmp_path, text, [finding_at(text, "彻底治愈")])
    other = "别的行。\n彻底治愈\n"
    assert known.filter_new(tmp_path / "a.md", other, [finding_at(other, "彻底治愈")]) == []


def test_new_occurrence_and_other_context_are_new(tmp_path: Path) -> None:
    known = written(tmp_path, ARTICLE, [finding_at(ARTICLE, "彻底治愈")])
    grown = ARTICLE + "另一款产品也能彻底治愈高血压。\n"
    old = finding_at(grown, "彻底治愈")
    new = finding_at(grown, "彻底治愈", occurrence=1)
    assert known.filter_new(tmp_path / "a.md", grown, [old, new]) == [new]


def test_same_phrase_twice_is_counted(tmp_path: Path) -> None:
    text = "彻底治愈。\n" * 3
    two = [finding_at(text, "彻底治愈", occurrence=i) for i in range(2)]
    known = written(tmp_path, text, two)
    three = [*two, finding_at(text, "彻底治愈", occurrence=2)]
    assert len(known.filter_new(tmp_path / "a.md", text, three)) == 1


def test_other_file_or_rule_is_new(tmp_path: Path) -> None:
    f = finding_at(ARTICLE, "彻底治愈")
    known = written(tmp_path, ARTICLE, [f])
    assert known.filter_new(tmp_path / "b.md", ARTICLE, [f]) == [f]
    g = finding_at(ARTICLE, "彻底治愈", rule="absolute-terms")
    assert known.filter_new(tmp_path / "a.md", ARTICLE, [g]) == [g]


def test_paths_are_relative_to_the_baseline_folder(tmp_path: Path) -> None:
    f = finding_at(ARTICLE, "彻底治愈")
    (entry,) = baseline.entries_for(tmp_path / "docs" / "a.md", ARTICLE, [f], tmp_path)
    assert entry.path == "docs/a.md"


def test_dumps_is_deterministic_and_readable() -> None:
    findings = [finding_at(ARTICLE, "彻底治愈"), finding_at(ARTICLE, "效果惊人", rule="b")]
    one = baseline.dumps(baseline.entries_for("a.md", ARTICLE, findings, "."))
    two = baseline.dumps(baseline.entries_for("a.md", ARTICLE, findings[::-1], "."))
    assert one == two
    assert "彻底治愈" in one


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"version": 99, "findings": []}',
        '{"version": 1}',
        '{"version": 1, "findings": [{"path": "a"}]}',
        '{"version": 1, "findings": [{"path": "a", "rule": "r", "fingerprint": 3}]}',
        '{"version": 1, "findings": [{"path": "a", "rule": "r", "fingerprint": "x", "count": 0}]}',
        '{"version": 1, "findings": ["x"]}',
    ],
)
def test_malformed_baseline_is_an_input_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        baseline.load(path)
    assert info.value.path == str(path)


def test_missing_baseline_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        baseline.load(tmp_path / "nope.json")


# Through the command line, on the reference articles.
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example articles; the working directory is its parent."""
    folder = tmp_path / "examples"
    folder.mkdir()
    for article in EXAMPLES.glob("*.txt"):
        shutil.copy(article, folder / article.name)
    monkeypatch.chdir(tmp_path)
    return folder


def test_cli_baseline_passes_then_fails_only_on_a_new_finding(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["examples"]) == 1
    assert main(["--baseline", "examples/base.json", "--write-baseline", "examples"]) == 0
    capsys.readouterr()
    assert main(["--baseline", "examples/base.json", "examples"]) == 0

    article = archive / "stem-cell-poi.txt"
    lines = article.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(5, "本疗法能彻底治愈卵巢早衰。\n")
    article.write_text("".join(lines), encoding="utf-8")
    capsys.readouterr()
    assert main(["--baseline", "examples/base.json", "--format", "json", "examples"]) == 1
    (new,) = json.loads(capsys.readouterr().out)
    assert (new["path"], new["line"], new["text"]) == (
        str(Path("examples", article.name)),
        6,
        "彻底治愈",
    )


def test_cli_baseline_works_from_another_folder(
    archive: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["--baseline", "examples/base.json", "--write-baseline", "examples"]) == 0
    monkeypatch.chdir(archive)
    assert main(["--baseline", "base.json", "."]) == 0


def test_cli_write_baseline_needs_a_file(archive: Path) -> None:
    assert main(["--write-baseline", "examples"]) == 2


def test_shipped_examples_pass_with_their_baseline(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the project's own pre-commit hook runs; rewrite the baseline after rule changes."""
    monkeypatch.chdir(EXAMPLES.parent)
    code = main(["--baseline", "examples/.healthlint-baseline.json", "examples"])
    assert code == 0, (
        "examples/ has findings its baseline lacks; if the rules changed on purpose, run "
        "healthlint --baseline examples/.healthlint-baseline.json --write-baseline examples\n"
        + capsys.readouterr().out
    )
