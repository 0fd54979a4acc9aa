"""Local execution: replications on a pool of processes, with numbers identical to :func:`simulation.run`.

Replication ``r`` of every scenario uses seed ``seed + r`` whichever process runs it, and the tables are put back
together in replication order, so ``run_replications(s, workers=4)`` equals ``simulation.run(s)`` value for value.
Several scenarios run with the same seeds share common random numbers replication by replication (what
``leadsim compare`` relies on). With a posterior, replication ``r`` of every scenario runs the parameter set seed
``seed + r`` draws from it (:meth:`simulation.posterior.Posterior.row`), whichever process runs it.

The pool is :mod:`simulation.worker_pool`'s (forkserver with leadsim preloaded, kernels loaded in each worker,
Ctrl-C to the parent only); an interrupt stops the workers and no table is returned, and so does a worker that
dies (:class:`~simulation.worker_pool.WorkerDied`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import pandas as pd

from .core.scenario import Scenario
from .posterior import Posterior
from .runner import run_one
from .scenario_files import seed_range_problem
from .worker_pool import WorkerDied, deferred_signals, start_pool, stop_pool


@dataclass(frozen=True)
class RunRecord:
    """One finished replication: which scenario, which seed, and how long it took."""

    scenario: str
    replication: int
    seed: int
    seconds: float


Progress = Callable[[int, int, RunRecord], None]
"""Called after each replication as ``progress(done, total, record)``."""


def run_replications(scenario: Scenario, replications: int | None = None, seed: int | None = None,
                     workers: int = 1, progress: Progress | None = None,
                     posterior: Posterior | None = None) -> pd.DataFrame:
    """Same contract and result as :func:`simulation.run`, on ``workers`` processes.

    >>> from simulation import Scenario, run
    >>> s = Scenario(population={"people": 200}, months=3)
    >>> run_replications(s, 2, seed=5).equals(run(s, 2, seed=5))
    True
    """
    tables, _ = run_scenarios([scenario], replications, seed, workers, progress, posterior)
    return tables[0]


def run_scenarios(scenarios: Sequence[Scenario], replications: int | None = None, seed: int | None = None,
                  workers: int = 1, progress: Progress | None = None, posterior: Posterior | None = None
                  ) -> tuple[list[pd.DataFrame], list[RunRecord]]:
    """Run every scenario's replications on common seeds; one long table per scenario, plus run records.

    ``replications`` and ``seed`` default to the first scenario's. Tasks are interleaved (replication 0 of every
    scenario first), so an early look at the progress covers all scenarios. ``posterior``: each replication runs
    its seed's draw (checked against the scenarios by the caller, :meth:`~simulation.posterior.Posterior.check`).
    """
    if not scenarios:
        raise ValueError("no scenarios to run")
    reps = scenarios[0].replications if replications is None else replications
    base = scenarios[0].seed if seed is None else seed
    too_far = seed_range_problem(base, reps)
    if too_far:
        raise ValueError(too_far)
    tasks = [(k, r) for r in range(reps) for k in range(len(scenarios))]
    frames: dict[tuple[int, int], pd.DataFrame] = {}
    records: list[RunRecord] = []

    def finished(k: int, r: int, frame: pd.DataFrame, seconds: float) -> None:
        frames[(k, r)] = frame
        record = RunRecord(scenarios[k].name, r, base + r, seconds)
        records.append(record)
        if progress is not None:
            progress(len(records), len(tasks), record)

    if workers <= 1 or len(tasks) == 1:
        for k, r in tasks:
            finished(k, r, *_task(scenarios[k], base + r, r, posterior))
    else:
        _run_pool(scenarios, tasks, base, min(workers, len(tasks)), finished, posterior)
    tables = []
    for k, scenario in enumerate(scenarios):
        table = pd.concat([frames[(k, r)] for r in range(reps)], ignore_index=True)
        table.insert(0, "scenario", scenario.name)  # exactly as runner.run builds it
        tables.append(table)
    return tables, records


def _task(scenario: Scenario, seed: int, replication: int,
          posterior: Posterior | None = None) -> tuple[pd.DataFrame, float]:
    started = time.perf_counter()
    frame = run_one(scenario, seed, replication, posterior=posterior)
    return frame, time.perf_counter() - started


def _run_pool(scenarios: Sequence[Scenario], tasks: list[tuple[int, int]], base: int, workers: int,
              finished: Callable[[int, int, pd.DataFrame, float], None], posterior: Posterior | None = None) -> None:
    pool = start_pool(workers)
    pending: dict[Future, tuple[int, int]] = {}
    try:
        with deferred_signals():  # an interrupt while a worker is being started would strand it half-made
            for k, r in tasks:
                pending[pool.submit(_task, scenarios[k], base + r, r, posterior)] = (k, r)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                k, r = pending.pop(future)
                finished(k, r, *future.result())
    except BrokenProcessPool:
        stop_pool(pool)
        raise WorkerDied("a worker process died (killed, or out of memory) while the replications ran") from None
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown()
