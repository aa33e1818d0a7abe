"""The compiled-packs cache: used when nothing changed, rebuilt when anything did."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthlint import Config, Linter

PACK = """rules:
  - id: cure
    kind: term
    category: overclaim
    severity: error
    message: m
    basis: b
    terms: [{term}]
    examples: {{bad: [{term}], good: [无关]}}
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(folder))
    return folder


def linter_for(packs: Path) -> Linter:
    return Linter(Config(rules_dirs=(str(packs),), default_rules=False))


def test_second_linter_comes_from_the_cache_and_a_changed_pack_does_not(
    tmp_path: Path, cache: Path
) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "p.yaml").write_text(PACK.format(term="根治"), encoding="utf-8")
    assert [f.text for f in linter_for(packs).lint("本品根治糖尿病")] == ["根治"]
    assert len(list(cache.iterdir())) == 1
    assert [f.text for f in linter_for(packs).lint("本品根治糖尿病")] == ["根治"]
    (packs / "p.yaml").write_text(PACK.format(term="治愈"), encoding="utf-8")
    assert [f.text for f in linter_for(packs).lint("本品治愈糖尿病")] == ["治愈"]
    assert len(list(cache.iterdir())) == 2


def test_a_corrupt_entry_is_rebuilt(tmp_path: Path, cache: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "p.yaml").write_text(PACK.format(term="根治"), encoding="utf-8")
    linter_for(packs)
    (entry,) = cache.iterdir()
    entry.write_bytes(b"not a pickle")
    assert [f.text for f in linter_for(packs).lint("本品根治糖尿病")] == ["根治"]


def test_empty_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "p.yaml").write_text(PACK.format(term="根治"), encoding="utf-8")
    assert [f.text for f in linter_for(packs).lint("本品根治糖尿病")] == ["根治"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["packs"]


def test_only_the_newest_entries_are_kept(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("healthlint.cache.KEEP", 2)
    packs = tmp_path / "packs"
    packs.mkdir()
    for term in ("根治", "治愈", "痊愈"):
        (packs / "p.yaml").write_text(PACK.format(term=term), encoding="utf-8")
        linter_for(packs)
    assert len(list(cache.iterdir())) == 2
