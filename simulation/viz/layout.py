"""Where to draw people and organizations: a structured layout computed once per model, seeded, O(n).

Why not a spring layout: a force-directed layout of thousands of nodes costs seconds per call and moves every node
when the network changes, so a browser app that recomputed it each step would freeze and the picture would jump.
The layout here reads the model's structure instead of its ties:

* places (neighbourhoods, towns) sit on a circle;
* inside a place, each sector has a wedge, and the place's organizations of that sector fill the wedge as a
  sunflower (Vogel spiral), largest first; the place's residents (people in no organization) fill its centre;
* a person sits near their organization (or in their place's centre if a resident), at an offset drawn from the
  run's common-random-number streams keyed by person id.

So the layout is a pure function of (scenario, seed, person id): computed once for the organizations, on demand for
people (newcomers who replace leavers get a place without anything else moving), identical on every render and for
every viewer, and cheap at a million people. Ties are then drawn on top: bridges show as long lines across wedges
and places, which is what the eye should find.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from simulation.core.model import LeadershipModel

GOLDEN_ANGLE = np.pi * (3.0 - np.sqrt(5.0))
LAYOUT_STREAM = "viz.layout"  # a name no mechanism uses: drawing never changes a model draw


@dataclass(frozen=True)
class NetworkLayout:
    """Positions of organizations, of each place's resident group, and the scale of people's offsets.

    Build it with :func:`network_layout` (cached per model); ask for people's positions with :meth:`people_xy`.
    """

    org_xy: np.ndarray  # (n_orgs, 2)
    org_spread: np.ndarray  # (n_orgs,) radius of the cloud of an organization's members
    place_xy: np.ndarray  # (n_places, 2) centres of places (and of their residents)
    resident_spread: float  # radius of a place's resident core
    place_radius: float

    def people_xy(self, model: LeadershipModel, ids: np.ndarray) -> np.ndarray:
        """Positions of people ``ids``: a seeded point in their organization's (or place's resident) cloud."""
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) == 0:
            return np.zeros((0, 2))
        org = model.people.org[ids]
        place = model.people.place[ids]
        radius_u = model.streams.uniform(f"{LAYOUT_STREAM}.r", 0, ids)
        angle = 2.0 * np.pi * model.streams.uniform(f"{LAYOUT_STREAM}.a", 0, ids)
        member = org >= 0
        centre = np.where(member[:, None], self.org_xy[np.maximum(org, 0)], self.place_xy[place])
        spread = np.where(member, self.org_spread[np.maximum(org, 0)], self.resident_spread)
        r = spread * np.sqrt(radius_u)  # uniform over the disc
        return centre + np.column_stack([r * np.cos(angle), r * np.sin(angle)])


def place_centres(n_places: int) -> tuple[np.ndarray, float]:
    """Places on a unit circle (one place: the centre) and the radius each may fill without overlap."""
    if n_places == 1:
        return np.zeros((1, 2)), 1.0
    theta = np.pi / 2 - 2.0 * np.pi * np.arange(n_places) / n_places
    radius = 0.92 * np.sin(np.pi / n_places) / (1.0 + np.sin(np.pi / n_places))
    centres = np.column_stack([np.cos(theta), np.sin(theta)]) * (1.0 - radius)
    return centres, radius


def sector_wedge_positions(rank: np.ndarray, count: np.ndarray, sector: np.ndarray, n_sectors: int,
                           inner: float, outer: float) -> np.ndarray:
    """Offsets of organizations inside their place's disc: sector ``s`` fills the wedge [s, s+1) of ``n_sectors``
    from radius ``inner`` to ``outer``; the ``rank``-th of ``count`` organizations sits on a sunflower in it."""
    frac = (rank + 0.5) / np.maximum(count, 1)
    r = inner + (outer - inner) * np.sqrt(frac)
    width = 2.0 * np.pi / n_sectors
    within = np.mod(rank * GOLDEN_ANGLE / (2.0 * np.pi), 1.0)  # low-discrepancy spread across the wedge
    theta = np.pi / 2 - width * (sector + 0.08 + 0.84 * within)
    return np.column_stack([r * np.cos(theta), r * np.sin(theta)])


def compute_layout(model: LeadershipModel) -> NetworkLayout:
    """Compute the layout from the model's organizations, places and sectors (no ties, no randomness)."""
    pop = model.params.population
    orgs = model.orgs
    centres, place_r = place_centres(pop.places)
    n_sectors = len(pop.sectors)
    # rank organizations within (place, sector), largest first, so big organizations sit near the inner edge
    order = np.lexsort((-orgs.size, orgs.sector, orgs.place))
    group = orgs.place.astype(np.int64) * n_sectors + orgs.sector.astype(np.int64)
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    counts_sorted = np.diff(np.r_[starts, len(order)])
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - np.repeat(starts, counts_sorted)
    count = np.empty(len(order), dtype=np.int64)
    count[order] = np.repeat(counts_sorted, counts_sorted)
    inner, outer = 0.38 * place_r, 0.95 * place_r
    offsets = sector_wedge_positions(rank, count, orgs.sector.astype(np.int64), n_sectors, inner, outer)
    org_xy = centres[orgs.place] + offsets
    # an organization's members spread over about the area its share of the wedge affords
    per_place_orgs = np.bincount(orgs.place, minlength=pop.places).max() if orgs.count else 1
    ring_area = np.pi * (outer**2 - inner**2)
    cell = np.sqrt(ring_area / max(1, per_place_orgs) / np.pi)
    size_scale = np.sqrt(orgs.size / max(1.0, float(np.median(orgs.size)) if orgs.count else 1.0))
    room = 0.98 * place_r - np.hypot(offsets[:, 0], offsets[:, 1])  # members stay inside their place's disc
    org_spread = np.minimum(np.clip(0.6 * cell * size_scale, 0.15 * cell, 2.0 * cell), np.maximum(room, 0.01))
    return NetworkLayout(org_xy=org_xy, org_spread=org_spread, place_xy=centres, resident_spread=0.32 * place_r,
                         place_radius=place_r)


def network_layout(model: LeadershipModel) -> NetworkLayout:
    """The model's layout, computed on first use and kept on the model (organizations never move)."""
    layout = getattr(model, "_viz_layout", None)
    if layout is None:
        layout = compute_layout(model)
        model._viz_layout = layout  # a private attribute the model core never reads
    return layout


def sample_people(model: LeadershipModel, limit: int) -> np.ndarray:
    """Living people to draw: all of them up to ``limit``, else a stable seeded sample of about ``limit``.

    Each person is kept when a draw keyed by their id falls below ``limit / alive``, so the same people stay in
    the picture from month to month and newcomers join at the same rate.
    """
    alive = model.people.alive_ids()
    if len(alive) <= limit:
        return alive
    keep = model.streams.uniform(f"{LAYOUT_STREAM}.sample", 0, alive) < limit / len(alive)
    return alive[keep]
