"""Hosting (Art of Hosting, World Café, Open Space): many people, short events, weak ties and shared purpose.

"The art of hosting is a practice of creating spaces that generate connections, deeper conversations ... People
often deeply connect with others who bring very different experiences from them." Its challenges: "people often
have a difficult time taking what they have experienced back into contexts ... whose purpose and methods of
interacting are antithetical to hosting (e.g., hierarchies and bureaucracies). This can cause frustration and
disillusionment. One way this is being addressed is by creating “communities of practice” or “learning
communities.”"; "harvesting" the wisdom; and "moving to action. Action requires a more sustained engagement over
time that extends beyond one gathering or event. Often hosting is a one-off experience" - while one participant
"came back and established a Shambhala “alumni” community in Boston that meets monthly" (Leading Edge Promising
Practices in Collective and Individual Leadership Development, "Hosting").

Mechanism:

* **The event** (a World Café): participants sit at tables of ``table_size`` for ``rounds`` rounds, changing tables
  each round (Brown & Isaacs, The World Café: tables of four, rounds of 20-30 minutes, usually three). Each
  conversation becomes an acquaintance with probability ``acquaintance``: a new weak tie (most across organizations
  and sectors) or a reinforced one. Participants close ``purpose_gain`` of their gap to full purpose alignment and
  gain ``engagement_gain`` engagement.
* **Afterglow**: the purpose gained at the event is an afterglow, not yet understanding. Each month it fades with
  half-life ``afterglow_half_life`` in an organization of average openness, faster in closed ones (the monthly loss
  is scaled by 2 x (1 - openness); residents fade at the base rate): disillusionment in contexts antithetical to
  hosting. Engagement needs no extra rule: it fades by the model's own decay (``engagement.engagement_decay``), and
  new weak ties decay as any unreinforced bridge (Burt 2002).
* **Harvest and follow-up** (``follow_up_months`` > 0): a share ``follow_up_share`` of each event's participants
  join a follow-up community that meets monthly for ``follow_up_months``; each attends with probability
  ``follow_up_attendance``. At a gathering, ties among attendees are reinforced (so the event's ties between
  members become strong and outlast the decay of weak bridges) and a round of table conversation adds some;
  attending harvests the afterglow (reflection turns
  it into lasting purpose: it no longer fades); engagement rises by ``follow_up_engagement``; and Open Space moves
  to action: attendees who are engaged, aligned and free are put in action groups of ``action_group_size``, and a
  group at least ``initiatives.min_members`` strong becomes a collective initiative (source ``"hosting"``) with
  probability ``action_probability``. Without follow-up (the default: "Often hosting is a one-off experience"),
  nothing of this happens and the event fades.

Defaults (assumptions where no source gives a number): an event every 6 months; 60 per participant (catering and
venue share, plus a hosting team of two or three for about 100 people); acquaintance 0.3 per conversation (about
three new weak ties per participant); purpose gain 10% of the gap and engagement 0.1 (a third of a rung of
``engagement.climb``); afterglow half-life 3 months. Follow-up: a third of participants join (assumption); monthly
(the Shambhala alumni community "meets monthly"); attendance 0.7 and engagement 0.05 a gathering (as in
``community_of_practice``); 20 per member per month (a volunteer-hosted circle: room and refreshments); action groups
of 5 (an Open Space breakout) launching with probability 0.1 a gathering.
"""

from __future__ import annotations

import numpy as np

from ..agents import Collective
from ..initiatives import start_initiative
from ..people import NONE
from ..streams import pair_ids
from .base import Intervention, register
from .meetings import chunk_labels, connect_groups, group_pairs, meet
from .params.hosting import HostingParams


class FollowUp(Collective):
    """The follow-up community of one event: members who joined, meeting monthly; seats paid monthly."""

    kind = "hosting_follow_up"

    def __init__(self, model, members: np.ndarray, label: str = "") -> None:
        super().__init__(model, members, label)
        self.seats = len(self.members)


@register
class Hosting(Intervention):
    name = "hosting"
    summary = "World Café-style events: many people, cheap, weak ties and purpose that fade without follow-up."
    source = "Leading Edge Promising Practices in Collective and Individual Leadership Development (Hosting)"
    Params = HostingParams

    def setup(self, model) -> None:
        self.follow_ups: list[FollowUp] = []
        self._glow = np.zeros(model.people.size, dtype=np.float32)  # unharvested purpose gain per person
        self._glowing = np.zeros(0, dtype=np.int64)

    # ---- budget: follow-up seats are paid monthly --------------------------------------------------------
    def follow_up_months_from(self, month: int) -> int:
        return min(self.params.follow_up_months, max(0, self.horizon - month - 1))

    def head_cost(self, month: int) -> float:
        """The event, and a participant's expected follow-up seats (a share of them join, paid monthly)."""
        prm = self.params
        seat = prm.follow_up_share * prm.follow_up_cost_per_member_month
        return prm.cost_per_participant + seat * self.follow_up_months_from(month)

    def eligible(self, model) -> np.ndarray:
        """Anyone living may come, again and again: events are open."""
        return model.people.alive[: model.people.count].copy()

    # ---- the event -----------------------------------------------------------------------------------------
    def start_event(self, model, participants: np.ndarray) -> None:
        prm, p, month = self.params, model.people, model.month
        self._converse(model, participants, prm.rounds)
        gain = (prm.purpose_gain * (1.0 - p.purpose[participants])).astype(np.float32)
        p.purpose[participants] += gain
        p.engagement[participants] = np.minimum(1.0, p.engagement[participants] + prm.engagement_gain)
        self._add_glow(model, participants, gain)
        if prm.follow_up_months > 0:
            draw = model.streams.uniform(f"{self.label}.join", month, participants)
            joiners = np.sort(participants[np.argsort(draw)[: int(round(prm.follow_up_share * len(participants)))]])
            self.follow_ups.append(FollowUp(model, joiners, f"{self.label} follow-up {self.events}"))

    def _converse(self, model, ids: np.ndarray, rounds: int) -> None:
        """Rounds of table conversations, changing tables: some conversations become (or renew) ties."""
        prm, month = self.params, model.month
        for round_ in range(rounds):
            draw = model.streams.uniform(f"{self.label}.tables", month, ids, salt=round_)
            table = np.empty(len(ids), dtype=np.int64)
            table[np.argsort(draw)] = chunk_labels(len(ids), prm.table_size)
            a, b = group_pairs(ids, table)
            met = model.streams.uniform(f"{self.label}.acquaintance", month, pair_ids(a, b), salt=round_)
            meet(model, a[met < prm.acquaintance], b[met < prm.acquaintance])

    def _add_glow(self, model, ids: np.ndarray, gain: np.ndarray) -> None:
        if len(self._glow) < model.people.size:
            self._glow = np.concatenate([self._glow, np.zeros(model.people.size - len(self._glow), np.float32)])
        self._glow[ids] += gain
        self._glowing = np.union1d(self._glowing, ids)

    # ---- every month ---------------------------------------------------------------------------------------
    def step(self, model) -> None:
        prm = self.params
        for group in self.follow_ups:
            if not group.active:
                continue
            elapsed = model.month - group.created
            if elapsed > prm.follow_up_months:
                group.active = False
                continue
            if elapsed > 0:
                self.charge(prm.follow_up_cost_per_member_month * group.seats)
                self._gather(model, group)
        self._fade(model)

    def _fade(self, model) -> None:
        """Unharvested afterglow fades, faster for people whose organizations are closed."""
        if len(self._glowing) == 0:
            return
        p, ids = model.people, self._glowing
        org = p.org[ids]
        closedness = np.where(org >= 0, 2.0 * (1.0 - model.orgs.openness[np.maximum(org, 0)]), 1.0)
        base = 1.0 - 0.5 ** (1.0 / self.params.afterglow_half_life)
        loss = (self._glow[ids] * np.minimum(1.0, base * closedness)).astype(np.float32)
        loss[~p.alive[ids]] = self._glow[ids][~p.alive[ids]]  # leavers take their afterglow with them
        p.purpose[ids] = np.maximum(0.0, p.purpose[ids] - loss)
        self._glow[ids] -= loss
        self._glowing = ids[self._glow[ids] > 1e-4]
        self._glow[np.setdiff1d(ids, self._glowing, assume_unique=True)] = 0.0

    def _gather(self, model, group: FollowUp) -> None:
        """A follow-up gathering: ties kept, afterglow harvested, engagement, Open Space action groups."""
        prm, p, month = self.params, model.people, model.month
        members = group.living_members()
        draw = model.streams.uniform(f"{self.label}.attend", month, members)
        present = members[draw < prm.follow_up_attendance]
        if len(present) == 0:
            return
        label = np.full(p.count, -1, dtype=np.int64)
        label[present] = 0
        model.ties.reinforce_within(label, month, model.params.network.reinforcement)
        self._converse(model, present, 1)
        self._glow[present] = 0.0  # harvested: reflection turns the afterglow into lasting purpose
        p.engagement[present] = np.minimum(1.0, p.engagement[present] + prm.follow_up_engagement)
        self._open_space(model, present)

    def _open_space(self, model, present: np.ndarray) -> None:
        """Engaged, aligned, free attendees form action groups; some launch initiatives."""
        prm, p, month = self.params, model.people, model.month
        ready = present[(p.engagement[present] >= model.params.engagement.engaged_threshold)
                        & (p.purpose[present] >= model.params.initiatives.min_purpose)
                        & (p.initiative[present] == NONE)]
        if len(ready) < model.params.initiatives.min_members:
            return
        order = ready[np.argsort(model.streams.uniform(f"{self.label}.open_space", month, ready))]
        group = chunk_labels(len(order), prm.action_group_size)
        launch = model.streams.uniform(f"{self.label}.launch", month, np.arange(int(group.max()) + 1))
        size = np.bincount(group)
        launched = np.flatnonzero((launch < prm.action_probability) & (size >= model.params.initiatives.min_members))
        if len(launched) == 0:
            return
        chosen = np.isin(group, launched)
        connect_groups(model, order[chosen], group[chosen])  # one insert
        for g in launched:  # a few groups a gathering
            start_initiative(model, order[group == g], source="hosting", label=f"{self.label} action {month}.{g}",
                             funded_until=month + prm.follow_up_months)
