"""The CI recipes of the README, run as written (only the repository's URL points at a local
clone), and the package installed as a user installs it: from another folder the installed
copy runs, from the clone's folder the source shadowing it does, rule packs found either way.

Slow: each builds a virtual environment and installs healthlint and its dependencies into it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest
import yaml
from readme import REPOSITORY, blocks

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
OVERCLAIM = "# 新疗法\n\n本产品能彻底治愈糖尿病，永不复发！\n"


def _git(args: list[str], cwd: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
    )
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's files (committed or not) as a repository whose branch is main."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    repo = tmp_path_factory.mktemp("clone") / "healthlint"
    for name in sorted(n for n in listed.stdout.decode().split("\0") if n):
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    _git(["init", "-q", "-b", "main"], repo)
    _git(["add", "-A"], repo)
    _git(["commit", "-qm", "snapshot"], repo)
    return repo


def _environment(folder: Path) -> dict[str, str]:
    """A fresh virtual environment first on PATH, as a CI runner's Python is."""
    venv.create(folder, with_pip=True)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = f"{folder / 'bin'}{os.pathsep}{env['PATH']}"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _steps(clone: Path) -> list[tuple[str, list[str]]]:
    """Each CI recipe's shell steps, the URL replaced by the local clone's."""
    github, gitlab = (yaml.safe_load(block) for block in blocks("CI", "yaml"))
    jobs = [
        ("github", [s["run"] for s in github["jobs"]["healthlint"]["steps"] if "run" in s]),
        ("gitlab", list(gitlab["healthlint"]["script"])),
    ]
    url = f"git+{clone.as_uri()}"
    return [
        (name, [step.replace(f"git+{REPOSITORY}", url) for step in steps]) for name, steps in jobs
    ]


def test_ci_recipes_run_as_written(clone: Path, tmp_path: Path) -> None:
    env = _environment(tmp_path / "venv")
    for name, steps in _steps(clone):
        project = tmp_path / name
        (project / "content").mkdir(parents=True)
        (project / "content" / "article.md").write_text(OVERCLAIM, encoding="utf-8")
        codes = []
        for step in steps:
            result = subprocess.run(
                ["bash", "-e", "-c", step],
                cwd=project,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
            )
            codes.append(result.returncode)
            assert "Traceback" not in result.stderr, result.stderr
        assert codes[:-1] == [0] * (len(steps) - 1) and codes[-1] == 1, (name, codes)
        if name == "github":
            log = json.loads((project / "healthlint.sarif").read_text(encoding="utf-8"))
            assert log["runs"][0]["results"]
        else:
            issues = json.loads((project / "gl-code-quality-report.json").read_text("utf-8"))
            assert issues and all(i["location"]["path"] == "content/article.md" for i in issues)


def test_installed_copy_and_the_clone_both_run(clone: Path, tmp_path: Path) -> None:
    env = _environment(tmp_path / "venv")
    python = str(tmp_path / "venv" / "bin" / "python")
    subprocess.run(
        [python, "-m", "pip", "install", "-q", str(clone)],
        env=env,
        check=True,
        capture_output=True,
        timeout=900,
    )
    probe = (
        "import healthlint, pathlib; "
        "print(pathlib.Path(healthlint.__file__).parent.parent); "
        "print([f.rule for f in healthlint.lint_text('本品能彻底治愈糖尿病。')])"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for cwd, source in ((elsewhere, "site-packages"), (clone, str(clone))):
        result = subprocess.run(
            [python, "-c", probe], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr
        where, rules = result.stdout.splitlines()
        assert source in where and "cure-promise" in rules
    for args, codes in ((["examples/stem-cell-poi.txt"], (1,)), (["eval", "--help"], (0,))):
        run = subprocess.run(
            [python, "-m", "healthlint", *args],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode in codes, run.stderr
