"""What a scenario file may set under ``params:`` for the strategy of ``boundary_crossing.py``.

Mesa-free and without the compiled kernels, so that reading a scenario or listing the parameters loads
neither; the strategy's module imports them and sets them as its ``Params``.
"""

from __future__ import annotations

from ...provenance import ASSUMPTION, SETTING, param
from ..base import InterventionParams

# Where most of these parameters come from as ideas (the concept source; values are in each field).
CONCEPT = "Leading Edge (Boundary-crossing)"


class BoundaryCrossingParams(InterventionParams):
    every_months: int = param(12, ge=1, le=1200, unit="months", concept=CONCEPT,
                              value=SETTING, description="Months between intakes.")
    selection: str = param("stratified", unit="choice", concept=CONCEPT, value=SETTING,
                           description="How participants are chosen (default: equal numbers from "
                                       "each sector and from residents).")
    cost_per_participant: float = param(1500.0, ge=0, le=1e9, unit="currency",
                                        concept=CONCEPT, value=ASSUMPTION,
                                        description="Cost per participant of a circle "
                                                    "(assumption).")
    circle_size: int = param(12, ge=2, le=200, unit="people", concept=CONCEPT,
                             value=ASSUMPTION, description="Largest dialogue circle.")
    sessions: int = param(6, ge=1, le=120, unit="sessions", concept=CONCEPT,
                          value=ASSUMPTION, description="Monthly sessions of a circle.")
    attendance: float = param(0.8, ge=0.0, le=1.0, unit="probability", concept=CONCEPT,
                              value=ASSUMPTION, description="Chance a member attends a session.")
    trust_weight: float = param(0.6, ge=0.0, le=1.0, unit="weight", concept=CONCEPT,
                                value=ASSUMPTION,
                                description="Weight of a new tie across a boundary "
                                            "(trust: above network.strong_tie_weight).")
    bridging_gain: float = param(0.03, ge=0.0, le=1.0, unit="share of gap", concept=CONCEPT,
                                 value=ASSUMPTION,
                                 description="Share of the distance to full bridging "
                                             "capacity gained per session (connecting: half).")
