"""Individual and organizational learning: transfer of training, forgetting, and March's mutual learning.

The leader-development chain of "A New Leadership Mindset" (Individual Development -> Strong Organizations ->
Better Community Results) runs through here, and each link can attenuate it:

* **Transfer** (Baldwin & Ford 1988; L2L's manager engagement): the share of what a person knows that they get to
  apply at work, ``practice``, is a mix of their organization's manager support and openness, raised or lowered
  by their unit leader's quality and, for a leader, by their own (``leadership.py``). Residents practise through
  community engagement.
* **Forgetting** (Arthur et al. 1998): gains above what a person brought decay with a half-life, slowed in
  proportion to practice: knowledge that is used is kept.
* **Organizational learning** (March 1991): an organization's practice (March's "code") moves toward the
  influence-weighted mean of what its members apply (capacity x practice); members are socialised toward the
  practice where it is above them. Two scenario switches give March's own set-up (docs/docking.md):
  ``learning.code_learning = "superior_group"`` learns only from members whose applied capacity beats the practice
  (reality is full capacity), and ``learning.socialization = "toward_code"`` moves members toward the practice
  either way; ``learning.fast_learner_share`` socialises a seeded share of people at a faster rate. The defaults
  (weighted mean, upward) keep the baseline stationary.

Responsibilities: steps 2 and 3 of the month (:func:`update_practice`, :func:`forget`,
:func:`organizational_learning`), the organizations' starting practice (:func:`initial_practice`) and the gains
of acting together (:func:`learn_by_doing`, which initiatives and interventions call).
Reads: ``model.people`` (``alive``, ``org``, ``position``, ``engagement``, ``capacity``, ``base_capacity``,
``practice``), ``model.orgs`` (``manager_support``, ``openness``, ``practice``), ``model.params.learning``, the
``learning.fast_learner`` stream (month 0: a trait per person id) when some people socialise fast.
Writes: ``people.practice``, ``people.capacity`` (forgetting, socialisation), ``orgs.practice``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .compiled import njit
from .people import People, influence_weight
from .streams import draw_uniform

if TYPE_CHECKING:
    from .model import LeadershipModel


def update_practice(model: LeadershipModel) -> None:
    """Set each living person's transfer factor: their organization's climate plus their unit leader's quality
    (or their engagement, for residents)."""
    people, orgs = model.people, model.orgs
    n = people.count
    w = model.params.learning.manager_support_weight
    org_transfer = (w * orgs.manager_support + (1.0 - w) * orgs.openness).astype(np.float32)
    prm = model.params.learning
    _select_practice(people.org[:n], org_transfer, model.unit_quality, model.own_quality,
                     np.float32(prm.leader_support), np.float32(prm.self_support), people.engagement[:n],
                     people.practice[:n])


@njit(cache=True)
def _select_practice(org, org_transfer, unit_quality, own_quality, leader_support, self_support, engagement,
                     practice):
    """Each person's practice: their organization's transfer factor plus ``leader_support`` x their unit
    leader's quality plus ``self_support`` x their own quality as a leader, within [0, 1]; their engagement if
    they have no organization."""
    zero, one = np.float32(0.0), np.float32(1.0)
    for i in range(org.shape[0]):
        if org[i] >= 0:
            lift = leader_support * unit_quality[i] + self_support * own_quality[i]
            practice[i] = min(one, max(zero, org_transfer[org[i]] + lift))
        else:
            practice[i] = engagement[i]


def forget(model: LeadershipModel) -> None:
    """Unpractised gains above the base capacity decay with the forgetting half-life.

    With practice p the effective half-life is ``half_life / (1 - p)``; p = 1 means nothing is forgotten.
    Only gains (positive excess) are scaled.
    """
    people = model.people
    n = people.count
    _forget(people.alive[:n], people.practice, people.base_capacity, people.capacity,
            np.float32(model.params.learning.forgetting_half_life))


@njit(cache=True)
def _forget(alive, practice, base, capacity, half_life):
    """``capacity = base + excess * 0.5 ** ((1 - practice) / half_life)`` where the excess is a gain, in float32;
    a loss (capacity below the base) is kept as it is, rebuilt as ``base + excess``."""
    one, half = np.float32(1.0), np.float32(0.5)
    last, keep = np.float32(np.nan), np.float32(1.0)
    for i in range(alive.shape[0]):
        if not alive[i]:
            continue
        if practice[i] != last:  # colleagues share their organization's practice: one power per run of equals
            last = practice[i]
            keep = half ** ((one - last) / half_life)
        for d in range(capacity.shape[1]):
            excess = capacity[i, d] - base[i, d]
            capacity[i, d] = base[i, d] + (excess * keep if excess > 0 else excess)


def _applied(model: LeadershipModel, superior_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Per organization: the counted members' total influence and influence-weighted sums of applied capacity
    (all living members, or with ``superior_only`` those whose applied capacity beats the practice)."""
    people = model.people
    weights = influence_weight(np.arange(3), model.params.learning.executive_influence)
    return _applied_sums(people.alive[: people.count], people.org, people.position, people.practice,
                         people.capacity, weights, model.orgs.count, model.orgs.practice, superior_only)


@njit(cache=True)
def _applied_sums(alive, org, position, practice, capacity, weights, n_orgs, code, superior_only):
    """Per organization: the members' total influence and influence-weighted sums of capacity x practice.

    With ``superior_only`` a member counts only if their applied capacity, summed over the dimensions, exceeds
    their organization's practice (``code``) summed: March's (1991) superior group, whose beliefs "correspond with
    reality on more dimensions than does the code", where reality is full capacity on every dimension.
    Sums run over the living members in id order, in float64 (``np.bincount``'s order and precision).
    """
    dims = capacity.shape[1]
    code_total = np.zeros(n_orgs)
    if superior_only:
        for o in range(n_orgs):
            for d in range(dims):
                code_total[o] += np.float64(code[o, d])
    total = np.zeros(n_orgs)
    sums = np.zeros((n_orgs, dims))
    for i in range(alive.shape[0]):
        o = org[i]
        if alive[i] and o >= 0:
            p = np.float64(practice[i])
            if superior_only:
                score = 0.0
                for d in range(dims):
                    score += p * np.float64(capacity[i, d])
                if score <= code_total[o]:
                    continue
            w = weights[position[i]]
            total[o] += w
            wp = w * p
            for d in range(dims):
                sums[o, d] += wp * np.float64(capacity[i, d])
    return total, sums


@njit(cache=True)
def _learn_and_socialise(alive, org, capacity, org_practice, total, sums, rate, socialization, toward_code,
                         fast_share, fast_rate, fast_offset):
    """Practice moves ``rate`` of the way to its target (float64, stored as float32); an organization with no
    counted member keeps its practice. Then each living member gains ``socialization`` (float32) of the gap where
    the practice is above their capacity, or with ``toward_code`` moves that share of the gap either way.
    A member whose draw on the ``fast_offset`` stream (one per person id, fixed for life) falls below
    ``fast_share`` is socialised at ``fast_rate`` instead."""
    for o in range(org_practice.shape[0]):
        if total[o] > 0:
            for d in range(org_practice.shape[1]):
                current = np.float64(org_practice[o, d])
                org_practice[o, d] = current + rate * (sums[o, d] / total[o] - current)
    for i in range(alive.shape[0]):
        o = org[i]
        if alive[i] and o >= 0:
            own = socialization
            if fast_share > 0 and draw_uniform(fast_offset, np.uint64(i)) < fast_share:
                own = fast_rate
            for d in range(capacity.shape[1]):
                gap = org_practice[o, d] - capacity[i, d]
                if gap > 0 or toward_code:
                    capacity[i, d] += gap * own


def organizational_learning(model: LeadershipModel) -> None:
    """Practice follows members' applied capacity (all of it, or the superior group's); members are socialised
    toward the practice (where it is above them, or either way), at their own rate."""
    people, params = model.people, model.params.learning
    total, sums = _applied(model, params.code_learning == "superior_group")
    fast_share = float(params.fast_learner_share)
    fast_offset = model.streams.offset("learning.fast_learner", 0) if fast_share > 0 else np.uint64(0)
    _learn_and_socialise(people.alive[: people.count], people.org, people.capacity, model.orgs.practice, total,
                         sums, float(params.org_learning_rate), np.float32(params.socialization_rate),
                         params.socialization == "toward_code", fast_share,
                         np.float32(params.fast_socialization_rate), fast_offset)


def initial_practice(model: LeadershipModel) -> None:
    """Start each organization's practice at its members' influence-weighted applied capacity (0 if empty)."""
    total, sums = _applied(model)
    has = total > 0
    model.orgs.practice[:] = 0.0
    model.orgs.practice[has] = sums[has] / total[has, None]


def practise_gain(people: People, ids: np.ndarray, dims: int | slice, gain: np.ndarray | float) -> None:
    """Add a learning gain: the applied share of it (the person's ``practice``) is practised and joins the base
    capacity, so it is kept as learning by doing is; the rest is subject to forgetting.

    Used by every programme that teaches (training, coaching, mentoring) so that what a person applies at work
    counts as practice the same way as what they learn by doing in an initiative.
    """
    if len(ids) == 0:
        return
    cap, base = people.capacity, people.base_capacity
    before = cap[ids, dims].copy()
    cap[ids, dims] = np.minimum(1.0, before + gain)
    applied = (cap[ids, dims] - before) * (people.practice[ids][:, None] if before.ndim == 2 else people.practice[ids])
    base[ids, dims] = np.minimum(base[ids, dims] + applied, cap[ids, dims])


def learn_by_doing(people: People, doers: np.ndarray, rate: float) -> None:
    """People acting together on a collective initiative grow their collective (process) capacities.

    The gain is practised by construction, so it is added to the base as well as to the current capacity:
    "Learning/Reflecting is a continuous process that is integrated with action" (A New Leadership Mindset).
    """
    if len(doers) == 0 or rate <= 0:
        return
    gain = rate * (1.0 - people.capacity[doers, :5])
    people.capacity[doers, :5] += gain
    people.base_capacity[doers, :5] = np.minimum(people.base_capacity[doers, :5] + gain, people.capacity[doers, :5])
