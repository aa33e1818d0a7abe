"""Lint submissions on a Dask cluster: the recipe for a platform that outgrows one machine.

    python examples/dask_lint.py submissions.jsonl [--scheduler tcp://host:8786]

Without `--scheduler` it starts a `LocalCluster` on this machine; with one it uses an
existing cluster (every worker needs healthlint installed). The input is read as a Dask
bag of JSON lines, so it may be a glob or a remote URL Dask understands (`s3://…/*.jsonl`).
The `Linter` is scattered to the workers once, so each worker builds it once, not once per
task. Writes one JSON result a line (the submission's id and its findings), to stdout or,
with `--output DIR`, to one file per partition written by the workers themselves.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import Any

import dask.bag as db
from distributed import Client, LocalCluster

from healthlint import Linter


def lint_records(
    records: Iterable[dict[str, Any]],
    linter: Linter,
    text_field: str = "text",
    id_field: str = "id",
) -> list[dict[str, Any]]:
    """One partition: a result per submission, with the findings as plain dicts."""
    return [
        {
            "id": record.get(id_field),
            "findings": [f.to_dict() for f in linter.lint(record[text_field])],
        }
        for record in records
    ]


def lint_bag(bag: db.Bag, linter: Any, **fields: str) -> db.Bag:
    """A bag of submissions (dicts) mapped to a bag of results, partition by partition.

    `linter` is a `Linter` or, better on a cluster, the future of a scattered one.
    """
    return bag.map_partitions(lint_records, linter, **fields)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("paths", nargs="+", help="JSON Lines files, globs or URLs")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler")
    parser.add_argument("--text-field", default="text")
    parser.add_argument("--id-field", default="id")
    parser.add_argument("--output", metavar="DIR", help="write part-*.jsonl files here")
    args = parser.parse_args(argv)
    cluster = None if args.scheduler else LocalCluster(processes=True, dashboard_address=None)
    with Client(args.scheduler or cluster) as client:
        linter = client.scatter(Linter(), broadcast=True)
        bag = db.read_text(args.paths).map(json.loads)
        results = lint_bag(bag, linter, text_field=args.text_field, id_field=args.id_field)
        lines = results.map(json.dumps, ensure_ascii=False)
        if args.output:
            lines.to_textfiles(f"{args.output}/part-*.jsonl")
        else:
            for line in lines.compute():
                print(line)
    if cluster is not None:
        cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
