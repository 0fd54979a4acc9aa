"""Running replications: ``simulation.run(scenario, replications=..., seed=...)`` returns the tidy long table.

Replication ``r`` uses seed ``seed + r``. Two scenarios run with the same seeds therefore share common random
numbers replication by replication, which is what paired comparisons rely on. With a ``posterior``
(:mod:`simulation.posterior`), each replication also runs the parameter set its seed draws from it, set on top of
the scenario, and the table gains a ``posterior_row`` column saying which.
"""

from __future__ import annotations

import os
import time

import pandas as pd

from .core.model import LeadershipModel
from .core.scenario import Scenario
from .posterior import ROW_COLUMN, Posterior, as_posterior


def run_one(scenario: Scenario, seed: int, replication: int = 0, person_agents: bool = False,
            posterior: Posterior | None = None) -> pd.DataFrame:
    """One replication: the long table with ``replication`` and ``seed`` columns (and ``posterior_row``, the row
    of ``posterior`` its seed drew and ran with, when there is a posterior).

    >>> from simulation import Scenario, run_one
    >>> frame = run_one(Scenario(population={"people": 200}, months=2), seed=3)
    >>> list(frame.columns), int(frame.seed.iloc[0])
    (['replication', 'seed', 'month', 'metric', 'value'], 3)
    """
    row = None
    if posterior is not None:
        scenario, row = posterior.apply(scenario, seed)
    model = LeadershipModel(scenario, rng=seed, person_agents=person_agents)
    model.run_for(scenario.months)
    frame = model.metrics()
    if row is not None:
        frame.insert(0, ROW_COLUMN, row)
    frame.insert(0, "seed", seed)
    frame.insert(0, "replication", replication)
    return frame


def run(scenario: Scenario | None = None, replications: int | None = None, seed: int | None = None,
        progress=None, workers: int = 1, posterior: Posterior | str | os.PathLike[str] | None = None
        ) -> pd.DataFrame:
    """Run a scenario's replications and return one long table.

    Columns: ``scenario`` (name), ``replication``, ``seed``, ``month``, ``metric``, ``value``. Use
    :func:`wide` for one column per metric. ``workers=N`` runs the replications on N local processes
    (:func:`simulation.execution.run_replications`): the same table, value for value. ``progress(r, seconds)`` is
    called after each replication (in the order they finish). ``posterior`` (a :class:`~simulation.posterior.Posterior`
    or its folder): each replication runs the parameter set its seed draws from it (the ``posterior_row`` column).

    >>> from simulation import Scenario, run
    >>> table = run(Scenario(population={"people": 200}, months=3), replications=2, seed=5)
    >>> sorted(table.seed.unique().tolist()), int(table.month.max())
    ([5, 6], 3)
    """
    scenario = scenario if scenario is not None else Scenario()
    if workers < 1:
        raise ValueError(f"workers={workers}: give 1 or more processes")
    posterior = as_posterior(posterior)
    if posterior is not None:
        posterior.check([scenario])
    if workers > 1:
        from .execution import run_replications  # it imports this module

        def each(done: int, total: int, record) -> None:
            if progress is not None:
                progress(record.replication, record.seconds)

        return run_replications(scenario, replications, seed, workers, each, posterior)
    replications = scenario.replications if replications is None else replications
    base = scenario.seed if seed is None else seed
    frames = []
    for r in range(replications):
        started = time.perf_counter()
        frames.append(run_one(scenario, base + r, r, posterior=posterior))
        if progress is not None:
            progress(r, time.perf_counter() - started)
    table = pd.concat(frames, ignore_index=True)
    table.insert(0, "scenario", scenario.name)
    return table


def wide(table: pd.DataFrame) -> pd.DataFrame:
    """One row per (scenario, replication, month), one column per metric.

    >>> from simulation import Scenario, run, wide
    >>> table = wide(run(Scenario(population={"people": 200}, months=2), replications=1))
    >>> len(table), "community_result" in table.columns
    (3, True)
    """
    index = [c for c in ("scenario", "replication", "seed", ROW_COLUMN, "month") if c in table.columns]
    out = table.pivot_table(index=index, columns="metric", values="value", sort=False).reset_index()
    out.columns.name = None
    return out
