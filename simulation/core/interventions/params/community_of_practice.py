"""What a scenario file may set under ``params:`` for the strategy of ``community_of_practice.py``.

Mesa-free and without the compiled kernels, so that reading a scenario or listing the parameters loads
neither; the strategy's module imports them and sets them as its ``Params``.
"""

from __future__ import annotations

from ...provenance import ASSUMPTION, SETTING, param
from ..base import InterventionParams

# Where most of these parameters come from as ideas (the concept source; values are in each field).
CONCEPT = "Leading Edge (Communities of practice)"


class CommunityOfPracticeParams(InterventionParams):
    every_months: int = param(12, ge=1, le=1200, unit="months", concept=CONCEPT,
                              value=SETTING, description="Months between intakes of new communities.")
    selection: str = param("engagement", unit="choice", concept=CONCEPT, value=SETTING,
                           description="How members are chosen (default: the most engaged first: "
                                       "communities of practice are self-selected).")
    cost_per_participant: float = param(200.0, ge=0, le=1e9, unit="currency",
                                        concept=CONCEPT, value=ASSUMPTION,
                                        description="Enrolment per member (assumption).")
    cost_per_member_month: float = param(100.0, ge=0, le=1e7, unit="currency per seat per month",
                                         concept=CONCEPT, value=ASSUMPTION,
                                         description="Facilitation and room per seat per "
                                                     "month (assumption).")
    group_size: int = param(20, ge=2, le=500, unit="people", concept=CONCEPT,
                            value=ASSUMPTION, description="Largest community; an intake is split by field.")
    duration_months: int = param(24, ge=1, le=1200, unit="months", concept=CONCEPT,
                                 value=ASSUMPTION, description="How long a community convenes (assumption).")
    attendance: float = param(0.7, ge=0.0, le=1.0, unit="probability", concept=CONCEPT,
                              value=ASSUMPTION, description="Chance a member attends a monthly convening.")
    new_ties_per_meeting: int = param(1, ge=0, le=20, unit="ties", concept=CONCEPT,
                                      value=ASSUMPTION, description="New acquaintances per attendee per convening.")
    peer_learning: float = param(0.02, ge=0.0, le=1.0, unit="share of gap",
                                 concept=CONCEPT, value=ASSUMPTION,
                                 description="Share of the gap to the community's best "
                                             "closed per convening, per collective process.")
    reflection_learning: float = param(0.04, ge=0.0, le=1.0, unit="share of gap",
                                       concept=CONCEPT, value=ASSUMPTION,
                                       description="Same for learning/reflecting.")
    core_size: int = param(3, ge=1, le=100, unit="people", concept=CONCEPT,
                           value=ASSUMPTION, description="Strongest attendees whose mean is the community's best.")
    engagement_boost: float = param(0.05, ge=0.0, le=1.0, unit="0-1", concept=CONCEPT,
                                    value=ASSUMPTION,
                                    description="Engagement an attendee gains per "
                                                "convening.")
