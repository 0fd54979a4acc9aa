"""Load the compiled kernels now, by running a tiny model once (:func:`load_kernels`).

A kernel loads from numba's on-disk cache - or compiles, the first time on a machine - at its first call in a
process, about half a second in all. Local worker processes call :func:`load_kernels` when they start
(:mod:`simulation.worker_pool`) and Dask workers when a sweep connects to them, so that no run pays for it (the
benchmarks call it to time loading apart). The tiny run changes nothing: models share no state.

Reads and writes nothing but numba's cache folder (see :mod:`simulation.core.compiled`).
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
