"""Word boundaries: rjieba gives jieba's boundaries wherever a word-boundary rule looks
(between two Chinese characters), and costs a fraction of jieba's start."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from healthlint import Config, Linter
from healthlint.document.segment import Segmenter

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")


def texts() -> list[str]:
    articles = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))]
    examples = [e for r in Linter().rules for e in (*r.bad_examples, *r.good_examples)]
    return [*articles, *examples]


def test_boundaries_between_chinese_characters_are_jiebas() -> None:
    jieba = pytest.importorskip("jieba")
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    segmenter = Segmenter()
    compared = 0
    for text in texts():
        ours = segmenter.boundaries(text)
        theirs, pos = {0}, 0
        for token in tokenizer.cut(text, HMM=True):
            pos += len(token)
            theirs.add(pos)
        between = [i for i in range(1, len(text)) if CJK.match(text[i - 1]) and CJK.match(text[i])]
        compared += len(between)
        assert [i for i in between if (i in ours) != (i in theirs)] == [], text
    assert compared > 10_000


def test_word_boundary_rule_keeps_its_examples(tmp_path: Path) -> None:
    rules = tmp_path / "overclaim"
    rules.mkdir()
    (rules / "miracle-product.yaml").write_text(
        "kind: term\nseverity: error\nmessage: 神药\nbasis: 《广告法》第二十八条\n"
        "terms: [神药]\nword_boundary: true\n"
        "examples: {bad: [这款神药专治失眠。], good: [他是神药师。]}\n",
        encoding="utf-8",
    )
    linter = Linter(Config(rules_dirs=(str(tmp_path),), select=("miracle-product",)))
    assert [f.text for f in linter.lint("这款神药专治失眠。")] == ["神药"]
    assert linter.lint("神药师说明了用法。") == []
