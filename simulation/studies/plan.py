"""The plan: every run of a study - (point, lever, replication) - with its seed and run key.

Replication ``r`` uses seed ``study.seed + r`` at every point and in every lever: common random numbers across the
whole study. Paired differences between levers then cancel the noise the levers share, and sensitivity indices
compare points on the same draws. Runs are ordered point by point, replication by replication, lever by lever, so
that the levers of a pair finish close together.

Building the plan builds and validates every scenario the study will run, so a sampled value outside a field's
range (a normal distribution's tail, say) is reported - naming the study file and the uncertainty - before
anything is written.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import ValidationError

from simulation.core.scenario import Scenario, set_path
from simulation.problems import Problem, ScenarioFileError
from simulation.scenario_files import resolve, validate_data

from .designs import Design, make_design
from .runkeys import code_version, run_key
from .spec import DERIVED, Study, _copy, is_integer_field
from .worker import Task

MAX_REPORTED = 5


@dataclass
class Plan:
    """A study's runs. ``runs``: one row per run (run, point, lever, replication, seed, key); ``cells``: one row
    per (point, lever) with its community size, budget and months (what the scaling analysis regresses on)."""

    study: Study
    design: Design
    code: str
    runs: pd.DataFrame
    cells: pd.DataFrame

    @property
    def levers(self) -> list[str]:
        return [lever.name for lever in self.study.spec.levers]

    def scenario(self, point: int, lever: str) -> Scenario:
        data = scenario_data(self.study, self.design, point, self.levers.index(lever))
        return Scenario.model_validate(data)

    def resolved(self, point: int, lever: str) -> dict[str, Any]:
        return resolve(self.scenario(point, lever))

    def weights(self) -> pd.Series:
        """Expected cost of each run key, in person-months (what a run's time is nearly proportional to)."""
        cost = self.cells.assign(weight=self.cells["people"] * self.cells["months"])
        merged = self.runs.merge(cost[["point", "lever", "weight"]], on=["point", "lever"])
        return merged.drop_duplicates("key").set_index("key")["weight"].astype(float)

    def tasks(self, keys: set[str]) -> Iterator[Task]:
        """One task per key in ``keys`` (a key shared by several plan rows is run once), largest runs first.

        Largest first so that a pool is not left waiting for a few long runs at the end (LPT scheduling); the
        order changes nothing in the results, which are assembled in plan order.
        """
        keep = self.study.spec.store.keep_months
        weights = self.weights()
        rows = self.runs[self.runs["key"].isin(keys)].drop_duplicates("key")
        rows = rows.assign(weight=rows["key"].map(weights)).sort_values("weight", ascending=False, kind="stable")
        for row in rows.itertuples(index=False):
            text = json.dumps(self.resolved(row.point, row.lever), separators=(",", ":"))
            yield Task(row.key, text, int(row.seed), self.code, keep, 1, float(row.weight))

    def frame(self) -> pd.DataFrame:
        """The runs with the design values of their point (written as plan.csv)."""
        return self.runs.merge(self.design.frame(), on="point", how="left")

    @property
    def largest(self) -> tuple[int, str]:
        """(point, lever) of the largest community in the plan (for the memory check)."""
        row = self.cells.loc[self.cells["people"].idxmax()]
        return int(row["point"]), str(row["lever"])


def scenario_data(study: Study, design: Design, point: int, lever_index: int) -> dict[str, Any]:
    """The scenario of (point, lever) as plain data: base, lever, factor values, sampled values, derived values."""
    data = study.lever_data(study.spec.levers[lever_index])
    derived = {}
    for path, value in design.values(point).items():
        if path in DERIVED:
            derived[path] = value
        else:
            set_path(data, path, _copy(value))
    if "budget_per_person" in derived:
        data["budget"] = float(derived["budget_per_person"]) * data["population"]["people"]
    return data


def build_plan(study: Study, code: str | None = None) -> Plan:
    """Every run of the study with its key; raises ScenarioFileError if a point cannot be run."""
    spec = study.spec
    code = code or code_version()
    first = study.lever_data(spec.levers[0])
    integer_paths = {p for p in spec.uncertainties if is_integer_field(first, p)}
    design = make_design(spec, integer_paths)
    rows: list[tuple[int, str, int, int, str]] = []
    cells: list[tuple[int, str, int, float, int]] = []
    problems: list[Problem] = []
    for point in range(design.n_points):
        for li, lever in enumerate(spec.levers):
            data = scenario_data(study, design, point, li)
            resolved = _resolved(data, study, design, point, lever.name, problems)
            if resolved is None:
                continue
            budget = resolved["budget"]
            cells.append((point, lever.name, resolved["population"]["people"], math.nan if budget is None else budget,
                          resolved["months"]))
            for r in range(spec.replications):
                seed = spec.seed + r
                rows.append((point, lever.name, r, seed, run_key(resolved, seed, code)))
        if len(problems) >= MAX_REPORTED:
            break
    if problems:
        raise ScenarioFileError(problems)
    runs = pd.DataFrame(rows, columns=["point", "lever", "replication", "seed", "key"])
    runs = runs.sort_values(["point", "replication"], kind="stable").reset_index(drop=True)
    runs.insert(0, "run", range(len(runs)))
    cell_frame = pd.DataFrame(cells, columns=["point", "lever", "people", "budget", "months"])
    return Plan(study, design, code, runs, cell_frame)


def _resolved(data: dict[str, Any], study: Study, design: Design, point: int, lever: str,
              problems: list[Problem]) -> dict[str, Any] | None:
    try:
        return resolve(Scenario.model_validate(data))
    except (ValidationError, ValueError, KeyError):
        pass
    values = design.values(point)
    shown = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v!r}" for k, v in values.items())
    try:
        validate_data(_copy(data), study.path)
        found = [Problem(study.path, "cannot be resolved")]
    except ScenarioFileError as exc:
        found = exc.problems
    for p in found:
        where = _where(study, p.field or "", values)
        problems.append(study.problem(f"point {point} ({shown}), lever {lever!r}: {p.field}: {p.message}", *where))
    return None


def _where(study: Study, field: str, values: dict[str, Any]) -> tuple[str, ...]:
    """The study field to blame for a scenario field's problem: the uncertainty or factor that set it."""
    for section, paths in (("uncertainties", study.spec.uncertainties), ("factors", study.spec.factors)):
        for path in paths:
            if field == path or field.startswith(path + ".") or (path in DERIVED and field == "budget"):
                return section, path
    return ("design",)
