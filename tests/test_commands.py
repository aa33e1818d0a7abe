"""The command line's commands and options: subcommands with their own help, a folder named
like a command, nothing linted, output files, concise and GitLab reports, completion, what
would be linted, trust for platforms, suppression notices, fix summaries and the pool."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from healthlint.frontends.cli import COMMANDS, main
from healthlint.run import Configs, Sessions, Tally, lint_paths

CLAIM = "本品能彻底治愈糖尿病，永不复发！\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(autouse=True)
def isolated_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_help_lists_every_command(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert f"\n  {name} " in out
    assert "--format" in out and "Exit codes" in out


@pytest.mark.parametrize("name", ["check", "rules", "explain", "batch", "completion"])
def test_each_command_has_its_own_help(capsys, name: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([name, "--help"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith(
        f"usage: healthlint {name}" if name != "check" else "usage: healthlint [check]"
    )


def test_a_folder_named_rules_is_linted_with_check(capsys, tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "a.md").write_text(CLAIM, encoding="utf-8")
    code, out, _ = run(capsys, "check", "rules")
    assert code == 1 and "rules/a.md:1:4" in out
    code, out, _ = run(capsys, "./rules")
    assert code == 1


def test_version(capsys) -> None:
    from healthlint import __version__

    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"healthlint {__version__}"


@pytest.mark.parametrize("make", ["empty", "unsupported", "excluded"])
def test_nothing_linted_is_exit_2(capsys, tmp_path: Path, make: str) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    if make == "unsupported":
        (folder / "photo.bmp").write_bytes(b"BM")
    if make == "excluded":
        (folder / "a.md").write_text(CLAIM, encoding="utf-8")
        (tmp_path / ".healthlint.yaml").write_text("exclude: [content/]\n", encoding="utf-8")
    for format in ("text", "json", "sarif"):
        code, out, err = run(capsys, "--format", format, "content")
        assert code == 2 and out == ""
        assert err.startswith("healthlint: nothing was linted") and err.count("\n") == 1


def test_files_named_but_excluded_are_not_an_error(capsys, tmp_path: Path) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "a.md").write_text(CLAIM, encoding="utf-8")
    (tmp_path / ".healthlint.yaml").write_text("exclude: [drafts/]\n", encoding="utf-8")
    code, _, err = run(capsys, "drafts/a.md")
    assert code == 0 and "excludes every file named (1)" in err


def test_excludes_are_relative_to_the_config_file(capsys, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "content" / "drafts").mkdir(parents=True)
    (tmp_path / "content" / "drafts" / "a.md").write_text(CLAIM, encoding="utf-8")
    (tmp_path / "content" / "b.md").write_text(CLAIM, encoding="utf-8")
    (tmp_path / ".healthlint.yaml").write_text("exclude: [/content/drafts/]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "content")
    code, out, _ = run(capsys, "--show-files", ".")
    assert code == 0 and out.split() == ["b.md"]


def test_gitignore_is_honoured_with_a_switch(capsys, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("build/\n", encoding="utf-8")
    for name in ("build/a.md", "b.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(CLAIM, encoding="utf-8")
    assert run(capsys, "--show-files", ".")[1].split() == ["b.md"]
    listed = run(capsys, "--show-files", "--no-respect-gitignore", ".")[1].split()
    assert listed == ["b.md", "build/a.md"]
    (tmp_path / ".healthlint.yaml").write_text("respect_gitignore: false\n", encoding="utf-8")
    assert run(capsys, "--show-files", ".")[1].split() == ["b.md", "build/a.md"]


def test_output_file_and_concise_format(capsys, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(CLAIM, encoding="utf-8")
    code, out, _ = run(capsys, "--format", "concise", "-o", "report.txt", "a.md")
    assert code == 1 and out == ""
    lines = (tmp_path / "report.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("a.md:1:4: error [cure-promise] ")
    assert lines[-1] == f"{len(lines) - 1} finding(s) in 1 file(s)"


#: GitLab's documented Code Quality fields (docs.gitlab.com, "Code Quality report format").
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "additionalProperties": False,
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string"},
                    "lines": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def test_gitlab_code_quality_report(capsys, tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("# 标题\n\n" + CLAIM * 2, encoding="utf-8")
    code, out, _ = run(capsys, "--format", "gitlab", str(tmp_path / "content"))
    issues = json.loads(out)
    assert code == 1 and issues
    jsonschema.validate(issues, GITLAB_SCHEMA)
    assert len({i["fingerprint"] for i in issues}) == len(issues), "GitLab keeps one per print"
    assert {i["location"]["path"] for i in issues} == {"content/a.md"}
    assert {i["location"]["lines"]["begin"] for i in issues} == {3, 4}


def test_sarif_links_rules_and_categories_and_notes_unreadable_files(capsys, tmp_path) -> None:
    (tmp_path / "a.md").write_text(CLAIM, encoding="utf-8")
    (tmp_path / "photo.txt").write_bytes(bytes(range(256)) * 8)
    with open(os.fsencode(tmp_path) + b"/bad-\xff.md", "wb") as named:  # not a UTF-8 name
        named.write(CLAIM.encode())
    code, out, _ = run(capsys, "--format", "sarif", str(tmp_path))
    log = json.loads(out)
    (sarif,) = log["runs"]
    driver = sarif["tool"]["driver"]
    assert code == 2 and driver["informationUri"].startswith("https://")
    for rule in driver["rules"]:
        assert rule["helpUri"].endswith(f"docs/rules/{rule['id']}.md")
        assert "docs/categories.md#" in rule["help"]["text"]
    (invocation,) = sarif["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("photo.txt")
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["results"]
    }
    assert any(uri.endswith("bad-%FF.md") for uri in uris)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(capsys, shell: str) -> None:
    code, out, _ = run(capsys, "completion", shell)
    assert code == 0 and "healthlint" in out
    for word in ("check", "explain", "batch", "--format", "--fail-on"):
        assert word in out


def test_completion_is_the_only_command_that_imports_shtab() -> None:
    probe = (
        "import sys\nfrom healthlint.frontends.cli import main\n"
        "try: main(sys.argv[1:])\nexcept SystemExit: pass\nprint('shtab' in sys.modules)"
    )
    for argv, expected in ((["--help"], "False"), (["completion", "bash"], "True")):
        result = subprocess.run(
            [sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=False
        )
        assert result.stdout.splitlines()[-1] == expected


def test_missing_server_module_names_the_install(capsys, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "healthlint.frontends.lsp", None)  # import fails
    monkeypatch.setitem(sys.modules, "healthlint.frontends.web", None)
    for name, extra in (("server", "lsp"), ("serve", "serve")):
        code, _, err = run(capsys, name)
        assert code == 2 and f"pip install 'healthlint[{extra}]'" in err
        assert err.count("\n") == 1


def test_unknown_and_unused_suppressions_are_warnings(capsys, tmp_path: Path) -> None:
    text = (
        "<!-- healthlint-disable-next-line cure-promis -->\n本品能彻底治愈糖尿病。\n"
        "<!-- healthlint-disable-next-line share-solicitation -->\n多喝水。\n"
        "<!-- healthlint-disable-next-line overclaim -->\n本品能彻底治愈高血压。\n"
    )
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    _, out, _ = run(capsys, "--format", "json", "a.md")
    found = {(f["rule"], f["line"]) for f in json.loads(out)}
    assert ("unknown-suppression", 1) in found and ("cure-promise", 2) in found
    assert ("unused-suppression", 3) in found
    assert ("cure-promise", 6) not in found and ("unused-suppression", 5) not in found


def test_no_inline_config_ignores_a_submissions_comments(capsys, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("<!-- healthlint-disable -->\n" + CLAIM, encoding="utf-8")
    assert run(capsys, "a.md")[0] == 0
    code, out, _ = run(capsys, "--no-inline-config", "--format", "json", "a.md")
    assert code == 1 and "cure-promise" in out and "suppression" not in out
    (tmp_path / ".healthlint.yaml").write_text("inline_config: false\n", encoding="utf-8")
    assert run(capsys, "a.md")[0] == 1


def test_fix_and_diff_say_how_many_fixes_in_how_many_files(capsys, tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("了解详情请扫码添加官方微信。\n", encoding="utf-8")
    code, out, err = run(capsys, "--diff", ".")
    assert code == 1 and out.count("+++ ") == 2
    assert err.strip().startswith("healthlint: would apply 2 fixes in 2 files")
    before = (tmp_path / "a.md").read_text(encoding="utf-8")
    _, _, err = run(capsys, "--fix", ".")
    assert "applied 2 fixes in 2 files" in err
    assert (tmp_path / "a.md").read_text(encoding="utf-8") != before


def test_terminal_escapes_in_a_file_never_reach_the_terminal(capsys, tmp_path: Path) -> None:
    (tmp_path / "a\x1b]0;x\x07.md").write_text("\x1b[2J本品能彻底治愈糖尿病。\u202e\n", "utf-8")
    for format in ("text", "concise", "github", "json", "sarif", "gitlab", "report"):
        _, out, _ = run(capsys, "--format", format, ".")
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out, format


def test_many_files_use_the_pool_and_give_what_one_process_gives(tmp_path: Path) -> None:
    import healthlint.run as run_module

    for n in range(30):
        (tmp_path / f"{n:02}.md").write_text(CLAIM if n % 3 else "多喝水。\n", encoding="utf-8")
    sessions = Sessions(Configs(isolated=True))
    serial = list(lint_paths(sessions, [str(tmp_path)], jobs=1))
    previous, run_module.POOL_THRESHOLD = run_module.POOL_THRESHOLD, 10
    try:
        tally = Tally()
        pooled = list(
            lint_paths(Sessions(Configs(isolated=True)), [str(tmp_path)], tally=tally, jobs=2)
        )
    finally:
        run_module.POOL_THRESHOLD = previous
    assert pooled == serial and tally.linted == 30
