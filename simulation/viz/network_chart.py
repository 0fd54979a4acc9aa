"""The social network on the seeded structural layout (:mod:`simulation.viz.layout`), redrawn cheaply each step.

People are drawn for small populations (a stable sample above :data:`PEOPLE_LIMIT`), organizations and each
place's residents for large ones. Only a live model has a network: results folders store metrics, not ties.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.artist import Artist
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D
from matplotlib.patches import Circle

from simulation.core.network import COMMUNITY

from .charts import RESIDENT_COLOUR, LiveChart, sector_colour
from .layout import network_layout, sample_people

if TYPE_CHECKING:
    from simulation.core.model import LeadershipModel

PEOPLE_LIMIT = 1500  # above this many people the "people" view draws a stable sample of about this many
ORG_LEVEL_FROM = 1500  # "auto" draws the organization-level network from this many people
MAX_EDGES = 6000  # lines drawn at most; beyond this the strongest are kept (the picture is already saturated)
BRIDGE_COLOUR = "0.1"  # bridging ties: dark lines over light colleague/neighbour ties
ENGAGEMENT_CMAP = "Blues"
ENGAGEMENT_NORM = (-0.2, 1.0)  # nobody disappears into the background: zero engagement is a pale blue
COLOUR_BY = ("engagement", "sector")
LEVELS = ("auto", "people", "organizations")


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
        self.model = model
        super().__init__()

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

