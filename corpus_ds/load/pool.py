"""The one worker pool: an ordered map over many small jobs, in processes when it pays.

Results come in the order of the jobs whatever the number of workers, so every consumer
sees exactly what a single-process run gives; jobs go to the workers a chunk at a time
with two chunks in flight (the workers start the next while the parent collects this one),
so memory does not grow with the number of jobs.
"""

from __future__ import annotations

import collections
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this many jobs a single process is faster than starting workers.
PARALLEL_MIN_JOBS = 64
#: Jobs handed to the workers at a time.
CHUNK = 512
#: Jobs per message to a worker.
WORKER_BATCH = 64


def worker_count(jobs: int | None) -> int:
    """The number of processes to use: ``jobs``, or one per core."""
    return jobs if jobs is not None else (os.cpu_count() or 1)


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause the cycle collector for a batch of work that makes many objects and no cycles:
    reference counting frees them all, and the collector would only walk them again and again
    as they survive (about a fifth of a build's time). It runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def ordered_map(function: Callable[[T], R], items: Sequence[T], *, jobs: int | None = None,
                chunk: int = CHUNK, batch: int = WORKER_BATCH, min_jobs: int | None = None) -> Iterator[R]:
    """``map(function, items)`` in order, in worker processes when there are enough items
    (``min_jobs``, by default :data:`PARALLEL_MIN_JOBS`).

    ``function`` must be a module-level function and items and results picklable.
    """
    workers = worker_count(jobs)
    if workers <= 1 or len(items) < (PARALLEL_MIN_JOBS if min_jobs is None else min_jobs):
        yield from map(function, items)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # The forked workers inherit the parent's objects; frozen, the garbage collector of each
    # worker skips them (no traversal of the libraries' objects, no copy-on-write of their pages).
    gc.freeze()
    try:
        yield from _mapped(context, workers, function, items, chunk, batch)
    finally:
        gc.unfreeze()


def _mapped(context: Any, workers: int, function: Callable[[T], R], items: Sequence[T], chunk: int,
            batch: int) -> Iterator[R]:
    with context.Pool(workers) as pool:
        starts = range(0, len(items), chunk)

        def submit(start: int) -> Iterator[Any]:
            return pool.imap(function, items[start:start + chunk], chunksize=batch)

        pending = collections.deque(submit(start) for start in starts[:2])
        next_start = 2
        while pending:
            outcomes = pending.popleft()
            if next_start < len(starts):
                pending.append(submit(starts[next_start]))
                next_start += 1
            yield from outcomes


__all__ = ["PARALLEL_MIN_JOBS", "cycle_collection_paused", "ordered_map", "worker_count"]
