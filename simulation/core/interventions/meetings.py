"""Meetings: how interventions change the social network (every intervention makes and keeps ties through here).

Responsibilities: turn "these people meet" into ties, and cut participants into small groups whose members all meet.

* :func:`meet` - pairs of people meet: a new tie for a pair not yet tied, reinforcement for a tie that exists.
* :func:`connect_groups` - everyone meets everyone else in their group (a cohort, a circle, a team).
* :func:`tie_at_least` - pairs are tied at a weight or more (a mentor, a trusted partner).
* :func:`chunk_labels`, :func:`group_pairs` - even groups of at most a size; every pair within groups.

Reads ``model.people`` (organization and sector, which decide a new tie's kind through ``network.classify``),
``model.params.network`` (default weight and reinforcement) and ``model.month``. Writes ``model.ties``: new ties,
and the weight and last-active month of ties that exist (a tie active this month escapes this month's decay).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..network import classify

if TYPE_CHECKING:
    from ..model import LeadershipModel


def meet(model: LeadershipModel, a: np.ndarray, b: np.ndarray, weight: float | None = None,
         reinforcement: float | None = None) -> int:
    """People ``a[i]`` and ``b[i]`` meet this month; returns how many ties were new.

    A pair not yet tied becomes a tie at ``weight`` (default ``network.new_tie_weight``), of the kind its two
    people's organizations and sectors give; a tie that exists gains ``reinforcement`` (default
    ``network.reinforcement``) and counts as active this month. Self-pairs and repeated pairs are ignored.
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    if len(a) == 0:
        return 0
    net, p = model.params.network, model.people
    weight = net.new_tie_weight if weight is None else weight
    reinforcement = net.reinforcement if reinforcement is None else reinforcement
    return model.ties.upsert(a, b, classify(a, b, p.org, p.sector), model.month, weight, reinforcement)


def connect_groups(model: LeadershipModel, members: np.ndarray, group: np.ndarray, weight: float | None = None,
                   reinforcement: float | None = None) -> int:
    """Every pair of ``members`` sharing a ``group`` label meets (see :func:`meet`); returns how many ties were
    new."""
    return meet(model, *group_pairs(members, group), weight, reinforcement)


def tie_at_least(model: LeadershipModel, a: np.ndarray, b: np.ndarray, weight: float) -> int:
    """Tie each pair (a, b) with a weight of at least ``weight``: new pairs are created at it, existing ties are
    raised to it (a mentor, a trusted partner); all count as active this month. Returns how many were new."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    created = meet(model, a, b, weight, reinforcement=0.0)
    keep = a != b
    ties = model.ties
    pos = ties.find(a[keep], b[keep])  # every pair is tied now
    ties.weight[pos] = np.maximum(ties.weight[pos], np.float32(weight))
    return created


def chunk_labels(n: int, size: int) -> np.ndarray:
    """Labels 0, 0, ..., 1, 1, ... cutting ``n`` ordered people into the fewest groups of at most ``size``,
    as even as possible (13 people in groups of 6 make 5 + 4 + 4, not 6 + 6 + 1)."""
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    n_groups = -(-n // max(1, size))
    return np.arange(n, dtype=np.int64) * n_groups // n


def group_pairs(members: np.ndarray, group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of ``members`` that share a ``group`` label (small groups: cohorts, circles, teams).

    Vectorised over members; the cost is members x largest group, so keep groups small (tens of people).
    """
    members = np.asarray(members, dtype=np.int64)
    group = np.asarray(group, dtype=np.int64)
    if len(members) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.lexsort((members, group))
    m, g = members[order], group[order]
    largest = int(np.unique(g, return_counts=True)[1].max())
    pa, pb = [], []
    for offset in range(1, largest):
        same = g[offset:] == g[:-offset]
        pa.append(m[:-offset][same])
        pb.append(m[offset:][same])
    if not pa:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(pa), np.concatenate(pb)
