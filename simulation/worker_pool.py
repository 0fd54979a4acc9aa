"""A pool of local worker processes, shared by ``leadsim run``/``compare`` (:mod:`simulation.execution`) and the
studies' :class:`~simulation.studies.executors.ProcessPool`.

Responsibilities:

* start workers from a ``forkserver`` that has already imported leadsim and what the tasks of both callers need
  (:data:`PRELOAD`): no fork of a process with threads, and no second import per worker;
* give each worker one BLAS thread (:data:`ONE_THREAD`) and load the compiled kernels in it before its first task
  (:func:`simulation.kernel_warmup.load_kernels`);
* keep Ctrl-C to the parent: the fork server and every worker ignore SIGINT, and the parent stops the workers;
* the process-tree rule - whatever leadsim starts, it stops, even when it is killed outright (SIGKILL, the
  out-of-memory killer) and runs no clean-up: every worker watches the process that started the pool
  (:func:`watch_owner`) and exits as soon as it is gone. The fork server needs no watch of its own: it exits when
  the last process holding its "alive" pipe (the owner and the workers) is gone, and so does multiprocessing's
  resource tracker;
* stop a pool at once (:func:`stop_pool`) and hold an interrupt while workers are being started
  (:func:`deferred_signals`), so that none is stranded half-made.

Reads nothing; writes ``ONE_THREAD``'s variables into the environment only for the few milliseconds the fork server
takes to start (where they were not set), so that the server and its workers inherit them.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import forkserver

PRELOAD = ["simulation", "simulation.execution", "simulation.studies.worker"]
"""Modules the fork server imports once (the server is one per process, so the list covers both callers)."""
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
"""Worker processes use one BLAS thread each (as Dask's nanny sets): N processes x N BLAS threads on N cores would
fight over them - measured here, 2 processes of 2 threads ran a 2,000-person study at 225 runs/min, 1 thread 306."""


class WorkerDied(RuntimeError):
    """A worker process of the pool died (killed, or out of memory) while a task was in progress."""


def start_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes forked from the preloaded fork server, each with its kernels loaded."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    _start_forkserver()
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                               initargs=(os.getpid(),))


def _start_worker(owner: int) -> None:
    """In each worker, before its first task: exit with ``owner`` (the process that started the pool; a worker's
    parent is the fork server), ignore SIGINT (the owner stops the pool) and load the kernels."""
    from simulation.kernel_warmup import load_kernels

    watch_owner(owner)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    load_kernels()


OWNER_POLL_SECONDS = 0.5
"""How often a worker looks whether its owner still runs, where the system cannot tell it at once."""
OWNER_GONE_STATUS = 70
"""The exit status of a worker whose owner is gone (``EX_SOFTWARE``: it did not finish its task)."""


def watch_owner(owner: int) -> threading.Thread:
    """Exit this process at once when process ``owner`` ends, however it ends (a daemon thread watches it).

    On Linux the thread waits on a pidfd of ``owner`` (readable when it has ended; a pidfd refers to that process,
    never to a later one given the same pid). Elsewhere it asks every :data:`OWNER_POLL_SECONDS` whether the pid
    still exists (a killed owner that nobody has reaped yet counts as running until its parent, usually a shell,
    reaps it). The exit is ``os._exit``: a worker whose owner is gone has nobody to report to, and a normal exit
    would wait for the pool's queues, which the owner held.
    """
    try:
        pidfd: int | None = os.pidfd_open(owner)
    except ProcessLookupError:  # already gone, before the worker could start watching
        os._exit(OWNER_GONE_STATUS)
    except (AttributeError, OSError):  # no pidfd_open here (not Linux, or a kernel before 5.3)
        pidfd = None
    thread = threading.Thread(target=_wait_for_owner, args=(owner, pidfd), name="leadsim-watch-owner",
                              daemon=True)
    thread.start()
    return thread


def _wait_for_owner(owner: int, pidfd: int | None) -> None:
    if pidfd is not None:
        select.select([pidfd], [], [])
    else:
        while _exists(owner):
            time.sleep(OWNER_POLL_SECONDS)
    os._exit(OWNER_GONE_STATUS)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user (the pid was reused): the owner is gone
        return False
    return True


def _start_forkserver() -> None:
    """Start the fork server with SIGINT ignored and one BLAS thread, so that it and every worker it forks ignore
    SIGINT from their first instruction (an ignored disposition survives exec, and Python then installs no
    KeyboardInterrupt) and inherit ``ONE_THREAD``.

    A Ctrl-C in the terminal goes to the whole process group; this way it reaches only the parent, which stops
    the workers. The parent itself ignores SIGINT only while the server is spawned (a few milliseconds, once).
    """
    if threading.current_thread() is not threading.main_thread():  # signal handlers can be set in the main only
        forkserver.ensure_running()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    saved = {k: os.environ.get(k) for k in ONE_THREAD}
    os.environ.update({k: v for k, v in ONE_THREAD.items() if saved[k] is None})
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, then deliver the first one that arrived."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, frame: received.append(signum))
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if received:
            signal.raise_signal(received[0])


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now (an interrupted run or study should not linger)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public way to reach the workers
    for process in processes:  # first, so none of them is left reading a task the shutdown below tears down
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
    pool.shutdown(wait=False, cancel_futures=True)
