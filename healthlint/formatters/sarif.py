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

Each rule links to its page (`helpUri`) and its help ends with the categories contract; a file
that could not be read is a `toolExecutionNotifications` entry of the run's invocation, so a
SARIF viewer shows what was not linted. File names are URIs percent-encoded from their bytes,
so a name that is not UTF-8 still makes a valid log.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from healthlint.errors import HealthlintError
from healthlint.finding import Finding, ImageSummary, RuleInfo
from healthlint.formatters.base import Formatter, Report, box_text, unread_note
from healthlint.formatters.escape import json_safe
from healthlint.formatters.explain import explain_markdown, explain_text, summary
from healthlint.formatters.links import REPOSITORY, category_url, rule_url
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
    """A percent-encoded relative URI under the source root, or a file URI outside it; the
    path's bytes are encoded, so a name that is not UTF-8 (surrogate-escaped) keeps them."""
    p = repository_path(path)
    uri = urllib.parse.quote(os.fsencode(p.as_posix()), safe="/")
    if p.is_absolute():
        return {"uri": f"file://{uri}"}
    return {"uri": uri, "uriBaseId": "%SRCROOT%"}


def _descriptor(rule: RuleInfo) -> dict[str, Any]:
    """A reportingDescriptor: help headings in English (GitHub's interface language), the
    message, basis and examples as the rules give them in the configured language."""
    severity = rule.severity
    links = f"Rule: {rule_url(rule.id)}\nCategory {rule.category}: {category_url(rule.category)}\n"
    markdown = (
        f"[Rule page]({rule_url(rule.id)}) · "
        f"[category `{rule.category}`]({category_url(rule.category)})\n"
    )
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": summary(rule)},
        "fullDescription": {"text": f"{summary(rule)} ({rule.basis})"},
        "helpUri": rule_url(rule.id),
        "help": {
            "text": explain_text(rule, "en") + "\n" + links,
            "markdown": explain_markdown(rule, "en") + "\n" + markdown,
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
    region: dict[str, Any] = {**utf16_region(finding, source), "snippet": {"text": finding.text}}
    properties: dict[str, Any] = {"category": finding.category}
    if finding.image is not None:  # a region of the recognised text, named by its box
        region["message"] = {"text": box_text(finding, "en")}
        properties["box"] = list(finding.image.box)
        if not finding.image.line:  # a code: no characters
            region = {"startLine": 1, "message": region["message"]}
            properties["code"] = finding.image.code
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVELS[getattr(finding.severity, "value", finding.severity)],
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(path),
                    "region": region,
                }
            }
        ],
        "properties": properties,
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if source is not None:
        result["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint(finding, source)}
    return result


def _unread(image: ImageSummary) -> dict[str, Any]:
    """A picture whose unsure lines were left unlinted, as a note of the invocation."""
    location = {"physicalLocation": {"artifactLocation": artifact_location(image.path)}}
    return {"level": "note", "message": {"text": unread_note(image, "en")}, "locations": [location]}


def _notification(error: HealthlintError) -> dict[str, Any]:
    """A file that could not be read or linted, as the invocation reports it."""
    note: dict[str, Any] = {"level": "error", "message": {"text": error.message}}
    if error.path:
        region = {"startLine": error.line} if error.line else {}
        location: dict[str, Any] = {"artifactLocation": artifact_location(error.path)}
        if region:
            location["region"] = region
        note["locations"] = [{"physicalLocation": location}]
    return note


def sarif_log(
    reports: Iterable[Report],
    rules: Sequence[RuleInfo],
    *,
    version: str,
    problems: Sequence[HealthlintError] = (),
) -> dict[str, Any]:
    """One run with every loaded rule, the findings of every report, and an invocation that
    lists the `problems` (inputs that could not be linted)."""
    descriptors = [_descriptor(r) for r in rules]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    reports = list(reports)
    results = [_result(f, r.path_of(f), r.text_of(f), index) for r in reports for f in r.findings]
    notes = [_unread(i) for r in reports for i in r.images if i.low_confidence]
    invocation = {
        "executionSuccessful": not problems,
        "toolExecutionNotifications": [_notification(p) for p in problems] + notes,
    }
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "healthlint",
                        "informationUri": REPOSITORY,
                        "version": version,
                        "semanticVersion": version,
                        "rules": descriptors,
                    }
                },
                "invocations": [invocation],
                "columnKind": "utf16CodeUnits",
                "results": results,
            }
        ],
    }


class SarifFormatter(Formatter):
    """`--format sarif`: one SARIF log for the whole run, written at the end."""

    def __init__(self, stream: Any, **options: Any) -> None:
        super().__init__(stream, **options)
        self.problems: list[HealthlintError] = []

    def problem(self, error: HealthlintError) -> None:
        self.problems.append(error)

    def finish(self, reports: Sequence[Report]) -> None:
        from healthlint.version import __version__

        log = sarif_log(reports, self.rules, version=__version__, problems=self.problems)
        self.stream.write(json_safe(json.dumps(log, ensure_ascii=False, indent=2)) + "\n")
