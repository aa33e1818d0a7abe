"""`healthlint serve`: the local web checker and the JSON API (the ``serve`` extra).

One command starts both: a page where an editor pastes or uploads an article and sees every
finding highlighted at its characters, and ``POST /v1/lint`` for platforms that call a service.
The server listens on the loopback interface unless told otherwise; it has no authentication,
so put it behind your own gateway before opening it to a network.

This module only parses the command line; Starlette and uvicorn are imported when the server
starts, so ``import healthlint`` never loads them.
"""

from __future__ import annotations

import argparse
import socket
import sys

from healthlint.frontends.service import DEFAULT_CACHE_SIZE, DEFAULT_DOCS_BASE

DEFAULT_PORT = 8765
EXTRA_MISSING = (
    "healthlint serve needs the 'serve' extra: pip install 'healthlint[serve]' ({error})"
)


def build_parser(prog: str = "healthlint serve") -> argparse.ArgumentParser:
    """The command line of the web checker."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=(
            "Serve the healthlint web checker and JSON API (POST /v1/lint, GET /v1/rules, "
            "GET /healthz, GET /openapi.json). Submitted text stays in memory: it is never "
            "logged or written to disk."
        ),
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this machine only)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on; 0 picks a free one (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="base configuration of every request (default: the nearest .healthlint.yaml "
        "from the current folder)",
    )
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=2 * 1024 * 1024,
        metavar="N",
        help="largest request body accepted, in bytes (default 2097152)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="time limit of one request, reading and linting (default 10)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=4,
        metavar="N",
        help="threads that lint at the same time (default 4)",
    )
    parser.add_argument(
        "--cache-size",
        type=int,
        default=DEFAULT_CACHE_SIZE,
        metavar="N",
        help=f"Linters kept for distinct request options (default {DEFAULT_CACHE_SIZE})",
    )
    parser.add_argument(
        "--docs-url",
        default=DEFAULT_DOCS_BASE,
        metavar="URL",
        help="base URL of the rule pages /v1/rules links to, <URL>/<rule-id>.md",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=None,
        metavar="HOST",
        help="Host header to accept (repeatable); default: the loopback names when listening "
        "on loopback, any otherwise",
    )
    parser.add_argument(
        "--no-access-log",
        action="store_true",
        help="do not log requests (the access log never holds bodies, only method, path, "
        "status and client address)",
    )
    parser.add_argument(
        "--log-level",
        choices=("critical", "error", "warning", "info", "debug"),
        default="info",
        help="server log level (default info)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Serve until interrupted; 2 for a usage error, a bad configuration or a missing extra."""
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    for name in ("max_bytes", "workers", "cache_size"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if not args.timeout > 0:
        parser.error("--timeout must be positive")
    if not 0 <= args.port <= 65535:
        parser.error("--port must be between 0 and 65535")
    try:
        import uvicorn

        from healthlint.frontends.web.app import (
            LOOPBACK_HOSTS,
            ServeSettings,
            create_app,
            is_loopback,
        )
    except ImportError as exc:
        print(f"healthlint: {EXTRA_MISSING.format(error=exc)}", file=sys.stderr)
        return 2
    from healthlint import Config, HealthlintError

    try:
        config = Config.load(args.config) if args.config else Config.discover()
        loopback = is_loopback(args.host)
        hosts = (
            tuple(args.allow_host) if args.allow_host else (LOOPBACK_HOSTS if loopback else None)
        )
        app = create_app(
            ServeSettings(
                config=config,
                max_bytes=args.max_bytes,
                timeout=args.timeout,
                workers=args.workers,
                cache_size=args.cache_size,
                docs_base=args.docs_url,
                allowed_hosts=hosts,
            )
        )
        app.state.service.linters.get(config)  # fail now on a bad configuration, and warm up
    except HealthlintError as exc:
        print(f"healthlint: {exc}", file=sys.stderr)
        return 2
    try:
        sock = _bind(args.host, args.port)
    except OSError as exc:
        print(
            f"healthlint: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr
        )
        return 2
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"healthlint serve: http://{shown}:{port}/ (Ctrl+C to stop)", flush=True)
    if not loopback:
        print(
            "healthlint serve: listening beyond this machine, without authentication",
            file=sys.stderr,
            flush=True,
        )
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level=args.log_level,
            access_log=not args.no_access_log,
            server_header=False,
            timeout_keep_alive=5,
            lifespan="off",
        )
    )
    server.run(sockets=[sock])
    return 0


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket of our own, so that ``--port 0`` can report the port it got and
    the address printed accepts connections as soon as it is printed."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)  # connections queue from now on, before uvicorn starts accepting
    return sock
