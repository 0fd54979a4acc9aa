"""Designs: which points a study runs - the factors' full grid crossed with SALib's samples of the uncertainties.

Samples come from SALib itself (``SALib.sample.latin``, ``.sobol`` - Saltelli's scheme with a scrambled Sobol'
sequence - and ``.morris``), with the distributions passed to SALib, so a design here *is* the design SALib defines
for the same problem and seed (the tests compare them value for value) and SALib's analysers accept it unchanged.

Integer parameters (``population.people``, ``engagement.contagion_threshold``...) are rounded when they are applied
to a scenario; the design matrix the analysis sees keeps SALib's values (rounding them would give Morris zero steps).
A point is numbered ``factor_index x n_samples + sample_index``, so the samples of one factor combination are
contiguous and in SALib's order, which is what its analysers expect.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .spec import StudySpec


@dataclass(frozen=True)
class Design:
    """The points of a study: ``grid`` (factor combinations) x ``samples`` (rows of SALib's matrix)."""

    method: str
    factor_paths: list[str]
    grid: list[tuple[Any, ...]]
    names: list[str]
    problem: dict[str, Any] | None
    samples: np.ndarray
    integer_paths: frozenset[str] = frozenset()

    @property
    def n_samples(self) -> int:
        return len(self.samples)

    @property
    def n_points(self) -> int:
        return len(self.grid) * self.n_samples

    def locate(self, point: int) -> tuple[int, int]:
        """(factor combination index, sample index) of a point."""
        return divmod(point, self.n_samples)

    def values(self, point: int) -> dict[str, Any]:
        """Path -> value to apply for this point (factors first, then uncertainties; integers rounded)."""
        f, s = self.locate(point)
        out: dict[str, Any] = dict(zip(self.factor_paths, self.grid[f], strict=True))
        out.update(zip(self.names, self._applied[s], strict=True))
        return out

    @cached_property
    def _applied(self) -> list[list[float | int]]:
        """The sample matrix as Python numbers, as applied to scenarios (integer fields rounded)."""
        rows = self.samples.tolist()
        rounded = [i for i, name in enumerate(self.names) if name in self.integer_paths]
        for row in rows:
            for i in rounded:
                row[i] = int(round(row[i]))
        return rows

    def frame(self) -> pd.DataFrame:
        """One row per point: point, factor values, then uncertainty values as applied."""
        points = np.arange(self.n_points)
        f, s = np.divmod(points, max(self.n_samples, 1))
        columns: dict[str, Any] = {"point": points}
        for i, path in enumerate(self.factor_paths):
            column = pd.Series([combo[i] for combo in self.grid], dtype=object)
            columns[path] = column.iloc[f].infer_objects().to_numpy()
        applied = pd.DataFrame(self._applied, columns=self.names) if self.names else None
        for name in self.names:
            columns[name] = applied[name].to_numpy()[s]  # type: ignore[index]
        return pd.DataFrame(columns, columns=["point", *self.factor_paths, *self.names])


def sample_rows(method: str, samples: int, n_vars: int, second_order: bool = False) -> int:
    """Rows of SALib's matrix for ``samples`` (a closed form, so a design's size is known before it is drawn).

    latin: the samples; sobol (Saltelli): N x (D + 2), or N x (2D + 2) with second-order indices; morris: each
    trajectory is D + 1 points; factorial: one row (no uncertainties).
    """
    if method == "factorial":
        return 1
    if method == "latin":
        return samples
    if method == "sobol":
        return samples * ((2 * n_vars + 2) if second_order else (n_vars + 2))
    if method == "morris":
        return samples * (n_vars + 1)
    raise ValueError(f"unknown sampling method {method!r}")


def grid_size(spec: StudySpec) -> int:
    """Factor combinations: the product of the factors' numbers of values."""
    return math.prod(len(values) for values in spec.factors.values())


def count_points(spec: StudySpec) -> int:
    """The design's points, without building it: grid size x rows of the sample matrix."""
    d = spec.design
    return grid_size(spec) * sample_rows(d.method, int(d.samples or 0), len(spec.uncertainties), d.second_order)


def salib_problem(spec: StudySpec) -> dict[str, Any] | None:
    """The SALib problem dict of the study's uncertainties (None when there are none)."""
    if not spec.uncertainties:
        return None
    names = list(spec.uncertainties)
    dists, bounds = zip(*(u.salib() for u in spec.uncertainties.values()), strict=True)
    return {"num_vars": len(names), "names": names, "bounds": [list(b) for b in bounds], "dists": list(dists)}


def sample(method: str, problem: dict[str, Any], samples: int, seed: int, second_order: bool = False,
           levels: int = 4) -> np.ndarray:
    """SALib's sample matrix for ``method`` (latin, sobol or morris)."""
    import warnings

    from SALib.sample import latin, morris, sobol

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # SALib's notes on convergence; the spec checks N itself
        if method == "latin":
            return latin.sample(problem, samples, seed=seed)
        if method == "sobol":
            return sobol.sample(problem, samples, calc_second_order=second_order, scramble=True, seed=seed)
        if method == "morris":
            return morris.sample(problem, samples, num_levels=levels, seed=seed)
    raise ValueError(f"unknown sampling method {method!r}")


def make_design(spec: StudySpec, integer_paths: set[str] | frozenset[str] = frozenset()) -> Design:
    """Build the study's design (deterministic: the same spec gives the same points)."""
    factor_paths = list(spec.factors)
    grid = list(itertools.product(*spec.factors.values())) if factor_paths else [()]
    problem = salib_problem(spec)
    d = spec.design
    if problem is None:
        matrix = np.zeros((1, 0))
    else:
        matrix = sample(d.method, problem, int(d.samples or 0), d.seed, d.second_order, d.levels)
    return Design(d.method, factor_paths, grid, list(spec.uncertainties), problem, matrix, frozenset(integer_paths))
