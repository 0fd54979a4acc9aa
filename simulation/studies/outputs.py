"""Outputs of interest: one scalar per run (and per point after averaging replications), from the stored tables.

* ``metric`` outputs read one metric of a run's long table: at the final month, a given month, or its mean over
  months 1..end;
* ``minus: LEVER`` turns an output into the paired difference ``lever - LEVER`` replication by replication - the
  two runs share seed, people, network and every random draw except where the levers act (common random numbers),
  so the difference carries far less noise than two independent runs would;
* ``ratio: [A, B]`` is computed per point from the replication means (A / (B / per)), NaN when B <= 0 - e.g. cost
  per percentage point of result gained.

Shards are read one at a time, so memory holds one shard plus one row per run.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from simulation.posterior import ROW_COLUMN

from .plan import Plan
from .spec import Output
from .store import StudyStore

RUN_COLUMNS = ["run", "point", "lever", "replication", "seed", "key"]


def metric_values(frame: pd.DataFrame, outputs: list[Output]) -> pd.DataFrame:
    """Per run key, the value of each metric output (index: run_key; columns: output names)."""
    frame = frame.copy()
    frame["run_key"] = frame["run_key"].astype(str)
    frame["metric"] = frame["metric"].astype(str)
    keys = pd.Index(frame["run_key"].unique(), name="run_key")
    last = frame.groupby("run_key")["month"].transform("max")
    columns = {}
    for out in outputs:
        if out.metric is None:
            continue
        rows = frame[frame["metric"] == out.metric]
        if out.at == "final":
            sel = rows[rows["month"] == last[rows.index]]
            series = sel.set_index("run_key")["value"]
        elif out.at == "mean":
            series = _mean_by_run(rows[rows["month"] >= 1])
        else:
            series = rows[rows["month"] == out.at].set_index("run_key")["value"]
        columns[out.name] = series.reindex(keys)
    return pd.DataFrame(columns, index=keys)


def _mean_by_run(rows: pd.DataFrame) -> pd.Series:
    """Each run's mean value over its months, summed in month order from that run's rows alone.

    Why not ``groupby().mean()``: pandas' grouped sum can round differently depending on which other runs share
    the frame, and a shard holds whichever runs finished together - so the same study would give outputs that
    differ in the last digit between executors. Here a run's mean depends only on its own values.
    """
    rows = rows.sort_values(["run_key", "month"], kind="stable")
    keys, starts = np.unique(rows["run_key"].to_numpy(), return_index=True)
    if len(keys) == 0:
        return pd.Series(dtype=np.float64, index=pd.Index([], name="run_key"))
    values = rows["value"].to_numpy(dtype=np.float64)
    counts = np.diff(np.append(starts, len(values)))
    return pd.Series(np.add.reduceat(values, starts) / counts, index=pd.Index(keys, name="run_key"))


def per_run(plan: Plan, store: StudyStore, runs: dict[str, dict[str, Any]] | None = None) -> pd.DataFrame:
    """One row per planned run (plan columns + one column per metric output, minus outputs differenced).

    ``runs``: the stored copies to read (key -> record, from :meth:`StudyStore.scan` with ``plan.needs``; by
    default scanned here). A shard that cannot be read raises; it is never skipped.
    """
    outputs = plan.study.spec.outputs
    if runs is None:
        runs = store.scan(plan.needs).runs
    wanted = set(plan.runs["key"])
    parts = []
    for frame in store.frames({k: r for k, r in runs.items() if k in wanted}):
        if len(frame):
            parts.append(metric_values(frame, outputs))
    names = [o.name for o in outputs if o.metric is not None]
    values = pd.concat(parts) if parts else pd.DataFrame(columns=names, index=pd.Index([], name="run_key"))
    values = values[~values.index.duplicated(keep="first")]
    columns = [c for c in plan.runs.columns if c in RUN_COLUMNS or c == ROW_COLUMN]  # the posterior's row too
    table = plan.runs[columns].merge(values, left_on="key", right_index=True, how="left")
    for out in outputs:
        if out.minus is not None:
            table[out.name] = _paired(table, out.name, out.minus)
    return table


def _paired(table: pd.DataFrame, column: str, reference: str) -> pd.Series:
    """``value - value of the reference lever`` at the same point and replication."""
    ref = table[table["lever"] == reference].set_index(["point", "replication"])[column]
    idx = pd.MultiIndex.from_frame(table[["point", "replication"]])
    return pd.Series(table[column].to_numpy() - ref.reindex(idx).to_numpy(), index=table.index)


def per_point(plan: Plan, runs: pd.DataFrame) -> pd.DataFrame:
    """One row per (point, lever): design values, then each output's mean, sd and n over replications, and ratios."""
    spec = plan.study.spec
    metric_outputs = [o.name for o in spec.outputs if o.metric is not None]
    grouped = runs.groupby(["point", "lever"], sort=False)[metric_outputs]
    means = grouped.mean()
    sds = grouped.std(ddof=1).add_suffix("_sd")
    counts = grouped.count().add_suffix("_n")
    table = pd.concat([means, sds, counts], axis=1).reset_index()
    for out in spec.outputs:
        if out.ratio is not None:
            num, den = table[out.ratio[0]], table[out.ratio[1]] / out.per
            table[out.name] = np.where(den > 0, num / den.where(den > 0), np.nan)
    order = {name: i for i, name in enumerate(plan.levers)}
    table = table.sort_values(["point", "lever"], key=lambda s: s.map(order) if s.name == "lever" else s)
    design = plan.design.frame()
    return design.merge(table, on="point", how="right").reset_index(drop=True)
