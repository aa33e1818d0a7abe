"""Score the rule packs against the labelled cases in ``tests/eval/``.

``healthlint eval [--cases DIR] [--part tuned|locked|all|both] [--verbose]`` lints every case
with one `Linter` and prints precision, recall and F1 per category, and the share of clean
cases (those that expect nothing) that got a finding, for the tuned and the locked part of the
cases side by side. The case format is documented in ``tests/eval/README.md``.

The locked part (`part_of`: about 30% of the ids, by hash) is what keeps the numbers honest:
rules are written from the law and the vocabularies and tuned on the other part only, and
the locked part is read only as a score, never case by case.

Scoring is by span, not by count: an expected finding is matched (a true positive) when a
finding of its category overlaps the expected text; a finding that overlaps no expected span of
its own category is a false alarm. Several findings on one expected span count once, so a rule
split into two overlapping hits is not punished, and a hit at the wrong place is both a miss and
a false alarm.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from healthlint.engine import Linter
from healthlint.errors import HealthlintError
from healthlint.finding import CATEGORIES, Finding

CASE_KEYS = frozenset({"id", "text", "expect", "note", "ignore_categories", "format"})
FORMATS = ("text", "markdown", "html")
#: The parts of every labelled or corpus set: `tuned` is what rules may be tuned on; `locked`
#: (about 30%, chosen by a hash of each id so it never moves) is looked at only to report.
PARTS = ("tuned", "locked")
_LOCKED_SHARE = 77  # of 256: the first byte of the hash below this is locked (30%)
EXPECT_KEYS = frozenset({"category", "text", "occurrence"})
#: The evaluation set of a checkout (the folder is not installed with the package).
DEFAULT_CASES = Path(__file__).resolve().parents[2] / "tests" / "eval"


class CaseError(HealthlintError):
    """An evaluation file that cannot be scored: bad YAML, unknown keys, text not in the case."""


def part_of(identifier: str) -> str:
    """`locked` or `tuned`: fixed by the id alone, so adding cases never moves old ones."""
    digest = hashlib.sha256(f"healthlint-part:{identifier}".encode()).digest()
    return "locked" if digest[0] < _LOCKED_SHARE else "tuned"


@dataclass(frozen=True)
class Expected:
    """One finding a case requires: `category` somewhere over `text` at [start, end)."""

    category: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    expect: tuple[Expected, ...]
    ignore_categories: frozenset[str] = frozenset()
    note: str = ""
    path: str = ""
    format: str = "text"

    @property
    def part(self) -> str:
        return part_of(self.id)

    @property
    def clean(self) -> bool:
        """A clean case must get no finding of any category it does not ignore."""
        return not self.expect


class Reported(Protocol):
    """What the scorer reads of a finding; `healthlint.Finding` has these attributes."""

    @property
    def category(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def rule(self) -> str: ...


@dataclass(frozen=True)
class Span:
    """A bare finding, to score the output of another tool or a hand-made answer."""

    category: str
    start: int
    end: int
    text: str = ""
    rule: str = ""


@dataclass(frozen=True)
class Outcome:
    """One miss (an expected finding not reported) or false alarm (a finding not expected)."""

    case: str
    category: str
    text: str
    rule: str = ""


@dataclass
class Tally:
    tp: int = 0
    fn: int = 0
    fp: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    tallies: dict[str, Tally] = field(default_factory=dict)
    misses: list[Outcome] = field(default_factory=list)
    false_alarms: list[Outcome] = field(default_factory=list)
    cases: int = 0
    clean_cases: int = 0
    clean_flagged: list[str] = field(default_factory=list)

    @property
    def clean_flagged_share(self) -> float:
        return len(self.clean_flagged) / self.clean_cases if self.clean_cases else 0.0


def _fail(path: Path, message: str) -> CaseError:
    return CaseError(message, path=str(path))


def _locate(path: Path, case_id: str, text: str, needle: str, occurrence: int) -> tuple[int, int]:
    pos = -1
    for _ in range(occurrence):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            raise _fail(path, f"case {case_id}: {needle!r} occurs fewer than {occurrence} times")
    return pos, pos + len(needle)


def _parse_expected(path: Path, case_id: str, text: str, raw: Any) -> Expected:
    """One expected finding; without `text` it may be anywhere in the case (a document-level
    finding such as missing-disclaimer, whose position is the rule's choice)."""
    if not isinstance(raw, dict) or "category" not in raw:
        raise _fail(path, f"case {case_id}: each expect entry needs a category")
    unknown = raw.keys() - EXPECT_KEYS
    if unknown:
        raise _fail(path, f"case {case_id}: unknown expect key {sorted(unknown)[0]!r}")
    occurrence = raw.get("occurrence", 1)
    if not isinstance(occurrence, int) or occurrence < 1:
        raise _fail(path, f"case {case_id}: occurrence must be a positive integer")
    category = str(raw["category"])
    if category not in CATEGORIES:
        raise _fail(path, f"case {case_id}: unknown category {category!r}")
    if "text" not in raw:
        return Expected(category, "", 0, len(text))
    needle = str(raw["text"])
    start, end = _locate(path, case_id, text, needle, occurrence)
    return Expected(category, needle, start, end)


def _parse_case(path: Path, raw: Any) -> Case:
    if not isinstance(raw, dict) or not {"id", "text"} <= raw.keys():
        raise _fail(path, f"every case needs an id and a text: {str(raw)[:60]!r}")
    case_id = str(raw["id"])
    unknown = raw.keys() - CASE_KEYS
    if unknown:
        raise _fail(path, f"case {case_id}: unknown key {sorted(unknown)[0]!r}")
    text = raw["text"]
    if not isinstance(text, str) or not text.strip():
        raise _fail(path, f"case {case_id}: text must be a non-empty string")
    expect = raw.get("expect") or []
    if not isinstance(expect, list):
        raise _fail(path, f"case {case_id}: expect must be a list")
    ignore = raw.get("ignore_categories") or []
    if not isinstance(ignore, list) or not set(map(str, ignore)) <= set(CATEGORIES):
        raise _fail(path, f"case {case_id}: ignore_categories must list known categories")
    fmt = raw.get("format", "text")
    if fmt not in FORMATS:
        raise _fail(path, f"case {case_id}: format must be one of {', '.join(FORMATS)}")
    expected = tuple(_parse_expected(path, case_id, text, e) for e in expect)
    if {e.category for e in expected} & set(map(str, ignore)):
        raise _fail(path, f"case {case_id}: a category cannot be both expected and ignored")
    return Case(
        id=case_id,
        text=text,
        expect=expected,
        ignore_categories=frozenset(str(c) for c in ignore),
        note=str(raw.get("note") or ""),
        path=str(path),
        format=fmt,
    )


def load_file(path: Path) -> list[Case]:
    """Parse one evaluation file; every problem names the file and the case."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise _fail(path, f"cannot read evaluation cases: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise _fail(path, "an evaluation file holds a mapping with a 'cases' list")
    return [_parse_case(path, raw) for raw in data["cases"]]


def load_cases(directory: Path) -> list[Case]:
    """All cases of every ``*.yaml`` file in `directory`, in file order; ids must be unique."""
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise CaseError("no evaluation files (*.yaml)", path=str(directory))
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for path in files:
        for case in load_file(path):
            if case.id in seen:
                raise _fail(path, f"case id {case.id!r} is also used in {seen[case.id]}")
            seen[case.id] = case.path
            cases.append(case)
    return cases


def _overlaps(span: Reported, expected: Expected) -> bool:
    return span.start < expected.end and span.end > expected.start


def score_case(case: Case, findings: Iterable[Reported], report: Report) -> None:
    """Add one case's true positives, misses and false alarms to `report`."""
    reported = [f for f in findings if f.category not in case.ignore_categories]
    report.cases += 1
    for expected in case.expect:
        tally = report.tallies.setdefault(expected.category, Tally())
        if any(f.category == expected.category and _overlaps(f, expected) for f in reported):
            tally.tp += 1
        else:
            tally.fn += 1
            report.misses.append(Outcome(case.id, expected.category, expected.text))
    for finding in reported:
        if not any(e.category == finding.category and _overlaps(finding, e) for e in case.expect):
            report.tallies.setdefault(finding.category, Tally()).fp += 1
            report.false_alarms.append(
                Outcome(case.id, finding.category, finding.text, finding.rule)
            )
    if case.clean:
        report.clean_cases += 1
        if reported:
            report.clean_flagged.append(case.id)


def evaluate(cases: Sequence[Case], lint: Callable[[str, str], Iterable[Reported]]) -> Report:
    """Score `lint` ((text, format) → findings) on `cases`."""
    report = Report()
    for case in cases:
        score_case(case, lint(case.text, case.format), report)
    return report


def format_report(report: Report, *, verbose: bool = False) -> str:
    """The table, and with `verbose` every miss and false alarm, one per line."""
    lines = [f"{'category':<24}{'TP':>5}{'FN':>5}{'FP':>5}{'precision':>11}{'recall':>8}{'F1':>7}"]
    order = {c: i for i, c in enumerate(CATEGORIES)}
    for category in sorted(report.tallies, key=lambda c: (order.get(c, len(order)), c)):
        t = report.tallies[category]
        lines.append(
            f"{category:<24}{t.tp:>5}{t.fn:>5}{t.fp:>5}"
            f"{t.precision:>11.3f}{t.recall:>8.3f}{t.f1:>7.3f}"
        )
    lines.append(
        f"{report.cases} cases; {len(report.clean_flagged)} of {report.clean_cases} clean cases "
        f"got a finding ({report.clean_flagged_share:.1%})"
    )
    if verbose:
        lines.extend(f"miss         {o.case}: {o.category} at {o.text!r}" for o in report.misses)
        lines.extend(
            f"false alarm  {o.case}: {o.category} ({o.rule}) at {o.text!r}"
            for o in report.false_alarms
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="healthlint eval", description="Score the rule packs on labelled cases."
    )
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES, help="folder of *.yaml")
    parser.add_argument(
        "--part",
        choices=(*PARTS, "all", "both"),
        default="both",
        help="tuned, locked, all cases together, or both parts side by side (default)",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="list every miss and false alarm (of the tuned part only: the locked part is "
        "for reporting)",
    )
    args = parser.parse_args(argv)
    try:
        cases = load_cases(args.cases)
        linter = Linter()
    except HealthlintError as exc:
        print(exc, file=sys.stderr)
        return 2

    def lint(text: str, fmt: str) -> list[Finding]:
        return linter.lint(text, format=fmt)

    parts = {"both": PARTS, "all": ("all",)}.get(args.part, (args.part,))
    for part in parts:
        chosen = [c for c in cases if part in ("all", c.part)]
        verbose = args.verbose and part == "tuned"
        print(f"[{part}]" if len(parts) > 1 else "", end="\n" if len(parts) > 1 else "")
        print(format_report(evaluate(chosen, lint), verbose=verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
