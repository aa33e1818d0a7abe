"""--fix loses nothing: links, owners, concurrent saves and markup survive; Chinese stays fluent."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest

from healthlint import Linter
from healthlint.errors import InputError
from healthlint.results import fix as fixing
from healthlint.results.fix import apply_fixes, fixes_of, write_atomic, write_fixed
from healthlint.sources.decode import read_source

BEFORE = "孕期注意补充叶酸。\n觉得有用就给我点个赞吧。\n"
AFTER = "孕期注意补充叶酸。\n"


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def fixed(linter: Linter, text: str, fmt: str | None = "text") -> str:
    """`text` with its findings fixed; `fmt` None: the format is not known to the fixer."""
    findings = linter.lint(text, format=fmt or "text")
    new, _ = apply_fixes(text, findings, fixes_of(linter.rules), format=fmt)
    return new


def fix_file(linter: Linter, path: Path) -> None:
    source = read_source(path)
    write_fixed(source, fixed(linter, source.text))


# -- what is written, and where ----------------------------------------------------------


def test_a_symlink_stays_a_link_and_its_target_is_fixed(linter: Linter, tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_text(BEFORE, encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    fix_file(linter, link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == AFTER


def test_hard_links_stay_one_file(linter: Linter, tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    first.write_text(BEFORE, encoding="utf-8")
    second = tmp_path / "b.txt"
    os.link(first, second)
    inode = first.stat().st_ino
    fix_file(linter, first)
    assert first.stat().st_ino == second.stat().st_ino == inode
    assert second.read_text(encoding="utf-8") == AFTER


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_owner_group_and_mode_stay(linter: Linter, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(BEFORE, encoding="utf-8")
    os.chown(path, 4321, 4322)
    path.chmod(0o640)
    fix_file(linter, path)
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (4321, 4322, 0o640)
    assert path.read_text(encoding="utf-8") == AFTER


def test_an_owner_the_user_cannot_give_is_kept_by_writing_in_place(
    linter: Linter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(BEFORE, encoding="utf-8")
    inode = path.stat().st_ino

    def refuse(*args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(fixing, "_same_owner", lambda fd, info: False)
    monkeypatch.setattr(os, "fchown", refuse)
    fix_file(linter, path)
    assert path.stat().st_ino == inode  # the same file, not a replacement
    assert path.read_text(encoding="utf-8") == AFTER
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_a_save_made_while_the_fix_is_written_is_kept(
    linter: Linter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race: the file is read, the fix is computed and written to a temporary file, and
    an editor saves in between. The fix must give way to the save."""
    path = tmp_path / "a.txt"
    path.write_text(BEFORE, encoding="utf-8")
    source = read_source(path)
    new_text = fixed(linter, source.text)
    real_fsync = os.fsync

    def editor_saves(fd: int) -> None:
        real_fsync(fd)
        path.write_text(BEFORE + "编辑器刚保存的一行。\n", encoding="utf-8")

    monkeypatch.setattr(os, "fsync", editor_saves)
    with pytest.raises(InputError, match="changed since it was read"):
        write_fixed(source, new_text)
    assert path.read_text(encoding="utf-8") == BEFORE + "编辑器刚保存的一行。\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_a_fifo_is_refused_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        write_atomic(fifo, b"x")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_an_unwritable_folder_is_one_line_error(
    linter: Linter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(BEFORE, encoding="utf-8")
    source = read_source(path)

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(InputError, match="not fixed: permission denied"):
        write_fixed(source, fixed(linter, source.text))
    assert path.read_text(encoding="utf-8") == BEFORE


# -- what a fix may touch ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("html", "<p>请加<b>微信</b>abc123咨询。</p>"),
        ("html", '<p>扫码<a href="https://example.com/qr">添加微信</a></p>'),
        ("markdown", "请[加微信abc123](https://example.com)咨询。"),
        ("markdown", "扫码**添加**微信"),
        (None, "扫码**添加**微信"),  # with no format known, `**` may be markup: left alone
    ],
)
def test_markup_inside_a_flag_is_never_deleted(linter: Linter, fmt: str | None, text: str) -> None:
    assert linter.lint(text, format=fmt or "markdown"), "the example must give a finding"
    assert fixed(linter, text, fmt) == text


def test_prose_around_markup_is_fixed(linter: Linter) -> None:
    assert fixed(linter, "<p>正文。</p><p>扫码添加官方微信</p>", "html") == "<p>正文。</p><p></p>"


# -- what is left reads as Chinese -----------------------------------------------------------

FLUENT = {
    "咨询热线：0571-88886666": "",
    "订购请拨打138 0013 8000。": "",
    "本文介绍糖尿病的饮食。咨询电话：13800138000，欢迎来电。": "本文介绍糖尿病的饮食。欢迎来电。",
    "有需要的朋友加V信：jkys2024": "",
    "想了解疗程的请加小编微信。": "",
    "效果好并扫码添加微信。": "效果好。",
    "我们的专家很专业，加微信abc123了解更多，谢谢。": "我们的专家很专业，谢谢。",
    "扫🐎进群，领取控糖资料。": "领取控糖资料。",
    "看完转发，保你全家平安。": "",
    "内容很实用，记得收藏哦。": "内容很实用。",
    "希望动动您发财的小手，给我点个赞。": "",
    "如果您能转发到微信群或朋友圈，就会让更多家庭受益。": "",
    "觉得有用就点个赞、点个在看吧！": "",
    "赶紧转发，让更多人看到！": "",
    "正文。\n\n扫码添加官方微信\n\n下一段。": "正文。\n\n\n下一段。",
    "加 微 信ＶＸ": "",
}


@pytest.mark.parametrize("text", list(FLUENT))
def test_a_deletion_takes_its_clause_and_punctuation(linter: Linter, text: str) -> None:
    assert fixed(linter, text) == FLUENT[text]


@pytest.mark.parametrize(
    "text",
    [
        "本品效果好加微信abc123",  # the clause says more than the prompt
        "欢迎转发给身边每一位正在减肥的朋友。",
    ],
)
def test_no_certain_rewrite_is_reported_not_fixed(linter: Linter, text: str) -> None:
    assert linter.lint(text)
    assert fixed(linter, text) == text


def test_every_shipped_bad_example_fixes_to_fluent_text(linter: Linter) -> None:
    """Each delete-fix rule's bad examples, alone and inside a paragraph: the fix leaves no
    two marks together, no mark opening a line, and the neighbours untouched."""
    fixes = fixes_of(linter.rules)
    for rule in linter.rules:
        fix = fixes.get(rule.id)
        if fix is None or not fix.deletes:
            continue
        for example in rule.bad_examples:
            body = example.rstrip("。！!")
            for text in (
                example,
                f"第一句话。{body}。最后一句话。",
                f"前面的话，{body}，后面的话。",
            ):
                new = fixed(linter, text)
                assert not any(pair in new for pair in ("，，", "，。", "：，", "：。", "，！")), (
                    text,
                    new,
                )
                assert not new.startswith(("，", "。", "！")), (text, new)
                if text.startswith("第一句话。"):
                    assert new.startswith("第一句话。") and new.endswith("最后一句话。"), new
