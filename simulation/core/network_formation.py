"""How ties come to be: the initial network, chance meetings with homophily, and triadic closure.

Initial network: colleagues tie inside a sliding team window of their organization (a ring lattice per
organization, so workplaces are clustered, as Watts & Strogatz's small worlds); managers tie to their staff and
executives to their managers; residents tie to neighbours in a ring sorted by identity group; and everyone holds a
few bridges to other organizations, chosen with sector and group homophily (McPherson et al. 2001). The number of
bridges starts at the steady state of monthly meetings against Burt's decay, so the baseline is stationary.

Responsibilities: the month-0 network (:func:`initial_network`) and step 5 of the month (:func:`update_ties`: the
month's meetings become ties, then unreinforced bridges decay, in one rewrite of the tie list).
Reads: people (organization, sector, group, place, position, alive), ``params.network``, the meeting streams.
Writes: ``model.ties``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .compiled import njit
from .network import COMMUNITY, CROSS_ORG, WORK, Ties, classify
from .people import EXECUTIVE, MANAGER, People
from .scenario import NetworkParams
from .streams import Streams, draw_uniform
from .tie_kernels import classify_pairs, pick_contacts

if TYPE_CHECKING:
    from .model import LeadershipModel


def monthly_survival(per_year: float) -> float:
    """Monthly survival probability that compounds to ``per_year`` over twelve months."""
    return float(per_year) ** (1.0 / 12.0)


def meeting_rate(params: NetworkParams) -> float:
    """Monthly chance a person makes a new bridge, so that bridges hold at ``cross_org_degree`` on average.

    Steady state: ties formed per month (N * rate) equal ties lost (N * degree / 2 * (1 - monthly survival)).
    """
    return params.cross_org_degree * (1.0 - monthly_survival(params.bridge_survival_per_year)) / 2.0


def _stubs(ids: np.ndarray, mean_ties: float, streams: Streams, name: str) -> np.ndarray:
    """Each id repeated about ``mean_ties`` times (integer part always, fractional part at random)."""
    whole = int(mean_ties)
    extra = streams.uniform(name, 0, ids) < (mean_ties - whole)
    return np.concatenate([np.repeat(ids, whole), ids[extra]])


def work_ties(people: People, starts: np.ndarray, sizes: np.ndarray, params: NetworkParams,
              streams: Streams) -> tuple[np.ndarray, np.ndarray]:
    """Colleague ties in a team window, plus the reporting lines of the hierarchy."""
    employed = np.flatnonzero(people.org[: people.count] >= 0)
    if len(employed) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    org = people.org[employed]
    start = starts[org]
    local = employed - start
    stub = _stubs(employed, params.work_degree / 2.0, streams, "net.work.stubs")
    s_org = people.org[stub]
    window = np.maximum(1, np.minimum(sizes[s_org] - 1, int(2 * params.work_degree) + 1))
    step = 1 + streams.integers("net.work.partner", 0, np.arange(len(stub)), window)
    partner = starts[s_org] + (stub - starts[s_org] + step) % sizes[s_org]
    # Reporting lines: each staff member to one manager (or the executive), each manager to the executive.
    pos = people.position[employed]
    n_mgr = np.bincount(org[pos == MANAGER], minlength=len(sizes))[org]
    boss_local = np.where((pos == MANAGER) | (n_mgr == 0), 0, 1 + local % np.maximum(n_mgr, 1))
    has_boss = pos != EXECUTIVE
    a = np.concatenate([stub, employed[has_boss]])
    b = np.concatenate([partner, (start + boss_local)[has_boss]])
    return a, b


def community_ties(people: People, params: NetworkParams, streams: Streams) -> tuple[np.ndarray, np.ndarray]:
    """Residents' neighbours: a ring of residents sorted by identity group, so most ties stay in the group."""
    residents = np.flatnonzero(people.org[: people.count] < 0)
    if len(residents) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    ring = residents[np.argsort(people.group[residents], kind="stable")]
    where = np.empty(people.count, dtype=np.int64)
    where[ring] = np.arange(len(ring))
    stub = _stubs(ring, params.community_degree / 2.0, streams, "net.community.stubs")
    window = max(1, min(len(ring) - 1, int(2 * params.community_degree) + 1))
    step = 1 + streams.integers("net.community.partner", 0, np.arange(len(stub)), window)
    return stub, ring[(where[stub] + step) % len(ring)]


def homophilous_partners(people: People, askers: np.ndarray, params: NetworkParams, streams: Streams,
                         name: str, month: int) -> np.ndarray:
    """A partner for each asker: same sector with prob. sector_homophily, same group with prob. group_homophily."""
    n = people.count
    offsets = np.array([streams.offset(name + ".sector", month), streams.offset(name + ".group", month)]
                       + [streams.offset(name + ".pick", month, salt) for salt in range(4)], dtype=np.uint64)
    return _pick_partners(people.alive[:n], people.sector[:n], people.group[:n], np.asarray(askers, np.int64),
                          offsets, float(params.sector_homophily), float(params.group_homophily))


@njit(cache=True)
def _pick_partners(alive, sector, group, askers, offsets, sector_homophily, group_homophily):
    """Each asker's pool is every living person with the same pool key (everyone, same sector, same group, or
    both), in ascending id order; the partner is a uniform pick from it, drawn from the pool type's stream.

    The pools are built by counting sorts of the living: everyone (the living in id order), then by sector, by
    group and by both, in one more pass.
    """
    living = np.flatnonzero(alive)
    n_groups, top_sector = 1, 0
    for i in living:
        n_groups = max(n_groups, np.int64(group[i]) + 1)
        top_sector = max(top_sector, np.int64(sector[i]))
    by_sector, by_group, by_both = [_pool_sort(living, sector, group, t, n_groups, top_sector)
                                    for t in (np.int64(1), np.int64(2), np.int64(3))]
    partners = np.empty(askers.shape[0], np.int64)
    for j in range(askers.shape[0]):
        a = askers[j]
        u = np.uint64(a)
        same_sector = draw_uniform(offsets[0], u) < sector_homophily
        same_group = draw_uniform(offsets[1], u) < group_homophily
        pool_type = np.int64(same_sector) + 2 * np.int64(same_group)  # 0 all, 1 sector, 2 group, 3 both
        if pool_type == 0:
            members, first, size = living, 0, living.shape[0]
        else:
            members, starts = by_sector if pool_type == 1 else by_group if pool_type == 2 else by_both
            k = _pool_key(pool_type, sector[a], group[a], n_groups)
            first, size = starts[k], starts[k + 1] - starts[k]
        size = max(size, 1)
        r = min(np.int64(draw_uniform(offsets[2 + pool_type], u) * size), size - 1)
        partners[j] = members[first + r]
    return partners


@njit(cache=True)
def _pool_sort(living, sector, group, pool_type, n_groups, top_sector):
    """The living sorted by one pool type's key (stable, so ids ascend within a key), and each key's start."""
    n_keys = _pool_key(pool_type, top_sector, n_groups - 1, n_groups) + 1
    starts = np.zeros(n_keys + 1, np.int64)
    keys = np.empty(living.shape[0], np.int64)
    for j in range(living.shape[0]):
        keys[j] = _pool_key(pool_type, sector[living[j]], group[living[j]], n_groups)
        starts[keys[j] + 1] += 1
    for k in range(n_keys):
        starts[k + 1] += starts[k]
    fill = starts[:-1].copy()
    members = np.empty(living.shape[0], np.int64)
    for j in range(living.shape[0]):
        members[fill[keys[j]]] = living[j]
        fill[keys[j]] += 1
    return members, starts


@njit(cache=True)
def _pool_key(pool_type, sector, group, n_groups):
    """Pool key for one pool type: 0 (everyone), sector, group, or sector and group together."""
    if pool_type == 0:
        return 0
    if pool_type == 1:
        return np.int64(sector) + 1
    if pool_type == 2:
        return np.int64(group) + 1
    return (np.int64(sector) + 1) * (n_groups + 1) + np.int64(group) + 1


def initial_network(people: People, starts: np.ndarray, sizes: np.ndarray, params: NetworkParams,
                    streams: Streams, weight_work: float = 0.5) -> Ties:
    """The network at month 0: work, community and bridge ties (bridges at their steady-state number)."""
    ties = Ties()
    wa, wb = work_ties(people, starts, sizes, params, streams)
    ca, cb = community_ties(people, params, streams)
    everyone = people.alive_ids()
    askers = _stubs(everyone, params.cross_org_degree / 2.0, streams, "net.bridge.stubs")
    ba = askers
    bb = homophilous_partners(people, askers, params, streams, "net.bridge", 0) if len(askers) else askers
    a = np.concatenate([wa, ca, ba])
    b = np.concatenate([wb, cb, bb])
    kind = classify(a, b, people.org, people.sector)
    structural = (kind == WORK) | (kind == COMMUNITY)
    ties.upsert(a[structural], b[structural], kind[structural], 0, weight_work, 0.0)
    ties.upsert(a[~structural], b[~structural], kind[~structural], 0, params.new_tie_weight, 0.0)
    return ties


def meeting_pairs(people: People, ties: Ties, params: NetworkParams, streams: Streams,
                  month: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs that meet this month and would make bridges, with their kinds.

    Meetings: each living person meets someone new with ``meeting_rate`` (a homophilous partner). Closures:
    with ``triadic_closure`` a person is introduced to a random contact of a random contact. Only bridges are
    kept: colleagues and neighbours are already tied through daily life.
    """
    n = people.count
    alive = people.alive[:n]
    meets = _chosen(alive, streams.offset("net.meet", month), meeting_rate(params))
    partners = homophilous_partners(people, meets, params, streams, "net.meet", month)
    closers = _chosen(alive, streams.offset("net.triad", month), float(params.triadic_closure))
    offsets = np.array([streams.offset("net.triad.friend", month), streams.offset("net.triad.fof", month)],
                       dtype=np.uint64)
    return _bridges(ties.ends, meets, partners, closers, offsets, people.org[:n], people.sector[:n], n)


@njit(cache=True)
def _chosen(alive, offset, probability):
    """Living ids (ascending) whose draw from the stream falls below ``probability``."""
    out = np.empty(alive.shape[0], np.int64)
    c = 0
    for i in range(alive.shape[0]):
        if alive[i] and draw_uniform(offset, np.uint64(i)) < probability:
            out[c] = i
            c += 1
    return out[:c]


@njit(cache=True)
def _bridges(ends, meets, partners, closers, offsets, org, sector, n):
    """The month's new pairs (meetings, then closures with a friend's friend) that would be bridges, with kinds.

    Written as plain loops: numba's boolean and fancy indexing cost seconds of compilation each.
    """
    friend = pick_contacts(ends, closers, n, offsets[:1])[0]
    fof = pick_contacts(ends, friend, n, offsets[1:])[0]  # a friend's pick does not depend on who asks (-1: none)
    m = meets.shape[0]
    a = np.empty(m + closers.shape[0], np.int64)
    b = np.empty(m + closers.shape[0], np.int64)
    for j in range(m):
        a[j], b[j] = meets[j], partners[j]
    c = m
    for j in range(closers.shape[0]):
        if friend[j] >= 0 and fof[j] >= 0 and fof[j] != closers[j]:
            a[c], b[c] = closers[j], fof[j]
            c += 1
    kind = classify_pairs(a[:c], b[:c], org, sector)
    keep = 0
    for j in range(c):
        if kind[j] >= CROSS_ORG:
            a[keep], b[keep], kind[keep] = a[j], b[j], kind[j]
            keep += 1
    return a[:keep], b[:keep], kind[:keep]


def update_ties(model: LeadershipModel) -> None:
    """Step 5: the month's meetings become ties, then unreinforced bridges decay (one rewrite of the tie list).

    Reads the people, ``model.params.network`` and the month's meeting streams; writes ``model.ties``.
    """
    net = model.params.network
    a, b, kind = meeting_pairs(model.people, model.ties, net, model.streams, model.month)
    model.ties.upsert_and_decay(a, b, kind, model.month, net.new_tie_weight, net.reinforcement,
                                monthly_survival(net.bridge_survival_per_year),
                                monthly_survival(net.strong_survival_per_year), net.strong_tie_weight,
                                net.weight_decay, model.streams)
