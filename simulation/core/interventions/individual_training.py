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
from ..provenance import ASSUMPTION, SETTING, param
from .base import Intervention, InterventionParams, register
from .meetings import connect_groups

# Where most of these parameters come from as ideas (the concept source; values are in each field).
CONCEPT = "MIT Leader to Leader (L2L) program description"


class IndividualTrainingParams(InterventionParams):
    every_months: int = param(12, ge=1, le=1200, unit="months",
                              concept=CONCEPT,
                              value="MIT L2L: a year-long programme, one cohort a year", checked=True,
                              description="Months between cohorts (L2L: yearly).")
    selection: str = param("position", unit="choice", concept=CONCEPT,
                           value=SETTING,
                           description="How fellows are chosen (L2L: nominated staff and managers; "
                                       "default here: by position).")
    cost_per_participant: float = param(12_000.0, ge=0, le=1e9, unit="currency",
                                        concept=CONCEPT, value=ASSUMPTION,
                                        description="Cost per fellow: workshops, 360° assessment, coaching "
                                                    "(assumption; typical of university programmes).")
    duration_months: int = param(12, ge=1, le=120, unit="months",
                                 concept=CONCEPT,
                                 value="MIT L2L: a year-long programme", checked=True,
                                 description="Length of the programme (L2L: one year).")
    effect_size: float = param(0.73, ge=0.0, le=5.0, unit="sd",
                               concept="Lacerenza et al. 2017 (training effect by Kirkpatrick level)",
                               value="Lacerenza et al. 2017: learning delta = .73 (335 samples)", checked=True,
                               description="Learning effect in standard deviations "
                                           "(Lacerenza et al. 2017: 0.73).")
    collective_share: float = param(0.3, ge=0.0, le=1.0, unit="share of competence gain",
                                    concept=("MIT Leader to Leader (L2L) program description (collaborating, "
                                             "strategic orientation)"),
                                    value=ASSUMPTION,
                                    description="Gain on the collective processes as a "
                                                "share of the competence gain.")
    project_team_size: int = param(5, ge=0, le=100, unit="people",
                                   concept="MIT Leader to Leader (L2L) program description (applied project teams)",
                                   value=ASSUMPTION, description="Fellows per project team (0: no teams).")


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
