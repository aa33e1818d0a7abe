"""The cluster recipe in examples/dask_lint.py: a Dask bag mapped through a Linter gives what
`healthlint batch` gives, line for line, malformed lines included."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import distributed

from healthlint import Linter
from healthlint.frontends.batch import main as batch_main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dask_lint.py"
TEXTS = ["本品可彻底治愈糖尿病。", "糖尿病目前无法根治。", "今天天气不错。", "转发到朋友圈！"]
MALFORMED = {3: b'{"id": 3, "text": ', 7: b"\xff\xfe not UTF-8", 9: b'{"id": 9}', 12: b"[1, 2]"}


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dask_lint", EXAMPLE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bag_on_local_cluster_gives_batch_records_and_goes_on(tmp_path: Path) -> None:
    source = tmp_path / "submissions.jsonl"
    with source.open("wb") as out:
        for number in range(1, 21):
            good = json.dumps({"id": number, "text": TEXTS[number % 4]}, ensure_ascii=False)
            out.write(MALFORMED.get(number, good.encode()) + b"\n")
    expected_file = tmp_path / "batch.jsonl"
    batch_main([str(source), "-o", str(expected_file), "--jobs", "1", "--isolated"])
    expected = [json.loads(line) for line in expected_file.read_text(encoding="utf-8").splitlines()]
    example = load_example()
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        scattered = client.scatter(Linter(), broadcast=True)
        results = example.lint_bag(example.read_lines(str(source)), scattered).compute()
    assert results == expected
    assert [r["line"] for r in results] == list(range(1, 21))
    assert {r["line"] for r in results if "error" in r} == set(MALFORMED)
    assert any(r.get("findings") for r in results)
