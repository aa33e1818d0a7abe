"""`--format gitlab`: a GitLab Code Quality report, which merge requests show the way GitHub
shows SARIF (`artifacts: reports: codequality: gl-code-quality-report.json`).

GitLab reads a JSON array of issues with `description`, `check_name`, `fingerprint` (unique per
issue: GitLab keeps only one issue per fingerprint), `severity` (info, minor, major, critical or
blocker) and `location` with `path` (relative to the repository) and `lines.begin`, and only
those: nothing else is written. The
fingerprint is the baseline's, which survives edits elsewhere in the file, with the occurrence
number added when the same phrase is flagged twice.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from typing import Any

from healthlint.formatters.base import Formatter, Report
from healthlint.formatters.escape import json_safe
from healthlint.formatters.sarif import repository_path
from healthlint.results.baseline import fingerprint

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def issues(reports: Sequence[Report]) -> list[dict[str, Any]]:
    """The Code Quality issues of a run."""
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for report in reports:
        for f in report.findings:
            shown = repository_path(report.path_of(f)).as_posix()
            path = os.fsencode(shown).decode("utf-8", "replace")
            base = hashlib.sha256(
                f"{path}\0{f.rule}\0{fingerprint(f, report.source)}".encode()
            ).hexdigest()
            seen[base] = seen.get(base, 0) + 1
            unique = base if seen[base] == 1 else f"{base}-{seen[base]}"
            message = " ".join(f.message.split())
            out.append(
                {
                    "description": f"{message} {f.suggestion}" if f.suggestion else message,
                    "check_name": f.rule,
                    "fingerprint": unique,
                    "severity": SEVERITIES[f.severity],
                    "location": {"path": path, "lines": {"begin": f.line}},
                }
            )
    return out


class GitlabFormatter(Formatter):
    def finish(self, reports: Sequence[Report]) -> None:
        self.stream.write(json_safe(json.dumps(issues(reports), ensure_ascii=False, indent=2)))
        self.stream.write("\n")
