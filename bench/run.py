"""Measure healthlint against baselines run in the same run, and print one table.

    python bench/run.py [--corpus DIR] [--repeat N] [--only MEASURE]

Every number is a ratio to a baseline timed seconds before on the same machine, so a busy
or slow machine moves both sides and the ratio stays meaningful. Targets (issue 6):

    CLI start         `healthlint` on one small article   <= 6 x `python -c pass`
    throughput        warm `Linter` over a few MB          <= 5 x a plain `re` alternation
                                                               of the packs' terms
    growth            4 x the text                         <= 4.5 x the time
    peak memory       the CLI on a 1 MB file               < 150 MB
    batch             `healthlint batch --jobs 2`          >= 1.7 x as fast as --jobs 1
    word boundary     the CLI with one `word_boundary: true` house rule  <= 1.5 x the time
                      and < 1.5 x the memory of the same run without it
    many files        3,000 files on the command line (the pool past 2,000)  >= 1.4 x as fast
                      as `--jobs 1`
    threads           one Linter shared by 8 threads       no target: the ratio to one thread
                                                           (threads share the GIL; use the pool)

Text: the JSON Lines files in `--corpus` (default `../shared/corpus` beside the repository)
when it exists, else the files in `examples/` repeated. The corpus is read, never copied.
Each timing is the best of `--repeat` runs: the least disturbed by other work. The batch row
says how much of a core `--jobs 1` got: well under 100 % means the machine had no idle core
for a second worker, and the ratio then measures the other work, not healthlint.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from healthlint.rules.load import default_rules_dir, load_rules

ROOT = Path(__file__).resolve().parent.parent
#: Size of the throughput text and of the batch input, in UTF-8 bytes.
THROUGHPUT_BYTES = 3_000_000
BATCH_BYTES = 6_000_000
#: The growth test times a text of this many characters and one four times as long.
GROWTH_CHARS = 250_000
MEMORY_BYTES = 1_000_000


@dataclass(frozen=True)
class Row:
    """One line of the table: what was measured, against what, and the verdict."""

    name: str
    value: str
    baseline: str
    ratio: float | None
    target: str
    ok: bool | None


def best_of(
    repeat: int,
    baseline: Callable[[], Any],
    measured: Callable[[], Any],
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[float, float]:
    """Best times (seconds) of `repeat` calls of each, taken in turns, so that a change in the
    machine's load hits both sides alike.

    Commands are timed by the wall clock. Work done in this process on one thread is timed
    with `clock=time.process_time`: on an idle machine that is its wall time, and on a shared
    one it leaves out the time another process held the core.
    """
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for action, spent in zip((baseline, measured), times, strict=True):
            start = clock()
            action()
            spent.append(clock() - start)
    return min(times[0]), min(times[1])


def load_texts(corpus: Path) -> tuple[list[str], str]:
    """Health texts to lint and where they came from."""
    files = sorted(corpus.glob("*.jsonl")) if corpus.is_dir() else []
    if files:
        texts = [json.loads(line)["text"] for path in files for line in path.open(encoding="utf-8")]
        return texts, f"corpus ({len(texts)} texts)"
    examples = sorted(
        p for p in (ROOT / "examples").glob("*") if p.suffix in {".md", ".txt", ".html"}
    )
    if not examples:
        raise SystemExit("no corpus and no examples/ to measure on")
    return [p.read_text(encoding="utf-8") for p in examples], f"examples ({len(examples)} files)"


def repeated(texts: list[str], size: int) -> Iterator[str]:
    """The texts over and over until `size` UTF-8 bytes have been given."""
    given = 0
    while True:
        for text in texts:
            if given >= size:
                return
            given += len(text.encode("utf-8"))
            yield text


def pack_terms() -> list[str]:
    """Every literal string the shipped rules look for: their terms, vocabularies and the
    literals their regexes need, as the loader puts them in the one-pass index."""
    return sorted(load_rules([default_rules_dir()]).index.terms)


def user_environment() -> dict[str, str]:
    """This environment without PYTHONDONTWRITEBYTECODE. An installed healthlint has its
    bytecode compiled (pip does it at install), and a start that compiled every module from
    source again would time the compiler (here about 35 ms, close to Python's own start).
    The first run writes the bytecode of a checkout; the best of several runs counts."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(command: list[str]) -> float:
    """Wall time of one command, output discarded; exit 0 or 1 (findings) expected."""
    start = time.perf_counter()
    result = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=user_environment()
    )
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        error = result.stderr.decode(errors="replace")[-300:]
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {error}")
    return elapsed


def best_runs(repeat: int, baseline: list[str], measured: list[str]) -> tuple[float, float]:
    """`best_of` for two commands."""
    return best_of(repeat, lambda: run(baseline), lambda: run(measured))


#: Runs a command and prints its peak memory and CPU time. A separate small process, because
#: a child's peak (ru_maxrss) starts from its parent's at fork, and this benchmark's is large.
_USAGE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); print(u.ru_maxrss, u.ru_utime + u.ru_stime)"
)


def usage(command: list[str]) -> tuple[float, float, float]:
    """Peak resident memory (MB), CPU seconds and wall seconds of a command and its children."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _USAGE, *command],
        capture_output=True,
        text=True,
        env=user_environment(),
    )
    wall = time.perf_counter() - start
    peak, cpu = out.stdout.split()
    return int(peak) / 1024, float(cpu), wall


def healthlint_command() -> list[str]:
    """The installed `healthlint` script beside this Python, as users run it."""
    script = Path(sys.executable).with_name("healthlint")
    found = str(script) if script.exists() else shutil.which("healthlint")
    if not found:
        raise RuntimeError("no healthlint script installed")
    return [found]


def measure_start(repeat: int, small: Path) -> Row:
    command = [*healthlint_command(), str(small)]
    run(command)  # as after installing: bytecode written, rules cached
    python, cli = best_runs(repeat, [sys.executable, "-c", "pass"], command)
    return _ratio_row("CLI start, one small article", cli, python, "python -c pass", 6)


def measure_throughput(repeat: int, texts: list[str]) -> Row:
    from healthlint import Linter

    terms = pack_terms()
    if not terms:
        raise RuntimeError("the rule packs hold no terms")
    alternation = re.compile("|".join(map(re.escape, sorted(terms, key=len, reverse=True))))
    linter = Linter()
    linter.lint(texts[0])  # warm: lazy imports and caches
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    plain, lint = best_of(
        repeat,
        lambda: [alternation.findall(t) for t in texts],
        lambda: [linter.lint(t) for t in texts],
        clock=time.process_time,
    )
    row = _ratio_row(f"warm throughput, {size:.1f} MB", lint, plain, f"re of {len(terms)} terms", 5)
    return Row(
        row.name,
        f"{row.value} ({size / lint:.1f} MB/s)",
        f"{row.baseline} ({size / plain:.0f} MB/s)",
        row.ratio,
        row.target,
        row.ok,
    )


def measure_growth(repeat: int, texts: list[str]) -> Row:
    """The same text four times over against once: a linear linter takes four times as long.

    The four copies keep the content fixed. Four different quarters of the corpus differ by
    up to 1.8 times in lint time (the ads are denser in findings than popular science), so a
    longer prefix of the corpus would measure its content as much as the linter's scaling.
    """
    from healthlint import Linter

    small = "\n\n".join(repeated(texts, 4 * GROWTH_CHARS))[:GROWTH_CHARS]
    large = "\n\n".join([small] * 4)
    linter = Linter()
    linter.lint(texts[0])
    one, four = best_of(
        repeat, lambda: linter.lint(small), lambda: linter.lint(large), clock=time.process_time
    )
    return Row(
        f"growth, {len(small) // 1000}k vs {len(large) // 1000}k chars",
        f"{four:.2f} s",
        f"{one:.2f} s",
        four / one,
        "<= 4.5",
        four / one <= 4.5,
    )


def measure_memory(texts: list[str], folder: Path) -> Row:
    path = folder / "one-megabyte.md"
    path.write_text("\n\n".join(repeated(texts, MEMORY_BYTES)), encoding="utf-8")
    python = usage([sys.executable, "-c", "pass"])[0]
    cli = usage([*healthlint_command(), str(path)])[0]
    size = path.stat().st_size / 1e6
    return Row(
        f"peak memory, CLI on {size:.1f} MB",
        f"{cli:.0f} MB",
        f"{python:.0f} MB python -c pass",
        None,
        "< 150 MB",
        cli < 150,
    )


def measure_batch(repeat: int, texts: list[str], folder: Path) -> Row:
    path = folder / "submissions.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for number, text in enumerate(repeated(texts, BATCH_BYTES)):
            out.write(json.dumps({"id": number, "text": text}, ensure_ascii=False) + "\n")
    command = [*healthlint_command(), "batch", str(path), "-o", os.devnull, "--no-progress"]
    one, two = best_runs(repeat, [*command, "--jobs", "1"], [*command, "--jobs", "2"])
    _, cpu, wall = usage([*command, "--jobs", "1"])
    size = path.stat().st_size / 1e6
    return Row(
        f"batch, {size:.0f} MB JSONL, --jobs 2",
        f"{two:.2f} s",
        f"{one:.2f} s --jobs 1 (it got {cpu / wall:.0%} of a core)",
        one / two,
        ">= 1.7 x faster",
        one / two >= 1.7,
    )


def _house_rules(folder: Path) -> Path:
    """A config with one house rule that asks for word boundaries (the README's example)."""
    rules = folder / "house-rules" / "overclaim"
    rules.mkdir(parents=True, exist_ok=True)
    (rules / "miracle-product.yaml").write_text(
        "kind: term\nseverity: error\nmessage: 神药\nbasis: 《广告法》第二十八条\n"
        "terms: [神药, 神器, 特效药]\nword_boundary: true\n"
        "examples: {bad: [这款神药专治失眠。], good: [这不是什么神药，失眠应就医。]}\n",
        encoding="utf-8",
    )
    config = folder / "house.yaml"
    config.write_text(f"rules_dirs: [{folder / 'house-rules'}]\n", encoding="utf-8")
    return config


def measure_word_boundary(repeat: int, small: Path, folder: Path) -> Row:
    """A text with a hit of the word-boundary rule, so the segmenter is loaded."""
    article = folder / "boundary.txt"
    article.write_text(small.read_text(encoding="utf-8") + "\n这款神药专治失眠。\n", "utf-8")
    config = _house_rules(folder)
    plain = [*healthlint_command(), "--isolated", str(article)]
    house = [*healthlint_command(), "--config", str(config), str(article)]
    run(house)
    without, with_rule = best_runs(repeat, plain, house)
    memory_without, memory_with = usage(plain)[0], usage(house)[0]
    ratio = with_rule / without
    return Row(
        "CLI with a word-boundary house rule",
        f"{_seconds(with_rule)}, {memory_with:.0f} MB",
        f"{_seconds(without)}, {memory_without:.0f} MB without it",
        ratio,
        "<= 1.5 x time, < 1.5 x memory",
        ratio <= 1.5 and memory_with < 1.5 * memory_without,
    )


def measure_many_files(repeat: int, texts: list[str], folder: Path) -> Row:
    tree = folder / "many"
    tree.mkdir(exist_ok=True)
    for number, text in zip(range(3000), repeated(texts, 10**12), strict=False):
        (tree / f"{number:05}.md").write_text(text[:2000], encoding="utf-8")
    command = [*healthlint_command(), "--isolated", "--quiet", str(tree)]
    one, pooled = best_runs(repeat, [*command, "--jobs", "1"], command)
    return Row(
        "CLI on 3,000 files (pool)",
        _seconds(pooled),
        f"{_seconds(one)} --jobs 1",
        one / pooled,
        ">= 1.4 x faster",
        one / pooled >= 1.4,
    )


def measure_threads(repeat: int, texts: list[str]) -> Row:
    """The same texts linted by one thread and split over 8 sharing one Linter (wall time)."""
    from concurrent.futures import ThreadPoolExecutor

    from healthlint import Linter

    linter = Linter()
    sample = list(repeated(texts, 600_000))
    linter.lint(sample[0])

    def threaded() -> None:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(linter.lint, sample))

    one, eight = best_of(repeat, lambda: [linter.lint(t) for t in sample], threaded)
    return Row(
        "one Linter, 8 threads",
        _seconds(eight),
        f"{_seconds(one)} one thread",
        eight / one,
        "(report only)",
        None,
    )


def _ratio_row(name: str, value: float, baseline: float, label: str, limit: float) -> Row:
    ratio = value / baseline
    return Row(
        name, _seconds(value), f"{_seconds(baseline)} {label}", ratio, f"<= {limit}", ratio <= limit
    )


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def small_article(texts: list[str], folder: Path) -> Path:
    """The smallest example article, or a corpus text of about a page when there is none."""
    examples = [p for p in (ROOT / "examples").glob("*") if p.suffix in {".md", ".txt"}]
    if examples:
        return min(examples, key=lambda p: p.stat().st_size)
    path = folder / "small.txt"
    path.write_text(min((t for t in texts if len(t) > 1000), key=len), encoding="utf-8")
    return path


def machine() -> str:
    """CPU model, cores, OS and Python: what RESULTS.md records beside the numbers."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = names[0] if names else model
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = f", load {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return (
        f"{model}, {cores} cores{load}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def table(rows: list[Row]) -> str:
    lines = [
        "| measure | healthlint | baseline | ratio | target | ok |",
        "|---|---|---|---:|---|---|",
    ]
    for row in rows:
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}"
        ok = {True: "yes", False: "**no**", None: ""}[row.ok]
        lines.append(
            f"| {row.name} | {row.value} | {row.baseline} | {ratio} | {row.target} | {ok} |"
        )
    return "\n".join(lines)


#: The measures, in the order they run (names for --only).
MEASURES = (
    "start",
    "throughput",
    "growth",
    "memory",
    "batch",
    "boundary",
    "files",
    "threads",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=ROOT.parent / "shared" / "corpus",
        help="folder of JSON Lines texts (default: ../shared/corpus beside the repository)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing; the best counts")
    parser.add_argument(
        "--only",
        action="append",
        choices=MEASURES,
        help="run only this measure (repeatable); the table then has only its rows",
    )
    args = parser.parse_args()
    texts, source = load_texts(args.corpus)
    print(f"{datetime.date.today()} · {machine()} · text: {source}\n")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        measures: list[tuple[str, Callable[[], Row]]] = [
            ("start", lambda: measure_start(3 * args.repeat, small_article(texts, folder))),
            ("throughput", lambda: measure_throughput(args.repeat, list(texts))),
            ("growth", lambda: measure_growth(args.repeat, texts)),
            ("memory", lambda: measure_memory(texts, folder)),
            ("batch", lambda: measure_batch(min(args.repeat, 2), texts, folder)),
            (
                "boundary",
                lambda: measure_word_boundary(args.repeat, small_article(texts, folder), folder),
            ),
            ("files", lambda: measure_many_files(min(args.repeat, 2), texts, folder)),
            ("threads", lambda: measure_threads(min(args.repeat, 2), texts)),
        ]
        for name, measure in measures:
            if args.only and name not in args.only:
                continue
            try:
                rows.append(measure())
            except Exception as error:  # report the others even when one cannot run
                rows.append(Row(name, f"n/a: {error}", "", None, "", False))
    print(table(rows))
    return 0 if all(row.ok is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
