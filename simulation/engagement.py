"""Social influence on engagement and purpose.

* **Engagement spreads as a complex contagion** (Centola & Macy 2007; Centola 2010): a person climbs one rung of the
  engagement ladder ("Pushing the Envelope": multiple entry points) only when at least ``contagion_threshold`` of
  their contacts are engaged. Clustered networks, with redundant ties, therefore carry it further than random ones.
  Engagement fades at a rate damped by purpose: people who share the purpose stay involved.
* **Purpose converges by averaging** (DeGroot 1974): each month a person's alignment with the community's shared
  purpose moves toward the tie-weighted mean of their contacts'. "Connecting ... lays the foundation for developing
  a shared sense of purpose out of which collective action grows" (A New Leadership Mindset).
"""

from __future__ import annotations

import numpy as np

from .network import Ties
from .people import People
from .scenario import EngagementParams
from .streams import Streams


def engaged_mask(people: People, params: EngagementParams) -> np.ndarray:
    n = people.count
    return people.alive[:n] & (people.engagement[:n] >= params.engaged_threshold)


def spread_engagement(people: People, ties: Ties, params: EngagementParams, streams: Streams, month: int) -> None:
    """One month of complex contagion and fading of engagement."""
    n = people.count
    engaged = engaged_mask(people, params)
    exposure = ties.neighbor_sum(engaged.astype(np.float32), n)
    alive = people.alive_ids()
    chance = np.where(exposure.take(alive) >= params.contagion_threshold, params.adoption_probability,
                      params.spontaneous_rate)
    climbs = alive[streams.uniform("engagement.climb", month, alive) < chance]
    e = people.engagement
    e[climbs] = np.minimum(1.0, e[climbs] + params.climb)
    fade = params.engagement_decay * (1.0 - people.purpose[:n])
    np.maximum(0.0, e[:n] - fade, out=e[:n])


def spread_purpose(people: People, ties: Ties, params: EngagementParams) -> None:
    """DeGroot averaging of purpose over weighted ties."""
    if params.purpose_influence <= 0 or len(ties) == 0:
        return
    n = people.count
    both = ties.neighbor_sum(np.column_stack([np.ones(n, dtype=np.float32), people.purpose[:n]]), n, weighted=True)
    total_weight, pulled = both[:, 0], both[:, 1]
    has = total_weight > 0
    p = people.purpose[:n]
    # Whole-array arithmetic with a final masked copy: the same operations, value by value, as updating p[has]
    # (float64, rounded to float32 on storing), without gathering and scattering through the mask five times.
    mean = np.divide(pulled, total_weight, out=np.zeros(n), where=has)
    mean -= p
    mean *= params.purpose_influence
    mean += p
    np.copyto(p, mean, casting="same_kind", where=has)
