"""What a scenario file may set under ``params:`` for the strategy of ``mentoring.py``.

Mesa-free and without the compiled kernels, so that reading a scenario or listing the parameters loads
neither; the strategy's module imports them and sets them as its ``Params``.
"""

from __future__ import annotations

from ...people import MANAGER, STAFF
from ...provenance import ASSUMPTION, SETTING, param
from ..base import InterventionParams

# Where most of these parameters come from as ideas (the concept source; values are in each field).
CONCEPT = "Leading Edge (Mentoring)"


class MentoringParams(InterventionParams):
    every_months: int = param(12, ge=1, le=1200, unit="months", concept=CONCEPT, value=SETTING,
                              description="Months between intakes of mentoring pairs.")
    selection: str = param("engagement", unit="choice", concept=CONCEPT, value=SETTING,
                           description="How mentees are chosen (default: the most engaged staff "
                                       "and residents: emerging leaders).")
    cost_per_participant: float = param(2500.0, ge=0, le=1e9, unit="currency", concept=CONCEPT,
                                        value=ASSUMPTION,
                                        description="Cost per pair for a programme year: "
                                                    "matching, mentor training, agreement "
                                                    "(assumption).")
    duration_months: int = param(12, ge=1, le=120, unit="months", concept=CONCEPT, value=ASSUMPTION,
                                 description="Length of a mentoring relationship (assumption).")
    mentor_min_position: int = param(MANAGER, ge=STAFF, le=2, unit="position (0-2)", concept=CONCEPT,
                                     value=ASSUMPTION,
                                     description="Lowest position of a mentor "
                                                 "(0 staff, 1 manager, 2 executive).")
    candidates: int = param(5, ge=1, le=100, unit="people", concept=CONCEPT, value=ASSUMPTION,
                            description="Mentors the programme screens for each mentee.")
    match_quality: float = param(0.5, ge=0.0, le=1.0, unit="0-1", concept=CONCEPT, value=ASSUMPTION,
                                 description="How well the programme sees a pair's fit and "
                                             "needs (0: random pairing, 1: it sees them "
                                             "exactly).")
    transfer_rate: float = param(0.04, ge=0.0, le=1.0, unit="share of gap per month", concept=CONCEPT,
                                 value=ASSUMPTION,
                                 description="Share of the capacity gap a perfectly fitting "
                                             "pair passes on per month (assumption).")
    introduction_rate: float = param(0.2, ge=0.0, le=1.0, unit="probability per month", concept=CONCEPT,
                                     value=ASSUMPTION,
                                     description="Monthly chance (times fit) the mentor "
                                                 "introduces the mentee to a contact.")
    tie_weight: float = param(0.7, ge=0.0, le=1.0, unit="weight", concept=CONCEPT, value=ASSUMPTION,
                              description="Weight of the mentor-mentee tie at the start "
                                          "(strong: above network.strong_tie_weight).")
