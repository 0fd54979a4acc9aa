"""Collective initiatives: groups of engaged, aligned people acting together across organizations and sectors.

The leadership-development chain of the seeds runs through here: "Connecting ... lays the foundation for developing
a shared sense of purpose out of which collective action grows"; "Organizing is the process by which a group with a
shared sense of purpose develops and implements strategies" (A New Leadership Mindset).

* **Forming**: an engaged person whose purpose is aligned may found one (chance scaled by their organizing
  capacity) if enough of their contacts are also engaged, aligned and free.
* **Momentum** grows with capability above the problem's difficulty. Capability is the group's, not one person's:
  on each process dimension it is the mean of the group's three strongest members ("why cultivate all leadership
  skills in one person?"), boosted by sector diversity and senior members' buy-in. Momentum is lost when members'
  attention (engagement) lapses. An initiative whose momentum reaches zero fails, unless it can adapt.
* **Spread**: an organization adopts an initiative only after several of its people - senior ones count more -
  are tied to its members (complex contagion, Centola 2010; Rogers 2003), and more readily if its culture is open
  and its leaders sponsor it (``leadership.py``). A member's own organization needs the same ties (colleagues
  are tied to the member); the share of adoptions outside members' own organizations is a metric.
* **Life cycle**: each initiative draws its own difficulty and lifetime; a problem beyond its capability stalls it
  (no momentum gained); it fails when momentum runs out, fades when it runs out after its programme's support
  ended, completes after its lifetime (:func:`_advance`). It replaces members who leave from its members'
  engaged, aligned, free contacts (:func:`recruit_members`) and dissolves when fewer than two are left.
* **Effect** (:func:`lever_contributions`): a person is reached by the initiatives they are a member of and by
  those their organization adopted; their exposure saturates, ``1 - prod(1 - m_k)`` over those initiatives with
  ``m_k`` = momentum / ceiling, so being reached twice never counts twice; what they apply is filtered by their
  transfer factor (``practice``), as a training gain is. A sector's collective part is ``impact`` x the mean
  applied exposure of its people; ``community.py`` combines it with the organizational part.

Responsibilities: step 6 of the month (:func:`form_initiatives`, :func:`progress_initiatives`,
:func:`spread_initiatives`), the ``Initiative`` agent, :func:`start_initiative` for interventions that launch
one, and the initiatives' gains on the sector levers (:func:`lever_contributions`, read by ``community.py``).
Reads: ``model.people`` (``alive``, ``engagement``, ``purpose``, ``capacity``, ``sector``, ``position``, ``org``),
``model.ties``, ``model.orgs`` (``openness``, ``sector``, ``size``), ``model.params.initiatives``, the
``initiative.*`` streams of ``model.month``.
Writes: ``model.initiatives`` (new ones, momentum, status, adopters), ``people.initiative``, members'
``capacity``, ``base_capacity`` and ``engagement`` (learning by doing), the weights of ties between members.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .agents import Collective
from .compiled import njit
from .learning import learn_by_doing
from .people import CAPACITY_SD, COLLECTIVE, NONE, STAFF, influence_weight
from .streams import draw_uniform, pair_ids

if TYPE_CHECKING:
    from .model import LeadershipModel



class Initiative(Collective):
    """A collective initiative (a Change Lab prototype, a network's project, a community-of-practice effort)."""

    kind = "initiative"

    def __init__(self, model: LeadershipModel, members: np.ndarray, label: str = "", source: str = "emergent",
                 funded_until: int = -1):
        super().__init__(model, members, label)
        prm = model.params.initiatives
        self.index = len(model.initiatives)
        self.momentum = prm.initial_momentum
        uid = np.array([self.index])
        # The problem this group takes on: harder or easier than the community's typical difficulty.
        shock = float(model.streams.normal("initiative.difficulty", 0, uid)[0])
        self.difficulty = float(np.clip(prm.difficulty + prm.difficulty_spread * shock, 0.0, 1.0))
        # Months of work until it completes, between half and one and a half times the typical lifetime.
        u = float(model.streams.uniform("initiative.lifetime", 0, uid)[0])
        self.lifetime = max(1, int(round(prm.lifetime_months * (0.5 + u))))
        self.funded_until = int(funded_until)  # the month a programme's support ends (-1: never funded)
        self.adopters = np.zeros(model.orgs.count, dtype=bool)
        self.status = "active"
        self.source = source
        self.adaptive = 0.0  # chance of re-planning instead of failing (adaptive leadership raises it)
        self.peak_momentum = self.momentum
        self.adaptations = 0
        self.goal = len(self.members)  # members it works with; it recruits to replace those who leave
        model.people.initiative[self.members] = self.index

    @property
    def scaled(self) -> bool:
        return int(self.adopters.sum()) >= self.model.params.initiatives.scaled_orgs

    def capability(self) -> float:
        """Group capability: core-team capacity x (0.5 + 0.5 sector diversity) + senior buy-in, plus the
        programme's support while it is funded (coordination, facilitation, technical assistance)."""
        p = self.model.people
        m = self.members
        prm = self.model.params.initiatives
        caps = np.sort(p.capacity[m, COLLECTIVE], axis=0)[-prm.core_size:]
        core = float(caps.sum()) / caps.size
        n_kinds = len(self.model.params.population.sectors) + 1  # residents (sector -1) are a constituency too
        diversity = np.count_nonzero(np.bincount(p.sector[m] + 1)) / n_kinds
        senior = np.count_nonzero(p.position[m] > STAFF) / len(m) if len(m) else float("nan")
        support = prm.funded_support if self.funded_until >= 0 and self.funded(self.model.month) else 0.0
        return core * (0.5 + 0.5 * diversity) + prm.senior_buy_in * senior + support

    def funded(self, month: int) -> bool:
        """Whether a programme still supports it (emergent initiatives never had support to lose)."""
        return self.funded_until < 0 or month < self.funded_until

    def exposure(self) -> float:
        """How strongly it acts on those it reaches: its momentum as a share of the ceiling, in [0, 1]."""
        return min(1.0, max(0.0, self.momentum / self.model.params.initiatives.max_momentum))

    def join(self, people: np.ndarray) -> None:
        """Add people who are in no initiative as members (up to ``initiatives.max_members``); the group's goal
        size grows with them."""
        p, room = self.model.people, self.model.params.initiatives.max_members - len(self.members)
        people = np.asarray(people, dtype=np.int64)
        people = people[p.initiative[people] == NONE][: max(0, room)]
        if len(people):
            self.members = np.concatenate([self.members, people])
            p.initiative[people] = self.index
            self.goal = max(self.goal, len(self.members))

    def end(self, status: str) -> None:
        self.status = status
        self.active = False
        p = self.model.people
        mine = self.members[p.initiative[self.members] == self.index]
        p.initiative[mine] = NONE


def form_initiatives(model: LeadershipModel) -> None:
    """Founders recruit engaged, aligned, free contacts; a group big enough becomes an initiative."""
    p, prm, month = model.people, model.params.initiatives, model.month
    n = p.count
    founders, starts, recruits = _founders_and_recruits(
        model.ties.ends, model.ties.weight, p.alive[:n], p.engagement, p.purpose, p.initiative, p.capacity,
        np.float32(model.params.engagement.engaged_threshold), np.float32(prm.min_purpose),
        np.float32(prm.founding_rate * 2.0), model.streams.offset("initiative.found", month))
    taken = np.zeros(n, dtype=bool)
    for k, founder in enumerate(founders.tolist()):
        group = recruits[starts[k] : starts[k + 1]]
        group = group[~taken[group]][: prm.max_members - 1]
        if taken[founder] or len(group) + 1 < prm.min_members:
            continue
        members = np.concatenate([[founder], group])
        taken[members] = True
        start_initiative(model, members, source="emergent")


@njit(cache=True)
def _founders_and_recruits(ends, weight, alive, engagement, purpose, initiative, capacity, engaged_threshold,
                           min_purpose, founding_chance, offset):
    """This month's founders (ascending) and, for each, the eligible contacts they would recruit, strongest tie
    first: ``recruits[starts[k]:starts[k + 1]]`` for founder k.

    Eligible: alive, engaged, aligned (purpose at least ``min_purpose``) and in no initiative. An eligible person
    founds with chance ``founding_chance x organizing capacity`` (float32). Contacts with equally strong ties keep
    the order of the tie list.
    """
    n = alive.shape[0]
    eligible = np.zeros(n, np.bool_)
    slot = np.full(n, -1, np.int64)
    founders = np.empty(n, np.int64)
    f = 0
    for i in range(n):
        if alive[i] and engagement[i] >= engaged_threshold and purpose[i] >= min_purpose and initiative[i] < 0:
            eligible[i] = True
            if draw_uniform(offset, np.uint64(i)) < founding_chance * capacity[i, 1]:
                founders[f] = i
                slot[i] = f
                f += 1
    founders = founders[:f]
    starts = np.zeros(f + 1, np.int64)
    if f == 0:  # most months: no founder, so no pass over the ties
        return founders, starts, np.empty(0, np.int64)
    for e in range(ends.shape[0]):  # count each founder's eligible contacts, then list them
        for a, b in ((ends[e, 0], ends[e, 1]), (ends[e, 1], ends[e, 0])):
            if slot[a] >= 0 and eligible[b]:
                starts[slot[a] + 1] += 1
    starts = np.cumsum(starts)
    fill = starts[:-1].copy()
    recruits = np.empty(starts[-1], np.int64)
    strength = np.empty(starts[-1], np.float32)
    for e in range(ends.shape[0]):
        for a, b in ((ends[e, 0], ends[e, 1]), (ends[e, 1], ends[e, 0])):
            if slot[a] >= 0 and eligible[b]:
                k = slot[a]
                recruits[fill[k]], strength[fill[k]] = b, weight[e]
                fill[k] += 1
    for k in range(f):  # stable insertion sort of each founder's contacts, strongest first
        for j in range(starts[k] + 1, starts[k + 1]):
            r, w = recruits[j], strength[j]
            i = j - 1
            while i >= starts[k] and strength[i] < w:
                recruits[i + 1], strength[i + 1] = recruits[i], strength[i]
                i -= 1
            recruits[i + 1], strength[i + 1] = r, w
    return founders, starts, recruits


def start_initiative(model: LeadershipModel, members: np.ndarray, source: str, label: str = "",
                     funded_until: int = -1) -> Initiative:
    """Register a new initiative (interventions such as a change lab call this for their prototypes).

    ``funded_until`` is the month the launching programme's support ends (facilitation, meetings, money); after it
    the initiative loses ``initiatives.funding_loss`` momentum a month unless its own capability carries it.
    """
    members = np.asarray(members, dtype=np.int64)
    members = members[model.people.initiative[members] == NONE]
    initiative = Initiative(model, members, label=label, source=source, funded_until=funded_until)
    model.initiatives.append(initiative)
    return initiative


def progress_initiatives(model: LeadershipModel) -> None:
    """Momentum, learning by doing, tie reinforcement and failure for every active initiative."""
    p, prm, month = model.people, model.params.initiatives, model.month
    active = [i for i in model.initiatives if i.active]
    if not active:
        return
    uids = np.array([i.index for i in active])
    for initiative in active:  # those who left the community or the group are no longer members
        members = initiative.living_members()
        initiative.members = members[p.initiative[members] == initiative.index]
    recruit_members(model, active)
    shocks = model.streams.normal("initiative.momentum", month, uids)
    adapt_draw = model.streams.uniform("initiative.adapt", month, uids)
    for initiative, shock, adapt_u in zip(active, shocks, adapt_draw, strict=True):
        members = initiative.members
        if len(members) < 2:
            initiative.end("dissolved")
            continue
        _advance(initiative, prm, month, float(p.engagement[members].sum()) / len(members), shock, adapt_u)
    doers = np.flatnonzero((p.initiative[: p.count] >= 0) & p.alive[: p.count])
    learn_by_doing(p, doers, model.params.learning.learning_by_doing)
    p.engagement[doers] = np.minimum(1.0, p.engagement[doers] + prm.member_engagement_boost)
    model.ties.reinforce_within(p.initiative[: p.count], month, model.params.network.reinforcement)


def recruit_members(model: LeadershipModel, active: list[Initiative]) -> None:
    """Initiatives below their goal size replace members who left: with chance ``initiatives.recruitment`` a month,
    one fills its vacancies with its members' engaged, aligned, free contacts, strongest tie first (the same people
    a founder recruits), before a group left with fewer than two dissolves; a contact joins one group at most."""
    p, prm = model.people, model.params.initiatives
    short = [i for i in active if 1 <= len(i.members) < i.goal]
    if not short or prm.recruitment <= 0 or len(model.ties) == 0:
        return
    u = model.streams.uniform("initiative.recruit", model.month, np.array([i.index for i in short]))
    hiring = [i for i, draw in zip(short, u, strict=True) if draw < prm.recruitment]
    if not hiring:
        return
    n = p.count
    wants = np.zeros(len(model.initiatives), dtype=np.bool_)
    wants[[i.index for i in hiring]] = True
    free = (p.alive[:n] & (p.engagement[:n] >= model.params.engagement.engaged_threshold)
            & (p.purpose[:n] >= prm.min_purpose) & (p.initiative[:n] == NONE))
    group, person, strength = _contacts_of_members(model.ties.ends, model.ties.weight, p.initiative[:n], free, wants)
    order = np.lexsort((-strength, group))  # by initiative, strongest tie first
    group, person = group[order], person[order]
    for initiative in hiring:  # a handful of initiatives
        mine = person[group == initiative.index]
        mine = mine[p.initiative[mine] == NONE]
        _, first = np.unique(mine, return_index=True)
        initiative.join(mine[np.sort(first)][: initiative.goal - len(initiative.members)])


@njit(cache=True)
def _contacts_of_members(ends, weight, label, free, wants):
    """Every (initiative, contact, tie weight) where a member of an initiative that ``wants`` members is tied to a
    ``free`` person; counted first, then listed, so memory grows with the candidates, not with the ties."""
    c = 0
    for e in range(ends.shape[0]):
        for a, b in ((ends[e, 0], ends[e, 1]), (ends[e, 1], ends[e, 0])):
            if label[a] >= 0 and wants[label[a]] and free[b]:
                c += 1
    group, person, strength = np.empty(c, np.int64), np.empty(c, np.int64), np.empty(c, np.float32)
    c = 0
    for e in range(ends.shape[0]):
        for a, b in ((ends[e, 0], ends[e, 1]), (ends[e, 1], ends[e, 0])):
            if label[a] >= 0 and wants[label[a]] and free[b]:
                group[c], person[c], strength[c] = label[a], b, weight[e]
                c += 1
    return group, person, strength


def _advance(initiative: Initiative, prm, month: int, attention: float, shock: float, adapt_u: float) -> None:
    """One month of an initiative's life cycle: momentum, then failure, fading or completion.

    Momentum grows with capability above the initiative's own difficulty, more slowly as it nears its ceiling
    (logistic), and is lost when members' attention lapses and, once its programme's support has ended, by
    ``funding_loss`` a month. At zero it fails (or fades, if its support had ended) unless it can adapt; once it
    has worked ``lifetime`` months it completes. Either way what it built - ties, members' capacity - stays.
    """
    growth = max(0.0, prm.momentum_gain * (initiative.capability() - initiative.difficulty))
    growth *= max(0.0, 1.0 - initiative.momentum / prm.max_momentum)
    loss = prm.attention_loss * (1 - attention) + (0.0 if initiative.funded(month) else prm.funding_loss)
    initiative.momentum = min(prm.max_momentum, initiative.momentum + growth - loss + prm.momentum_noise * shock)
    initiative.peak_momentum = max(initiative.peak_momentum, initiative.momentum)
    if initiative.momentum <= 0:
        if adapt_u < initiative.adaptive:
            initiative.momentum = prm.initial_momentum / 2  # re-plan: try a new prototype
            initiative.adaptations += 1
        else:
            initiative.end("failed" if initiative.funded(month) else "faded")
    elif month - initiative.created >= initiative.lifetime:
        initiative.end("completed")


def spread_initiatives(model: LeadershipModel) -> None:
    """Organizations exposed through enough (senior-weighted) ties to an initiative's members may adopt it."""
    p, prm, t, month = model.people, model.params.initiatives, model.ties, model.month
    if not any(i.active for i in model.initiatives) or len(t) == 0:
        return
    weights = influence_weight(np.arange(3), model.params.learning.executive_influence)
    pair, w = _exposures(t.ends, p.initiative[: p.count], p.org[: p.count], p.position[: p.count], weights,
                         model.orgs.count)
    if len(pair) == 0:
        return
    key, inverse = np.unique(pair, return_inverse=True)  # numpy's sort: much faster than a compiled mergesort
    exposure = np.bincount(inverse, weights=w)
    ini_k, org_k = key // model.orgs.count, key % model.orgs.count
    ready = exposure >= prm.adoption_ties
    ini_k, org_k = ini_k[ready], org_k[ready]
    sponsors = np.maximum(0.0, 1.0 + prm.sponsorship * model.org_quality[org_k] / CAPACITY_SD)
    chance = prm.adoption_probability * (0.5 + model.orgs.openness[org_k]) * sponsors
    adopts = model.streams.uniform("initiative.adopt", month, pair_ids(ini_k, org_k)) < chance
    for i, o in zip(ini_k[adopts].tolist(), org_k[adopts].tolist(), strict=True):
        initiative = model.initiatives[i]
        if initiative.active and not initiative.adopters[o]:
            initiative.adopters[o] = True
            own = bool(np.any(p.org[initiative.living_members()] == o))
            model.adoptions[0 if own else 1] += 1


@njit(cache=True)
def _exposures(ends, label, org, position, weights, n_orgs):
    """The exposures of organizations to initiatives, one per tie end: the pair (initiative x n_orgs + org) and
    the influence weight of the exposed person.

    A tie exposes, in each direction, the organization of one end to the initiative of the other when that other
    end is a member and this one works in an organization and is not in the same initiative. The exposures are
    counted first and then listed, so memory grows with the exposures, not with the ties.
    """
    c = 0
    for e in range(ends.shape[0]):
        for a, b in ((ends[e, 0], ends[e, 1]), (ends[e, 1], ends[e, 0])):  # member a exposes b's organization
            if label[a] >= 0 and label[b] != label[a] and org[b] >= 0:
                c += 1
    pair = np.empty(c, np.int64)
    w = np.empty(c)
    c = 0
    for e in range(ends.shape[0]):
        for a, b in ((ends[e, 0], ends[e, 1]), (ends[e, 1], ends[e, 0])):
            if label[a] >= 0 and label[b] != label[a] and org[b] >= 0:
                pair[c] = np.int64(label[a]) * n_orgs + np.int64(org[b])
                w[c] = weights[position[b]]
                c += 1
    return pair, w


def lever_contributions(model: LeadershipModel) -> np.ndarray:
    """Each sector's collective part in [0, 1]: ``impact`` x the mean over the sector's people of their saturated
    exposure to active initiatives times their transfer factor (see the module docstring).

    ``initiatives.member_reach`` is a structural switch: 1 (members act on their sector's lever directly, and
    adopting organizations' people through their work) or 0 (an initiative acts only through the organizations
    that adopt it); between, a member's own exposure is weighted by it.
    """
    n_sectors = len(model.params.population.sectors)
    active = [i for i in model.initiatives if i.active]
    if not active:
        return np.zeros(n_sectors)
    p, prm, n = model.people, model.params.initiatives, model.people.count
    keep = np.log1p(-np.minimum(np.array([i.exposure() for i in active]), 1.0 - 1e-12))  # log(1 - m_k)
    # Organizations: 1 - prod over adopted initiatives of (1 - m_k), as a sum of logs.
    not_reached = np.exp(np.stack([i.adopters for i in active]).T.astype(np.float64) @ keep)
    org, label = p.org[:n], p.initiative[:n]
    miss = np.where(org >= 0, not_reached[np.maximum(org, 0)], 1.0)
    if prm.member_reach > 0:
        row_of = np.full(len(model.initiatives), -1, dtype=np.int64)
        row_of[[i.index for i in active]] = np.arange(len(active))
        rows = np.where(label >= 0, row_of[np.maximum(label, 0)], -1)
        own = prm.member_reach * -np.expm1(keep)  # member_reach x m_k of each person's own initiative
        miss = miss * np.where(rows >= 0, 1.0 - own[np.maximum(rows, 0)], 1.0)
    counted = p.alive[:n] & (p.sector[:n] >= 0)
    applied = (1.0 - miss[counted]) * p.practice[:n][counted]
    reached = np.bincount(p.sector[:n][counted], weights=applied, minlength=n_sectors)
    return np.minimum(1.0, prm.impact * reached / np.maximum(model.sector_population(), 1))
