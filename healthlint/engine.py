"""The Linter: rules compiled once, then text → Document → matching text → findings.

Per call it builds an `Analysis` (thrown away afterwards), runs every active rule's matcher,
keeps the hits that survive the context filters, and maps each back to the exact source
characters. No I/O and no printing happen here; a `Linter` never changes after construction,
so one instance can serve many threads, and it pickles as its configuration.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from healthlint import context, suppression
from healthlint.analysis import Analysis, RegexTimeout
from healthlint.cache import cached_rules
from healthlint.config import Config
from healthlint.document import Document, format_for_path
from healthlint.document.normalize import normalize
from healthlint.document.segment import Segmenter
from healthlint.document.sentences import layout
from healthlint.errors import ConfigError, RuleError, RuleTimeoutError
from healthlint.finding import CATEGORIES, Finding, Severity
from healthlint.matching import Prefilters, TermIndex
from healthlint.rules import Condition, Rule, default_rules_dir


@dataclass(frozen=True)
class RuleInfo:
    """A rule's metadata as API users and formatters see it, in the configured language."""

    id: str
    kind: str
    category: str
    severity: str
    message: str
    basis: str
    suggestion: str | None
    description: str | None
    fix: object
    bad_examples: tuple[str, ...]
    good_examples: tuple[str, ...]
    path: str


class Linter:
    """Lints texts with the shipped rule packs plus whatever `config` adds or removes."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        directories = [default_rules_dir()] if self.config.default_rules else []
        ruleset = cached_rules([*directories, *self.config.rules_dirs])
        _check_names(self.config, ruleset.rules)
        self._rules = tuple(r for r in ruleset.rules if _active(r, self.config))
        self._index = ruleset.index
        self._prefilters = Prefilters(ruleset.prefilters)
        self._triggers = tuple(r.matcher.triggers(self._prefilters) for r in self._rules)
        self._cues = ruleset.cues
        self._allowed = TermIndex(normalize(a).text for a in self.config.allow)
        self._segmenter = Segmenter()

    def __reduce__(self) -> tuple[type[Linter], tuple[Config]]:
        return (Linter, (self.config,))

    @property
    def rules(self) -> tuple[RuleInfo, ...]:
        """Metadata of every active rule, in load order."""
        return tuple(self._info(r) for r in self._rules)

    def lint(
        self, text: str, *, format: str | None = None, path: str | None = None
    ) -> list[Finding]:
        """Findings in `text`, sorted by position. `format` is text, markdown or html
        (default: from `path`'s extension, else text).

        A rule whose regex runs past its time limit does not hang the call: the other rules
        finish, then `RuleTimeoutError` carries their findings and names the slow rules."""
        document = Document.parse(text, format or format_for_path(path))
        normalized = normalize(document.prose)
        offsets = normalized.offsets
        headings = [(offsets.to_norm(s), offsets.to_norm(e)) for s, e in document.headings]
        analysis = Analysis(
            document,
            normalized,
            layout(
                normalized.text, paragraph_per_line=document.format != "markdown", headings=headings
            ),
            self._index,
            self._segmenter,
            self._prefilters,
        )
        allowed = sorted((s, e) for s, e, _ in self._allowed.find(normalized.text))
        findings = {}
        timed_out: dict[str, RuleError] = {}
        present = analysis.found_terms()
        for rule, triggers in zip(self._rules, self._triggers, strict=True):
            if triggers is not None and triggers.isdisjoint(present):
                continue  # nothing it could match is in the text
            try:
                for start, end in rule.matcher.check(analysis):
                    if any(s <= start and end <= e for s, e in allowed) or not self._keep(
                        rule, analysis, start, end
                    ):
                        continue
                    finding = self._finding(rule, analysis, start, end)
                    if finding is not None:
                        findings[(finding.rule, finding.start, finding.end)] = finding
            except RegexTimeout as exc:
                timed_out[rule.id] = RuleError(
                    f"rule {rule.id}: regex {exc.pattern!r} did not finish within "
                    f"{exc.seconds:.1f}s; its findings may be incomplete",
                    path=rule.path,
                    line=rule.line,
                )
        suppressions = suppression.parse(document)
        kept = (f for f in findings.values() if not suppression.suppressed(f, suppressions))
        result = sorted(kept, key=lambda f: f.sort_key)
        if timed_out:
            raise RuleTimeoutError(list(timed_out.values()), list(timed_out), result)
        return result

    def lint_many(
        self, texts: Iterable[str], *, jobs: int | None = None, format: str | None = None
    ) -> Iterator[list[Finding]]:
        """Lint many texts over `jobs` processes (default: all cores), results in input order.

        The input is consumed lazily and only a few chunks are in flight, so a generator over
        a file larger than memory is fine; each worker builds this Linter once.
        """
        from healthlint.parallel import ordered_map

        return ordered_map(_lint_one, (self, format), texts, jobs)

    def _keep(self, rule: Rule, analysis: Analysis, start: int, end: int) -> bool:
        """The context filters every kind shares, cheapest first."""
        sentence = analysis.layout.sentence_at(start)
        if sentence.reference and analysis.layout.reference_start is not None:
            return False
        if ("heading" if sentence.heading else "body") not in rule.scopes:
            return False
        if rule.exceptions and rule.exceptions.covering(analysis, start, end):
            return False
        if not all(_holds(c, analysis, start, end) for c in rule.requires):
            return False
        if any(_holds(c, analysis, start, end) for c in rule.unless):
            return False
        if rule.negatable and context.negated(analysis, self._cues, start, end):
            return False
        if rule.quotable and context.quoted(analysis, self._cues, start, end):
            return False
        return not rule.word_boundary or analysis.on_word_boundaries(start, end)

    def _finding(self, rule: Rule, analysis: Analysis, start: int, end: int) -> Finding | None:
        document = analysis.document
        source_start, source_end = analysis.offsets.span_to_source(start, end)
        source = document.source
        while source_start < source_end and source[source_start].isspace():
            source_start += 1
        while source_end > source_start and source[source_end - 1].isspace():
            source_end -= 1
        if source_start >= source_end:
            return None
        severity = rule.severity
        if any(_holds(c, analysis, start, end) for c in rule.escalate):
            severity = severity.raised()
        override = self.config.severity.get(rule.id) or self.config.severity.get(rule.category)
        if override:
            severity = Severity(override)
        line, column = document.position(source_start)
        end_line, end_column = document.position(source_end - 1)
        language = self.config.language
        return Finding(
            rule=rule.id,
            category=rule.category,
            severity=severity.value,
            message=rule.message(language),
            start=source_start,
            end=source_end,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            text=source[source_start:source_end],
            suggestion=rule.suggestion(language),
            basis=rule.basis,
        )

    def _info(self, rule: Rule) -> RuleInfo:
        language = self.config.language
        return RuleInfo(
            id=rule.id,
            kind=rule.kind,
            category=rule.category,
            severity=(
                Severity(
                    self.config.severity.get(rule.id)
                    or self.config.severity.get(rule.category)
                    or rule.severity
                )
            ).value,
            message=rule.message(language),
            basis=rule.basis,
            suggestion=rule.suggestion(language),
            description=rule.description(language),
            fix=rule.fix,
            bad_examples=tuple(e.text for e in rule.bad),
            good_examples=rule.good,
            path=rule.path,
        )


def _lint_one(job: tuple[Linter, str | None], text: str) -> list[Finding]:
    """`Linter.lint` as a module-level function, so worker processes can unpickle it."""
    linter, format = job
    return linter.lint(text, format=format)


def _holds(condition: Condition, analysis: Analysis, start: int, end: int) -> bool:
    lo, hi = analysis.scope(condition.scope, start, end, condition.window)
    if condition.side == "before":
        hi = end
    elif condition.side == "after":
        lo = start
    return condition.vocabulary.within(analysis, lo, hi)


def _active(rule: Rule, config: Config) -> bool:
    names = {rule.id, rule.category}
    if config.select and not names & set(config.select):
        return False
    return not names & set(config.ignore)


def _check_names(config: Config, rules: tuple[Rule, ...]) -> None:
    """A misspelt rule id in select/ignore/severity would silently do nothing: refuse it."""
    known = {r.id for r in rules} | set(CATEGORIES)
    for key, names in (
        ("select", config.select),
        ("ignore", config.ignore),
        ("severity", tuple(config.severity)),
    ):
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ConfigError(f"{key}: unknown rule or category {unknown[0]!r}", path=config.path)
