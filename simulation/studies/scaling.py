"""Returns to scale: how the result a strategy gains grows with its budget and with the community's size.

For each lever, the mean result gained in each (budget, size) cell is regressed on a log-log scale::

    log(gain) = a + b * log(budget per person) + c * log(people)

* ``b`` - the **budget exponent**: at a fixed community size, doubling the money multiplies the gain by 2^b
  (b < 1: diminishing returns; b > 1: increasing, e.g. thresholds or network effects);
* ``c`` - the **size exponent** (returns to scale): when the community and the budget grow together (the same money
  per person), the gain is multiplied by k^c for a k-times larger community (c = 0: constant returns; c < 0: the
  approach thins out with scale - "we will not reach the scale of change we seek developing one leader at a time";
  c > 0: it gains from scale).

With one size (or one budget per person) only the other exponent is fitted. Per-size budget exponents are reported
too. Intervals are percentile bootstrap intervals that resample *replications* (the same resample in every cell,
because replication r shares its seed across cells: common random numbers), refitting each time. Cells whose mean
gain is not positive cannot be logged: they are left out and counted, never silently.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ["lever", "term", "estimate", "ci_low", "ci_high", "cells", "cells_excluded", "replications", "r2"]


def _fit(x: np.ndarray, gain: np.ndarray) -> tuple[np.ndarray, float] | None:
    """OLS of log(gain) on log(x) columns over cells with a positive gain; None if too few to fit."""
    ok = gain > 0
    if ok.sum() < x.shape[1] + 2:
        return None
    X = np.column_stack([np.ones(ok.sum()), np.log(x[ok])])
    y = np.log(gain[ok])
    if np.linalg.matrix_rank(X) < X.shape[1]:
        return None
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ coef
    total = ((y - y.mean()) ** 2).sum()
    r2 = float(1 - (resid**2).sum() / total) if total > 0 else float("nan")
    return coef[1:], r2


def returns_to_scale(runs: pd.DataFrame, output: str, resamples: int = 1000, conf_level: float = 0.95,
                     seed: int = 0, skip: set[str] | None = None) -> pd.DataFrame:
    """Exponents per lever with bootstrap intervals.

    ``runs`` has one row per run with columns lever, replication, budget, people and ``output``.
    """
    rng = np.random.default_rng(seed)
    runs = runs.assign(budget_per_person=runs["budget"] / runs["people"])
    reps = np.sort(runs["replication"].unique())
    draws = [rng.integers(0, len(reps), size=len(reps)) for _ in range(resamples)] if len(reps) > 1 else []
    alpha = (1 - conf_level) / 2
    rows = []
    for lever, frame in runs.groupby("lever", sort=False):
        if lever in (skip or set()) or frame[output].isna().all():
            continue
        by_rep = frame.pivot_table(index=["budget_per_person", "people"], columns="replication", values=output,
                                   dropna=False).reindex(columns=reps)
        cells = by_rep.index.to_frame(index=False)
        values = by_rep.to_numpy(dtype=float)
        rows += _lever_rows(str(lever), cells, values, draws, alpha)
        if cells["people"].nunique() > 1:
            for people in sorted(cells["people"].unique()):
                sel = (cells["people"] == people).to_numpy()
                if cells.loc[sel, "budget_per_person"].nunique() > 1:
                    rows += _lever_rows(str(lever), cells[sel].reset_index(drop=True), values[sel], draws, alpha,
                                        suffix=f"@people={people:,}")
    return pd.DataFrame(rows, columns=COLUMNS)


def _lever_rows(lever: str, cells: pd.DataFrame, values: np.ndarray, draws: list[np.ndarray], alpha: float,
                suffix: str = "") -> list[dict]:
    """Fit one lever's cells (rows of ``values``: cells x replications) and bootstrap the exponents."""
    terms = [t for t in ("budget_per_person", "people") if cells[t].nunique() > 1]
    if not terms:
        return []
    x = cells[terms].to_numpy(dtype=float)
    gain = np.nanmean(values, axis=1) if values.size else np.zeros(0)
    fit = _fit(x, gain)
    excluded = int((~(gain > 0)).sum())
    boots = [got[0] for draw in draws if (got := _fit(x, np.nanmean(values[:, draw], axis=1))) is not None]
    boots_arr = np.array(boots) if boots else np.empty((0, len(terms)))
    rows = []
    for j, term in enumerate(terms):
        name = ("budget" if term == "budget_per_person" else "size") + suffix
        estimate = float(fit[0][j]) if fit is not None else float("nan")
        low, high = (np.quantile(boots_arr[:, j], [alpha, 1 - alpha]) if len(boots_arr) >= 20
                     else (float("nan"), float("nan")))
        rows.append({"lever": lever, "term": name, "estimate": estimate, "ci_low": float(low), "ci_high": float(high),
                     "cells": len(cells) - excluded, "cells_excluded": excluded, "replications": values.shape[1],
                     "r2": fit[1] if fit is not None else float("nan")})
    return rows


def scaling_runs(plan, runs: pd.DataFrame, output: str) -> pd.DataFrame:
    """Per run: lever, replication, budget, people and the output (the input of :func:`returns_to_scale`)."""
    table = runs[["point", "lever", "replication", output]].merge(plan.cells, on=["point", "lever"], how="left")
    return table[["lever", "replication", "budget", "people", output]]
