"""`--format report`: one JSON object per document with its verdict, for platforms.

`--format json` stays what tools already parse, a flat list of findings; a moderation queue
needs a decision per document instead: `path`, `verdict` (pass, review, reject), `score`, the
text's `register` and `product_types` (what it is and what it sells), the `findings`, and
the `images` read with it (each one's recognised `text`, which its findings' offsets count
in, and how many `lines`, `low_confidence` lines left unlinted and `codes` it held).
Clean documents are listed too, with verdict pass, so every input has an answer.
The thresholds are the `verdict` configuration (see `healthlint.verdict`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from healthlint.formatters.base import Formatter, Report
from healthlint.formatters.escape import json_safe
from healthlint.results.verdict import assess


def document(report: Report, config: Any) -> dict[str, Any]:
    """The JSON object of one document."""
    return {
        "path": report.path,
        **assess(report.findings, config).to_dict(),
        "register": report.register,
        "product_types": list(report.product_types),
        "findings": [f.to_dict() for f in report.findings],
        "images": [asdict(image) for image in report.images],
    }


class ReportFormatter(Formatter):
    def finish(self, reports: Sequence[Report]) -> None:
        items = [document(r, self.config) for r in reports]
        self.stream.write(json_safe(json.dumps(items, ensure_ascii=False, indent=2)))
        self.stream.write("\n")
