"""The cluster recipe in examples/dask_lint.py: a Dask bag mapped through a Linter."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import dask.bag as db
import distributed

from healthlint import Linter

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dask_lint.py"
SUBMISSIONS = [
    {"id": n, "text": text}
    for n, text in enumerate(
        ["本品可彻底治愈糖尿病。", "糖尿病目前无法根治。", "今天天气不错。", "转发到朋友圈！"] * 5
    )
]


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dask_lint", EXAMPLE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bag_on_local_cluster_equals_serial_lint() -> None:
    example = load_example()
    linter = Linter()
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        scattered = client.scatter(linter, broadcast=True)
        bag = db.from_sequence(SUBMISSIONS, npartitions=4)
        results = example.lint_bag(bag, scattered).compute()
    expected = [
        {"id": s["id"], "findings": [f.to_dict() for f in linter.lint(s["text"])]}
        for s in SUBMISSIONS
    ]
    assert results == expected
    assert any(result["findings"] for result in results)
