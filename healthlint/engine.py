"""The Linter: rules compiled once, then text → Document → matching text → findings.

Per call it builds an `Analysis` (thrown away afterwards), runs every active rule's matcher,
passes each candidate hit through the context filters (`healthlint.context`), and maps the
survivors back to the exact source characters, one finding per category and span. No I/O
and no printing happen here; a `Linter` never changes after construction, so one instance can
serve many threads, and it pickles as its configuration.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

from healthlint import context
from healthlint.config import Config
from healthlint.context import register, suppression
from healthlint.context.base import Cues, Hit
from healthlint.context.conditions import occurrence
from healthlint.document import Document, windows
from healthlint.document.normalize import normalize
from healthlint.document.segment import Segmenter
from healthlint.document.sentences import layout
from healthlint.errors import ConfigError, RuleError, RuleTimeoutError
from healthlint.finding import CATEGORIES, Candidate, Finding, Result, RuleInfo, Severity
from healthlint.matching.analysis import Analysis, RegexTimeout
from healthlint.matching.prefilter import Prefilters
from healthlint.matching.terms import TermIndex
from healthlint.rules.cache import cached_rules
from healthlint.rules.load import VOCABULARY_FOLDER, Rule, default_rules_dir
from healthlint.sources.files import format_for_path


class Linter:
    """Lints texts with the shipped rule packs plus whatever `config` adds or removes.

    `cache_dir` is where compiled rule packs are kept between runs (the command line passes
    `healthlint.rules.cache.default_cache_dir()`); None, the default, keeps nothing on disk.
    """

    def __init__(
        self, config: Config | None = None, *, cache_dir: str | os.PathLike[str] | None = None
    ) -> None:
        self.config = config or Config()
        self.cache_dir = None if cache_dir is None else Path(cache_dir)
        shipped = default_rules_dir()
        # Without the shipped rules their word lists stay: the context filters and house
        # rules (`@diseases`) read them.
        directories = [shipped if self.config.default_rules else shipped / VOCABULARY_FOLDER]
        ruleset = cached_rules(
            [*directories, *self.config.rules_dirs],
            folder=self.cache_dir,
            filters=tuple(context.OPTIONAL),
            cues=context.CUE_LISTS,
        )
        missing = [name for name in context.CUE_LISTS if name not in ruleset.cues]
        if missing:
            raise RuleError(
                f"the context filters need the lexicon lists {', '.join(missing)}, which no "
                "loaded rules folder defines",
                path=self.config.path,
            )
        _check_names(self.config, ruleset.rules)
        self._rules = tuple(r for r in ruleset.rules if _active(r, self.config))
        #: every name a suppression comment may give: rule ids, switched on or not, categories
        notices = (suppression.UNUSED, suppression.UNKNOWN)
        self._known = frozenset(
            {r.id for r in ruleset.rules} | set(CATEGORIES) | {*notices, suppression.CATEGORY}
        )
        self._active_names = frozenset(
            {r.id for r in self._rules} | {r.category for r in self._rules}
        )
        self._notices = frozenset(
            n for n in notices if _named_active(n, suppression.CATEGORY, self.config)
        )
        self._chains = tuple(context.chain(r.filters) for r in self._rules)
        self._index = ruleset.index
        self._prefilters = Prefilters(ruleset.prefilters)
        self._triggers = tuple(r.matcher.triggers(self._prefilters) for r in self._rules)
        allowed = TermIndex(normalize(a).text for a in self.config.allow)
        self._cues = Cues(ruleset.cues, allowed if allowed.terms else None, self.config.profile)
        self._segmenter = Segmenter()

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.config, self.cache_dir))

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
        return self.check(text, format=format, path=path).findings

    def check(self, text: str, *, format: str | None = None, path: str | None = None) -> Result:
        """The findings in `text`, as `lint` gives them, with the text's register and the
        product types it sells (`Result`).

        A text longer than `windows.WINDOW` characters is analysed window by window (cut at
        paragraph ends), so memory follows the window, not the text; each window is judged as
        a document of its own (register, document conditions, the disclaimer), and a
        document-level finding is reported once."""
        fmt = format or format_for_path(path)
        timed_out: dict[str, RuleError] = {}
        if len(text) <= windows.WINDOW or fmt == "html":
            analysis = self._analyse(text, fmt)
            found = list(self._findings(analysis, timed_out).values())
            document, result = analysis.document, self._result(analysis, [])
        else:
            found, result = self._check_windows(text, fmt, timed_out)
            document = Document.parse(text, fmt)
        kept = sorted(self._unsuppressed(document, found), key=lambda f: f.sort_key)
        if timed_out:
            raise RuleTimeoutError(list(timed_out.values()), list(timed_out), kept)
        return Result(kept, result.register, result.product_types, result.promotional)

    def _findings(
        self, analysis: Analysis, timed_out: dict[str, RuleError]
    ) -> dict[tuple[str, int, int], Finding]:
        """The findings of one analysis, one per category and span, before suppressions."""
        findings: dict[tuple[str, int, int], Finding] = {}
        for rule, chain, spans in self._candidates(analysis, timed_out):
            for start, end in spans:
                if context.first_drop(chain, Hit(rule, analysis, start, end), self._cues):
                    continue
                finding = self._finding(rule, analysis, start, end)
                if finding is not None:
                    _keep(findings, finding)
        return findings

    def _check_windows(
        self, text: str, fmt: str, timed_out: dict[str, RuleError]
    ) -> tuple[list[Finding], Result]:
        """Findings and register of a long text, one window at a time."""
        found: list[Finding] = []
        registers: list[str] = []
        products: dict[str, None] = {}
        promotional: list[tuple[int, int]] = []
        documentwide = {r.id for r in self._rules if r.kind in _DOCUMENT_KINDS}
        reported: set[str] = set()
        for window in windows.windows(text, fmt):
            analysis = self._analyse(text[window.start : window.end], fmt)
            part = self._result(analysis, [])
            registers.append(part.register)
            products.update(dict.fromkeys(part.product_types))
            promotional += [(a + window.start, b + window.start) for a, b in part.promotional]
            for finding in self._findings(analysis, timed_out).values():
                if finding.rule in documentwide:
                    if finding.rule in reported:
                        continue  # a document-level finding is reported once
                    reported.add(finding.rule)
                found.append(_shifted(finding, window))
        judged = next((r for r in registers if r == register.PROMOTIONAL), registers[0])
        return found, Result([], judged, tuple(products), tuple(promotional))

    def trace(self, text: str, *, format: str | None = None) -> list[Candidate]:
        """Every candidate hit and what each context filter said of it, in text order: why a
        phrase is, or is not, a finding. Rules that time out are left out."""
        analysis = self._analyse(text, format or "text")
        suppressions = suppression.parse(analysis.document) if self.config.inline_config else ()
        out = []
        chosen: dict[tuple[str, int, int], Finding] = {}
        for rule, chain, spans in self._candidates(analysis, {}):
            for start, end in spans:
                finding = self._finding(rule, analysis, start, end)
                if finding is None:
                    continue
                hit = Hit(rule, analysis, start, end)
                verdicts = tuple(
                    (name, None if drop is None else context.reason(drop, self.config.language))
                    for name, drop in context.verdicts(chain, hit, self._cues)
                )
                silenced = suppression.suppressed(finding, suppressions)
                candidate = Candidate(finding, verdicts, silenced)
                if candidate.passed:
                    _keep(chosen, finding)
                out.append(candidate)
        covered = [
            replace(c, covered_by=kept.rule)
            if c.passed and (kept := chosen[_key(c.finding)]) is not c.finding
            else c
            for c in out
        ]
        return sorted(covered, key=lambda c: c.finding.sort_key)

    def code_findings(self, kind: str, content: str | None) -> list[Finding]:
        """The findings on one scannable code a picture holds (`kind` "qr" or "miniprogram",
        `content` its decoded text, None when undecoded): one per active rule that reports it.
        A code has no characters, so each finding is empty at offset 0; the image stage adds
        where the code is (`Finding.image`)."""
        found = []
        for rule in self._rules:
            if not rule.matcher.reports(kind, content):
                continue
            language = self.config.language
            found.append(
                Finding(
                    rule=rule.id,
                    category=rule.category,
                    severity=self._configured(rule, rule.severity).value,
                    message=rule.message(language),
                    start=0,
                    end=0,
                    line=1,
                    column=1,
                    end_line=1,
                    end_column=0,
                    text="",
                    suggestion=rule.suggestion(language),
                    basis=rule.basis,
                )
            )
        return found

    def lint_many(
        self, texts: Iterable[str], *, jobs: int | None = None, format: str | None = None
    ) -> Iterator[list[Finding]]:
        """Lint many texts over `jobs` processes (default: all cores), results in input order.

        The input is consumed lazily and only a few chunks are in flight, so a generator over
        a file larger than memory is fine; each worker builds this Linter once.
        """
        from healthlint.parallel import ordered_map

        return ordered_map(_lint_one, (self, format), texts, jobs)

    def _unsuppressed(self, document: Document, findings: Iterable[Finding]) -> list[Finding]:
        """The findings no directive comment silences, plus the notices about directives that
        name nothing known or silence nothing; with `inline_config: false` comments count for
        nothing, so a submission cannot silence its own findings."""
        if not self.config.inline_config or not suppression.has_directives(document.source):
            return list(findings)
        reviewed = suppression.review(
            document,
            findings,
            active=self._active_names,
            known=self._known,
            language=self.config.language,
        )
        return [
            self._overridden(f) if f.category == suppression.CATEGORY else f
            for f in reviewed
            if f.category != suppression.CATEGORY or f.rule in self._notices
        ]

    def _overridden(self, notice: Finding) -> Finding:
        """A notice about a directive, at the severity the configuration gives it."""
        override = self.config.severity.get(notice.rule) or self.config.severity.get(
            suppression.CATEGORY
        )
        return replace(notice, severity=Severity(override).value) if override else notice

    def _analyse(self, text: str, format: str) -> Analysis:
        document = Document.parse(text, format)
        normalized = normalize(document.prose)
        offsets = normalized.offsets
        headings = [(offsets.to_norm(s), offsets.to_norm(e)) for s, e in document.headings]
        sentences = layout(
            normalized.text, paragraph_per_line=document.format != "markdown", headings=headings
        )
        return Analysis(
            document, normalized, sentences, self._index, self._segmenter, self._prefilters
        )

    def _candidates(
        self, analysis: Analysis, timed_out: dict[str, RuleError]
    ) -> Iterator[tuple[Rule, tuple[ModuleType, ...], list[tuple[int, int]]]]:
        """Each rule that can match, its filter chain and its hits (matching-text spans); a
        rule that runs out of time is recorded in `timed_out` instead."""
        present = analysis.found_terms()
        for rule, chain, triggers in zip(self._rules, self._chains, self._triggers, strict=True):
            if triggers is not None and triggers.isdisjoint(present):
                continue  # nothing it could match is in the text
            try:
                spans = list(rule.matcher.check(analysis))
            except RegexTimeout as exc:
                timed_out[rule.id] = RuleError(
                    f"rule {rule.id}: regex {exc.pattern!r} did not finish within "
                    f"{exc.seconds:.1f}s; its findings may be incomplete",
                    path=rule.path,
                    line=rule.line,
                )
                continue
            yield rule, chain, spans

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
        if any(occurrence(c, analysis, start, end) for c in rule.escalate):
            severity = severity.raised()
        severity = self._configured(rule, severity)
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
            register=register.at(analysis, self._cues, start),
        )

    def _result(self, analysis: Analysis, findings: list[Finding]) -> Result:
        found = register.of(analysis, self._cues)
        promotional = tuple(
            analysis.offsets.span_to_source(start, end)
            for (start, end), name in zip(analysis.layout.paragraphs, found.paragraphs, strict=True)
            if name == register.PROMOTIONAL and end > start
        )
        return Result(findings, found.document, found.product_types, promotional)

    def _configured(self, rule: Rule, severity: Severity) -> Severity:
        """`severity`, unless the configuration sets one for the rule or its category."""
        override = self.config.severity.get(rule.id) or self.config.severity.get(rule.category)
        return Severity(override) if override else severity

    def _info(self, rule: Rule) -> RuleInfo:
        language = self.config.language
        return RuleInfo(
            id=rule.id,
            kind=rule.kind,
            category=rule.category,
            severity=self._configured(rule, rule.severity).value,
            message=rule.message(language),
            basis=rule.basis,
            suggestion=rule.suggestion(language),
            description=rule.description(language),
            fix=rule.fix,
            bad_examples=tuple(e.text for e in rule.bad),
            good_examples=rule.good,
            path=rule.path,
        )


def _keep(findings: dict[tuple[str, int, int], Finding], finding: Finding) -> None:
    """Record `finding`, unless one of its category already covers the same characters: two
    rules that name one phrase for the same reason (健脾 as a medical-efficacy word and as an
    organ claim) are one problem to the reader. The more severe stays, else the one loaded
    later: a user's pack refines the shipped rules it follows."""
    key = _key(finding)
    seen = findings.get(key)
    if seen is None or Severity(finding.severity).rank >= Severity(seen.severity).rank:
        findings[key] = finding


#: Kinds whose finding is about the whole document, not about a span.
_DOCUMENT_KINDS = frozenset({"disclaimer"})


def _shifted(finding: Finding, window: windows.Window) -> Finding:
    """A window's finding, at its place in the whole text (windows start at a line start)."""
    return replace(
        finding,
        start=finding.start + window.start,
        end=finding.end + window.start,
        line=finding.line + window.line,
        end_line=finding.end_line + window.line,
    )


def _key(finding: Finding) -> tuple[str, int, int]:
    return (finding.category, finding.start, finding.end)


def _rebuild(config: Config, cache_dir: Path | None) -> Linter:
    return Linter(config, cache_dir=cache_dir)


def _lint_one(job: tuple[Linter, str | None], text: str) -> list[Finding]:
    """`Linter.lint` as a module-level function, so worker processes can unpickle it."""
    linter, format = job
    return linter.lint(text, format=format)


def _active(rule: Rule, config: Config) -> bool:
    return _named_active(rule.id, rule.category, config)


def _named_active(rule: str, category: str, config: Config) -> bool:
    names = {rule, category}
    if config.select and not names & set(config.select):
        return False
    return not names & set(config.ignore)


def _check_names(config: Config, rules: tuple[Rule, ...]) -> None:
    """A misspelt rule id in select/ignore/severity would silently do nothing: refuse it."""
    known = {r.id for r in rules} | set(CATEGORIES)
    known |= {suppression.UNUSED, suppression.UNKNOWN, suppression.CATEGORY}
    for key, names in (
        ("select", config.select),
        ("ignore", config.ignore),
        ("severity", tuple(config.severity)),
    ):
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ConfigError(f"{key}: unknown rule or category {unknown[0]!r}", path=config.path)
