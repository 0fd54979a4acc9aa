"""What a scenario file may set under ``params:`` for the strategy of ``cohort_networking.py``.

Mesa-free and without the compiled kernels, so that reading a scenario or listing the parameters loads
neither; the strategy's module imports them and sets them as its ``Params``.
"""

from __future__ import annotations

from ...provenance import ASSUMPTION, SETTING, param
from ..base import InterventionParams

# Where most of these parameters come from as ideas (the concept source; values are in each field).
CONCEPT = "Pushing the Envelope (relationships vs skills); Leading Edge (Networks)"


class CohortNetworkingParams(InterventionParams):
    every_months: int = param(12, ge=1, le=1200, unit="months",
                              concept=CONCEPT,
                              value=SETTING, description="Months between intakes.")
    selection: str = param("stratified", unit="choice", concept="Pushing the Envelope", value=SETTING,
                           description="How members are chosen (default: equal numbers from each "
                                       "sector and from residents).")
    cost_per_participant: float = param(4000.0, ge=0, le=1e9, unit="currency",
                                        concept=("Pushing the Envelope (relationships vs skills); Leading Edge "
                                                 "(Networks)"),
                                        value=ASSUMPTION,
                                        description="Cost per member of a programme year "
                                                    "(assumption).")
    cohort_size: int = param(25, ge=2, le=500, unit="people",
                             concept=CONCEPT,
                             value=ASSUMPTION, description="Largest cohort; an intake is split into cohorts.")
    duration_months: int = param(12, ge=1, le=120, unit="months",
                                 concept="MIT Leader to Leader (L2L) program description",
                                 value="MIT L2L: a year-long programme", checked=True,
                                 description="Length of the programme.")
    convene_every_months: int = param(2, ge=1, le=24, unit="months",
                                      concept="MIT Leader to Leader (L2L) program description",
                                      value="MIT L2L: workshops every 5-6 weeks (rounded to 2 months)", checked=True,
                                      description="Months between convenings (L2L: 5-6 weeks).")
    attendance: float = param(0.8, ge=0.0, le=1.0, unit="probability",
                              concept=CONCEPT,
                              value=ASSUMPTION, description="Chance a member attends a convening.")
    engagement_boost: float = param(0.05, ge=0.0, le=1.0, unit="0-1",
                                    concept=CONCEPT,
                                    value=ASSUMPTION,
                                    description="Engagement an attendee gains at a "
                                                "convening (commitments affirmed).")
    capacity_gain: float = param(0.02, ge=0.0, le=1.0, unit="share of gap",
                                 concept=CONCEPT,
                                 value=ASSUMPTION,
                                 description="Share of the distance to full connecting and "
                                             "bridging capacity gained per convening.")
    alumni_every_months: int = param(1, ge=0, le=120, unit="months",
                                     concept="Leading Edge (Hosting: an alumni community)",
                                     value="Leading Edge: an alumni community 'that meets monthly'", checked=True,
                                     description="Months between alumni gatherings (0: none; "
                                                 "Leading Edge: an alumni community that "
                                                 "meets monthly).")
    alumni_attendance: float = param(0.3, ge=0.0, le=1.0, unit="probability",
                                     concept=CONCEPT,
                                     value=ASSUMPTION,
                                     description="Chance an alumnus attends a gathering "
                                                 "(assumption).")
    alumni_new_ties: int = param(1, ge=0, le=20, unit="ties",
                                 concept=CONCEPT,
                                 value=ASSUMPTION, description="New acquaintances per attendee at a gathering.")
    alumni_gathering_cost: float = param(1000.0, ge=0, le=1e9, unit="currency",
                                         concept=("Pushing the Envelope (relationships vs skills); Leading Edge "
                                                  "(Networks)"),
                                         value=ASSUMPTION,
                                         description="Cost of one alumni gathering "
                                                     "(assumption).")
