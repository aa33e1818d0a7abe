"""Fixes: only the flagged sentences change, fluently; encoding, BOM, line endings and mode
survive (tests/test_fix_safety.py: links, owners, races, markup, punctuation)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from handmade import finding_at

from healthlint import Linter
from healthlint.errors import InputError
from healthlint.finding import Fix
from healthlint.frontends.cli import main
from healthlint.results.fix import (
    apply_fixes,
    fixes_of,
    unified_diff,
    write_atomic,
    write_fixed,
)
from healthlint.sources.decode import Source, read_source

TEXT = "本品可彻底治愈糖尿病。\r\n记得转发到朋友圈！\r\n"
FIXES = {"cure-promise": Fix("有助于改善"), "share": Fix("")}


def findings(text: str = TEXT) -> list:
    return [
        finding_at(text, "彻底治愈"),
        finding_at(text, "记得转发到朋友圈", rule="share", category="share-solicitation"),
    ]


def test_fixes_of_the_shipped_rules() -> None:
    rules = Linter().rules
    fixes = fixes_of(rules)
    assert fixes["share-request"] == Fix("")
    assert set(fixes) == {r.id for r in rules if r.fix is not None}


def test_apply_replaces_and_deletes_the_prompt_with_its_sentence() -> None:
    new, applied = apply_fixes(TEXT, findings(), FIXES)
    assert new == "本品可有助于改善糖尿病。\r\n"
    assert len(applied) == 2


def test_rules_without_fix_and_overlaps_are_left() -> None:
    overlapping = finding_at(TEXT, "治愈糖尿病", rule="share")
    no_fix = finding_at(TEXT, "糖尿病", rule="other")
    new, applied = apply_fixes(TEXT, [findings()[0], overlapping, no_fix], FIXES)
    assert new == "本品可有助于改善糖尿病。\r\n记得转发到朋友圈！\r\n"
    assert [f.text for f in applied] == ["彻底治愈"]


def test_diff_shows_the_change_with_its_line_ending() -> None:
    new, _ = apply_fixes(TEXT, findings(), FIXES)
    diff = unified_diff("a.md", TEXT, new)
    assert diff.startswith("--- a/a.md\n+++ b/a.md\n")
    assert "-本品可彻底治愈糖尿病。\r\n" in diff
    assert "+本品可有助于改善糖尿病。\r\n" in diff
    assert unified_diff("a.md", TEXT, TEXT) == ""


def test_diff_marks_a_missing_final_newline() -> None:
    assert "\\ No newline at end of file" in unified_diff("a", "彻底治愈", "有助于")


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("gb18030", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-8", b"")],
)
def test_round_trip_changes_nothing_but_the_fix(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(bom + TEXT.encode(encoding))
    path.chmod(0o640)
    source = read_source(path)
    assert (source.encoding.replace("_", "-"), source.bom) == (encoding, bom)
    new, _ = apply_fixes(source.text, findings(source.text), FIXES)
    write_fixed(source, new)
    data = path.read_bytes()
    assert data == bom + "本品可有助于改善糖尿病。\r\n".encode(encoding)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_file_changed_since_read_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode())
    source = read_source(path)
    path.write_bytes((TEXT + "编辑中").encode())
    with pytest.raises(InputError):
        write_fixed(source, "x")
    assert path.read_bytes() == (TEXT + "编辑中").encode()


def test_lossy_decode_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xff\xfe" + "彻底治愈".encode("utf-16-le"))
    lossy = Source(str(path), "彻底治愈", "utf-8")
    with pytest.raises(InputError):
        write_fixed(lossy, "改善")


def test_unencodable_replacement_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    with pytest.raises(InputError):
        write_fixed(Source(str(path), "abc", "latin-1"), "改善")
    assert path.read_bytes() == b"abc"


def test_failed_write_leaves_the_original_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old")

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


# Through the command line: --fix writes only when asked, --diff never.
SHARE = "孕期注意补充叶酸。\r\n觉得有用就给我点个赞吧。\r\n"


def test_cli_fix_round_trips_gb18030_and_crlf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(SHARE.encode("gb18030"))
    path.chmod(0o604)
    assert main(["--fix", str(path)]) == 0
    assert path.read_bytes() == "孕期注意补充叶酸。\r\n".encode("gb18030")
    assert stat.S_IMODE(path.stat().st_mode) == 0o604
    assert "给我点个赞" not in capsys.readouterr().out


def test_cli_fix_keeps_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf" + "给我点个赞\n".encode())
    assert main(["--fix", str(path)]) == 0
    assert path.read_bytes() == b"\xef\xbb\xbf"  # the prompt's line goes with it


def test_cli_diff_shows_the_fix_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(SHARE.encode("gb18030"))
    assert main(["--diff", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"--- a/{path}\n" in out
    assert " 孕期注意补充叶酸。\r\n-觉得有用就给我点个赞吧。\r\n" in out
    assert path.read_bytes() == SHARE.encode("gb18030")


def test_cli_without_fix_never_writes(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(SHARE.encode("gb18030"))
    before = path.stat()
    assert main([str(path)]) == 1
    after = path.stat()
    assert path.read_bytes() == SHARE.encode("gb18030")
    assert (before.st_mtime_ns, before.st_ino) == (after.st_mtime_ns, after.st_ino)


def test_cli_fix_replaces_with_a_user_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "mild.yaml").write_text(
        """rules:
  - id: absolute-best
    kind: term
    category: overclaim
    severity: warning
    message: {zh: 绝对化用语。, en: Absolute term.}
    basis: 《广告法》第九条第（三）项
    fix: {replace: 较好的}
    terms: [最好的]
    examples:
      bad: [这是最好的疗法。]
      good: [效果因人而异。]
""",
        encoding="utf-8",
    )
    (tmp_path / ".healthlint.yaml").write_text(
        "rules_dirs: [packs]\ndefault_rules: false\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "a.md"
    path.write_bytes("这是最好的疗法。\r\n".encode())
    assert main(["--fix", "a.md"]) == 0
    assert path.read_bytes() == "这是较好的疗法。\r\n".encode()


def test_cli_fix_refuses_stdin() -> None:
    assert main(["--fix", "-"]) == 2
