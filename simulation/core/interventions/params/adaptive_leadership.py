"""What a scenario file may set under ``params:`` for the strategy of ``adaptive_leadership.py``.

Mesa-free and without the compiled kernels, so that reading a scenario or listing the parameters loads
neither; the strategy's module imports them and sets them as its ``Params``.
"""

from __future__ import annotations

from ...provenance import ASSUMPTION, SETTING, param
from ..base import InterventionParams

# Where most of these parameters come from as ideas (the concept source; values are in each field).
CONCEPT = "Leading Edge (Adaptive leadership)"


class AdaptiveLeadershipParams(InterventionParams):
    every_months: int = param(12, ge=1, le=1200, unit="months", concept=CONCEPT,
                              value=SETTING, description="Months between cohorts.")
    selection: str = param("engagement", unit="choice", concept=CONCEPT, value=SETTING,
                           description="How participants are chosen (default: the most engaged).")
    cost_per_participant: float = param(3000.0, ge=0, le=1e9, unit="currency",
                                        concept=CONCEPT, value=ASSUMPTION,
                                        description="Cost per participant of the course "
                                                    "(assumption).")
    sessions: int = param(6, ge=1, le=120, unit="sessions", concept=CONCEPT,
                          value=ASSUMPTION, description="Monthly sessions of the course.")
    group_size: int = param(6, ge=2, le=100, unit="people", concept=CONCEPT,
                            value=ASSUMPTION, description="Members per problem-solving group.")
    attendance: float = param(0.85, ge=0.0, le=1.0, unit="probability", concept=CONCEPT,
                              value=ASSUMPTION, description="Chance a participant attends a session.")
    skill_gain: float = param(0.04, ge=0.0, le=1.0, unit="share of gap", concept=CONCEPT,
                              value=ASSUMPTION,
                              description="Share of the gap on systems thinking and "
                                          "learning/reflecting closed per session.")
    adapt_chance: float = param(0.5, ge=0.0, le=1.0, unit="probability", concept=CONCEPT,
                                value=ASSUMPTION,
                                description="Chance one graduate makes a failing "
                                            "initiative re-plan instead of failing.")
