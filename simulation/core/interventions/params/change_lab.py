"""What a scenario file may set under ``params:`` for the strategy of ``change_lab.py``.

Mesa-free and without the compiled kernels, so that reading a scenario or listing the parameters loads
neither; the strategy's module imports them and sets them as its ``Params``.
"""

from __future__ import annotations

from ...people import MANAGER, STAFF
from ...provenance import ASSUMPTION, SETTING, param
from ..base import InterventionParams

# Where most of these parameters come from as ideas (the concept source; values are in each field).
CONCEPT = "Leading Edge (Multi-stakeholder partnerships: Change Lab, Theory U)"


class ChangeLabParams(InterventionParams):
    every_months: int = param(36, ge=1, le=1200, unit="months",
                              concept=CONCEPT,
                              value=ASSUMPTION,
                              description="Months between labs (assumption: a two-year lab, "
                                          "then a year of stewarding its prototypes).")
    selection: str = param("stratified", unit="choice", concept="Leading Edge (Change Lab)", value=SETTING,
                           description="How members are chosen among managers and executives "
                                       "(default: equal numbers from each sector).")
    cost_per_participant: float = param(10_000.0, ge=0, le=1e9, unit="currency",
                                        concept=CONCEPT,
                                        value=ASSUMPTION,
                                        description="Cost per member of a lab: "
                                                    "facilitation, learning journeys, "
                                                    "retreat (assumption).")
    lab_size: int = param(40, ge=3, le=1000, unit="people", concept="Leading Edge (Change Lab)",
                          value="Leading Edge: teams of '30-40 senior representatives'", checked=True,
                          description="Largest lab; a bigger intake runs parallel labs "
                                      "(Leading Edge: 30-40 senior representatives).")
    min_position: int = param(MANAGER, ge=STAFF, le=2, unit="position (0-2)", concept="Leading Edge (Change Lab)",
                              value="Leading Edge: 'senior representatives' (managers and executives)", checked=True,
                              description="Lowest position of a member "
                                          "(0 staff, 1 manager, 2 executive).")
    sensing_months: int = param(6, ge=0, le=120, unit="months",
                                concept=CONCEPT,
                                value=ASSUMPTION, description="Months of learning journeys.")
    reflection_months: int = param(2, ge=0, le=120, unit="months",
                                   concept=CONCEPT,
                                   value=ASSUMPTION, description="Months of the retreat and its integration.")
    action_months: int = param(16, ge=0, le=240, unit="months", concept="Leading Edge (Change Lab)",
                               value="Sustainable Food Lab: two years in all (not in the seeds)",
                               description="Months the lab meets to prototype "
                                           "(Sustainable Food Lab: two years in all).")
    journey_team_size: int = param(5, ge=2, le=100, unit="people",
                                   concept=CONCEPT,
                                   value=ASSUMPTION, description="Members per learning-journey team.")
    sensing_gain: float = param(0.05, ge=0.0, le=1.0, unit="share of gap",
                                concept=CONCEPT,
                                value=ASSUMPTION,
                                description="Share of the gap to full systems thinking "
                                            "closed per sensing month (bridging: half).")
    reflection_purpose: float = param(0.3, ge=0.0, le=1.0, unit="share of gap",
                                      concept=CONCEPT,
                                      value=ASSUMPTION,
                                      description="Share of the gap to full purpose "
                                                  "alignment closed over the reflection phase.")
    reflection_learning: float = param(0.1, ge=0.0, le=1.0, unit="share of gap",
                                       concept=CONCEPT,
                                       value=ASSUMPTION,
                                       description="Share of the gap to full learning/"
                                                   "reflecting closed over the reflection "
                                                   "phase.")
    commitment: float = param(0.3, ge=0.0, le=1.0, unit="0-1",
                              concept=CONCEPT,
                              value=ASSUMPTION, description="Engagement gained at the retreat (a rung).")
    prototype_team_size: int = param(7, ge=2, le=1000, unit="people",
                                     concept=CONCEPT,
                                     value=ASSUMPTION, description="Members per prototype team (about).")
    min_sectors: int = param(3, ge=1, le=20, unit="sectors",
                             concept="Leading Edge (Change Lab: business, government and civil society)",
                             value="Leading Edge: business, government and civil society (three sectors)", checked=True,
                             description="Sectors a prototype team must span to launch.")
    action_engagement: float = param(0.05, ge=0.0, le=1.0, unit="0-1",
                                     concept=CONCEPT,
                                     value=ASSUMPTION,
                                     description="Engagement members gain per month of "
                                                 "the action phase.")
