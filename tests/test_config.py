"""Configuration: every value checked by type with its file and line, TOML like YAML, found
from the linted path upward, refused when others can write it, and never an internal error."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthlint import Config, ConfigError, HealthlintError, Linter
from healthlint.config import OPTIONS, find_config
from healthlint.frontends.cli import main

CLAIM = "本品能彻底治愈糖尿病，永不复发！\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("language: zh\nfail_on: {a: 1}\n", 2, "'fail_on' must be"),
        ("select: [overclaim]\nignore: [1, 2]\n", 2, "list of strings"),
        ("severity:\n  overclaim: loud\n", 2, "severity of 'overclaim'"),
        ("# a comment\nlanguage: fr\n", 2, "'language' must be zh or en"),
        ("respect_gitignore: yes please\n", 1, "true or false"),
        ("verdict:\n  review: 5\n  reject: -1\n", 3, "must not be negative"),
        ("verdict:\n  categories: {overclam: 2}\n", 2, "unknown name 'overclam'"),
        ("verdict:\n  weights: {error: .inf}\n", 2, "finite number"),
        ("exclude: drafts/\nselekt: []\n", 2, "unknown option 'selekt'"),
        ("- just\n- a list\n", 1, "must be a mapping"),
    ],
)
def test_a_bad_value_is_one_line_naming_file_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = write(tmp_path / ".healthlint.yaml", text)
    with pytest.raises(ConfigError) as caught:
        Config.load(path)
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert words in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        (".healthlint.toml", 'language = "en"\nignore = [3]\n', 2),
        ("pyproject.toml", '[project]\nname = "x"\n[tool.healthlint]\nfail_on = 3\n', 4),
        (
            "pyproject.toml",
            '[tool.healthlint]\nlanguage = "en"\n[tool.healthlint.verdict]\nreview = true\n',
            3,
        ),
        (".healthlint.toml", 'ignores = ["overclaim"]\n', 1),
    ],
)
def test_toml_is_checked_like_yaml(tmp_path: Path, name: str, text: str, line: int) -> None:
    path = write(tmp_path / name, text)
    with pytest.raises(ConfigError) as caught:
        Config.load(path)
    assert caught.value.line == line


def test_top_level_toml_config_and_its_bad_rule_ids_count(tmp_path: Path, capsys) -> None:
    write(tmp_path / ".healthlint.toml", 'ignore = ["no-such-rule"]\n')
    article = write(tmp_path / "a.md", CLAIM)
    assert main([str(article)]) == 2
    assert "no-such-rule" in capsys.readouterr().err
    with pytest.raises(ConfigError, match=r"no \[tool\.healthlint\] table"):
        Config.load(write(tmp_path / "other" / "pyproject.toml", '[project]\nname = "x"\n'))


@pytest.mark.parametrize(
    "options",
    [
        {"language": "fr"},
        {"fail_on": {"a": 1}},
        {"select": [1]},
        {"default_rules": "yes"},
        {"severity": {"overclaim": ["error"]}},
        {"verdict": "strict"},
        {"profile": "novel"},
    ],
)
def test_the_api_checks_values_too(options: dict) -> None:
    with pytest.raises(ConfigError):
        Config(**options)


def test_api_values_are_normalised() -> None:
    config = Config(select="overclaim", ignore=["fear-appeal"])
    assert config.select == ("overclaim",) and config.ignore == ("fear-appeal",)
    assert Linter(config).config == config


def test_config_is_found_from_the_linted_path(tmp_path: Path, monkeypatch, capsys) -> None:
    project = tmp_path / "project"
    write(project / ".healthlint.yaml", "ignore: [overclaim]\n")
    article = write(project / "content" / "a.md", CLAIM)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert find_config(article) == project / ".healthlint.yaml"
    assert main([str(article)]) == 0
    assert main(["--isolated", str(article)]) == 1
    assert main(["--isolated", "--config", str(project / ".healthlint.yaml"), str(article)]) == 2
    capsys.readouterr()


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_config_others_can_write_is_refused(tmp_path: Path, capsys) -> None:
    config = write(tmp_path / ".healthlint.yaml", "ignore: [overclaim]\n")
    article = write(tmp_path / "a.md", CLAIM)
    config.chmod(config.stat().st_mode | stat.S_IWOTH)
    assert main([str(article)]) == 2
    assert "other users can write" in capsys.readouterr().err
    assert main(["--config", str(config), str(article)]) == 0, "named explicitly, it is trusted"


def test_show_config_names_the_file_and_every_setting(tmp_path: Path, capsys) -> None:
    config = write(tmp_path / ".healthlint.yaml", "language: en\nexclude: [drafts/]\n")
    assert main(["--show-config", "--fail-on", "error", str(tmp_path)]) == 0
    shown = yaml.safe_load(capsys.readouterr().out)
    assert shown["config"] == str(config)
    assert shown["language"] == "en" and shown["fail_on"] == "error"
    assert set(shown) == {"config", *OPTIONS}


# Values YAML can spell: scalars of every type, lists, mappings, nulls, anchors and aliases.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["zh", "en", "error", "warning", "info", "auto", "overclaim", "drafts/"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(
                st.text(max_size=8),
                st.sampled_from(
                    ["weights", "categories", "review", "reject", "error", "overclaim"]
                ),
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(option=st.sampled_from(sorted(OPTIONS)), value=values, anchored=st.booleans())
def test_any_yaml_value_of_any_option_is_accepted_or_one_line(
    tmp_path_factory: pytest.TempPathFactory, option: str, value: object, anchored: bool
) -> None:
    text = yaml.safe_dump({option: value}, allow_unicode=True)
    if anchored:  # the same value through an anchor and an alias
        text = (
            yaml.safe_dump({"x-base": value}, allow_unicode=True).replace(
                "x-base:", "x-base: &v", 1
            )
            + f"{option}: *v\n"
        )
    path = tmp_path_factory.mktemp("cfg") / ".healthlint.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        Config.load(path)
    except HealthlintError as error:
        assert isinstance(error, ConfigError) and error.path == str(path)
        assert "\n" not in str(error) and len(str(error)) < 400
