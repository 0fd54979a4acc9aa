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
from scipy.special import stdtrit

DPI = 100
MAX_PANELS = 12
COLORS = ["#1b6ca8", "#d1495b", "#2e8b57", "#edae49", "#6a4c93", "#00798c", "#8d6a9f", "#5c5c5c"]
MARKERS = ["o", "s", "^", "D", "v", "P"]
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


def scaling_figure(runs: pd.DataFrame, output: str, exponents: pd.DataFrame, path: Path,
                   cost: pd.DataFrame | None = None, cost_output: str | None = None, note: str = "") -> Path:
    """Result gained against budget per person (a line per lever and size) and against community size.

    ``runs``: lever, replication, budget, people, ``output`` (one row per run). ``cost``: per-point table with
    lever, budget, people and ``cost_output`` (cost per unit of result), drawn as a third panel when given.
    """
    runs = runs.assign(bpp=runs["budget"] / runs["people"])
    levers = list(dict.fromkeys(runs["lever"]))
    sizes = sorted(runs["people"].unique())
    panels = 3 if cost is not None and cost_output else 2
    fig = Figure(figsize=(4.6 * panels, 4.2), layout="constrained")
    ax_budget, ax_size = fig.add_subplot(1, panels, 1), fig.add_subplot(1, panels, 2)
    for i, lever in enumerate(levers):
        color = COLORS[i % len(COLORS)]
        frame = runs[runs["lever"] == lever]
        label = _exponent_label(lever, exponents)
        for j, size in enumerate(sizes):
            cells = frame[frame["people"] == size].groupby("bpp")[output].apply(_mean_ci)
            if cells.empty:
                continue
            x = cells.index.to_numpy(dtype=float)
            m = np.array([c[0] for c in cells])
            h = np.array([c[1] for c in cells])
            ax_budget.errorbar(x, m, yerr=h, color=color, marker=MARKERS[j % len(MARKERS)], markersize=4,
                               linestyle="-", linewidth=1, capsize=2, label=label if j == 0 else None)
        for b in sorted(frame["bpp"].unique()):
            cells = frame[frame["bpp"] == b].groupby("people")[output].apply(_mean_ci)
            ax_size.errorbar(cells.index.to_numpy(dtype=float), [c[0] for c in cells], yerr=[c[1] for c in cells],
                             color=color, marker="o", markersize=3, linewidth=1, capsize=2, alpha=0.9)
    for ax in (ax_budget, ax_size):
        ax.set_xscale("log")
        ax.set_yscale("symlog", linthresh=1e-3)
        ax.axhline(0, color="0.6", linewidth=0.8)
        ax.grid(alpha=0.3, which="both")
    ax_budget.set_xlabel("budget per person over the horizon (log)")
    ax_budget.set_ylabel(f"{output} (paired vs reference; mean, 95% CI)")
    ax_budget.set_title("against budget (markers: community size)", fontsize=10)
    marker_note = ", ".join(f"{MARKERS[j % len(MARKERS)]} {s:,}" for j, s in enumerate(sizes))
    ax_budget.legend(fontsize=7, title=f"lever (budget, size exponents)\nsizes: {marker_note}", title_fontsize=7)
    ax_size.set_xlabel("community size, people (log)")
    ax_size.set_title("against size (one line per budget per person)", fontsize=10)
    if panels == 3:
        ax_cost = fig.add_subplot(1, panels, 3)
        for i, lever in enumerate(levers):
            frame = cost[(cost["lever"] == lever)].assign(bpp=lambda d: d["budget"] / d["people"])
            for j, size in enumerate(sizes):
                sub = frame[frame["people"] == size].sort_values("bpp")
                ax_cost.plot(sub["bpp"], sub[cost_output], color=COLORS[i % len(COLORS)],
                             marker=MARKERS[j % len(MARKERS)], markersize=4, linewidth=1)
        ax_cost.set_xscale("log")
        ax_cost.set_yscale("log")
        ax_cost.grid(alpha=0.3, which="both")
        ax_cost.set_xlabel("budget per person over the horizon (log)")
        ax_cost.set_title(f"{cost_output} (log; gaps: no gain)", fontsize=10)
    fig.suptitle("How each strategy scales" + (f" - {note}" if note else ""), fontsize=11)
    return _save(fig, path)


def _exponent_label(lever: str, exponents: pd.DataFrame) -> str:
    rows = exponents[exponents["lever"] == lever].set_index("term")
    parts = []
    for term in ("budget", "size"):
        if term in rows.index and np.isfinite(rows.loc[term, "estimate"]):
            r = rows.loc[term]
            ci = f" [{r['ci_low']:.2f}, {r['ci_high']:.2f}]" if np.isfinite(r["ci_low"]) else ""
            parts.append(f"{r['estimate']:.2f}{ci}")
        else:
            parts.append("n/a")
    return f"{lever} ({'; '.join(parts)})"


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
