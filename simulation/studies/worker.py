"""What a worker does with one task: build the scenario, run the model, return its table (small and picklable).

This module is all a worker process needs (local pool or Dask worker): it imports the model and pandas, nothing
from the command line or plotting. Tasks carry the resolved scenario as JSON text and the code version they were
planned with; a worker with different model code refuses the task rather than return numbers from other code.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.core.model import LeadershipModel
from simulation.core.scenario import Scenario

from .runkeys import code_version

CODE_AT_IMPORT = code_version()
"""Hashed when this module is imported, next to the model's own import: a worker (or a fork server that preloaded
leadsim) whose files are edited later still reports the code it is running, not the code now on disk."""


@dataclass(frozen=True)
class Task:
    """One run to do: its key, the resolved scenario (JSON), the seed, the code version, what to keep; its attempt
    number and expected cost (person-months, for the estimate of time left)."""

    key: str
    scenario: str
    seed: int
    code: str
    keep: str = "all"
    attempt: int = 1
    weight: float = 1.0


@dataclass
class Outcome:
    """A finished run: its long table as three arrays (month, metric, value), how long it took, where it ran.

    Arrays rather than a DataFrame: they pickle smaller and faster (a sweep moves thousands of them), and the
    store writes them to Parquet without pandas in between.
    """

    key: str
    month: np.ndarray
    metric: np.ndarray
    value: np.ndarray
    seconds: float
    worker: str

    @classmethod
    def of(cls, key: str, frame: pd.DataFrame, seconds: float = 0.0, worker: str = "") -> Outcome:
        return cls(key, frame["month"].to_numpy(dtype=np.int64), frame["metric"].to_numpy(dtype=object),
                   frame["value"].to_numpy(dtype=np.float64), seconds, worker or worker_name())

    @property
    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({"month": self.month, "metric": self.metric, "value": self.value})


class CodeMismatch(RuntimeError):
    """The worker's model code is not the code the task was planned with."""


def run_task(task: Task) -> Outcome:
    """Run one task (the default runner of a sweep)."""
    started = time.perf_counter()
    check_code(task)
    scenario = Scenario.model_validate_json(task.scenario)
    record = "final" if task.keep == "final" else "all"  # months the study would drop are not measured at all
    model = LeadershipModel(scenario, rng=task.seed, person_agents=False, record=record)  # run_one, minus the frame
    model.run_for(scenario.months)
    month, metric, value = model.recorder.arrays(upto=model.month)
    return _kept(task, Outcome(task.key, month.astype(np.int64), metric, value.astype(np.float64), 0.0,
                               worker_name()), started)


def empty_run(task: Task) -> Outcome:
    """A runner that does no work: what is left of a task's time is the executor's own overhead
    (``benchmarks/bench_studies.py``). It lives here, beside :func:`run_task`, so that Dask ships it by reference
    as it ships the real runner; a function defined in a script is pickled by value with every task."""
    return Outcome(task.key, np.zeros(1, dtype=np.int64), np.array(["none"], dtype=object), np.zeros(1), 0.0,
                   worker_name())


def check_code(task: Task) -> None:
    mine = CODE_AT_IMPORT
    if task.code != mine:
        raise CodeMismatch(f"this worker ({worker_name()}) runs model code {mine}, but the study was planned with "
                           f"{task.code}: install the same leadsim checkout (and numpy/scipy versions) everywhere")


def finish(task: Task, frame: pd.DataFrame, started: float) -> Outcome:
    """Keep what the study stores (every month, or the final one) as an :class:`Outcome`."""
    return _kept(task, Outcome.of(task.key, frame, 0.0), started)


def _kept(task: Task, out: Outcome, started: float) -> Outcome:
    if task.keep == "final":
        last = out.month == out.month.max()
        out.month, out.metric, out.value = out.month[last], out.metric[last], out.value[last]
    out.seconds = time.perf_counter() - started
    return out


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"
