"""What a scenario file may set under ``params:`` for the strategy of ``network_weaving.py``.

Mesa-free and without the compiled kernels, so that reading a scenario or listing the parameters loads
neither; the strategy's module imports them and sets them as its ``Params``.
"""

from __future__ import annotations

from ...provenance import ASSUMPTION, SETTING, param
from ..base import InterventionParams

# Where most of these parameters come from as ideas (the concept source; values are in each field).
CONCEPT = "Pushing the Envelope (multiple entry points, layer cake)"


class NetworkWeavingParams(InterventionParams):
    every_months: int = param(3, ge=1, le=1200, unit="months",
                              concept=CONCEPT, value=SETTING,
                              description="Months between intakes (entry points stay open).")
    selection: str = param("periphery", unit="choice", concept="Pushing the Envelope", value=SETTING,
                           description="Who is invited in (default: the periphery of the engaged "
                                       "core).")
    cost_per_participant: float = param(500.0, ge=0, le=1e9, unit="currency",
                                        concept=CONCEPT,
                                        value=ASSUMPTION,
                                        description="Weaver's time per entrant for the "
                                                    "support period (assumption).")
    introductions: int = param(2, ge=0, le=20, unit="people",
                               concept=CONCEPT, value=ASSUMPTION,
                               description="Core people each entrant is introduced to.")
    support_months: int = param(12, ge=1, le=120, unit="months",
                                concept=CONCEPT, value=ASSUMPTION,
                                description="Months the weaver keeps an entrant's ties active.")
    rungs: int = param(3, ge=1, le=10, unit="rungs", concept="Pushing the Envelope (Mom's Rising layer cake)",
                       value="Pushing the Envelope: Mom's Rising example - share a story, take on a task, organize",
                       checked=True, description="Rungs of the engagement ladder (entry is the first).")
    climb_probability: float = param(0.15, ge=0.0, le=1.0, unit="probability",
                                     concept="Centola 2010 (adoption); Pushing the Envelope (climbing the layers)",
                                     value=ASSUMPTION,
                                     description="Monthly chance a supported entrant with "
                                                 "full purpose alignment climbs a rung (scaled "
                                                 "by purpose; Centola 2010 default adoption).")
    rung_learning: float = param(0.02, ge=0.0, le=1.0, unit="share of gap",
                                 concept=CONCEPT, value=ASSUMPTION,
                                 description="Learning by doing per rung climbed (share of "
                                             "the distance to full collective capacity).")
