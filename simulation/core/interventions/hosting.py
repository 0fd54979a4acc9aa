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
from ..provenance import ASSUMPTION, SETTING, param
from ..streams import pair_ids
from .base import Intervention, InterventionParams, register
from .meetings import chunk_labels, connect_groups, group_pairs, meet

# Where most of these parameters come from as ideas (the concept source; values are in each field).
CONCEPT = "Leading Edge (Hosting: World Café, Open Space)"


class HostingParams(InterventionParams):
    every_months: int = param(6, ge=1, le=1200, unit="months", concept=CONCEPT,
                              value=ASSUMPTION, description="Months between hosted events (assumption).")
    cost_per_participant: float = param(60.0, ge=0, le=1e9, unit="currency",
                                        concept=CONCEPT, value=ASSUMPTION,
                                        description="Cost per participant of an event: "
                                                    "venue, catering, hosting team "
                                                    "(assumption).")
    table_size: int = param(4, ge=2, le=50, unit="people", concept="Brown & Isaacs 2005 (The World Café)",
                            value="World Café practice: tables of four (not in the seeds)",
                            description="People per table (World Café: four).")
    rounds: int = param(3, ge=1, le=20, unit="rounds", concept="Brown & Isaacs 2005 (The World Café)",
                        value="World Café practice: three rounds (not in the seeds)",
                        description="Rounds of conversation, changing tables (World Café: 3).")
    acquaintance: float = param(0.3, ge=0.0, le=1.0, unit="probability",
                                concept=CONCEPT, value=ASSUMPTION,
                                description="Chance a table conversation becomes a tie.")
    purpose_gain: float = param(0.1, ge=0.0, le=1.0, unit="share of gap",
                                concept=CONCEPT, value=ASSUMPTION,
                                description="Share of the gap to full purpose alignment "
                                            "closed at an event.")
    engagement_gain: float = param(0.1, ge=0.0, le=1.0, unit="0-1",
                                   concept=CONCEPT, value=ASSUMPTION,
                                   description="Engagement gained at an event.")
    afterglow_half_life: float = param(3.0, gt=0.0, le=1200.0, unit="months",
                                       concept=CONCEPT, value=ASSUMPTION,
                                       description="Months in which half of an event's "
                                                   "unharvested purpose gain fades (at "
                                                   "average openness).")
    follow_up_months: int = param(0, ge=0, le=1200, unit="months", concept="Leading Edge (Hosting)", value=SETTING,
                                  description="Months of monthly follow-up gatherings after "
                                              "each event (0: a one-off event).")
    follow_up_share: float = param(1 / 3, ge=0.0, le=1.0, unit="share of participants",
                                   concept=CONCEPT, value=ASSUMPTION,
                                   description="Share of participants who join the "
                                               "follow-up community.")
    follow_up_attendance: float = param(0.7, ge=0.0, le=1.0, unit="probability",
                                        concept=CONCEPT, value=ASSUMPTION,
                                        description="Chance a member attends a gathering.")
    follow_up_cost_per_member_month: float = param(20.0, ge=0, le=1e7, unit="currency per member per month",
                                                   concept=CONCEPT,
                                                   value=ASSUMPTION,
                                                   description="Cost per follow-up member "
                                                               "per month (assumption).")
    follow_up_engagement: float = param(0.05, ge=0.0, le=1.0, unit="0-1",
                                        concept=CONCEPT, value=ASSUMPTION,
                                        description="Engagement gained per gathering.")
    action_group_size: int = param(5, ge=2, le=100, unit="people",
                                   concept=CONCEPT, value=ASSUMPTION,
                                   description="Open Space action group size.")
    action_probability: float = param(0.1, ge=0.0, le=1.0, unit="probability",
                                      concept=CONCEPT, value=ASSUMPTION,
                                      description="Chance an action group launches an "
                                                  "initiative at a gathering.")


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
