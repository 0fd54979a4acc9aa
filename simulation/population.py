"""Building the initial population: organizations, their hierarchies, residents, identity groups and traits.

A person's initial traits are drawn from streams keyed by their id, so the first cohort and every later replacement
are drawn the same way and a replacement's traits do not depend on what else happened that month.
"""

from __future__ import annotations

import numpy as np

from .organizations import Organizations, draw_org_sizes, make_organizations
from .people import COMPETENCE, EXECUTIVE, MANAGER, N_CAPACITIES, NO_ORG, ORGANIZING, STAFF, People
from .scenario import PopulationParams
from .streams import Streams

TRAIT_CONCENTRATION = 10.0  # Beta a+b for capacities and purpose: sd about 0.14 around a mean of 0.3


def positions_in_org(size: int, span: int) -> np.ndarray:
    """Executive first, then one manager per ``span`` staff, then staff (a flat hierarchy for small orgs)."""
    pos = np.full(size, STAFF, dtype=np.int8)
    pos[0] = EXECUTIVE
    n_managers = (size - 1) // (span + 1) if size > span else 0
    pos[1 : 1 + n_managers] = MANAGER
    return pos


def build_population(params: PopulationParams, streams: Streams) -> tuple[People, Organizations, np.ndarray]:
    """People (employees grouped by organization, then residents), organizations, and each org's first id."""
    n = params.people
    employed = int(round(n * (1.0 - params.resident_share)))
    sizes = draw_org_sizes(employed, params, streams)
    orgs = make_organizations(sizes, params, streams)
    people = People(expected=int(n * 1.25))
    ids = people.add(n)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64) if len(sizes) else np.zeros(0, np.int64)
    org_of = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
    people.org[: len(org_of)] = org_of
    people.org[len(org_of) : n] = NO_ORG
    people.sector[: len(org_of)] = orgs.sector[org_of]
    people.place[: len(org_of)] = orgs.place[org_of]
    residents = ids[len(org_of):]
    people.place[residents] = streams.integers("person.place", 0, residents, params.places)
    if len(sizes):
        people.position[: len(org_of)] = np.concatenate([positions_in_org(int(s), params.manager_span)
                                                          for s in sizes])
    draw_traits(people, ids, params, streams, month=0)
    people.joined[ids] = 0
    return people, orgs, starts


def draw_traits(people: People, ids: np.ndarray, params: PopulationParams, streams: Streams, month: int) -> None:
    """Identity group, capacities, purpose and engagement for newly arrived people (keyed by their ids)."""
    if len(ids) == 0:
        return
    people.group[ids] = streams.integers("person.group", 0, ids, params.identity_groups)
    seniority = people.position[ids].astype(np.float64)
    mean = np.clip(params.initial_capacity_mean + params.seniority_capacity_bonus * seniority, 0.01, 0.95)
    caps = np.empty((len(ids), N_CAPACITIES), dtype=np.float32)
    individual = (COMPETENCE, ORGANIZING)  # senior people bring the full seniority bonus on these two
    other = tuple(d for d in range(N_CAPACITIES) if d not in individual)
    other_mean = np.clip(mean - 0.5 * params.seniority_capacity_bonus * seniority, 0.01, 0.95)
    for dims, dim_mean in ((individual, mean), (other, other_mean)):
        caps[:, dims] = streams.betas("person.capacity", 0, ids, dim_mean, TRAIT_CONCENTRATION, salts=dims)
    people.capacity[ids] = caps
    people.base_capacity[ids] = caps
    people.purpose[ids] = streams.beta("person.purpose", 0, ids, params.initial_purpose_mean, TRAIT_CONCENTRATION)
    engaged = streams.uniform("person.engaged", 0, ids) < params.initial_engaged_share
    people.engagement[ids] = np.where(engaged, 0.7, 0.1).astype(np.float32)
    people.joined[ids] = month


def replace_people(people: People, leavers: np.ndarray, params: PopulationParams, streams: Streams,
                   month: int) -> np.ndarray:
    """Newcomers taking the leavers' places: same organization, sector and position; fresh traits."""
    new_ids = people.add(len(leavers))
    for name in ("org", "sector", "position", "place"):
        getattr(people, name)[new_ids] = getattr(people, name)[leavers]
    draw_traits(people, new_ids, params, streams, month)
    return new_ids
