"""Executive coaching and peer (group) coaching: gains that depend on the dose; the peer variant builds ties.

"Coaching is similar to mentoring in that it usually involves one-on-one interaction. Coaching is widely used among
business leaders for working with CEOs and other top leaders ... there are a lot of questions about the cost of
coaching. One way to address the cost issue is to provide group coaching or peer coaching" (Leading Edge Promising
Practices in Collective and Individual Leadership Development, "Coaching"). L2L fellows "meet with an executive
coach to ... periodically discuss progress toward the goal(s)" (MIT Leader to Leader (L2L) program description).

Mechanism: each coachee is booked for ``sessions`` sessions, one every ``session_interval_months``, and attends each
with probability ``attendance``. After ``k`` attended sessions the cumulative gain on individual competence is
``G * (1 - 0.5 ** (k / half_dose_sessions))`` with ``G = effect_size * CAPACITY_SD``: the gain grows with the dose
and with diminishing returns (each session adds less than the one before). The collective processes gain
``collective_share`` of it. As for any gain, whether it is applied and kept depends on the coachee's workplace
(``learning.py``) and it leaves with the coachee. Executive coaching involves an outside coach: no ties among
coachees. Peer coaching meets in circles of ``group_size`` peers of similar position from different organizations;
every session ties the circle members who attend (created at first, then reinforced), so peer coaching also builds
strong relationships across organizations.

Defaults and their sources:

* ``effect_size`` 0.28 sd (executive): Jones, Woods & Guillaume (2016), meta-analysis of workplace coaching,
  skill-based outcomes δ = 0.28. They found no moderation by the number of sessions; the saturating dose curve
  (half the effect after ``half_dose_sessions`` = 3, an assumption) is consistent with that: most programmes sit
  near the plateau. Peer coaching 0.2 sd: an assumption (no meta-analytic estimate; Jones et al. exclude peers).
* ``sessions`` 12 monthly: CompassPoint's 12-month Executive Coaching demonstration project (cited in Leading Edge).
* Costs (assumptions; no seed gives them): executive coach 400 per session (an hour plus preparation at nonprofit
  rates) plus 1,500 intake (360° assessment, goal setting); peer circle facilitator 600 per session shared by six
  (100 per seat) plus 200 intake. Session fees are charged per booked seat as sessions fall due (a contracted
  engagement is paid whether or not the coachee attends or stays), so spending follows the schedule, and
  ``head_cost`` counts those fees so that cohorts are sized to the budget with exactly them.
"""

from __future__ import annotations

import numpy as np

from ..agents import Collective
from ..learning import practise_gain
from ..people import CAPACITY_SD, COLLECTIVE, COMPETENCE
from .base import Intervention, register
from .meetings import chunk_labels, connect_groups
from .params.coaching import CoachingParams, PeerCoachingParams


class CoachingEngagement(Collective):
    """The coachees of one intake: who they are, their circle (-1: one-to-one) and sessions attended."""

    kind = "coaching"

    def __init__(self, model, members: np.ndarray, circle: np.ndarray, label: str = "") -> None:
        super().__init__(model, members, label)
        self.seats = len(members)
        self.circle = np.asarray(circle, dtype=np.int64)
        self.attended = np.zeros(len(members), dtype=np.int64)


class _Coaching(Intervention):
    """Shared schedule, dose and cost accounting of both coaching variants."""

    Params = CoachingParams

    def setup(self, model) -> None:
        self.engagements: list[CoachingEngagement] = []

    def eligible(self, model) -> np.ndarray:
        mask = super().eligible(model)
        return mask & (model.people.position[: len(mask)] >= self.params.min_position)

    def sessions_from(self, month: int) -> int:
        """Sessions an intake starting in ``month`` gets before the horizon."""
        prm = self.params
        return min(prm.sessions, len(range(month, self.horizon, prm.session_interval_months)))

    def head_cost(self, month: int) -> float:
        """The intake fee and the sessions a coachee starting in ``month`` gets."""
        prm = self.params
        return prm.cost_per_participant + prm.cost_per_session * self.sessions_from(month)

    def circles(self, model, participants: np.ndarray) -> np.ndarray:
        return np.full(len(participants), -1, dtype=np.int64)

    def start_event(self, model, participants: np.ndarray) -> None:
        circle = self.circles(model, participants)
        self.engagements.append(CoachingEngagement(model, participants, circle, f"{self.label} {self.events}"))

    def step(self, model) -> None:
        prm = self.params
        for eng in self.engagements:
            if not eng.active:
                continue
            elapsed = model.month - eng.created
            if elapsed % prm.session_interval_months:
                continue
            if elapsed // prm.session_interval_months >= prm.sessions:
                eng.active = False
                continue
            self.charge(prm.cost_per_session * eng.seats)
            self._session(model, eng)

    def _session(self, model, eng: CoachingEngagement) -> None:
        """One session: attending coachees take the next step of the dose curve."""
        prm, p = self.params, model.people
        draw = model.streams.uniform(f"{self.label}.attend", model.month, eng.members)
        present = p.alive[eng.members] & (draw < prm.attendance)
        ids, k = eng.members[present], eng.attended[present]
        h = prm.half_dose_sessions
        step = prm.effect_size * CAPACITY_SD * (0.5 ** (k / h) - 0.5 ** ((k + 1) / h))
        eng.attended[present] += 1
        practise_gain(model.people, ids, COMPETENCE, step)
        practise_gain(model.people, ids, COLLECTIVE, (prm.collective_share * step)[:, None])
        if (eng.circle >= 0).any():
            connect_groups(model, ids, eng.circle[present])


@register
class ExecutiveCoaching(_Coaching):
    name = "executive_coaching"
    summary = "One-to-one coaching of managers and executives; costly; gains grow with sessions, diminishing."
    source = ("Leading Edge Promising Practices in Collective and Individual Leadership Development (Coaching); "
              "MIT Leader to Leader (L2L) program description; Jones, Woods & Guillaume 2016")
    Params = CoachingParams


@register
class PeerCoaching(_Coaching):
    name = "peer_coaching"
    summary = "Peer coaching circles across organizations: cheaper per head; gains grow with sessions; builds ties."
    source = ("Leading Edge Promising Practices in Collective and Individual Leadership Development (Coaching: "
              "group or peer coaching, e.g. LeaderSpring, Sierra Health Leadership Program)")
    Params = PeerCoachingParams

    def circles(self, model, participants: np.ndarray) -> np.ndarray:
        """Circles of peers: ordered by position (executives with executives), then at random, in chunks."""
        draw = model.streams.uniform(f"{self.label}.circles", model.month, participants)
        order = np.lexsort((draw, -model.people.position[participants].astype(np.int64)))
        circle = np.empty(len(participants), dtype=np.int64)
        circle[order] = chunk_labels(len(participants), self.params.group_size)
        return circle
