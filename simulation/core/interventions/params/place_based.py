"""What a scenario file may set under ``params:`` for the strategy of ``place_based.py``.

Mesa-free and without the compiled kernels, so that reading a scenario or listing the parameters loads
neither; the strategy's module imports them and sets them as its ``Params``.
"""

from __future__ import annotations

from ...provenance import ASSUMPTION, SETTING, param
from ..base import InterventionParams

# Where most of these parameters come from as ideas (the concept source; values are in each field).
CONCEPT = "Leading Edge (Place-based: Kellogg Leadership for Community Change)"


class PlaceBasedParams(InterventionParams):
    every_months: int = param(12, ge=4, le=1200, unit="months",
                              concept=CONCEPT,
                              value=SETTING, description="Months of one cycle through KLCC's four stages.")
    selection: str = param("stratified", unit="choice", concept="Leading Edge (Place-based)", value=SETTING,
                           description="How participants are chosen among the place's residents "
                                       "and employees (default: equal numbers per sector and of "
                                       "residents).")
    cost_per_participant: float = param(250.0, ge=0, le=1e9, unit="currency",
                                        concept=CONCEPT,
                                        value=ASSUMPTION,
                                        description="Cost per participant of a cycle "
                                                    "(assumption).")
    fixed_cost_per_month: float = param(5000.0, ge=0, le=1e9, unit="currency per month",
                                        concept=CONCEPT,
                                        value=ASSUMPTION,
                                        description="The intermediary organization's "
                                                    "monthly cost (assumption).")
    place: int | None = param(None, ge=0, le=10_000, unit="place index", concept="Leading Edge (Place-based)",
                              value=SETTING, description="The place (default: drawn at the first cycle).")
    intermediary_sector: str = param("nonprofit", unit="choice",
                                     concept="Leading Edge (Place-based: an intermediary organization leads)",
                                     value=ASSUMPTION,
                                     description="Sector the intermediary is chosen from (the most "
                                                 "open organization of it in the place).")
    trust: float | None = param(None, ge=0.0, le=1.0, unit="0-1",
                                concept="Leading Edge (Place-based: KLCC's first stage, Build Trust)", value=ASSUMPTION,
                                description="Trust in the intermediary (default: its "
                                            "openness).")
    circle_size: int = param(12, ge=2, le=500, unit="people",
                             concept=CONCEPT,
                             value=ASSUMPTION, description="People per circle.")
    attendance: float = param(0.6, ge=0.0, le=1.0, unit="probability",
                              concept=CONCEPT,
                              value=ASSUMPTION, description="Chance a participant attends a convening.")
    acquaintance: float = param(0.1, ge=0.0, le=1.0, unit="probability",
                                concept=CONCEPT,
                                value=ASSUMPTION,
                                description="Chance two co-attendees who are not tied "
                                            "become acquainted (times trust).")
    capacity_gain: float = param(0.03, ge=0.0, le=1.0, unit="share of gap",
                                 concept=CONCEPT,
                                 value=ASSUMPTION,
                                 description="Share of the capacity gap closed per "
                                             "convening (times trust).")
    purpose_gain: float = param(0.05, ge=0.0, le=1.0, unit="share of gap",
                                concept=CONCEPT,
                                value=ASSUMPTION,
                                description="Share of the purpose gap closed per "
                                            "convening (times trust).")
    engagement_gain: float = param(0.05, ge=0.0, le=1.0, unit="0-1",
                                   concept=CONCEPT,
                                   value=ASSUMPTION,
                                   description="Engagement gained per convening "
                                               "(times trust).")
    support_engagement: float = param(0.03, ge=0.0, le=1.0, unit="engagement per month",
                                      concept=CONCEPT,
                                      value=ASSUMPTION,
                                      description="Monthly engagement the intermediary's "
                                                  "support gives members of the place's "
                                                  "initiatives (times trust).")
