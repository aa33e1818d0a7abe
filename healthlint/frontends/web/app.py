"""The web checker and JSON API as a Starlette application (the ``serve`` extra).

Routes: ``GET /`` the page, ``POST /v1/lint``, ``GET /v1/rules``, ``GET /healthz``,
``GET /openapi.json`` and the page's static files under ``/static``.

Requests are bounded: the body by size (read in chunks, refused as soon as it passes the
limit), the whole request by time (reading the body and linting). Linting runs on worker
threads, so the event loop keeps accepting connections while a long article is linted; a
request that times out answers at once while its thread finishes in the background (the
engine's own regex time limits bound that). Every error is JSON, ``{"error": {"code",
"message"}}``, with a code that never changes.

Privacy: the submitted text lives only in memory for the duration of the request. It is not
logged (the access log has the method, path, status and client address, never a body), not
cached and not written to disk — multipart uploads are parsed in memory (`forms`), never
spooled to a temporary file.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
import os
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from healthlint import CATEGORIES, Config, HealthlintError, InputError, __version__
from healthlint.frontends._internal import decode, finding_records, format_for_path
from healthlint.frontends.positions import Utf16Offsets
from healthlint.frontends.service import (
    DEFAULT_CACHE_SIZE,
    DEFAULT_DOCS_BASE,
    LinterCache,
    config_with_options,
    lint_document,
    rule_docs_url,
    rule_record,
)
from healthlint.frontends.web import forms
from healthlint.frontends.web.openapi import openapi_spec

logger = logging.getLogger("healthlint.serve")

FORMATS = ("text", "markdown", "html")
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_TIMEOUT = 10.0
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True)
class ServeSettings:
    """What the service allows and how it lints.

    `config` is the base configuration every request starts from (the server's
    `.healthlint.yaml`); a request's options replace single keys of it. `allowed_hosts`
    are the Host headers accepted (None: any), which keeps a page on another site from
    reaching a loopback server through DNS rebinding.
    """

    config: Config = field(default_factory=Config)
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT
    workers: int = 4
    cache_size: int = DEFAULT_CACHE_SIZE
    docs_base: str = DEFAULT_DOCS_BASE
    allowed_hosts: tuple[str, ...] | None = LOOPBACK_HOSTS


class ApiError(Exception):
    """An error answered as ``{"error": {"code": code, "message": message}}``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Job:
    """One lint request, parsed: what to lint and how."""

    text: str
    format: str
    path: str
    options: Any = None
    fix: bool = False
    encoding: str | None = None  # set when the text came from an uploaded file


class Service:
    """The state one application owns: its settings, cached Linters and the thread limit."""

    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self.linters = LinterCache(settings.cache_size)
        self._limiter: anyio.CapacityLimiter | None = None

    @property
    def limiter(self) -> anyio.CapacityLimiter:
        """The worker-thread limit (created on first use: it needs a running event loop)."""
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.settings.workers)
        return self._limiter

    def lint(self, job: Job) -> dict[str, Any]:
        """Lint one job (on a worker thread) and build the response body."""
        try:
            config = config_with_options(self.settings.config, job.options)
            linter = self.linters.get(config)
        except HealthlintError as exc:
            raise ApiError(422, "invalid_options", exc.message) from None
        outcome = lint_document(linter, job.text, job.format, fix=job.fix)
        utf16 = Utf16Offsets(job.text)
        body: dict[str, Any] = {
            "findings": finding_records(job.path, job.text, outcome.findings),
            "verdict": outcome.verdict.verdict,
            "score": outcome.verdict.score,
            "path": job.path,
            "format": job.format,
            "language": config.language,
            "utf16_spans": [[utf16(f.start), utf16(f.end)] for f in outcome.findings],
            "timed_out_rules": list(outcome.timed_out),
        }
        if job.encoding is not None:
            body["text"] = job.text
            body["encoding"] = job.encoding
        if job.fix:
            body["fixed"] = {"text": outcome.fixed, "applied": len(outcome.applied)}
        return body

    def rules(self, language: str | None) -> dict[str, Any]:
        try:
            base = self.settings.config
            config = config_with_options(base, {"language": language}) if language else base
            linter = self.linters.get(config)
        except HealthlintError as exc:
            raise ApiError(422, "invalid_options", exc.message) from None
        docs = self.settings.docs_base
        return {
            "rules": [rule_record(r, rule_docs_url(docs, r.id)) for r in linter.rules],
            "categories": list(CATEGORIES),
            "language": config.language,
        }


# -- request parsing ---------------------------------------------------------------------------


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it is larger than `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "payload_too_large", f"the request body is larger than {limit} bytes")


def parse_job(content_type: str, body: bytes) -> Job:
    """A lint job from a JSON body or a multipart form with a file; ApiError otherwise."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/json" or kind.endswith("+json"):
        return _json_job(body)
    if kind == "multipart/form-data":
        return _form_job(body, content_type)
    raise ApiError(
        415,
        "unsupported_media_type",
        "send application/json ({text, format, options}) or multipart/form-data with a file",
    )


def _json_job(body: bytes) -> Job:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiError(400, "invalid_json", f"the body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_request", "the body must be a JSON object")
    unknown = sorted(set(data) - {"text", "format", "path", "options", "fix"})
    if unknown:
        raise ApiError(400, "invalid_request", f"unknown field {unknown[0]!r}")
    text = data.get("text")
    if not isinstance(text, str):
        raise ApiError(400, "invalid_request", "'text' must be a string")
    path = _path(data.get("path"))
    fix = data.get("fix", False)
    if not isinstance(fix, bool):
        raise ApiError(400, "invalid_request", "'fix' must be true or false")
    return Job(text, _format(data.get("format"), path), path, data.get("options"), fix)


def _form_job(body: bytes, content_type: str) -> Job:
    try:
        form = forms.parse_form(body, content_type)
    except forms.FormError as exc:
        raise ApiError(400, "invalid_request", str(exc)) from None
    upload = form.get("file")
    if upload is None:
        raise ApiError(400, "invalid_request", "the form needs a 'file' field")
    fields = {name: part.data.decode("utf-8", "replace") for name, part in form.items()}
    path = _path(fields.get("path") or os.path.basename(upload.filename or "") or None)
    try:
        source = decode(upload.data, path=path)
    except InputError as exc:
        raise ApiError(422, "undecodable_input", exc.message) from None
    options = None
    if fields.get("options"):
        try:
            options = json.loads(fields["options"])
        except ValueError as exc:
            raise ApiError(400, "invalid_json", f"'options' is not JSON: {exc}") from None
    fix = fields.get("fix", "false").strip().lower() in ("1", "true", "yes", "on")
    fmt = _format(fields.get("format") or None, path)
    return Job(source.text, fmt, path, options, fix, encoding=source.encoding)


def _path(value: Any) -> str:
    """The name findings carry (as the command line's `--stdin-filename`); ``-`` if none."""
    if value is None:
        return "-"
    if not isinstance(value, str) or not value or len(value) > 1024:
        raise ApiError(400, "invalid_request", "'path' must be a non-empty string")
    return value


def _format(value: Any, path: str) -> str:
    if value is None or value == "auto":
        return format_for_path(path)
    if value not in FORMATS:
        raise ApiError(
            400, "invalid_format", f"unknown format {value!r}; use one of {', '.join(FORMATS)}"
        )
    return str(value)


# -- endpoints ---------------------------------------------------------------------------------


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


async def lint_endpoint(request: Request) -> Response:
    service = _service(request)
    seconds = service.settings.timeout
    phase = "read"
    try:
        with anyio.fail_after(seconds):
            body = await read_body(request, service.settings.max_bytes)
            job = parse_job(request.headers.get("content-type", ""), body)
            phase = "lint"
            result = await anyio.to_thread.run_sync(
                service.lint, job, limiter=service.limiter, abandon_on_cancel=True
            )
    except TimeoutError:
        if phase == "read":
            raise ApiError(408, "request_timeout", f"the body took over {seconds:g} s") from None
        raise ApiError(
            503, "timeout", f"linting did not finish within {seconds:g} s; try again later"
        ) from None
    return _json(result)


async def rules_endpoint(request: Request) -> Response:
    service = _service(request)
    language = request.query_params.get("language")
    body = await anyio.to_thread.run_sync(service.rules, language, limiter=service.limiter)
    return _json(body)


async def healthz(request: Request) -> Response:
    return _json({"status": "ok", "version": __version__})


async def openapi(request: Request) -> Response:
    return _json(openapi_spec())


async def page(request: Request) -> Response:
    html = resources.files("healthlint.frontends.web").joinpath("static/index.html").read_bytes()
    return Response(html, media_type="text/html; charset=utf-8")


def _json(body: Any, status: int = 200) -> Response:
    return JSONResponse(body, status_code=status)


def error_response(status: int, code: str, message: str) -> Response:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message)


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
    response = error_response(exc.status_code, code, str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _internal_error(request: Request, exc: Exception) -> Response:
    # The traceback is logged by the server; it holds code, never the submitted text.
    return error_response(500, "internal_error", "internal error; please report it")


# -- headers and hosts -------------------------------------------------------------------------

_PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


class Guard:
    """ASGI middleware: refuses unknown Host headers and adds security headers.

    API answers carry ``Cache-Control: no-store`` (they quote the submitted text); every
    answer forbids framing and MIME sniffing, and the page may load only its own files.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...] | None) -> None:
        self.app = app
        self.allowed = None if allowed_hosts is None else {h.lower() for h in allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.allowed is not None and _host(scope) not in self.allowed:
            response = error_response(400, "invalid_host", "this Host header is not served")
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"content-security-policy", _PAGE_POLICY.encode()),
                ]
                if not scope["path"].startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _host(scope: Scope) -> str:
    """The Host header without its port (``[::1]:8080`` → ``::1``)."""
    for name, value in scope.get("headers", []):
        if name == b"host":
            host = value.decode("latin-1").lower()
            if host.startswith("["):
                return host[1 : host.find("]")] if "]" in host else host
            return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return ""


def is_loopback(host: str) -> bool:
    """Whether binding to `host` keeps the server on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# -- the application ---------------------------------------------------------------------------


def create_app(settings: ServeSettings | None = None) -> Starlette:
    """The ASGI application; run it with uvicorn (`healthlint serve` does)."""
    settings = settings or ServeSettings()
    if settings.max_bytes < 1 or not math.isfinite(settings.timeout) or settings.timeout <= 0:
        raise ValueError("max_bytes and timeout must be positive")
    routes = [
        Route("/", page, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/v1/lint", lint_endpoint, methods=["POST"]),
        Route("/v1/rules", rules_endpoint, methods=["GET"]),
        Mount(
            "/static",
            app=StaticFiles(packages=[("healthlint.frontends.web", "static")]),
            name="static",
        ),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            Exception: _internal_error,
        },
    )
    app.state.service = Service(settings)
    app.add_middleware(Guard, allowed_hosts=settings.allowed_hosts)
    return app
