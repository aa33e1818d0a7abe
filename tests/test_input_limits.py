"""Inputs are measured before they are read: a huge or sparse file costs no memory."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pytest

from healthlint.errors import InputError
from healthlint.sources.decode import DEFAULT_INPUT_LIMIT, read_source, read_stdin

TWO_GB = 2 * 1024**3


def test_a_sparse_2gb_file_is_refused_from_its_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as out:
        out.truncate(TWO_GB)  # sparse: no block is written, reading it would cost 2 GB
    start = time.perf_counter()
    with pytest.raises(InputError, match=f"too large \\({TWO_GB} bytes; the limit is"):
        read_source(path)
    assert time.perf_counter() - start < 1  # refused from stat: nothing read


def test_the_limit_is_a_parameter(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("彻底治愈" * 10, encoding="utf-8")
    with pytest.raises(InputError, match="too large"):
        read_source(path, limit=100)
    assert read_source(path, limit=None).text == "彻底治愈" * 10
    assert read_source(path).text == "彻底治愈" * 10
    assert DEFAULT_INPUT_LIMIT == 64 * 1024 * 1024


def test_standard_input_reads_at_most_the_limit_plus_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Stdin:
        buffer = io.BytesIO(b"x" * 1000)

    monkeypatch.setattr(sys, "stdin", Stdin)
    with pytest.raises(InputError, match="over 100 bytes"):
        read_stdin(limit=100)
    assert Stdin.buffer.tell() == 101
