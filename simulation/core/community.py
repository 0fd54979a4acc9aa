"""The community result: sector levers combined with a complementarity parameter, followed with inertia.

Think "school readiness" or "reading scores": a population-level result that no single organization produces.
Each sector has a lever, raised by the practice of its organizations (the leader-development route: "Individual
Development -> Strong Organizations -> Better Community Results") and by collective initiatives that reach its
people (the leadership-development route). Both parts measure what the sector's people apply - each filtered by the
same transfer factor, each person counted once - and combine as ``1 - (1 - org part)(1 - collective part)``
(:func:`levers`). The levers combine in a CES aggregate (Arrow et al. 1961):

    Y = (mean_s L_s ** rho) ** (1 / rho),   rho = 1 - c / (1 - c)

so complementarity c = 0 makes the levers substitutes (an arithmetic mean), c = 0.5 is Cobb-Douglas (a geometric
mean) and c near 1 approaches the weakest link (the minimum). That parameter is how "complex problems that need
multiple stakeholders to coordinate" (A New Leadership Mindset) enter the model. The result follows Y with a time
constant of ``inertia_months``, so it changes over years, not weeks.

Responsibilities: step 7 of the month (:func:`update_result`) and the levers and result at month 0
(:func:`start_result`).
Reads: ``model.orgs`` (practice, sector, size), the active initiatives' lever gains
(``initiatives.lever_contributions``), ``model.params.community``, ``model.result``.
Writes: ``model.levers``, ``model.result``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .compiled import njit
from .initiatives import lever_contributions

if TYPE_CHECKING:
    from .model import LeadershipModel

LEVER_FLOOR = 1e-6  # keeps the geometric and weakest-link aggregates finite when a lever is at zero


def rho_of(complementarity: float) -> float:
    """CES exponent for a complementarity in [0, 1)."""
    return 1.0 - complementarity / (1.0 - complementarity)


def ces(levers: np.ndarray, complementarity: float) -> float:
    """Equal-weight CES aggregate of levers in [0, 1]; the result is in [min(levers), max(levers)]."""
    x = np.clip(np.asarray(levers, dtype=np.float64), LEVER_FLOOR, 1.0)
    rho = rho_of(complementarity)
    if abs(rho) < 1e-9:
        return float(np.exp(np.log(x).mean()))
    # Factor out the minimum so large negative rho does not overflow.
    m = x.min()
    return float(m * np.mean((x / m) ** rho) ** (1.0 / rho))


def sector_practice(practice_level: np.ndarray, org_sector: np.ndarray, org_size: np.ndarray,
                    n_sectors: int) -> np.ndarray:
    """Size-weighted mean organizational practice per sector (0 for a sector with no organizations)."""
    return _sector_means(np.asarray(practice_level, dtype=np.float32), org_sector, org_size, int(n_sectors))


@njit(cache=True)
def _sector_means(level, sector, size, n_sectors):
    """Each sector's size-weighted mean of ``level``: the sums over its organizations (in float64), then their
    ratio (0 where a sector has no organization)."""
    total, weighted = np.zeros(n_sectors), np.zeros(n_sectors)
    for o in range(level.shape[0]):
        total[sector[o]] += np.float64(size[o])
        weighted[sector[o]] += np.float64(size[o]) * np.float64(level[o])
    out = np.zeros(n_sectors)
    for s in range(n_sectors):
        if total[s] > 0:
            out[s] = weighted[s] / total[s]
    return out


def levers(practice: np.ndarray, collective: np.ndarray, org_weight: float) -> np.ndarray:
    """Sector levers in [0, 1]: ``1 - (1 - organizational part)(1 - collective part)``.

    Each part is already a share in [0, 1] of what the sector's people apply (organizations' practice; the
    transfer-filtered exposure to initiatives); combining them as independent chances makes the lever saturate
    and counts nobody's contribution twice, whichever route produced it.
    """
    organizational = np.clip(org_weight * practice, 0.0, 1.0)
    return 1.0 - (1.0 - organizational) * (1.0 - np.clip(collective, 0.0, 1.0))


def follow(result: float, target: float, inertia_months: float) -> float:
    """One month of the result moving toward what the levers produce."""
    return result + (target - result) / inertia_months


def current_levers(model: LeadershipModel) -> np.ndarray:
    """The sector levers from the organizations' practice and the active initiatives."""
    orgs, prm = model.orgs, model.params
    practice = sector_practice(orgs.practice_level(), orgs.sector, orgs.size, len(prm.population.sectors))
    return levers(practice, lever_contributions(model), prm.community.org_lever_weight)


def start_result(model: LeadershipModel) -> None:
    """Month 0: the levers, and a result equal to what they produce."""
    model.levers = current_levers(model)
    model.result = ces(model.levers, model.params.community.complementarity)


def update_result(model: LeadershipModel) -> None:
    """The month's levers; the result moves toward what they produce."""
    prm = model.params.community
    model.levers = current_levers(model)
    model.result = follow(model.result, ces(model.levers, prm.complementarity), prm.inertia_months)
