"""The language server, driven over stdio by a real LSP client (pytest-lsp, on pygls).

Every test starts `python -m healthlint.frontends.lsp` as an editor would, speaks LSP to it
and checks what an editor would show: diagnostics whose ranges are the findings' spans in
UTF-16 code units, code actions whose edits give the expected text, hover, and the
configuration nearest to the document.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytest_lsp = pytest.importorskip(
    "pytest_lsp", reason="the language-server tests need the 'lsp' and 'dev' extras"
)
from lsprotocol import types  # noqa: E402
from pygls.protocol import default_converter  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features  # noqa: E402

from healthlint import Config, Finding, Linter  # noqa: E402
from healthlint.frontends import positions  # noqa: E402
from healthlint.frontends.service import DEFAULT_DOCS_BASE  # noqa: E402
from healthlint.results.fix import apply_fixes, fixes_of  # noqa: E402

SERVER = [sys.executable, "-m", "healthlint.frontends.lsp", "--debounce-ms", "100"]
ASTRAL = "😀𠀀"  # an emoji and an extension-B ideograph: two UTF-16 units each
TIMEOUT = 30.0


def make_client() -> LanguageClient:
    """pytest-lsp's client, also keeping every publishDiagnostics in order (with its
    version), so a test can wait for the diagnostics of one exact version."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []  # type: ignore[attr-defined]

    def publish(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.published.append(params)  # type: ignore[attr-defined]

    def register(client: LanguageClient, params: types.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    client.registrations = []  # type: ignore[attr-defined]
    register_lsp_features(
        client,
        {
            **DEFAULT_CLIENT_FEATURES,
            types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: publish,
            types.CLIENT_REGISTER_CAPABILITY: register,
        },
    )
    return client


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, client_factory=make_client))
async def client(lsp_client: LanguageClient, tmp_path: Path):  # type: ignore[no-untyped-def]
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="workspace")],
        )
    )
    yield
    await lsp_client.shutdown_session()


# -- helpers -----------------------------------------------------------------------------------


def utf16_position(text: str, offset: int) -> types.Position:
    """The LSP position of a code-point offset, computed independently of the server:
    lines end at \\n, \\r\\n or \\r; the character counts UTF-16 code units."""
    before = text[:offset].replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n")
    column = before[before.rfind("\n") + 1 :]
    return types.Position(line=line, character=len(column.encode("utf-16-le")) // 2)


def utf16_range(text: str, start: int, end: int) -> types.Range:
    return types.Range(start=utf16_position(text, start), end=utf16_position(text, end))


def offset_of(text: str, position: types.Position) -> int:
    """The code-point offset of an LSP position (UTF-16), independently of the server."""
    lines = text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: position.line])
    units = 0
    for index, char in enumerate(lines[position.line]):
        if units >= position.character:
            return offset + index
        units += 2 if ord(char) > 0xFFFF else 1
    return offset + len(lines[position.line])


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (all against the original text), last first."""
    spans = [
        (offset_of(text, e.range.start), offset_of(text, e.range.end), e.new_text) for e in edits
    ]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    edit = action.edit
    assert edit is not None
    if edit.document_changes:
        (change,) = edit.document_changes
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.uri == uri
        return list(change.edits)  # type: ignore[arg-type]
    assert edit.changes is not None
    return list(edit.changes[uri])


async def until(condition: Callable[[], Any], what: str) -> Any:
    """Wait for `condition()` to be truthy (the server answers asynchronously)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while loop.time() < deadline:
        value = condition()
        if value:
            return value
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def diagnostics_for(client: LanguageClient, uri: str, version: int) -> list[types.Diagnostic]:
    """The diagnostics the server published for exactly `version` of `uri`."""

    def found() -> list[types.Diagnostic] | None:
        for params in reversed(client.published):  # type: ignore[attr-defined]
            if params.uri == uri and params.version == version:
                return list(params.diagnostics) or [None]  # type: ignore[list-item]
        return None

    result = await until(found, f"diagnostics of {uri} version {version}")
    return [d for d in result if d is not None]


def expected(text: str, format: str = "text", config: Config | None = None) -> list[Finding]:
    return Linter(config).lint(text, format=format)


def spans(diagnostics: list[types.Diagnostic]) -> list[tuple[str, types.Range]]:
    return [(str(d.code), d.range) for d in diagnostics]


def open_document(
    client: LanguageClient, path: Path, text: str, language_id: str = "plaintext"
) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=language_id, version=1, text=text
            )
        )
    )
    return uri


def full_change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


ARTICLE = (
    f"{ASTRAL}本品能彻底治愈糖尿病，永不复发！\n"
    f"喜欢就点个赞，{ASTRAL}转发到朋友圈吧。\n"
    "扫码添加微信，领取资料。\n"
)


# -- positions, without a client ---------------------------------------------------------------


@pytest.mark.parametrize("encoding", positions.ENCODINGS)
def test_positions_round_trip(encoding: str) -> None:
    text = f"a{ASTRAL}b\r\n第二行{ASTRAL}\r第三行\n\u2028同一行\n"
    index = positions.LineIndex(text, encoding)
    for offset in range(len(text) + 1):
        if text[offset - 1 : offset + 1] == "\r\n":
            continue  # between CR and LF is not a position an editor can name
        assert index.offset(index.position(offset)) == offset
    assert index.position(len(text)).line == 4  # U+2028 does not end a line in LSP


def test_utf16_positions_count_surrogate_pairs() -> None:
    text = f"{ASTRAL}彻底治愈"
    index = positions.LineIndex(text)
    assert index.position(2) == positions.Position(0, 4)
    assert positions.Utf16Offsets(text)(2) == 4
    # A position inside a surrogate pair means the character it is in.
    assert index.offset(positions.Position(0, 1)) == 0
    # Past the end of a line is the end of that line (LSP), not the next line.
    assert positions.LineIndex("ab\ncd").offset(positions.Position(0, 99)) == 2


# -- diagnostics -------------------------------------------------------------------------------


async def test_open_publishes_findings_at_utf16_ranges(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = open_document(client, tmp_path / "workspace" / "article.txt", ARTICLE)
    diagnostics = await diagnostics_for(client, uri, 1)
    findings = expected(ARTICLE)
    assert findings, "the article must have findings"
    assert spans(diagnostics) == [(f.rule, utf16_range(ARTICLE, f.start, f.end)) for f in findings]
    for diagnostic, finding in zip(diagnostics, findings, strict=True):
        assert diagnostic.source == "healthlint"
        assert diagnostic.code_description is not None
        assert diagnostic.code_description.href == f"{DEFAULT_DOCS_BASE}/{finding.rule}.md"
        assert finding.message in diagnostic.message
        assert finding.suggestion and finding.suggestion in diagnostic.message
        assert finding.basis and finding.basis in diagnostic.message
        severity = {"error": 1, "warning": 2, "info": 3}[finding.severity]
        assert diagnostic.severity == severity


async def test_typing_character_by_character(client: LanguageClient, tmp_path: Path) -> None:
    """An empty document typed into one character at a time (astral characters included),
    with a backspace and an insertion in the middle of a line before an emoji: the server's
    copy must follow every incremental change, and only the last version's diagnostics
    count."""
    uri = open_document(client, tmp_path / "workspace" / "draft.md", "", "markdown")
    await diagnostics_for(client, uri, 1)
    text, version = "", 1
    target = ARTICLE.replace("永不复发", "永不复发X")

    def send(start: int, end: int, new: str) -> None:
        nonlocal text, version
        version += 1
        change = types.TextDocumentContentChangePartial(
            range=utf16_range(text, start, end), text=new
        )
        text = text[:start] + new + text[end:]
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[change],
            )
        )

    for char in target:
        send(len(text), len(text), char)
        if char == "X":
            send(len(text) - 1, len(text), "")  # backspace
    at = text.index("转发")
    send(at, at, "都")  # typed in the middle of the second line, after an emoji
    send(at, at + 1, "")
    assert text == ARTICLE
    changes = version - 1
    diagnostics = await diagnostics_for(client, uri, version)
    assert spans(diagnostics) == [
        (f.rule, utf16_range(text, f.start, f.end)) for f in expected(text, "markdown")
    ]
    published = [p for p in client.published if p.uri == uri]  # type: ignore[attr-defined]
    assert len(published) < changes / 2, "changes in quick succession are linted once"


async def test_line_separator_is_not_a_line_break(client: LanguageClient, tmp_path: Path) -> None:
    """U+2028 splits lines for Python's splitlines but not for LSP: an edit after one must
    land where the editor means it."""
    start = "第一段\u2028仍是第一行。\n"
    uri = open_document(client, tmp_path / "workspace" / "sep.txt", start)
    await diagnostics_for(client, uri, 1)
    insert = "本品能彻底治愈糖尿病。"
    at = len(start) - 1  # the end of the first (LSP) line
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=utf16_range(start, at, at), text=insert
                )
            ],
        )
    )
    text = start[:at] + insert + start[at:]
    diagnostics = await diagnostics_for(client, uri, 2)
    assert spans(diagnostics) == [
        (f.rule, utf16_range(text, f.start, f.end)) for f in expected(text)
    ]
    assert diagnostics and diagnostics[0].range.start.line == 0


async def test_language_id_chooses_the_format(client: LanguageClient, tmp_path: Path) -> None:
    text = "[彻底治愈](https://example.org/彻底治愈)\n"
    folder = tmp_path / "workspace"
    markdown = open_document(client, folder / "a.txt", text, "markdown")
    plain = open_document(client, folder / "b.md", text, "plaintext")
    by_extension = open_document(client, folder / "c.md", text, "unknown-language")
    assert len(await diagnostics_for(client, markdown, 1)) == len(expected(text, "markdown")) == 1
    assert len(await diagnostics_for(client, plain, 1)) == len(expected(text, "text")) == 2
    assert len(await diagnostics_for(client, by_extension, 1)) == 1


async def test_close_clears_diagnostics(client: LanguageClient, tmp_path: Path) -> None:
    uri = open_document(client, tmp_path / "workspace" / "a.txt", ARTICLE)
    assert await diagnostics_for(client, uri, 1)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    await until(lambda: client.diagnostics.get(uri) == (), "cleared diagnostics")


# -- code actions ------------------------------------------------------------------------------


async def code_actions(
    client: LanguageClient, uri: str, range: types.Range, only: list[str] | None = None
) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=range,
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


async def test_quick_fix_deletes_the_flagged_text(client: LanguageClient, tmp_path: Path) -> None:
    uri = open_document(client, tmp_path / "workspace" / "a.txt", ARTICLE)
    await diagnostics_for(client, uri, 1)
    finding = next(f for f in expected(ARTICLE) if f.rule == "share-request")
    actions = await code_actions(client, uri, utf16_range(ARTICLE, finding.start, finding.start))
    fix = next(a for a in actions if a.is_preferred)
    assert fix.kind == types.CodeActionKind.QuickFix
    assert finding.rule in fix.title and finding.text in fix.title
    fixed = apply_edits(ARTICLE, edits_of(fix, uri))
    # the cut `--fix` makes: the prompt's clause and its punctuation (喜欢就点个赞，)
    linter = Linter()
    want, _ = apply_fixes(ARTICLE, [finding], fixes_of(linter.rules), format="text")
    assert fixed == want and finding.text not in fixed
    full_change(client, uri, 2, fixed)
    after = await diagnostics_for(client, uri, 2)
    assert [str(d.code) for d in after] == [f.rule for f in expected(fixed)]


async def test_fix_all_applies_every_safe_fix(client: LanguageClient, tmp_path: Path) -> None:
    uri = open_document(client, tmp_path / "workspace" / "a.txt", ARTICLE)
    await diagnostics_for(client, uri, 1)
    whole = utf16_range(ARTICLE, 0, 0)
    (action,) = await code_actions(client, uri, whole, only=["source.fixAll"])
    assert action.kind == "source.fixAll.healthlint"
    linter = Linter()
    want, applied = apply_fixes(
        ARTICLE, linter.lint(ARTICLE), fixes_of(linter.rules), format="text"
    )
    # 😀𠀀转发到朋友圈吧 holds a real character besides the prompt: reported, not cut
    assert len(applied) >= 2
    assert apply_edits(ARTICLE, edits_of(action, uri)) == want


async def test_suppression_comment_action(client: LanguageClient, tmp_path: Path) -> None:
    """The suppression action adds the comment on the line before (indented like the
    flagged line); a second rule on that line joins the same comment."""
    text = "# 标题\n\n  本品能彻底治愈，点个赞吧。\n"
    uri = open_document(client, tmp_path / "workspace" / "a.md", text, "markdown")
    await diagnostics_for(client, uri, 1)
    findings = expected(text, "markdown")
    assert {f.rule for f in findings} == {"cure-promise", "share-request"}
    cure = next(f for f in findings if f.rule == "cure-promise")
    actions = await code_actions(client, uri, utf16_range(text, cure.start, cure.end))
    suppress = next(a for a in actions if "disable-next-line" in a.title)
    once = apply_edits(text, edits_of(suppress, uri))
    assert once == (
        "# 标题\n\n  <!-- healthlint-disable-next-line cure-promise -->\n"
        "  本品能彻底治愈，点个赞吧。\n"
    )
    full_change(client, uri, 2, once)
    remaining = await diagnostics_for(client, uri, 2)
    assert [str(d.code) for d in remaining] == ["share-request"]
    share = next(f for f in expected(once, "markdown") if f.rule == "share-request")
    actions = await code_actions(client, uri, utf16_range(once, share.start, share.end))
    suppress = next(a for a in actions if "disable-next-line" in a.title)
    twice = apply_edits(once, edits_of(suppress, uri))
    assert "<!-- healthlint-disable-next-line cure-promise, share-request -->" in twice
    full_change(client, uri, 3, twice)
    assert await diagnostics_for(client, uri, 3) == []


# -- hover -------------------------------------------------------------------------------------


async def test_hover_explains_the_rule(client: LanguageClient, tmp_path: Path) -> None:
    uri = open_document(client, tmp_path / "workspace" / "a.txt", ARTICLE)
    await diagnostics_for(client, uri, 1)
    finding = next(f for f in expected(ARTICLE) if f.rule == "cure-promise")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=utf16_position(ARTICLE, finding.start + 1),
        )
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert "cure-promise" in hover.contents.value
    assert finding.basis and finding.basis in hover.contents.value
    assert "healthlint-disable-next-line cure-promise" in hover.contents.value
    # the range is that of a finding under the cursor (彻底治愈 also lies in 彻底治愈糖尿病)
    under = [f for f in expected(ARTICLE) if f.start <= finding.start + 1 < f.end]
    assert hover.range in [utf16_range(ARTICLE, f.start, f.end) for f in under]
    nothing = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=2, character=11),
        )
    )
    assert nothing is None


# -- configuration -----------------------------------------------------------------------------


async def test_nearest_config_ignores_a_category_and_reloads(
    client: LanguageClient, tmp_path: Path
) -> None:
    folder = tmp_path / "workspace" / "posts"
    folder.mkdir()
    config = tmp_path / "workspace" / ".healthlint.yaml"
    config.write_text("ignore: [share-solicitation]\n", encoding="utf-8")
    uri = open_document(client, folder / "a.txt", ARTICLE)
    first = await diagnostics_for(client, uri, 1)
    ignoring = Config.load(config)
    assert [str(d.code) for d in first] == [f.rule for f in expected(ARTICLE, config=ignoring)]
    assert "share-request" not in {str(d.code) for d in first}

    config.write_text("language: en\n", encoding="utf-8")
    before = len(client.published)  # type: ignore[attr-defined]
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    await until(lambda: len(client.published) > before, "diagnostics after the change")  # type: ignore[attr-defined]
    after = client.diagnostics[uri]
    english = expected(ARTICLE, config=Config.load(config))
    assert [str(d.code) for d in after] == [f.rule for f in english]
    assert "share-request" in {str(d.code) for d in after}
    assert all(d.message.startswith(f.message) for d, f in zip(after, english, strict=True))


async def test_broken_config_falls_back_with_a_message(
    client: LanguageClient, tmp_path: Path
) -> None:
    (tmp_path / "workspace" / ".healthlint.yaml").write_text("ignroe: [x]\n", encoding="utf-8")
    uri = open_document(client, tmp_path / "workspace" / "a.txt", ARTICLE)
    diagnostics = await diagnostics_for(client, uri, 1)
    assert [str(d.code) for d in diagnostics] == [f.rule for f in expected(ARTICLE)]
    await until(lambda: client.messages, "a message about the configuration")
    assert "ignroe" in client.messages[0].message


async def test_excluded_document_gets_no_diagnostics(
    client: LanguageClient, tmp_path: Path
) -> None:
    (tmp_path / "workspace" / ".healthlint.yaml").write_text(
        "exclude: [drafts]\n", encoding="utf-8"
    )
    (tmp_path / "workspace" / "drafts").mkdir()
    uri = open_document(client, tmp_path / "workspace" / "drafts" / "a.txt", ARTICLE)
    assert await diagnostics_for(client, uri, 1) == []


# -- packaging ---------------------------------------------------------------------------------


def test_importing_healthlint_loads_no_server_library() -> None:
    probe = (
        "import sys, healthlint, healthlint.frontends.cli, healthlint.frontends.lsp;"
        "healthlint.lint_text('本品能彻底治愈糖尿病');"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'pygls', 'lsprotocol', 'cattrs', 'starlette', 'uvicorn'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_help_names_the_options() -> None:
    result = subprocess.run([*SERVER[:3], "--help"], capture_output=True, text=True, check=True)
    for option in ("--stdio", "--config", "--debounce-ms", "--docs-url"):
        assert option in result.stdout
