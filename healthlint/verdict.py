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

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from healthlint.errors import ConfigError
from healthlint.finding import Finding, Severity

if TYPE_CHECKING:
    from healthlint.config import Config

PASS = "pass"
REVIEW = "review"
REJECT = "reject"

_DEFAULT_WEIGHTS = {
    Severity.ERROR.value: 10.0,
    Severity.WARNING.value: 3.0,
    Severity.INFO.value: 1.0,
}
_KEYS = ("weights", "categories", "review", "reject")


def _frozen(mapping: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class VerdictPolicy:
    """Weights and thresholds; immutable so one policy can be shared by threads and workers."""

    weights: Mapping[str, float] = field(default_factory=lambda: _frozen(_DEFAULT_WEIGHTS))
    categories: Mapping[str, float] = field(default_factory=lambda: _frozen({}))
    review: float = 3.0
    reject: float = 10.0

    def __post_init__(self) -> None:
        if not 0 < self.review <= self.reject:
            raise ConfigError(
                f"verdict: need 0 < review <= reject, got review={self.review} reject={self.reject}"
            )

    def __reduce__(self) -> tuple[Any, ...]:
        # MappingProxyType does not pickle; process pools need policies to.
        return (
            VerdictPolicy,
            (dict(self.weights), dict(self.categories), self.review, self.reject),
        )

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any] | None, *, path: str | None = None
    ) -> VerdictPolicy:
        """Build a policy from the `verdict` config value, rejecting unknown or ill-typed keys."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ConfigError("verdict: expected a mapping", path=path)
        unknown = sorted(set(data) - set(_KEYS))
        if unknown:
            raise ConfigError(
                f"verdict: unknown key {unknown[0]!r} (known: {', '.join(_KEYS)})", path=path
            )
        weights = dict(_DEFAULT_WEIGHTS)
        weights.update(_numbers(data.get("weights", {}), "verdict.weights", path))
        bad = sorted(set(weights) - set(_DEFAULT_WEIGHTS))
        if bad:
            raise ConfigError(f"verdict.weights: unknown severity {bad[0]!r}", path=path)
        categories = _numbers(data.get("categories", {}), "verdict.categories", path)
        review = _number(data.get("review", cls.review), "verdict.review", path)
        reject = _number(data.get("reject", cls.reject), "verdict.reject", path)
        try:
            return cls(_frozen(weights), _frozen(categories), review, reject)
        except ConfigError as exc:
            raise ConfigError(exc.message, path=path) from None


def _number(value: Any, key: str, path: str | None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"{key}: expected a number, got {value!r}", path=path)
    if value < 0:
        raise ConfigError(f"{key}: must not be negative, got {value!r}", path=path)
    return float(value)


def _numbers(value: Any, key: str, path: str | None) -> dict[str, float]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{key}: expected a mapping of names to numbers", path=path)
    return {str(name): _number(v, f"{key}.{name}", path) for name, v in value.items()}


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
