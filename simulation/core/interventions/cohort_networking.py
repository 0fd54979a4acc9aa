"""Cohort networking: a cohort across organizations and sectors, dense ties, and alumni gatherings that keep them.

"Networks enable people to meet and get to know each other, have their commitments affirmed, and call on each other
for assistance ... By building strong bridges, these networks become a more powerful force for change" (Leading Edge
Promising Practices in Collective and Individual Leadership Development, "Networks"). "In many leadership programs
that emphasize building the skills of individuals in a cohort experience, evaluators hear story after story about
the relationships being one of the most important parts of their leadership experience. Many leadership programs
are now shifting their focus to how to strengthen the relationships among their networks" (Pushing the Envelope on
Leadership Development Delivery Strategies).

Mechanism:

* **Recruitment**: each intake is drawn across sectors and residents (``stratified`` by default) and split into
  cohorts of at most ``cohort_size``. Every pair in a cohort is tied (dense ties; most of them bridges across
  organizations and sectors).
* **Programme**: for ``duration_months`` the cohort convenes every ``convene_every_months``. Each member attends
  with probability ``attendance``; ties among attendees are reinforced, attendees' commitments are affirmed
  (engagement rises by ``engagement_boost``) and they gain a little on connecting and bridging (``capacity_gain``
  of the distance to full capacity per convening).
* **Alumni network**: when a cohort finishes, its members join the programme's alumni network (a Collective). Every
  ``alumni_every_months`` the alumni gather; each attends with probability ``alumni_attendance``. Ties among
  attending alumni are reinforced, so they count as active that month and escape the decay of unreinforced bridges
  (Burt 2002); each attendee also meets ``alumni_new_ties`` other attendee, which links cohorts. Without gatherings
  (``alumni_every_months`` = 0) cohort ties decay like any other bridge once the programme ends.

Defaults (assumptions where no seed gives a number): yearly intakes; cohorts of 25 (assumption: typical of the
fellowship programmes in the LLC scans); a 12-month programme with a convening every two months (MIT L2L: workshops
"every 5-6 weeks" over a year); cost 4,000 per participant (assumption: six convenings with venue, facilitation and
travel); alumni gatherings monthly (Leading Edge, "Hosting": an alumni community "that meets monthly"), at 1,000
each (assumption: a room, refreshments, a volunteer host), each attended by 30% of alumni (assumption).
Gatherings are scheduled costs (``committed_cost``): the budget sets them aside before sizing the cohorts.
"""

from __future__ import annotations

import numpy as np

from ..agents import Collective
from ..learning import practise_gain
from ..people import BRIDGING, CONNECTING
from .base import Intervention, register
from .meetings import connect_groups, meet
from .params.cohort_networking import CohortNetworkingParams


class NetworkingCohort(Collective):
    """The members of one cohort and the cohort each belongs to (several cohorts per intake)."""

    kind = "cohort"

    def __init__(self, model, members: np.ndarray, cohort: np.ndarray, label: str = "") -> None:
        super().__init__(model, members, label)
        self.cohort = np.asarray(cohort, dtype=np.int64)

    def living(self) -> tuple[np.ndarray, np.ndarray]:
        ok = self.model.people.alive[self.members]
        return self.members[ok], self.cohort[ok]


class AlumniNetwork(Collective):
    """Everyone who finished the programme (grows as cohorts finish); gathers periodically."""

    kind = "alumni"


@register
class CohortNetworking(Intervention):
    name = "cohort_networking"
    summary = "Cohorts across organizations and sectors; dense ties; alumni gatherings keep them alive."
    source = ("Pushing the Envelope on Leadership Development Delivery Strategies; Leading Edge Promising "
              "Practices in Collective and Individual Leadership Development (Networks)")
    Params = CohortNetworkingParams

    def setup(self, model) -> None:
        self.cohorts: list[NetworkingCohort] = []
        self.alumni: AlumniNetwork | None = None  # created when the first cohort finishes
        self._gatherings = set(self.gathering_months())

    # ---- budget: gatherings are scheduled costs ---------------------------------------------------------
    def gathering_months(self) -> list[int]:
        prm = self.params
        months = self.event_months()
        if prm.alumni_every_months == 0 or not months:
            return []
        return list(range(months[0] + prm.duration_months, self.horizon, prm.alumni_every_months))

    def committed_cost(self) -> float:
        """The alumni gatherings, paid whatever the cohorts' size."""
        return self.params.alumni_gathering_cost * len(self.gathering_months())

    # ---- the programme ----------------------------------------------------------------------------------
    def start_event(self, model, participants: np.ndarray) -> None:
        draw = model.streams.uniform(f"{self.label}.cohorts", model.month, participants)
        order = np.lexsort((draw, model.people.sector[participants]))  # each cohort spans the sectors
        cohort = np.empty(len(participants), dtype=np.int64)
        cohort[order] = np.arange(len(participants)) % max(1, -(-len(participants) // self.params.cohort_size))
        connect_groups(model, participants, cohort)
        self.cohorts.append(NetworkingCohort(model, participants, cohort, f"{self.label} intake {self.events}"))

    def step(self, model) -> None:
        prm = self.params
        for intake in self.cohorts:
            if not intake.active:
                continue
            elapsed = model.month - intake.created
            if elapsed >= prm.duration_months:
                intake.active = False
                if self.alumni is None:
                    self.alumni = AlumniNetwork(model, intake.living()[0], label=f"{self.label} alumni")
                else:
                    self.alumni.members = np.union1d(self.alumni.members, intake.living()[0])
            elif elapsed % prm.convene_every_months == 0 and elapsed > 0:
                self._convene(model, *intake.living())
        if self.alumni is not None and model.month in self._gatherings:
            self.charge(prm.alumni_gathering_cost)
            self._gather(model)

    def _convene(self, model, members: np.ndarray, cohort: np.ndarray) -> None:
        prm, p = self.params, model.people
        present = model.streams.uniform(f"{self.label}.attend", model.month, members) < prm.attendance
        ids = members[present]
        connect_groups(model, ids, cohort[present])
        p.engagement[ids] = np.minimum(1.0, p.engagement[ids] + prm.engagement_boost)
        for dim in (CONNECTING, BRIDGING):
            practise_gain(p, ids, dim, prm.capacity_gain * (1.0 - p.capacity[ids, dim]))

    def _gather(self, model) -> None:
        """An alumni gathering: ties among attendees are reinforced; each attendee meets someone new."""
        prm, net, month = self.params, model.params.network, model.month
        alumni = self.alumni.living_members()
        present = alumni[model.streams.uniform(f"{self.label}.alumni.attend", month, alumni) < prm.alumni_attendance]
        if len(present) < 2:
            return
        label = np.full(model.people.count, -1, dtype=np.int64)
        label[present] = 0
        model.ties.reinforce_within(label, month, net.reinforcement)
        for round_ in range(prm.alumni_new_ties):
            shuffled = present[np.argsort(model.streams.uniform(f"{self.label}.alumni.meet", month, present,
                                                                salt=round_))]
            a, b = shuffled[0::2], shuffled[1::2]
            a = a[: len(b)]
            meet(model, a, b)
