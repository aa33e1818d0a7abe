"""Lint submissions on a Dask cluster: the recipe for a platform that outgrows one machine.

    python examples/dask_lint.py submissions.jsonl [--scheduler tcp://host:8786]

Without `--scheduler` it starts a `LocalCluster` on this machine; with one it uses an
existing cluster (every worker needs healthlint installed). The input is read as a Dask
bag of lines, one partition per file, so it may be a glob or a remote URL Dask understands
(`s3://…/*.jsonl`). The `Linter` is scattered to the workers once, so each worker builds it
once, not once per task. Each line gives exactly the record `healthlint batch` gives it (its
line number in its file, id, findings and verdict), and a line that cannot be read (bad JSON,
bad UTF-8, no text) gives batch's error record instead of stopping the job. Writes one JSON
result a line, to stdout or, with `--output DIR`, to one file per partition written by the
workers themselves.
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
from healthlint.frontends.batch import Fields, lint_line


def lint_lines(
    lines: Iterable[str],
    linter: Linter,
    text_field: str = "text",
    id_field: str = "id",
) -> list[dict[str, Any]]:
    """One partition (one file): a record per line, numbered from 1, as `healthlint batch`
    writes it. Lines arrive decoded with surrogateescape, so bad UTF-8 is given back as the
    bytes batch would have read, and gets batch's error record."""
    job = (linter, Fields(text_field, id_field))
    return [
        json.loads(lint_line(job, (number, line.encode("utf-8", "surrogateescape"))).line)
        for number, line in enumerate(lines, start=1)
    ]


def read_lines(paths: list[str] | str) -> db.Bag:
    """The input files as a bag of lines, one partition per file (so line numbers are the
    file's), undecodable bytes kept for `lint_lines` to report."""
    return db.read_text(paths, blocksize=None, errors="surrogateescape")


def lint_bag(bag: db.Bag, linter: Any, **fields: str) -> db.Bag:
    """A bag of input lines mapped to a bag of batch records, partition by partition.

    `linter` is a `Linter` or, better on a cluster, the future of a scattered one.
    """
    return bag.map_partitions(lint_lines, linter, **fields)


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
        bag = read_lines(args.paths)
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
