"""Figures for results folders: the community result with a 95% band, the three levels, and the comparison.

Plots read the tidy long table (scenario, replication, seed, month, metric, value) that runs write, so the same
functions serve ``leadsim run``, ``leadsim compare`` and notebooks. They draw on matplotlib ``Figure`` objects with
the Agg canvas (never pyplot's global state), so they work on headless machines and inside worker processes.

The band is the 95% confidence interval of the *mean* across replications (t-interval), not the spread of single
runs: it answers "how sure are we of this scenario's average trajectory".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from scipy.special import stdtrit  # the t quantile; scipy.stats would add half a second to start-up

from .summaries import POINT, POINTS_NOTE

LEVEL_PANELS: dict[str, list[tuple[str, str]]] = {
    "Individual": [("mean_capacity", "mean capacity"), ("mean_collective_capacity", "collective capacity"),
                   ("mean_competence", "individual competence"), ("leadership_share", "share exercising leadership")],
    "Organization": [("org_practice", "organizational practice")],
    "Network": [("bridging_share", "bridging share of ties"), ("cross_sector_share", "cross-sector share"),
                ("clustering", "clustering"), ("largest_component", "largest component")],
}
STYLES = ["-", "--", ":", "-."]
DPI = 100


def mean_band(table: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Per scenario and month: mean across replications and its 95% t-interval (``low``/``high``; NaN for n=1)."""
    rows = _metric(table, metric)
    g = rows.groupby(["scenario", "month"], sort=False)["value"]
    out = g.agg(["mean", "std", "count"]).reset_index()
    half = stdtrit(np.maximum(out["count"] - 1, 1), 0.975) * out["std"] / np.sqrt(out["count"])
    half = half.where(out["count"] > 1)
    out["low"], out["high"] = out["mean"] - half, out["mean"] + half
    return out


def _metric(table: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Rows of one metric; ``bridging_share`` is derived (bridging ties / ties) because counts don't compare."""
    if metric != "bridging_share":
        return table[table["metric"] == metric]
    keys = ["scenario", "replication", "month"]
    ties = table[table["metric"] == "ties"].set_index(keys)["value"]
    bridging = table[table["metric"] == "bridging_ties"].set_index(keys)["value"]
    share = (bridging / ties.where(ties > 0)).fillna(0.0).rename("value").reset_index()
    return share


def scenarios_in(table: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(table["scenario"]))


def _save(fig: Figure, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    FigureCanvasAgg(fig)
    fig.savefig(path, dpi=DPI)
    return path


def _draw_band(ax, band: pd.DataFrame, label: str, color: str | None = None, style: str = "-") -> None:
    (line,) = ax.plot(band["month"], band["mean"], style, color=color, label=label, linewidth=1.6)
    if band["low"].notna().any():
        ax.fill_between(band["month"], band["low"], band["high"], color=line.get_color(), alpha=0.2, linewidth=0)


def _reps_note(table: pd.DataFrame) -> str:
    n = table.groupby("scenario")["replication"].nunique().min()
    return f"mean of {n} replication{'s' if n != 1 else ''}" + (", 95% CI band" if n > 1 else "")


def community_figure(table: pd.DataFrame, path: str | Path) -> Path:
    """The community result over time, one line (and band) per scenario."""
    fig = Figure(figsize=(7, 4), layout="constrained")
    ax = fig.add_subplot()
    band = mean_band(table, "community_result")
    for name in scenarios_in(table):
        _draw_band(ax, band[band["scenario"] == name], name)
    ax.set(xlabel="month", ylabel="community result (0-1)", title=f"Community result ({_reps_note(table)})")
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return _save(fig, path)


def levels_figure(table: pd.DataFrame, path: str | Path) -> Path:
    """Panels for the individual, organization and network levels (colour: scenario; line style: metric)."""
    fig = Figure(figsize=(13, 4), layout="constrained")
    axes = fig.subplots(1, len(LEVEL_PANELS), sharex=True)
    names = scenarios_in(table)
    colors = [f"C{i % 10}" for i in range(len(names))]
    for ax, (title, metrics) in zip(axes, LEVEL_PANELS.items(), strict=True):
        for style, (metric, label) in zip(STYLES, metrics, strict=False):
            band = mean_band(table, metric)
            for name, color in zip(names, colors, strict=True):
                tag = label if len(names) == 1 else f"{name}: {label}"
                _draw_band(ax, band[band["scenario"] == name], tag, color if len(names) > 1 else None, style)
        ax.set(title=f"{title} level", xlabel="month", ylabel="share or level (0-1)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize="x-small")
    fig.suptitle(f"Individual, organization and network levels ({_reps_note(table)})")
    return _save(fig, path)


def compare_figure(table: pd.DataFrame, comparison: pd.DataFrame, path: str | Path) -> Path:
    """Left: the community result of each scenario. Right: the paired change against the first, with 95% CIs."""
    fig = Figure(figsize=(11, 4), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[3, 2])
    band = mean_band(table, "community_result")
    names = scenarios_in(table)
    for i, name in enumerate(names):
        _draw_band(left, band[band["scenario"] == name], name, f"C{i % 10}")
    left.set(xlabel="month", ylabel="community result (0-1)", title=f"Community result ({_reps_note(table)})")
    left.legend(fontsize="small")
    left.grid(alpha=0.3)
    others = comparison.iloc[1:]
    y = np.arange(len(others))[::-1]
    points = 1.0 / POINT  # changes in points, as the console and the docs give them (simulation.summaries)
    err = np.vstack([others["change"] - others["ci_low"], others["ci_high"] - others["change"]]) * points
    err = np.nan_to_num(err)
    for yi, (_, row), e in zip(y, others.iterrows(), err.T, strict=True):
        color = f"C{names.index(row['scenario']) % 10}"
        right.errorbar(row["change"] * points, yi, xerr=e.reshape(2, 1), fmt="o", color=color, capsize=4)
    right.axvline(0.0, color="grey", linewidth=1)
    right.xaxis.set_major_locator(MaxNLocator(5))
    right.set_yticks(y, list(others["scenario"]))
    right.set_ylim(-0.7, len(others) - 0.3)
    reference = comparison.iloc[0]["scenario"]
    right.set(xlabel=f"change in final community result vs {reference}\n(points: {POINTS_NOTE})",
              title="Paired change, 95% CI (same seeds)")
    right.grid(alpha=0.3, axis="x")
    return _save(fig, path)
