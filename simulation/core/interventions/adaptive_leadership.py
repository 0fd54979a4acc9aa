"""Adaptive leadership: problem solving and experimentation, so that initiatives adapt instead of failing.

"Many leadership programs are now taking the approach of providing problem solving skills, access to resources, and
connections to a cohort with the expectation that participants themselves need to generate the solutions ... This
type of leadership takes a commitment of time and the willingness to take risks and experiment with possible
solutions. Participants must be willing to engage honestly and rigorously in learning from their efforts ... leadership
must engage actively with multiple stakeholders in understanding problems and seeking solutions with an openness to
learning from trial and error" (Leading Edge Promising Practices in Collective and Individual Leadership Development,
"Adaptive Leadership", after Heifetz 1994 and Heifetz & Linsky 2002, who hold that "these skills can be taught").

Mechanism:

* **The course**: a cohort (by default the most engaged people, who are the ones acting on problems) meets monthly
  for ``sessions`` sessions in small problem-solving groups of ``group_size`` (ties among group members: "connections
  to a cohort"). Each session attendees close ``skill_gain`` of their gap on systems thinking and on
  learning/reflecting (understanding adaptive pressures; learning from trial and error).
* **Adaptive teams**: a graduate - anyone who attended at least half the sessions - makes any initiative they belong
  to, now or later, able to re-plan rather than fail. When an initiative's momentum runs out it tries a new prototype
  with chance ``Initiative.adaptive`` (``initiatives.progress_initiatives``); each month this programme sets that
  chance to at least ``1 - (1 - adapt_chance) ** g`` for an initiative with ``g`` living graduates among its members
  (a team's adaptive capacity can come from whichever members hold it). When the graduates leave, the initiative
  loses what they brought (its chance returns to what it was before).
* What it does **not** do: it does not create initiatives or ties beyond the cohort's groups. Its effect on the
  community runs through the initiatives that graduates join or found.

Defaults (assumptions where no source gives a number): a yearly cohort; six monthly sessions; groups of 6;
attendance 0.85; skill gain 4% of the gap a session (six sessions close about a fifth of it); adapt chance 0.5 per
graduate (one graduate turns half of the failures of a team into re-plans; two, three quarters); cost 3,000 per
participant (a six-session community course with facilitation and materials).
"""

from __future__ import annotations

import numpy as np

from ..agents import Collective
from ..learning import practise_gain
from ..people import LEARNING, SYSTEMS
from .base import Intervention, register
from .meetings import chunk_labels, connect_groups
from .params.adaptive_leadership import AdaptiveLeadershipParams


class AdaptiveCohort(Collective):
    """One cohort: members, their problem-solving group and how many sessions each attended."""

    kind = "adaptive_cohort"

    def __init__(self, model, members: np.ndarray, group: np.ndarray, label: str = "") -> None:
        super().__init__(model, members, label)
        self.group = np.asarray(group, dtype=np.int64)
        self.attended = np.zeros(len(members), dtype=np.int64)


@register
class AdaptiveLeadership(Intervention):
    name = "adaptive_leadership"
    summary = "Problem-solving cohorts; initiatives with graduates re-plan instead of failing."
    source = ("Leading Edge Promising Practices in Collective and Individual Leadership Development (Adaptive "
              "Leadership); Heifetz 1994")
    Params = AdaptiveLeadershipParams

    def setup(self, model) -> None:
        self.cohorts: list[AdaptiveCohort] = []
        self.graduates = np.zeros(0, dtype=np.int64)
        self._former: dict[int, float] = {}  # initiative index -> its adaptive chance before graduates joined
        self._granted: dict[int, float] = {}  # initiative index -> the chance this programme set

    def start_event(self, model, participants: np.ndarray) -> None:
        draw = model.streams.uniform(f"{self.label}.groups", model.month, participants)
        group = np.empty(len(participants), dtype=np.int64)
        group[np.argsort(draw)] = chunk_labels(len(participants), self.params.group_size)
        connect_groups(model, participants, group)
        self.cohorts.append(AdaptiveCohort(model, participants, group, f"{self.label} {self.events}"))

    def step(self, model) -> None:
        for cohort in self.cohorts:
            if cohort.active:
                self._session(model, cohort)
        if len(self.graduates) or self._granted:
            self._adapt(model)

    def _session(self, model, cohort: AdaptiveCohort) -> None:
        prm, p, net = self.params, model.people, model.params.network
        if model.month - cohort.created >= prm.sessions:
            cohort.active = False
            done = cohort.members[cohort.attended * 2 >= prm.sessions]
            self.graduates = np.union1d(self.graduates, done)
            return
        present = p.alive[cohort.members] & (model.streams.uniform(f"{self.label}.attend", model.month,
                                                                   cohort.members) < prm.attendance)
        cohort.attended += present
        ids = cohort.members[present]
        label = np.full(p.count, -1, dtype=np.int64)
        label[ids] = cohort.group[present]
        model.ties.reinforce_within(label, model.month, net.reinforcement)
        cap = p.capacity
        for dim in (SYSTEMS, LEARNING):
            practise_gain(model.people, ids, dim, prm.skill_gain * (1.0 - cap[ids, dim]))

    def _adapt(self, model) -> None:
        """Set each initiative's chance to re-plan from the living graduates among its members."""
        p = model.people
        grads = self.graduates[p.alive[self.graduates]]
        self.graduates = grads
        where = p.initiative[grads]
        counts = np.bincount(where[where >= 0], minlength=len(model.initiatives))
        for index in np.flatnonzero(counts):  # the initiatives graduates are in: tens at most
            ini = model.initiatives[index]
            if index not in self._former:
                self._former[index] = ini.adaptive
            chance = 1.0 - (1.0 - self.params.adapt_chance) ** int(counts[index])
            ini.adaptive = max(self._former[index], chance)
            self._granted[index] = ini.adaptive
        for index in [i for i in self._granted if i >= len(counts) or counts[i] == 0]:
            granted, former = self._granted.pop(index), self._former.pop(index)
            ini = model.initiatives[index]
            if ini.adaptive == granted:  # graduates gone: back to its own chance, unless something else set it
                ini.adaptive = former
