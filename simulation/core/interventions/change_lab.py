"""Multi-stakeholder Change Laboratory (Theory U): senior people from every sector sense, reflect and prototype.

"Change Laboratories convene teams of 30-40 senior representatives from business, government and civil society,
who together possess the influence, knowledge, and ability to build breakthrough solutions to complex problems ...
Each person represents a key piece of the larger system; together, the team approximates the system itself."
Three phases over several months: *sensing* ("learning journeys ... the team comes to appreciate its own diversity
of perspectives"), *reflection* ("let go of the usual patterns of thinking ... catalyzes action based on deep
commitment") and *action* ("translate the creativity, insights and commitments ... into prototypes"). The hard part:
"change is going to require organizations to buy into and implement the prototypes ... Since other members of the
organization have not been through the process of the Change Laboratory, they may not appreciate what has emerged"
(Leading Edge Promising Practices in Collective and Individual Leadership Development, "Multi-stakeholder
partnerships").

Mechanism:

* **Who**: managers and executives (``min_position``), drawn across sectors (``stratified``), dealt into labs of at
  most ``lab_size`` so that every lab spans the sectors.
* **Sensing** (``sensing_months``): every month the lab travels in small mixed teams (``journey_team_size``), which
  ties the travellers (new ties or reinforced ones) and keeps the lab's ties active; members close ``sensing_gain``
  of their gap to full systems thinking, and half of that on bridging.
* **Reflection** (``reflection_months``): the retreat ties every pair in the lab; over the phase members close
  ``reflection_purpose`` of their gap to full purpose alignment and ``reflection_learning`` of their gap on
  learning/reflecting, and their engagement rises by ``commitment``.
* **Action** (``action_months``): at its start each lab splits into prototype teams of about
  ``prototype_team_size`` (dealt by sector, so each team mixes sectors). A team whose free members span at least
  ``min_sectors`` sectors becomes a collective initiative (``initiatives.start_initiative``, source
  ``"change_lab"``). While the phase lasts the lab meets monthly: ties among its members are reinforced and members'
  engagement rises by ``action_engagement`` (they are "responsible and accountable to each other"), which holds the
  prototypes' attention.
* **Buy-in is not given**: a prototype reaches only its members' sectors until organizations adopt it, and adoption
  is the model's ordinary mechanism (``initiatives.spread_initiatives``): several position-weighted ties from
  members into an organization, then a chance scaled by its openness. The lab does nothing to bypass it; senior
  members help only because their colleagues are many and tied to them.

Defaults: labs of at most 40 ("30-40 senior representatives"; a smaller budget buys a smaller lab); a lab lasts
24 months: sensing 6, reflection 2, action 16 (the Sustainable Food Lab's 32 leaders committed "40 days of their
time over two years", Reos Partners 2010); a new lab every 36 months (assumption: a lab, then a year of stewarding
its prototypes: Leading Edge's "third challenge is sustaining attention over a long period of time to steward the
prototypes"). Gains are assumptions of the same size as the other programmes' (5% of the gap per sensing month,
30% of the purpose gap and 10% of the learning gap over the retreat, a rung of engagement, ``engagement.climb``
0.3, at the retreat, 0.05 a month of supported action: the lab's own, as initiatives in general add none,
``initiatives.member_engagement_boost``). Prototype teams of
about 7 (assumption: a lab of 35 launches about five prototypes). Cost 10,000 per participant (assumption: a
facilitation team for two years, learning journeys, a multi-day retreat; participants' time is paid by their
employers).
"""

from __future__ import annotations

import numpy as np

from ..agents import Collective
from ..initiatives import Initiative, start_initiative
from ..learning import practise_gain
from ..people import BRIDGING, LEARNING, NONE, SYSTEMS
from .base import Intervention, register
from .meetings import connect_groups
from .params.change_lab import ChangeLabParams


class Lab(Collective):
    """One intake of labs: members, the lab each belongs to, and the prototypes the labs launched."""

    kind = "change_lab"

    def __init__(self, model, members: np.ndarray, lab: np.ndarray, label: str = "") -> None:
        super().__init__(model, members, label)
        self.lab = np.asarray(lab, dtype=np.int64)
        self.prototypes: list[Initiative] = []

    def living(self) -> tuple[np.ndarray, np.ndarray]:
        ok = self.model.people.alive[self.members]
        return self.members[ok], self.lab[ok]


def deal(model, ids: np.ndarray, n_groups: int, stream: str) -> np.ndarray:
    """Group labels for ``ids``: sorted by sector (random within), dealt round-robin, so every group mixes sectors."""
    draw = model.streams.uniform(stream, model.month, ids)
    order = np.lexsort((draw, model.people.sector[ids]))
    group = np.empty(len(ids), dtype=np.int64)
    group[order] = np.arange(len(ids)) % max(1, n_groups)
    return group


@register
class ChangeLab(Intervention):
    name = "change_lab"
    summary = "30-40 senior people from every sector: sensing, reflection, prototypes that others must adopt."
    source = ("Leading Edge Promising Practices in Collective and Individual Leadership Development "
              "(Multi-stakeholder partnerships: Change Laboratory, Theory U)")
    Params = ChangeLabParams

    def setup(self, model) -> None:
        self.labs: list[Lab] = []

    def eligible(self, model) -> np.ndarray:
        mask = super().eligible(model)
        return mask & (model.people.position[: len(mask)] >= self.params.min_position)

    def start_event(self, model, participants: np.ndarray) -> None:
        n_labs = -(-len(participants) // self.params.lab_size)
        lab = deal(model, participants, n_labs, f"{self.label}.labs")
        self.labs.append(Lab(model, participants, lab, f"{self.label} {self.events}"))

    def step(self, model) -> None:
        prm = self.params
        reflect_at = prm.sensing_months
        act_at = reflect_at + prm.reflection_months
        for intake in self.labs:
            if not intake.active:
                continue
            elapsed = model.month - intake.created
            if elapsed >= act_at + prm.action_months:
                intake.active = False
                continue
            members, lab = intake.living()
            if len(members) == 0:
                continue
            if elapsed < reflect_at:
                self._sense(model, members, lab)
            elif elapsed < act_at:
                self._reflect(model, members, lab, first=elapsed == reflect_at)
            else:
                if elapsed == act_at:
                    self._launch(model, intake, members, lab)
                self._meet(model, members, lab, prm.action_engagement)

    def _meet(self, model, members: np.ndarray, lab: np.ndarray, engagement: float) -> None:
        """A lab meeting: ties among members are kept active; engagement rises."""
        label = np.full(model.people.count, -1, dtype=np.int64)
        label[members] = lab
        model.ties.reinforce_within(label, model.month, model.params.network.reinforcement)
        e = model.people.engagement
        e[members] = np.minimum(1.0, e[members] + engagement)

    def _sense(self, model, members: np.ndarray, lab: np.ndarray) -> None:
        """Learning journeys in small mixed teams: ties, systems thinking, some bridging."""
        prm, p = self.params, model.people
        self._meet(model, members, lab, 0.0)
        draw = model.streams.uniform(f"{self.label}.journeys", model.month, members)
        order = np.lexsort((draw, lab))
        team = np.empty(len(members), dtype=np.int64)
        lab_sorted = lab[order]
        starts = np.flatnonzero(np.concatenate([[True], lab_sorted[1:] != lab_sorted[:-1]]))
        rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.append(starts, len(order))))
        team[order] = lab_sorted * len(members) + rank // prm.journey_team_size
        connect_groups(model, members, team)
        cap = p.capacity
        practise_gain(p, members, SYSTEMS, prm.sensing_gain * (1.0 - cap[members, SYSTEMS]))
        practise_gain(p, members, BRIDGING, 0.5 * prm.sensing_gain * (1.0 - cap[members, BRIDGING]))

    def _reflect(self, model, members: np.ndarray, lab: np.ndarray, first: bool) -> None:
        """The retreat: the whole lab becomes a team; purpose, reflection and commitment grow."""
        prm, p = self.params, model.people
        if first:
            connect_groups(model, members, lab)
            p.engagement[members] = np.minimum(1.0, p.engagement[members] + prm.commitment)
        else:
            self._meet(model, members, lab, 0.0)
        months = max(1, prm.reflection_months)
        per_month_purpose = 1.0 - (1.0 - prm.reflection_purpose) ** (1.0 / months)
        per_month_learning = 1.0 - (1.0 - prm.reflection_learning) ** (1.0 / months)
        p.purpose[members] += per_month_purpose * (1.0 - p.purpose[members])
        practise_gain(p, members, LEARNING, per_month_learning * (1.0 - p.capacity[members, LEARNING]))

    def _launch(self, model, intake: Lab, members: np.ndarray, lab: np.ndarray) -> None:
        """Each lab splits into prototype teams; teams spanning enough sectors become initiatives."""
        prm, p = self.params, model.people
        for lab_id in np.unique(lab):  # a handful of labs
            in_lab = members[lab == lab_id]
            n_teams = max(1, int(round(len(in_lab) / prm.prototype_team_size)))
            team = deal(model, in_lab, n_teams, f"{self.label}.prototypes")
            for t in range(n_teams):
                free = in_lab[(team == t) & (p.initiative[in_lab] == NONE)]
                if len(free) >= 2 and len(np.unique(p.sector[free])) >= prm.min_sectors:
                    label = f"{intake.label} lab {lab_id} prototype {t}"
                    intake.prototypes.append(start_initiative(model, free, source="change_lab", label=label,
                                                              funded_until=model.month + prm.action_months))
