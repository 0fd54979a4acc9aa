"""What a scenario file may set under ``params:`` for the strategies of ``coaching.py``.

Mesa-free and without the compiled kernels, so that reading a scenario or listing the parameters loads
neither; the strategy's module imports them and sets them as its ``Params``.
"""

from __future__ import annotations

from ...people import MANAGER, STAFF
from ...provenance import ASSUMPTION, SETTING, param
from ..base import InterventionParams

# Where most of these parameters come from as ideas (the concept source; values are in each field).
CONCEPT = "Leading Edge (Coaching)"


class CoachingParams(InterventionParams):
    every_months: int = param(12, ge=1, le=1200, unit="months", concept=CONCEPT, value=SETTING,
                              description="Months between intakes of coachees.")
    selection: str = param("position", unit="choice", concept=CONCEPT, value=SETTING,
                           description="How coachees are chosen (default: executives first).")
    cost_per_participant: float = param(1500.0, ge=0, le=1e9, unit="currency", concept=CONCEPT,
                                        value=ASSUMPTION,
                                        description="Intake per coachee: 360° assessment "
                                                    "and goal setting (assumption).")
    cost_per_session: float = param(400.0, ge=0, le=1e7, unit="currency", concept=CONCEPT,
                                    value=ASSUMPTION,
                                    description="Fee per booked seat per session "
                                                "(assumption: an hour of a coach's time).")
    sessions: int = param(12, ge=1, le=240, unit="sessions", concept=CONCEPT,
                          value=("Leading Edge: CompassPoint's 12-month Executive Coaching demonstration (one session"
                                 " a month is an assumption)"),
                          checked=True,
                          description="Sessions booked per coachee: the dose (CompassPoint's "
                                      "12-month coaching demonstration).")
    session_interval_months: int = param(1, ge=1, le=24, unit="months", concept=CONCEPT,
                                         value=ASSUMPTION, description="Months between sessions.")
    attendance: float = param(0.95, ge=0.0, le=1.0, unit="probability", concept=CONCEPT,
                              value=ASSUMPTION, description="Chance a coachee attends a booked session.")
    effect_size: float = param(0.28, ge=0.0, le=5.0, unit="sd",
                               concept="Jones, Woods & Guillaume 2016 (workplace coaching meta-analysis)",
                               value="Jones, Woods & Guillaume 2016: skill-based outcomes delta = 0.28 (k = 17)",
                               checked=True,
                               description="Gain on competence at a saturating dose, in sd "
                                           "(Jones et al. 2016: skill-based δ = 0.28).")
    half_dose_sessions: float = param(3.0, gt=0.0, le=240.0, unit="sessions",
                                      concept="Jones, Woods & Guillaume 2016 (no moderation by number of sessions)",
                                      value=ASSUMPTION,
                                      description="Attended sessions that give half the "
                                                  "effect (diminishing returns; assumption).")
    collective_share: float = param(0.3, ge=0.0, le=1.0, unit="share of competence gain", concept=CONCEPT,
                                    value=ASSUMPTION,
                                    description="Gain on the collective processes as a share "
                                                "of the competence gain.")
    min_position: int = param(MANAGER, ge=STAFF, le=2, unit="position (0-2)", concept=CONCEPT,
                              value=ASSUMPTION,
                              description="Lowest position that may be coached "
                                          "(0 staff, 1 manager, 2 executive).")


class PeerCoachingParams(CoachingParams):
    cost_per_participant: float = param(200.0, ge=0, le=1e9, unit="currency",
                                        concept="Leading Edge (Coaching: peer coaching)", value=ASSUMPTION,
                                        description="Intake per participant (assumption).")
    cost_per_session: float = param(100.0, ge=0, le=1e7, unit="currency",
                                    concept="Leading Edge (Coaching: peer coaching)", value=ASSUMPTION,
                                    description="Facilitation per seat per session "
                                                "(assumption: 600 per circle of six).")
    attendance: float = param(0.85, ge=0.0, le=1.0, unit="probability",
                              concept="Leading Edge (Coaching: peer coaching)", value=ASSUMPTION,
                              description="Chance a member attends a circle session.")
    effect_size: float = param(0.2, ge=0.0, le=5.0, unit="sd", concept="Leading Edge (Coaching: peer coaching)",
                               value=ASSUMPTION,
                               description="Gain on competence at a saturating dose, in sd "
                                           "(assumption: below professional coaching).")
    collective_share: float = param(0.5, ge=0.0, le=1.0, unit="share of competence gain",
                                    concept="Leading Edge (Coaching: peer coaching)", value=ASSUMPTION,
                                    description="Gain on the collective processes as a share "
                                                "of the competence gain (peers practise "
                                                "connecting and reflecting together).")
    min_position: int = param(STAFF, ge=STAFF, le=2, unit="position (0-2)",
                              concept="Leading Edge (Coaching: peer coaching)", value=ASSUMPTION,
                              description="Lowest position that may join a circle.")
    group_size: int = param(6, ge=2, le=50, unit="people", concept="Leading Edge (Coaching: peer coaching)",
                            value=ASSUMPTION, description="Peers per coaching circle.")
