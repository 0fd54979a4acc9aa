"""ABC-SMC on pyabc: the priors, the particle model, the distance to the evidence, and a run that resumes.

* :func:`prior` - each parameter's prior as a pyabc (scipy.stats) distribution, under a safe name (``p0``, ``p1``,
  ...; :attr:`ParticleModel.paths` maps them back to dotted paths);
* :class:`ParticleModel` - one particle: its parameters set on every scenario the targets' measures run
  (:func:`simulation.measures.measure_targets`), on ``seeds`` seeds drawn from the evaluation's generator (so the
  model's noise is integrated over, not fixed), and each target's mean over those seeds;
* :class:`IntervalDistance` - how far a particle's measurements are from the evidence: for each target, how far
  the measurement lies outside its interval (0 inside), in interval widths, weighted, combined by a p-norm. The
  evidence is intervals, not points: every particle whose measurements fall in every interval is equally
  consistent with it, so the final epsilon 0 accepts exactly those (a measurement that is NaN - nothing to
  measure - is infinitely far);
* :func:`run` - pyabc's ``ABCSMC`` with a quantile epsilon schedule (the median of the last generation's
  distances; the first generation is a prior sample, epsilon infinite) and the multivariate normal kernel, on
  :class:`~simulation.calibration.sampler.OrderedSampler`; its history is a SQLite database, so running the same
  calibration into the same folder loads it and goes on from the last finished generation (pyabc's ``load``).
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyabc

from simulation.calibration.sampler import OrderedSampler
from simulation.calibration.spec import Calibration, Prior, Target
from simulation.core.scenario import Scenario

MAX_RUN_SEED = 2**31 - 1
HISTORY = "history.db"


def distribution(p: Prior) -> pyabc.RV:
    """The prior as a pyabc random variable (scipy.stats, bounded to [low, high])."""
    low, high = float(p.low), float(p.high)  # type: ignore[arg-type]
    if p.prior == "uniform":
        return pyabc.RV("uniform", low, high - low)
    if p.prior == "loguniform":
        return pyabc.RV("loguniform", low, high)
    if p.prior == "beta":
        return pyabc.RV("beta", p.a, p.b, loc=low, scale=high - low)
    mean, sd = float(p.mean), float(p.sd)  # type: ignore[arg-type]
    return pyabc.RV("truncnorm", (low - mean) / sd, (high - mean) / sd, loc=mean, scale=sd)


def names(cal: Calibration) -> dict[str, str]:
    """pyabc's parameter name (``p0``, ``p1``, ...) -> the dotted path it stands for."""
    return {f"p{i}": path for i, path in enumerate(cal.spec.parameters)}


def prior(cal: Calibration) -> pyabc.Distribution:
    return pyabc.Distribution(**{name: distribution(cal.spec.parameters[path])
                                 for name, path in names(cal).items()})


class ParticleModel:
    """A particle's measurements of the targets (picklable: it travels to worker processes and Dask workers)."""

    def __init__(self, cal: Calibration) -> None:
        self.paths = names(cal)
        self.integers = cal.integer_paths
        self.ids = [t.id for t in cal.targets]
        self.seeds = cal.spec.seeds
        self.people = cal.people
        self.base_json = cal.base.model_dump_json()
        self._base: Scenario | None = None

    def values(self, parameter: dict[str, float]) -> dict[str, float | int]:
        """The particle's parameters by dotted path (integer fields rounded, as studies apply them)."""
        out: dict[str, float | int] = {}
        for name, path in self.paths.items():
            value = float(parameter[name])
            out[path] = int(round(value)) if path in self.integers else value
        return out

    def __call__(self, parameter: dict[str, float]) -> dict[str, float]:
        from simulation.measures import measure_targets

        if self._base is None:
            self._base = Scenario.model_validate_json(self.base_json)
        seeds = tuple(int(s) for s in np.random.randint(1, MAX_RUN_SEED, size=self.seeds))  # seeded per evaluation
        measured = measure_targets(self.ids, seeds, self.people, self._base, self.values(parameter))
        return {i: float(measured[i].value) for i in self.ids}

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_base": None}


@dataclass(frozen=True)
class IntervalDistance:
    """Distance of measurements from the targets' intervals (see the module docstring)."""

    targets: tuple[Target, ...]
    norm: float

    def excess(self, measured: dict[str, float]) -> np.ndarray:
        """Per target: how far outside its interval the measurement is, in interval widths (inf for NaN)."""
        out = np.empty(len(self.targets))
        for k, t in enumerate(self.targets):
            v = measured.get(t.id, np.nan)
            out[k] = np.inf if not np.isfinite(v) else max(0.0, t.low - v, v - t.high) / t.scale
        return out

    def __call__(self, x: dict[str, float], x0: dict[str, float] | None = None) -> float:  # noqa: ARG002
        weighted = self.excess(x) * np.array([t.weight for t in self.targets])
        if np.isinf(weighted).any():
            return float("inf")
        return float(np.linalg.norm(weighted, ord=self.norm))


def distance(cal: Calibration) -> IntervalDistance:
    norm = np.inf if cal.spec.norm == "inf" else float(cal.spec.norm)
    return IntervalDistance(tuple(cal.targets), norm)


def observed(cal: Calibration) -> dict[str, float]:
    """What pyabc stores as the observed data: each target's interval midpoint (the distance uses the intervals)."""
    return {t.id: (t.low + t.high) / 2 for t in cal.targets}


@contextmanager
def quiet_pyabc() -> Iterator[None]:
    """pyabc logs every generation at INFO; leadsim prints its own line per generation instead."""
    loggers = [logging.getLogger(n) for n in ("ABC", "ABC.History", "ABC.Sampler", "ABC.Distance", "ABC.Epsilon",
                                              "ABC.Population", "ABC.Transition", "ABC.Acceptor")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():  # pyabc compares the first generation's infinite epsilon with the next
            warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
            yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def db_url(folder: Path) -> str:
    return "sqlite:///" + str((folder / HISTORY).resolve())


def stored_generations(folder: Path) -> int:
    """Finished generations in the folder's history (0 when there is none yet)."""
    path = folder / HISTORY
    if not path.is_file():
        return 0
    history = pyabc.History(db_url(folder))
    return 0 if history.n_populations == 0 else int(history.max_t) + 1


def elapsed_seconds(history: pyabc.History) -> float:
    """Wall time the stored generations took (the stopping rule's time counts over every session)."""
    pops = history.get_all_populations()
    return float(pops.loc[pops["t"] >= 0, "wall_time"].fillna(0).sum())


Progress = Callable[[int, float, int, int, float], None]
"""``progress(t, epsilon, accepted, evaluations, seconds)`` when generation ``t`` has its particles."""


def run(cal: Calibration, folder: Path, submit: Any = None, slots: int = 1, progress: Progress | None = None,
        on_start: Callable[[int], None] | None = None) -> tuple[pyabc.History, str]:
    """Run (or resume) the calibration with its history in ``folder``; returns the history and why it stopped.

    ``submit``/``slots``: where evaluations run (see :class:`~simulation.calibration.sampler.OrderedSampler`).
    ``on_start(done)`` is called with the number of generations already stored before sampling starts.
    """
    spec = cal.spec
    sampler = OrderedSampler(spec.seed, submit, slots)
    done = stored_generations(folder)
    # The first generation is the prior (epsilon infinite); a resumed run takes its first epsilon from the last
    # stored generation, as the uninterrupted run took it (pyabc would otherwise start again at the initial value).
    eps = pyabc.QuantileEpsilon(initial_epsilon="from_sample" if done else np.inf, alpha=0.5)
    abc = pyabc.ABCSMC(ParticleModel(cal), prior(cal), distance(cal), population_size=spec.population,
                       sampler=sampler, eps=eps,
                       transitions=pyabc.MultivariateNormalTransition(scaling=spec.kernel_scaling))
    if progress is not None:  # the sampler knows the counts, the ABC-SMC object the generation's epsilon
        sampler.progress = lambda t, accepted, evaluations, seconds: progress(t, abc.eps(t), accepted, evaluations,
                                                                           seconds)
    with quiet_pyabc():
        if done:
            history = abc.load(db_url(folder), 1)
        else:
            (folder / HISTORY).unlink(missing_ok=True)  # a history with no finished generation: start it again
            history = abc.new(db_url(folder), observed(cal))
        if on_start is not None:
            on_start(done)
        left = spec.generations - done
        spent = elapsed_seconds(history) if done else 0.0
        if left <= 0 or (done and finished(history, cal)):
            return history, stop_reason(history, cal)
        sampler.budget = lambda: spec.stop.max_simulations - (history.total_nr_simulations or 0)
        sampler.deadline = time.monotonic() + spec.stop.wall_minutes * 60 - spent
        abc.run(minimum_epsilon=spec.stop.epsilon, max_nr_populations=left,
                min_acceptance_rate=spec.stop.min_acceptance, max_total_nr_simulations=spec.stop.max_simulations,
                max_walltime=timedelta(seconds=max(1.0, spec.stop.wall_minutes * 60 - spent)))
    return history, sampler.cut or stop_reason(history, cal)


def stop_reason(history: pyabc.History, cal: Calibration) -> str:
    """Which stopping rule the stored generations meet (in the order pyabc checks them), or ''."""
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0]
    if pops.empty:
        return ""
    last = pops.iloc[-1]
    stop = cal.spec.stop
    rules = [(last["epsilon"] <= stop.epsilon, f"epsilon reached stop.epsilon ({stop.epsilon:g})"),
             (cal.spec.population / max(1, int(last["samples"])) < stop.min_acceptance,
              f"acceptance fell below stop.min_acceptance ({stop.min_acceptance:g})"),
             (int(pops["samples"].sum()) >= stop.max_simulations,
              f"stop.max_simulations ({stop.max_simulations}) reached"),
             (float(pops["wall_time"].fillna(0).sum()) >= stop.wall_minutes * 60,
              f"stop.wall_minutes ({stop.wall_minutes:g}) reached"),
             (len(pops) >= cal.spec.generations, f"all {cal.spec.generations} generations done")]
    return next((why for met, why in rules if met), "")


def finished(history: pyabc.History, cal: Calibration) -> bool:
    """Whether the stored generations already meet a stopping rule (a rerun then only rewrites the results)."""
    return bool(stop_reason(history, cal))
