"""How ties come to be: the initial network, chance meetings with homophily, and triadic closure.

Initial network: colleagues tie inside a sliding team window of their organization (a ring lattice per
organization, so workplaces are clustered, as Watts & Strogatz's small worlds); managers tie to their staff and
executives to their managers; residents tie to neighbours in a ring sorted by identity group; and everyone holds a
few bridges to other organizations, chosen with sector and group homophily (McPherson et al. 2001). The number of
bridges starts at the steady state of monthly meetings against Burt's decay, so the baseline is stationary.
"""

from __future__ import annotations

import numpy as np

from .network import COMMUNITY, CROSS_ORG, WORK, Ties, classify
from .people import EXECUTIVE, MANAGER, People
from .scenario import NetworkParams
from .streams import Streams


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
    alive = people.alive_ids()
    sector = people.sector.take(alive).astype(np.int64)
    group = people.group.take(alive).astype(np.int64)
    n_groups = int(group.max()) + 1 if len(group) else 1
    u_sec = streams.uniform(name + ".sector", month, askers, salt=0)
    u_grp = streams.uniform(name + ".group", month, askers, salt=0)
    same_sector = u_sec < params.sector_homophily
    same_group = u_grp < params.group_homophily
    which = same_sector.astype(int) + 2 * same_group.astype(int)  # 0 all, 1 sector, 2 group, 3 both
    a_sector, a_group = people.sector[askers].astype(np.int64), people.group[askers].astype(np.int64)
    partners = np.empty(len(askers), dtype=np.int64)
    for pool_type in range(4):
        sel = np.flatnonzero(which == pool_type)
        if len(sel) == 0:
            continue
        # The asker's pool is every living person with the same pool key, in ascending id order; pick uniformly.
        pool, key = _pool_keys(pool_type, sector, group, n_groups), _pool_keys(pool_type, a_sector, a_group, n_groups)
        if pool is None:  # everyone: the pool is ``alive`` itself, no sort needed
            lo, size, order = np.zeros(len(sel), np.int64), np.full(len(sel), len(alive)), None
        else:
            order = np.argsort(pool.astype(np.int16), kind="stable")  # 16-bit keys: a radix sort
            counts = np.bincount(pool, minlength=int(key[sel].max()) + 1)
            starts = np.cumsum(counts) - counts  # the pool's first position in the sorted order
            lo, size = starts[key[sel]], counts[key[sel]]
        r = streams.integers(name + ".pick", month, askers[sel], np.maximum(size, 1), salt=pool_type)
        partners[sel] = alive[lo + r] if order is None else alive[order[lo + r]]
    return partners


def _pool_keys(pool_type: int, sector: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray | None:
    """Pool key per person for one pool type: None (everyone), sector, group, or sector and group together."""
    if pool_type == 0:
        return None
    if pool_type == 1:
        return sector + 1
    if pool_type == 2:
        return group + 1
    return (sector + 1) * (n_groups + 1) + group + 1


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


def form_ties(people: People, ties: Ties, params: NetworkParams, streams: Streams, month: int) -> int:
    """This month's chance meetings and triadic closures; returns the number of new ties."""
    alive = people.alive_ids()
    n = people.count
    meets = alive[streams.uniform("net.meet", month, alive) < meeting_rate(params)]
    partners = homophilous_partners(people, meets, params, streams, "net.meet", month) if len(meets) else meets
    closers = alive[streams.uniform("net.triad", month, alive) < params.triadic_closure]
    friend = ties.random_neighbor(closers, n, streams, "net.triad.friend", month)
    has_friend = friend >= 0
    closers, friend = closers[has_friend], friend[has_friend]
    friends = np.unique(friend)
    fof_of = np.full(n, -1, dtype=np.int64)
    fof_of[friends] = ties.random_neighbor(friends, n, streams, "net.triad.fof", month)
    third = fof_of[friend]
    ok = (third >= 0) & (third != closers)
    a = np.concatenate([meets, closers[ok]])
    b = np.concatenate([partners, third[ok]])
    if len(a) == 0:
        return 0
    kind = classify(a, b, people.org, people.sector)
    bridge = kind >= CROSS_ORG  # colleagues and neighbours are already tied through daily life
    return ties.upsert(a[bridge], b[bridge], kind[bridge], month, params.new_tie_weight, params.reinforcement)
