"""SARIF 2.1.0 as GitHub code scanning reads it.

GitHub requires, beyond the schema: `tool.driver.rules` with `shortDescription`,
`fullDescription` and `help.text` for every rule, and for every result a message, a rule id
and one physical location with `startLine`, `startColumn`, `endLine` and `endColumn`.

Columns: SARIF counts them from 1, and `endColumn` is the column *after* the region, while a
`Finding`'s `end_column` is the last flagged character. GitHub does not read `columnKind`
and measures columns in UTF-16 code units, as JavaScript strings do; SARIF also requires
`columnKind` whenever a run has results. So the run says `utf16CodeUnits` and columns are
converted from Python's code points: a character outside the Basic Multilingual Plane (an
emoji, a CJK Extension B ideograph) counts two.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from healthlint.finding import Finding, RuleInfo
from healthlint.formatters.base import Formatter, Report
from healthlint.formatters.explain import explain_markdown, explain_text, summary
from healthlint.results.baseline import fingerprint

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "healthlint/v1"


def utf16_length(text: str) -> int:
    """Length of `text` in UTF-16 code units."""
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def utf16_region(finding: Finding, source: str | None) -> dict[str, int]:
    """The finding's SARIF region: 1-based UTF-16 columns, `endColumn` exclusive.

    Without the source the character columns are used, which is exact for text in the Basic
    Multilingual Plane (all common Chinese).
    """
    end_exclusive = finding.end_column + 1
    if source is None:
        start_col, end_col = finding.column, end_exclusive
    else:
        line_start = finding.start - (finding.column - 1)
        start_col = 1 + utf16_length(source[line_start : finding.start])
        last = max(finding.end - 1, finding.start)
        end_line_start = last - (finding.end_column - 1)
        end_col = 1 + utf16_length(source[end_line_start : max(finding.end, last + 1)])
    return {
        "startLine": finding.line,
        "startColumn": start_col,
        "endLine": finding.end_line,
        "endColumn": max(end_col, start_col + 1) if finding.end_line == finding.line else end_col,
    }


def repository_path(path: str) -> Path:
    """`path` relative to the working directory when inside it: GitHub resolves paths against
    the repository root, where CI runs healthlint."""
    p = Path(path)
    if p.is_absolute():
        try:
            return p.relative_to(Path.cwd())
        except ValueError:
            return p
    return p


def artifact_location(path: str) -> dict[str, str]:
    """A percent-encoded relative URI under the source root, or a file URI outside it."""
    p = repository_path(path)
    if p.is_absolute():
        return {"uri": p.as_uri()}
    return {"uri": urllib.parse.quote(p.as_posix(), safe="/"), "uriBaseId": "%SRCROOT%"}


def _descriptor(rule: RuleInfo) -> dict[str, Any]:
    """A reportingDescriptor: help headings in English (GitHub's interface language), the
    message, basis and examples as the rules give them in the configured language."""
    severity = rule.severity
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": summary(rule)},
        "fullDescription": {"text": f"{summary(rule)} ({rule.basis})"},
        "help": {
            "text": explain_text(rule, "en"),
            "markdown": explain_markdown(rule, "en"),
        },
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {
            "tags": ["health-content", rule.category],
            "category": rule.category,
            "basis": rule.basis,
            "problem.severity": "recommendation" if severity == "info" else severity,
        },
    }


def _result(
    finding: Finding, path: str, source: str | None, index: dict[str, int]
) -> dict[str, Any]:
    message = finding.message
    if finding.suggestion:
        message = f"{message} {finding.suggestion}"
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVELS[getattr(finding.severity, "value", finding.severity)],
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(path),
                    "region": {**utf16_region(finding, source), "snippet": {"text": finding.text}},
                }
            }
        ],
        "properties": {"category": finding.category},
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if source is not None:
        result["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint(finding, source)}
    return result


def sarif_log(
    reports: Iterable[Report], rules: Sequence[RuleInfo], *, version: str
) -> dict[str, Any]:
    """One run with every loaded rule and the findings of every report."""
    descriptors = [_descriptor(r) for r in rules]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results = [_result(f, r.path, r.source, index) for r in reports for f in r.findings]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "healthlint",
                        "version": version,
                        "semanticVersion": version,
                        "rules": descriptors,
                    }
                },
                "columnKind": "utf16CodeUnits",
                "results": results,
            }
        ],
    }


class SarifFormatter(Formatter):
    """`--format sarif`: one SARIF log for the whole run, written at the end."""

    def finish(self, reports: Sequence[Report]) -> None:
        from healthlint.version import __version__

        log = sarif_log(reports, self.rules, version=__version__)
        json.dump(log, self.stream, ensure_ascii=False, indent=2)
        self.stream.write("\n")
