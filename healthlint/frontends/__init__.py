"""Front ends: the command line, batch runs, the evaluation and the servers. The only modules
that print.

`cli` is the command line (`healthlint`), `batch` lints JSON Lines, `eval` scores the rules on
the labelled cases, `lsp` is the language server (`healthlint server`, extra ``lsp``) and `web`
the local web checker and JSON API (`healthlint serve`, extra ``serve``). The servers are thin:
they turn editor and HTTP traffic into `Linter` calls and the findings back into positions,
diagnostics and JSON. Their optional dependencies (pygls, Starlette, uvicorn) are imported only
when a server starts, never by ``import healthlint``.
"""
