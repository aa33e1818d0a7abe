"""The command line through `main(argv)`: formats, exit codes, stdin, errors, never writing."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from healthlint.frontends.cli import main

CLAIM = "这款产品能彻底治愈糖尿病，永不复发！\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.md"
    path.write_text("# 标题\n\n" + CLAIM, encoding="utf-8")
    return path


def test_text_output_names_path_line_col_and_marks_characters(capsys, article: Path) -> None:
    code, out, _ = run(capsys, str(article))
    assert code == 1
    assert f"{article}:3:6: error [cure-promise]" in out
    assert "^^^^^^^^" in out  # four wide characters under 彻底治愈


def test_json_output(capsys, article: Path) -> None:
    code, out, _ = run(capsys, "--format", "json", str(article))
    data = json.loads(out)
    assert code == 1 and data
    assert {
        "path",
        "rule",
        "category",
        "severity",
        "message",
        "start",
        "end",
        "line",
        "column",
        "text",
    } <= set(data[0])
    assert data[0]["path"] == str(article)


def test_clean_file_exits_zero(capsys, tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text("多吃蔬菜水果，规律作息。\n", encoding="utf-8")
    assert run(capsys, str(clean))[0] == 0


def test_fail_on_error_ignores_warnings(capsys, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("这是革命性的疗法。\n", encoding="utf-8")
    assert run(capsys, str(path))[0] == 1
    assert run(capsys, "--fail-on", "error", str(path))[0] == 0


def test_stdin(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CLAIM.encode())))
    code, out, _ = run(capsys, "--stdin-filename", "post.md", "-")
    assert code == 1 and "post.md:1:6" in out


@pytest.mark.parametrize(
    "args",
    [["--no-such-option", "x"], ["missing-file.md"], ["--format", "yaml", "x"], []],
)
def test_errors_are_one_line_and_exit_2(
    capsys, tmp_path: Path, monkeypatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *args)
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(("healthlint: ", "missing-file.md: "))


def test_bad_file_beside_good_file(capsys, tmp_path: Path, article: Path) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 16)
    code, out, err = run(capsys, str(binary), str(article))
    assert code == 2 and "photo.txt" in err and "彻底治愈" in out


def test_broken_rule_pack_names_the_file(capsys, tmp_path: Path, article: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "broken.yaml").write_text("rules:\n  - id: x\n    kind: [unclosed\n", encoding="utf-8")
    config = tmp_path / "cfg.yaml"
    config.write_text(f"rules_dirs: [{packs}]\n", encoding="utf-8")
    code, _, err = run(capsys, "--config", str(config), str(article))
    assert code == 2 and "broken.yaml:4" in err and err.count("\n") == 1


def test_config_is_found_upward(capsys, tmp_path: Path, monkeypatch, article: Path) -> None:
    (tmp_path / ".healthlint.yaml").write_text("ignore: [overclaim]\n", encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    assert run(capsys, str(article))[0] == 0


def test_pyproject_config(capsys, tmp_path: Path, monkeypatch, article: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.healthlint]\nignore = ["overclaim"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert run(capsys, str(article))[0] == 0


def test_never_writes_the_files_it_reads(capsys, article: Path) -> None:
    before = hashlib.sha256(article.read_bytes()).hexdigest()
    run(capsys, "--format", "json", str(article))
    run(capsys, str(article))
    assert hashlib.sha256(article.read_bytes()).hexdigest() == before


def test_console_script_help_does_not_import_jieba() -> None:
    code = (
        "import sys\nfrom healthlint.frontends.cli import main\n"
        "try: main(['--help'])\nexcept SystemExit: pass\nprint('jieba' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().endswith("False")


def test_english_on_request(capsys, article: Path) -> None:
    code, out, _ = run(capsys, "--language", "en", str(article))
    assert code == 1 and "suggestion:" in out and "file(s) with problems" in out
    assert "建议" not in out


def test_long_lines_are_quoted_around_the_finding(capsys, tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    text = "规律作息有益健康。" * 40 + "本品能彻底治愈糖尿病。" + "多喝水。" * 40
    path.write_text(text, encoding="utf-8")
    _, out, _ = run(capsys, str(path))
    quoted = next(ln for ln in out.splitlines() if ln.startswith("    ...") and "治愈" in ln)
    assert quoted.endswith("...") and len(quoted) < 120
