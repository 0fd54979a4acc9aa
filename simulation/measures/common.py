"""What every measure shares: the seeds and community size, the :class:`Estimate` of a measured quantity, the
community a measure runs in, and how a calibration particle's values are applied to it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from ..core.model import LeadershipModel
from ..core.scenario import Scenario, resolve_path, set_path

SEEDS = (11, 12, 13, 14, 15)
"""The seeds every measure uses by default (fixed: the validation tests are reproducible)."""
PEOPLE = 2000
POINTS = 100.0
"""Points per unit of the community result."""


@dataclass(frozen=True)
class Estimate:
    """A measured quantity: its mean over seeds, the 95% t-interval of that mean, and the per-seed values."""

    value: float
    low: float
    high: float
    values: tuple[float, ...] = field(default=())

    @classmethod
    def of(cls, values: list[float] | np.ndarray) -> Estimate:
        """The mean and 95% t-interval of per-seed values (NaNs, e.g. a seed with nothing to measure, dropped)."""
        x = np.asarray(values, dtype=float)
        x = x[np.isfinite(x)]
        if len(x) == 0:
            return cls(math.nan, math.nan, math.nan, ())
        mean = float(x.mean())
        half = float(stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))) if len(x) > 1 else 0.0
        return cls(mean, mean - half, mean + half, tuple(float(v) for v in x))

    def __str__(self) -> str:
        return f"{self.value:.3g} [{self.low:.3g}, {self.high:.3g}]"


Values = Mapping[str, Any] | None
"""Dotted path -> value applied to every scenario a measure runs (see the module docstring)."""


def community(people: int = PEOPLE, months: int = 60, interventions: list[dict[str, Any]] | None = None,
              base: Scenario | None = None, values: Values = None, **sections: dict[str, Any]) -> Scenario:
    """The community a measure runs in, with these interventions: ``base``'s population and sections (default:
    the scenarios/ folder's community, five places) with ``people`` people, then ``values``, then the measure's
    own ``sections`` (dotted into each section, so a protocol setting wins over a particle's value)."""
    data = (base or Scenario(population={"places": 5})).model_dump()
    data.update(name="measure", months=months, budget=None, interventions=list(interventions or []))
    data["population"]["people"] = people
    apply_values(data, values)
    for section, fields in sections.items():
        data[section].update(fields)
    return Scenario.model_validate(data)


def apply_values(data: dict[str, Any], values: Values) -> None:
    """Set each dotted path of ``values`` in a scenario mapping, in place; a path into an intervention the
    scenario does not run is skipped (it is not this measure's programme)."""
    for path, value in (values or {}).items():
        resolved = resolve_path(data, path)
        if resolved is not None:
            set_path(data, resolved, value)


def business_as_usual(scenario: Scenario) -> Scenario:
    """The same scenario with no intervention (and no budget): the paired counterfactual."""
    return scenario.model_copy(update={"interventions": [], "budget": None})


def _model(scenario: Scenario, seed: int) -> LeadershipModel:
    return LeadershipModel(scenario, rng=seed, person_agents=False)


def _employees(model: LeadershipModel) -> np.ndarray:
    p = model.people
    return np.flatnonzero(p.alive[: p.count] & (p.org[: p.count] >= 0))


def _sd(values: np.ndarray) -> float:
    sd = float(np.std(values))
    return sd if sd > 0 else math.nan

