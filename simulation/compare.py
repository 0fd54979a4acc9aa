"""Paired comparison of scenarios run on common random numbers.

Replication ``r`` of every scenario used seed ``seed + r``: the same people, organizations, network and random
draws, except where the scenarios' mechanisms differ. The difference in final community result is therefore taken
replication by replication (a paired difference), and its 95% confidence interval is the t-interval of those
differences. It is much narrower than the interval from independent runs would be, because the noise the
scenarios share cancels (the core tests measure this). Pairing means something only for scenarios of the same
community (``population``), horizon (``months``) and seeds: :func:`pairing_problems` says where they differ.

``verdict`` reads the interval: ``ahead`` when it lies above zero, ``behind`` when below, ``unclear`` when it
holds zero (or there is one replication, so no interval), ``same`` when every paired difference is exactly 0.
Changes are in the result's own 0-1 units in the table; the console, figures and docs write them in points
(1 point = 0.01, :mod:`simulation.summaries`).

Cost per point is the extra money spent per point gained (+0.01 of community result), against the first scenario.
It is given only for a scenario that is ``ahead`` and spends more: NaN when the gain is not clear (a price per an
unclear gain means nothing), when it spends no more (``extra_cost`` <= 0: the gain costs nothing extra), and for
the reference - never 0 or negative.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.special import stdtrit  # the t quantile; scipy.stats would add half a second to start-up

from .execution import run_scenarios
from .posterior import ROW_COLUMN, Posterior, as_posterior
from .summaries import POINT

if TYPE_CHECKING:
    from .core.scenario import Scenario

COLUMNS = ["scenario", "replications", "month", "final_result", "change", "ci_low", "ci_high", "sd_difference",
           "verdict", "people_reached", "cost_spent", "extra_cost", "cost_per_point"]
PAIRED_FIELDS = ("population", "months")
"""What compared scenarios must share for their pairs to mean anything: the community and the horizon."""


def pairing_problems(scenarios: list[Scenario]) -> list[tuple[int, str, str]]:
    """Where each scenario after the first differs from it in :data:`PAIRED_FIELDS`: ``(index, dotted field,
    "VALUE, but the first has VALUE")``, for every differing field (the community's fields one by one)."""
    first = scenarios[0].model_dump(include=set(PAIRED_FIELDS))
    found = []
    for k, scenario in enumerate(scenarios[1:], 1):
        mine = scenario.model_dump(include=set(PAIRED_FIELDS))
        for path, theirs, ours in _differences(mine, first, ()):
            found.append((k, path, f"{_show(theirs)}, but the first has {_show(ours)}"))
    return found


def _differences(a: object, b: object, loc: tuple[str, ...]) -> list[tuple[str, object, object]]:
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for key in a for d in _differences(a[key], b.get(key), (*loc, key))]
    return [] if a == b else [(".".join(loc), a, b)]


def _show(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else repr(value)


def final_values(table: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Per scenario and replication, the metric's value at the last month (columns: scenario names)."""
    rows = table[table["metric"] == metric]
    last = rows["month"] == rows.groupby("scenario")["month"].transform("max")
    out = rows[last].pivot_table(index="replication", columns="scenario", values="value", sort=False)
    return out[list(dict.fromkeys(rows["scenario"]))]


def compare_scenarios(scenarios: list[Scenario], replications: int = 5, seed: int = 1,
                      posterior: Posterior | str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Run scenarios on the same seeds and compare each with the first (:func:`paired_comparison`).

    ``posterior`` (a :class:`~simulation.posterior.Posterior` or its folder): replication r of every scenario runs
    the same parameter set, the one seed + r draws, so the differences stay paired across the posterior.

    >>> from simulation import Scenario, compare_scenarios
    >>> community = {"population": {"people": 300}, "months": 12}
    >>> table = compare_scenarios([
    ...     Scenario(name="none", **community),
    ...     Scenario(name="trained", budget=50_000, **community,
    ...              interventions=[{"type": "individual_training", "params": {"every_months": 6}}])],
    ...     replications=3, seed=1)
    >>> list(table.scenario), bool(table.ci_low.iloc[1] <= table.change.iloc[1] <= table.ci_high.iloc[1])
    (['none', 'trained'], True)
    """
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ValueError(f"scenarios to compare need distinct names, got {names}")
    differ = pairing_problems(scenarios)
    if differ:
        k, path, what = differ[0]
        raise ValueError(f"{names[k]} differs from {names[0]} in {path} ({what}): paired differences need the same "
                         f"community and horizon ({len(differ)} field(s) differ)")
    posterior = as_posterior(posterior)
    if posterior is not None:
        posterior.check(scenarios)  # together: a training parameter needs only one scenario that trains
    tables, _ = run_scenarios(scenarios, replications, seed, posterior=posterior)  # the tables of simulation.run
    return paired_comparison(pd.concat(tables, ignore_index=True))


def paired_comparison(table: pd.DataFrame) -> pd.DataFrame:
    """One row per scenario (the first is the reference); see :data:`COLUMNS` and the module docstring.

    ``table`` is the long table of all scenarios, run on the same seeds (``simulation.run`` of each with the same
    ``seed``, concatenated).
    """
    _check_pairing(table)
    result = final_values(table, "community_result")
    reached = final_values(table, "people_reached").mean()
    spent = final_values(table, "cost_spent").mean()
    reference = result.columns[0]
    months = table.groupby("scenario")["month"].max()
    rows = []
    for name in result.columns:
        diff = (result[name] - result[reference]).to_numpy()
        n = len(diff)
        mean = float(diff.mean())
        sd = float(diff.std(ddof=1)) if n > 1 else float("nan")
        half = float(stdtrit(n - 1, 0.975) * sd / np.sqrt(n)) if n > 1 else float("nan")
        if name == reference:
            half = 0.0
        low, high = mean - half, mean + half
        extra_cost = float(spent[name] - spent[reference])
        verdict = "reference" if name == reference else _verdict(low, high)
        per_point = extra_cost / (mean / POINT) if verdict == "ahead" and extra_cost > 0 else float("nan")
        rows.append({"scenario": name, "replications": n, "month": int(months[name]),
                     "final_result": float(result[name].mean()), "change": mean, "ci_low": low, "ci_high": high,
                     "sd_difference": sd, "verdict": verdict, "people_reached": float(reached[name]),
                     "cost_spent": float(spent[name]), "extra_cost": extra_cost, "cost_per_point": per_point})
    return pd.DataFrame(rows, columns=COLUMNS)


def _verdict(low: float, high: float) -> str:
    """``ahead``/``behind`` only when the 95% interval excludes zero; otherwise (or with no interval) ``unclear``."""
    if low == high == 0:
        return "same"  # identical in every replication (an intervention that does nothing)
    if low > 0:
        return "ahead"
    if high < 0:
        return "behind"
    return "unclear"


def _check_pairing(table: pd.DataFrame) -> None:
    """Pairs must share seeds: the same replication numbers with the same seed in every scenario (and, under a
    posterior, the same drawn row)."""
    for column in ("seed", ROW_COLUMN) if ROW_COLUMN in table.columns else ("seed",):
        shared = table.drop_duplicates(["scenario", "replication"]).pivot(index="replication", columns="scenario",
                                                                          values=column)
        if shared.isna().any().any() or not (shared.nunique(axis=1) == 1).all():
            raise ValueError(f"scenarios were not run on the same replications and {column}s; a paired comparison "
                             "needs common random numbers")
