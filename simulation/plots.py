"""Every figure leadsim draws: a function that returns a matplotlib ``Figure``, for the CLI and for notebooks.

Run figures read the tidy long table (scenario, replication, seed, month, metric, value) that ``simulation.run``
returns and runs write: :func:`community_figure`, :func:`levels_figure`, :func:`change_figure` (the paired
changes of a comparison) and :func:`compare_figure` (both side by side). Study figures read a study's tables:
:func:`sensitivity_figure`, :func:`main_effects_figure`, :func:`scaling_figure`, :func:`cost_figure`. The CLI and
sweeps save what they return with :func:`save`; in a notebook the returned figure shows itself::

    sim.plot_community(table)                       # simulation.plot_* are these functions
    fig, (a, b) = plt.subplots(1, 2); sim.plot_community(table, ax=a); sim.plot_change(comparison, ax=b)

Single-panel figures take an ``ax`` to draw into (then they return its figure). Without one they draw on a new
:class:`PlotFigure` with the Agg canvas - never pyplot's global state - so they work on headless machines and in
worker processes.

Bands are the 95% confidence interval of the *mean* across replications (t-interval), not the spread of single
runs: they answer "how sure are we of this scenario's average trajectory".
"""

from __future__ import annotations

import io
import math
import os
import textwrap
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator, NullLocator
from scipy.special import stdtrit  # the t quantile; scipy.stats would add half a second to start-up

LEVEL_PANELS: dict[str, list[tuple[str, str]]] = {
    "Individual": [("mean_capacity", "mean capacity"), ("mean_collective_capacity", "collective capacity"),
                   ("mean_competence", "individual competence"), ("leadership_share", "share exercising leadership")],
    "Organization": [("org_practice", "organizational practice")],
    "Network": [("bridging_share", "bridging share of ties"), ("cross_sector_share", "cross-sector share"),
                ("clustering", "clustering"), ("largest_component", "largest component")],
}
STYLES = ["-", "--", ":", "-."]
DPI = 100
POINTS = 100.0
"""Changes are drawn in percentage points of the 0-1 result (0.037, not 0.00037)."""
REFERENCE = {"color": "black", "linestyle": "--", "linewidth": 2.0, "zorder": 4}
"""How a comparison's reference scenario is drawn: on top of the others, so it is never hidden under them."""
MAX_PANELS = 12
# Sixteen distinguishable colours (the first eight dark, then their light partners) and seven markers: a scaling
# study compares every registered strategy, and no two should look alike.
COLORS = ["#1b6ca8", "#d1495b", "#2e8b57", "#edae49", "#6a4c93", "#00798c", "#8d6a9f", "#5c5c5c",
          "#7fb3e0", "#f08e9b", "#8fd19e", "#b8860b", "#b39ddb", "#66c2b4", "#e377c2", "#a6a6a6"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
INDEX_STYLE = {"S1": ("first order S1", "#1b6ca8"), "ST": ("total ST", "#d1495b"), "mu_star": ("mu*", "#1b6ca8"),
               "delta": ("delta", "#d1495b")}


class PlotFigure(Figure):
    """A matplotlib ``Figure`` on the Agg canvas that shows itself in a notebook (as a PNG), without pyplot."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        FigureCanvasAgg(self)

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=DPI)
        return buffer.getvalue()


def save(fig: Figure, path: str | os.PathLike[str]) -> Path:
    """Write ``fig`` as a PNG at ``path`` atomically (a temporary sibling renamed into place: no half-drawn file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    tmp = path.parent / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}-{path.name}"
    try:
        fig.savefig(tmp, dpi=DPI, format="png")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _new(figsize: tuple[float, float]) -> PlotFigure:
    return PlotFigure(figsize=figsize, layout="constrained")


def _figure_of(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    """The figure and axes to draw on: ``ax`` and its figure, or a new figure with one axes."""
    if ax is not None:
        return ax.get_figure(root=True), ax
    fig = _new(figsize)
    return fig, fig.add_subplot()


# ---- run tables ----------------------------------------------------------------------------------------------
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


def _draw_band(ax: Axes, band: pd.DataFrame, label: str, color: str | None = None, style: str = "-",
               **line: object) -> None:
    style_of = {"linestyle": style, "linewidth": 1.6, **line}
    (drawn,) = ax.plot(band["month"], band["mean"], color=color, label=label, **style_of)
    if band["low"].notna().any():
        ax.fill_between(band["month"], band["low"], band["high"], color=drawn.get_color(), alpha=0.15, linewidth=0,
                        zorder=drawn.get_zorder() - 0.5)


def _reps_note(table: pd.DataFrame) -> str:
    n = table.groupby("scenario")["replication"].nunique().min()
    return f"mean of {n} replication{'s' if n != 1 else ''}" + (", 95% CI band" if n > 1 else "")


def community_figure(table: pd.DataFrame, ax: Axes | None = None, reference: str | None = None) -> Figure:
    """The community result over time, one line (and band) per scenario; ``reference`` (a scenario name) is drawn
    black and dashed on top of the others, as in a comparison."""
    fig, ax = _figure_of(ax, (7, 4))
    band = mean_band(table, "community_result")
    others = [name for name in scenarios_in(table) if name != reference]
    for i, name in enumerate(others):
        _draw_band(ax, band[band["scenario"] == name], name, scenario_colour(i, len(others)))
    if reference is not None:
        _draw_band(ax, band[band["scenario"] == reference], f"{reference} (reference)", **REFERENCE)
    ax.set(xlabel="month", ylabel="community result (0-1)", title=f"Community result ({_reps_note(table)})")
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return fig


def _wrap_name(name: str, width: int) -> str:
    """A scenario name wrapped to ``width`` characters, preferably after an underscore, not inside a word."""
    if len(name) <= width:
        return name
    return textwrap.fill(name.replace("_", "_ "), width).replace("_ ", "_")


def scenario_colour(i: int, count: int) -> str:
    """The colour of the i-th of ``count`` scenarios: matplotlib's ten cycle colours, or :data:`COLORS`' sixteen
    when there are more than ten (so no two scenarios of a comparison share one)."""
    return f"C{i % 10}" if count <= 10 else COLORS[i % len(COLORS)]


def levels_figure(table: pd.DataFrame) -> Figure:
    """Panels for the individual, organization and network levels (colour: scenario; line style: metric).

    Each panel's legend names its metrics by line style; one legend under the panels names the scenarios by colour,
    so the panels stay readable however many scenarios a comparison has."""
    names = scenarios_in(table)
    rows = -(-len(names) // 4) if len(names) > 1 else 0  # the scenario legend's rows, four names a row
    fig = _new((13, 4 + 0.25 * rows))
    axes = fig.subplots(1, len(LEVEL_PANELS), sharex=True)
    colors = [scenario_colour(i, len(names)) for i in range(len(names))]
    for ax, (title, metrics) in zip(axes, LEVEL_PANELS.items(), strict=True):
        for k, (style, (metric, label)) in enumerate(zip(STYLES, metrics, strict=False)):
            band = mean_band(table, metric)
            own = f"C{k}"  # one scenario: each metric its own colour too
            for name, color in zip(names, colors, strict=True):
                _draw_band(ax, band[band["scenario"] == name], "_nolegend_", color if len(names) > 1 else own, style)
            ax.plot([], [], color="black" if len(names) > 1 else own, linestyle=style, label=label)
        ax.set(title=f"{title} level", xlabel="month", ylabel="share or level (0-1)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize="x-small")
    if len(names) > 1:
        handles = [Line2D([], [], color=color, linewidth=2) for color in colors]
        fig.legend(handles, names, loc="outside lower center", ncols=min(4, len(names)), fontsize="small")
    fig.suptitle(f"Individual, organization and network levels ({_reps_note(table)})")
    return fig


def change_figure(comparison: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """The paired change of each scenario against the first row's (the reference), with its 95% interval.

    ``comparison`` is :func:`simulation.paired_comparison`'s table (scenario, change, ci_low, ci_high).
    """
    fig, ax = _figure_of(ax, (5, 1.6 + 0.5 * len(comparison)))
    reference, others = comparison.iloc[0]["scenario"], comparison.iloc[1:]
    y = np.arange(len(others))[::-1]
    err = np.nan_to_num(np.vstack([others["change"] - others["ci_low"], others["ci_high"] - others["change"]]) * POINTS)
    for i, (yi, (_, row), e) in enumerate(zip(y, others.iterrows(), err.T, strict=True)):
        ax.errorbar(row["change"] * POINTS, yi, xerr=e.reshape(2, 1), fmt="o", color=scenario_colour(i, len(others)),
                    capsize=4)
    ax.axvline(0.0, **{**REFERENCE, "linewidth": 1.2})
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.set_yticks(y, [_wrap_name(str(name), 22) for name in others["scenario"]])
    ax.set_ylim(-0.7, len(others) - 0.3)
    label = f"change in final community result, percentage points, vs {reference} (dashed line)"
    ax.set(xlabel=textwrap.fill(label, 44), title="Paired change, 95% CI (same seeds)")
    ax.grid(alpha=0.3, axis="x")
    return fig


def compare_figure(table: pd.DataFrame, comparison: pd.DataFrame | None = None) -> Figure:
    """Left: the community result of each scenario (the reference dashed, on top). Right: :func:`change_figure`.
    A scenario has the same colour in both panels. ``comparison`` defaults to ``paired_comparison(table)`` (every
    scenario against the first)."""
    if comparison is None:
        from .compare import paired_comparison

        comparison = paired_comparison(table)
    fig = _new((11, 4.2))
    left, right = fig.subplots(1, 2, width_ratios=[3, 2])
    community_figure(table, left, reference=comparison.iloc[0]["scenario"])
    change_figure(comparison, right)
    return fig


# ---- study tables ----------------------------------------------------------------------------------------------
def sensitivity_figure(indices: pd.DataFrame, lever: str | None = None, labels: dict[str, str] | None = None,
                       group_columns: list[str] | None = None) -> Figure:
    """One lever's indices (sensitivity.csv; default: the first lever): a panel per output and factor combination,
    bars with their bootstrap intervals."""
    labels = labels or {}
    group_columns = group_columns or []
    lever = str(indices["lever"].iloc[0]) if lever is None else lever
    frame = indices[indices["lever"].astype(str) == str(lever)]
    keys = [*group_columns, "output"]
    panels = list(frame.groupby(keys, sort=False))[:MAX_PANELS]
    cols = min(3, len(panels))
    rows = math.ceil(len(panels) / cols)
    n_params = frame["parameter"].nunique()
    fig = _new((4.4 * cols, 0.9 + rows * (0.5 + 0.32 * n_params)))
    for k, (key, panel) in enumerate(panels):
        ax = fig.add_subplot(rows, cols, k + 1)
        _index_panel(ax, panel, labels)
        key = key if isinstance(key, tuple) else (key,)
        title = str(key[-1]) + "".join(f"\n{c}={v}" for c, v in zip(group_columns, key[:-1], strict=False))
        ax.set_title(title, fontsize=9)
    method = str(frame["method"].iloc[0])
    title = f"{METHOD_WORDS.get(method, method)} sensitivity - lever {lever} (bars: {_conf_words(method)})"
    fig.suptitle(textwrap.fill(title, int(13 * fig.get_figwidth())), fontsize=10)  # ~13 characters an inch
    return fig


METHOD_WORDS = {"sobol": "Sobol", "morris": "Morris", "latin": "Latin hypercube (RBD-FAST)"}


def _conf_words(method: str) -> str:
    return "index with its bootstrap interval" if method != "morris" else "mu* with its bootstrap interval"


def _index_panel(ax, panel: pd.DataFrame, labels: dict[str, str]) -> None:
    kinds = [k for k in ("S1", "ST", "mu_star", "delta") if k in set(panel["index"])]
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


def _mean_ci(values: pd.Series) -> tuple[float, float]:
    v = values.dropna().to_numpy(dtype=float)
    if len(v) == 0:
        return float("nan"), float("nan")
    half = float(stdtrit(len(v) - 1, 0.975) * v.std(ddof=1) / np.sqrt(len(v))) if len(v) > 1 else 0.0
    return float(v.mean()), half


def scaling_figure(runs: pd.DataFrame, output: str, exponents: pd.DataFrame, note: str = "") -> Figure:
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
    fig = _new((11, 8))
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
    return fig


def cost_figure(points: pd.DataFrame, cost_output: str) -> Figure:
    """Cost per unit of result against budget per person, one panel per community size (log scales)."""
    points = points.assign(bpp=points["budget"] / points["people"])
    levers = list(dict.fromkeys(points["lever"]))
    sizes = sorted(points["people"].unique())
    fig = _new((3.8 * len(sizes), 3.6))
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
    return fig


def main_effects_figure(points: pd.DataFrame, factors: list[str], outputs: list[str], levers: list[str],
                        labels: dict[str, str] | None = None) -> Figure:
    """Factorial designs: each factor's main effect on each output - the mean over every other factor at each of
    its levels (with a 95% t-interval over those points), one line per lever. A paired gain that changes sign
    across a factor's levels is where the answer to "which approach wins" depends on that condition."""
    labels = labels or {}
    rows, cols = len(outputs), len(factors)
    fig = _new((3.3 * cols, 2.8 * rows + 0.6))
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
    return fig


# ---- calibration (leadsim calibrate: simulation/calibration/) ------------------------------------------------
Priors = dict[str, tuple[object, str]]
"""Dotted path -> (the prior's frozen scipy.stats distribution, the label to show)."""


def _grid(n: int, cols: int = 3) -> tuple[int, int]:
    cols = max(1, min(cols, n))
    return math.ceil(n / cols), cols


def marginals_figure(posterior: pd.DataFrame, priors: Priors) -> Figure:
    """Each fitted parameter: the prior's density (line) beside the weighted posterior (histogram), on the prior's
    range - a posterior that fills the prior is a parameter the targets do not constrain."""
    rows, cols = _grid(len(priors))
    fig = _new((4.0 * cols, 2.8 * rows))
    w = posterior["weight"].to_numpy()
    for k, (path, (rv, label)) in enumerate(priors.items()):
        ax = fig.add_subplot(rows, cols, k + 1)
        low, high = rv.ppf(0.0), rv.ppf(1.0)  # type: ignore[attr-defined]
        bins = np.linspace(low, high, 21)
        ax.hist(posterior[path], bins=bins, weights=w, density=True, color=COLORS[0], alpha=0.6, label="posterior")
        x = np.linspace(low, high, 200)
        ax.plot(x, rv.pdf(x), color=COLORS[1], lw=2, label="prior")  # type: ignore[attr-defined]
        ax.set_title(_short(label, 40), fontsize=9)
        ax.set_yticks([])
        if k == 0:
            ax.legend(fontsize=8)
    fig.suptitle("Prior and posterior of each fitted parameter", fontsize=10)
    return fig


def pairs_figure(posterior: pd.DataFrame, labels: dict[str, str]) -> Figure:
    """Every pair of fitted parameters: the posterior's particles (size by weight); marginals on the diagonal."""
    paths = list(labels)
    n = len(paths)
    fig = _new((1.9 * n + 1, 1.9 * n + 0.6))
    w = posterior["weight"].to_numpy()
    size = 4 + 60 * w / max(w.max(), 1e-12)
    for i, row in enumerate(paths):
        for j, col in enumerate(paths):
            ax = fig.add_subplot(n, n, i * n + j + 1)
            if i == j:
                ax.hist(posterior[col], bins=15, weights=w, color=COLORS[0], alpha=0.7)
                ax.set_yticks([])
            else:
                ax.scatter(posterior[col], posterior[row], s=size, color=COLORS[0], alpha=0.5, linewidths=0)
            ax.tick_params(labelsize=6)
            if i == n - 1:
                ax.set_xlabel(_short(labels[col], 18), fontsize=7)
            if j == 0 and i != j:
                ax.set_ylabel(_short(labels[row], 18), fontsize=7)
    fig.suptitle("Posterior: every pair of fitted parameters", fontsize=10)
    return fig


def generations_figure(generations: pd.DataFrame) -> Figure:
    """Epsilon and the acceptance rate of each generation (the first generation's epsilon is infinite)."""
    fig = _new((8.5, 3.2))
    left, right = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    finite = generations[np.isfinite(generations["epsilon"])]
    left.plot(finite["generation"], finite["epsilon"], marker="o", color=COLORS[0])
    left.set(xlabel="generation", ylabel="epsilon", title="tolerance (distance to the evidence)")
    right.plot(generations["generation"], generations["acceptance"], marker="o", color=COLORS[1])
    right.set(xlabel="generation", ylabel="acceptance rate", title="accepted / simulated", ylim=(0, 1.05))
    for ax in (left, right):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def predictive_figure(predictive: pd.DataFrame, targets: list[tuple[str, float, float, str]]) -> Figure:
    """The posterior predictive check: per target, its interval (band) beside the distribution of the measurement
    that draws from the posterior produce on new seeds (``predictive``: columns target, value)."""
    rows, cols = _grid(len(targets), 4)
    fig = _new((3.4 * cols, 2.5 * rows))
    for k, (ident, low, high, unit) in enumerate(targets):
        ax = fig.add_subplot(rows, cols, k + 1)
        values = predictive.loc[predictive["target"] == ident, "value"].to_numpy(dtype=float)
        values = values[np.isfinite(values)]
        ax.axvspan(low, high, color=COLORS[2], alpha=0.25, label="target interval")
        if len(values):
            ax.hist(values, bins=15, color=COLORS[0], alpha=0.7, label="posterior predictive")
            inside = float(np.mean((values >= low) & (values <= high)))
            ax.set_title(f"{_short(ident, 34)}\n{inside:.0%} inside", fontsize=8)
        else:
            ax.set_title(f"{_short(ident, 34)}\nnothing measured", fontsize=8)
        ax.set_xlabel(unit, fontsize=7)
        ax.set_yticks([])
        ax.tick_params(labelsize=7)
        if k == 0:
            ax.legend(fontsize=6)
    fig.suptitle("Posterior predictive check: each target's interval and what the posterior produces", fontsize=10)
    return fig
