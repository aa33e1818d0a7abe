"""Shared fixtures: one default Linter for the whole session (rule packs compile once), and
a rules cache of the session's own (see docs/performance.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from healthlint import Linter

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session", autouse=True)
def rules_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Compiled rule packs are cached in a temporary folder of this session, never in the
    user's home; command lines started by tests inherit the variable."""
    folder = tmp_path_factory.mktemp("rules-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HEALTHLINT_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def linter() -> Linter:
    return Linter()
