"""Study figures: sensitivity indices as bars with their intervals, and the scaling study's headline figure.

Drawn on matplotlib ``Figure`` objects with the Agg canvas (never pyplot's global state), like ``simulation.plots``,
so they work on headless cluster nodes. Small PNGs (100 dpi) that read well in a README.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator
from scipy.special import stdtrit

DPI = 100
MAX_PANELS = 12
# Sixteen distinguishable colours (the first eight dark, then their light partners) and seven markers: a scaling
# study compares every registered strategy, and no two should look alike.
COLORS = ["#1b6ca8", "#d1495b", "#2e8b57", "#edae49", "#6a4c93", "#00798c", "#8d6a9f", "#5c5c5c",
          "#7fb3e0", "#f08e9b", "#8fd19e", "#b8860b", "#b39ddb", "#66c2b4", "#e377c2", "#a6a6a6"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
INDEX_STYLE = {"S1": ("first order S1", "#1b6ca8"), "ST": ("total ST", "#d1495b"), "mu_star": ("mu*", "#1b6ca8"),
               "delta": ("delta", "#1b6ca8")}


def _save(fig: Figure, path: Path) -> Path:
    """Save atomically: a temporary sibling renamed into place, so a killed sweep leaves no half-drawn PNG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    FigureCanvasAgg(fig)
    tmp = path.parent / f".tmp-{os.getpid()}-{path.name}"
    try:
        fig.savefig(tmp, dpi=DPI, format="png")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def sensitivity_figures(indices: pd.DataFrame, folder: Path, labels: dict[str, str] | None = None,
                        group_columns: list[str] | None = None) -> list[Path]:
    """One PNG per lever (``sensitivity_LEVER.png``): a panel per output (and factor combination)."""
    labels = labels or {}
    group_columns = group_columns or []
    written = []
    for lever, frame in indices.groupby("lever", sort=False):
        keys = [*group_columns, "output"]
        panels = list(frame.groupby(keys, sort=False)) if keys else [((), frame)]
        panels = panels[:MAX_PANELS]
        cols = min(3, len(panels))
        rows = math.ceil(len(panels) / cols)
        n_params = frame["parameter"].nunique()
        fig = Figure(figsize=(4.4 * cols, 0.9 + rows * (0.5 + 0.32 * n_params)), layout="constrained")
        for k, (key, panel) in enumerate(panels):
            ax = fig.add_subplot(rows, cols, k + 1)
            _index_panel(ax, panel, labels)
            key = key if isinstance(key, tuple) else (key,)
            title = str(key[-1]) + "".join(f"\n{c}={v}" for c, v in zip(group_columns, key[:-1], strict=False))
            ax.set_title(title, fontsize=9)
        method = str(frame["method"].iloc[0])
        fig.suptitle(f"{method.capitalize()} sensitivity - lever {lever} (bars: {_conf_words(method)})",
                     fontsize=10)
        written.append(_save(fig, folder / f"sensitivity_{_slug(str(lever))}.png"))
    return written


def _conf_words(method: str) -> str:
    return "index with its bootstrap interval" if method != "morris" else "mu* with its bootstrap interval"


def _index_panel(ax, panel: pd.DataFrame, labels: dict[str, str]) -> None:
    kinds = [k for k in ("S1", "ST", "mu_star", "delta") if k in set(panel["index"])]
    if "delta" in kinds:
        kinds = ["delta"]
    params = list(dict.fromkeys(panel["parameter"]))
    y = np.arange(len(params))
    height = 0.8 / max(1, len(kinds))
    for j, kind in enumerate(kinds):
        rows = panel[panel["index"] == kind].set_index("parameter").reindex(params)
        label, color = INDEX_STYLE[kind]
        err = rows["conf"].to_numpy(dtype=float)
        ax.barh(y + (j - (len(kinds) - 1) / 2) * height, rows["value"], height=height, color=color, alpha=0.85,
                xerr=np.where(np.isfinite(err), err, 0), error_kw={"elinewidth": 1, "capsize": 2}, label=label)
    if "mu_star" in kinds:
        sigma = panel[panel["index"] == "sigma"].set_index("parameter").reindex(params)["value"]
        ax.plot(sigma, y, "k|", markersize=9, label="sigma")
    ax.set_yticks(y, [_short(labels.get(p) or _tail(p)) for p in params], fontsize=8)
    ax.invert_yaxis()
    ax.axvline(0, color="0.6", linewidth=0.8)
    ax.tick_params(axis="x", labelsize=8)
    ax.legend(fontsize=7, loc="best")


def _tail(path: str) -> str:
    """``network.bridge_survival_per_year`` -> ``bridge_survival_per_year`` (labels stay short)."""
    parts = path.split(".")
    return ".".join(parts[-2:]) if len(parts) > 1 and parts[-2] == "params" else parts[-1]


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else "..." + text[-(limit - 3):]


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)[:60]


def _mean_ci(values: pd.Series) -> tuple[float, float]:
    v = values.dropna().to_numpy(dtype=float)
    if len(v) == 0:
        return float("nan"), float("nan")
    half = float(stdtrit(len(v) - 1, 0.975) * v.std(ddof=1) / np.sqrt(len(v))) if len(v) > 1 else 0.0
    return float(v.mean()), half


def scaling_figure(runs: pd.DataFrame, output: str, exponents: pd.DataFrame, path: Path, note: str = "") -> Path:
    """The scaling study's headline figure, four panels:

    (a) gain against budget per person in the largest community, (b) gain against community size at the middle
    budget per person - means with 95% intervals over replications, log scales - and the fitted exponents with
    their bootstrap intervals: (c) budget exponent b, (d) size exponent c (returns to scale).

    ``runs``: lever, replication, budget, people, ``output`` (one row per run); ``exponents``: scaling.csv.
    """
    runs = runs.assign(bpp=runs["budget"] / runs["people"])
    levers = list(dict.fromkeys(runs["lever"]))
    colors = {lever: COLORS[i % len(COLORS)] for i, lever in enumerate(levers)}
    sizes, budgets = sorted(runs["people"].unique()), sorted(runs["bpp"].unique())
    fig = Figure(figsize=(11, 8), layout="constrained")
    axes = fig.subplots(2, 2)
    panels = [(axes[0, 0], "bpp", runs["people"] == sizes[-1], f"(a) against budget, {sizes[-1]:,} people",
               "budget per person over the horizon"),
              (axes[0, 1], "people", runs["bpp"] == budgets[len(budgets) // 2],
               f"(b) against size, {budgets[len(budgets) // 2]:,g} per person", "community size (people)")]
    for ax, x, mask, title, xlabel in panels:
        for i, lever in enumerate(levers):
            sel = runs[mask & (runs["lever"] == lever)]
            stats = sel.groupby(x)[output].apply(_mean_ci)
            if stats.empty:
                continue
            ax.errorbar(stats.index.to_numpy(dtype=float), [s[0] for s in stats], yerr=[s[1] for s in stats],
                        color=colors[lever], marker=MARKERS[i % len(MARKERS)], markersize=4, linewidth=1.2,
                        capsize=2, label=lever)
        ax.set_xscale("log")
        ticks = sorted(runs.loc[mask, x].unique())
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xticks(ticks, [f"{v:,.0f}" if v >= 10 else f"{v:g}" for v in ticks])
        positive = (runs.loc[mask].groupby(["lever", x])[output].mean() > 0).all()
        if positive:
            ax.set_yscale("log")
        else:
            ax.set_yscale("symlog", linthresh=1e-4)
            ax.axhline(0, color="0.6", linewidth=0.8)
        ax.grid(alpha=0.3, which="both")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(xlabel, fontsize=9)
        ax.set_ylabel(f"{output} (mean, 95% CI)", fontsize=9)
    axes[0, 0].legend(fontsize=7, ncol=2)
    for ax, term, title in ((axes[1, 0], "budget", "(c) budget exponent b: gain ~ budget^b, size fixed"),
                            (axes[1, 1], "size", "(d) size exponent c: gain ~ people^c, budget/person fixed")):
        rows = exponents[exponents["term"] == term].set_index("lever").reindex(levers)
        y = np.arange(len(levers))
        est = rows["estimate"].to_numpy(dtype=float)
        low = est - rows["ci_low"].to_numpy(dtype=float)
        high = rows["ci_high"].to_numpy(dtype=float) - est
        for k, lever in enumerate(levers):
            if np.isfinite(est[k]):
                err = [[low[k]], [high[k]]] if np.isfinite(low[k]) else None
                ax.errorbar(est[k], y[k], xerr=err, color=colors[lever], marker="o", capsize=3, linewidth=1.5)
            else:
                ax.text(0, y[k], "  no positive gain to fit", fontsize=7, va="center", color="0.4")
        ax.axvline(0, color="0.6", linewidth=0.8)
        if term == "budget":
            ax.axvline(1, color="0.6", linewidth=0.8, linestyle=":")
        ax.set_yticks(y, levers, fontsize=8)
        ax.invert_yaxis()
        ax.grid(alpha=0.3, axis="x")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("exponent (95% bootstrap interval over replications)", fontsize=9)
    fig.suptitle(f"How each strategy scales: {output}" + (f" - {note}" if note else ""), fontsize=11)
    return _save(fig, path)


def cost_figure(points: pd.DataFrame, cost_output: str, path: Path) -> Path:
    """Cost per unit of result against budget per person, one panel per community size (log scales)."""
    points = points.assign(bpp=points["budget"] / points["people"])
    levers = list(dict.fromkeys(points["lever"]))
    sizes = sorted(points["people"].unique())
    fig = Figure(figsize=(3.8 * len(sizes), 3.6), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(sizes), sharey=True))
    for ax, size in zip(axes, sizes, strict=True):
        for i, lever in enumerate(levers):
            sub = points[(points["people"] == size) & (points["lever"] == lever)].sort_values("bpp")
            ax.plot(sub["bpp"], sub[cost_output], color=COLORS[i % len(COLORS)], marker=MARKERS[i % len(MARKERS)],
                    markersize=4, linewidth=1.2, label=lever)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ticks = sorted(points["bpp"].unique())
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xticks(ticks, [f"{v:,.0f}" for v in ticks])
        ax.grid(alpha=0.3, which="both")
        ax.set_title(f"{size:,} people", fontsize=10)
        ax.set_xlabel("budget per person", fontsize=9)
    axes[0].set_ylabel(f"{cost_output} (log; gaps: no gain)", fontsize=9)
    axes[0].legend(fontsize=7)
    return _save(fig, path)


def main_effects_figure(points: pd.DataFrame, factors: list[str], outputs: list[str], levers: list[str],
                        path: Path, labels: dict[str, str] | None = None) -> Path:
    """Factorial designs: each factor's main effect on each output - the mean over every other factor at each of
    its levels (with a 95% t-interval over those points), one line per lever. A paired gain that changes sign
    across a factor's levels is where the answer to "which approach wins" depends on that condition."""
    labels = labels or {}
    rows, cols = len(outputs), len(factors)
    fig = Figure(figsize=(3.3 * cols, 2.8 * rows + 0.6), layout="constrained")
    for i, output in enumerate(outputs):
        for j, factor in enumerate(factors):
            ax = fig.add_subplot(rows, cols, i * cols + j + 1)
            for k, lever in enumerate(levers):
                frame = points[points["lever"] == lever]
                if frame[output].isna().all():
                    continue
                stats = frame.groupby(factor)[output].apply(_mean_ci)
                x = np.arange(len(stats))
                ax.errorbar(x, [s[0] for s in stats], yerr=[s[1] for s in stats], color=COLORS[k % len(COLORS)],
                            marker="o", markersize=4, linewidth=1.2, capsize=2, label=lever)
                ax.set_xticks(x, [f"{v:g}" if isinstance(v, float) else str(v) for v in stats.index], fontsize=8)
            ax.axhline(0, color="0.6", linewidth=0.8)
            ax.tick_params(axis="y", labelsize=8)
            ax.grid(alpha=0.3)
            if i == rows - 1:
                ax.set_xlabel(labels.get(factor, factor.split(".")[-1]), fontsize=9)
            if j == 0:
                ax.set_ylabel(output, fontsize=9)
            if i == 0 and j == 0:
                ax.legend(fontsize=7)
    fig.suptitle("Main effects (mean over the other factors, 95% interval over points)", fontsize=10)
    return _save(fig, path)
