"""A posterior in use: which parameter set each replication runs with, drawn from a weighted sample.

A posterior folder (``leadsim calibrate`` writes one) holds ``posterior.parquet`` - one float column per fitted
parameter, named by its dotted scenario path exactly as ``leadsim run --set PATH=VALUE`` takes it (an intervention
by its label or type: ``interventions.individual_training.params.effect_size``), and a column ``weight``
(non-negative, summing to 1), one row per accepted particle - and ``manifest.json``. :func:`load_posterior`
validates the folder and returns a :class:`Posterior`, or raises one :class:`ScenarioFileError` naming the file and
the column of every problem.

The one rule of the draw (:meth:`Posterior.row`): the replication with seed ``s`` runs row ``i`` with probability
``weight_i``, drawn from a random stream keyed by (the posterior's content hash, ``s``) and by nothing else. So
every scenario compared with the same seed runs the same parameter set (common random numbers across the
posterior: paired differences stay paired), and a seed gives the same row in this process, on a pool of processes
or on a Dask worker. The drawn values are set on top of the scenario before the run (:meth:`Posterior.apply`): a
posterior value replaces the scenario file's value. A value for an intervention a scenario does not run is not
applied to that scenario (a baseline compared with a training scenario keeps no training), as in studies.

Reads the posterior folder; writes nothing.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from .core.interventions import REGISTRY
from .core.scenario import InterventionSpec, Scenario, resolve_path, set_path
from .problems import Problem, ScenarioFileError
from .scenario_files import complete, set_value, validate_data

TABLE = "posterior.parquet"
MANIFEST = "manifest.json"
WEIGHT = "weight"
ROW_COLUMN = "posterior_row"
"""The column of the run tables (metrics.parquet, summary.csv, a study's plan and outputs) saying which row of the
posterior each replication ran."""
DRAW_RULE = "posterior-draw-1"
"""The version of the draw rule; part of a study's run keys, so a changed rule never reuses runs of the old one."""
WEIGHT_TOLERANCE = 1e-6
"""How far the weights' sum may be from 1: Parquet stores float64 exactly, so a sum off by more than rounding over
many rows means the column is not normalised (or not weights)."""

@dataclass(frozen=True, eq=False)
class Posterior:
    """A validated posterior sample: its folder, parameter columns (path -> values), weights and content hash.

    Compared by identity (its arrays have no single truth value); two posteriors with the same content have the same
    :attr:`hash`, and that is what the draws depend on."""

    folder: str
    columns: dict[str, np.ndarray]
    weights: np.ndarray
    hash: str
    manifest: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def paths(self) -> list[str]:
        """The fitted parameters' dotted paths, in the file's column order."""
        return list(self.columns)

    @property
    def table(self) -> str:
        return str(Path(self.folder) / TABLE)

    @property
    def key(self) -> str:
        """What a study's run key records of the posterior: its content hash and the draw rule."""
        return f"{self.hash}/{DRAW_RULE}"

    def __len__(self) -> int:
        return len(self.weights)

    def row(self, seed: int) -> int:
        """The row the replication with ``seed`` runs: row i with probability weight_i, from a stream keyed by
        (content hash, seed) alone - the same row for every scenario, process and executor."""
        entropy = [int(self.hash, 16), int(seed)]
        u = np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy))).random()
        cumulative = np.cumsum(self.weights)
        i = int(np.searchsorted(cumulative, u * cumulative[-1], side="right"))
        return min(i, len(self.weights) - 1)  # u * total can round up to the last edge

    def values(self, row: int) -> dict[str, float]:
        """Row ``row`` as path -> value."""
        return {path: float(values[row]) for path, values in self.columns.items()}

    def apply_data(self, data: dict[str, Any], seed: int) -> tuple[dict[str, Any], int]:
        """``data`` (a scenario as plain data, e.g. ``model_dump()``) with the draw for ``seed`` set, and the row.

        ``data`` is changed in place. An integer field gets the value rounded (as a study's sampled values are);
        a path naming an intervention that ``data`` does not run is left out.
        """
        row = self.row(seed)
        for path, value in self.values(row).items():
            resolved = resolve_path(data, path)
            if resolved is not None:
                set_path(data, resolved, _typed(data, resolved, value))
        return data, row

    def apply(self, scenario: Scenario, seed: int) -> tuple[Scenario, int]:
        """The scenario with the draw for ``seed`` set on top (validated), and the row drawn."""
        data, row = self.apply_data(scenario.model_dump(), seed)
        return Scenario.model_validate(data), row

    def check(self, scenarios: Sequence[Scenario], overrides: Sequence[str] = ()) -> None:
        """Raise one ScenarioFileError if the posterior cannot be used with these scenarios: a column that names by
        its label an intervention none of them runs, two columns naming one parameter, a value (the column's
        smallest or largest) outside a parameter's range in a scenario, or a ``--set`` path (``overrides``) the
        posterior also sets - which would silently lose one of the two. A column naming a registered intervention
        type that none of them runs is not an error: it is not applied (the baseline has no training)."""
        problems = []
        for path in self.paths:
            keys = path.split(".")
            label = keys[1] if len(keys) > 1 and keys[0] == "interventions" else None
            if label not in (None, *REGISTRY) and all(resolve_path(s.model_dump(), path) is None for s in scenarios):
                problems.append(self._problem(path, f"no scenario runs an intervention named {path.split('.')[1]!r} "
                                                    "(named by its label, or its type when it has none). Allowed: "
                                                    "scenarios of which one runs it, or a posterior fitted for them"))
        for scenario in scenarios:
            problems += self._scenario_problems(scenario, overrides)
        if problems:
            raise ScenarioFileError(_unique(problems))

    def sets(self, data: dict[str, Any], path: str) -> bool:
        """Whether a draw sets the parameter that ``path`` names in the scenario ``data`` (labels resolved)."""
        mine = resolve_path(data, path)
        return mine is not None and mine in {resolve_path(data, column) for column in self.paths}

    def record(self) -> dict[str, Any]:
        """What a manifest records of the posterior used."""
        return {"folder": self.folder, "hash": self.hash, "draw_rule": DRAW_RULE, "rows": len(self),
                "parameters": self.paths}

    def _problem(self, column: str, message: str) -> Problem:
        return Problem(self.table, message, column)

    def _scenario_problems(self, scenario: Scenario, overrides: Sequence[str]) -> list[Problem]:
        data = scenario.model_dump()
        problems = []
        seen: dict[str, str] = {}
        overridden = {resolve_path(data, o) or o: o for o in overrides}
        for path, values in self.columns.items():
            resolved = resolve_path(data, path)
            if resolved is None:
                continue
            if resolved in seen:
                problems.append(self._problem(path, f"names the same parameter as column {seen[resolved]} "
                                                    f"({resolved} in scenario {scenario.name!r}). Allowed: one "
                                                    "column per parameter"))
            seen[resolved] = path
            if resolved in overridden:
                problems.append(self._problem(path, f"--set {overridden[resolved]} sets the same parameter, and "
                                                    "each replication's value comes from the posterior. Allowed: "
                                                    "remove that --set, or use a posterior that does not fit it"))
                continue
            problems += self._range_problems(data, path, resolved, values, scenario.name)
        return problems

    def _range_problems(self, data: dict[str, Any], path: str, resolved: str, values: np.ndarray,
                        name: str) -> list[Problem]:
        for row in dict.fromkeys([int(np.argmin(values)), int(np.argmax(values))]):
            trial = complete(copy.deepcopy(data))
            value = _typed(trial, resolved, float(values[row]))
            missing = set_value(trial, resolved, value)
            if missing:
                return [self._problem(path, f"{missing} (not a parameter of scenario {name!r}; a column is a dotted "
                                            "path as --set PATH=VALUE takes it)")]
            try:
                validate_data(trial, name)
            except ScenarioFileError as exc:
                return [self._problem(path, f"row {row} (value {values[row]:g}), scenario {name!r}: "
                                            f"{p.field + ': ' if p.field else ''}{p.message}") for p in exc.problems]
        return []


def load_posterior(folder: str | os.PathLike[str]) -> Posterior:
    """Read and validate a posterior folder; raises ScenarioFileError listing every problem (file and column).

    Paths by a registered intervention type, and every other scenario path, are checked here against the default
    scenario (the path exists, the values are in range); a path by label or index is checked when the posterior
    meets its scenarios (:meth:`Posterior.check`).
    """
    where = Path(folder)
    if not where.is_dir():
        what = "is a file" if where.exists() else "does not exist"
        raise ScenarioFileError.one(str(where), f"{what}; a posterior is a folder holding {TABLE} and {MANIFEST} "
                                                "(what `leadsim calibrate` writes): give that folder")
    manifest = _manifest(where)
    columns, weights = _read_table(where / TABLE)
    posterior = Posterior(str(where), columns, weights, content_hash(columns, weights), manifest)
    checkable = {path: values for path, values in columns.items() if _checkable(path)}
    if checkable:
        replace(posterior, columns=checkable).check([_probe_scenario(list(checkable))])
    return posterior


def as_posterior(value: Posterior | str | os.PathLike[str] | None) -> Posterior | None:
    """A :class:`Posterior` from itself, a folder, or None."""
    if value is None or isinstance(value, Posterior):
        return value
    return load_posterior(value)


def content_hash(columns: dict[str, np.ndarray], weights: np.ndarray) -> str:
    """16 hex digits of SHA-256 over the columns' names and float64 values and the weights, in file order (a
    Parquet file rewritten with other settings keeps its hash; any changed value, row or name changes it)."""
    digest = hashlib.sha256()
    for name, values in [*columns.items(), (WEIGHT, weights)]:
        digest.update(name.encode() + b"\0")
        digest.update(np.ascontiguousarray(values, dtype="<f8").tobytes() + b"\1")
    return digest.hexdigest()[:16]


# ---- reading and checking the folder ----------------------------------------------------------------------------
def _manifest(where: Path) -> dict[str, Any]:
    path = where / MANIFEST
    if not path.is_file():
        raise ScenarioFileError.one(str(path), f"is missing; a posterior folder holds {TABLE} and the {MANIFEST} "
                                               "that says how it was made (what `leadsim calibrate` writes)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ScenarioFileError.one(str(path), f"cannot be read as JSON ({exc}); recreate the posterior with "
                                               "`leadsim calibrate`") from None
    if not isinstance(manifest, dict):
        raise ScenarioFileError.one(str(path), "holds no JSON object; recreate the posterior with `leadsim "
                                               "calibrate`")
    return manifest


def _read_table(path: Path) -> tuple[dict[str, np.ndarray], np.ndarray]:
    import pyarrow.parquet as pq

    name = str(path)
    if not path.is_file():
        raise ScenarioFileError.one(name, f"is missing; a posterior folder holds {TABLE}: one float column per "
                                          f"fitted parameter (its dotted path) and a column {WEIGHT}")
    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several kinds for a file that is not Parquet
        raise ScenarioFileError.one(name, f"cannot be read as Parquet ({type(exc).__name__}: {exc})") from None
    names = table.column_names
    problems = [Problem(name, "appears twice. Allowed: one column per parameter", n)
                for n in dict.fromkeys(n for n in names if names.count(n) > 1)]
    if WEIGHT not in names:
        problems.append(Problem(name, f"has no column {WEIGHT!r}. Allowed: the particles' weights (non-negative, "
                                      "summing to 1) beside one column per parameter", WEIGHT))
    if not [n for n in names if n != WEIGHT]:
        problems.append(Problem(name, "has no parameter column. Allowed: one float column per fitted parameter, "
                                      "named by its dotted path (e.g. initiatives.impact)"))
    if table.num_rows == 0:
        problems.append(Problem(name, "has no rows. Allowed: one row per accepted particle"))
    if problems:
        raise ScenarioFileError(problems)
    columns = {}
    for n in names:
        values, problem = _numbers(table.column(n), name, n)
        if problem is not None:
            problems.append(problem)
        columns[n] = values
    weights = columns.pop(WEIGHT)
    if not problems:
        problems += _weight_problems(name, weights)
    if problems:
        raise ScenarioFileError(problems)
    return columns, weights


def _numbers(column: Any, name: str, n: str) -> tuple[np.ndarray, Problem | None]:
    import pyarrow as pa

    kind = column.type
    if not (pa.types.is_floating(kind) or pa.types.is_integer(kind)):
        return np.zeros(0), Problem(name, f"holds {kind}. Allowed: numbers (float64)", n)
    values = column.to_numpy(zero_copy_only=False).astype(np.float64)
    bad = np.flatnonzero(~np.isfinite(values))
    if len(bad):
        return values, Problem(name, f"row {int(bad[0])} is {values[bad[0]]} ({len(bad)} row(s) not finite). "
                                     "Allowed: finite numbers", n)
    return values, None


def _weight_problems(name: str, weights: np.ndarray) -> list[Problem]:
    negative = np.flatnonzero(weights < 0)
    if len(negative):
        return [Problem(name, f"row {int(negative[0])} is {weights[negative[0]]:g} ({len(negative)} negative). "
                              "Allowed: weights of at least 0, summing to 1", WEIGHT)]
    total = float(weights.sum())
    if not math.isclose(total, 1.0, rel_tol=0, abs_tol=WEIGHT_TOLERANCE):
        return [Problem(name, f"the weights sum to {total:.9g}. Allowed: weights summing to 1 (within "
                              f"{WEIGHT_TOLERANCE:g}); normalise them (weight / sum of weights)", WEIGHT)]
    return []


def _checkable(path: str) -> bool:
    """Whether a path can be checked without the user's scenario: any path but one naming an intervention by its
    label or index (those are checked when the posterior meets its scenarios)."""
    keys = path.split(".")
    return keys[0] != "interventions" or len(keys) < 2 or keys[1] in REGISTRY


def _probe_scenario(paths: list[str]) -> Scenario:
    """The scenario a posterior is checked against on its own: the default one, with one intervention of each
    registered type that a column names."""
    types = [p.split(".")[1] for p in paths if p.startswith("interventions.") and len(p.split(".")) > 1]
    return Scenario(name="default", interventions=[InterventionSpec(type=t) for t in dict.fromkeys(types)])


def _typed(data: dict[str, Any], path: str, value: float) -> float | int:
    """An integer field's value rounded (as a study applies sampled values), other values as they are."""
    from .studies.spec import is_integer_field  # the study's rule; imported here: studies import this module

    return int(round(value)) if is_integer_field(data, path) else value


def _unique(problems: list[Problem]) -> list[Problem]:
    return list({(p.file, p.field, p.message): p for p in problems}.values())
