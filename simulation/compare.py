"""Paired comparison of scenarios run on common random numbers.

Replication ``r`` of every scenario used seed ``seed + r``: the same people, organizations, network and random
draws, except where the scenarios' mechanisms differ. The difference in final community result is therefore taken
replication by replication (a paired difference), and its 95% confidence interval is the t-interval of those
differences. It is much narrower than the interval from independent runs would be, because the noise the
scenarios share cancels (the core tests measure this).

Cost per point is the extra money spent per +0.01 of community result (one percentage point on its 0-1 scale),
against the first scenario. It is undefined (NaN) when the change is not positive, and also when the scenario
gains while spending *less* than the reference: a negative "cost per point" would read as a bargain price, where
the scenario simply dominates (``dominates`` is True).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import stdtrit  # the t quantile; scipy.stats would add half a second to start-up

from .core.scenario import Scenario
from .runner import run

COLUMNS = ["scenario", "replications", "month", "final_result", "change", "ci_low", "ci_high", "sd_difference",
           "people_reached", "cost_spent", "cost_per_point", "dominates"]


def final_values(table: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Per scenario and replication, the metric's value at the last month (columns: scenario names)."""
    rows = table[table["metric"] == metric]
    last = rows["month"] == rows.groupby("scenario")["month"].transform("max")
    out = rows[last].pivot_table(index="replication", columns="scenario", values="value", sort=False)
    return out[list(dict.fromkeys(rows["scenario"]))]


def compare_scenarios(scenarios: list[Scenario], replications: int = 5, seed: int = 1) -> pd.DataFrame:
    """Run scenarios on the same seeds and compare each with the first (:func:`paired_comparison`).

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
    return paired_comparison(pd.concat([run(s, replications, seed) for s in scenarios], ignore_index=True))


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
        extra_cost = float(spent[name] - spent[reference])
        per_point = extra_cost / (mean / 0.01) if mean > 0 and extra_cost >= 0 else float("nan")
        rows.append({"scenario": name, "replications": n, "month": int(months[name]),
                     "final_result": float(result[name].mean()), "change": mean, "ci_low": mean - half,
                     "ci_high": mean + half, "sd_difference": sd, "people_reached": float(reached[name]),
                     "cost_spent": float(spent[name]), "cost_per_point": per_point,
                     "dominates": bool(name != reference and mean > 0 and extra_cost < 0)})
    return pd.DataFrame(rows, columns=COLUMNS)


def _check_pairing(table: pd.DataFrame) -> None:
    """Pairs must share seeds: the same replication numbers with the same seed in every scenario."""
    seeds = table.drop_duplicates(["scenario", "replication"]).pivot(index="replication", columns="scenario",
                                                                     values="seed")
    if seeds.isna().any().any() or not (seeds.nunique(axis=1) == 1).all():
        raise ValueError("scenarios were not run on the same replications and seeds; a paired comparison needs "
                         "common random numbers")
