"""Live matplotlib charts of runs (:mod:`simulation.viz.runs`): drawn in full once, then updated each step by
redrawing only what changed (blitting), so a browser app stays responsive at any population size.

Why blitting: building a figure and rendering its axes, ticks, legends and titles costs 0.1-0.4 s of CPU per chart
with matplotlib - six charts would take well over a second a step. Here the static parts (axes, ticks, legends,
colour bars) are rendered once into a background; each step restores it and draws the lines and titles on top,
then encodes the PNG with fast compression. A full redraw happens only when a y-axis must change: when the data
leave it, or (fitted to the data) when they fill less than a quarter of it.

Every time-series chart draws each run it is given - business as usual beside strategies A and B, on the same seed
- in the same styles throughout (:data:`RUN_STYLE`), and the :class:`DifferenceChart` draws strategy minus
business as usual month by month (the paired difference). ``scale`` chooses the y-axes: fitted to the data, the
full 0-1 scale of shares and levels, or the change since month 0.

>>> from simulation import LeadershipModel, Scenario
>>> from simulation.viz.charts import CommunityChart
>>> from simulation.viz.runs import LiveRun
>>> model = LeadershipModel(Scenario(population={"people": 300}, months=6), rng=1)
>>> model.run_for(2)
>>> chart = CommunityChart([LiveRun("business as usual", "baseline", model)])
>>> chart.png()[:4] == b"\\x89PNG"
True
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image

from .runs import BAU, Run, paired_difference

if TYPE_CHECKING:
    from matplotlib.axes import Axes

DPI = 80
RESIDENT_COLOUR = "0.55"
FIT, FULL, CHANGE = "fit to data", "0 to 1", "change since month 0"
SCALES = (FIT, FULL, CHANGE)
RUN_COLOUR = {BAU: "0.35", "A": "#c2185b", "B": "#00796b"}
RUN_DASH = {BAU: "--", "A": "-", "B": "-."}
VISIBLE = 5e-6  # a change that shows at five decimals (+0.00001): below it no cost per point is given
MIN_SPAN = 0.002  # the smallest y-range a fitted axis shows (a share or level): a flat line stays flat


def run_style(run: Run, colour: str | None = None, width: float = 1.4) -> dict:
    """A run's line: its own colour (or the metric's ``colour``) and its dash (business as usual dashed)."""
    return {"color": colour or RUN_COLOUR[run.role], "linestyle": RUN_DASH[run.role], "linewidth": width}


def new_figure(width: float, height: float) -> Figure:
    """A figure on the Agg canvas (thread-safe, headless; never pyplot's global state)."""
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def encode_png(canvas: FigureCanvasAgg) -> bytes:
    """The canvas as PNG with fast compression (the default level costs several times more for ~10% fewer bytes)."""
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def sector_colour(sector: int) -> str:
    """Sector ``s`` is colour ``C{s}`` in every view (network and levers); residents are grey."""
    return f"C{sector % 10}" if sector >= 0 else RESIDENT_COLOUR


def bridging_share(run: Run) -> tuple[np.ndarray, np.ndarray]:
    """Bridging ties as a share of all ties (counts don't compare across population sizes)."""
    months, ties = run.series("ties")
    _, bridging = run.series("bridging_ties")
    return months, np.divide(bridging, ties, out=np.zeros_like(bridging), where=ties > 0)


def metric_series(run: Run, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """A metric's months and values; ``bridging_share`` is derived from the tie counts."""
    return bridging_share(run) if metric == "bridging_share" else run.series(metric)


# ---- the blitting machinery ---------------------------------------------------------------------------------
class LiveChart:
    """A chart: ``png()`` brings it up to date and returns the picture.

    Subclasses build the static parts in :meth:`build` (registering what changes with :meth:`dynamic`) and set the
    data in :meth:`refresh`, returning True when the static parts must be redrawn (an axis changed).
    """

    size: ClassVar[tuple[float, float]] = (6.5, 3.5)

    def __init__(self) -> None:
        self.figure = new_figure(*self.size)
        self._dynamic: list[Artist] = []
        self._background = None
        self.last: bytes | None = None  # the picture last shown (what the page's PNG download gives)
        self.build()

    def build(self) -> None:
        raise NotImplementedError

    def refresh(self) -> bool:
        raise NotImplementedError

    def dynamic(self, artist: Artist) -> Artist:
        """Mark an artist as redrawn every step (excluded from the cached background)."""
        artist.set_animated(True)
        self._dynamic.append(artist)
        return artist

    def forget(self, artist: Artist) -> None:
        """Remove a dynamic artist from the chart (it is replaced by a new one)."""
        self._dynamic.remove(artist)
        artist.remove()

    def png(self) -> bytes:
        """Update from the runs and render: the background once (or when an axis changed), then what changed."""
        canvas = self.figure.canvas
        if self.refresh() or self._background is None:
            canvas.draw()  # animated artists are left out: this is the static background
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._dynamic:
            self.figure.draw_artist(artist)
        self.last = encode_png(canvas)
        return self.last


def grow_limit(ax: Axes, values: np.ndarray, floor: float = 1.0) -> bool:
    """Raise the y-axis top by half again whenever the data reach it (counts); True if it changed."""
    top = float(np.max(values)) if len(values) else 0.0
    current = ax.get_ylim()[1]
    if top <= current * 0.98 and current >= floor:
        return False
    ax.set_ylim(0, max(floor, top * 1.5))
    return True


def fit_limits(ax: Axes, values: np.ndarray, scale: str, min_span: float = MIN_SPAN) -> bool:
    """Set the y-axis for ``scale``; True if it changed.

    ``0 to 1``: the full scale of a share or level. Otherwise fitted: the data's range with a margin, changed only
    when the data leave the axis or fill less than a quarter of it (so most steps redraw nothing static).
    """
    if scale == FULL:
        if ax.get_ylim() == (0.0, 1.02):
            return False
        ax.set_ylim(0.0, 1.02)  # a share at 1 (the largest component) stays visible
        return True
    finite = values[np.isfinite(values)] if len(values) else values
    lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 0.0)
    span = max(hi - lo, min_span)
    now_lo, now_hi = ax.get_ylim()
    if now_lo <= lo and hi <= now_hi and now_hi - now_lo <= 4.0 * span:
        return False
    ax.set_ylim(lo - 0.5 * span, hi + 0.5 * span)  # room to move: the next refit comes after the data grew half
    return True


def _time_axes(ax: Axes, horizon: int, ylabel: str) -> None:
    ax.set_xlim(0, horizon)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("month", fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3)


def _legend(ax: Axes, entries: list[tuple[str, dict]], **kwargs) -> None:
    """A legend of proxy handles (the real lines are animated, so the legend must not depend on them)."""
    handles = [Line2D([], [], label=label, **style) for label, style in entries]
    ax.legend(handles=handles, fontsize=7, loc="upper left", **kwargs)


Getter = Callable[[], tuple[np.ndarray, np.ndarray]]


class TimeChart(LiveChart):
    """A time-series chart of ``runs`` (business as usual first, then the strategies) on y-axes set by ``scale``.

    Subclasses add lines with :meth:`_line`; in the change view each line shows its value minus month 0's.
    """

    def __init__(self, runs: Sequence[Run], scale: str = FIT) -> None:
        if scale not in SCALES:
            raise ValueError(f"scale {scale!r} is not one of {', '.join(SCALES)}")
        self.runs = list(runs)
        self.scale = scale
        self._series: list[tuple[Line2D, Getter, bool]] = []
        self._titles: dict[Axes, Artist] = {}
        super().__init__()

    @property
    def horizon(self) -> int:
        return max(r.horizon for r in self.runs)

    @property
    def strategies(self) -> list[Run]:
        return [r for r in self.runs if not r.is_bau]

    @property
    def bau(self) -> Run | None:
        return next((r for r in self.runs if r.is_bau), None)

    def _line(self, ax: Axes, getter: Getter, level: bool = True, **style) -> None:
        """A line of ``getter``'s data; ``level``: a share or level (shown as change in the change view)."""
        (line,) = ax.plot([], [], **style)
        self.dynamic(line)
        self._series.append((line, getter, level))

    def _set_lines(self) -> dict[Axes, np.ndarray]:
        by_axes: dict[Axes, list[np.ndarray]] = {}
        for line, getter, level in self._series:
            x, y = getter()
            if level and self.scale == CHANGE and len(y):
                y = y - y[0]
            line.set_data(x, y)
            by_axes.setdefault(line.axes, []).append(y)
        return {ax: np.concatenate(ys) for ax, ys in by_axes.items()}

    def _fit(self, data: dict[Axes, np.ndarray], axes: Sequence[Axes]) -> bool:
        changed = [fit_limits(ax, data.get(ax, np.zeros(0)), self.scale) for ax in axes]
        return any(changed)

    def _title(self, ax: Axes, text: str) -> None:
        if ax not in self._titles:
            ax.set_title(" ", fontsize=9)
            self._titles[ax] = self.dynamic(ax.title)
        ax.title.set_text(text)

    def _level_label(self, what: str) -> str:
        return f"change in {what} since month 0" if self.scale == CHANGE else what


# ---- time-series charts -------------------------------------------------------------------------------------
class CommunityChart(TimeChart):
    """The community result of every run (left) and each sector's lever (right; business as usual dashed)."""

    size = (6.5, 3.5)

    def build(self) -> None:
        self.ax, self.levers = self.figure.subplots(1, 2, width_ratios=[3, 2])
        _time_axes(self.ax, self.horizon, self._level_label("community result (0-1)"))
        _time_axes(self.levers, self.horizon, "")
        entries = []
        for run in self.runs:
            style = run_style(run, width=2.0)
            self._line(self.ax, lambda run=run: run.series("community_result"), **style)
            entries.append((run.label, style))
        _legend(self.ax, entries)
        lever_runs = [r for r in (self.bau, *self.strategies[:1]) if r is not None]
        sector_entries = []
        for s, name in enumerate(self.runs[0].sectors):
            for run in lever_runs:
                self._line(self.levers, lambda run=run, name=name: run.series(f"lever.{name}"),
                           **run_style(run, sector_colour(s), 1.0))
            sector_entries.append((name, {"color": sector_colour(s), "linewidth": 1.0}))
        self.levers.set_title("sector levers" + (" (dashed: business as usual)" if len(lever_runs) > 1 else ""),
                              fontsize=8)
        _legend(self.levers, sector_entries, ncols=2)

    def refresh(self) -> bool:
        data = self._set_lines()
        first = self.strategies[0] if self.strategies else self.runs[0]
        result = first.latest("community_result")
        text = f"{first.label}: {result:.4f} ({result - first.first('community_result'):+.4f} since month 0)"
        if self.bau is not None and first is not self.bau:
            text += f"\nbusiness as usual {self.bau.latest('community_result'):.4f}"
        self._title(self.ax, text)
        return self._fit(data, [self.ax, self.levers])


DIFFERENCES: list[tuple[str, str]] = [("engaged_share", "engaged share"), ("leadership_share", "exercising leadership"),
                                      ("mean_collective_capacity", "collective capacity")]


class DifferenceChart(TimeChart):
    """Strategy minus business as usual, month by month, on the same seed: the community result (left), and the
    engaged share, the share exercising leadership and collective capacity (right)."""

    size = (11.0, 3.0)

    def build(self) -> None:
        self.ax, self.others = self.figure.subplots(1, 2)
        _time_axes(self.ax, self.horizon, "community result: strategy - BAU")
        _time_axes(self.others, self.horizon, "strategy - BAU")
        for ax in (self.ax, self.others):
            ax.axhline(0.0, color="0.3", linewidth=0.8)
        entries, other_entries = [], []
        bau = self.bau
        for run in self.strategies if bau is not None else []:
            style = run_style(run, width=2.0)
            self._line(self.ax, lambda run=run: paired_difference(run, bau, "community_result"), level=False,
                       **style)
            entries.append((f"{run.label} - business as usual", style))
            for k, (metric, label) in enumerate(DIFFERENCES):
                self._line(self.others, lambda run=run, metric=metric: paired_difference(run, bau, metric),
                           level=False, **run_style(run, f"C{k}", 1.3))
                if run is self.strategies[0]:
                    other_entries.append((label, {"color": f"C{k}", "linewidth": 1.3}))
        if len(self.strategies) > 1:
            other_entries += [(r.label, run_style(r, "0.2", 1.0)) for r in self.strategies]
        if entries:
            _legend(self.ax, entries)
            _legend(self.others, other_entries, ncols=2)
        else:
            self.ax.text(0.5, 0.5, "no strategy beside business as usual: nothing to compare", ha="center",
                         transform=self.ax.transAxes, fontsize=9, color="0.4")

    def refresh(self) -> bool:
        data = self._set_lines()
        bau = self.bau
        if bau is not None and self.strategies:
            parts = [f"{r.role}: {paired_difference(r, bau, 'community_result')[1][-1]:+.5f}" for r in self.strategies]
            self._title(self.ax, f"Community result, paired difference (same seed), month {bau.month}: "
                                 + ", ".join(parts))
            self._title(self.others, "Shares and levels, paired difference")
        changed = [fit_limits(ax, data.get(ax, np.zeros(0)), FIT, min_span=1e-4) for ax in (self.ax, self.others)]
        return any(changed)


LEVEL_PANELS: dict[str, list[tuple[str, str]]] = {
    "Individual": [("mean_capacity", "mean capacity"), ("mean_collective_capacity", "collective capacity"),
                   ("mean_competence", "individual competence"), ("leadership_share", "exercising leadership"),
                   ("leadership_gini", "concentration (Gini)")],
    "Organization": [("org_practice", "organizational practice")],
    "Network": [("bridging_share", "bridging share of ties"), ("cross_sector_share", "cross-sector share"),
                ("clustering", "clustering"), ("largest_component", "largest component")],
}


class LevelsChart(TimeChart):
    """Individual, organization and network metrics over time, one panel each: metric by colour, run by dash."""

    size = (11.0, 3.3)

    def build(self) -> None:
        self.panels = self.figure.subplots(1, len(LEVEL_PANELS))
        for ax, (title, metrics) in zip(self.panels, LEVEL_PANELS.items(), strict=True):
            first = ax is self.panels[0]
            _time_axes(ax, self.horizon, self._level_label("share or level (0-1)") if first else "")
            ax.set_title(f"{title} level", fontsize=9)
            entries = []
            for k, (metric, label) in enumerate(metrics):
                for run in self.runs:
                    self._line(ax, lambda run=run, metric=metric: metric_series(run, metric),
                               **run_style(run, f"C{k}", 1.3))
                entries.append((label, {"color": f"C{k}", "linewidth": 1.3}))
            if first and len(self.runs) > 1:
                entries += [(r.label, run_style(r, "0.2", 1.0)) for r in self.runs]
            _legend(ax, entries, ncols=2 if len(entries) > 5 else 1)

    def refresh(self) -> bool:
        return self._fit(self._set_lines(), list(self.panels))


class InitiativesChart(TimeChart):
    """Collective initiatives of every run: active and scaled now, formed and failed so far (counts)."""

    STYLE: ClassVar[list[tuple[str, str, str]]] = [
        ("initiatives_active", "active", "C0"), ("initiatives_scaled", "scaled", "C2"),
        ("initiatives_formed", "formed (total)", "C1"), ("initiatives_failed", "failed (total)", "C3"),
    ]

    def build(self) -> None:
        ax = self.ax = self.figure.add_subplot()
        _time_axes(ax, self.horizon, "initiatives")
        ax.set_ylim(0, 5)
        entries = []
        for metric, label, colour in self.STYLE:
            for run in self.runs:
                self._line(ax, lambda run=run, metric=metric: run.series(metric), level=False,
                           **run_style(run, colour, 1.4))
            entries.append((label, {"color": colour, "linewidth": 1.4}))
        if len(self.runs) > 1:
            entries += [(r.label, run_style(r, "0.2", 1.0)) for r in self.runs]
        _legend(ax, entries, ncols=2)

    def refresh(self) -> bool:
        data = self._set_lines()
        parts = [f"{r.role}: {int(r.latest('initiatives_active'))} active, {int(r.latest('initiatives_formed'))} "
                 f"formed" for r in self.runs]
        self._title(self.ax, "Initiatives · " + " · ".join(parts))
        return grow_limit(self.ax, data[self.ax], floor=5.0)


def reach_text(run: Run) -> str:
    """People reached, honestly: distinct people ever reached, and how many of them have since left."""
    reached = int(run.latest("people_reached"))
    left = run.reached_left()
    if left is None:
        return f"{reached:,} people reached (including any who have since left)"
    return f"{reached:,} people reached, of whom {left:,} have left"


class CostReachChart(TimeChart):
    """Money spent (with the budget) and distinct people reached, per strategy (business as usual spends
    nothing)."""

    size = (11.0, 3.3)

    def build(self) -> None:
        self.spent_ax, self.reach_ax = self.figure.subplots(1, 2)
        _time_axes(self.spent_ax, self.horizon, "spent (thousands)")
        _time_axes(self.reach_ax, self.horizon, "people reached (distinct, ever)")
        self.spent_ax.set_ylim(0, 1)
        self.reach_ax.set_ylim(0, 10)
        entries = []
        for run in self.strategies:
            style = run_style(run, width=2.0)
            self._line(self.spent_ax, lambda run=run: _thousands(run.series("cost_spent")), level=False, **style)
            self._line(self.reach_ax, lambda run=run: run.series("people_reached"), level=False, **style)
            entries.append((run.label, style))
        budget = next((r.budget for r in self.strategies if r.budget), None)
        spent_entries = list(entries)
        if budget:
            self.spent_ax.axhline(budget / 1e3, color="0.5", linestyle=":", linewidth=1.0)
            spent_entries.append(("budget", {"color": "0.5", "linestyle": ":", "linewidth": 1.0}))
            self.spent_ax.set_ylim(0, budget / 1e3 * 1.15)
        if entries:
            _legend(self.spent_ax, spent_entries)
            _legend(self.reach_ax, [(f"{label}: people reached (leavers included)", s) for label, s in entries])

    def refresh(self) -> bool:
        data = self._set_lines()
        spent = ", ".join(f"{r.role} {r.latest('cost_spent'):,.0f}" for r in self.strategies) or "none"
        reach = "; ".join(f"{r.role}: {reach_text(r)}" for r in self.strategies) or "no programme"
        self._title(self.spent_ax, f"Money spent: {spent}")
        self._title(self.reach_ax, reach)
        if not self.strategies:
            return False
        grew = grow_limit(self.spent_ax, data[self.spent_ax])
        return grow_limit(self.reach_ax, data[self.reach_ax], floor=10.0) or grew


def _thousands(xy: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    return xy[0], xy[1] / 1e3


TIME_CHARTS: dict[str, tuple[type[TimeChart], str]] = {
    "difference": (DifferenceChart, "The difference the strategy makes: strategy minus business as usual"),
    "community": (CommunityChart, "Community result and sector levers"),
    "initiatives": (InitiativesChart, "Collective initiatives"),
    "levels": (LevelsChart, "Individual, organization and network levels"),
    "cost-reach": (CostReachChart, "Money spent and people reached"),
}
"""Every time-series card of the page, by the name its image's CSS class carries, with its title."""


def summary_text(runs: Sequence[Run]) -> str:
    """One line for the page: month, each strategy's result and its paired difference from business as usual
    (in the units ``leadsim compare`` uses: the 0-1 result, and money per +0.01), spent and reached."""
    bau = next((r for r in runs if r.is_bau), None)
    strategies = [r for r in runs if not r.is_bau]
    head = runs[0]
    parts = [f"Month {head.month} of {head.horizon}"]
    if bau is not None:
        parts.append(f"business as usual {bau.latest('community_result'):.4f}")
    for run in strategies:
        result = run.latest("community_result")
        text = f"{run.label} {result:.4f}"
        if bau is not None:
            diff = result - bau.latest("community_result")
            spent = run.latest("cost_spent")
            per_point = f", {spent / (diff / 0.01):,.0f} per +0.01" if diff >= VISIBLE and spent > 0 else ""
            engaged = run.latest("engaged_share") - bau.latest("engaged_share")
            text += (f" (change {diff:+.5f} vs business as usual, same seed{per_point}; engaged share "
                     f"{engaged:+.3f})")
        parts.append(text)
        parts.append(f"{run.role}: spent {run.latest('cost_spent'):,.0f} · {reach_text(run)}")
    return " · ".join(parts)
