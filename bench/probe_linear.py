"""Time of every hostile case of tests/test_linear_time.py at growing sizes.

    python bench/probe_linear.py 1 4 16        # MB of text for each case

The test compares two small sizes; this prints the seconds at each size given and the ratio
of each to the one before, so a case that grows faster than its input shows (linear: the ratio
of the sizes, quadratic: its square). Figures: docs/testing.md (Linear time).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_linear_time import CASES  # the cases live with their test

from healthlint import Linter


def main(sizes_mb: list[float]) -> None:
    linter = Linter()
    for name, (fmt, _, make) in CASES.items():
        linter.lint(make(4096), format=fmt)
        row, previous = [], None
        for mb in sizes_mb:
            text = make(int(mb * 1_000_000))
            start = time.perf_counter()
            linter.lint(text, format=fmt)
            seconds = time.perf_counter() - start
            ratio = f" (x{seconds / previous:.1f})" if previous else ""
            row.append(f"{mb:g} MB {seconds:6.2f} s{ratio}")
            previous = seconds
        print(f"{name:34} " + "  ".join(row), flush=True)


if __name__ == "__main__":
    main([float(n) for n in sys.argv[1:]])
