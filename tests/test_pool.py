"""The worker pool: the calling process works too, results come in order, failures surface."""

from __future__ import annotations

import os
import time

import pytest

from corpus_ds.load import pool

PARENT = os.getpid()


def _slow_square(item: int) -> tuple[int, int]:
    time.sleep(0.002 * (item % 5))  # uneven jobs: groups finish out of order
    return item * item, os.getpid()


def _fails_at_37(item: int) -> int:
    if item == 37:
        raise ValueError(f"bad item {item}")
    time.sleep(0.001)
    return item


def _helpers_die(item: int) -> int:
    if os.getpid() != PARENT:
        os._exit(3)
    time.sleep(0.001)
    return item


class _Unpicklable(Exception):
    def __init__(self) -> None:
        super().__init__("cannot travel")
        self.hook = lambda: None  # a lambda cannot be pickled


def _unpicklable_in_helpers(item: int) -> int:
    if os.getpid() != PARENT:
        raise _Unpicklable()
    time.sleep(0.001)
    return item


def _started(item: int) -> tuple[int, float]:
    return item, time.monotonic()


def test_results_come_in_order_and_both_processes_work():
    results = list(pool.ordered_map(_slow_square, range(200), jobs=2, batch=4, min_jobs=1))
    assert [square for square, _ in results] == [i * i for i in range(200)]
    assert len({pid for _, pid in results}) == 2  # the caller and one helper


def test_an_exception_is_raised_in_order_after_the_results_before_it():
    seen = []
    with pytest.raises(ValueError, match="bad item 37"):
        for value in pool.ordered_map(_fails_at_37, range(100), jobs=2, batch=3, min_jobs=1):
            seen.append(value)
    assert seen == list(range(36))  # the group of 36, 37, 38 fails as a whole


def test_a_helper_that_dies_is_reported_not_waited_for():
    with pytest.raises(pool.WorkerFailed, match="exit code 3"):
        list(pool.ordered_map(_helpers_die, range(64), jobs=2, batch=1, min_jobs=1))


def test_an_exception_that_cannot_be_sent_is_raised_by_name_not_waited_for():
    with pytest.raises(RuntimeError, match="_Unpicklable: cannot travel"):
        list(pool.ordered_map(_unpicklable_in_helpers, range(64), jobs=2, batch=1, min_jobs=1))


def test_helpers_never_run_more_than_the_groups_in_flight_ahead_of_the_consumer():
    in_flight, processes = 1, 2
    slots = in_flight * processes
    consumed_at = {}
    started_at = {}
    for item, started in pool.ordered_map(_started, range(12), jobs=processes, batch=1, min_jobs=1,
                                          in_flight=in_flight):
        consumed_at[item] = time.monotonic()
        started_at[item] = started
        time.sleep(0.03)  # a slow consumer (a build writing)
    for item in range(slots, 12):
        assert started_at[item] >= consumed_at[item - slots]


def test_one_process_or_few_jobs_run_in_the_caller():
    assert {pid for _, pid in pool.ordered_map(_slow_square, range(10), jobs=2)} == {PARENT}
    assert {pid for _, pid in pool.ordered_map(_slow_square, range(100), jobs=1)} == {PARENT}
