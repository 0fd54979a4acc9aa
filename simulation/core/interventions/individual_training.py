"""Individual leadership training: the leader-development archetype (MIT Leader to Leader).

L2L is "a year-long program" of "1-2 day-long workshops every 5-6 weeks", a 360° assessment on seven competencies,
executive coaching, "on-the-job application of what's learned", and project teams that "build their network of
colleagues". Fellows "are most successful at applying what they learn ... when their managers are actively
engaged" (MIT Leader to Leader (L2L) program description).

Mechanism: a cohort is chosen each programme year; while the programme runs, each fellow gains on individual
competence (and a smaller share on the collective processes L2L also touches: collaborating, strategic
orientation) in monthly instalments. The total gain is an effect size times the population's capacity spread:
Lacerenza et al. (2017) report d = 0.73 for learning from leadership training. Whether the gain is applied and kept
is not decided here: it depends on the fellow's manager support and organization openness (``learning.py``), and
it leaves with the fellow (``turnover.py``). Fellows work in small project teams, which ties them to each other.
"""

from __future__ import annotations

import numpy as np

from ..agents import Collective
from ..learning import practise_gain
from ..people import CAPACITY_SD, COLLECTIVE, COMPETENCE
from .base import Intervention, register
from .meetings import connect_groups
from .params.individual_training import IndividualTrainingParams


class Cohort(Collective):
    """A leader-development cohort (its fellows)."""

    kind = "cohort"


@register
class IndividualTraining(Intervention):
    name = "individual_training"
    summary = "Year-long cohort of individual fellows; gains on individual competence (leader development)."
    source = "MIT Leader to Leader (L2L) program description; Lacerenza et al. 2017"
    Params = IndividualTrainingParams

    def setup(self, model) -> None:
        self.cohorts: list[Cohort] = []

    def start_event(self, model, participants: np.ndarray) -> None:
        cohort = Cohort(model, participants, label=f"{self.label} cohort {self.events}")
        self.cohorts.append(cohort)
        model.people.trained[participants] += 1
        self._form_project_teams(model, participants)

    def _form_project_teams(self, model, fellows: np.ndarray) -> None:
        size = self.params.project_team_size
        if size < 2 or len(fellows) < 2:
            return
        order = fellows[np.argsort(model.streams.uniform(f"{self.label}.teams", model.month, fellows))]
        connect_groups(model, order, np.arange(len(order)) // size)

    def step(self, model) -> None:
        """Monthly instalment of the programme's gain for every running cohort."""
        prm = self.params
        per_month = prm.effect_size * CAPACITY_SD / prm.duration_months
        for cohort in self.cohorts:
            if not cohort.active:
                continue
            if model.month - cohort.created >= prm.duration_months:
                cohort.active = False
                continue
            fellows = cohort.living_members()
            practise_gain(model.people, fellows, COMPETENCE, per_month)
            practise_gain(model.people, fellows, COLLECTIVE, prm.collective_share * per_month)
