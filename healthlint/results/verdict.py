"""A platform's decision for one document: a risk score and pass, review or reject.

Moderation pipelines need one answer per submission, not a list of findings. The score is a
weighted sum over the findings (a weight per severity, times an optional multiplier per
category), and two thresholds turn it into a verdict. Both are configuration, under the
`verdict` key of `.healthlint.yaml`::

    verdict:
      weights: {error: 10, warning: 3, info: 1}       # points per finding of a severity
      categories: {commercial-contact: 2}             # multiplier per category (default 1)
      review: 3                                       # score at or above: review
      reject: 10                                      # score at or above: reject

With the defaults one error rejects, one warning sends the document to review, and
info-level findings alone (up to two) pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from healthlint.config import Config, VerdictPolicy
from healthlint.finding import Finding, Severity

PASS = "pass"
REVIEW = "review"
REJECT = "reject"


@dataclass(frozen=True)
class Verdict:
    """The decision for one document; `score` is rounded to two decimals for stable output."""

    verdict: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "score": self.score}


def policy_of(config: Config | VerdictPolicy | None) -> VerdictPolicy:
    """The policy of a `Config` (its `verdict`), a policy itself, or the default."""
    if config is None:
        return VerdictPolicy()
    if isinstance(config, VerdictPolicy):
        return config
    return config.verdict


def assess(findings: Iterable[Finding], config: Config | VerdictPolicy | None = None) -> Verdict:
    """Score `findings` of one document and decide; `config` is a Config, a policy or None."""
    policy = policy_of(config)
    score = 0.0
    for f in findings:
        severity = f.severity.value if isinstance(f.severity, Severity) else str(f.severity)
        score += policy.weights.get(severity, 0.0) * policy.categories.get(f.category, 1.0)
    score = round(score, 2)
    if score >= policy.reject:
        return Verdict(REJECT, score)
    if score >= policy.review:
        return Verdict(REVIEW, score)
    return Verdict(PASS, score)
