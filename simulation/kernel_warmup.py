"""Load the compiled kernels now, by running a tiny model once: importing this module does it.

A kernel loads from numba's on-disk cache - or compiles, the first time on a machine - at its first call in a
process, about half a second in all. Worker pools preload this module in their fork server, so every worker it
forks starts with the kernels ready instead of paying for them in its first run; Dask workers run
:func:`load_kernels` when a sweep connects to them. The tiny run changes nothing: models share no state.
"""

from __future__ import annotations

import time

from .core.model import LeadershipModel
from .core.scenario import Scenario

_WARM_UP = {"population": {"people": 300}, "months": 13, "budget": 300 * 12_000,
            "interventions": [{"type": t} for t in ("individual_training", "cohort_networking", "hosting",
                                                     "network_weaving", "mentoring", "community_of_practice")]}


def load_kernels() -> float:
    """Run a 300-person, 13-month model with a few interventions (every kernel a step uses); returns seconds."""
    started = time.perf_counter()
    LeadershipModel(Scenario.model_validate(_WARM_UP), rng=1, person_agents=False).run_for(13)
    return time.perf_counter() - started


SECONDS = load_kernels()
"""How long loading took in this process (at import)."""
