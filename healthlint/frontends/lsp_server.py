"""The language server itself, on pygls (the ``lsp`` extra): see `healthlint.frontends.lsp`.

Only `healthlint.frontends.lsp.main` imports this module, so pygls is loaded when a server
starts and never by ``import healthlint``.

How a document flows: the server keeps its own copy of every open document and applies
incremental changes to it with LSP's line rules (pygls' copy splits lines at U+2028 and form
feeds too, which LSP does not). On open and save a document is linted at once; on change a
lint is scheduled after a short quiet period, and every newer change cancels the one pending.
Linting runs on a worker thread, so the server keeps answering while a long article is
linted; a result whose document changed meanwhile is thrown away, never published.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import fnmatch
import logging
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.workspace import Workspace

from healthlint import Config, Finding, HealthlintError, RuleInfo, __version__
from healthlint.frontends import positions
from healthlint.frontends._internal import (
    DIRECTIVE,
    Edit,
    Fix,
    explain_markdown,
    explain_text,
    fixes_of,
    format_for_path,
    plan_fixes,
    suppression_hint,
)
from healthlint.frontends.service import (
    DEFAULT_DOCS_BASE,
    LinterCache,
    lint_document,
    rule_docs_url,
)

logger = logging.getLogger("healthlint.lsp")

FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.healthlint"
_SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}
_FORMAT_OF_LANGUAGE = {"markdown": "markdown", "html": "html", "plaintext": "text"}
_WORDS = {
    "zh": {
        "suggestion": "建议",
        "basis": "依据",
        "delete": "删除“{text}”（{rule}）",
        "replace": "将“{text}”改为“{new}”（{rule}）",
        "suppress": "在上一行忽略 {rule}（healthlint-disable-next-line）",
        "fix_all": "应用 healthlint 的全部安全修复（{count} 处）",
        "config_error": "healthlint：{error}；改用默认配置检查。",
        "lint_error": "healthlint 检查 {path} 时出错：{error}",
    },
    "en": {
        "suggestion": "Suggestion",
        "basis": "Basis",
        "delete": "Delete “{text}” ({rule})",
        "replace": "Replace “{text}” with “{new}” ({rule})",
        "suppress": "Suppress {rule} on this line (healthlint-disable-next-line)",
        "fix_all": "Apply all healthlint safe fixes ({count})",
        "config_error": "healthlint: {error}; linting with the default configuration.",
        "lint_error": "healthlint failed on {path}: {error}",
    },
}
_INDENT = re.compile(r"[ \t]*")
#: Files whose change can change what a document's lint finds.
WATCHED = ("**/.healthlint.yaml", "**/.healthlint.yml", "**/pyproject.toml", "**/*.yaml")


@dataclass(frozen=True)
class Settings:
    """How the server behaves; from the command line, then the client's initialization
    options (``docsBaseUrl``, ``debounceMs``, ``config``)."""

    debounce: float = 0.3  # seconds of quiet after a change before linting
    docs_base: str = DEFAULT_DOCS_BASE
    config: str | None = None  # one configuration file for every document
    workers: int = 2


@dataclass
class _Document:
    uri: str
    text: str
    version: int
    language_id: str
    pending: asyncio.Task[None] | None = None


@dataclass(frozen=True)
class _Result:
    """One lint of one version of a document, kept for code actions and hover."""

    version: int
    text: str
    findings: Sequence[Finding]
    rules: dict[str, RuleInfo]
    language: str
    index: positions.LineIndex
    diagnostics: list[types.Diagnostic]
    messages: tuple[str, ...] = ()  # configuration errors to show the user once
    format: str = "text"  # how the document was read: text, markdown or html


@dataclass
class _State:
    documents: dict[str, _Document] = field(default_factory=dict)
    results: dict[str, _Result] = field(default_factory=dict)
    shown: set[str] = field(default_factory=set)


class HealthlintProtocol(LanguageServerProtocol):
    """pygls' protocol, except that its own document copy is updated from a copy of each
    change: pygls clamps a change's range in place, against lines it splits at U+2028 and
    form feeds, and the server's handler would then see the clamped (wrong) range."""

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Iterator[Any]:
        mine = copy.deepcopy(params.content_changes)
        for change in params.content_changes:
            self.workspace.update_text_document(params.text_document, change)
        params.content_changes = mine
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)
        if handler is not None:
            yield handler, (params,), None


class HealthlintServer(LanguageServer):
    """A pygls server that lints open documents with healthlint."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            "healthlint",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=HealthlintProtocol,
        )
        self.settings = settings
        self.state = _State()
        self.linters = LinterCache(8)
        self.executor = ThreadPoolExecutor(
            max_workers=settings.workers, thread_name_prefix="healthlint-lint"
        )

    # -- positions and configuration ----------------------------------------------------------

    @property
    def encoding(self) -> str:
        """The position encoding agreed at initialization (UTF-16 unless the client offered
        another one first)."""
        workspace = self._workspace()
        value = workspace.position_encoding if workspace is not None else None
        text = getattr(value, "value", value)
        return text if text in positions.ENCODINGS else positions.UTF16

    def resolve_config(self, uri: str) -> tuple[Config, tuple[str, ...]]:
        """The configuration for a document: `--config` if given, else the nearest
        `.healthlint.yaml` (or pyproject) above the document's file, else above the first
        workspace folder, else the defaults. A broken file falls back to the defaults with a
        message, so the editor keeps checking."""
        try:
            if self.settings.config:
                return Config.load(self.settings.config), ()
            folder = _folder_of(uri) or self._workspace_folder()
            return (Config.discover(folder) if folder else Config()), ()
        except HealthlintError as exc:
            return Config(), (str(exc),)

    def _workspace(self) -> Workspace | None:
        """The workspace, or None before `initialize` created it."""
        try:
            return self.workspace
        except RuntimeError:
            return None

    def _workspace_folder(self) -> str | None:
        workspace = self._workspace()
        if workspace is None:
            return None
        for folder in workspace.folders.values():
            path = _path_of(folder.uri)
            if path:
                return path
        return _path_of(workspace.root_uri)

    # -- linting ------------------------------------------------------------------------------

    def lint_now(self, uri: str, text: str, language_id: str, version: int) -> _Result:
        """Lint one version of a document (on a worker thread) and build its diagnostics."""
        config, messages = self.resolve_config(uri)
        try:
            linter = self.linters.get(config)
        except HealthlintError as exc:
            messages += (str(exc),)
            config = Config()
            linter = self.linters.get(config)
        index = positions.LineIndex(text, self.encoding)
        rules = {rule.id: rule for rule in linter.rules}
        language = config.language
        fmt = _format_of(uri, language_id)
        if _excluded(uri, config):
            return _Result(version, text, [], rules, language, index, [], messages, fmt)
        outcome = lint_document(linter, text, fmt)
        diagnostics = [self._diagnostic(f, index, language) for f in outcome.findings]
        return _Result(
            version, text, outcome.findings, rules, language, index, diagnostics, messages, fmt
        )

    def _diagnostic(
        self, finding: Finding, index: positions.LineIndex, language: str
    ) -> types.Diagnostic:
        words = _WORDS.get(language, _WORDS["en"])
        lines = [finding.message]
        if finding.suggestion:
            lines.append(f"{words['suggestion']}: {finding.suggestion}")
        if finding.basis:
            lines.append(f"{words['basis']}: {finding.basis}")
        return types.Diagnostic(
            range=_range(index, finding.start, finding.end),
            severity=_SEVERITIES.get(finding.severity, types.DiagnosticSeverity.Warning),
            code=finding.rule,
            code_description=types.CodeDescription(
                href=rule_docs_url(self.settings.docs_base, finding.rule)
            ),
            source="healthlint",
            message="\n".join(lines),
            data={"rule": finding.rule, "start": finding.start, "end": finding.end},
        )

    def schedule(self, uri: str, delay: float) -> None:
        """Lint `uri` after `delay` seconds, cancelling a lint still pending for it."""
        document = self.state.documents.get(uri)
        if document is None:
            return
        if document.pending is not None:
            document.pending.cancel()
        document.pending = asyncio.get_running_loop().create_task(
            self._lint_later(uri, document.version, delay)
        )

    async def _lint_later(self, uri: str, version: int, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        result = await self.current_result(uri, version)
        if result is not None:
            self.publish(uri, result)

    async def current_result(self, uri: str, version: int | None = None) -> _Result | None:
        """The lint of the document's current version (linted now if not yet), or None when
        the document is closed or changed while it was being linted."""
        document = self.state.documents.get(uri)
        if document is None or (version is not None and document.version != version):
            return None
        known = self.state.results.get(uri)
        if known is not None and known.version == document.version:
            return known
        version, text, language_id = document.version, document.text, document.language_id
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(
                self.executor, self.lint_now, uri, text, language_id, version
            )
        except Exception as exc:  # a bug must not take the editor's server down
            logger.exception("lint failed")
            self.show_once(self._words(None)["lint_error"].format(path=uri, error=exc))
            return None
        document = self.state.documents.get(uri)
        if document is None or document.version != version:
            return None  # stale: a newer version is on its way
        self.state.results[uri] = result
        return result

    def publish(self, uri: str, result: _Result) -> None:
        for message in result.messages:
            self.show_once(
                self._words(result.language)["config_error"].format(error=message),
                types.MessageType.Warning,
            )
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, version=result.version, diagnostics=result.diagnostics
            )
        )

    def show_once(self, message: str, kind: types.MessageType = types.MessageType.Error) -> None:
        """Show a message to the user, once per distinct text: a broken configuration file
        would otherwise pop up on every keystroke."""
        if message in self.state.shown:
            return
        self.state.shown.add(message)
        logger.warning("%s", message)
        self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    def relint_all(self) -> None:
        """Lint every open document again (a configuration or rule pack changed)."""
        self.linters.clear()
        self.state.results.clear()
        self.state.shown.clear()
        for uri in list(self.state.documents):
            self.schedule(uri, 0)

    @staticmethod
    def _words(language: str | None) -> dict[str, str]:
        return _WORDS.get(language or "zh", _WORDS["en"])

    # -- code actions and hover ---------------------------------------------------------------

    def code_actions(
        self, uri: str, result: _Result, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        """Quick fixes for the findings in the requested range, a suppression comment for
        each, and one action that applies every safe fix of the document."""
        index = result.index
        lo = index.offset(_position(params.range.start))
        hi = index.offset(_position(params.range.end))
        fixes = fixes_of(result.rules.values())
        words = self._words(result.language)
        only = params.context.only
        actions: list[types.CodeAction] = []
        suppressed: set[tuple[int, str]] = set()
        for finding, diagnostic in zip(result.findings, result.diagnostics, strict=True):
            if not (finding.start <= hi and lo <= finding.end):
                continue
            fix = fixes.get(finding.rule)
            if fix is not None and _wanted(types.CodeActionKind.QuickFix, only):
                # the cut `--fix` would make, or none when no cut is certain to read right
                planned = plan_fixes(result.text, [finding], fixes, format=result.format)
                if planned:
                    actions.append(
                        self._fix_action(uri, result, planned[0], diagnostic, fix, words)
                    )
            line = index.position(finding.start).line
            if (line, finding.rule) not in suppressed and _wanted(
                types.CodeActionKind.QuickFix, only
            ):
                suppressed.add((line, finding.rule))
                actions.append(self._suppress_action(uri, result, finding, diagnostic, words))
        planned = plan_fixes(result.text, result.findings, fixes, format=result.format)
        if planned and _wanted(FIX_ALL_KIND, only):
            edits = [
                types.TextEdit(range=_range(index, e.start, e.end), new_text=e.replacement)
                for e in planned
            ]
            actions.append(
                types.CodeAction(
                    title=words["fix_all"].format(count=len(planned)),
                    kind=FIX_ALL_KIND,
                    edit=self._edit(uri, result.version, edits),
                )
            )
        return actions

    def _fix_action(
        self,
        uri: str,
        result: _Result,
        planned: Edit,
        diagnostic: types.Diagnostic,
        fix: Fix,
        words: dict[str, str],
    ) -> types.CodeAction:
        finding = planned.finding
        shown = _short(finding.text)
        title = (
            words["replace"].format(text=shown, new=fix.replacement, rule=finding.rule)
            if fix.replacement
            else words["delete"].format(text=shown, rule=finding.rule)
        )
        edit = types.TextEdit(
            range=_range(result.index, planned.start, planned.end), new_text=planned.replacement
        )
        return types.CodeAction(
            title=title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic],
            is_preferred=True,
            edit=self._edit(uri, result.version, [edit]),
        )

    def _suppress_action(
        self,
        uri: str,
        result: _Result,
        finding: Finding,
        diagnostic: types.Diagnostic,
        words: dict[str, str],
    ) -> types.CodeAction:
        return types.CodeAction(
            title=words["suppress"].format(rule=finding.rule),
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic],
            edit=self._edit(uri, result.version, [suppression_edit(result.index, finding)]),
        )

    def _edit(self, uri: str, version: int, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
        """A workspace edit of one document, versioned when the client accepts that (so an
        edit computed for an older version is refused rather than misapplied)."""
        capabilities = self.client_capabilities.workspace
        versioned = bool(
            capabilities
            and capabilities.workspace_edit
            and capabilities.workspace_edit.document_changes
        )
        if versioned:
            return types.WorkspaceEdit(
                document_changes=[
                    types.TextDocumentEdit(
                        text_document=types.OptionalVersionedTextDocumentIdentifier(
                            uri=uri, version=version
                        ),
                        edits=list(edits),
                    )
                ]
            )
        return types.WorkspaceEdit(changes={uri: list(edits)})

    def hover(self, result: _Result, offset: int) -> types.Hover | None:
        """The explanation of every rule flagged at `offset`: what, why, what instead,
        examples and how to suppress (the text of ``healthlint explain``)."""
        here = [f for f in result.findings if f.start <= offset <= f.end]
        if not here:
            return None
        markdown = self._client_takes_markdown()
        parts: list[str] = []
        seen: set[str] = set()
        for finding in here:
            if finding.rule in seen:
                continue
            seen.add(finding.rule)
            rule = result.rules.get(finding.rule)
            if rule is None:
                continue
            explain = explain_markdown if markdown else explain_text
            parts.append(explain(rule, result.language))
            if markdown:
                url = rule_docs_url(self.settings.docs_base, rule.id)
                parts[-1] += f"\n[{rule.id}]({url})\n"
        start = min(f.start for f in here)
        end = max(f.end for f in here)
        return types.Hover(
            contents=types.MarkupContent(
                kind=types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText,
                value=("\n---\n\n" if markdown else "\n").join(parts),
            ),
            range=_range(result.index, start, end),
        )

    def _client_takes_markdown(self) -> bool:
        document = self.client_capabilities.text_document
        hover = document.hover if document else None
        formats = hover.content_format if hover else None
        return formats is None or types.MarkupKind.Markdown in formats


# -- pure helpers ------------------------------------------------------------------------------


def suppression_edit(index: positions.LineIndex, finding: Finding) -> types.TextEdit:
    """The edit that silences `finding`: its rule added to a
    ``<!-- healthlint-disable-next-line ... -->`` comment on the line before.

    When the line before already is such a comment, the rule is added to its list — a second
    comment line would push the first one away from the line it is meant for. Otherwise a new
    comment line goes in, indented like the flagged line, with the document's line ending.
    """
    text = index.text
    line = index.position(finding.start).line
    if line > 0:
        start = index.line_starts[line - 1]
        end = index.line_starts[line]
        previous = text[start:end].rstrip("\r\n")
        match = DIRECTIVE.fullmatch(previous.strip())
        if match and match.group("what") == "disable-next-line" and match.group("names").strip():
            lead = len(previous) - len(previous.lstrip())
            at = start + lead + match.start("names") + len(match.group("names").rstrip())
            pos = index.position(at)
            return types.TextEdit(
                range=types.Range(start=_lsp(pos), end=_lsp(pos)), new_text=f", {finding.rule}"
            )
    line_start = index.line_starts[line]
    indent = _INDENT.match(text, line_start)
    prefix = indent.group() if indent else ""
    comment = suppression_hint(finding.rule)[0]
    at = types.Position(line=line, character=0)
    return types.TextEdit(
        range=types.Range(start=at, end=at), new_text=f"{prefix}{comment}{_newline(text)}"
    )


def _newline(text: str) -> str:
    match = re.search(r"\r\n|\r|\n", text)
    return match.group() if match else "\n"


def _short(text: str, limit: int = 24) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Whether a code action of `kind` answers a request limited to `only` (LSP: a kind
    matches itself and its parents, `source.fixAll` matches `source.fixAll.healthlint`)."""
    if not only:
        return True
    wanted = str(getattr(kind, "value", kind))
    names = [str(getattr(o, "value", o)) for o in only]  # enum members or plain strings
    return any(wanted == name or wanted.startswith(f"{name}.") for name in names)


def _lsp(position: positions.Position) -> types.Position:
    return types.Position(line=position.line, character=position.character)


def _position(position: types.Position) -> positions.Position:
    return positions.Position(position.line, position.character)


def _range(index: positions.LineIndex, start: int, end: int) -> types.Range:
    first, last = index.range(start, end)
    return types.Range(start=_lsp(first), end=_lsp(last))


def _path_of(uri: str | None) -> str | None:
    """The file-system path of a ``file:`` URI, else None (an unsaved buffer)."""
    if not uri:
        return None
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt" and re.match(r"^/[A-Za-z]:", path):  # pragma: no cover - Windows
        path = path[1:]
    return path


def _folder_of(uri: str) -> str | None:
    path = _path_of(uri)
    return str(Path(path).parent) if path else None


def _format_of(uri: str, language_id: str) -> str:
    """The document format: from the editor's language id, else the file's extension."""
    known = _FORMAT_OF_LANGUAGE.get(language_id)
    if known:
        return known
    return format_for_path(_path_of(uri) or urlparse(uri).path)


def _excluded(uri: str, config: Config) -> bool:
    """Whether the config's `exclude` patterns cover this document, as the command line
    would skip it: a pattern without ``/`` matches any file or folder name on the way from
    the config's folder, one with ``/`` the path relative to it."""
    path = _path_of(uri)
    if not path or not config.exclude or not config.path:
        return False
    try:
        relative = PurePosixPath(Path(path).resolve().relative_to(Path(config.path).parent))
    except ValueError:
        return False
    names = relative.parts
    for pattern in config.exclude:
        pattern = pattern.rstrip("/")
        if "/" in pattern:
            prefixes = ("/".join(names[: i + 1]) for i in range(len(names)))
            if any(fnmatch.fnmatchcase(p, pattern) for p in prefixes):
                return True
        elif any(fnmatch.fnmatchcase(name, pattern) for name in names):
            return True
    return False


def _apply(document: _Document, changes: Iterable[Any], encoding: str) -> None:
    for change in changes:
        if isinstance(change, types.TextDocumentContentChangePartial):
            document.text = positions.apply_change(
                document.text,
                _position(change.range.start),
                _position(change.range.end),
                change.text,
                encoding,
            )
        else:
            document.text = change.text


# -- the server --------------------------------------------------------------------------------


def create_server(settings: Settings | None = None) -> HealthlintServer:
    """A server with every feature registered; `start_io()` runs it on stdin/stdout."""
    server = HealthlintServer(settings or Settings())

    @server.feature(types.INITIALIZE)
    def initialize(ls: HealthlintServer, params: types.InitializeParams) -> None:
        options = params.initialization_options
        if not isinstance(options, dict):
            return
        changes: dict[str, Any] = {}
        if isinstance(options.get("docsBaseUrl"), str):
            changes["docs_base"] = options["docsBaseUrl"]
        debounce = options.get("debounceMs")
        if isinstance(debounce, (int, float)) and not isinstance(debounce, bool):
            changes["debounce"] = max(0.0, float(debounce) / 1000)
        if isinstance(options.get("config"), str) and options["config"]:
            changes["config"] = options["config"]
        if changes:
            ls.settings = dataclasses.replace(ls.settings, **changes)

    @server.feature(types.INITIALIZED)
    def initialized(ls: HealthlintServer, params: types.InitializedParams) -> None:
        workspace = ls.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if not (watched and watched.dynamic_registration):
            return  # the client cannot watch for us; configuration is re-read on every lint
        ls.client_register_capability(
            types.RegistrationParams(
                registrations=[
                    types.Registration(
                        id="healthlint-config-watcher",
                        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=types.DidChangeWatchedFilesRegistrationOptions(
                            watchers=[types.FileSystemWatcher(glob_pattern=g) for g in WATCHED]
                        ),
                    )
                ]
            )
        )

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: HealthlintServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        ls.state.documents[item.uri] = _Document(
            item.uri, item.text, item.version, item.language_id
        )
        ls.schedule(item.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: HealthlintServer, params: types.DidChangeTextDocumentParams) -> None:
        document = ls.state.documents.get(params.text_document.uri)
        if document is None:
            return
        _apply(document, params.content_changes, ls.encoding)
        document.version = params.text_document.version
        ls.schedule(document.uri, ls.settings.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: HealthlintServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        name = Path(_path_of(uri) or "").name
        if name in (".healthlint.yaml", ".healthlint.yml", "pyproject.toml"):
            ls.relint_all()  # a configuration edited in the editor itself
        elif uri in ls.state.documents:
            ls.schedule(uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: HealthlintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        document = ls.state.documents.pop(uri, None)
        ls.state.results.pop(uri, None)
        if document is not None and document.pending is not None:
            document.pending.cancel()
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: HealthlintServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.relint_all()

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND],
            resolve_provider=False,
        ),
    )
    async def code_action(
        ls: HealthlintServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        result = await ls.current_result(uri)
        if result is None:
            return None
        return ls.code_actions(uri, result, params) or None

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: HealthlintServer, params: types.HoverParams) -> types.Hover | None:
        result = await ls.current_result(params.text_document.uri)
        if result is None:
            return None
        return ls.hover(result, result.index.offset(_position(params.position)))

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: HealthlintServer, params: Any) -> None:
        for document in ls.state.documents.values():
            if document.pending is not None:
                document.pending.cancel()
        ls.executor.shutdown(wait=False, cancel_futures=True)

    return server
