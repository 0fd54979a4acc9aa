"""The memory guard: estimate what a run needs, and refuse a population this machine cannot hold, before any work.

:func:`estimate_memory` is measured, not guessed (``benchmarks/bench_memory.py`` prints the estimate beside the
measured peak at each size); :func:`check_memory` keeps a stated safety margin (:func:`safety_margin`) free.
:func:`bound_memory` is the same sum from the scenario's declarations alone, an upper bound of the estimate that
needs neither the model nor its compiled kernels (``leadsim validate`` uses it while a run plainly fits).

Reads ``/proc/meminfo``, the cgroup's limit and ``LEADSIM_MEMORY_LIMIT``; writes nothing.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .core.scenario import Scenario
from .problems import ScenarioFileError, problem_at

if TYPE_CHECKING:
    from .scenario_files import ScenarioSource

# Measured on this project's machine (x86_64, Python 3.12, numpy 2, numba 0.68; benchmarks/bench_memory.py, the
# baseline scenario): a process with leadsim imported and its compiled kernels loaded from numba's cache holds
# 215 MB (a pool worker) to 290 MB (a fresh process that also read a scenario file), but one that compiles them
# (the first run on a machine, or after the model's code changed) peaks at 430-550 MB: INTERPRETER_BYTES covers
# that, with some room for other platforms and allocators. Above it, one run's peak was 408-415 B/person just
# after set-up (2,000,000 and 20,000,000 people) and rose over 60 months to 576 B/person at 2,000,000 (issue 14
# saw a 20,000,000-person worker killed at 640 B/person), while the People slots and the two sets of tie buffers
# at the end held 280 B/person: the step's temporaries (and the heap's fragmentation) double it - WORKING_FACTOR,
# rounded up from the 2.06 measured. The tie buffers grow geometrically (by half, when full) and have a spare set:
# while they grow, the old live and spare buffers and the new ones are held at once, 1.5 times the buffers
# measured at set-up more (TIE_GROWTH_EXTRA).
INTERPRETER_BYTES = 600e6
WORKING_FACTOR = 2.1
TIE_GROWTH_EXTRA = 1.5
FIXED_RUN_BYTES = 20e6
ROW_BYTES = 64  # one row (month, metric, value) of the long table kept for every replication
PROBE_PEOPLE = 1000
# The safety margin check_memory keeps free: MemAvailable is the kernel's own estimate (it counts page cache that
# may not all be reclaimable, and the kernel reclaims and kills before it reaches zero); on a shared machine it
# moves with other people's work (issue 14 saw it between 24.1 and 24.6 GB during one run); and the estimate
# comes from measurements on one machine. A tenth of what is available covers these at large sizes, where an
# out-of-memory kill costs most; the floor covers twice the swing seen on a shared machine.
MARGIN_SHARE = 0.10
MARGIN_MIN_BYTES = 1e9
# For bound_memory (checked against the probe by tests/test_memory_guard.py): People storage starts at 1.25 slots
# per person (population.py); each tie takes 17 bytes in each of the two sets of buffers (network.Ties: key,
# weight, kind, last). At set-up each person proposes at most half of each declared degree, rounded up, and one
# reporting line; duplicates only lower the count, and the buffers hold at most 1.5 times the proposed pairs
# (+16). METRICS_AT_MOST bounds the metrics recorded besides the sector levers and the per-intervention ones.
SLOTS_PER_PERSON = 1.25
TIE_BYTES = 2 * 17
TIE_SLACK = 1.5
PAIRS_EXTRA = 4.0
METRICS_AT_MOST = 60


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes a run needs, how it was reached, and the total for the processes that run at once."""

    per_run: float
    per_person: float
    tables: float
    processes: int
    total: float

    def describe(self) -> str:
        plural = "es" if self.processes > 1 else ""
        return (f"about {_gb(self.total)} ({self.processes} model process{plural} x {_gb(self.per_run)} at "
                f"{self.per_person:,.0f} bytes per person, {_gb(INTERPRETER_BYTES)} per Python process, "
                f"{_gb(self.tables)} of tables)")


def estimate_memory(scenario: Scenario, replications: int | None = None, workers: int = 1) -> MemoryEstimate:
    """Estimate the peak memory of running ``scenario`` on ``workers`` processes.

    How: build the same scenario at :data:`PROBE_PEOPLE` people (set-up only, a few milliseconds) and measure
    the bytes of its People slots and Ties per person; grow the slots for turnover over the horizon (ids are never
    reused, and storage grows by half when full); multiply by :data:`WORKING_FACTOR` for the step's temporaries
    and add :data:`TIE_GROWTH_EXTRA` times the tie buffers for a growth of them (measured, see above); add the
    interpreter per process and the long tables kept for every replication.
    """
    from .core.model import LeadershipModel  # the model is only needed for the probe

    probe_n = min(PROBE_PEOPLE, scenario.population.people)
    probe = LeadershipModel(scenario.with_values({"population.people": probe_n, "months": 1}), person_agents=False)
    return _total(scenario, probe.people.nbytes() / probe.people.size, probe.people.size / probe_n,
                  probe.ties.nbytes() / probe_n, len(probe.recorder.names), replications, workers)


def bound_memory(scenario: Scenario, replications: int | None = None, workers: int = 1) -> MemoryEstimate:
    """An upper bound of :func:`estimate_memory` from the declarations alone, in a millisecond: the bytes of a
    People slot from ``PERSON_FIELDS``, and the tie buffers and metrics at most (see the constants above)."""
    from .core.people import PERSON_FIELDS  # numpy only: no kernels

    slot_bytes = sum(np.dtype(f.dtype).itemsize * math.prod(f.shape) for f in PERSON_FIELDS)
    net = scenario.network
    pairs = (net.work_degree + net.community_degree + net.cross_org_degree) / 2.0 + PAIRS_EXTRA
    tie_bytes = TIE_BYTES * (TIE_SLACK * pairs + 16.0 / scenario.population.people)
    metrics = METRICS_AT_MOST + len(scenario.population.sectors) + 2 * len(scenario.interventions)
    return _total(scenario, slot_bytes, SLOTS_PER_PERSON, tie_bytes, metrics, replications, workers)


BOUND_PER_RUN_BYTES = 200e6
"""Up to this bound of one run's own bytes (about 90,000 people at the defaults) the interpreter dominates the
total, so :func:`preview_memory` reports the bound; above it, the measured estimate."""


def preview_memory(scenario: Scenario, available: float | None,
                   before_measuring: Callable[[], None] | None = None) -> tuple[MemoryEstimate, bool]:
    """What ``leadsim validate`` reports for one process: :func:`bound_memory` while the run is small and the
    bound fits in ``available`` with the safety margin, else :func:`estimate_memory`, after calling
    ``before_measuring`` (the probe loads the model's kernels, which compile the first time on a machine).
    Returns the estimate and whether it is the bound."""
    bound = bound_memory(scenario)
    fits = available is None or bound.total <= available - safety_margin(available)
    if bound.per_run <= BOUND_PER_RUN_BYTES and fits:
        return bound, True
    if before_measuring is not None:
        before_measuring()
    return estimate_memory(scenario), False


def _total(scenario: Scenario, slot_bytes: float, slots_per_person: float, tie_bytes: float, metrics: int,
           replications: int | None, workers: int) -> MemoryEstimate:
    """The estimate from a People slot's bytes, the slots and tie bytes per person at set-up and the metrics."""
    n = scenario.population.people
    turnover = max(scenario.turnover.monthly_rate, scenario.turnover.leader_monthly_rate)
    slots = _slots_after_growth(n * slots_per_person, n * (1.0 + turnover * scenario.months))
    per_person = WORKING_FACTOR * (slot_bytes * slots / n + tie_bytes) + TIE_GROWTH_EXTRA * tie_bytes
    per_run = FIXED_RUN_BYTES + per_person * n
    reps = scenario.replications if replications is None else replications
    tables = float(reps) * (scenario.months + 1) * metrics * ROW_BYTES
    processes = max(1, min(workers, reps))
    total = processes * (INTERPRETER_BYTES + per_run) + tables + (INTERPRETER_BYTES if processes > 1 else 0)
    return MemoryEstimate(per_run, per_person, tables, processes, total)


def _slots_after_growth(size: float, needed: float) -> float:
    """People storage after growing from ``size`` to hold ``needed`` ids (the rule of ``People._grow``)."""
    while size < needed:
        size = max(needed, size * 1.5 + 16)
    return size


def available_memory() -> tuple[float | None, str]:
    """Bytes this process may use and where the figure comes from (None when the system does not say).

    The smallest of: ``LEADSIM_MEMORY_LIMIT`` (bytes, or with a K/M/G suffix: for batch jobs allotted less than
    the machine has), the cgroup v2 limit (containers, SLURM), and ``MemAvailable`` in ``/proc/meminfo``.
    """
    found: list[tuple[float, str]] = []
    env = os.environ.get("LEADSIM_MEMORY_LIMIT")
    if env:
        found.append((_parse_bytes(env), "LEADSIM_MEMORY_LIMIT"))
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit != "max":
            used = float(Path("/sys/fs/cgroup/memory.current").read_text().strip())
            found.append((float(limit) - used, "the cgroup memory limit"))
    except (OSError, ValueError):
        pass
    try:
        for row in Path("/proc/meminfo").read_text().splitlines():
            if row.startswith("MemAvailable:"):
                found.append((float(row.split()[1]) * 1024, "MemAvailable in /proc/meminfo"))
    except (OSError, ValueError, IndexError):
        pass
    return min(found) if found else (None, "unknown")


def _parse_bytes(text: str) -> float:
    text = text.strip().upper().removesuffix("B")
    scale = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}.get(text[-1:], 1)
    try:
        value = float(text[:-1] if scale > 1 else text) * scale
    except ValueError:
        raise ScenarioFileError.one("LEADSIM_MEMORY_LIMIT", f"{text!r} is not a size (e.g. 8G)") from None
    if not math.isfinite(value) or value <= 0:
        raise ScenarioFileError.one("LEADSIM_MEMORY_LIMIT", f"{text!r} is not a positive size (e.g. 8G)")
    return value


def check_memory(source: ScenarioSource, replications: int | None = None, workers: int = 1,
                 allow_large: bool = False) -> MemoryEstimate:
    """Refuse (:class:`ScenarioFileError` on ``population.people``) a run that would not fit in memory with
    :func:`safety_margin` to spare."""
    estimate = estimate_memory(source.scenario, replications, workers)
    available, where = available_memory()
    if allow_large or available is None or estimate.total <= available - safety_margin(available):
        return estimate
    people = source.scenario.population.people
    problem = problem_at(source.path, ("population", "people"), source.lines, set(source.overrides),
                  f"{people:,} people need {estimate.describe()}, but {_gb(available)} is available ({where}) "
                  f"and leadsim keeps {_gb(safety_margin(available))} of it free as a safety margin. Allowed: fewer "
                  "people or workers (--workers), or --allow-large to run anyway")
    raise ScenarioFileError([problem])


def safety_margin(available: float) -> float:
    """Memory :func:`check_memory` leaves free: :data:`MARGIN_SHARE` of ``available``, at least
    :data:`MARGIN_MIN_BYTES`."""
    return max(MARGIN_MIN_BYTES, MARGIN_SHARE * available)


def _gb(value: float) -> str:
    return f"{value / 1e9:.1f} GB" if value >= 1e9 else f"{value / 1e6:.0f} MB"
