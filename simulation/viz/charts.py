"""Live matplotlib charts of a running model: drawn in full once, then updated each step by redrawing only what
changed (blitting), so a browser app stays responsive at any population size.

Why blitting: building a figure and rendering its axes, ticks, legends and titles costs 0.1-0.4 s of CPU per chart
with matplotlib - five charts would take well over a second a step. Here the static parts (axes, ticks, legends,
place outlines, colour bars) are rendered once into a background; each step restores it and draws the lines,
points and titles on top, then encodes the PNG with fast compression. A full redraw happens only when a y-axis
must grow (counts such as initiatives or people reached) - by half again each time, so rarely.

Time series read the model's own metrics table (``model.recorder``), the numbers that results folders hold.

>>> from simulation import LeadershipModel, Scenario
>>> from simulation.viz.charts import CommunityChart
>>> model = LeadershipModel(Scenario(population={"people": 300}, months=6), rng=1)
>>> model.run_for(2)
>>> chart = CommunityChart(model)
>>> chart.png()[:4] == b"\\x89PNG"
True
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle
from PIL import Image

from simulation.core.network import COMMUNITY

from .layout import network_layout, sample_people

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from simulation.core.model import LeadershipModel

DPI = 80
PEOPLE_LIMIT = 1500  # above this many people the "people" view draws a stable sample of about this many
ORG_LEVEL_FROM = 1500  # "auto" draws the organization-level network from this many people
MAX_EDGES = 6000  # lines drawn at most; beyond this the strongest are kept (the picture is already saturated)
RESIDENT_COLOUR = "0.55"
BRIDGE_COLOUR = "0.1"  # bridging ties: dark lines over light colleague/neighbour ties
ENGAGEMENT_CMAP = "Blues"
ENGAGEMENT_NORM = (-0.2, 1.0)  # nobody disappears into the background: zero engagement is a pale blue
COLOUR_BY = ("engagement", "sector")
LEVELS = ("auto", "people", "organizations")


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


def series(model: LeadershipModel, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Months 0..now and the values of one metric, straight from the model's recorder."""
    rec = model.recorder
    upto = min(model.month, rec.values.shape[0] - 1)
    return rec.months[: upto + 1], rec.values[: upto + 1, rec.index[name]]


def latest(model: LeadershipModel, name: str) -> float:
    return float(series(model, name)[1][-1])


def bridging_share(model: LeadershipModel) -> tuple[np.ndarray, np.ndarray]:
    """Bridging ties as a share of all ties (counts don't compare across population sizes)."""
    months, ties = series(model, "ties")
    _, bridging = series(model, "bridging_ties")
    return months, np.divide(bridging, ties, out=np.zeros_like(bridging), where=ties > 0)


def summary_text(model: LeadershipModel) -> str:
    """One line for the page: month, result, engaged, initiatives, spent, reached."""
    result = latest(model, "community_result")
    return (f"Month {model.month} of {model.params.months} · community result {result:.3f} "
            f"({result - model.initial_result:+.3f}) · engaged {latest(model, 'engaged_share'):.0%} · "
            f"initiatives active {int(latest(model, 'initiatives_active'))} · "
            f"spent {latest(model, 'cost_spent'):,.0f} · people reached {int(latest(model, 'people_reached')):,}")


# ---- the blitting machinery ---------------------------------------------------------------------------------
class LiveChart:
    """A chart of one model: ``png()`` brings it up to date and returns the picture.

    Subclasses build the static parts in :meth:`build` (registering what changes with :meth:`dynamic`) and set the
    data in :meth:`refresh`, returning True when the static parts must be redrawn (an axis grew).
    """

    size: ClassVar[tuple[float, float]] = (6.5, 3.5)

    def __init__(self, model: LeadershipModel) -> None:
        self.model = model
        self.figure = new_figure(*self.size)
        self._dynamic: list[Artist] = []
        self._background = None
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
        """Update from the model and render: the background once (or when an axis grew), then what changed."""
        canvas = self.figure.canvas
        if self.refresh() or self._background is None:
            canvas.draw()  # animated artists are left out: this is the static background
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._dynamic:
            self.figure.draw_artist(artist)
        return encode_png(canvas)


def grow_limit(ax: Axes, values: np.ndarray, floor: float = 1.0) -> bool:
    """Raise the y-axis top by half again whenever the data reach it; True if it changed."""
    top = float(np.max(values)) if len(values) else 0.0
    current = ax.get_ylim()[1]
    if top <= current * 0.98 and current >= floor:
        return False
    ax.set_ylim(0, max(floor, top * 1.5))
    return True


def _time_axes(ax: Axes, model: LeadershipModel, ylabel: str) -> None:
    ax.set_xlim(0, model.params.months)
    ax.set_ylim(0, 1.02)  # a share at 1 (the largest component) stays visible
    ax.set_xlabel("month", fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3)


def _legend(ax: Axes, entries: list[tuple[str, dict]], **kwargs) -> None:
    """A legend of proxy handles (the real lines are animated, so the legend must not depend on them)."""
    handles = [Line2D([], [], label=label, **style) for label, style in entries]
    ax.legend(handles=handles, fontsize=7, loc="upper left", **kwargs)


class _Lines(LiveChart):
    """Helper for time-series charts: lines registered with a getter of their data."""

    def _line(self, ax: Axes, getter, **style) -> None:
        (line,) = ax.plot([], [], **style)
        self.dynamic(line)
        self._series = getattr(self, "_series", [])
        self._series.append((line, getter))

    def _set_lines(self) -> dict[Axes, list[np.ndarray]]:
        by_axes: dict[Axes, list[np.ndarray]] = {}
        for line, getter in self._series:
            x, y = getter()
            line.set_data(x, y)
            by_axes.setdefault(line.axes, []).append(y)
        return by_axes

    def _title(self, ax: Axes, text: str) -> None:
        if not hasattr(self, "_titles"):
            self._titles: dict[Axes, Artist] = {}
        if ax not in self._titles:
            ax.set_title(" ", fontsize=9)
            self._titles[ax] = self.dynamic(ax.title)
        ax.title.set_text(text)


# ---- time-series charts -------------------------------------------------------------------------------------
class CommunityChart(_Lines):
    """The community result and each sector's lever (same colours as the sectors in the network view)."""

    def build(self) -> None:
        m = self.model
        ax = self.ax = self.figure.add_subplot()
        _time_axes(ax, m, "level (0-1)")
        self._line(ax, lambda: series(m, "community_result"), color="black", linewidth=2.2)
        entries = [("community result", {"color": "black", "linewidth": 2.2})]
        for s, name in enumerate(m.params.population.sectors):
            self._line(ax, lambda name=name: series(m, f"lever.{name}"), color=sector_colour(s), linewidth=1.0)
            entries.append((f"lever: {name}", {"color": sector_colour(s), "linewidth": 1.0}))
        _legend(ax, entries, ncols=2)

    def refresh(self) -> bool:
        m = self.model
        data = self._set_lines()
        result = latest(m, "community_result")
        self._title(self.ax, f"Community result {result:.3f} ({result - m.initial_result:+.3f} since month 0) "
                             "and sector levers")
        return grow_limit(self.ax, np.concatenate(data[self.ax]))


LEVEL_PANELS: dict[str, list[tuple[str, str]]] = {
    "Individual": [("mean_capacity", "mean capacity"), ("mean_collective_capacity", "collective capacity"),
                   ("mean_competence", "individual competence"), ("leadership_share", "exercising leadership"),
                   ("leadership_gini", "concentration (Gini)")],
    "Organization": [("org_practice", "organizational practice")],
    "Network": [("bridging_share", "bridging share of ties"), ("cross_sector_share", "cross-sector share"),
                ("clustering", "clustering"), ("largest_component", "largest component")],
}


class LevelsChart(_Lines):
    """Individual, organization and network metrics over time, one panel each (shares and levels, 0-1)."""

    size = (11.0, 3.3)

    def build(self) -> None:
        m = self.model
        axes = self.figure.subplots(1, len(LEVEL_PANELS), sharey=True)
        for ax, (title, metrics) in zip(axes, LEVEL_PANELS.items(), strict=True):
            _time_axes(ax, m, "share or level (0-1)" if ax is axes[0] else "")
            ax.set_title(f"{title} level", fontsize=9)
            entries = []
            for k, (metric, label) in enumerate(metrics):
                getter = (lambda: bridging_share(m)) if metric == "bridging_share" else \
                    (lambda metric=metric: series(m, metric))
                self._line(ax, getter, color=f"C{k}", linewidth=1.3)
                entries.append((label, {"color": f"C{k}", "linewidth": 1.3}))
            _legend(ax, entries)

    def refresh(self) -> bool:
        self._set_lines()
        return False  # every panel is a share or a level in 0-1


class InitiativesChart(_Lines):
    """Collective initiatives: active and scaled now, formed and failed so far; the engaged share (right axis)."""

    STYLE: ClassVar[list[tuple[str, str, dict]]] = [
        ("initiatives_active", "active", {"color": "C0", "linewidth": 1.8}),
        ("initiatives_scaled", "scaled", {"color": "C2", "linewidth": 1.4}),
        ("initiatives_formed", "formed (total)", {"color": "C1", "linestyle": "--", "linewidth": 1.2}),
        ("initiatives_failed", "failed (total)", {"color": "C3", "linestyle": ":", "linewidth": 1.2}),
    ]

    def build(self) -> None:
        m = self.model
        ax = self.ax = self.figure.add_subplot()
        _time_axes(ax, m, "initiatives")
        ax.set_ylim(0, 5)
        for metric, _, style in self.STYLE:
            self._line(ax, lambda metric=metric: series(m, metric), **style)
        right = self.figure.axes[0].twinx()
        right.set_ylim(0, 1)
        right.set_ylabel("engaged share", fontsize=8)
        right.tick_params(labelsize=7)
        self._line(right, lambda: series(m, "engaged_share"), color="0.35", linewidth=1.0)
        entries = [(label, style) for _, label, style in self.STYLE]
        _legend(ax, entries + [("engaged share (right)", {"color": "0.35", "linewidth": 1.0})])

    def refresh(self) -> bool:
        m = self.model
        data = self._set_lines()
        self._title(self.ax, f"Initiatives: {int(latest(m, 'initiatives_active'))} active now, "
                             f"{int(latest(m, 'initiatives_formed'))} formed so far; "
                             f"engaged {latest(m, 'engaged_share'):.0%}")
        return grow_limit(self.ax, np.concatenate(data[self.ax]), floor=5.0)


class CostReachChart(_Lines):
    """Money spent and people reached, in all and per intervention."""

    size = (11.0, 3.3)

    def build(self) -> None:
        m = self.model
        self.spent_ax, self.reach_ax = self.figure.subplots(1, 2)
        _time_axes(self.spent_ax, m, "spent (thousands)")
        _time_axes(self.reach_ax, m, "people reached")
        self._line(self.spent_ax, lambda: _thousands(series(m, "cost_spent")), color="black", linewidth=2.0)
        self._line(self.reach_ax, lambda: series(m, "people_reached"), color="black", linewidth=2.0)
        spent_entries = [("all", {"color": "black", "linewidth": 2.0})]
        if len(m.interventions) > 1:
            for k, iv in enumerate(m.interventions):
                label = iv.label
                self._line(self.spent_ax, lambda label=label: _thousands(series(m, f"cost_spent.{label}")),
                           color=f"C{k}", linewidth=1.2)
                self._line(self.reach_ax, lambda label=label: series(m, f"people_reached.{label}"),
                           color=f"C{k}", linewidth=1.2)
                spent_entries.append((label, {"color": f"C{k}", "linewidth": 1.2}))
        if m.params.budget:
            self.spent_ax.axhline(m.params.budget / 1e3, color="0.5", linestyle="--", linewidth=1.0)
            spent_entries.append(("budget", {"color": "0.5", "linestyle": "--", "linewidth": 1.0}))
            self.spent_ax.set_ylim(0, m.params.budget / 1e3 * 1.15)
        _legend(self.spent_ax, spent_entries)
        _legend(self.reach_ax, [("each person once" if i == 0 else label, style)
                                for i, (label, style) in enumerate(spent_entries) if label != "budget"])

    def refresh(self) -> bool:
        m = self.model
        data = self._set_lines()
        names = ", ".join(iv.label for iv in m.interventions) or "no intervention"
        self._title(self.spent_ax, f"Money spent: {latest(m, 'cost_spent'):,.0f} ({names})")
        self._title(self.reach_ax, f"People reached: {int(latest(m, 'people_reached')):,}")
        grew = grow_limit(self.spent_ax, np.concatenate(data[self.spent_ax]))
        return grow_limit(self.reach_ax, np.concatenate(data[self.reach_ax]), floor=10.0) or grew


def _thousands(xy: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    return xy[0], xy[1] / 1e3


# ---- the network --------------------------------------------------------------------------------------------
def choose_level(model: LeadershipModel, level: str = "auto") -> str:
    """``people`` or ``organizations``: what ``auto`` means for this population."""
    if level not in LEVELS:
        raise ValueError(f"level {level!r} is not one of {', '.join(LEVELS)}")
    if level != "auto":
        return level
    alive = int(model.people.alive[: model.people.count].sum())
    return "people" if alive < ORG_LEVEL_FROM else "organizations"


def _strongest(weight: np.ndarray, limit: int) -> np.ndarray:
    """Indices of the ``limit`` largest weights (all if fewer)."""
    if len(weight) <= limit:
        return np.arange(len(weight))
    return np.argpartition(weight, len(weight) - limit)[-limit:]


class NetworkChart(LiveChart):
    """The social network on the seeded structural layout (:mod:`simulation.viz.layout`): people (a stable sample
    above :data:`PEOPLE_LIMIT`) or, for large populations, organizations and each place's residents."""

    size = (6.5, 5.6)

    def __init__(self, model: LeadershipModel, colour_by: str = "engagement", level: str = "auto") -> None:
        if colour_by not in COLOUR_BY:
            raise ValueError(f"colour_by {colour_by!r} is not one of {', '.join(COLOUR_BY)}")
        self.colour_by = colour_by
        self.level = choose_level(model, level)
        self._layers: list[Artist] = []
        super().__init__(model)

    def build(self) -> None:
        m = self.model
        ax = self.ax = self.figure.add_subplot()
        ax.set_axis_off()
        ax.set_aspect("equal")
        ax.set_xlim(-1.05, 1.05)
        ax.set_ylim(-1.08, 1.05)
        layout = network_layout(m)
        for k, (x, y) in enumerate(layout.place_xy):
            ax.add_patch(Circle((x, y), layout.place_radius, facecolor="0.97", edgecolor="0.85", linewidth=0.8))
            if len(layout.place_xy) > 1:
                ax.text(x, y + layout.place_radius * 1.01, f"place {k + 1}", ha="center", va="bottom",
                        fontsize=7, color="0.45")
        if self.colour_by == "engagement":
            label = "engagement" if self.level == "people" else "mean engagement of members"
            bar = self.figure.colorbar(ScalarMappable(Normalize(*ENGAGEMENT_NORM), ENGAGEMENT_CMAP), ax=ax, shrink=0.6,
                                       label=label)
            bar.ax.set_ylim(0, 1)
        else:
            names = list(m.params.population.sectors) + ["residents"]
            colours = [sector_colour(s) for s in range(len(names) - 1)] + [RESIDENT_COLOUR]
            ax.legend(handles=[Line2D([], [], marker="o", linestyle="", color=c, label=n, markersize=5)
                               for n, c in zip(names, colours, strict=True)],
                      fontsize=7, loc="lower left", frameon=False, bbox_to_anchor=(-0.02, -0.05))
        ax.set_title(" \n ", fontsize=9)
        self.dynamic(ax.title)

    def refresh(self) -> bool:
        for artist in self._layers:
            self.forget(artist)
        if self.level == "people":
            self._layers, title = self._people()
        else:
            self._layers, title = self._organizations()
        for artist in self._layers:
            self.dynamic(artist)
        self.ax.title.set_text(title)
        return False

    def _people(self) -> tuple[list[Artist], str]:
        m, ax = self.model, self.ax
        p, t, layout = m.people, m.ties, network_layout(m)
        ids = sample_people(m, PEOPLE_LIMIT)
        where = np.full(p.count, -1, dtype=np.int64)
        where[ids] = np.arange(len(ids))
        xy = layout.people_xy(m, ids)
        among = np.flatnonzero((where[t.src] >= 0) & (where[t.dst] >= 0))
        among = among[_strongest(t.weight[among], MAX_EDGES)]
        bridge = t.kind[among] > COMMUNITY
        layers: list[Artist] = []
        for mask, colour, alpha in ((~bridge, "0.65", 0.3), (bridge, BRIDGE_COLOUR, 0.12)):
            e = among[mask]
            segments = np.stack([xy[where[t.src[e]]], xy[where[t.dst[e]]]], axis=1)
            layers.append(ax.add_collection(LineCollection(segments, colors=colour, alpha=alpha,
                                                           linewidths=0.3 + 0.8 * t.weight[e]),
                                            autolim=False))
        size = np.array([6.0, 14.0, 30.0])[p.position[ids]]
        edge = np.where(p.initiative[ids] >= 0, "black", "none")
        if self.colour_by == "engagement":
            colours = {"c": p.engagement[ids], "cmap": ENGAGEMENT_CMAP, "norm": Normalize(*ENGAGEMENT_NORM)}
        else:
            colours = {"c": [sector_colour(int(s)) for s in p.sector[ids]]}
        layers.append(ax.scatter(xy[:, 0], xy[:, 1], s=size, edgecolors=edge, linewidths=0.6, **colours))
        alive = int(p.alive[: p.count].sum())
        shown = f"{len(ids):,} of {alive:,} people (a stable sample)" if len(ids) < alive else f"{alive:,} people"
        title = (f"Month {m.month}: {shown}, {len(among):,} ties ({int(bridge.sum()):,} bridging: dark)\n"
                 "size: staff / manager / executive; black ring: in an initiative")
        return layers, title

    def _organizations(self) -> tuple[list[Artist], str]:
        """One node per organization and one per place's residents; lines are ties between them, summed."""
        m, ax = self.model, self.ax
        p, t, layout = m.people, m.ties, network_layout(m)
        n_orgs, n_places, n = m.orgs.count, len(layout.place_xy), p.count
        node = np.where(p.org[:n] >= 0, p.org[:n], n_orgs + p.place[:n]).astype(np.int64)
        alive = p.alive[:n]
        n_nodes = n_orgs + n_places
        members = np.bincount(node[alive], minlength=n_nodes).astype(float)
        engagement = np.bincount(node[alive], weights=p.engagement[:n][alive], minlength=n_nodes)
        mean_engagement = np.divide(engagement, members, out=np.zeros(n_nodes), where=members > 0)
        sector = np.r_[m.orgs.sector.astype(np.int64), np.full(n_places, -1)]
        xy = np.vstack([layout.org_xy, layout.place_xy])
        a, b = node[t.src], node[t.dst]
        between = a != b
        lo, hi = np.minimum(a[between], b[between]), np.maximum(a[between], b[between])
        pairs, counts = np.unique(lo * n_nodes + hi, return_counts=True)
        keep = _strongest(counts.astype(float), MAX_EDGES)
        pairs, counts = pairs[keep], counts[keep]
        first, second = pairs // n_nodes, pairs % n_nodes
        segments = np.stack([xy[first], xy[second]], axis=1)
        cross = sector[first] != sector[second]
        layers: list[Artist] = []
        for mask, colour, alpha in ((~cross, "0.6", 0.2), (cross, BRIDGE_COLOUR, 0.1)):
            layers.append(ax.add_collection(LineCollection(segments[mask], colors=colour, alpha=alpha,
                                                           linewidths=0.2 + 0.4 * np.log1p(counts[mask])),
                                            autolim=False))
        shown = np.flatnonzero(members > 0)
        size = 4.0 + 400.0 * members[shown] / max(1.0, members.max())
        if self.colour_by == "engagement":
            colours = {"c": mean_engagement[shown], "cmap": ENGAGEMENT_CMAP, "norm": Normalize(*ENGAGEMENT_NORM)}
        else:
            colours = {"c": [sector_colour(int(s)) for s in sector[shown]]}
        layers.append(ax.scatter(xy[shown, 0], xy[shown, 1], s=size, edgecolors="0.35", linewidths=0.3,
                                 **colours))
        title = (f"Month {m.month}: {int(alive.sum()):,} people as {n_orgs:,} organizations and the residents "
                 f"of {n_places} places\n{len(pairs):,} links (ties between them, summed; dark: across sectors); "
                 "size: people")
        return layers, title

