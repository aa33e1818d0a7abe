"""The reference articles in examples/: what TAXONOMY.md requires, and a golden file each.

Regenerate the golden files after an intended change with
`HEALTHLINT_UPDATE_GOLDEN=1 pytest tests/test_examples.py` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from healthlint import Finding, Linter

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ARTICLES = sorted(EXAMPLES.glob("*.txt"))
POI = (EXAMPLES / "stem-cell-poi.txt").read_text(encoding="utf-8")
BP = (EXAMPLES / "biochemical-pregnancy.txt").read_text(encoding="utf-8")


def hit(text: str, findings: list[Finding], category: str, needle: str) -> bool:
    at = text.index(needle)
    return any(
        f.category == category and f.start < at + len(needle) and f.end > at for f in findings
    )


@pytest.mark.parametrize(
    ("article", "category", "needle"),
    [
        ("poi", "overclaim", "革命性的转机"),
        ("poi", "overclaim", "革命性步伐"),
        ("poi", "overclaim", "根源上逆转"),
        ("poi", "unsupported-statistic", "2.3倍"),
        ("poi", "commercial-contact", "扫码添加官方微信"),
        ("poi", "commercial-contact", "留言获取"),
        ("bp", "share-solicitation", "点个赞"),
        ("bp", "share-solicitation", "转发到微信群或朋友圈"),
        ("bp", "unsupported-statistic", "5.02倍"),
        ("bp", "unsupported-statistic", "5.14倍"),
    ],
)
def test_required_findings(linter: Linter, article: str, category: str, needle: str) -> None:
    text = POI if article == "poi" else BP
    assert hit(text, linter.lint(text), category, needle)


def test_required_non_findings(linter: Linter) -> None:
    references = BP.index("参考文献")
    assert not [f for f in linter.lint(BP) if f.start >= references]
    for text in (POI, BP):
        assert not [f for f in linter.lint(text) if f.category == "missing-disclaimer"]


@pytest.mark.parametrize("cut", [(POI, "免责说明"), (BP, "郑重声明")], ids=["poi", "bp"])
def test_without_its_disclaimer_an_article_gets_one_finding(
    linter: Linter, cut: tuple[str, str]
) -> None:
    text, marker = cut
    findings = linter.lint(text[: text.index(marker)])
    assert [f.category for f in findings].count("missing-disclaimer") == 1


def test_gb18030_copy_gives_the_same_findings(linter: Linter, tmp_path: Path) -> None:
    from healthlint.sources.decode import read_source

    copy = tmp_path / "poi.txt"
    copy.write_bytes(POI.encode("gb18030"))
    assert linter.lint(read_source(copy).text) == linter.lint(POI)


def _golden(findings: list[Finding]) -> list[dict[str, object]]:
    keys = ("rule", "category", "severity", "line", "column", "end_line", "end_column", "text")
    return [{k: getattr(f, k) for k in keys} for f in findings]


@pytest.mark.parametrize("article", ARTICLES, ids=[a.stem for a in ARTICLES])
def test_golden(linter: Linter, article: Path) -> None:
    expected_file = article.with_suffix(".expected.json")
    actual = _golden(linter.lint(article.read_text(encoding="utf-8"), path=str(article)))
    if os.environ.get("HEALTHLINT_UPDATE_GOLDEN"):
        expected_file.write_text(
            json.dumps(actual, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert actual == expected, f"findings changed; if intended, regenerate {expected_file.name}"
