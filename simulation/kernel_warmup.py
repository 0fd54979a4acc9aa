"""Load the compiled kernels now, by running a tiny model once (:func:`load_kernels`); compile them first, saying
so, when this machine has never compiled this version of the model (:func:`ensure_kernels`).

A kernel loads from numba's on-disk cache - or compiles, the first time on a machine - at its first call in a
process, about half a second in all. Local worker processes call :func:`load_kernels` when they start
(:mod:`simulation.worker_pool`) and Dask workers when a sweep connects to them, so that no run pays for it (the
benchmarks call it to time loading apart). The tiny run changes nothing: models share no state.

The first time (an empty cache folder for this version of the core's source, see :mod:`simulation.core.compiled`)
compiling takes about :data:`COMPILE_SECONDS`. The command line calls :func:`ensure_kernels` before it runs a
model: one line says what is happening instead of half a minute of silence, and the kernels compile once, in the
command's own process, rather than in every worker at once. After a complete compile :func:`load_kernels` leaves
:data:`MARKER` in the cache folder; its absence is what "never compiled here" means.

Reads and writes nothing but numba's cache folder (see :mod:`simulation.core.compiled`).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path

from .core.model import LeadershipModel
from .core.scenario import Scenario

_WARM_UP = {"population": {"people": 300}, "months": 13, "budget": 300 * 12_000,
            "interventions": [{"type": t} for t in ("individual_training", "cohort_networking", "hosting",
                                                     "network_weaving", "mentoring", "community_of_practice")]}
COMPILE_SECONDS = 40
"""Compiling every kernel from an empty cache: 38 s measured on this project's 2-core machine (30 s on a quiet one)."""
MARKER = "leadsim-kernels-compiled"
"""The file :func:`load_kernels` leaves in the cache folder once every kernel a step uses is compiled there."""


def load_kernels() -> float:
    """Run a 300-person, 13-month model with a few interventions (every kernel a step uses); returns seconds."""
    started = time.perf_counter()
    LeadershipModel(Scenario.model_validate(_WARM_UP), rng=1, person_agents=False).run_for(13)
    folder = _cache_folder()
    if folder is not None:
        with contextlib.suppress(OSError):  # best effort: a read-only cache only means the line shows again
            (folder / MARKER).touch()
    return time.perf_counter() - started


def kernels_compiled() -> bool:
    """Whether this machine's cache folder holds this version's compiled kernels (True when numba caches
    elsewhere - ``NUMBA_CACHE_DIR`` unset and no writable home - since leadsim cannot tell then)."""
    folder = _cache_folder()
    return folder is None or (folder / MARKER).is_file()


def ensure_kernels(say: Callable[[str], None] | None = None) -> None:
    """Compile the kernels now if this machine has not yet (see the module docstring), after ``say``-ing so in one
    line; otherwise do nothing (they load at their first call, in about half a second)."""
    if kernels_compiled():
        return
    if say is not None:
        say(f"compiling the model's kernels once for this machine (about {COMPILE_SECONDS} s)")
    load_kernels()


def _cache_folder() -> Path | None:
    import numba  # the kernel modules have set numba.config.CACHE_DIR on import (simulation.core.compiled)

    return Path(numba.config.CACHE_DIR) if numba.config.CACHE_DIR else None
