"""Ordered, memory-bounded fan-out of per-item work over processes.

Used by `Linter.lint_many` and `healthlint batch`. Three constraints shape it:

- *Order*: results come back in input order, so the n-th output belongs to the n-th input
  even though workers finish out of order (a small reorder buffer holds the early ones).
- *Bounded memory*: the input is consumed lazily and at most `window` chunks are in flight,
  so an input larger than RAM streams through in constant memory.
- *Build once*: each worker receives the pickled `Linter` (which pickles as its
  configuration) and builds it once; compiling rule packs per item would cost more than
  linting.

A worker that dies (killed, out of memory) raises `WorkerError` instead of hanging, and no
worker outlives its parent: the parent stops them on the way out of any exception (an interrupt,
or the SIGTERM a front end turns into one), and a worker whose parent was killed outright
(SIGKILL, out of memory) notices within `_POLL` seconds and exits.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import signal
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from healthlint.errors import HealthlintError, UsageError

T = TypeVar("T")
R = TypeVar("R")

#: Items per message between processes: enough to amortise pickling and queue overhead
#: for short submissions, small enough to keep the pipeline busy at the end of the input.
CHUNK_SIZE = 16
#: Chunks in flight per worker: keeps workers busy while the parent writes results.
CHUNKS_PER_WORKER = 4
#: How often (seconds) the parent checks that its workers are still alive.
_POLL = 0.5


class WorkerError(HealthlintError):
    """A worker process exited without returning its results."""


def default_jobs() -> int:
    """Cores this process may use (honours CPU affinity, e.g. in containers or `taskset`)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def ordered_map(
    func: Callable[[Any, T], R],
    state: Any,
    items: Iterable[T],
    jobs: int | None = None,
    *,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[R]:
    """Yield `func(state, item)` for every item, in input order, over `jobs` processes.

    `state` (a `Linter`) is pickled once and rebuilt once per worker; `func` must be a
    module-level function so it pickles under every start method. `jobs` of None or 0
    means all usable cores; 1 runs in this process with no pool at all, which is also what
    small inputs cost nothing extra for. An exception raised by `func` is re-raised here,
    at that item's position; stopping the iteration early (or an interrupt) stops the
    workers.
    """
    jobs = jobs or default_jobs()
    if jobs < 1:
        raise UsageError(f"jobs must be at least 1, not {jobs}")
    if jobs == 1:
        for item in items:
            yield func(state, item)
        return
    yield from _pooled(func, pickle.dumps(state), iter(items), jobs, chunk_size)


def _pooled(
    func: Callable[[Any, T], R],
    payload: bytes,
    items: Iterator[T],
    jobs: int,
    chunk_size: int,
) -> Iterator[R]:
    context = multiprocessing.get_context()
    tasks: Any = context.Queue()
    results: Any = context.Queue()
    workers = [
        context.Process(target=_work, args=(func, payload, tasks, results), daemon=True)
        for _ in range(jobs)
    ]
    for worker in workers:
        worker.start()
    window = jobs * CHUNKS_PER_WORKER
    sent = 0  # chunks handed to workers
    done = 0  # chunks yielded, in order
    early: dict[int, list[tuple[bool, Any]]] = {}
    exhausted = False
    try:
        while True:
            while not exhausted and sent - done < window:
                chunk = list(islice(items, chunk_size))
                if not chunk:
                    exhausted = True
                    break
                tasks.put((sent, chunk))
                sent += 1
            if done == sent:
                return
            while done not in early:
                index, outcomes = _receive(results, workers)
                early[index] = outcomes
            for ok, value in early.pop(done):
                if not ok:
                    raise value
                yield value
            done += 1
    finally:
        for _ in workers:
            tasks.put(None)
        for worker in workers:
            worker.join(timeout=_POLL)
            if worker.is_alive():
                worker.terminate()
                worker.join()
        tasks.cancel_join_thread()
        results.cancel_join_thread()


def _receive(results: Any, workers: list[Any]) -> tuple[int, list[tuple[bool, Any]]]:
    """Wait for the next finished chunk, noticing a worker that died instead of hanging."""
    while True:
        try:
            return results.get(timeout=_POLL)
        except queue.Empty:
            dead = [w for w in workers if w.exitcode not in (None, 0)]
            if dead:
                raise WorkerError(f"a worker process exited with code {dead[0].exitcode}") from None


def _work(func: Callable[[Any, T], R], payload: bytes, tasks: Any, results: Any) -> None:
    """Worker loop: build the state once, then run chunks until the parent sends None.

    Ctrl-C reaches the whole process group; only the parent handles it (and stops us). A
    forked worker inherits the parent's signal handlers: SIGTERM must end it, not run them.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not a handler the parent installed
    parent = os.getppid()
    state = pickle.loads(payload)
    while True:
        try:
            task = tasks.get(timeout=_POLL)
        except queue.Empty:
            task = ()
        if os.getppid() != parent:
            # Orphaned: nobody reads our results, and flushing them into a pipe we hold both
            # ends of would block for ever, so leave without the queue's exit handlers.
            os._exit(0)
        if task is None:
            return
        if not task:
            continue
        index, chunk = task
        results.put((index, [_attempt(func, state, item) for item in chunk]))


def _attempt(func: Callable[[Any, T], R], state: Any, item: T) -> tuple[bool, Any]:
    try:
        return True, func(state, item)
    except Exception as error:  # sent back and re-raised in the parent, in order
        return False, _picklable(error)


def _picklable(error: Exception) -> Exception:
    """The error itself when it survives pickling, else a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error
