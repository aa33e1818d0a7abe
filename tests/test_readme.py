"""The README's own examples, run as written: the Python API from the clone's folder, and the
configuration examples accepted by the loader and the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from readme import blocks

from healthlint import Config, Linter
from healthlint.frontends.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_python_api_example_runs_from_the_clone() -> None:
    (example,) = blocks("Python API", "python")
    result = subprocess.run(
        [sys.executable, "-c", example], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[2] == "cure-promise"
    assert "revolutionary-claim" in lines[-1] and "fear-appeal" not in lines[-1]


@pytest.mark.parametrize(
    ("language", "name"), [("yaml", ".healthlint.yaml"), ("toml", "pyproject.toml")]
)
def test_configuration_examples_are_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, language: str, name: str
) -> None:
    (example,) = blocks("Configuration", language)
    (tmp_path / name).write_text(example, encoding="utf-8")
    (tmp_path / "house-rules").mkdir()
    (tmp_path / "a.md").write_text("本品能彻底治愈糖尿病。\n", encoding="utf-8")
    config = Config.load(tmp_path / name)
    Linter(config)  # rule ids and categories it names exist
    monkeypatch.chdir(tmp_path)
    assert main(["--show-config", "a.md"]) == 0
    assert f'config: "{tmp_path / name}"' in capsys.readouterr().out
    assert main(["a.md"]) == 1


def test_inline_suppression_example_silences_what_it_says(tmp_path: Path, capsys) -> None:
    (example,) = blocks("Configuration", "markdown")
    (tmp_path / "a.md").write_text(example, encoding="utf-8")
    code = main(["--format", "json", "--isolated", str(tmp_path / "a.md")])
    out = capsys.readouterr().out
    assert code in (0, 1) and "cure-promise" not in out


def test_module_runs_work_from_the_clone() -> None:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for args in (["-m", "healthlint", "--version"], ["-m", "healthlint", "eval", "--help"]):
        result = subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
