"""Turnover: people leave and are replaced, taking what they knew and their relationships with them.

Leaders leave with what they knew and their ties go with them (docs/ODD.md §7.7): a leaver's capacities,
their bridges and their place in initiatives are gone. The newcomer takes the same role in the same organization
(so the population is constant), inherits the role's work ties at a fresh weight, and arrives with freshly drawn
traits. A shock removes a share of a target group at once, for the resilience question ("how resilient is each
approach when key leaders leave?").

Responsibilities: step 8 of the month (:func:`apply_turnover`).
Reads: ``model.people`` (``alive``, ``position``, ``trained``), tie degrees, ``model.params.turnover``, the
``turnover.*`` streams of ``model.month``.
Writes: leavers' ``alive`` and ``left``; newcomers (``population.replace_people``); the ties (leavers' ties go,
newcomers get the role's work ties); tells the model that people were replaced (its Mesa views follow lazily).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .compiled import njit
from .people import EXECUTIVE, STAFF
from .population import replace_people
from .streams import draw_uniform

if TYPE_CHECKING:
    from .model import LeadershipModel


def monthly_leavers(model: LeadershipModel) -> np.ndarray:
    """Who leaves this month: staff and residents at one rate, managers and executives at another."""
    p, prm = model.people, model.params.turnover
    return _leavers(p.alive[: p.count], p.position, model.streams.offset("turnover.leave", model.month),
                    float(prm.monthly_rate), float(prm.leader_monthly_rate))


@njit(cache=True)
def _leavers(alive, position, offset, rate, leader_rate):
    """Living ids (ascending) whose draw falls below their position's monthly leaving rate."""
    out = np.empty(alive.shape[0], np.int64)
    c = 0
    for i in range(alive.shape[0]):
        if alive[i] and draw_uniform(offset, np.uint64(i)) < (leader_rate if position[i] > STAFF else rate):
            out[c] = i
            c += 1
    return out[:c]


def shock_leavers(model: LeadershipModel) -> np.ndarray:
    """The shock's leavers: the top share of the target group (ties broken by a seeded draw)."""
    p, prm = model.people, model.params.turnover
    alive = p.alive_ids()
    if prm.shock_target == "executives":
        pool, score = alive[p.position[alive] == EXECUTIVE], None
    elif prm.shock_target == "trained":
        pool, score = alive[p.trained[alive] > 0], None
    else:
        pool = alive
        score = model.ties.degree(p.count)[alive].astype(np.float64)
    if len(pool) == 0:
        return pool
    tiebreak = model.streams.uniform("turnover.shock", model.month, pool)
    order = np.lexsort((tiebreak, -score)) if score is not None else np.argsort(tiebreak)
    k = int(round(prm.shock_share * len(pool)))
    return np.sort(pool[order[:k]])


def replace(model: LeadershipModel, leavers: np.ndarray) -> np.ndarray:
    """Remove ``leavers`` and put newcomers in their roles; returns the newcomers' ids."""
    if len(leavers) == 0:
        return leavers
    p = model.people
    p.alive[leavers] = False
    p.left[leavers] = model.month
    newcomers = replace_people(p, leavers, model.params.population, model.streams, model.month)
    model.ties.hand_over(leavers, newcomers, p.count, model.month, model.params.network.new_tie_weight)
    model.on_people_replaced(leavers, newcomers)
    return newcomers


def apply_turnover(model: LeadershipModel) -> None:
    """This month's ordinary departures, plus the shock if it is this month."""
    leavers = monthly_leavers(model)
    prm = model.params.turnover
    if prm.shock_month is not None and prm.shock_month == model.month and prm.shock_share > 0:
        leavers = np.union1d(leavers, shock_leavers(model))
    replace(model, leavers)
