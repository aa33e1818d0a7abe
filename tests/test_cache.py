"""The compiled-packs cache: used when nothing changed, rebuilt when anything did, and never
trusted when someone else could have written it."""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path

import pytest

from healthlint import Config, Linter
from healthlint.rules.cache import default_cache_dir

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
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("rules-*.pickle"))


def linter_for(packs: Path, cache: Path | None) -> Linter:
    return Linter(Config(rules_dirs=(str(packs),), default_rules=False), cache_dir=cache)


def test_second_linter_comes_from_the_cache_and_a_changed_pack_does_not(
    tmp_path: Path, cache: Path
) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "p.yaml").write_text(PACK.format(term="根治"), encoding="utf-8")
    assert [f.text for f in linter_for(packs, cache).lint("本品根治糖尿病")] == ["根治"]
    assert len(entries(cache)) == 1
    assert [f.text for f in linter_for(packs, cache).lint("本品根治糖尿病")] == ["根治"]
    (packs / "p.yaml").write_text(PACK.format(term="治愈"), encoding="utf-8")
    assert [f.text for f in linter_for(packs, cache).lint("本品治愈糖尿病")] == ["治愈"]
    assert len(entries(cache)) == 2


def test_a_corrupt_entry_is_rebuilt(tmp_path: Path, cache: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "p.yaml").write_text(PACK.format(term="根治"), encoding="utf-8")
    linter_for(packs, cache)
    (entry,) = entries(cache)
    entry.write_bytes(b"not a pickle")
    assert [f.text for f in linter_for(packs, cache).lint("本品根治糖尿病")] == ["根治"]


def test_a_linter_writes_no_cache_unless_given_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "p.yaml").write_text(PACK.format(term="根治"), encoding="utf-8")
    assert [f.text for f in linter_for(packs, None).lint("本品根治糖尿病")] == ["根治"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["packs"]


def test_the_command_line_default_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", "")
    assert default_cache_dir() is None
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("HEALTHLINT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "healthlint"


def test_only_the_newest_entries_are_kept(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("healthlint.rules.cache.KEEP", 2)
    packs = tmp_path / "packs"
    packs.mkdir()
    for term in ("根治", "治愈", "痊愈"):
        (packs / "p.yaml").write_text(PACK.format(term=term), encoding="utf-8")
        linter_for(packs, cache)
    assert len(entries(cache)) == 2


class _Payload:
    """Unpickling this runs code: it writes a file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (Path.write_text, (self.marker, "ran"))


def _packs(tmp_path: Path) -> Path:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "p.yaml").write_text(PACK.format(term="根治"), encoding="utf-8")
    return packs


def test_a_tampered_entry_is_ignored_not_executed(tmp_path: Path, cache: Path) -> None:
    packs = _packs(tmp_path)
    linter_for(packs, cache)
    (entry,) = entries(cache)
    marker = tmp_path / "marker"
    signature = entry.read_bytes()[:32]  # keep the old signature: it no longer matches
    entry.write_bytes(signature + pickle.dumps(_Payload(marker)))
    assert [f.text for f in linter_for(packs, cache).lint("本品根治糖尿病")] == ["根治"]
    assert not marker.exists()
    entry.write_bytes(pickle.dumps(_Payload(marker)))  # no signature at all
    assert [f.text for f in linter_for(packs, cache).lint("本品根治糖尿病")] == ["根治"]
    assert not marker.exists()


def test_the_key_and_folder_are_private(tmp_path: Path, cache: Path) -> None:
    linter_for(_packs(tmp_path), cache)
    assert stat.S_IMODE(cache.stat().st_mode) & 0o077 == 0
    assert stat.S_IMODE((cache / ".key").stat().st_mode) == 0o600


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners")
@pytest.mark.parametrize("what", ["folder", "key"])
def test_a_cache_others_can_write_is_not_used(tmp_path: Path, cache: Path, what: str) -> None:
    packs = _packs(tmp_path)
    linter_for(packs, cache)
    (entry,) = entries(cache)
    shared = cache if what == "folder" else cache / ".key"
    shared.chmod(stat.S_IMODE(shared.stat().st_mode) | 0o022)
    entry.unlink()
    assert [f.text for f in linter_for(packs, cache).lint("本品根治糖尿病")] == ["根治"]
    assert entries(cache) == []  # neither read nor written
