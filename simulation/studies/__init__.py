"""Studies: parameter sweeps, sensitivity analysis and the scaling study, on local processes or a Dask cluster.

A study file (``experiments/*.yaml``, see :mod:`.spec` and docs/studies.md) names a base scenario, the levers
compared on common random numbers, factors and uncertainties, a design (full factorial, Latin hypercube, Sobol or
Morris through SALib), replications and outputs. :func:`sweep` runs it resumably - finished runs stream to Parquet
shards keyed by run key, so a study killed at any moment continues where it stopped - and then writes the outputs,
sensitivity indices (:mod:`.analysis`) and returns-to-scale fits (:mod:`.scaling`) with figures.

>>> from simulation.studies import load_study, build_plan
>>> plan = build_plan(load_study("experiments/morris.yaml"))     # doctest: +SKIP
>>> len(plan.runs)                                               # doctest: +SKIP

The model core imports nothing from here; this package imports the model, the scenario files' validation and the
results folder's provenance helpers.
"""

from .analysis import Sensitivity, analyse, sensitivity
from .designs import Design, make_design, salib_problem
from .executors import DaskCluster, Executor, ExecutorError, InProcess, ProcessPool, SchedulerLost, make_executor
from .outputs import per_point, per_run
from .plan import Plan, build_plan
from .runkeys import code_version, run_key
from .scaling import returns_to_scale, scaling_runs
from .spec import Study, StudySpec, load_study
from .store import StudyStore
from .sweep import (
    Progress,
    SweepReport,
    analyse_folder,
    default_folder,
    draw_figures,
    read_table,
    study_figures,
    sweep,
)
from .worker import Outcome, Task, run_task

__all__ = [
    "DaskCluster", "Design", "Executor", "ExecutorError", "InProcess", "Outcome", "Plan", "ProcessPool", "Progress",
    "SchedulerLost", "Sensitivity", "Study", "StudySpec", "StudyStore", "SweepReport", "Task", "analyse",
    "analyse_folder", "build_plan", "code_version", "default_folder", "draw_figures", "load_study", "make_design",
    "make_executor", "per_point", "per_run", "read_table", "returns_to_scale", "run_key", "run_task", "salib_problem",
    "scaling_runs", "sensitivity", "study_figures", "sweep",
]
