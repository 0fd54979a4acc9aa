"""Where runs execute: this process, a local process pool, or a Dask distributed cluster - with the same numbers.

Every executor has one method, :meth:`Executor.execute`: take tasks from a queue (the sweep appends retries to it
while it runs), keep a bounded number in flight, and report each as a result or an error text. A run's numbers
depend only on its task (scenario, seed, code), never on where it ran, so local, Dask and resumed studies agree.

* :class:`InProcess` - runs tasks one after another here (``--workers 1``; also what tests of analytic functions
  use, since any Python function can be the runner).
* :class:`ProcessPool` - :mod:`simulation.worker_pool`'s local processes (forkserver with leadsim preloaded, one
  BLAS thread and the kernels loaded in each, Ctrl-C to the sweep only, which stops them). If a worker dies
  (killed, out of memory) the pool is rebuilt and the runs that were in flight count one failed attempt each and
  go back to the queue.
* :class:`DaskCluster` - a running scheduler (``tcp://HOST:PORT``, or a scheduler file), or a ``LocalCluster`` on
  127.0.0.1. If a worker dies, Dask reschedules its tasks on other workers; a task that killed several workers
  comes back as ``KilledWorker`` and is recorded as failed. Every wait has a timeout, and a sweep whose cluster has
  had no worker for ``no_worker_timeout`` seconds stops with a clear message instead of waiting forever. If the
  scheduler itself goes away (killed, its node lost), Dask cancels every task in flight; the sweep stops at once
  with :class:`SchedulerLost` (the finished runs are in the study folder already, and rerunning resumes).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import traceback
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from simulation.kernel_warmup import load_kernels
from simulation.worker_pool import start_pool, stop_pool

from .worker import Outcome, Task

Runner = Callable[[Task], Outcome]
OnResult = Callable[[Task, Outcome], None]
OnError = Callable[[Task, str], None]
POLL_SECONDS = 1.0
WORKER_DIED = ("a worker process died (killed, or out of memory) while this run - or another one running at the "
               "same time - was in progress")
WINDOW_MIN, WINDOW_PER_THREAD = 32, 8  # Dask tasks in flight: enough for the scheduler to batch its messages
POLL_FAST = 0.002  # seconds between looks at finished Dask tasks (bounded, cheap)
LOSS_GRACE_SECONDS = 10.0  # how long a failed call waits for the client to see that its scheduler is gone
SCHEDULER_CONFIG = {"distributed.scheduler.worker-saturation": "inf"}
"""Dask scheduler settings for the schedulers leadsim starts (LocalCluster, dask-jobqueue; the shell scripts in
experiments/cluster/ set the same through ``DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION=inf``). By default
the scheduler holds tasks back and hands a worker its next one only when it reports the last, so each run waits
for a round trip; a sweep's runs are independent and the executor already bounds what is in flight, so workers may
queue them. Measured here (2 workers, 2,000 empty tasks, three rounds each, the two settings alternated three
times): 8.4-10.3 ms of overhead per task per slot with the default (1.1), 5.5-6.5 ms without holding back."""


class ExecutorError(RuntimeError):
    """The executor cannot go on (no cluster, no workers); the message says what to do."""


class SchedulerLost(ExecutorError):
    """The Dask scheduler went away while runs were in flight (they are lost; finished ones are stored)."""

    def __init__(self, address: str, cause: BaseException | None = None) -> None:
        self.address = address
        detail = f" ({type(cause).__name__}: {cause})" if cause is not None else ""
        super().__init__(f"the Dask scheduler at {address} went away{detail}; finished runs are saved - rerun the "
                         "same command to resume")


class _DropReconnectFailure(logging.Filter):
    """Drops the two records Dask's client logs when its scheduler has gone away and leadsim closes it: "Failed to
    reconnect to scheduler" and the traceback of its reconnection attempt, cancelled by the close. leadsim
    reports the event itself, as :class:`SchedulerLost`, in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, asyncio.CancelledError):
            return False
        return not str(record.msg).startswith("Failed to reconnect to scheduler")


_RECONNECT_FILTER = _DropReconnectFailure()


class Executor:
    """Base class: a context manager with :meth:`execute`."""

    description = "executor"

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        pass

    def execute(self, queue: deque[Task], runner: Runner, on_result: OnResult, on_error: OnError) -> None:
        raise NotImplementedError


def error_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)).strip()


class InProcess(Executor):
    description = "this process"

    def execute(self, queue: deque[Task], runner: Runner, on_result: OnResult, on_error: OnError) -> None:
        while queue:
            task = queue.popleft()
            try:
                outcome = runner(task)
            except Exception as exc:  # a failed run is recorded, not fatal
                on_error(task, error_text(exc))
            else:
                on_result(task, outcome)


class ProcessPool(Executor):
    def __init__(self, workers: int) -> None:
        self.workers = max(1, int(workers))
        self.description = f"{self.workers} local processes"
        self._pool: ProcessPoolExecutor | None = None

    def execute(self, queue: deque[Task], runner: Runner, on_result: OnResult, on_error: OnError) -> None:
        window = 2 * self.workers
        inflight: dict[Future, Task] = {}
        self._pool = self._pool or start_pool(self.workers)
        while queue or inflight:
            broken = False
            while queue and len(inflight) < window:
                task = queue.popleft()
                try:
                    inflight[self._pool.submit(runner, task)] = task
                except BrokenProcessPool:  # a worker died since the last wait: this task never started
                    queue.appendleft(task)
                    broken = True
                    break
            done, _ = wait(inflight, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
            for future in done:
                task = inflight.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    broken = True
                    on_error(task, WORKER_DIED)
                except Exception as exc:
                    on_error(task, error_text(exc))
                else:
                    on_result(task, outcome)
            if broken:
                for task in inflight.values():
                    on_error(task, WORKER_DIED)
                inflight.clear()
                self._stop()
                self._pool = start_pool(self.workers)

    def _stop(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            stop_pool(pool)

    def close(self) -> None:
        self._stop()


class DaskCluster(Executor):
    """Runs on Dask distributed: ``address`` (tcp://HOST:PORT), ``scheduler_file``, or a LocalCluster."""

    def __init__(self, address: str | None = None, scheduler_file: str | None = None, workers: int = 2,
                 connect_timeout: float = 30.0, no_worker_timeout: float = 600.0) -> None:
        from distributed import Client, LocalCluster

        self.no_worker_timeout = no_worker_timeout
        self.cluster = None
        if address is None and scheduler_file is None:
            import dask

            with dask.config.set(SCHEDULER_CONFIG):
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                            host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR)
            address = self.cluster.scheduler_address
        try:
            self.client = Client(address, scheduler_file=scheduler_file, timeout=connect_timeout,
                                 set_as_default=False)
        except (OSError, TimeoutError) as exc:
            where = address or f"the scheduler file {scheduler_file}"
            if self.cluster is not None:
                self.cluster.close()
            raise ExecutorError(f"cannot reach the Dask scheduler at {where} within {connect_timeout:g} s ({exc}); "
                                "is it running, and is the address right?") from None
        self.address = self.client.scheduler.address
        client_log = logging.getLogger("distributed.client")
        if _RECONNECT_FILTER not in client_log.filters:
            client_log.addFilter(_RECONNECT_FILTER)
        with contextlib.suppress(Exception):  # only a head start: a worker that cannot do it fails its tasks instead
            self.client.run(load_kernels)
        self.description = (f"Dask LocalCluster ({workers} processes) at {self.address}" if self.cluster
                            else f"Dask scheduler at {self.address}")

    def threads(self) -> int:
        return sum(self.client.nthreads().values())

    def connected(self) -> bool:
        """Whether the client is connected to the scheduler (Dask sets another status the moment it is lost)."""
        return self.client.status == "running"

    def _still_connected(self, grace: float = LOSS_GRACE_SECONDS) -> bool:
        """Whether the client is still connected ``grace`` seconds after a failed call: a call to a scheduler that
        was just killed can fail (connection reset) a moment before the client's status says it is lost."""
        deadline = time.monotonic() + grace
        while self.connected() and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.connected()

    def execute(self, queue: deque[Task], runner: Runner, on_result: OnResult, on_error: OnError) -> None:
        """Run the queue on the cluster; :class:`SchedulerLost` if the scheduler goes away meanwhile."""
        from distributed.client import ClosedClientError

        inflight: dict[Any, Task] = {}
        try:
            self._execute(queue, runner, on_result, on_error, inflight)
        except (OSError, ClosedClientError, asyncio.CancelledError) as exc:  # CommClosedError is an OSError
            if self._still_connected():  # not the scheduler (a full disk while storing a run...): not ours to explain
                raise
            raise SchedulerLost(self.address, exc) from None
        finally:
            if self.connected():  # a lost scheduler has nothing left to cancel (and asking it would wait)
                for future in inflight:
                    future.cancel()

    def _execute(self, queue: deque[Task], runner: Runner, on_result: OnResult, on_error: OnError,
                 inflight: dict[Any, Task]) -> None:
        from distributed import as_completed

        with self.client.as_current():  # as_completed looks for the client of the current context
            ready = as_completed()
        idle_since: float | None = None
        window = max(WINDOW_MIN, WINDOW_PER_THREAD * self.threads())
        checked = time.monotonic()
        while queue or inflight:
            self._check_connected()
            if queue and len(inflight) < window:
                batch = [queue.popleft() for _ in range(window - len(inflight)) if queue]
                futures = self.client.map(runner, batch, key=[f"leadsim-{t.key}-{t.attempt}" for t in batch],
                                          pure=False)
                for future, task in zip(futures, batch, strict=True):
                    inflight[future] = task
                    ready.add(future)
            done = ready.next_batch(block=False) if ready.has_ready() else []
            if done:
                self._collect_all(done, inflight, on_result, on_error)
            else:
                time.sleep(POLL_FAST)
            if time.monotonic() - checked > POLL_SECONDS:
                checked = time.monotonic()
                threads = self.threads()
                window = max(WINDOW_MIN, WINDOW_PER_THREAD * threads)
                idle_since = None if threads else (idle_since or time.monotonic())
                if idle_since is not None and time.monotonic() - idle_since > self.no_worker_timeout:
                    raise ExecutorError(f"the Dask scheduler at {self.address} has had no workers for "
                                        f"{self.no_worker_timeout:g} s; start some (see experiments/cluster/) "
                                        "and run the sweep again - finished runs are kept")

    def _collect_all(self, done: list[Any], inflight: dict[Any, Task], on_result: OnResult,
                     on_error: OnError) -> None:
        """Fetch the results of finished futures in one round trip; handle the rest one by one."""
        self._check_connected()
        finished = [f for f in done if f.status == "finished"]
        try:
            outcomes = self.client.gather(finished) if finished else []
        except Exception:  # a result lost with its worker: fall back to one future at a time
            finished, outcomes = [], []
        for future, outcome in zip(finished, outcomes, strict=True):
            on_result(inflight.pop(future), outcome)
        for future in done:
            if future in inflight:
                self._collect(future, inflight.pop(future), on_result, on_error)

    def _check_connected(self) -> None:
        """Raise :class:`SchedulerLost` if the scheduler is gone: Dask has then cancelled every task in flight,
        which must not count as failed attempts of those runs (no failure record, no retry)."""
        if not self.connected():
            raise SchedulerLost(self.address)

    def _collect(self, future: Any, task: Task, on_result: OnResult, on_error: OnError) -> None:
        status = future.status
        if status == "finished":
            try:
                outcome = future.result(timeout=60)
            except Exception as exc:  # lost between finishing and fetching (worker died): run it again
                self._check_connected()
                on_error(task, error_text(exc))
                return
            on_result(task, outcome)
        elif status == "error":
            exc = future.exception(timeout=60)
            name = type(exc).__name__
            if name == "KilledWorker":
                on_error(task, f"KilledWorker: the Dask workers running this run died repeatedly (killed, or out of "
                               f"memory): {exc}")
            else:
                tb = future.traceback(timeout=60)
                on_error(task, "".join(traceback.format_exception(type(exc), exc, tb)).strip())
        else:
            self._check_connected()
            on_error(task, f"the Dask task ended as {status!r} (scheduler restarted?)")

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing is best effort: the cluster may already be gone
            self.client.close(timeout=10)
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close(timeout=10)


def make_executor(workers: int = 1, scheduler: str | None = None, scheduler_file: str | None = None,
                  **dask_options: Any) -> Executor:
    """``scheduler``: None (local processes), ``"local"`` (a Dask LocalCluster of ``workers`` processes) or a
    ``tcp://HOST:PORT`` address; ``scheduler_file``: a Dask scheduler file (clusters with a shared disk)."""
    if scheduler_file is not None:
        return DaskCluster(scheduler_file=scheduler_file, **dask_options)
    if scheduler == "local":
        return DaskCluster(workers=workers, **dask_options)
    if scheduler is not None:
        return DaskCluster(address=scheduler, **dask_options)
    return InProcess() if workers <= 1 else ProcessPool(workers)
