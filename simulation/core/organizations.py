"""Organizations: sector, culture (openness), manager support and a practice level that learns from its members.

Organizations are few (hundreds to thousands) and never die, so their state is small fixed arrays. The practice
vector is the organization's "code" in March's (1991) mutual-learning model: it moves toward what its members apply
at work, and members are socialised toward it. Openness is the seeds' participatory-versus-bureaucratic culture
("contexts antithetical to hosting", Leading Edge); manager support is L2L's manager engagement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .people import N_CAPACITIES
from .scenario import PopulationParams
from .streams import Streams


@dataclass
class Organizations:
    sector: np.ndarray  # int16, per org
    place: np.ndarray  # int16, per org
    openness: np.ndarray  # float32 0-1
    manager_support: np.ndarray  # float32 0-1
    practice: np.ndarray  # float32 (n_orgs, N_CAPACITIES)
    size: np.ndarray  # int64, living members (kept current by the model)
    units: int = 0  # work units (teams) across all organizations: people.unit and people.leads index them

    @property
    def count(self) -> int:
        return len(self.sector)

    def practice_level(self) -> np.ndarray:
        """One number per organization: the mean of its practice vector."""
        return self.practice.mean(axis=1)


def draw_org_sizes(employed: int, params: PopulationParams, streams: Streams) -> np.ndarray:
    """Heavy-tailed (discrete Pareto) organization sizes that add up exactly to ``employed`` people.

    Why Pareto: firm and nonprofit sizes are heavy-tailed (Axtell 2001); a few large employers (a school district,
    a hospital) sit beside many small nonprofits, and who gets trained where depends on that shape.
    """
    if employed <= 0:
        return np.zeros(0, dtype=np.int64)
    lo, hi = params.org_size_min, max(params.org_size_min, min(params.org_size_max, employed))
    # Expected mean of a truncated Pareto is bounded; draw generously, then cut to the exact total.
    n_draw = int(employed / lo) + 16
    u = streams.uniform("org.size", 0, np.arange(n_draw))
    sizes = np.floor(lo * (1.0 - u) ** (-1.0 / params.org_size_tail)).astype(np.int64)
    sizes = np.clip(sizes, lo, hi)
    cum = np.cumsum(sizes)
    n_orgs = int(np.searchsorted(cum, employed)) + 1
    sizes = sizes[:n_orgs].copy()
    sizes[-1] -= int(cum[n_orgs - 1] - employed)
    if sizes[-1] < lo and n_orgs > 1:  # fold a too-small remainder into the previous organization
        sizes[-2] += sizes[-1]
        sizes = sizes[:-1]
    return split_for_sectors(sizes, len(params.sectors), lo)


def split_for_sectors(sizes: np.ndarray, n_sectors: int, smallest: int) -> np.ndarray:
    """Split the largest organizations until there is one per sector (where the people allow it).

    Why: every sector's lever rests on its organizations, and a sector with none has a lever near zero that a
    complementary community result cannot make up for. In a community of a few hundred people a heavy-tailed draw
    can give three organizations for five sectors (one of them 200 people); splitting the largest keeps the total
    and the tail as far as possible. Draws that already have enough organizations are returned unchanged.
    """
    sizes = sizes.copy()
    while len(sizes) < n_sectors:
        big = int(np.argmax(sizes))
        if sizes[big] < 2 * smallest:
            break
        half = int(sizes[big]) // 2
        sizes[big] -= half
        sizes = np.append(sizes, half)
    return sizes


def cover_sectors(sector: np.ndarray, n_sectors: int) -> np.ndarray:
    """Give each sector without an organization one, taken from the sector that has most (its newest one).

    Why: see :func:`split_for_sectors`. The uniform draw is kept wherever every sector already has an
    organization (all but the smallest communities), so it changes nothing there.
    """
    sector = np.asarray(sector).copy()
    for empty in range(n_sectors):
        counts = np.bincount(sector, minlength=n_sectors)
        if counts[empty] > 0:
            continue
        donor = int(np.argmax(counts))
        if counts[donor] < 2:
            break
        sector[np.flatnonzero(sector == donor)[-1]] = empty
    return sector


def make_organizations(sizes: np.ndarray, params: PopulationParams, streams: Streams) -> Organizations:
    """Sectors drawn uniformly; openness and manager support from Beta distributions with the scenario's means."""
    n = len(sizes)
    ids = np.arange(n)
    n_sectors = len(params.sectors)
    k = params.org_trait_concentration
    return Organizations(
        sector=cover_sectors(streams.integers("org.sector", 0, ids, n_sectors), n_sectors).astype(np.int16),
        place=streams.integers("org.place", 0, ids, params.places).astype(np.int16),
        openness=streams.beta("org.openness", 0, ids, params.openness_mean, k).astype(np.float32),
        manager_support=streams.beta("org.manager_support", 0, ids, params.manager_support_mean, k).astype(
            np.float32
        ),
        practice=np.zeros((n, N_CAPACITIES), dtype=np.float32),
        size=sizes.astype(np.int64).copy(),
    )
