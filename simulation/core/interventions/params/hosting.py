"""What a scenario file may set under ``params:`` for the strategy of ``hosting.py``.

Mesa-free and without the compiled kernels, so that reading a scenario or listing the parameters loads
neither; the strategy's module imports them and sets them as its ``Params``.
"""

from __future__ import annotations

from ...provenance import ASSUMPTION, SETTING, param
from ..base import InterventionParams

# Where most of these parameters come from as ideas (the concept source; values are in each field).
CONCEPT = "Leading Edge (Hosting: World Café, Open Space)"


class HostingParams(InterventionParams):
    every_months: int = param(6, ge=1, le=1200, unit="months", concept=CONCEPT,
                              value=ASSUMPTION, description="Months between hosted events (assumption).")
    cost_per_participant: float = param(60.0, ge=0, le=1e9, unit="currency",
                                        concept=CONCEPT, value=ASSUMPTION,
                                        description="Cost per participant of an event: "
                                                    "venue, catering, hosting team "
                                                    "(assumption).")
    table_size: int = param(4, ge=2, le=50, unit="people", concept="Brown & Isaacs 2005 (The World Café)",
                            value="World Café practice: tables of four (not in the seeds)",
                            description="People per table (World Café: four).")
    rounds: int = param(3, ge=1, le=20, unit="rounds", concept="Brown & Isaacs 2005 (The World Café)",
                        value="World Café practice: three rounds (not in the seeds)",
                        description="Rounds of conversation, changing tables (World Café: 3).")
    acquaintance: float = param(0.3, ge=0.0, le=1.0, unit="probability",
                                concept=CONCEPT, value=ASSUMPTION,
                                description="Chance a table conversation becomes a tie.")
    purpose_gain: float = param(0.1, ge=0.0, le=1.0, unit="share of gap",
                                concept=CONCEPT, value=ASSUMPTION,
                                description="Share of the gap to full purpose alignment "
                                            "closed at an event.")
    engagement_gain: float = param(0.1, ge=0.0, le=1.0, unit="0-1",
                                   concept=CONCEPT, value=ASSUMPTION,
                                   description="Engagement gained at an event.")
    afterglow_half_life: float = param(3.0, gt=0.0, le=1200.0, unit="months",
                                       concept=CONCEPT, value=ASSUMPTION,
                                       description="Months in which half of an event's "
                                                   "unharvested purpose gain fades (at "
                                                   "average openness).")
    follow_up_months: int = param(0, ge=0, le=1200, unit="months", concept="Leading Edge (Hosting)", value=SETTING,
                                  description="Months of monthly follow-up gatherings after "
                                              "each event (0: a one-off event).")
    follow_up_share: float = param(1 / 3, ge=0.0, le=1.0, unit="share of participants",
                                   concept=CONCEPT, value=ASSUMPTION,
                                   description="Share of participants who join the "
                                               "follow-up community.")
    follow_up_attendance: float = param(0.7, ge=0.0, le=1.0, unit="probability",
                                        concept=CONCEPT, value=ASSUMPTION,
                                        description="Chance a member attends a gathering.")
    follow_up_cost_per_member_month: float = param(20.0, ge=0, le=1e7, unit="currency per member per month",
                                                   concept=CONCEPT,
                                                   value=ASSUMPTION,
                                                   description="Cost per follow-up member "
                                                               "per month (assumption).")
    follow_up_engagement: float = param(0.05, ge=0.0, le=1.0, unit="0-1",
                                        concept=CONCEPT, value=ASSUMPTION,
                                        description="Engagement gained per gathering.")
    action_group_size: int = param(5, ge=2, le=100, unit="people",
                                   concept=CONCEPT, value=ASSUMPTION,
                                   description="Open Space action group size.")
    action_probability: float = param(0.1, ge=0.0, le=1.0, unit="probability",
                                      concept=CONCEPT, value=ASSUMPTION,
                                      description="Chance an action group launches an "
                                                  "initiative at a gathering.")
