"""Verdicts: the score is a weighted sum, the thresholds decide, the config is validated."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from handmade import finding_at

from healthlint import Config, Linter
from healthlint.config import VerdictPolicy
from healthlint.errors import ConfigError
from healthlint.frontends.cli import main
from healthlint.results.verdict import PASS, REJECT, REVIEW, Verdict, assess

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


def test_config_object_gives_its_policy() -> None:
    config = Config(verdict=VerdictPolicy.from_mapping({"weights": {"error": 1}}))
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


# In configuration and in `--format report`.
def test_config_key_verdict(tmp_path: Path) -> None:
    path = tmp_path / ".healthlint.yaml"
    path.write_text("verdict:\n  review: 1\n  reject: 50\n", encoding="utf-8")
    config = Config.load(path)
    assert (config.verdict.review, config.verdict.reject) == (1.0, 50.0)
    assert Config().verdict == VerdictPolicy()
    path.write_text("verdict:\n  reject: many\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        Config.load(path)
    assert info.value.path == str(path)


def test_linter_config_gives_the_verdict() -> None:
    linter = Linter(Config(verdict=VerdictPolicy.from_mapping({"reject": 100})))
    findings = linter.lint("本品能彻底治愈糖尿病，永不复发！")
    verdict = assess(findings, linter.config)
    # three errors: a guaranteed cure, a disease claim and a permanent effect
    assert verdict.verdict == REVIEW and verdict.score == 30.0


def test_report_format_has_one_verdict_per_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("本品能彻底治愈糖尿病，永不复发！\n", encoding="utf-8")
    clean = tmp_path / "clean.md"
    clean.write_text("均衡饮食有助于健康。\n", encoding="utf-8")
    assert main(["--format", "report", str(bad), str(clean)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [(d["path"], d["verdict"]) for d in data] == [(str(bad), REJECT), (str(clean), PASS)]
    assert data[0]["score"] == 30.0 and len(data[0]["findings"]) == 3
    assert data[1]["score"] == 0.0 and data[1]["findings"] == []
