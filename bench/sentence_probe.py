"""How often each rule fires on single sentences of popular science, read alone.

    python bench/sentence_probe.py [--corpus DIR] [--part tuned|locked] [--show RULE]

Short texts are where the rules are boldest: a line of ad copy names no product and is read as
the claim it makes. Sentences of popular-science articles (``kind: article`` of the corpus),
linted one at a time with their article's context removed, are thousands of realistic short
texts that should mostly get no overclaim, endorsement or fear-appeal finding; the share each
rule flags estimates how it treats short clean texts it was never tuned on. ``--show RULE``
prints that rule's hits of the tuned part, for reading. The corpus is only read, never copied.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from corpus_report import DEFAULT_CORPUS, read_records

from healthlint import Linter

CATEGORIES = ("overclaim", "endorsement", "fear-appeal")
_SENTENCE = re.compile(r"[^。！？!?\n]{12,200}[。！？!?]?")


def sentences(text: str) -> list[str]:
    """The sentences of a text long enough to make a claim."""
    return [m.group().strip() for m in _SENTENCE.finditer(text)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--part", choices=("tuned", "locked"), default="tuned")
    parser.add_argument("--show", metavar="RULE", help="print the hits of one rule (tuned part)")
    args = parser.parse_args(argv)
    records = [r for r in read_records(args.corpus) if r.kind == "article" and r.part == args.part]
    if not records:
        print(f"no corpus at {args.corpus}; nothing to measure")
        return 0
    linter = Linter()
    counts: Counter[str] = Counter()
    total = flagged = 0
    for record in records:
        for sentence in sentences(record.text):
            total += 1
            hits = [f for f in linter.lint(sentence) if f.category in CATEGORIES]
            flagged += bool(hits)
            for rule in {f.rule for f in hits}:
                counts[rule] += 1
            if args.show and args.part == "tuned":
                for f in hits:
                    if f.rule == args.show:
                        print(f"{record.id}: {sentence[:120]} [{f.text}]")
    print(
        f"{total} sentences of {len(records)} articles ({args.part}); {flagged} flagged "
        f"({flagged / max(total, 1):.2%})"
    )
    for rule, n in counts.most_common():
        print(f"  {rule:<28} {n:>5}  {n / max(total, 1):.2%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
