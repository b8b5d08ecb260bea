"""ordered_map: results in task order from spawned workers; errors re-raised in place; an early
close kills busy workers at once; a worker that dies is reported."""
from __future__ import annotations

import math
import multiprocessing
import os
import time

import pytest

from ringrift_lake.worker_pool import WorkerDied, ordered_map


def test_results_come_in_task_order_whatever_order_the_workers_finish():
    delays = [0.3, 0.0, 0.2, 0.0, 0.1, 0.0]
    assert list(ordered_map(time.sleep, delays, workers=3)) == [None] * 6
    assert list(ordered_map(math.sqrt, [16, 9, 4, 1, 0], workers=2)) == [4.0, 3.0, 2.0, 1.0, 0.0]
    assert list(ordered_map(abs, [], workers=2)) == []
    assert not multiprocessing.active_children()


def test_a_task_error_is_raised_at_its_place_and_the_workers_are_gone():
    seen = []
    with pytest.raises(ValueError, match="math domain error"):
        for value in ordered_map(math.sqrt, [4, 9, -1, 16], workers=2):
            seen.append(value)
    assert seen == [2.0, 3.0]
    assert not multiprocessing.active_children()


def test_closing_early_kills_busy_workers_without_waiting_for_them():
    results = ordered_map(time.sleep, [0, 60, 60, 60], workers=2)
    assert next(results) is None
    started = time.monotonic()
    results.close()
    assert time.monotonic() - started < 15
    assert not multiprocessing.active_children()


def test_a_worker_that_dies_is_reported():
    with pytest.raises(WorkerDied, match="task 1"):
        list(ordered_map(_exit_on_one, [0, 1, 2], workers=1))


def _exit_on_one(code: int) -> int:
    if code == 1:
        os._exit(3)
    return code
