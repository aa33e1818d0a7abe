"""Every import of healthlint internals the front ends make, in one place.

The front ends use the public API (`Linter`, `Config`, `Finding`, `RuleInfo`, the errors)
wherever it suffices. What it does not offer yet — safe fixes, rule explanations, the JSON
format of a finding, the verdict, the CLI's encoding detection, the format of a file name and
the suppression comment syntax — comes from the modules below. When those modules move, only
this file changes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

from healthlint.context.suppression import DIRECTIVE
from healthlint.finding import Finding, Fix
from healthlint.formatters.base import Report
from healthlint.formatters.explain import explain_markdown, explain_text, suppression_hint
from healthlint.formatters.json import JsonFormatter
from healthlint.results.fix import Edit, apply_fixes, fixes_of, plan_fixes
from healthlint.results.verdict import Verdict, assess
from healthlint.sources.decode import Source, decode
from healthlint.sources.files import format_for_path

__all__ = [
    "DIRECTIVE",
    "Edit",
    "Fix",
    "Source",
    "Verdict",
    "apply_fixes",
    "assess",
    "decode",
    "explain_markdown",
    "explain_text",
    "finding_records",
    "fixes_of",
    "format_for_path",
    "plan_fixes",
    "suppression_hint",
]


def finding_records(path: str, text: str, findings: Sequence[Finding]) -> list[dict[str, Any]]:
    """The findings exactly as ``healthlint --format json`` writes them for a file `path`.

    Goes through the JSON formatter itself rather than copying its shape, so the API and the
    command line cannot drift apart.
    """
    stream = io.StringIO()
    JsonFormatter(stream).finish([Report(path, text, findings)])
    records: list[dict[str, Any]] = json.loads(stream.getvalue())
    return records
