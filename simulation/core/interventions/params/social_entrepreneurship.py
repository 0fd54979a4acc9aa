"""What a scenario file may set under ``params:`` for the strategy of ``social_entrepreneurship.py``.

Mesa-free and without the compiled kernels, so that reading a scenario or listing the parameters loads
neither; the strategy's module imports them and sets them as its ``Params``.
"""

from __future__ import annotations

from ...provenance import ASSUMPTION, SETTING, param
from ..base import InterventionParams

# Where most of these parameters come from as ideas (the concept source; values are in each field).
CONCEPT = "Leading Edge (Social entrepreneurship)"


class SocialEntrepreneurshipParams(InterventionParams):
    every_months: int = param(12, ge=1, le=1200, unit="months", concept=CONCEPT,
                              value=SETTING, description="Months between grant rounds.")
    selection: str = param("engagement", unit="choice", concept="Leading Edge (Social entrepreneurship: selection)",
                           value=SETTING, description="How grantees are chosen (default: the most engaged).")
    cost_per_participant: float = param(80_000.0, ge=0, le=1e10, unit="currency",
                                        concept="Leading Edge (Social entrepreneurship: Echoing Green)",
                                        value="Echoing Green 2012: a stipend of $80,000 over two years", checked=True,
                                        description="Grant per grantee, at least "
                                                    "(Echoing Green 2012: 80,000).")
    cost_per_event: float = param(10_000.0, ge=0, le=1e10, unit="currency",
                                  concept=CONCEPT, value=ASSUMPTION,
                                  description="Selection cost of a round (assumption).")
    grant_months: int = param(24, ge=1, le=240, unit="months",
                              concept="Leading Edge (Social entrepreneurship: Echoing Green)",
                              value="Echoing Green: a two-year fellowship", checked=True,
                              description="Runway of a grant of cost_per_participant "
                                          "(Echoing Green: two years).")
    team_size: int = param(5, ge=1, le=100, unit="people", concept=CONCEPT,
                           value=ASSUMPTION, description="Founding team: the grantee and free contacts.")
    recognition: float = param(0.3, ge=0.0, le=1.0, unit="0-1", concept=CONCEPT,
                               value=ASSUMPTION,
                               description="Engagement (and share of the purpose gap) a "
                                           "grantee gains on selection.")
    grant_momentum: float = param(0.02, ge=0.0, le=1.0, unit="momentum per month",
                                  concept=CONCEPT, value=ASSUMPTION,
                                  description="Momentum the grant adds per month of "
                                              "runway.")
    grant_resilience: float = param(0.8, ge=0.0, le=1.0, unit="probability",
                                    concept=CONCEPT, value=ASSUMPTION,
                                    description="Chance of re-planning instead of failing "
                                                "during the runway (at least).")
