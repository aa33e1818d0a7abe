"""`healthlint batch` as a process: closed pipes, full disks and signals end it with one line,
never a traceback, and never leave a worker behind; 100k hostile lines give 100k records."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BATCH = [sys.executable, "-m", "healthlint", "batch"]
CLAIM = "本品可彻底治愈糖尿病，扫码添加微信。"


def submissions(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            out.write(json.dumps({"id": number, "text": CLAIM * 3}, ensure_ascii=False) + "\n")
    return path


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def test_closed_pipe_is_one_line(tmp_path: Path) -> None:
    source = submissions(tmp_path / "in.jsonl", 20_000)
    command = f"{' '.join(BATCH)} {source} --jobs 2 --no-progress | head -1"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, timeout=120
    )
    assert json.loads(result.stdout)["line"] == 1
    assert "output closed" in one_line(result.stderr)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("to_file", [True, False])
def test_full_disk_is_one_line(tmp_path: Path, to_file: bool) -> None:
    source = submissions(tmp_path / "in.jsonl", 2_000)
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [*BATCH, str(source), "--jobs", "2", *(["-o", "/dev/full"] if to_file else [])],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert result.returncode == 2
    assert "No space left on device" in one_line(result.stderr)


def _children(pid: int) -> list[int]:
    listed = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True
    )
    return [int(p) for p in listed.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat")
    return not state.exists() or state.read_text().split()[2] != "Z"


def _start(tmp_path: Path) -> tuple[subprocess.Popen[str], list[int], Path]:
    source = submissions(tmp_path / "in.jsonl", 100_000)
    output = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [*BATCH, str(source), "-o", str(output), "--jobs", "2", "--no-progress"],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (output.exists() and output.stat().st_size) and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = _children(process.pid)
    assert workers, "the pool should be running"
    return process, workers, output


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_workers_and_says_how_to_resume(tmp_path: Path, signum: int) -> None:
    process, workers, output = _start(tmp_path)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == (130 if signum == signal.SIGINT else 128 + signal.SIGTERM)
    message = one_line(stderr)
    assert message.endswith("--no-progress --resume") and str(output) in message
    time.sleep(0.5)
    assert not [w for w in workers if _alive(w)]
    last = json.loads(output.read_text(encoding="utf-8").splitlines()[-1])["line"]
    assert f"after input line {last};" in message


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_workers_exit_when_the_parent_is_killed(tmp_path: Path) -> None:
    process, workers, _ = _start(tmp_path)
    process.kill()
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while [w for w in workers if _alive(w)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)]


HOSTILE = [
    b'{"id": "\\ud800", "text": "a"}',
    b'{"id": 1, "n": ' + b"9" * 5000 + b"}",
    b"[" * 100_000 + b"]" * 100_000,
    b"42",
    b"\xff\xfe\x00",
    b'{"id": 2, "text": "\\udc00"}',
    b'{"id": 3, "text": 7}',
    b'{"text": "<!-- healthlint-disable -->' + "彻底治愈".encode() + b'"}',
    json.dumps({"id": 4, "text": CLAIM}, ensure_ascii=False).encode(),
    b"",
]


@pytest.mark.slow
def test_a_hundred_thousand_hostile_lines_give_one_record_each(tmp_path: Path) -> None:
    source = tmp_path / "hostile.jsonl"
    with source.open("wb") as out:
        for number in range(100_000):
            out.write(HOSTILE[number % len(HOSTILE)] + b"\n")
    output = tmp_path / "out.jsonl"
    result = subprocess.run(
        [*BATCH, str(source), "-o", str(output), "--jobs", "2", "--no-progress"],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    with output.open(encoding="utf-8") as records:
        numbers = [json.loads(line)["line"] for line in records]
    assert numbers == list(range(1, 100_001))
