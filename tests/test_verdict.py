"""Verdicts: the score is a weighted sum, the thresholds decide, the config is validated."""

from __future__ import annotations

import pickle
import types

import pytest
from handmade import finding_at

from healthlint.errors import ConfigError
from healthlint.verdict import PASS, REJECT, REVIEW, Verdict, VerdictPolicy, assess

TEXT = "本品彻底治愈糖尿病，扫码添加微信，记得转发。"


def test_no_findings_pass_with_zero_score() -> None:
    assert assess([]) == Verdict(PASS, 0.0)


def test_default_policy_one_error_rejects_one_warning_reviews_infos_pass() -> None:
    error = finding_at(TEXT, "彻底治愈")
    warning = finding_at(TEXT, "扫码添加微信", severity="warning", category="commercial-contact")
    info = finding_at(TEXT, "记得转发", severity="info", category="share-solicitation")
    assert assess([error]) == Verdict(REJECT, 10.0)
    assert assess([warning]) == Verdict(REVIEW, 3.0)
    assert assess([info, info]) == Verdict(PASS, 2.0)
    assert assess([info, info, info]).verdict == REVIEW


def test_category_multiplier_and_thresholds_come_from_config() -> None:
    policy = VerdictPolicy.from_mapping(
        {"categories": {"commercial-contact": 4}, "review": 5, "reject": 12}
    )
    warning = finding_at(TEXT, "扫码添加微信", severity="warning", category="commercial-contact")
    assert assess([warning], policy) == Verdict(REJECT, 12.0)
    other = finding_at(TEXT, "彻底治愈", severity="warning")
    assert assess([other], policy) == Verdict(PASS, 3.0)


def test_config_object_with_verdict_attribute_or_mapping() -> None:
    config = types.SimpleNamespace(verdict={"weights": {"error": 1}})
    assert assess([finding_at(TEXT, "彻底治愈")], config) == Verdict(PASS, 1.0)


@pytest.mark.parametrize(
    "bad",
    [
        {"review": 20, "reject": 10},
        {"review": 0},
        {"weights": {"fatal": 3}},
        {"weights": {"error": "high"}},
        {"weights": {"error": -1}},
        {"categories": ["overclaim"]},
        {"threshold": 3},
        {"reject": True},
        "strict",
    ],
)
def test_invalid_policy_is_a_config_error(bad: object) -> None:
    with pytest.raises(ConfigError):
        VerdictPolicy.from_mapping(bad, path=".healthlint.yaml")  # type: ignore[arg-type]


def test_policy_pickles_for_worker_processes() -> None:
    policy = VerdictPolicy.from_mapping({"categories": {"overclaim": 2}})
    clone = pickle.loads(pickle.dumps(policy))
    assert clone == policy
    assert dict(clone.categories) == {"overclaim": 2.0}
