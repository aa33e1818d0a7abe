"""Measure the rule packs on real health texts nobody on the team wrote.

    python bench/corpus_report.py [--corpus DIR] [--part tuned|locked|both] [--misses]
                                  [--sample N] [--seed S]

Reads ``articles.jsonl``, ``mainland-ads.jsonl`` and ``regulator-examples.jsonl`` from the
corpus folder (default ``../shared/corpus``, relative to the repository root) and reports,
for the tuned and the locked part side by side (`healthlint.frontends.eval.part_of`: about 30%
of the ids, by hash, are locked):

(a) the share of penalised ads (``kind: ad`` records, every mainland ad and every regulator
    example) with at least one finding other than missing-disclaimer, by source and by the
    product type the penalty record names (food, health food, drug, device, medical service,
    cosmetic);
(b) the share of popular-science and debunk texts (``kind: article`` and ``debunk``) with an
    overclaim or fear-appeal finding of severity error;
(c) with ``--sample``, a random sample of findings of the tuned part, each with its context,
    for reading by hand; with ``--misses``, the tuned part's penalised ads that get nothing.

The locked part is reported as numbers only: its texts are never printed, so nobody tunes a
rule to them. The corpus is research material without a licence: this script only reads it
and prints counts, ids and short contexts to the terminal. Nothing is written, and nothing
from it may be copied into the repository. Without the corpus the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from healthlint import Finding, Linter
from healthlint.frontends.eval import PARTS, part_of

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
AD_KINDS = frozenset({"ad"})
SCIENCE_KINDS = frozenset({"article", "debunk"})
STRICT_CATEGORIES = frozenset({"overclaim", "fear-appeal"})
CONTEXT = 30
#: Words of a penalty record that name the product type, most specific first.
PRODUCT_WORDS = (
    ("medical service", ("医疗美容", "医美", "医疗广告", "医疗机构", "诊所", "医院", "医療")),
    ("device", ("医疗器械", "醫療器材", "器械")),
    ("drug", ("药品", "藥事法", "藥品", "处方药")),
    ("health food", ("保健食品", "健康食品")),
    ("cosmetic", ("化妆品", "化粧品")),
    ("food", ("食品", "普通食品", "饮料")),
)


@dataclass(frozen=True)
class Record:
    id: str
    kind: str
    text: str
    source: str
    product: str

    @property
    def part(self) -> str:
        return part_of(self.id)


@dataclass(frozen=True)
class Linted:
    record: Record
    findings: tuple[Finding, ...]

    @property
    def flagged(self) -> bool:
        return any(f.category != "missing-disclaimer" for f in self.findings)


def product_type(*descriptions: str | None) -> str:
    """The product type a penalty record names, or "other"."""
    text = " ".join(d for d in descriptions if d)
    for name, words in PRODUCT_WORDS:
        if any(w in text for w in words):
            return name
    return "other"


def _lines(path: Path) -> Iterator[dict]:
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)


def read_records(corpus: Path) -> Iterator[Record]:
    """The corpus files as records; mainland ads and regulator examples count as ads."""
    for d in _lines(corpus / "articles.jsonl"):
        # the law the penalty applied names the product type better than the table's title
        product = product_type(d.get("label"))
        if product == "other":
            product = product_type(d.get("source_path"))
        if d["id"].startswith("tw-shopping"):
            product = "health food"  # scraped supplement product pages
        yield Record(d["id"], d["kind"], d["text"], "taiwan", product)
    for d in _lines(corpus / "mainland-ads.jsonl"):
        yield Record(d["id"], "ad", d["text"], "mainland", product_type(d.get("violation")))
    for d in _lines(corpus / "regulator-examples.jsonl"):
        product = product_type(d.get("product"), d.get("violation"))
        yield Record(d["id"], "ad", d["text"], "regulator", product)


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.1%})" if whole else "0/0"


def context(text: str, finding: Finding) -> str:
    """The finding in 【】 with a little text either side, on one line."""
    before = text[max(0, finding.start - CONTEXT) : finding.start]
    after = text[finding.end : finding.end + CONTEXT]
    return " ".join(f"{before}【{finding.text}】{after}".split())


def _table(title: str, rows: list[tuple[str, dict[str, str]]], parts: Sequence[str]) -> list[str]:
    lines = [title, f"  {'':<32}" + "".join(f"{p:>22}" for p in parts)]
    lines += [f"  {label:<32}" + "".join(f"{cells[p]:>22}" for p in parts) for label, cells in rows]
    return lines


def report_ads(linted: Sequence[Linted], parts: Sequence[str]) -> list[str]:
    ads = [x for x in linted if x.record.kind in AD_KINDS]
    groups: list[tuple[str, list[Linted]]] = [("all penalised ads", ads)]
    for source in ("taiwan", "mainland", "regulator"):
        groups.append((f"  {source}", [x for x in ads if x.record.source == source]))
    for product in sorted({x.record.product for x in ads}):
        groups.append((f"  product: {product}", [x for x in ads if x.record.product == product]))
    rows = []
    for label, group in groups:
        cells = {}
        for part in parts:
            members = [x for x in group if x.record.part == part]
            cells[part] = share(sum(x.flagged for x in members), len(members))
        rows.append((label, cells))
    return _table(
        "(a) penalised ads with at least one finding other than missing-disclaimer", rows, parts
    )


def report_science(linted: Sequence[Linted], parts: Sequence[str]) -> list[str]:
    texts = [x for x in linted if x.record.kind in SCIENCE_KINDS]

    def strict(x: Linted) -> bool:
        return any(f.category in STRICT_CATEGORIES and f.severity == "error" for f in x.findings)

    cells = {}
    for part in parts:
        members = [x for x in texts if x.record.part == part]
        cells[part] = share(sum(map(strict, members)), len(members))
    lines = _table(
        "(b) popular-science and debunk texts with an overclaim or fear-appeal error",
        [("all", cells)],
        parts,
    )
    if "tuned" in parts:
        rules = Counter(
            f.rule
            for x in texts
            if x.record.part == "tuned" and strict(x)
            for f in x.findings
            if f.category in STRICT_CATEGORIES and f.severity == "error"
        )
        lines += [f"  tuned: rule {rule:<29} {n} findings" for rule, n in rules.most_common()]
    return lines


def report_misses(linted: Sequence[Linted]) -> list[str]:
    missed = [
        x
        for x in linted
        if x.record.kind in AD_KINDS and x.record.part == "tuned" and not x.flagged
    ]
    lines = [f"(d) {len(missed)} penalised ads of the tuned part with no finding"]
    lines += [
        f"  {x.record.id} [{x.record.product}] {' '.join(x.record.text.split())}" for x in missed
    ]
    return lines


def report_sample(linted: Sequence[Linted], size: int, seed: int) -> list[str]:
    everything = [(x.record, f) for x in linted if x.record.part == "tuned" for f in x.findings]
    picked = random.Random(seed).sample(everything, min(size, len(everything)))
    lines = [
        f"(c) {len(picked)} findings sampled from the tuned part's {len(everything)} "
        f"(seed {seed}); "
        "judge each one right or wrong"
    ]
    for n, (record, f) in enumerate(picked, 1):
        lines.append(f"{n:>3}. {record.id} [{record.kind}] {f.rule} {f.severity}")
        lines.append(f"     {context(record.text, f)}")
    by_category = Counter(f.category for _, f in picked)
    lines.append("  sampled by category: " + ", ".join(f"{c} {n}" for c, n in by_category.items()))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder")
    parser.add_argument("--part", choices=(*PARTS, "both"), default="both", help="(both)")
    parser.add_argument("--sample", type=int, default=0, help="findings to sample (0)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the sample (0)")
    parser.add_argument("--misses", action="store_true", help="list the tuned part's missed ads")
    args = parser.parse_args(argv)

    records = list(read_records(args.corpus))
    if not records:
        print(f"no corpus at {args.corpus}; nothing to measure")
        return 0
    parts = PARTS if args.part == "both" else (args.part,)
    linter = Linter()
    linted = [Linted(r, tuple(linter.lint(r.text))) for r in records if r.part in parts]
    print(f"{len(linted)} texts from {args.corpus} ({', '.join(parts)})")
    blocks = [report_ads(linted, parts), report_science(linted, parts)]
    if args.sample and "tuned" in parts:
        blocks.append(report_sample(linted, args.sample, args.seed))
    if args.misses and "tuned" in parts:
        blocks.append(report_misses(linted))
    for block in blocks:
        print("\n".join(block), end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
