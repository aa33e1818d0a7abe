"""Rule documentation for people, generated from the rule packs.

`healthlint rules` lists every rule on one line; `healthlint explain RULE` prints what a rule
flags, why (its legal basis), what to write instead, its good and bad examples from the YAML
and how to suppress it. SARIF's rule help is the same text, so the two never drift apart.
`healthlint explain --trace TEXT` shows every candidate hit and which context filter kept or
dropped it, and why.
"""

from __future__ import annotations

from collections.abc import Sequence

from healthlint.finding import Candidate, RuleInfo
from healthlint.formatters.escape import printable

_TITLES = {
    "zh": (
        "标记内容",
        "依据",
        "建议写法",
        "自动修复 (--fix)",
        "会被标记",
        "不会被标记",
        "如何忽略",
    ),
    "en": (
        "What it flags",
        "Why",
        "Instead",
        "Fix (--fix)",
        "Flagged",
        "Not flagged",
        "How to suppress",
    ),
}
_FIX_WORDS = {
    "zh": ("删除标记的文字", "替换为"),
    "en": ("deletes the flagged text", "replaces it with"),
}


def suppression_hint(rule_id: str) -> tuple[str, str]:
    """The comment that silences one finding of `rule_id`, and the one for a whole file."""
    return (
        f"<!-- healthlint-disable-next-line {rule_id} -->",
        f"<!-- healthlint-disable {rule_id} -->",
    )


def summary(rule: RuleInfo) -> str:
    """The rule's message on one line."""
    return " ".join(rule.message.split())


def _sections(rule: RuleInfo, language: str) -> list[tuple[str, list[str]]]:
    what, why, instead, fixes, flagged, not_flagged, suppress = _TITLES.get(language, _TITLES["en"])
    sections = [(what, [summary(rule)]), (why, [rule.basis])]
    if rule.description:
        sections[0][1].append(" ".join(rule.description.split()))
    if rule.suggestion:
        sections.append((instead, [rule.suggestion]))
    fix = rule.fix
    if fix is not None:
        deletes, replaces = _FIX_WORDS.get(language, _FIX_WORDS["en"])
        sections.append(
            (fixes, [f"{replaces} “{fix.replacement}”" if fix.replacement else deletes])
        )
    if rule.bad_examples:
        sections.append((flagged, list(rule.bad_examples)))
    if rule.good_examples:
        sections.append((not_flagged, list(rule.good_examples)))
    sections.append((suppress, list(suppression_hint(rule.id))))
    return sections


def _heading(rule: RuleInfo) -> str:
    return f"{rule.id} ({rule.category}, {rule.severity})"


def explain_text(rule: RuleInfo, language: str = "zh") -> str:
    """Plain text, for the terminal and SARIF `help.text`."""
    out = [_heading(rule)]
    for title, lines in _sections(rule, language):
        out += ["", f"{title}:", *(f"  {line}" for line in lines)]
    return "\n".join(out) + "\n"


def explain_markdown(rule: RuleInfo, language: str = "zh") -> str:
    """Markdown, for SARIF `help.markdown` (GitHub shows it next to an alert)."""
    out = [f"**{_heading(rule)}**"]
    for title, lines in _sections(rule, language):
        out += ["", f"**{title}**", ""]
        out += [f"- `{line}`" if line.startswith("<!--") else f"- {line}" for line in lines]
    return "\n".join(out) + "\n"


def rules_table(rules: Sequence[RuleInfo]) -> str:
    """One line per rule: id, category, severity, summary, in aligned columns."""
    rows = [(r.id, r.category, r.severity, summary(r)) for r in rules]
    if not rows:
        return ""
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in rows
    ]
    return "\n".join(lines) + "\n"


_TRACE_WORDS = {
    "zh": ("报告", "不报告", "被行内注释屏蔽", "通过", "同一位置已由 {rule} 报告"),
    "en": ("finding", "dropped", "suppressed by an inline comment", "passed", "covered by {rule}"),
}


def trace_text(candidates: Sequence[Candidate], language: str = "zh") -> str:
    """Each candidate hit on one line with its verdict, then every filter that dropped it and
    why, then the filters it passed."""
    kept, dropped, suppressed, passed, covered = _TRACE_WORDS.get(language, _TRACE_WORDS["en"])
    out = []
    for candidate in candidates:
        f = candidate.finding
        if candidate.kept:
            verdict = kept
        elif not candidate.passed:
            verdict = dropped
        elif candidate.suppressed:
            verdict = suppressed
        else:
            verdict = covered.format(rule=candidate.covered_by)
        out.append(f"{f.line}:{f.column} {f.rule} “{printable(f.text)}”: {verdict}")
        out += [f"    ✗ {name}: {why}" for name, why in candidate.verdicts if why is not None]
        fine = [name for name, why in candidate.verdicts if why is None]
        if fine:
            out.append(f"    ✓ {passed}: {', '.join(fine)}")
    return "".join(line + "\n" for line in out)
