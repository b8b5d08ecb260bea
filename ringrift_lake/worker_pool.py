"""`ordered_map`: a function over tasks in `spawn` worker processes, results in task order.

    for result in ordered_map(write_shard, tasks, workers=4):
        ...

Each worker has its own pipe and holds one task at a time (a new one is sent as soon as its
result is in, before the caller sees that result; two queued tasks could deadlock, a large task
and a large result each filling one direction of the pipe), so closing the generator early
(the caller failed, or was interrupted) only has to kill the workers and join them: no pool
handler threads are left blocked writing queued tasks into a pipe nobody reads (the way
`multiprocessing.Pool.terminate` can hang when tasks are large). A task that raises in a worker
re-raises in the caller, at its place in the order; a worker that dies without answering
raises `WorkerDied`. Workers are `spawn`ed (delta-rs must not run in a forked child).
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
from typing import Callable, Iterable, Iterator


class WorkerDied(RuntimeError):
    """A worker process exited without returning its task's result."""


def _serve(fn: Callable, conn) -> None:
    while True:
        task = conn.recv()
        if task is None:
            return
        index, item = task
        try:
            conn.send((index, True, fn(item)))
        except BaseException as exc:          # sent back and re-raised in the caller
            try:
                conn.send((index, False, exc))
            except Exception:                 # an exception that does not pickle
                conn.send((index, False, RuntimeError(f"{type(exc).__name__}: {exc}")))


def ordered_map(fn: Callable, tasks: Iterable, workers: int) -> Iterator:
    """Yields fn(task) for each task in order, computed by up to `workers` spawned processes."""
    tasks = list(tasks)
    ctx = multiprocessing.get_context("spawn")
    procs, conns = [], []
    for _ in range(max(1, min(workers, len(tasks)))):
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(fn, child), daemon=True)
        proc.start()
        child.close()
        procs.append(proc)
        conns.append(parent)
    busy: dict = {conn: None for conn in conns}   # connection -> index of the task it is on, or None
    done: dict[int, object] = {}
    next_task, next_out = 0, 0
    try:
        while next_out < len(tasks):
            for conn in conns:
                if busy[conn] is None and next_task < len(tasks):
                    conn.send((next_task, tasks[next_task]))
                    busy[conn] = next_task
                    next_task += 1
            while next_out in done:
                ok, value = done.pop(next_out)
                if not ok:
                    raise value
                yield value
                next_out += 1
            if next_out >= len(tasks):
                break
            for conn in multiprocessing.connection.wait([c for c in conns if busy[c] is not None]):
                try:
                    index, ok, value = conn.recv()
                except EOFError:
                    raise WorkerDied(f"a worker died while on task {busy[conn]}") from None
                busy[conn] = None
                done[index] = (ok, value)
    finally:
        for conn, proc in zip(conns, procs):
            if busy[conn] is None and proc.is_alive():
                try:
                    conn.send(None)            # an idle worker exits by itself
                except OSError:
                    pass
        for conn, proc in zip(conns, procs):
            if busy[conn] is not None:
                proc.kill()                    # interrupted mid-task: its result is not wanted
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
                proc.join()
            conn.close()
