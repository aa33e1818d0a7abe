"""Hostile input through the command line, in a subprocess, as CI meets it.

Every bad input gives one clear line on stderr naming it, the run ends with exit 2 and no
traceback, no file is changed, and every good file's findings are still reported. The inputs
are generated in a temporary folder; nothing is committed as a binary.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

CLAIM = "这款产品能彻底治愈糖尿病，永不复发！"
TRADITIONAL_CLAIM = "這款產品能徹底治癒糖尿病，永不復發！"
NEEDLE = "彻底治愈"
TIMEOUT = 300  # a hang detector; the slowest case, the 5 MB line, took ~1 min on a busy machine

# name -> bytes of files that must be linted, each holding a claim
GOOD: dict[str, Callable[[], bytes]] = {
    "utf8.md": lambda: (CLAIM + "\n").encode(),
    "utf8-bom.md": lambda: codecs.BOM_UTF8 + (CLAIM + "\r\n").encode(),
    "utf16.txt": lambda: CLAIM.encode("utf-16"),
    "utf16be.txt": lambda: codecs.BOM_UTF16_BE + CLAIM.encode("utf-16-be"),
    "utf32.txt": lambda: CLAIM.encode("utf-32"),
    "gb18030.txt": lambda: ("高血压患者注意。" + CLAIM).encode("gb18030"),
    "big5.txt": lambda: ("高血壓患者注意。" + TRADITIONAL_CLAIM).encode("big5"),
    "oneline.txt": lambda: ("健康饮食有助于预防疾病" * 150_000 + CLAIM).encode(),  # 5 MB
    "lines.md": lambda: ("规律作息。\n" * 50_000 + CLAIM).encode(),
    "deep.html": lambda: (
        "<div>" * 5000 + f"<p>{CLAIM}</p>" + "<span>" * 3000 + "<!-- unclosed"
    ).encode(),
    "unclosed.html": lambda: f"<p>{CLAIM}<script>var x = '<p>".encode(),
    "fence.md": lambda: f"{CLAIM}\n\n```python\nprint(1)\n".encode(),
}
# files that yield nothing and no error
QUIET = {
    "empty.txt": b"",
    "blank.md": codecs.BOM_UTF8 + b" \n\n\t\n",
}
# name -> bytes of files that must each give one error line
BAD = {
    "nul.txt": b"\x00\x01" * 2000,
    "binary.txt": bytes(range(256)) * 64,
    "broken-utf8.md": CLAIM.encode()[:-2] + b"\xff\xfe\xfa" * 50,
}


def healthlint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the command line as users do, in a fresh interpreter."""
    code = "import sys; from healthlint.frontends.cli import main; sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=cwd,
        env=env,
    )


def _digests(root: Path) -> dict[Path, str]:
    return {
        p: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _assert_clean_failure(result: subprocess.CompletedProcess[str], *names: str) -> list[str]:
    """Exit 2, no traceback, and one stderr line for each of `names`, each naming its file."""
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    for name in names:
        assert sum(name in line for line in lines) == 1, (name, lines)
    return lines


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    articles = root / "articles"
    articles.mkdir()
    for name, make in GOOD.items():
        (articles / name).write_bytes(make())
    for name, data in {**QUIET, **BAD}.items():
        (articles / name).write_bytes(data)
    if hasattr(os, "symlink"):
        loop = articles / "loop"
        (loop / "a").mkdir(parents=True)
        (loop / "a" / "linked.md").write_text(CLAIM, encoding="utf-8")
        os.symlink(loop, loop / "a" / "back")
        os.symlink(loop / "nowhere", loop / "dangling.md")
    if hasattr(os, "mkfifo"):
        os.mkfifo(articles / "pipe.md")
    (articles / ".git").mkdir()
    (articles / ".git" / "HEAD.md").write_text(CLAIM, encoding="utf-8")
    (articles / "node_modules").mkdir()
    (articles / "node_modules" / "readme.md").write_text(CLAIM, encoding="utf-8")
    return root


def test_hostile_folder(hostile: Path) -> None:
    before = _digests(hostile)
    result = healthlint("--format", "json", "articles", cwd=hostile)
    bad = [*BAD, "dangling.md"] if hasattr(os, "symlink") else list(BAD)
    lines = _assert_clean_failure(result, *bad)
    assert len(lines) == len(bad), lines
    findings = json.loads(result.stdout)
    flagged = {Path(f["path"]).name for f in findings if NEEDLE in f["text"].replace(" ", "")}
    expected = set(GOOD) - {"big5.txt"}
    if hasattr(os, "symlink"):
        expected.add("linked.md")
    assert expected <= flagged
    assert {Path(f["path"]).name for f in findings} & {"HEAD.md", "readme.md"} == set()
    assert any(Path(f["path"]).name == "big5.txt" for f in findings)
    assert _digests(hostile) == before


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_beside_a_good_one(hostile: Path, name: str) -> None:
    result = healthlint("--format", "json", f"articles/{name}", "articles/utf8.md", cwd=hostile)
    (line,) = _assert_clean_failure(result, name)
    assert f"articles/{name}: " in line
    assert [f["path"] for f in json.loads(result.stdout)] != []


def test_missing_file_and_empty_input(hostile: Path) -> None:
    result = healthlint("articles/nope.md", "articles/empty.txt", cwd=hostile)
    _assert_clean_failure(result, "nope.md")
    assert healthlint("articles/empty.txt", cwd=hostile).returncode == 0


def _write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("config", "pack"),
    [
        (ALIAS_BOMB, None),
        ("- 1\n- 2\n", None),
        ("select: [\n", None),
        ("rules_dirs: [packs]\n", ALIAS_BOMB),
        ("rules_dirs: [packs]\n", "- 1\n"),
        ("rules_dirs: [packs]\n", "rules:\n  - id: x\n    kind: [unclosed\n"),
        ("rules_dirs: [packs]\n", "rules: !!python/object/apply:os.system ['echo pwned']\n"),
    ],
    ids=[
        "bomb-config",
        "list-config",
        "broken-config",
        "bomb-pack",
        "list-pack",
        "broken-pack",
        "code-pack",
    ],
)
def test_hostile_config_and_rule_packs(tmp_path: Path, config: str, pack: str | None) -> None:
    article = _write(tmp_path, "article.md", CLAIM)
    _write(tmp_path, "hostile.yaml", config)
    if pack is not None:
        _write(tmp_path, "packs/user.yaml", pack)
    before = _digests(tmp_path)
    result = healthlint("--config", "hostile.yaml", str(article), cwd=tmp_path)
    assert len(_assert_clean_failure(result, "user.yaml" if pack else "hostile.yaml")) == 1
    assert "pwned" not in result.stdout + result.stderr
    assert _digests(tmp_path) == before


SLOW_PACK = """rules:
  - id: slow-regex
    kind: pattern
    category: overclaim
    severity: warning
    message: 一条写坏了的用户规则。
    basis: 用户规则
    patterns: ['(a|aa)+$']
    examples: {bad: [aaa], good: [b]}
"""
BACKTRACKING = "a" * 60 + "!"


def test_catastrophic_regex_is_one_rule_error_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from healthlint import Config, Linter
    from healthlint.errors import RuleTimeoutError
    from healthlint.matching import analysis as analysis_module

    monkeypatch.setattr(analysis_module, "REGEX_SECONDS", 0.2)
    _write(tmp_path, "packs/slow.yaml", SLOW_PACK)
    linter = Linter(Config(rules_dirs=(str(tmp_path / "packs"),)))
    assert [f.rule for f in linter.lint("aaa")] == ["slow-regex"]
    with pytest.raises(RuleTimeoutError) as info:
        linter.lint(f"{CLAIM}\n{BACKTRACKING}")
    error = info.value
    assert error.rules == ("slow-regex",)
    assert str(error).startswith(f"{tmp_path / 'packs' / 'slow.yaml'}:2: rule slow-regex")
    assert any(f.text == NEEDLE for f in error.findings)  # the other rules still ran


def test_a_time_out_is_confirmed_by_a_second_try() -> None:
    """The `regex` module's limit is the process's CPU time, which other threads and the
    garbage collector run up too: a search that met a busy moment answers on a later try,
    charged only with its own thread's time."""
    import regex

    from healthlint.matching.analysis import TRIES, RegexTimeout, timed_finditer

    class Busy:
        """A pattern whose first search times out, as when other threads ran the clock up."""

        pattern = "x"
        calls = 0

        def finditer(self, text: str, pos: int, end: int, timeout: float) -> list[object]:
            self.calls += 1
            if self.calls == 1:
                raise TimeoutError("regex timed out")
            return list(regex.finditer("x", text[pos:end]))

    busy = Busy()
    assert len(timed_finditer(busy, "xx")) == 2  # type: ignore[arg-type]
    assert busy.calls == 2

    class Stuck(Busy):
        def finditer(self, text: str, pos: int, end: int, timeout: float) -> list[object]:
            self.calls += 1
            raise TimeoutError("regex timed out")

    stuck = Stuck()
    with pytest.raises(RegexTimeout):
        timed_finditer(stuck, "xx")  # type: ignore[arg-type]
    # Each time-out cost this thread no CPU, so it is tried again, up to TRIES times, then
    # reported (a really slow pattern spends its budget on the first try: test_regex_budget).
    assert stuck.calls == TRIES


def test_catastrophic_regex_through_the_cli(tmp_path: Path) -> None:
    _write(tmp_path, "packs/slow.yaml", SLOW_PACK)
    _write(tmp_path, "config.yaml", "rules_dirs: [packs]\n")
    for name in ("a.md", "b.md", "c.md"):
        _write(tmp_path, f"docs/{name}", f"{CLAIM}\n\n{BACKTRACKING}\n")
    before = _digests(tmp_path)
    result = healthlint("--config", "config.yaml", "--format", "json", "docs", cwd=tmp_path)
    (line,) = _assert_clean_failure(result, "slow.yaml")
    assert "slow-regex" in line and "docs/a.md" in line
    flagged = {Path(f["path"]).name for f in json.loads(result.stdout) if f["text"] == NEEDLE}
    assert flagged == {"a.md", "b.md", "c.md"}
    assert _digests(tmp_path) == before


def test_a_file_named_twice_is_linted_once(tmp_path: Path) -> None:
    _write(tmp_path, "docs/a.md", CLAIM)
    result = healthlint("--format", "json", "docs/a.md", "docs", "./docs/a.md", cwd=tmp_path)
    paths = [f["path"] for f in json.loads(result.stdout) if f["text"] == NEEDLE]
    assert paths == ["docs/a.md"]
