"""What a scenario file may set under ``params:`` for the strategy of ``individual_training.py``.

Mesa-free and without the compiled kernels, so that reading a scenario or listing the parameters loads
neither; the strategy's module imports them and sets them as its ``Params``.
"""

from __future__ import annotations

from ...provenance import ASSUMPTION, SETTING, param
from ..base import InterventionParams

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
