"""Probes for the inputs a platform gets: memory and time on huge texts, and rule-pack size.

    python bench/probe_scale.py memory 5 50      # MB of text: peak memory, time, what holds it
    python bench/probe_scale.py packs 100 1000 10000

`memory` lints a generated text (clean prose, and prose with a trigger in every sentence)
in a fresh interpreter per size and reports its peak resident memory (VmHWM) as a multiple of
the input's size in bytes, the time, and, for the smallest size, how much of one analysis each
part holds (its peak includes that second analysis). `packs` writes a pack of N term rules,
then times building a Linter without a cache and linting one text. Nothing is written outside
a temporary folder. Results and how to read them: docs/testing.md (Scale probes).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLEAN = "今天我们来聊聊均衡饮食的话题，多吃蔬菜水果，适量运动，保持良好的作息习惯。\n"
TRIGGERS = "本品能彻底治愈糖尿病，加微信abc123咨询，有效率高达95%。\n"

MEMORY_PROBE = r"""
import json, sys, time
from healthlint import Linter
size, kind, parts = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1"
unit = {unit!r}[kind]
text = unit * (size // len(unit.encode("utf-8")))
linter = Linter()
linter.lint(unit)  # load everything lazy first
start = time.perf_counter()
findings = linter.lint(text)
seconds = time.perf_counter() - start
top = []
if parts:  # what one analysis holds, by part (deep sizes of the Python objects)
    def deep(o, seen):
        if id(o) in seen:
            return 0
        seen.add(id(o))
        n = sys.getsizeof(o)
        if isinstance(o, (tuple, list, set, frozenset)):
            n += sum(deep(x, seen) for x in o)
        elif isinstance(o, dict):
            n += sum(deep(k, seen) + deep(v, seen) for k, v in o.items())
        elif hasattr(o, "__dict__"):
            n += deep(vars(o), seen)
        return n
    a = linter._analyse(text, "text")
    list(linter._candidates(a, {{}}))
    seen = set()
    for name, part in [("source", a.document.source), ("prose mask", a.document.prose),
                       ("matching text", a.text), ("line starts", a.document.line_starts),
                       ("sentences", a.layout.sentences), ("paragraphs", a.layout.paragraphs),
                       ("term occurrences", a._by_term), ("prefilter windows", a._candidates),
                       ("regex matches", a._regex_matches), ("other caches", a._cache)]:
        top.append([name, deep(part, seen)])
with open("/proc/self/status") as status:
    peak_kb = int(next(l.split()[1] for l in status if l.startswith("VmHWM:")))
print(json.dumps({{"bytes": len(text.encode()), "seconds": seconds, "findings": len(findings),
                  "peak": peak_kb * 1024, "top": top}}))
"""


def memory(sizes_mb: list[int]) -> None:
    probe = MEMORY_PROBE.format(unit={"clean": CLEAN, "triggers": TRIGGERS})
    for kind in ("clean", "triggers"):
        for i, mb in enumerate(sizes_mb):
            trace = "1" if i == 0 else "0"
            out = subprocess.run(
                [sys.executable, "-c", probe, str(mb * 1_000_000), kind, trace],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(out.stdout)
            print(
                f"{kind:8} {result['bytes'] / 1e6:6.1f} MB: {result['seconds']:7.1f} s, "
                f"{result['findings']:8} findings, peak {result['peak'] / 1e6:7.0f} MB "
                f"({result['peak'] / result['bytes']:.1f}x the input)",
                flush=True,
            )
            for where, size in result["top"]:
                print(f"    {size / 1e6:8.1f} MB  {where}")


PACK_RULE = """  - id: house-{i}
    kind: term
    category: overclaim
    severity: warning
    message: m
    basis: b
    terms: [{term}]
    examples: {{bad: ["{term}"], good: [无关]}}
"""


def packs(counts: list[int]) -> None:
    from healthlint import Config, Linter

    for count in counts:
        with tempfile.TemporaryDirectory() as folder:
            pack = Path(folder) / "house.yaml"
            rules = "".join(PACK_RULE.format(i=i, term=f"神药{i:05d}号") for i in range(count))
            pack.write_text("rules:\n" + rules, encoding="utf-8")
            start = time.perf_counter()
            linter = Linter(Config(rules_dirs=(folder,)))
            built = time.perf_counter() - start
            start = time.perf_counter()
            findings = linter.lint("这款神药00042号能彻底治愈糖尿病。")
            linted = time.perf_counter() - start
            print(
                f"{count:6} rules: Linter() {built:6.2f} s ({built / count * 1000:.2f} ms a rule), "
                f"one lint {linted * 1000:.1f} ms, {len(findings)} findings",
                flush=True,
            )


if __name__ == "__main__":
    what, *numbers = sys.argv[1:]
    {"memory": memory, "packs": packs}[what]([int(n) for n in numbers])
