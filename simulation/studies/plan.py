"""The plan: every run of a study - (point, lever, replication) - with its seed and run key.

Replication ``r`` uses seed ``study.seed + r`` at every point and in every lever: common random numbers across the
whole study. Paired differences between levers then cancel the noise the levers share, and sensitivity indices
compare points on the same draws. Runs are ordered point by point, replication by replication, lever by lever, so
that the levers of a pair finish close together.

Building the plan builds and validates every scenario the study will run, so a sampled value outside a field's
range (a normal distribution's tail, say) is reported - naming the study file and the uncertainty - before
anything is written.

Its size is known before anything is built (a closed form of the design, :func:`check_size`): a study of more
than :data:`MAX_RUNS` runs is refused at once with what to change, rather than planned for minutes. Planning is
fast because a point differs from its lever's scenario only in the sections the design varies: the other
sections are validated once per lever (their models are reused) and their JSON text is written once per lever,
and the scenario is hashed once for all its seeds (:func:`~simulation.studies.runkeys.run_keys` - the same keys
as :func:`~simulation.studies.runkeys.run_key`).

A study with a posterior (:mod:`simulation.posterior`): the run with seed ``s`` runs the posterior row ``s`` draws
(the ``posterior_row`` column of the runs), set on its task's scenario, and every key includes the posterior's hash.
"""

from __future__ import annotations

import heapq
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import ValidationError

from simulation.core.scenario import Scenario, resolve_path, set_path
from simulation.posterior import ROW_COLUMN
from simulation.problems import Problem, ScenarioFileError
from simulation.scenario_files import resolve, validate_data

from .designs import Design, count_points, grid_size, make_design, sample_rows
from .runkeys import POSTERIOR, canonical, code_version, key_data, member, run_keys
from .spec import DERIVED, MIN_SAMPLES, Lever, Study, _copy, is_integer_field
from .store import Needs
from .worker import Task

MAX_REPORTED = 5
MAX_RUNS = 1_000_000
"""Most runs a study may plan. Its plan, tables and analysis are held in memory (about 1 KB a run) and planning
takes tens of microseconds a run, so this bound keeps both within a minute and a few GB; a larger question is
several studies (each resumable on its own), which is also how a cluster queue likes its work."""


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
        order changes nothing in the results, which are assembled in plan order. Under a posterior, the task's
        scenario has its seed's draw set.
        """
        posterior = self.study.posterior
        keep = self.study.spec.store.keep_months
        weights = self.weights()
        rows = self.runs[self.runs["key"].isin(keys)].drop_duplicates("key")
        rows = rows.assign(weight=rows["key"].map(weights)).sort_values("weight", ascending=False, kind="stable")
        for row in rows.itertuples(index=False):
            data = self.resolved(row.point, row.lever)
            if posterior is not None:
                data, _ = posterior.apply_data(data, int(row.seed))
            text = json.dumps(data, separators=(",", ":"))
            yield Task(row.key, text, int(row.seed), self.code, keep, 1, float(row.weight))

    def frame(self) -> pd.DataFrame:
        """The runs with the design values of their point (written as plan.csv)."""
        return self.runs.merge(self.design.frame(), on="point", how="left")

    @property
    def needs(self) -> Needs:
        """What a stored run must have stored to be reused: this study's months, code version and metrics."""
        spec = self.study.spec
        return Needs(spec.store.keep_months, self.code, frozenset(o.metric for o in spec.outputs if o.metric))

    def share(self, part: int, parts: int) -> list[str]:
        """The run keys of share ``part`` (1..``parts``) of the plan, in plan order: ``leadsim sweep --part I/N``.

        The shares are disjoint and together cover every key; they depend only on the plan (never on what is done),
        so N processes anywhere agree on them. Keys are dealt largest first to the share with the least work so far
        (by :meth:`weights`), so the shares take about the same time.
        """
        if not 1 <= part <= parts:
            raise ValueError(f"part {part}/{parts}: give I/N with 1 <= I <= N")
        weights = self.weights()
        keys = list(dict.fromkeys(self.runs["key"]))
        order = sorted(range(len(keys)), key=lambda k: -weights[keys[k]])  # stable: plan order among equals
        load = [(0.0, share) for share in range(parts)]  # a heap: the share with the least work on top
        mine: set[str] = set()
        for k in order:
            work, least = heapq.heappop(load)
            heapq.heappush(load, (work + float(weights[keys[k]]), least))
            if least == part - 1:
                mine.add(keys[k])
        return [key for key in keys if key in mine]

    @property
    def largest(self) -> tuple[int, str]:
        """(point, lever) of the largest community in the plan (for the memory check)."""
        row = self.cells.loc[self.cells["people"].idxmax()]
        return int(row["point"]), str(row["lever"])


def scenario_data(study: Study, design: Design, point: int, lever_index: int) -> dict[str, Any]:
    """The scenario of (point, lever) as plain data: base, lever, factor values, sampled values, derived values."""
    return with_values(study.lever_data(study.spec.levers[lever_index]), design.values(point))


def with_values(data: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the design's values set, sharing every part of ``data`` that no value changes.

    Only the dicts and lists on each value's path are copied (``data`` itself is left as it was), so a point
    costs what it changes, not a copy of the whole scenario.
    """
    out = dict(data)
    derived = {}
    for path, value in values.items():
        if path in DERIVED:
            derived[path] = value
            continue
        path = resolve_path(out, path)
        if path is None:  # an intervention this lever does not run
            continue
        _own_path(out, path)
        set_path(out, path, _copy(value))
    if "budget_per_person" in derived:
        out["budget"] = float(derived["budget_per_person"]) * out["population"]["people"]
    return out


def _own_path(data: dict[str, Any], path: str) -> None:
    """Replace each container on ``path`` below ``data`` by a shallow copy of itself (copy on write)."""
    node: Any = data
    for key in path.split(".")[:-1]:
        index: Any = int(key) if isinstance(node, list) and key.isdigit() else key
        if isinstance(node, list) and not (isinstance(index, int) and index < len(node)):
            return  # set_path says what is wrong with the path
        if isinstance(node, dict) and index not in node:
            return
        child = node[index]
        if isinstance(child, dict | list):
            node[index] = child = type(child)(child)
        node = child


class _LeverPart:
    """What every point of one lever shares: its data, its validated sections and their key text."""

    def __init__(self, study: Study, lever: Lever, code: str) -> None:
        self.name = lever.name
        self.data = study.lever_data(lever)
        self.model = Scenario.model_validate(self.data)  # check_study validated the lever
        self.resolved = resolve(self.model)
        self.extra = {} if study.posterior is None else {POSTERIOR: member(POSTERIOR, canonical(study.posterior.key))}
        self.members = {k: member(k, canonical(v)) for k, v in key_data(self.resolved).items()} | self.extra
        self.code = code

    def inputs(self, data: dict[str, Any], changed: set[str]) -> dict[str, Any]:
        """Validation input: the lever's validated models for sections no value changes, data for the rest."""
        return {k: v if k in changed else getattr(self.model, k, v) for k, v in data.items()}

    def resolve(self, model: Scenario, changed: set[str]) -> dict[str, Any]:
        """``resolve(model)``, dumping only the sections the design changes (the rest are the lever's)."""
        if "interventions" in changed:
            return resolve(model)  # intervention parameters are completed by their own classes
        return {**self.resolved, **model.model_dump(mode="json", include=changed)}

    def keys(self, resolved: dict[str, Any], changed: set[str], seeds: list[int]) -> list[str]:
        keyed = key_data(resolved)
        members = {k: self.members[k] if k in self.members and k not in changed else member(k, canonical(v))
                   for k, v in keyed.items()}
        return run_keys(members | self.extra, seeds, self.code)


def check_size(study: Study) -> int:
    """The number of runs (a closed form: nothing is built); raises ScenarioFileError beyond :data:`MAX_RUNS`."""
    spec = study.spec
    d = spec.design
    grid, per_point = grid_size(spec), len(spec.levers) * spec.replications
    points = count_points(spec)
    runs = points * per_point
    if runs <= MAX_RUNS:
        return runs
    shape = f"{len(spec.levers)} levers x {spec.replications} replications"
    others = f"fewer {'factor values, ' if spec.factors else ''}levers or replications"
    if d.method == "factorial":
        return _too_large(study, f"{grid:,} factor combinations x {shape} = {runs:,} runs", ("factors",), others)
    rows = sample_rows(d.method, 1, len(spec.uncertainties), d.second_order)
    most = MAX_RUNS // (grid * per_point * rows)
    if d.method == "sobol" and most >= 1:
        most = 1 << (most.bit_length() - 1)  # Saltelli's scheme wants a power of 2
    grid_text = f" x {grid:,} factor combinations" if spec.factors else ""
    what = f"{d.samples:,} samples make {points // grid:,} {d.method} points{grid_text} x {shape} = {runs:,} runs"
    if most >= MIN_SAMPLES:
        return _too_large(study, what, ("design", "samples"), f"samples: {most} or fewer (or {others})")
    return _too_large(study, what, ("design", "samples"), others)


def _too_large(study: Study, what: str, loc: tuple[str, ...], change: str) -> int:
    raise ScenarioFileError([study.problem(
        f"{what}, but a study may have at most {MAX_RUNS:,} runs (its plan and tables are held in memory). "
        f"Allowed: {change}; or split the question into several studies", *loc)])


def build_plan(study: Study, code: str | None = None) -> Plan:
    """Every run of the study with its key; raises ScenarioFileError if a point cannot be run or the study is
    larger than :data:`MAX_RUNS` runs (checked first, before any sample is drawn)."""
    spec = study.spec
    check_size(study)
    code = code or code_version()
    parts = [_LeverPart(study, lever, code) for lever in spec.levers]
    integer_paths = {p for p in spec.uncertainties if any(is_integer_field(part.data, p) for part in parts)}
    design = make_design(spec, integer_paths)
    changed = {path.split(".")[0] for path in [*spec.factors, *spec.uncertainties] if path not in DERIVED}
    changed |= {"budget"} if "budget_per_person" in spec.factors or "budget_per_person" in spec.uncertainties else set()
    seeds = [spec.seed + r for r in range(spec.replications)]
    rows: list[tuple[int, str, int, int, str]] = []
    cells: list[tuple[int, str, int, float, int]] = []
    problems: list[Problem] = []
    for point in range(design.n_points):
        values = design.values(point)
        for part in parts:
            data = with_values(part.data, values)
            resolved = _resolved(part, part.inputs(data, changed), changed, data, study, design, point, problems)
            if resolved is None:
                continue
            budget = resolved["budget"]
            cells.append((point, part.name, resolved["population"]["people"],
                          math.nan if budget is None else budget, resolved["months"]))
            keys = part.keys(resolved, changed, seeds)
            rows += [(point, part.name, r, seed, key) for r, (seed, key) in enumerate(zip(seeds, keys, strict=True))]
        if len(problems) >= MAX_REPORTED:
            break
    if problems:
        raise ScenarioFileError(problems)
    runs = pd.DataFrame(rows, columns=["point", "lever", "replication", "seed", "key"])
    runs = runs.sort_values(["point", "replication"], kind="stable").reset_index(drop=True)
    runs.insert(0, "run", range(len(runs)))
    if study.posterior is not None:  # which posterior row each run draws (the same for every lever and point)
        drawn = {seed: study.posterior.row(seed) for seed in seeds}
        runs.insert(runs.columns.get_loc("seed") + 1, ROW_COLUMN, runs["seed"].map(drawn).astype("int64"))
    cell_frame = pd.DataFrame(cells, columns=["point", "lever", "people", "budget", "months"])
    return Plan(study, design, code, runs, cell_frame)


def _resolved(part: _LeverPart, inputs: dict[str, Any], changed: set[str], data: dict[str, Any], study: Study,
              design: Design, point: int, problems: list[Problem]) -> dict[str, Any] | None:
    """The resolved scenario of a point (validated from ``inputs``), or None with its problems added."""
    try:
        return part.resolve(Scenario.model_validate(inputs), changed)
    except (ValidationError, ValueError, KeyError):
        pass
    lever = part.name
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
