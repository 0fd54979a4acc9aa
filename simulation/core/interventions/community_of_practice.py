"""Communities of practice / learning communities: sustained convening that keeps ties and spreads learning.

"People use communities of practice to share what they know, to support one another, and to intentionally create
new knowledge for their field of practice ... they are 'communities' (people make a commitment to be there for each
other)" (Leading Edge Promising Practices in Collective and Individual Leadership Development, "Communities of
Learning and Practice"). Hosting's follow-up is the same device: a "community of practice" or "learning community",
like the alumni community "that meets monthly" (ibid., "Hosting"). "Learning/Reflecting is a continuous process that
is integrated with action" (A New Leadership Mindset).

Mechanism: each intake forms communities of at most ``group_size`` practitioners, grouped by field (sector;
residents form their own). Each community convenes every month for ``duration_months``; each member attends with
probability ``attendance``. At a convening:

* ties among attendees are reinforced (so they survive), and each attendee gets to know ``new_ties_per_meeting``
  more attendees (the community knits together over months rather than at once);
* **peer learning**: on each collective process the attendees move ``peer_learning`` of the way toward the
  community's best on it (the mean of its ``core_size`` strongest attendees: the group's capacity can come from
  whichever members hold it), and ``reflection_learning`` of the way on learning/reflecting, which is what the
  community practises. Because members keep meeting, what they learn is refreshed and so outlasts forgetting;
* attendees' engagement rises by ``engagement_boost`` (the commitment to "be there for each other").

Defaults (assumptions where no seed gives a number): monthly convening (Leading Edge: the alumni community that
"meets monthly"); communities of 20 (assumption); two-year communities, a new intake a year (assumption: Wenger,
McDermott & Snyder 2002 describe communities that take years to mature); attendance 70% (assumption); peer learning
2% and reflection 4% of the gap to the best per convening (assumption); engagement boost 0.05 a convening
(assumption: a convened, facilitated community; initiatives acting on their own add none,
``initiatives.member_engagement_boost``). Cost 200 per member to enrol plus 100 per seat per month (assumption: a
facilitator and a room, about 2,000 a month for twenty); seat costs fall due monthly and are
part of each member's ``head_cost``.
"""

from __future__ import annotations

import numpy as np

from ..agents import Collective
from ..people import COLLECTIVE, LEARNING
from .base import Intervention, register
from .meetings import chunk_labels, meet
from .params.community_of_practice import CommunityOfPracticeParams


class CommunityOfPractice(Collective):
    """One intake's communities: members and the community each belongs to; seats paid monthly."""

    kind = "community_of_practice"

    def __init__(self, model, members: np.ndarray, community: np.ndarray, label: str = "") -> None:
        super().__init__(model, members, label)
        self.community = np.asarray(community, dtype=np.int64)
        self.seats = len(members)


def group_best(values: np.ndarray, group: np.ndarray, core_size: int) -> np.ndarray:
    """For each row, the mean of the ``core_size`` highest values of its group, column by column (vectorised
    over groups: one sort per column)."""
    _, group = np.unique(group, return_inverse=True)
    n_groups = int(group.max()) + 1
    best = np.empty_like(values)
    for d in range(values.shape[1]):
        order = np.lexsort((-values[:, d], group))  # by group, highest first
        g = group[order]
        starts = np.flatnonzero(np.concatenate([[True], g[1:] != g[:-1]]))
        rank = np.arange(len(g)) - np.repeat(starts, np.diff(np.append(starts, len(g))))
        top = rank < core_size
        total = np.bincount(g[top], weights=values[order[top], d], minlength=n_groups)
        count = np.bincount(g[top], minlength=n_groups)
        best[:, d] = (total / count)[group]
    return best


@register
class CommunitiesOfPractice(Intervention):
    name = "community_of_practice"
    summary = "Practitioners convene monthly for years: ties kept, peer learning and reflection, engagement."
    source = "Leading Edge Promising Practices in Collective and Individual Leadership Development"
    Params = CommunityOfPracticeParams

    def setup(self, model) -> None:
        self.intakes: list[CommunityOfPractice] = []

    def months_from(self, month: int) -> int:
        """Convenings a community started in ``month`` holds before the horizon."""
        return min(self.params.duration_months, max(0, self.horizon - month))

    def head_cost(self, month: int) -> float:
        """Enrolment and the monthly seats of a member of a community started in ``month``."""
        prm = self.params
        return prm.cost_per_participant + prm.cost_per_member_month * self.months_from(month)

    def start_event(self, model, participants: np.ndarray) -> None:
        draw = model.streams.uniform(f"{self.label}.communities", model.month, participants)
        order = np.lexsort((draw, model.people.sector[participants]))  # by field of practice
        community = np.empty(len(participants), dtype=np.int64)
        community[order] = chunk_labels(len(participants), self.params.group_size)
        self.intakes.append(CommunityOfPractice(model, participants, community, f"{self.label} {self.events}"))

    def step(self, model) -> None:
        prm = self.params
        for intake in self.intakes:
            if not intake.active:
                continue
            if model.month - intake.created >= prm.duration_months:
                intake.active = False
                continue
            self.charge(prm.cost_per_member_month * intake.seats)
            alive = model.people.alive[intake.members]
            draw = model.streams.uniform(f"{self.label}.attend", model.month, intake.members)
            present = alive & (draw < prm.attendance)
            self._convene(model, intake.members[present], intake.community[present])

    def _convene(self, model, ids: np.ndarray, community: np.ndarray) -> None:
        prm, p, net, month = self.params, model.people, model.params.network, model.month
        if len(ids) == 0:
            return
        label = np.full(p.count, -1, dtype=np.int64)
        label[ids] = community
        model.ties.reinforce_within(label, month, net.reinforcement)
        for round_ in range(prm.new_ties_per_meeting):
            self._meet(model, ids, community, round_)
        self._peer_learning(model, ids, community)
        p.engagement[ids] = np.minimum(1.0, p.engagement[ids] + prm.engagement_boost)

    def _meet(self, model, ids: np.ndarray, community: np.ndarray, round_: int) -> None:
        """Each attendee is paired with a random co-attendee of the same community (a new or renewed tie)."""
        draw = model.streams.uniform(f"{self.label}.meet", model.month, ids, salt=round_)
        order = np.lexsort((draw, community))
        ids_o, com_o = ids[order], community[order]
        same = com_o[1:] == com_o[:-1]
        starts = np.flatnonzero(np.concatenate([[True], ~same]))
        rank = np.arange(len(ids_o)) - np.repeat(starts, np.diff(np.append(starts, len(ids_o))))
        first = np.flatnonzero((rank[:-1] % 2 == 0) & same)  # 1st with 2nd, 3rd with 4th... of each community
        meet(model, ids_o[first], ids_o[first + 1])

    def _peer_learning(self, model, ids: np.ndarray, community: np.ndarray) -> None:
        """Attendees move toward their community's best on each collective process (most on reflection)."""
        prm, p = self.params, model.people
        caps = p.capacity[ids, COLLECTIVE].astype(np.float64)
        rates = np.full(caps.shape[1], prm.peer_learning)
        rates[LEARNING] = prm.reflection_learning
        gain = rates * np.maximum(group_best(caps, community, prm.core_size) - caps, 0.0)
        p.capacity[ids, COLLECTIVE] = (caps + gain).astype(np.float32)
