"""Throughput of the JSON API with 50 concurrent clients, against the in-process `Linter`.

    python bench/serve.py [--clients 50] [--requests 2000] [--workers 4]

Starts `healthlint serve` on a free loopback port (access log off), sends `--requests` lint
requests from `--clients` concurrent clients (each on its own keep-alive connection) and
reports requests per second and the p50/p95/max latency. The baseline is the same texts
linted by `Linter.lint` in this process, one after another, seconds before: the ratio says
what HTTP, JSON and the thread hand-off cost on top of linting. Every answer is checked (a
200 with the expected number of findings); a single error fails the run.

Client and server share this machine's cores, so the client's own work lowers the number; on
a two-core machine treat the ratio, not the absolute rate, as the result.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from healthlint import Linter

ROOT = Path(__file__).resolve().parent.parent


def texts() -> list[str]:
    """The reference articles and a few short posts: a mix like a platform's submissions."""
    articles = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))]
    posts = [
        "本品能彻底治愈糖尿病，永不复发！喜欢就点个赞，转发到朋友圈。扫码添加微信。",
        "今天天气不错，适合散步。饭后半小时再运动更好。",
        "研究显示，87%的人睡眠不足。专家推荐每天喝八杯水。",
    ]
    return articles + posts


def in_process_rate(corpus: list[str], seconds: float) -> float:
    """Lints per second of a warm `Linter`, serially, for at least `seconds`."""
    linter = Linter()
    for text in corpus:
        linter.lint(text)
    done = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        for text in corpus:
            linter.lint(text)
        done += len(corpus)
    return done / (time.perf_counter() - started)


def start_server(workers: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "healthlint.frontends.web",
            "--port",
            "0",
            "--no-access-log",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if "http://" not in line:
        process.kill()
        raise SystemExit(f"the server did not start: {line!r}")
    return process, line.split()[2]


async def load(url: str, corpus: list[str], counts: list[int], clients: int, total: int) -> Any:
    """`total` requests from `clients` concurrent clients; latencies in seconds."""
    latencies: list[float] = []
    errors: list[str] = []
    next_job = 0

    async def client() -> None:
        nonlocal next_job
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            while next_job < total:
                job = next_job
                next_job += 1
                index = job % len(corpus)
                started = time.perf_counter()
                response = await http.post("/v1/lint", json={"text": corpus[index]})
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors.append(f"{response.status_code}: {response.text[:200]}")
                elif len(response.json()["findings"]) != counts[index]:
                    errors.append(f"request {job}: wrong number of findings")

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return time.perf_counter() - started, latencies, errors


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of a process so far (Linux only; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4, help="the server's lint threads")
    parser.add_argument("--baseline-seconds", type=float, default=5.0)
    args = parser.parse_args()

    corpus = texts()
    linter = Linter()
    counts = [len(linter.lint(text)) for text in corpus]
    rate = in_process_rate(corpus, args.baseline_seconds)
    process, url = start_server(args.workers)
    try:
        with httpx.Client(base_url=url, timeout=60) as warm:  # the server's first Linter
            for text in corpus:
                warm.post("/v1/lint", json={"text": text}).raise_for_status()
        cpu_before = cpu_seconds(process.pid)
        elapsed, latencies, errors = asyncio.run(
            load(url, corpus, counts, args.clients, args.requests)
        )
        cpu_after = cpu_seconds(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
    served = len(latencies) / elapsed
    size = sum(len(t) for t in corpus) / len(corpus)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"texts: {len(corpus)}, {size:,.0f} characters on average, findings checked")
    print(f"in-process Linter.lint, serial:  {rate:8.1f} lints/s")
    print(
        f"POST /v1/lint, {args.clients} clients:    {served:8.1f} requests/s "
        f"({len(latencies)} requests in {elapsed:.1f} s, {args.workers} server threads)"
    )
    print(
        f"latency: p50 {1000 * statistics.median(latencies):.1f} ms, "
        f"p95 {1000 * percentile(latencies, 0.95):.1f} ms, max {1000 * max(latencies):.1f} ms"
    )
    print(f"ratio API / in-process: {served / rate:.2f}")
    if cpu_before is not None and cpu_after is not None:
        per_request = (cpu_after - cpu_before) / len(latencies)
        print(
            f"server CPU per request: {1000 * per_request:.1f} ms, against "
            f"{1000 / rate:.1f} ms per in-process lint (ratio {per_request * rate:.2f}; the rest "
            "of the wall time went to the clients on the same cores)"
        )
    print(f"errors: {len(errors)}")
    for error in errors[:5]:
        print(f"  {error}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
