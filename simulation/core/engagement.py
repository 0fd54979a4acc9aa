"""Social influence on engagement and purpose.

* **Engagement spreads as a complex contagion** (Centola & Macy 2007; Centola 2010): a person climbs one rung of the
  engagement ladder ("Pushing the Envelope": multiple entry points) only when at least ``contagion_threshold`` of
  their contacts are engaged. Clustered networks, with redundant ties, therefore carry it further than random ones.
  Engagement fades at a rate damped by purpose - people who share the purpose stay involved - and by a good unit
  leader (``leadership.py``: a leader who fosters the potential of others keeps their team engaged).
* **Purpose converges by averaging** (DeGroot 1974): each month a person's alignment with the community's shared
  purpose moves toward the tie-weighted mean of their contacts'. "Connecting ... lays the foundation for developing
  a shared sense of purpose out of which collective action grows" (A New Leadership Mindset).

Responsibilities: step 4 of the month (:func:`spread_engagement`, then :func:`spread_purpose`).
Reads: ``model.people`` (``alive``, ``engagement``, ``purpose``), ``model.unit_quality``, ``model.ties`` (who is
tied to whom, weights),
``model.params.engagement``, the ``engagement.climb`` stream of ``model.month``.
Writes: ``people.engagement``, ``people.purpose``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .compiled import njit
from .streams import draw_uniform

if TYPE_CHECKING:
    from .model import LeadershipModel


def spread_engagement(model: LeadershipModel) -> None:
    """One month of complex contagion and fading of engagement."""
    people, ties, params = model.people, model.ties, model.params.engagement
    n = people.count
    _climb_and_fade(ties.ends, people.alive[:n], people.engagement[:n], people.purpose[:n], model.unit_quality,
                    np.float32(model.params.learning.leader_support),
                    np.float32(params.engaged_threshold), float(params.contagion_threshold),
                    float(params.adoption_probability), float(params.spontaneous_rate), np.float32(params.climb),
                    np.float32(params.engagement_decay), model.streams.offset("engagement.climb", model.month))


@njit(cache=True)
def _climb_and_fade(ends, alive, engagement, purpose, unit_quality, leader_support, engaged_threshold,
                    contagion_threshold, adoption, spontaneous,
                    climb, decay, offset):
    """Exposure = engaged contacts; with enough exposure a person climbs with ``adoption`` (else ``spontaneous``)
    probability; then everyone's engagement fades by ``decay * (1 - purpose)``, slowed (or hastened) by
    ``leader_support`` x their unit leader's quality (float32, as stored)."""
    n = alive.shape[0]
    engaged = np.zeros(n, np.float32)
    for i in range(n):
        if alive[i] and engagement[i] >= engaged_threshold:
            engaged[i] = 1.0
    exposure = np.zeros(n)
    for e in range(ends.shape[0]):
        lo, hi = ends[e, 0], ends[e, 1]
        exposure[hi] += engaged[lo]
        exposure[lo] += engaged[hi]
    one, zero = np.float32(1.0), np.float32(0.0)
    for i in range(n):
        if alive[i]:
            chance = adoption if exposure[i] >= contagion_threshold else spontaneous
            if draw_uniform(offset, np.uint64(i)) < chance:
                engagement[i] = min(one, engagement[i] + climb)
        support = max(zero, one - leader_support * unit_quality[i])
        engagement[i] = max(zero, engagement[i] - decay * (one - purpose[i]) * support)


def spread_purpose(model: LeadershipModel) -> None:
    """DeGroot averaging of purpose over weighted ties."""
    people, ties, params = model.people, model.ties, model.params.engagement
    if params.purpose_influence <= 0 or len(ties) == 0:
        return
    n = people.count
    _average_purpose(ties.ends, ties.weight, people.purpose[:n], float(params.purpose_influence))


@njit(cache=True)
def _average_purpose(ends, weight, purpose, influence):
    """Purpose moves ``influence`` of the way to the tie-weighted mean of the contacts' purpose.

    The sums are float32, as purpose and weights are stored (float64 sums made this pass half as slow again).
    """
    n = purpose.shape[0]
    total = np.zeros(n, np.float32)
    pull = np.zeros(n, np.float32)
    for e in range(ends.shape[0]):
        lo, hi = ends[e, 0], ends[e, 1]
        w = weight[e]
        total[hi] += w
        pull[hi] += w * purpose[lo]
        total[lo] += w
        pull[lo] += w * purpose[hi]
    for i in range(n):
        if total[i] > 0:
            purpose[i] += influence * (pull[i] / total[i] - purpose[i])
