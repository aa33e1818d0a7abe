"""The pre-commit hook, installed the way users install it: a repository URL and a rev.

The hook repository is a throwaway git repository holding this checkout's files as they are
(committed or not), so the code under test is what gets installed. pre-commit builds the
hook's environment from it with pip; the dependencies come from the package index. The
environment is built once per test session, in a temporary PRE_COMMIT_HOME.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from readme import REPOSITORY, blocks

from healthlint import lint_text

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
OVERCLAIM = "# 新疗法\n\n本产品能彻底治愈糖尿病，永不复发！\n"
CLEAN = "# 饮食建议\n\n均衡饮食有助于控制血糖，具体方案请咨询医生。本文仅供参考，不构成医疗建议。\n"


def _env(home: Path) -> dict[str, str]:
    """No GIT_* from a surrounding hook, no user or system git config, a private cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.com",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.com",
        PRE_COMMIT_HOME=str(home),
    )
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def _checkout_files() -> list[str]:
    """Tracked and untracked-but-not-ignored files of this checkout that exist."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    names = {n for n in listed.stdout.decode().split("\0") if n}
    return sorted(n for n in names if (ROOT / n).is_file())


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[str, str]]:
    """A git repository with this checkout's files at one commit: (path, rev, environment)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = tmp_path_factory.mktemp("precommit")
    env = _env(base / "cache")
    repo = base / "healthlint"
    for name in _checkout_files():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    for args in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "-A"],
        ["git", "commit", "-qm", "hook"],
    ):
        assert _run(args, repo, env).returncode == 0
    rev = _run(["git", "rev-parse", "HEAD"], repo, env).stdout.strip()
    return repo, rev, env


def _project(tmp_path: Path, hook: tuple[Path, str, dict[str, str]]) -> Path:
    repo_path, rev, env = hook
    project = tmp_path / "site"
    project.mkdir()
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo_path.as_posix()}\n    rev: {rev}\n"
        "    hooks:\n      - id: healthlint\n",
        encoding="utf-8",
    )
    assert _run(["git", "init", "-q"], project, env).returncode == 0
    installed = _run([sys.executable, "-m", "pre_commit", "install"], project, env)
    assert installed.returncode == 0, installed.stderr
    return project


def _commit(project: Path, env: dict[str, str], name: str, text: str) -> str:
    (project / name).write_text(text, encoding="utf-8")
    assert _run(["git", "add", name, ".pre-commit-config.yaml"], project, env).returncode == 0
    result = _run(["git", "commit", "-m", f"add {name}"], project, env)
    return f"exit {result.returncode}\n{result.stdout}{result.stderr}"


def test_commit_with_an_overclaim_is_stopped_naming_the_finding(
    hook_repo: tuple[Path, str, dict[str, str]], tmp_path: Path
) -> None:
    expected = {f.rule for f in lint_text(OVERCLAIM, format="markdown")}
    assert expected, "the article must overclaim for this test to mean anything"
    project = _project(tmp_path, hook_repo)
    output = _commit(project, hook_repo[2], "article.md", OVERCLAIM)
    assert output.startswith("exit 1"), output
    assert "article.md:3:" in output, output
    for rule in expected:
        assert rule in output, output
    log = _run(["git", "log", "--oneline"], project, hook_repo[2])
    assert log.stdout == "", "nothing may be committed"


def test_clean_commit_passes(hook_repo: tuple[Path, str, dict[str, str]], tmp_path: Path) -> None:
    assert lint_text(CLEAN, format="markdown") == []
    project = _project(tmp_path, hook_repo)
    output = _commit(project, hook_repo[2], "article.md", CLEAN)
    assert output.startswith("exit 0"), output
    assert "healthlint" in output and "Passed" in output, output


def test_other_files_are_not_linted(
    hook_repo: tuple[Path, str, dict[str, str]], tmp_path: Path
) -> None:
    project = _project(tmp_path, hook_repo)
    output = _commit(project, hook_repo[2], "notes.py", f"# {OVERCLAIM.splitlines()[2]}\n")
    assert output.startswith("exit 0"), output


def test_the_readme_recipe_as_written(
    hook_repo: tuple[Path, str, dict[str, str]], tmp_path: Path
) -> None:
    """The README's .pre-commit-config.yaml, only the repository URL pointing at a local
    clone: `rev: main` resolves, the hook stops an overclaim, and the autoupdate the README
    suggests pins a commit that still works."""
    repo_path, rev, env = hook_repo
    (recipe,) = blocks("pre-commit", "yaml")
    assert REPOSITORY in recipe and "rev: main" in recipe
    project = tmp_path / "site"
    project.mkdir()
    config = project / ".pre-commit-config.yaml"
    config.write_text(recipe.replace(REPOSITORY, repo_path.as_uri()), encoding="utf-8")
    assert _run(["git", "init", "-q"], project, env).returncode == 0
    installed = _run([sys.executable, "-m", "pre_commit", "install"], project, env)
    assert installed.returncode == 0, installed.stderr
    output = _commit(project, env, "article.md", OVERCLAIM)
    assert output.startswith("exit 1") and "article.md:3:" in output, output
    updated = _run(
        [sys.executable, "-m", "pre_commit", "autoupdate", "--bleeding-edge", "--freeze"],
        project,
        env,
    )
    assert updated.returncode == 0, updated.stdout + updated.stderr
    (repo,) = yaml.safe_load(config.read_text(encoding="utf-8"))["repos"]
    assert repo["rev"] == rev
    output = _commit(project, env, "article.md", OVERCLAIM)
    assert output.startswith("exit 1"), output
