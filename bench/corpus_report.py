"""Measure the rule packs on real health texts nobody on the team wrote.

    python bench/corpus_report.py [--corpus DIR] [--sample N] [--seed S]

Reads ``articles.jsonl`` and ``mainland-ads.jsonl`` from the corpus folder (default
``../shared/corpus``, relative to the repository root) and reports:

(a) the share of penalised ads (``kind: ad`` records and every mainland ad) with at least one
    finding other than missing-disclaimer; the target is at least 90%;
(b) the share of popular-science and debunk texts (``kind: article`` and ``debunk``) with an
    overclaim or fear-appeal finding of severity error; the target is at most 5%;
(c) a random sample of findings over all texts, each with its context, for reading by hand.

The corpus is research material without a licence: this script only reads it and prints
counts, ids and short contexts to the terminal. Nothing is written, and nothing from it may be
copied into the repository. Without the corpus the script says so and exits 0.
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

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
AD_KINDS = frozenset({"ad"})
SCIENCE_KINDS = frozenset({"article", "debunk"})
STRICT_CATEGORIES = frozenset({"overclaim", "fear-appeal"})
CONTEXT = 30


@dataclass(frozen=True)
class Record:
    id: str
    kind: str
    text: str


@dataclass(frozen=True)
class Linted:
    record: Record
    findings: tuple[Finding, ...]


def read_records(corpus: Path) -> Iterator[Record]:
    """Both corpus files as records; every mainland ad counts as a penalised ad."""
    articles = corpus / "articles.jsonl"
    if articles.exists():
        for line in articles.read_text(encoding="utf-8").splitlines():
            if line.strip():
                data = json.loads(line)
                yield Record(data["id"], data["kind"], data["text"])
    mainland = corpus / "mainland-ads.jsonl"
    if mainland.exists():
        for line in mainland.read_text(encoding="utf-8").splitlines():
            if line.strip():
                data = json.loads(line)
                yield Record(data["id"], "ad", data["text"])


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.1%})" if whole else "0/0"


def context(text: str, finding: Finding) -> str:
    """The finding in 【】 with a little text either side, on one line."""
    before = text[max(0, finding.start - CONTEXT) : finding.start]
    after = text[finding.end : finding.end + CONTEXT]
    return " ".join(f"{before}【{finding.text}】{after}".split())


def report_ads(linted: Sequence[Linted]) -> list[str]:
    ads = [x for x in linted if x.record.kind in AD_KINDS]
    lines = ["(a) penalised ads with at least one finding other than missing-disclaimer"]
    by_source = {
        "all penalised ads": ads,
        "  Taiwanese (articles.jsonl)": [x for x in ads if x.record.id.startswith("tw-")],
        "  mainland (mainland-ads.jsonl)": [x for x in ads if not x.record.id.startswith("tw-")],
    }
    for label, group in by_source.items():
        hit = [x for x in group if any(f.category != "missing-disclaimer" for f in x.findings)]
        lines.append(f"  {label:<34} {share(len(hit), len(group))}")
    missed = [
        x.record.id for x in ads if not any(f.category != "missing-disclaimer" for f in x.findings)
    ]
    if missed:
        lines.append(f"  not flagged: {', '.join(missed)}")
    return lines


def report_science(linted: Sequence[Linted]) -> list[str]:
    texts = [x for x in linted if x.record.kind in SCIENCE_KINDS]
    strict = [
        x
        for x in texts
        if any(f.category in STRICT_CATEGORIES and f.severity == "error" for f in x.findings)
    ]
    rules = Counter(
        f.rule
        for x in strict
        for f in x.findings
        if f.category in STRICT_CATEGORIES and f.severity == "error"
    )
    lines = [
        "(b) popular-science and debunk texts with an overclaim or fear-appeal error",
        f"  {'all':<34} {share(len(strict), len(texts))}",
    ]
    lines += [f"  rule {rule:<29} {n} findings" for rule, n in rules.most_common()]
    return lines


def report_sample(linted: Sequence[Linted], size: int, seed: int) -> list[str]:
    everything = [(x.record, f) for x in linted for f in x.findings]
    picked = random.Random(seed).sample(everything, min(size, len(everything)))
    lines = [
        f"(c) {len(picked)} findings sampled from {len(everything)} (seed {seed}); "
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
    parser.add_argument("--sample", type=int, default=100, help="findings to sample (100)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the sample (0)")
    args = parser.parse_args(argv)

    records = list(read_records(args.corpus))
    if not records:
        print(f"no corpus at {args.corpus}; nothing to measure")
        return 0
    linter = Linter()
    linted = [Linted(r, tuple(linter.lint(r.text))) for r in records]
    print(f"{len(records)} texts from {args.corpus}")
    for block in (
        report_ads(linted),
        report_science(linted),
        report_sample(linted, args.sample, args.seed),
    ):
        print("\n".join(block), end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
