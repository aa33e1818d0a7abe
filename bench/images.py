"""Measure the image reader: speed, memory, accuracy, installed size; print one table.

    python bench/images.py [--repeat N] [--compare] [--skip-long]

Speed is reported as absolute numbers and as a ratio to a baseline run in the same process
seconds before: decoding the same files with Pillow (open, load, convert to RGB), the least
any image reader must do. Each timing is the best of `--repeat` runs, the least disturbed by
other work on the machine. Peak memory is the peak resident set of a fresh process that
loads the reader and reads one image, next to one that only decodes it.

The pictures are drawn by tests/images/render.py (the test set): posters at several sizes,
on plain and photo-like backgrounds, tilted, blurred, as JPEG, and a 1080 × 4000 long image.
Accuracy is character accuracy against the drawn text (spaces ignored), and character-box
error is how far each box's centre lies from the drawn glyph's, in ems (font sizes).

`--compare` also runs the OCR engines installed in this environment on their own defaults
(`rapidocr_onnxruntime` 1.x and `rapidocr` 2.x/3.x, whichever import), for the choice of
engine in docs/images.md; run it once in a virtual environment per engine.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from images import render, score  # noqa: E402  (the test set's renderer and scorer)


def best(repeat: int, work: Callable[[], object]) -> float:
    """The least wall-clock time of `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def best_cpu(repeat: int, work: Callable[[], object]) -> float:
    """The least CPU time of `repeat` runs, all of this process's threads together: other
    work on the machine delays a run's wall clock but adds little to its CPU time, so this
    compares engines run at different moments (ONNX Runtime's threads are all counted, so
    it is about twice the wall time on two idle cores)."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def pillow_decode(paths: Iterable[Path]) -> None:
    from PIL import Image

    for path in paths:
        with Image.open(path) as image:
            image.convert("RGB").load()


def found_lines(page) -> list[score.Found]:  # type: ignore[no-untyped-def]
    return [
        score.Found(
            x.text,
            (x.box.left, x.box.top, x.box.right, x.box.bottom),
            tuple((b.left, b.top, b.right, b.bottom) for b in x.char_boxes),
        )
        for x in page.lines
    ]


_PEAK = """
import sys
sys.path.insert(0, {tests!r})
mode, path = sys.argv[1], sys.argv[2]
if mode == "decode":
    from PIL import Image
    Image.open(path).convert("RGB").load()
else:
    from healthlint.images import ImageReader
    ImageReader().read(path)
# VmHWM, not getrusage's ru_maxrss: on Linux a child started by fork and exec reports the
# parent's peak in ru_maxrss when that was higher, VmHWM starts afresh at exec.
with open("/proc/self/status") as status:
    print(next(l.split()[1] for l in status if l.startswith("VmHWM:")))
"""


def peak_mb(mode: str, path: Path) -> float:
    """Peak resident memory, in MB, of a fresh process that decodes or reads `path`."""
    out = subprocess.run(
        [sys.executable, "-c", _PEAK.format(tests=str(ROOT / "tests")), mode, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.split()[-1]) / 1024


def _requirements(dist: importlib.metadata.Distribution, extra: str | None) -> list[str]:
    names = []
    for req in dist.requires or []:
        name, _, marker = req.partition(";")
        if marker and "extra" in marker:
            wanted = re.search(r"extra\s*==\s*['\"]([^'\"]+)", marker)
            if not wanted or wanted.group(1) != extra:
                continue
        elif marker and not _marker_holds(marker):
            continue
        names.append(re.split(r"[\s\[<>=!~(]", name.strip(), maxsplit=1)[0])
    return names


def _marker_holds(marker: str) -> bool:
    try:
        from packaging.markers import Marker

        return Marker(marker).evaluate()
    except Exception:
        return True


def closure(roots: Iterable[str]) -> set[str]:
    """Installed distributions `roots` need, themselves included (normalised names)."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop().lower().replace("_", "-")
        if name in seen:
            continue
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        seen.add(name)
        todo.extend(_requirements(dist, None))
    return seen


def size_mb(names: Iterable[str]) -> float:
    total = 0
    for name in names:
        dist = importlib.metadata.distribution(name)
        for file in dist.files or []:
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                total += path.stat().st_size
    return total / 1e6


def installed_size() -> tuple[float, float, list[tuple[str, float]]]:
    """(MB the images extra adds over the core install, MB of the OCR models, the
    largest packages) from this environment's metadata."""
    own = importlib.metadata.distribution("healthlint")
    core = closure(_requirements(own, None))
    extra = closure(_requirements(own, "images")) - core
    models = 0.0
    spec = importlib.util.find_spec("rapidocr")
    if spec and spec.origin:
        models = sum(p.stat().st_size for p in (Path(spec.origin).parent / "models").glob("*"))
    biggest = sorted(((n, size_mb([n])) for n in extra), key=lambda x: -x[1])[:6]
    return size_mb(extra), models / 1e6, biggest


def measure_reader(folder: Path, scenes: list[render.Scene], repeat: int, long: bool) -> None:
    from healthlint.images import ImageReader

    posters = [s for s in scenes if not s.name.startswith("long")]
    paths = {s.name: s.save(folder) for s in scenes}
    poster_paths = [paths[s.name] for s in posters]

    reader = ImageReader()
    start = time.perf_counter()
    reader.read(poster_paths[0])
    first = time.perf_counter() - start

    decode = best(repeat, lambda: pillow_decode(poster_paths))
    read = best(repeat, lambda: [reader.read(p) for p in poster_paths])
    read_cpu = best_cpu(repeat, lambda: [reader.read(p) for p in poster_paths])
    n = len(poster_paths)
    rows = [
        ("engine load + first read", f"{first:.2f} s", ""),
        (
            f"posters ({n}, 750×1334 and smaller)",
            f"{n / read:.2f} images/s ({read / n:.2f} s each, {read_cpu / n:.2f} s CPU)",
            f"{read / decode:.0f} × Pillow decode ({decode / n * 1000:.1f} ms each)",
        ),
    ]
    if long:
        long_path = paths["long-1080x4000"]
        decode_long = best(repeat, lambda: pillow_decode([long_path]))
        read_long = best(max(1, repeat // 2), lambda: reader.read(long_path))
        read_long_cpu = best_cpu(1, lambda: reader.read(long_path))
        rows.append(
            (
                "long image 1080×4000",
                f"{read_long:.2f} s ({read_long_cpu:.2f} s CPU)",
                f"{read_long / decode_long:.0f} × Pillow decode ({decode_long * 1000:.0f} ms)",
            )
        )
        mem_read = peak_mb("read", long_path)
        mem_decode = peak_mb("decode", long_path)
        mem_small = peak_mb("read", paths["clean-24"])
        rows.append(
            (
                "peak memory, 1080×4000",
                f"{mem_read:.0f} MB",
                f"{mem_read / mem_decode:.1f} × Pillow decode ({mem_decode:.0f} MB); "
                f"a 760×300 poster: {mem_small:.0f} MB",
            )
        )

    # Accuracy, from one more pass.
    clean, hard, errors = [], [], []
    lines_by_score: list[tuple[float, bool]] = []
    low = ImageReader(min_confidence=0.0)
    for scene in scenes:
        page = reader.read(paths[scene.name])
        found = found_lines(page)
        accuracy = score.char_accuracy(scene.poster.lines, found)
        (clean if scene.clean else hard).append((scene.name, accuracy))
        errors += [e.centre_x / e.size for e in score.box_errors(scene.poster.lines, found)]
        for x in low.read(paths[scene.name]).lines:
            right = any(x.text.replace(" ", "") in d.text for d in scene.poster.lines)
            lines_by_score.append((x.confidence, right))
    errors.sort()
    rows += [
        (
            "character accuracy, clean",
            f"{statistics.fmean(a for _, a in clean):.3f} mean, {min(a for _, a in clean):.3f} min",
            ", ".join(f"{n} {a:.3f}" for n, a in clean if a < 1),
        ),
        (
            "character accuracy, hard",
            f"{statistics.fmean(a for _, a in hard):.3f} mean, {min(a for _, a in hard):.3f} min",
            ", ".join(f"{n} {a:.3f}" for n, a in hard if a < 1),
        ),
        (
            "character box centre error",
            f"median {statistics.median(errors):.2f} em",
            f"95th percentile {errors[int(0.95 * (len(errors) - 1))]:.2f} em, "
            f"worst {errors[-1]:.2f} em, over {len(errors)} characters",
        ),
    ]
    right = [s for s, ok in lines_by_score if ok]
    wrong = [s for s, ok in lines_by_score if not ok]
    rows.append(
        (
            "line confidence",
            f"lowest whole line read right {min(right):.3f}",
            f"{len(wrong)} lines not a drawn substring, scoring "
            f"{sorted(round(s, 3) for s in wrong)}",
        )
    )
    extra, models, biggest = installed_size()
    rows.append(
        (
            "installed size of the extra",
            f"{extra:.0f} MB",
            f"models {models:.0f} MB; " + ", ".join(f"{n} {s:.0f}" for n, s in biggest),
        )
    )
    table(rows)


def _engines() -> dict[str, Callable[[], Callable[[Path], list[score.Found]]]]:
    def rect(points) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
        return (min(xs), min(ys), max(xs), max(ys))

    def one() -> Callable[[Path], list[score.Found]]:
        from rapidocr_onnxruntime import RapidOCR

        ocr = RapidOCR()

        def run(path: Path) -> list[score.Found]:
            result, _ = ocr(str(path), return_word_box=True)
            out = []
            for r in result or []:
                chars = tuple(rect(b) for b in r[3]) if len(r) > 3 and r[3] else ()
                out.append(score.Found(r[1], rect(r[0]), chars if len(chars) == len(r[1]) else ()))
            return out

        return run

    def many() -> Callable[[Path], list[score.Found]]:
        from rapidocr import RapidOCR

        three = not importlib.metadata.version("rapidocr").startswith("2.")
        ocr = RapidOCR(params={"Global.log_level": "critical"}) if three else RapidOCR()

        def run(path: Path) -> list[score.Found]:
            extra = {"return_single_char_box": True} if three else {}
            result = ocr(str(path), return_word_box=True, **extra)
            if result.txts is None:
                return []
            words = result.word_results or [()] * len(result.txts)
            out = []
            for box, text, word in zip(result.boxes, result.txts, words, strict=False):
                chars = tuple(rect(w[2]) for w in word) if word and three else ()
                out.append(score.Found(text, rect(box), chars if len(chars) == len(text) else ()))
            return out

        return run

    found = {}
    for module, version_of, make in (
        ("rapidocr_onnxruntime", "rapidocr-onnxruntime", one),
        ("rapidocr", "rapidocr", many),
    ):
        if importlib.util.find_spec(module) is not None:
            found[f"{version_of} {importlib.metadata.version(version_of)}"] = make
    return found


def compare(folder: Path, scenes: list[render.Scene], repeat: int) -> None:
    import resource

    paths = {s.name: s.save(folder) for s in scenes}
    for name, make in _engines().items():
        start = time.perf_counter()
        run = make()
        run(paths[scenes[0].name])
        load = time.perf_counter() - start
        poster_paths = [paths[s.name] for s in scenes if not s.name.startswith("long")]
        seconds = best(repeat, lambda run=run, ps=poster_paths: [run(p) for p in ps]) / len(
            poster_paths
        )
        cpu = best_cpu(repeat, lambda run=run, ps=poster_paths: [run(p) for p in ps]) / len(
            poster_paths
        )
        clean, hard, errors = [], [], []
        for scene in scenes:
            found = run(paths[scene.name])
            accuracy = score.char_accuracy(scene.poster.lines, found)
            (clean if scene.clean else hard).append(accuracy)
            errors += [e.centre_x / e.size for e in score.box_errors(scene.poster.lines, found)]
        long_s = ""
        if "long-1080x4000" in paths:
            wall = best(1, lambda run=run: run(paths["long-1080x4000"]))
            long_cpu = best_cpu(1, lambda run=run: run(paths["long-1080x4000"]))
            long_s = f"{wall:.2f} s wall, {long_cpu:.2f} s CPU"
        errors.sort()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        table(
            [
                (name, "load + first read", f"{load:.2f} s"),
                ("", "seconds per poster", f"{seconds:.2f} wall, {cpu:.2f} CPU"),
                ("", "long image (engine defaults)", long_s),
                (
                    "",
                    "accuracy clean / hard (mean, min)",
                    f"{statistics.fmean(clean):.3f}, {min(clean):.3f} / "
                    f"{statistics.fmean(hard):.3f}, {min(hard):.3f}",
                ),
                (
                    "",
                    "char box centre error (median, p95, worst)",
                    f"{statistics.median(errors):.2f}, "
                    f"{errors[int(0.95 * (len(errors) - 1))]:.2f}, "
                    f"{errors[-1]:.2f} em ({len(errors)} chars)"
                    if errors
                    else "no per-char boxes",
                ),
                ("", "peak memory, this process", f"{peak:.0f} MB"),
            ]
        )


def table(rows: list[tuple[str, str, str]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    for a, b, c in rows:
        print(f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c}".rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compare", action="store_true", help="also time the raw engines")
    parser.add_argument("--skip-long", action="store_true", help="leave out the long image")
    args = parser.parse_args(argv)
    if render.find_font() is None:
        print("no CJK font to draw the test posters: apt-get install fonts-noto-cjk")
        return 0
    scenes = render.scenes(long=not args.skip_long)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.compare:
            compare(folder, scenes, args.repeat)
        if importlib.util.find_spec("healthlint") is not None and importlib.util.find_spec(
            "rapidocr"
        ):
            try:
                measure_reader(folder, scenes, args.repeat, long=not args.skip_long)
            except Exception as error:  # e.g. an engine the reader does not support
                print(f"reader not measured: {error}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
