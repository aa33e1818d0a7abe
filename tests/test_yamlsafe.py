"""Rule packs and configs are data, not code: safe, bounded YAML with file and line in errors."""

from __future__ import annotations

import time

import pytest

from healthlint.errors import ConfigError, HealthlintError, RuleError
from healthlint.sources.yamlsafe import MAX_BYTES, MAX_DEPTH, line_of, load_yaml

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def _error(text: str, error: type[HealthlintError] = RuleError) -> HealthlintError:
    with pytest.raises(error) as info:
        load_yaml(text, path="pack.yaml", error=error)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("pack.yaml")
    return info.value


def test_plain_data_with_lines() -> None:
    data = load_yaml("rules:\n  - id: a\n    terms: [x, 1, 2.5, true, null]\n", path="p.yaml")
    assert data == {"rules": [{"id": "a", "terms": ["x", 1, 2.5, True, None]}]}
    assert (line_of(data), line_of(data["rules"]), line_of(data["rules"][0])) == (1, 2, 2)
    assert line_of(data["rules"][0]["terms"]) == 3
    assert load_yaml("", path="p.yaml") is None


def test_dates_stay_text() -> None:
    assert load_yaml("basis: 2023-05-01\n", path="p.yaml") == {"basis": "2023-05-01"}


def test_anchors_and_merge_keys_are_data() -> None:
    text = "base: &b {x: 1, y: 2}\nshared: &s [a, b]\nrule:\n  <<: *b\n  y: 3\n  terms: *s\n"
    assert load_yaml(text, path="p.yaml")["rule"] == {"x": 1, "y": 3, "terms": ["a", "b"]}


@pytest.mark.parametrize("error", [RuleError, ConfigError])
def test_alias_bomb_is_refused_quickly(error: type[HealthlintError]) -> None:
    started = time.perf_counter()
    assert "alias bomb" in str(_error(ALIAS_BOMB, error))
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "&a {x: *a}\n"])
def test_recursive_alias_is_refused(text: str) -> None:
    assert "recursive alias" in str(_error(text))


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000 + "]" * 5000,
        "{a: " * 3000 + "}" * 3000,
        "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 500)),
        "a: &a " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\nb: [[[*a]]]\n",
    ],
    ids=["flow-list", "flow-map", "block", "deep-by-alias"],
)
def test_deep_nesting_is_refused(text: str) -> None:
    assert f"nested deeper than {MAX_DEPTH}" in str(_error(text))


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("!!python/object/apply:os.system ['true']\n", 1, "not allowed"),
        ("x: !!python/object:os.system {}\n", 1, "not allowed"),
        ("x: !!python/name:os.system ''\n", 1, "not allowed"),
        ("a: 1\nb: !!binary aGVsbG8=\n", 2, "not allowed"),
        ("s: !!set {a, b}\n", 1, "not allowed"),
        ("x: !custom value\n", 1, "not allowed"),
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
        ("? [a]\n: b\n", 1, "mapping keys must be plain values"),
        ("a: {<<: 1}\n", 1, "merge key"),
        ("a: 1\n---\nb: 2\n", 2, "expected a single document"),
        ("rules:\n  - id: x\n    kind: [unclosed\n", 4, "expected ',' or ']'"),
        ("a: b\n\x00\n", 2, "U+0000"),
    ],
)
def test_refusals_name_file_and_line(text: str, line: int, message: str) -> None:
    error = _error(text)
    assert error.line == line
    assert message in error.message


def test_oversize_text_is_refused() -> None:
    big = "# " + "x" * MAX_BYTES + "\n"
    assert "too large" in str(_error(big))
