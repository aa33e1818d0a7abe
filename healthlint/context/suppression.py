"""Inline suppressions in Markdown/HTML comments, which readers never show as prose.

    <!-- healthlint-disable-next-line cure-promise -->
    <!-- healthlint-disable-line overclaim -->
    <!-- healthlint-disable share-solicitation --> … <!-- healthlint-enable -->

Each directive names the rules or categories it silences (comma or space separated); a
directive naming none silences everything, which is allowed but shown in `explain`.

Nothing is silent (ruff's unused-noqa, eslint's reportUnusedDisableDirectives): `review` turns
a directive naming a rule or category that does not exist into an `unknown-suppression`
warning, and one that silences nothing into an `unused-suppression` warning, at the comment.
A platform that lints what others submit turns directives off altogether (`inline_config:
false`), so a submission cannot silence its own findings; `disarm` makes a text's directives
inert for a linter that would otherwise honour them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from healthlint.document import Document
from healthlint.finding import Finding, RuleInfo

DIRECTIVE = re.compile(
    r"<!--\s*healthlint-(?P<what>disable-next-line|disable-line|disable|enable)\b(?P<names>[\s\S]*?)-->"
)
UNUSED, UNKNOWN = "unused-suppression", "unknown-suppression"
#: Not a content category: these findings are about healthlint's own comments in the text.
CATEGORY = "suppression"
_BASIS = "healthlint"
_MESSAGES = {
    UNUSED: {
        "zh": "屏蔽注释 {names} 没有屏蔽任何问题，请删除它。",
        "en": "The suppression comment for {names} silences nothing; remove it.",
    },
    UNKNOWN: {
        "zh": "屏蔽注释中的 {names} 不是已知的规则或类别，它不会屏蔽任何问题。",
        "en": "{names} in the suppression comment is no known rule or category; it silences "
        "nothing.",
    },
}
_SUGGESTIONS = {
    UNUSED: {"zh": "删除这条注释。", "en": "Delete the comment."},
    UNKNOWN: {
        "zh": "改为 `healthlint rules` 列出的规则 id 或类别名。",
        "en": "Use a rule id or category `healthlint rules` lists.",
    },
}


@dataclass(frozen=True)
class Suppression:
    start: int
    end: int
    names: frozenset[str] | None  # None: every rule
    #: the comment that says so: (start, end) in the source
    directive: tuple[int, int] = (0, 0)

    def covers(self, finding: Finding) -> bool:
        return self.start <= finding.start < self.end and (
            self.names is None or finding.rule in self.names or finding.category in self.names
        )


def has_directives(text: str) -> bool:
    """Cheap test before any parsing: almost no text has a directive."""
    return "healthlint-" in text and DIRECTIVE.search(text) is not None


def disarm(text: str) -> str:
    """`text` with every directive made inert, same length and same markup: ``healthlint-`` in a
    directive becomes ``healthlint_``, so a comment stays a comment for every reader."""
    return DIRECTIVE.sub(lambda m: m.group(0).replace("healthlint-", "healthlint_", 1), text)


def parse(document: Document) -> tuple[Suppression, ...]:
    """The suppressed regions of a document, from its directive comments."""
    source = document.source
    if "healthlint-" not in source:
        return ()
    out: list[Suppression] = []
    open_blocks: list[tuple[int, frozenset[str] | None, tuple[int, int]]] = []
    for m in DIRECTIVE.finditer(source):
        what, names, where = m.group("what"), _names(m), m.span()
        if what == "disable":
            open_blocks.append((m.end(), names, where))
        elif what == "enable":
            still_open = []
            for start, block, opened in open_blocks:
                if names is None or block is None or block <= names:
                    out.append(Suppression(start, m.start(), block, opened))
                else:
                    out.append(Suppression(start, m.start(), block & names, opened))
                    still_open.append((m.end(), block - names, opened))
            open_blocks = still_open
        else:
            line, _ = document.position(m.end() - 1)
            if what == "disable-next-line":
                line += 1
            if line <= len(document.line_starts):
                start = document.line_starts[line - 1]
                end = (
                    document.line_starts[line] if line < len(document.line_starts) else len(source)
                )
                out.append(Suppression(start, end, names, where))
    out.extend(Suppression(start, len(source), names, at) for start, names, at in open_blocks)
    return tuple(out)


def _names(match: re.Match[str]) -> frozenset[str] | None:
    return frozenset(re.split(r"[\s,]+", match.group("names").strip())) - {""} or None


def suppressed(finding: Finding, suppressions: tuple[Suppression, ...]) -> bool:
    return any(s.covers(finding) for s in suppressions)


def review(
    document: Document,
    findings: Iterable[Finding],
    *,
    active: Iterable[str],
    known: Iterable[str],
    language: str = "zh",
) -> list[Finding]:
    """The findings no directive silences, then a warning for each directive name that is not
    `known` (a rule id or category that exists) and for each directive, or name of it, that
    silenced nothing. `active` holds the running rules' ids and categories: a directive for a
    rule switched off by the configuration is neither unknown nor unused."""
    suppressions = parse(document)
    findings = list(findings)
    if not suppressions:
        return findings
    active, known = set(active), set(known)
    kept = [f for f in findings if not suppressed(f, suppressions)]
    used: dict[tuple[int, int], set[str | None]] = {}
    for s in suppressions:
        for f in findings:
            if s.covers(f):
                names = used.setdefault(s.directive, set())
                names.add(None if s.names is None else f.rule if f.rule in s.names else f.category)
    notes: dict[tuple[str, tuple[int, int]], list[str]] = {}
    for s in _by_directive(suppressions):
        hit = used.get(s.directive, set())
        if s.names is None:
            if not hit:
                notes.setdefault((UNUSED, s.directive), []).append("")
            continue
        for name in sorted(s.names):
            if name not in known:
                notes.setdefault((UNKNOWN, s.directive), []).append(name)
            elif name in active and name not in hit:
                notes.setdefault((UNUSED, s.directive), []).append(name)
    extra = [
        _note(document, rule, where, names, language) for (rule, where), names in notes.items()
    ]
    return kept + extra


def _by_directive(suppressions: tuple[Suppression, ...]) -> list[Suppression]:
    """One entry per directive, with every name it ever named (an `enable` splits a block into
    pieces that all point back at the same comment)."""
    merged: dict[tuple[int, int], Suppression] = {}
    for s in suppressions:
        seen = merged.get(s.directive)
        if seen is None:
            merged[s.directive] = s
        elif seen.names is not None and s.names is not None:
            merged[s.directive] = Suppression(s.start, s.end, seen.names | s.names, s.directive)
    return sorted(merged.values(), key=lambda s: s.directive)


def _note(
    document: Document, rule: str, where: tuple[int, int], names: list[str], language: str
) -> Finding:
    start, end = where
    line, column = document.position(start)
    end_line, end_column = document.position(end - 1)
    shown = "、".join(names) if language == "zh" else ", ".join(names)
    words = "zh" if language == "zh" else "en"
    message = _MESSAGES[rule][words].format(names=shown or ("（全部）" if words == "zh" else "all"))
    return Finding(
        rule=rule,
        category=CATEGORY,
        severity="warning",
        message=" ".join(message.split()),
        start=start,
        end=end,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        text=document.source[start:end],
        suggestion=_SUGGESTIONS[rule][words],
        basis=_BASIS,
    )


def rules(language: str = "zh") -> tuple[RuleInfo, ...]:
    """The two notices as rule metadata, for `healthlint rules` and SARIF's rule list."""
    words = "zh" if language == "zh" else "en"
    return tuple(
        RuleInfo(
            id=rule,
            kind="suppression",
            category=CATEGORY,
            severity="warning",
            message=_MESSAGES[rule][words].format(names="…"),
            basis=_BASIS,
            suggestion=_SUGGESTIONS[rule][words],
            description=None,
            fix=None,
            bad_examples=(),
            good_examples=(),
            path="(built in)",
        )
        for rule in (UNUSED, UNKNOWN)
    )
