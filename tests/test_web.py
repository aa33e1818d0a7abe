"""The JSON API of `healthlint serve`: the command line's findings, bounded requests, stable
error codes, an OpenAPI description that matches the answers, and 50 clients at once.

Most tests call the ASGI application in process; the ones about the real stack (concurrency,
logs, temporary files) start `python -m healthlint.frontends.web` on a free loopback port.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the web tests need the 'serve' and 'dev' extras")
httpx = pytest.importorskip("httpx", reason="the web tests need the 'dev' extra (httpx)")
from jsonschema import Draft202012Validator  # noqa: E402

with warnings.catch_warnings():
    # Starlette 1.x prefers the httpx2 fork for its test client and warns when it finds httpx.
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from healthlint import Config, Linter  # noqa: E402
from healthlint.frontends.service import LinterCache  # noqa: E402
from healthlint.frontends.web.app import ServeSettings, create_app  # noqa: E402
from healthlint.frontends.web.openapi import ERROR_CODES, openapi_spec  # noqa: E402
from healthlint.results.fix import apply_fixes, fixes_of  # noqa: E402
from healthlint.results.verdict import assess  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
BASE = "http://127.0.0.1"
SCRIPT = Path(sys.executable).with_name("healthlint")
#: The command line: the installed console script, else the same entry point by hand.
CLI = (
    [str(SCRIPT)]
    if SCRIPT.exists()
    else [
        sys.executable,
        "-c",
        "import sys; from healthlint.frontends.cli import main; sys.exit(main())",
    ]
)
ASTRAL_TEXT = "😀𠀀本品能彻底治愈糖尿病，永不复发！\n👍喜欢就点个赞，转发到朋友圈。\n扫码添加微信\n"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(), base_url=BASE) as test_client:
        yield test_client


def cli_json(text: str, name: str, *options: str) -> list[dict[str, Any]]:
    """What `healthlint --format json` prints for `text` given on standard input as `name`."""
    result = subprocess.run(
        [*CLI, "--format", "json", "--stdin-filename", name, *options, "-"],
        input=text.encode("utf-8"),
        capture_output=True,
        cwd=ROOT / "tests",
    )
    assert result.returncode in (0, 1), result.stderr.decode()
    return json.loads(result.stdout)


def cli_json_file(path: Path) -> list[dict[str, Any]]:
    result = subprocess.run(
        [*CLI, "--format", "json", path.name],
        capture_output=True,
        cwd=path.parent,
    )
    assert result.returncode in (0, 1), result.stderr.decode()
    return json.loads(result.stdout)


def validator(name: str) -> Draft202012Validator:
    """A JSON Schema validator for one of the OpenAPI document's component schemas."""
    spec = openapi_spec()
    return Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    )


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    validator("Error").validate(body)
    assert body["error"]["code"] == code


# -- the same findings as the command line -----------------------------------------------------


@pytest.mark.parametrize("name", ["stem-cell-poi.txt", "biochemical-pregnancy.txt"])
def test_lint_matches_the_command_line(client: TestClient, name: str) -> None:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    response = client.post("/v1/lint", json={"text": text, "path": name})
    assert response.status_code == 200
    body = response.json()
    validator("LintResponse").validate(body)
    assert body["findings"] == cli_json(text, name)
    assert body["findings"], "the reference articles have findings"


def test_options_match_the_command_line_options(client: TestClient) -> None:
    text = (EXAMPLES / "stem-cell-poi.txt").read_text(encoding="utf-8")
    response = client.post(
        "/v1/lint",
        json={
            "text": text,
            "path": "a.md",
            "options": {"ignore": ["commercial-contact"], "language": "en"},
        },
    )
    body = response.json()
    assert body["format"] == "markdown" and body["language"] == "en"
    want = cli_json(text, "a.md", "--ignore", "commercial-contact", "--language", "en")
    assert body["findings"] == want
    assert {f["category"] for f in want} == {"overclaim", "unsupported-statistic"}


def test_astral_characters_utf16_spans(client: TestClient) -> None:
    body = client.post("/v1/lint", json={"text": ASTRAL_TEXT}).json()
    assert body["findings"] == cli_json(ASTRAL_TEXT, "-")
    units = ASTRAL_TEXT.encode("utf-16-le")
    assert len(body["utf16_spans"]) == len(body["findings"]) >= 3
    for (start, end), finding in zip(body["utf16_spans"], body["findings"], strict=True):
        assert units[2 * start : 2 * end].decode("utf-16-le") == finding["text"]
        assert ASTRAL_TEXT[finding["start"] : finding["end"]] == finding["text"]
    assert body["utf16_spans"][0][0] == body["findings"][0]["start"] + 2


def test_verdict_score_and_fixed_text(client: TestClient) -> None:
    linter = Linter()
    findings = linter.lint(ASTRAL_TEXT)
    body = client.post("/v1/lint", json={"text": ASTRAL_TEXT, "fix": True}).json()
    verdict = assess(findings, linter.config)
    assert (body["verdict"], body["score"]) == (verdict.verdict, verdict.score)
    fixed, applied = apply_fixes(ASTRAL_TEXT, findings, fixes_of(linter.rules))
    assert body["fixed"] == {"text": fixed, "applied": len(applied)}
    assert "fixed" not in client.post("/v1/lint", json={"text": ASTRAL_TEXT}).json()


def test_server_config_is_the_base_of_every_request(tmp_path: Path) -> None:
    config = tmp_path / ".healthlint.yaml"
    config.write_text("ignore: [share-solicitation]\nlanguage: en\n", encoding="utf-8")
    app = create_app(ServeSettings(config=Config.load(config)))
    with TestClient(app, base_url=BASE) as own:
        body = own.post("/v1/lint", json={"text": ASTRAL_TEXT}).json()
        assert body["language"] == "en"
        assert "share-solicitation" not in {f["category"] for f in body["findings"]}
        # An option replaces the server's value of that key only.
        body = own.post("/v1/lint", json={"text": ASTRAL_TEXT, "options": {"ignore": []}}).json()
        assert "share-solicitation" in {f["category"] for f in body["findings"]}
        assert body["language"] == "en"


# -- uploads -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("gb18030", b"")],
)
def test_upload_is_decoded_as_the_command_line_decodes_it(
    client: TestClient, tmp_path: Path, encoding: str, bom: bytes
) -> None:
    text = (EXAMPLES / "stem-cell-poi.txt").read_text(encoding="utf-8")
    data = bom + text.encode(encoding)
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    response = client.post(
        "/v1/lint", files={"file": ("article.txt", data, "application/octet-stream")}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    validator("LintResponse").validate(body)
    assert body["text"] == text
    assert body["encoding"].replace("_", "-").startswith(encoding.split("-")[0])
    assert body["findings"] == cli_json_file(path)


def test_upload_form_fields(client: TestClient) -> None:
    response = client.post(
        "/v1/lint",
        files={"file": ("post.md", "[彻底治愈](https://example.org/彻底治愈)\n".encode())},
        data={"options": json.dumps({"language": "en"}), "fix": "true"},
    )
    body = response.json()
    assert body["format"] == "markdown" and body["path"] == "post.md"
    assert len(body["findings"]) == 1 and body["language"] == "en"
    assert body["fixed"]["applied"] == 0


def test_undecodable_upload(client: TestClient) -> None:
    response = client.post("/v1/lint", files={"file": ("x.txt", b"\x00\x01\x02\x03" * 64)})
    assert_error(response, 422, "undecodable_input")


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"content": b"{", "headers": {"content-type": "application/json"}}, 400, "invalid_json"),
        ({"json": ["text"]}, 400, "invalid_request"),
        ({"json": {"format": "text"}}, 400, "invalid_request"),
        ({"json": {"text": "x", "txt": "y"}}, 400, "invalid_request"),
        ({"json": {"text": "x", "fix": "yes"}}, 400, "invalid_request"),
        ({"json": {"text": "x", "format": "docx"}}, 400, "invalid_format"),
        ({"json": {"text": "x", "options": {"ignroe": []}}}, 422, "invalid_options"),
        ({"json": {"text": "x", "options": {"rules_dirs": ["/etc"]}}}, 422, "invalid_options"),
        ({"json": {"text": "x", "options": {"select": ["no-such-rule"]}}}, 422, "invalid_options"),
        ({"json": {"text": "x", "options": {"language": "fr"}}}, 422, "invalid_options"),
        ({"json": {"text": "x", "options": []}}, 422, "invalid_options"),
        (
            {"content": b"x", "headers": {"content-type": "text/plain"}},
            415,
            "unsupported_media_type",
        ),
        ({"files": {"other": ("a.txt", b"x")}}, 400, "invalid_request"),
    ],
)
def test_request_errors(client: TestClient, kwargs: dict[str, Any], status: int, code: str) -> None:
    assert_error(client.post("/v1/lint", **kwargs), status, code)


def test_http_errors_are_json(client: TestClient) -> None:
    assert_error(client.get("/v2/lint"), 404, "not_found")
    assert_error(client.get("/v1/lint"), 405, "method_not_allowed")
    with TestClient(create_app(), base_url="http://evil.example") as other:
        assert_error(other.get("/healthz"), 400, "invalid_host")


def test_body_size_is_bounded() -> None:
    app = create_app(ServeSettings(max_bytes=1000))
    with TestClient(app, base_url=BASE) as small:
        assert_error(small.post("/v1/lint", json={"text": "好" * 1000}), 413, "payload_too_large")

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
            yield b'{"text": "'
            for _ in range(100):
                yield "好".encode() * 10
            yield b'"}'

        response = small.post(
            "/v1/lint", content=chunks(), headers={"content-type": "application/json"}
        )
        assert_error(response, 413, "payload_too_large")
        assert small.post("/v1/lint", json={"text": "好" * 100}).status_code == 200


def test_time_is_bounded() -> None:
    app = create_app(ServeSettings(timeout=0.2))
    service = app.state.service

    def slow(job: Any) -> dict[str, Any]:
        time.sleep(1)
        return {}

    service.lint = slow
    with TestClient(app, base_url=BASE) as limited:
        started = time.monotonic()
        assert_error(limited.post("/v1/lint", json={"text": "x"}), 503, "timeout")
        assert time.monotonic() - started < 0.9, "the answer does not wait for the thread"


# -- rules, health, the page, OpenAPI ----------------------------------------------------------


def test_rules(client: TestClient) -> None:
    body = client.get("/v1/rules").json()
    assert [r["id"] for r in body["rules"]] == [r.id for r in Linter().rules]
    for record in body["rules"]:
        validator("Rule").validate(record)
        assert "path" not in record  # the server's file system stays private
        assert record["docs_url"].endswith(f"/docs/rules/{record['id']}.md")
    english = client.get("/v1/rules", params={"language": "en"}).json()
    assert english["language"] == "en"
    assert english["rules"][0]["message"] != body["rules"][0]["message"]
    assert_error(client.get("/v1/rules", params={"language": "fr"}), 422, "invalid_options")


def test_healthz_and_page(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    for asset in ("/static/app.js", "/static/style.css"):
        assert client.get(asset).status_code == 200


def test_openapi_is_valid_and_describes_the_answers(client: TestClient) -> None:
    from openapi_spec_validator import validate

    spec = client.get("/openapi.json").json()
    validate(spec)
    assert spec == openapi_spec()
    paths = {path for path in spec["paths"]}
    assert paths == {"/v1/lint", "/v1/rules", "/healthz"}
    codes = set(
        spec["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"]
    )
    assert codes == set(ERROR_CODES)
    validator("LintResponse").validate(client.post("/v1/lint", json={"text": "x"}).json())


def test_linter_cache_is_bounded_and_reused() -> None:
    cache = LinterCache(2)
    first = cache.get(Config())
    assert cache.get(Config()) is first
    cache.get(Config(language="en"))
    cache.get(Config(ignore=("overclaim",)))
    assert len(cache) == 2
    assert cache.get(Config()) is not first  # the least recently used went first


def test_importing_the_front_end_loads_no_web_library() -> None:
    probe = (
        "import sys, healthlint.frontends.web;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'starlette', 'uvicorn', 'anyio', 'python_multipart', 'pygls'}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_usage_errors_exit_2() -> None:
    for argv in (["--port", "70000"], ["--max-bytes", "0"], ["--config", "/no/such.yaml"]):
        result = subprocess.run(
            [sys.executable, "-m", "healthlint.frontends.web", *argv],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2, (argv, result.stderr)


# -- the real server ---------------------------------------------------------------------------


class Server:
    """`healthlint serve` in a subprocess on a free loopback port."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "healthlint.frontends.web", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert "http://" in line, line + self.process.stderr.read()  # type: ignore[union-attr]
        self.url = line.split()[2]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "healthz", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("the server did not start")

    def stop(self) -> tuple[str, str]:
        self.process.terminate()
        out, err = self.process.communicate(timeout=30)
        return out, err


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.stop()


def payloads() -> list[dict[str, Any]]:
    """Different texts and options, so that answers mixed up between clients would show."""
    texts = [
        (EXAMPLES / "stem-cell-poi.txt").read_text(encoding="utf-8"),
        (EXAMPLES / "biochemical-pregnancy.txt").read_text(encoding="utf-8"),
        ASTRAL_TEXT,
        "今天天气不错。",
        "本品能彻底治愈糖尿病。" * 20,
    ]
    options: list[dict[str, Any]] = [{}, {"language": "en"}, {"ignore": ["overclaim"]}]
    return [
        {"text": text, "options": option, "fix": index % 2 == 0, "path": f"doc{index}.md"}
        for index, (text, option) in enumerate((t, o) for t in texts for o in options)
    ]


def test_fifty_concurrent_clients(server: Server) -> None:
    """50 clients at once, each on its own connection: every answer equals the serial one."""
    jobs = payloads()
    with httpx.Client(base_url=server.url, timeout=60) as serial:
        expected = [serial.post("/v1/lint", json=job).json() for job in jobs]

    async def run() -> list[tuple[int, dict[str, Any]]]:
        async def one(index: int) -> tuple[int, dict[str, Any]]:
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as own:
                response = await own.post("/v1/lint", json=jobs[index % len(jobs)])
                assert response.status_code == 200, response.text
                return index, response.json()

        return await asyncio.gather(*(one(i) for i in range(50)))

    answers = asyncio.run(run())
    assert len(answers) == 50
    for index, body in answers:
        assert body == expected[index % len(jobs)]


def test_submitted_text_is_never_logged_or_written(tmp_path: Path) -> None:
    """A marker sent in JSON and in a 1.5 MB upload (beyond Starlette's 1 MiB spooling
    threshold) appears neither in the server's output nor in its temporary folder."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    running = Server("--log-level", "debug", env={"TMPDIR": str(scratch)})
    marker = "隐私标记彻底治愈7f3a"
    try:
        with httpx.Client(base_url=running.url, timeout=60) as http:
            assert http.post("/v1/lint", json={"text": marker}).status_code == 200
            big = (marker + "\n" + "健康饮食，规律作息。" * 50 + "\n") * 1000
            assert 1024 * 1024 < len(big.encode()) < 2 * 1024 * 1024
            response = http.post("/v1/lint", files={"file": ("big.txt", big.encode())})
            assert response.status_code == 200
            assert http.post("/v1/lint", json={"text": marker, "format": "pdf"}).status_code == 400
    finally:
        out, err = running.stop()
    assert "POST /v1/lint" in out + err  # the access log is on ...
    assert marker not in out and marker not in err  # ... and holds no text
    assert list(scratch.iterdir()) == []
