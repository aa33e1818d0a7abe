"""Decoding and file discovery: the real-world inputs healthlint must read or refuse clearly."""

from __future__ import annotations

import codecs
import contextlib
import os
import socket
import sys
import tracemalloc
from pathlib import Path

import pytest

from healthlint.errors import InputError, UsageError
from healthlint.sources.decode import Source, decode, read_source
from healthlint.sources.files import Ignores, input_format, iter_files

CLAIM = "这款产品能彻底治愈糖尿病，永不复发！"
TRADITIONAL = "這款產品能徹底治癒糖尿病，永不復發！本品經過臨床驗證，效果顯著。"
ARTICLE = (
    "高血压是常见的慢性病。研究表明，规律运动和低盐饮食有助于控制血压。"
    "如果出现头晕、胸闷等症状，请及时就医，遵医嘱服药，不要自行停药。"
)


@pytest.mark.parametrize(
    ("data", "encoding", "bom"),
    [
        (CLAIM.encode(), "utf-8", b""),
        (codecs.BOM_UTF8 + CLAIM.encode(), "utf-8", codecs.BOM_UTF8),
        (CLAIM.encode("utf-16"), "utf-16-le", codecs.BOM_UTF16_LE),
        (codecs.BOM_UTF16_BE + CLAIM.encode("utf-16-be"), "utf-16-be", codecs.BOM_UTF16_BE),
        (CLAIM.encode("utf-32"), "utf-32-le", codecs.BOM_UTF32_LE),
        (codecs.BOM_UTF32_BE + CLAIM.encode("utf-32-be"), "utf-32-be", codecs.BOM_UTF32_BE),
        (b"\x84\x31\x95\x33" + CLAIM.encode("gb18030"), "gb18030", b"\x84\x31\x95\x33"),
        (ARTICLE.encode("gb18030"), "gb18030", b""),
        (ARTICLE.encode("gbk"), "gb18030", b""),
    ],
    ids=["utf8", "utf8-bom", "utf16le", "utf16be", "utf32le", "utf32be", "gb-bom", "gb", "gbk"],
)
def test_decodes_and_round_trips(data: bytes, encoding: str, bom: bytes) -> None:
    source = decode(data, path="a.md")
    assert (source.encoding, source.bom) == (encoding, bom)
    assert "\ufeff" not in source.text
    assert source.encode() == data


def test_utf16_starting_with_nul_is_not_utf32() -> None:
    with pytest.raises(InputError, match="binary"):
        decode("\x00\x00abc".encode("utf-16"))
    assert decode("\U0001f600ab".encode("utf-32")).encoding == "utf-32-le"


def test_big5_is_not_read_as_gb18030() -> None:
    data = TRADITIONAL.encode("big5")
    data.decode("gb18030")  # it would decode, as mojibake
    source = decode(data)
    assert (source.text, source.encoding) == (TRADITIONAL, "big5")
    assert source.encode() == data


@pytest.mark.parametrize("text", ["ó\t", "中医（Zhōngyī）认为", "“”", "Café 咖啡因"])
def test_short_or_mixed_gb18030_is_not_read_as_big5(text: str) -> None:
    assert decode(text.encode("gb18030")).text == text


def test_big5_duplicate_codes_read_but_do_not_round_trip() -> None:
    """Why a fixer must compare the re-encoded text with the file before writing."""
    twin = decode(TRADITIONAL.encode("big5") + b"\xa2\xcc")  # 十 again; encodes as A4 51
    assert twin.text.endswith("十")
    assert twin.encode().endswith(b"\xa4\x51")


def test_traditional_text_in_gb18030_stays_gb18030() -> None:
    assert decode(TRADITIONAL.encode("gb18030")).text == TRADITIONAL


def test_windows_big5_extension_falls_back_to_cp950() -> None:
    data = TRADITIONAL.encode("big5") + "€".encode("cp950")
    assert decode(data).encoding == "cp950"


def test_explicit_encoding_overrides_detection() -> None:
    data = ARTICLE.encode("gbk")
    assert decode(data, encoding="GBK").encoding == "gbk"
    assert decode(codecs.BOM_UTF8 + b"abc", encoding="utf-8-sig").text == "abc"
    assert decode(CLAIM.encode("utf-16"), encoding="utf-16").text == CLAIM
    with pytest.raises(InputError, match=r"offset 0 \(not utf-8\)"):
        decode(data, path="a.txt", encoding="utf-8")
    with pytest.raises(UsageError, match="unknown encoding"):
        decode(b"", encoding="no-such-codec")


def test_bomless_utf16_with_ascii_is_recognised() -> None:
    data = "Hello, 世界\r\n".encode("utf-16-le")
    source = decode(data)
    assert (source.text, source.encoding, source.newline) == (
        "Hello, 世界\r\n",
        "utf-16-le",
        "\r\n",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01" * 2000, "binary file"),
        (bytes(range(256)) * 64, "binary file"),
        (b"PNG\x01\x02\x03\x04\x05\x06\x07\x08text", "binary file"),
        (CLAIM.encode()[:-2] + b"\xff\xfe\xfa" * 50, r"cannot decode byte 0xef at offset 51"),
        ("Café crème brûlée".encode("latin-1"), r"cannot decode byte 0xe9 at offset 3"),
        (("これは日本語の文章です。" * 4).encode("shift_jis"), "not GB18030 or Big5"),
        (CLAIM.encode()[:-1], "cannot decode"),
        ((CLAIM + "\x00").encode(), "binary file"),
        ("ab\x00cd".encode("utf-16-le"), "binary file"),
    ],
    ids=[
        "nul-controls",
        "all-bytes",
        "controls",
        "broken-utf8",
        "latin1",
        "shift-jis",
        "cut",
        "stray-nul",
        "utf16-nul-char",
    ],
)
def test_refuses_binary_and_undecodable(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        decode(data, path="dir/f.txt")
    line = str(info.value)
    assert line.startswith("dir/f.txt: ")
    assert "\n" not in line


def test_utf8_with_one_corrupt_byte_is_refused_not_misread() -> None:
    data = bytearray((ARTICLE * 3).encode())
    data[39] = 0xFF  # the lead byte of the 14th character
    with pytest.raises(InputError, match="byte 0xff at offset 39"):
        decode(bytes(data))


def test_a_few_tolerated_controls_are_text() -> None:
    text = "第一页\f第二页\t完\x1b[0m\n" * 10 + "\x1a"
    assert decode(text.encode()).text == text


@pytest.mark.parametrize(
    ("text", "newline"),
    [("a\r\nb\nc", "\r\n"), ("a\nb\r\n", "\n"), ("a\rb", "\r"), ("abc", "\n"), ("a\r", "\r")],
)
def test_first_newline(text: str, newline: str) -> None:
    source = decode(text.encode())
    assert source.newline == newline
    assert source.text == text  # line endings are never translated


def test_source_is_frozen() -> None:
    source = decode(b"x")
    assert isinstance(source, Source)
    with pytest.raises(AttributeError):
        source.text = "y"  # type: ignore[misc]


def test_large_file_decodes_in_proportion(tmp_path: Path) -> None:
    """20 MB of GB18030: peak memory a small multiple of the input, no quadratic step."""
    data = (ARTICLE * 20).encode("gb18030") + b"\n"
    data *= (20 << 20) // len(data)
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    tracemalloc.start()
    try:
        source = read_source(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert source.encoding == "gb18030"
    assert peak < 5 * len(data)


def test_read_source_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file") as info:
        read_source(tmp_path / "nope.md")
    assert str(tmp_path / "nope.md") in str(info.value)
    with pytest.raises(InputError, match="is a directory"):
        read_source(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs fifos")
def test_read_source_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_source(fifo)


def test_input_format() -> None:
    assert input_format("a/b.MD") == "markdown"
    assert input_format("x.markdown") == "markdown"
    assert input_format("page.htm") == "html"
    assert input_format("notes.txt") == "text"
    assert input_format("<stdin>") == "text"
    assert input_format("a.md", "html") == "html"
    with pytest.raises(UsageError):
        input_format("a.md", "pdf")


# -- discovery --------------------------------------------------------------------------------


def _listing(items: list[Path | InputError]) -> list[str]:
    return [
        f"error {item.path}: {item.message}" if isinstance(item, InputError) else str(item)
        for item in items
    ]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in (
        "docs/b.md",
        "docs/a.txt",
        "docs/sub/c.html",
        "docs/sub/d.HTM",
        "docs/z.markdown",
        "docs/image.png",
        "docs/.hidden/e.md",
        "docs/.draft.md",
        "docs/node_modules/pkg/readme.md",
        "docs/drafts/old.md",
    ):
        path = Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(CLAIM, encoding="utf-8")
    return tmp_path


def test_walks_sorted_and_skips_hidden_and_ignored(tree: Path) -> None:
    assert _listing(list(iter_files(["docs"]))) == [
        "docs/a.txt",
        "docs/b.md",
        "docs/drafts/old.md",
        "docs/sub/c.html",
        "docs/sub/d.HTM",
        "docs/z.markdown",
    ]


def test_explicit_files_are_kept_whatever_their_name(tree: Path) -> None:
    items = _listing(list(iter_files(["docs/image.png", "docs/.hidden/e.md", "docs/b.md"])))
    assert items == ["docs/image.png", "docs/.hidden/e.md", "docs/b.md"]


def test_each_file_once(tree: Path) -> None:
    items = _listing(list(iter_files(["docs/b.md", "docs", "./docs/b.md"])))
    assert items.count("docs/b.md") == 1


def test_exclude_patterns(tree: Path) -> None:
    items = _listing(list(iter_files(["docs"], exclude=["drafts", "*.txt", "docs/sub/d.*"])))
    assert items == ["docs/b.md", "docs/sub/c.html", "docs/z.markdown"]


@pytest.mark.parametrize(
    ("patterns", "left"),
    [
        (["drafts/"], ["docs/a.txt", "docs/b.md", "docs/sub/c.html", "docs/sub/d.HTM"]),
        (["/sub/"], None),  # anchored at the base folder: there is no ./sub
        (["docs/**/*.HTM"], ["docs/a.txt", "docs/b.md", "docs/drafts/old.md", "docs/sub/c.html"]),
        (["*.md", "!b.md"], ["docs/a.txt", "docs/b.md", "docs/sub/c.html", "docs/sub/d.HTM"]),
        (["sub/d.*"], None),  # with a slash: relative to the base, as in .gitignore
    ],
)
def test_excludes_have_gitignore_semantics(
    tree: Path, patterns: list[str], left: list[str] | None
) -> None:
    everything = _listing(list(iter_files(["docs"])))
    items = _listing(list(iter_files(["docs"], exclude=patterns)))
    assert items == ([*everything] if left is None else [*left, "docs/z.markdown"])


def test_exclude_patterns_are_relative_to_their_base(tree: Path) -> None:
    ignores = Ignores([(tree / "docs", ["/sub/"])])
    assert "docs/sub/c.html" not in _listing(list(iter_files(["docs"], exclude=ignores)))
    elsewhere = Ignores([(tree / "other", ["*"])])
    assert _listing(list(iter_files(["docs"], exclude=elsewhere))) == _listing(
        list(iter_files(["docs"]))
    )


def test_gitignore_is_honoured_inside_a_work_tree(tree: Path) -> None:
    (tree / ".gitignore").write_text("drafts/\n*.txt\n", encoding="utf-8")
    (tree / "docs" / "sub" / ".gitignore").write_text("c.html\n", encoding="utf-8")
    listed = _listing(list(iter_files(["docs"], exclude=Ignores(gitignore=True))))
    assert "docs/a.txt" in listed, "outside a git work tree .gitignore means nothing"
    (tree / ".git").mkdir()
    (tree / ".git" / "info").mkdir()
    (tree / ".git" / "info" / "exclude").write_text("z.markdown\n", encoding="utf-8")
    listed = _listing(list(iter_files(["docs"], exclude=Ignores(gitignore=True))))
    assert listed == ["docs/b.md", "docs/sub/d.HTM"]
    assert len(_listing(list(iter_files(["docs"], exclude=Ignores(gitignore=False))))) == 6
    named = _listing(list(iter_files(["docs/a.txt"], exclude=Ignores(gitignore=True))))
    assert named == ["docs/a.txt"], "a file named explicitly is linted"


def test_exclude_applies_to_files_named_explicitly(tree: Path) -> None:
    assert _listing(list(iter_files(["docs/a.txt", "docs/b.md"], exclude=["*.txt"]))) == [
        "docs/b.md"
    ]


def test_missing_path_is_an_error_and_the_rest_goes_on(tree: Path) -> None:
    items = _listing(list(iter_files(["nope.md", "", "docs/b.md"])))
    assert items == [
        "error nope.md: no such file or directory",
        "error None: empty path",
        "docs/b.md",
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_and_dangling_link(tmp_path: Path) -> None:
    root = tmp_path / "loop"
    (root / "a").mkdir(parents=True)
    (root / "a" / "article.md").write_text(CLAIM, encoding="utf-8")
    os.symlink(root, root / "a" / "back")
    os.symlink(root / "a", root / "again")
    os.symlink(root / "nowhere", root / "dangling.md")
    os.symlink("self.md", root / "self.md")
    items = _listing(list(iter_files([str(root)])))
    assert items == [
        f"{root}/a/article.md",
        f"error {root}/dangling.md: broken symbolic link",
        f"error {root}/self.md: symbolic link loop",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs fifos")
def test_special_files_are_skipped_in_folders_and_refused_by_name(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    if sys.platform != "win32":
        # a socket path can be too long on some systems; the fifo still makes the point
        with socket.socket(socket.AF_UNIX) as sock, contextlib.suppress(OSError):
            sock.bind(str(tmp_path / "sock.md"))
    (tmp_path / "ok.md").write_text(CLAIM, encoding="utf-8")
    assert _listing(list(iter_files([str(tmp_path)]))) == [f"{tmp_path}/ok.md"]
    assert _listing(list(iter_files([str(tmp_path / "pipe.md")]))) == [
        f"error {tmp_path}/pipe.md: not a regular file (fifo, socket or device)"
    ]


def test_unreadable_folder_is_an_error_and_the_rest_goes_on(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path) == Path("docs/sub"):  # chmod 0 would not stop root, so refuse here
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = _listing(list(iter_files(["docs"])))
    assert "error docs/sub: permission denied" in items
    assert items[-1] == "docs/z.markdown"


def test_deep_folders_do_not_recurse(tmp_path: Path) -> None:
    deep = tmp_path
    for _ in range(200):
        deep = deep / "d"
    deep.mkdir(parents=True)
    (deep / "x.md").write_text(CLAIM, encoding="utf-8")
    assert _listing(list(iter_files([str(tmp_path)]))) == [str(deep / "x.md")]
