"""Front ends for the places editors write: a language server and a web checker with an API.

`healthlint.frontends.lsp` is the language server (`healthlint server`, extra ``lsp``) and
`healthlint.frontends.web` the local web checker and JSON API (`healthlint serve`, extra
``serve``). Both are thin: they turn editor and HTTP traffic into `Linter.lint` calls and the
findings back into positions, diagnostics and JSON. Their optional dependencies (pygls,
Starlette, uvicorn) are imported only when a server is started, never by ``import healthlint``.
"""
