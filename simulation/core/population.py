"""Building the initial population: organizations, their hierarchies, residents, identity groups and traits.

Responsibilities: create the first population and draw every arriving person's traits; put newcomers in the
roles of leavers (turnover calls :func:`replace_people`).
Reads: the population parameters and the ``person.*`` streams.
Writes: the people arrays (``org``, ``sector``, ``place``, ``position`` for the first population, the fields
``people.INHERITED`` for newcomers; ``group``, ``capacity``, ``base_capacity``, ``purpose``, ``engagement`` for
both) and the organizations.

A person's initial traits are drawn from streams keyed by their id, so the first cohort and every later replacement
are drawn the same way and a replacement's traits do not depend on what else happened that month.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .compiled import njit
from .organizations import Organizations, draw_org_sizes, make_organizations
from .people import COMPETENCE, EXECUTIVE, INHERITED, MANAGER, N_CAPACITIES, NO_ORG, NONE, ORGANIZING, STAFF, People
from .scenario import PopulationParams
from .streams import UNIT_GRID, Streams, beta_table, draw_uniform, interpolate

TRAIT_CONCENTRATION = 10.0  # Beta a+b for capacities and purpose: sd about 0.14 around a mean of 0.3


def positions_in_orgs(sizes: np.ndarray, span: int) -> np.ndarray:
    """Each organization's people in order: executive first, then one manager per ``span`` staff, then staff
    (a flat hierarchy for small orgs). All organizations at once: one loop per organization cost a millisecond
    of every run's set-up."""
    sizes = np.asarray(sizes, dtype=np.int64)
    local = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)  # rank inside the org
    managers = np.repeat(np.where(sizes > span, (sizes - 1) // (span + 1), 0), sizes)
    pos = np.full(len(local), STAFF, dtype=np.int8)
    pos[(local >= 1) & (local <= managers)] = MANAGER
    pos[local == 0] = EXECUTIVE
    return pos


def units_in_orgs(sizes: np.ndarray, span: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Each employee's work unit and the unit each leader leads, in the order of :func:`positions_in_orgs`.

    An organization with M managers has M + 1 units: the executive leads the managers' unit, each manager leads
    a team of staff (staff are dealt round-robin to managers, about ``span`` each); without managers the
    executive leads the staff. Returns ``(unit, leads, number of units)``; NONE where there is none.
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    local = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    per_org = np.where(sizes > span, (sizes - 1) // (span + 1), 0)
    first = np.concatenate([[0], np.cumsum(per_org + 1)[:-1]]).astype(np.int64)
    managers, top = np.repeat(per_org, sizes), np.repeat(first, sizes)
    unit = np.full(len(local), NONE, dtype=np.int32)
    leads = np.full(len(local), NONE, dtype=np.int32)
    is_manager, is_staff = (local >= 1) & (local <= managers), local > managers
    leads[local == 0] = top[local == 0]
    unit[is_manager] = top[is_manager]
    leads[is_manager] = (top + local)[is_manager]
    staff_rank = local - 1 - managers
    with_team = is_staff & (managers > 0)
    unit[with_team] = (top + 1 + staff_rank % np.maximum(managers, 1))[with_team]
    unit[is_staff & (managers == 0)] = top[is_staff & (managers == 0)]
    return unit, leads, int((per_org + 1).sum())


def build_population(params: PopulationParams, streams: Streams) -> tuple[People, Organizations, np.ndarray]:
    """People (employees grouped by organization, then residents), organizations, and each org's first id."""
    n = params.people
    employed = int(round(n * (1.0 - params.resident_share)))
    sizes = draw_org_sizes(employed, params, streams)
    orgs = make_organizations(sizes, params, streams)
    people = People(expected=int(n * 1.25))
    ids = people.add(n, month=0)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64) if len(sizes) else np.zeros(0, np.int64)
    org_of = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
    people.org[: len(org_of)] = org_of
    people.org[len(org_of) : n] = NO_ORG
    people.sector[: len(org_of)] = orgs.sector[org_of]
    people.place[: len(org_of)] = orgs.place[org_of]
    residents = ids[len(org_of):]
    people.place[residents] = streams.integers("person.place", 0, residents, params.places)
    if len(sizes):
        people.position[: len(org_of)] = positions_in_orgs(sizes, params.manager_span)
        people.unit[: len(org_of)], people.leads[: len(org_of)], orgs.units = units_in_orgs(sizes,
                                                                                            params.manager_span)
    draw_traits(people, ids, params, streams)
    settle_purpose(people, ids, params)
    return people, orgs, starts


def settle_purpose(people: People, ids: np.ndarray, params: PopulationParams) -> None:
    """Pull the founding population's purpose ``purpose_consensus`` of the way toward the trait mean.

    Why: averaging with contacts (``engagement.py``) narrows the spread of purpose until newcomers' fresh views
    balance it; a founding population drawn with newcomers' spread would spend its first years converging, and
    the share of aligned people (who found initiatives) would fall by two thirds before anything else happened.
    Newcomers keep the full spread.
    """
    c = np.float32(params.purpose_consensus)
    if c > 0:
        mean = np.float32(params.initial_purpose_mean)
        people.purpose[ids] = mean + (people.purpose[ids] - mean) * (np.float32(1.0) - c)


def draw_traits(people: People, ids: np.ndarray, params: PopulationParams, streams: Streams) -> None:
    """Identity group, capacities, purpose and engagement for newly arrived people (keyed by their ids).

    Capacities are Beta draws around a mean that rises with seniority: senior people bring the full seniority
    bonus on competence and organizing, half of it on the collective capacities. All draws use month 0's
    streams, so a newcomer's traits depend only on their id.
    """
    if len(ids) == 0:
        return
    tables = _trait_tables(params.initial_capacity_mean, params.seniority_capacity_bonus,
                           params.initial_purpose_mean)
    offsets = np.array([streams.offset("person.group", 0), streams.offset("person.purpose", 0),
                        streams.offset("person.engaged", 0)]
                       + [streams.offset("person.capacity", 0, d) for d in range(N_CAPACITIES)], dtype=np.uint64)
    _draw_traits(np.asarray(ids, dtype=np.int64), people.position, people.group, people.capacity,
                 people.base_capacity, people.purpose, people.engagement, tables, offsets, UNIT_GRID,
                 int(params.identity_groups), float(params.initial_engaged_share))


def _trait_means(capacity_mean: float, seniority_bonus: float, position: int) -> tuple[float, float]:
    """The Beta means of a position: (competence and organizing, the collective capacities)."""
    mean = float(np.clip(capacity_mean + seniority_bonus * position, 0.01, 0.95))
    other = float(np.clip(mean - 0.5 * seniority_bonus * position, 0.01, 0.95))
    return mean, other


@lru_cache(maxsize=64)
def _trait_tables(capacity_mean: float, seniority_bonus: float, purpose_mean: float) -> np.ndarray:
    """Inverse-CDF tables: rows 2p and 2p + 1 for position p's two capacity means, row 6 for purpose."""
    means = [m for position in (STAFF, MANAGER, EXECUTIVE) for m in _trait_means(capacity_mean, seniority_bonus,
                                                                                 position)]
    means.append(purpose_mean)
    return np.stack([beta_table(float(np.clip(m, 1e-4, 1 - 1e-4)), TRAIT_CONCENTRATION) for m in means])


@njit(cache=True)
def _draw_traits(ids, position, group, capacity, base_capacity, purpose, engagement, tables, offsets, grid,
                 n_groups, engaged_share):
    """The draws of :func:`draw_traits`, person by person (the same streams and inverse-CDF interpolation)."""
    for i in ids:
        u = np.uint64(i)
        group[i] = min(np.int64(draw_uniform(offsets[0], u) * n_groups), n_groups - 1)
        row = 2 * np.int64(position[i])
        for d in range(capacity.shape[1]):
            table = tables[row] if d in (COMPETENCE, ORGANIZING) else tables[row + 1]
            value = np.float32(interpolate(draw_uniform(offsets[3 + d], u), grid, table))
            capacity[i, d] = value
            base_capacity[i, d] = value
        purpose[i] = interpolate(draw_uniform(offsets[1], u), grid, tables[6])
        engagement[i] = 0.7 if draw_uniform(offsets[2], u) < engaged_share else 0.1


def replace_people(people: People, leavers: np.ndarray, params: PopulationParams, streams: Streams,
                   month: int) -> np.ndarray:
    """Newcomers taking the leavers' places: the leaver's role (the fields declared ``inherited``: organization,
    sector, position and place), fresh traits, every other field at its declared starting value."""
    new_ids = people.add(len(leavers), month)
    for name in INHERITED:
        getattr(people, name)[new_ids] = getattr(people, name)[leavers]
    draw_traits(people, new_ids, params, streams)
    return new_ids
