"""The particle sampler: pyabc's "evaluation-parallel" strategy, made reproducible and resumable.

pyabc's own samplers reseed every worker from the operating system's entropy (``np.random.seed()``), so two runs
of the same calibration differ and a resumed run does not redo the generation it lost. This sampler gives each
evaluation a number (0, 1, 2, ... within a generation) and seeds numpy's global generator - which pyabc's proposal
and our model function draw from - with ``(seed, generation, number)`` before it runs. A generation keeps the
evaluations numbered up to its ``n``-th acceptance, as pyabc's Dask and multicore samplers do (no bias towards fast
particles), so its result is a pure function of the previous generation: the same on 1 process, 2 processes or a
Dask cluster, and the same when a killed run redoes it after ``load``.

``submit`` is anything with ``submit(fn, *args) -> future`` (a ``concurrent.futures`` executor: the project's
:func:`~simulation.worker_pool.start_pool`; or a Dask ``Client``), ``slots`` how many evaluations run at once;
without ``submit`` the evaluations run in this process, one after another.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

import cloudpickle
import numpy as np
from pyabc.sampler import Sampler

POLL_SECONDS = 0.02
Progress = Callable[[int, int, int, float], None]
"""``progress(t, accepted, evaluations, seconds)``, called when generation ``t`` has its particles (before pyabc
stores them)."""


def seed_evaluation(seed: int, t: int, number: int) -> None:
    """Seed numpy's and Python's global generators for evaluation ``number`` of generation ``t``."""
    state = np.random.SeedSequence([seed, t + 1, number]).generate_state(4)  # t is -1 for pyabc's prior sample
    np.random.seed(state)
    random.seed(int(state[0]))


def evaluate(blob: bytes, seed: int, t: int, number: int) -> Any:
    """One evaluation (in a worker): pyabc's ``simulate_one`` on its own seed."""
    simulate_one = cloudpickle.loads(blob)
    seed_evaluation(seed, t, number)
    return simulate_one()


def evaluate_values(model: Callable[[dict[str, float]], Any], parameter: dict[str, float], seed: int, t: int,
                    number: int) -> Any:
    """``model(parameter)`` on the seed of evaluation ``number`` of ``t`` (the predictive check's draws)."""
    seed_evaluation(seed, t, number)
    return model(parameter)


class OrderedSampler(Sampler):
    """Evaluations numbered and seeded, kept in number order up to the ``n``-th acceptance (see the module)."""

    def __init__(self, seed: int, submit: Any = None, slots: int = 1, progress: Progress | None = None) -> None:
        super().__init__()
        self.seed = int(seed)
        self.submit = submit
        self.slots = max(1, int(slots))
        self.progress = progress
        self.budget: Callable[[], float] = lambda: np.inf
        """Simulations the calibration may still run (its max_simulations less what the history holds)."""
        self.deadline = np.inf
        """``time.monotonic()`` after which no evaluation starts (the wall-time rule, within a generation)."""
        self.started_evaluations = 0
        """Evaluations started in the last generation (those past the cut-off are wasted work, not counted)."""
        self.cut: str | None = None
        """Why the last generation could not be finished (the rule that stopped it), or None."""

    def sample_until_n_accepted(self, n: int, simulate_one: Callable[[], Any], t: int, *, max_eval: float = np.inf,
                                all_accepted: bool = False, ana_vars: Any = None) -> Any:  # noqa: ARG002
        start = time.perf_counter()
        cap = min(max_eval, self.budget())  # a hard bound: a generation the budget cannot finish is not kept
        limit = int(max(cap, 0)) if np.isfinite(cap) else None
        if self.submit is None:
            results = self._in_process(n, simulate_one, t, limit)
        else:
            results = self._parallel(n, cloudpickle.dumps(simulate_one), t, limit)
        sample = self._create_empty_sample()
        accepted = evaluations = 0
        for number in sorted(results):
            if accepted == n:
                break
            particle = results[number]
            sample.append(particle)  # keeps a rejected particle only if pyabc records rejections
            evaluations += 1
            accepted += bool(particle.accepted)
        # Every evaluation up to the n-th acceptance counts, rejected ones too: pyabc's acceptance rate, its
        # simulation total and this calibration's max_simulations budget all read this number.
        self.nr_evaluations_ = evaluations
        if accepted < n:
            sample.ok = False  # the budget (min acceptance, simulations or time) ran out: pyabc stops there
            rule = ("wall_minutes" if time.monotonic() >= self.deadline
                    else "max_simulations" if self.budget() <= max_eval else "min_acceptance")
            self.cut = f"generation {t} was cut by stop.{rule} after {len(results)} simulations (not kept)"
        elif self.progress is not None:
            self.progress(t, accepted, self.nr_evaluations_, time.perf_counter() - start)
        return sample

    def _in_process(self, n: int, simulate_one: Callable[[], Any], t: int, limit: int | None) -> dict[int, Any]:
        results: dict[int, Any] = {}
        accepted = 0
        while accepted < n and (limit is None or len(results) < limit) and time.monotonic() < self.deadline:
            number = len(results)
            seed_evaluation(self.seed, t, number)
            results[number] = simulate_one()
            accepted += bool(results[number].accepted)
        self.started_evaluations = len(results)
        return results

    def _parallel(self, n: int, blob: bytes, t: int, limit: int | None) -> dict[int, Any]:
        results: dict[int, Any] = {}
        inflight: dict[int, Any] = {}
        accepted: list[int] = []
        number = 0
        try:
            while True:
                cutoff = sorted(accepted)[n - 1] if len(accepted) >= n else None
                if cutoff is not None and all(k > cutoff for k in inflight):
                    break
                can_start = (cutoff is None and (limit is None or number < limit)
                             and time.monotonic() < self.deadline)
                if not inflight and not can_start:
                    break  # the budget is spent and too few were accepted
                while can_start and len(inflight) < self.slots and (limit is None or number < limit):
                    inflight[number] = self.submit(evaluate, blob, self.seed, t, number)
                    number += 1
                done = [k for k, future in inflight.items() if future.done()]
                for k in done:
                    results[k] = inflight.pop(k).result()
                    if results[k].accepted:
                        accepted.append(k)
                if not done:
                    time.sleep(POLL_SECONDS)
        finally:
            for future in inflight.values():  # past the cut-off (or an error): not needed
                future.cancel()
        self.started_evaluations = number
        return results
