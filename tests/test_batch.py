"""`healthlint batch` and `Linter.lint_many`: order, nothing lost, same results as serial."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from healthlint import Linter
from healthlint.frontends.batch import main as batch_main
from healthlint.frontends.cli import main as cli_main
from healthlint.parallel import WorkerError, ordered_map

TEXTS = (
    "本品可彻底治愈糖尿病，无任何副作用。",
    "糖尿病目前无法根治，请遵医嘱规范治疗。",
    "今天天气不错。",
    "转发到朋友圈，让更多人看到！加微信领取秘方。",
)
MALFORMED = 5_000


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def write_jsonl(path: Path, count: int, broken: dict[int, bytes] | None = None) -> Path:
    broken = broken or {}
    with path.open("wb") as out:
        for number in range(1, count + 1):
            record = {"sid": f"s{number}", "body": TEXTS[number % len(TEXTS)]}
            line = json.dumps(record, ensure_ascii=False).encode()
            out.write(broken.get(number, line) + b"\n")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_ten_thousand_lines_in_order_with_one_malformed(tmp_path: Path, linter: Linter) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", 10_000, {MALFORMED: b'{"sid": "s5000", "body": '})
    output = tmp_path / "out.jsonl"
    args = [str(source), "-o", str(output), "--jobs", "2", "--text-field", "body"]
    code = batch_main([*args, "--id-field", "sid", "--no-progress"])
    results = read_jsonl(output)
    assert code == 2, "an unreadable line is an input error"
    assert len(results) == 10_000
    assert [r["line"] for r in results] == list(range(1, 10_001))
    bad = results[MALFORMED - 1]
    assert "findings" not in bad and "line 5000" in bad["error"]
    expected = {text: [f.to_dict() for f in linter.lint(text)] for text in TEXTS}
    for number, result in enumerate(results, start=1):
        if number != MALFORMED:
            assert result["id"] == f"s{number}"
            assert result["findings"] == expected[TEXTS[number % len(TEXTS)]]
    assert any(result.get("findings") for result in results)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"[1, 2]", "JSON object"),
        (b'{"id": 1}', "'text' is missing"),
        (b'{"id": 1, "text": 3}', "a number, not a string"),
        (b'{"id": 1, "text": "\xff"}', "not UTF-8"),
        (b"", "invalid JSON"),
        (b'{"id": 1, "n": ' + b"9" * 5000 + b', "text": "a"}', "digits"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"id": 1, "text": "\\ud800x"}', "unpaired surrogate"),
        (b'"just a string"', "got string"),
        (b"null", "got null"),
        (b'{"id": 1, "text": "' + "长".encode() * 400 + b'"}', "too long"),
    ],
)
def test_unreadable_line_is_reported_and_the_run_goes_on(
    tmp_path: Path, line: bytes, reason: str
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"id": 1, "text": "a"}\n' + line + b'\n{"id": 3, "text": "b"}\n')
    output = tmp_path / "out.jsonl"
    limit = ["--max-line-bytes", "1000"] if reason == "too long" else []
    code = batch_main([str(source), "-o", str(output), "--jobs", "1", *limit])
    assert code == 2
    first, second, third = read_jsonl(output)
    assert first["findings"] == third["findings"] == []
    assert reason in second["error"] and second["error"].startswith("line 2:")


def test_skip_resumes_after_the_given_line(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", 20)
    output = tmp_path / "out.jsonl"
    batch_main([str(source), "-o", str(output), "--skip", "15", "--text-field", "body"])
    assert [r["line"] for r in read_jsonl(output)] == [16, 17, 18, 19, 20]


def test_cli_dispatches_batch(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", 3)
    output = tmp_path / "out.jsonl"
    assert cli_main(["batch", str(source), "-o", str(output), "--text-field", "body"]) in (0, 1)
    assert len(read_jsonl(output)) == 3


def test_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    assert cli_main(["batch", str(tmp_path / "absent.jsonl")]) == 2


def test_lint_many_with_processes_equals_serial(linter: Linter) -> None:
    texts = [TEXTS[i % len(TEXTS)] + "。" * (i % 3) for i in range(200)]
    assert list(linter.lint_many(texts, jobs=2)) == [linter.lint(text) for text in texts]


def _reciprocal(state: int, item: int) -> float:
    return state / item


def test_error_is_raised_at_its_position() -> None:
    results = ordered_map(_reciprocal, 1, [1, 2, 0, 4], jobs=2, chunk_size=1)
    assert next(results) == 1.0
    assert next(results) == 0.5
    with pytest.raises(ZeroDivisionError):
        next(results)


def test_stopping_early_stops_the_workers() -> None:
    results = ordered_map(_reciprocal, 1, range(1, 10**9), jobs=2)
    assert [next(results) for _ in range(3)] == [1.0, 0.5, 1 / 3]
    results.close()  # must return promptly, not read a billion items


def _die(state: None, item: int) -> int:
    if item == 3:
        os._exit(7)
    return item


def test_a_dead_worker_is_an_error_not_a_hang() -> None:
    with pytest.raises(WorkerError):
        list(ordered_map(_die, None, range(10), jobs=2, chunk_size=1))


def test_each_record_carries_a_verdict() -> None:
    from healthlint.frontends.batch import Fields, lint_line

    job = (Linter(), Fields())
    claim = json.dumps({"id": 1, "text": "本品能彻底治愈糖尿病，扫码添加微信购买。"}).encode()
    clean = json.dumps({"id": 2, "text": "多吃蔬菜，规律作息。"}).encode()
    bad, good = (json.loads(lint_line(job, item).line) for item in ((1, claim), (2, clean)))
    assert bad["verdict"] in ("review", "reject") and bad["score"] > 0
    assert good["verdict"] == "pass" and good["score"] == 0


def test_a_lone_surrogate_in_an_id_is_echoed_as_valid_json(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"id": "\\ud800", "text": "a"}\n')
    output = tmp_path / "out.jsonl"
    assert batch_main([str(source), "-o", str(output), "--jobs", "1"]) == 0
    (record,) = read_jsonl(output)
    assert record["id"] == "\ud800" and record["findings"] == []


def test_resume_keeps_the_results_and_drops_a_torn_record(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", 30)
    output = tmp_path / "out.jsonl"
    full = tmp_path / "full.jsonl"
    args = ["--text-field", "body", "--id-field", "sid", "--jobs", "1"]
    batch_main([str(source), "-o", str(full), *args])
    lines = full.read_bytes().splitlines(keepends=True)
    output.write_bytes(b"".join(lines[:12]) + lines[12][:20])  # killed while writing line 13
    batch_main([str(source), "-o", str(output), "--resume", *args])
    assert output.read_bytes() == full.read_bytes()
    batch_main([str(source), "-o", str(output), "--resume", *args])  # nothing left to do
    assert output.read_bytes() == full.read_bytes()


def test_resume_needs_an_output_file(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", 3)
    assert cli_main(["batch", str(source), "--resume"]) == 2


def test_select_ignore_language_and_fail_on(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    text = "本品可彻底治愈糖尿病。转发到朋友圈！"
    source.write_text(json.dumps({"id": 1, "text": text}, ensure_ascii=False) + "\n", "utf-8")
    output = tmp_path / "out.jsonl"

    def run(*options: str) -> tuple[int, list[dict]]:
        code = batch_main([str(source), "-o", str(output), "--jobs", "1", *options])
        return code, read_jsonl(output)[0]["findings"]

    _, findings = run("--select", "share-solicitation")
    assert {f["category"] for f in findings} == {"share-solicitation"}
    _, findings = run("--ignore", "share-solicitation,fear-appeal", "--language", "en")
    assert findings and all(f["category"] != "share-solicitation" for f in findings)
    assert all(f["message"].isascii() for f in findings)
    assert run("--select", "share-solicitation", "--fail-on", "error")[0] == 0
    assert run("--select", "overclaim", "--fail-on", "error")[0] == 1
    assert cli_main(["batch", str(source), "--select", "no-such-rule"]) == 2


def test_a_submission_cannot_silence_a_platform_run(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    text = "<!-- healthlint-disable -->\n本品可彻底治愈糖尿病。"
    source.write_text(json.dumps({"id": 1, "text": text}, ensure_ascii=False) + "\n", "utf-8")
    output = tmp_path / "out.jsonl"
    batch_main([str(source), "-o", str(output), "--jobs", "1", "--input-format", "markdown"])
    assert read_jsonl(output)[0]["findings"] == []
    batch_main([str(source), "-o", str(output), "--jobs", "1", "--no-inline-config"])
    assert {f["rule"] for f in read_jsonl(output)[0]["findings"]} >= {"cure-promise"}
