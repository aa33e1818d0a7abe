"""Shared fixtures: one default Linter for the whole session (rule packs compile once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthlint import Linter

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def linter() -> Linter:
    return Linter()
