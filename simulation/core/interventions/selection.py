"""Participant selection strategies any intervention can use (docs/ODD.md §8.2).

Every strategy ranks eligible people and takes the first ``k``. Ties in the ranking are broken by a draw keyed by
person id on the intervention's own stream, so selection is reproducible and does not disturb other decisions.

* ``random`` - a simple random sample.
* ``position`` - executives first, then managers, then staff (the usual leader-development recruitment).
* ``centrality`` - most connected first (degree centrality).
* ``nomination`` - a random person's friend (Kim et al. 2015, Lancet: reaches central people without mapping
  the network).
* ``stratified`` - equal numbers from each sector and from residents.
* ``place`` - everyone from one place (place-based leadership: KLCC in Leading Edge).
* ``engagement`` - the most engaged first (those already on the engagement ladder).
* ``periphery`` - the fewest engaged contacts first, then the least engaged (network weaving: the periphery of
  the engaged core, "Pushing the Envelope on Leadership Development Delivery Strategies").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..model import LeadershipModel


def _draws(model: LeadershipModel, ids: np.ndarray, stream: str) -> np.ndarray:
    return model.streams.uniform(stream, model.month, ids)


def _by_keys(ids: np.ndarray, k: int, *keys: np.ndarray) -> np.ndarray:
    """The first k ids when sorted by ``keys`` (last key is primary, as in ``np.lexsort``)."""
    return np.sort(ids[np.lexsort(keys)[:k]])


def _random(model: LeadershipModel, ids: np.ndarray, k: int, stream: str) -> np.ndarray:
    return _by_keys(ids, k, _draws(model, ids, stream))


def _position(model: LeadershipModel, ids: np.ndarray, k: int, stream: str) -> np.ndarray:
    return _by_keys(ids, k, _draws(model, ids, stream), -model.people.position[ids].astype(np.int64))


def _centrality(model: LeadershipModel, ids: np.ndarray, k: int, stream: str) -> np.ndarray:
    degree = model.ties.degree(model.people.count)[ids]
    return _by_keys(ids, k, _draws(model, ids, stream), -degree)


def _engagement(model: LeadershipModel, ids: np.ndarray, k: int, stream: str) -> np.ndarray:
    return _by_keys(ids, k, _draws(model, ids, stream), -model.people.engagement[ids])


def _periphery(model: LeadershipModel, ids: np.ndarray, k: int, stream: str) -> np.ndarray:
    n = model.people.count
    engaged = model.people.alive[:n] & (model.people.engagement[:n] >= model.params.engagement.engaged_threshold)
    engaged_contacts = model.ties.neighbor_sum(engaged.astype(np.float32), n)[ids]
    return _by_keys(ids, k, _draws(model, ids, stream), model.people.engagement[ids], engaged_contacts)


def _stratified(model: LeadershipModel, ids: np.ndarray, k: int, stream: str) -> np.ndarray:
    """Round-robin over strata (sectors and residents) in random order within each stratum."""
    stratum = model.people.sector[ids].astype(np.int64)
    draw = _draws(model, ids, stream)
    order = np.lexsort((draw, stratum))
    s_sorted = stratum[order]
    starts = np.flatnonzero(np.concatenate([[True], s_sorted[1:] != s_sorted[:-1]]))
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.append(starts, len(order))))
    rank_of = np.empty(len(ids), dtype=np.int64)
    rank_of[order] = rank
    return _by_keys(ids, k, draw, rank_of)


def _place(model: LeadershipModel, ids: np.ndarray, k: int, stream: str) -> np.ndarray:
    """All participants from one place, drawn at random (weighted by how many eligible people live there)."""
    places = model.people.place[ids]
    pick = ids[np.argmin(_draws(model, ids, stream + ".place"))]
    here = ids[places == model.people.place[pick]]
    return _random(model, here, k, stream)


def _nomination(model: LeadershipModel, ids: np.ndarray, k: int, stream: str) -> np.ndarray:
    """Random people each name a random contact; eligible nominees are taken first, then a random fill."""
    n = model.people.count
    alive = model.people.alive_ids()
    nominators = _random(model, alive, min(len(alive), 2 * k), stream + ".nominator")
    named = model.ties.random_neighbor(nominators, n, model.streams, stream + ".named", model.month)
    eligible = np.zeros(n, dtype=bool)
    eligible[ids] = True
    named = np.unique(named[(named >= 0)])
    named = named[eligible[named]]
    chosen = _random(model, named, k, stream)
    if len(chosen) < k:
        rest = np.setdiff1d(ids, chosen, assume_unique=True)
        chosen = np.union1d(chosen, _random(model, rest, k - len(chosen), stream + ".fill"))
    return chosen


SELECTIONS: dict[str, Callable[[LeadershipModel, np.ndarray, int, str], np.ndarray]] = {
    "random": _random,
    "position": _position,
    "centrality": _centrality,
    "nomination": _nomination,
    "stratified": _stratified,
    "place": _place,
    "engagement": _engagement,
    "periphery": _periphery,
}


def select(strategy: str, model: LeadershipModel, k: int, eligible: np.ndarray, stream: str) -> np.ndarray:
    """Up to ``k`` ids among ``eligible`` (a boolean mask over ids) chosen by ``strategy``, ascending."""
    ids = np.flatnonzero(eligible)
    if k <= 0 or len(ids) == 0:
        return np.zeros(0, dtype=np.int64)
    return SELECTIONS[strategy](model, ids, min(k, len(ids)), stream).astype(np.int64)
