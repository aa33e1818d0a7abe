"""`--format json`: one JSON list of findings, each with `path` and every Finding field."""

from __future__ import annotations

import json
from collections.abc import Sequence

from healthlint.formatters.base import Formatter, Report
from healthlint.formatters.escape import json_safe


class JsonFormatter(Formatter):
    def finish(self, reports: Sequence[Report]) -> None:
        items = [{"path": r.path, **f.to_dict()} for r in reports for f in r.findings]
        self.stream.write(json_safe(json.dumps(items, ensure_ascii=False, indent=2)))
        self.stream.write("\n")
