"""The one worker pool: an ordered map over many small jobs, in processes when it pays.

Results come in the order of the jobs whatever the number of processes, so every consumer
sees exactly what a single-process run gives. The calling process is one of the workers:
with ``jobs`` processes it starts ``jobs - 1`` helpers, and every process takes the next
group of jobs from one shared counter. The caller works on a group itself whenever the next
result in order is not back yet, and consumes the results (a build writes them) between its
groups; so no core waits and none is shared by three busy processes, and the caller's own
groups are never copied between processes. At most a few groups per process are taken and
not yet consumed, so memory does not grow with the number of jobs.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import queue
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this many jobs a single process is faster than starting workers.
PARALLEL_MIN_JOBS = 64
#: Jobs taken at a time by one process (one message back from a helper).
WORKER_BATCH = 64
#: Groups taken and not yet consumed, per process.
GROUPS_IN_FLIGHT = 4
#: Seconds between checks that the helpers are still alive, while waiting for one.
_POLL_SECONDS = 0.5


def worker_count(jobs: int | None) -> int:
    """The number of processes to use (the calling one included): ``jobs``, or one per core."""
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


class WorkerFailed(RuntimeError):
    """A helper process stopped without sending its results (killed, or out of memory)."""


def ordered_map(function: Callable[[T], R], items: Sequence[T], *, jobs: int | None = None,
                batch: int = WORKER_BATCH, min_jobs: int | None = None,
                in_flight: int = GROUPS_IN_FLIGHT) -> Iterator[R]:
    """``map(function, items)`` in order, shared with helper processes when there are enough
    items (``min_jobs``, by default :data:`PARALLEL_MIN_JOBS`) and more than one process.

    Items are taken ``batch`` at a time; at most ``in_flight`` groups per process are taken
    and not yet consumed. ``function`` must be a module-level function, and items and results
    picklable. An exception in any process is raised here, in order, as if the map had run in
    this process (one that cannot be sent between processes as a RuntimeError naming it).
    """
    processes = worker_count(jobs)
    if processes <= 1 or len(items) < (PARALLEL_MIN_JOBS if min_jobs is None else min_jobs):
        yield from map(function, items)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    groups = [items[start:start + batch] for start in range(0, len(items), batch)]
    # The forked helpers inherit the parent's objects; frozen, the garbage collector of each
    # helper skips them (no traversal of the libraries' objects, no copy-on-write of their pages).
    gc.freeze()
    try:
        yield from _shared(context, processes - 1, function, groups, in_flight * processes)
    finally:
        gc.unfreeze()


class _Board:
    """What the processes share: the next group to take, and the slots of groups in flight."""

    def __init__(self, context: Any, groups: int, slots: int) -> None:
        self.groups = groups
        self.next = context.Value("q", 0)
        self.slots = context.Semaphore(slots)
        self.results = context.Queue()

    def take(self) -> int | None:
        """The index of the next group, now this process's (None: all are taken)."""
        with self.next.get_lock():
            index = self.next.value
            if index >= self.groups:
                return None
            self.next.value = index + 1
            return index


def _run(function: Callable[[T], R], group: Sequence[T]) -> tuple[bool, Any]:
    """``(True, results)`` of a group, or ``(False, the exception)``, raised by the parent in order."""
    try:
        return True, [function(item) for item in group]
    except Exception as error:
        return False, error


def _portable(error: Exception) -> Exception:
    """The exception itself if it can be sent to the caller and read there, else a RuntimeError
    that names it (a message the queue cannot pickle would be dropped, and its group waited
    for in vain)."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - any failure to pickle or unpickle
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def _helper(board: _Board, function: Callable[[Any], Any], groups: list[Sequence[Any]]) -> None:
    while True:
        board.slots.acquire()
        index = board.take()
        if index is None:
            board.slots.release()
            break
        ok, value = _run(function, groups[index])
        board.results.put((index, ok, value if ok else _portable(value)))
    board.results.close()
    board.results.join_thread()


def _shared(context: Any, helpers: int, function: Callable[[T], R], groups: list[Sequence[T]],
            slots: int) -> Iterator[R]:
    board = _Board(context, len(groups), slots)
    processes = [context.Process(target=_helper, args=(board, function, groups), daemon=True)
                 for _ in range(helpers)]
    for process in processes:
        process.start()
    ready: dict[int, tuple[bool, Any]] = {}

    def receive(wait: bool) -> None:
        """Results that have come back (``wait``: block until one does)."""
        while True:
            try:
                index, ok, value = board.results.get(timeout=_POLL_SECONDS) if wait else board.results.get_nowait()
            except queue.Empty:
                if not wait:
                    return
                stopped = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
                if stopped:
                    raise WorkerFailed(f"a worker process stopped with exit code {stopped[0]}") from None
                if all(p.exitcode is not None for p in processes) and board.results.empty():
                    # a helper flushes what it sent before it ends: a group it took is lost
                    raise WorkerFailed("a worker process ended without sending the results of its work")
                continue
            ready[index] = (ok, value)
            wait = False

    try:
        for wanted in range(len(groups)):
            receive(wait=False)
            while wanted not in ready:
                if board.slots.acquire(block=False):
                    index = board.take()
                    if index is not None:
                        ready[index] = _run(function, groups[index])
                        continue
                    board.slots.release()
                receive(wait=True)
            ok, value = ready.pop(wanted)
            if not ok:
                raise value
            yield from value
            board.slots.release()
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()
        board.results.close()
        board.results.cancel_join_thread()


__all__ = ["GROUPS_IN_FLIGHT", "PARALLEL_MIN_JOBS", "WorkerFailed", "cycle_collection_paused", "ordered_map",
           "worker_count"]
