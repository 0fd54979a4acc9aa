"""Calibration files: YAML text to a validated :class:`Calibration`, or one clear message per problem.

A calibration file says *what to fit* (parameters: dotted scenario paths, as ``leadsim run --set`` takes them, each
with a prior and its bounds), *to what* (targets: evidence ids, each measured by :mod:`simulation.measures` in the
base community), *how hard* (seeds per particle, particles per generation, generations, a stopping rule) and *where
to* (the output folder). docs/calibration.md describes every field; ``experiments/calibration/default.yaml`` is an
example.

Validated like scenario and study files, before anything runs or is written (same reader, same
``FILE:LINE: FIELD: what is wrong. Allowed: ...`` messages, every problem at once): an unknown field or path gets
the closest name; a prior that cannot be sampled (low above high, a log-uniform range through 0, a beta shape of
0) says what it needs; a target must be in the evidence file and measured by the model; each parameter's bounds
are applied to every scenario the targets' measures run, so a range the model refuses is refused here.

Reads the calibration file, its base scenario and its evidence file; writes nothing.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from simulation.core.scenario import Scenario, resolve_path
from simulation.problems import Loc, Problem, ScenarioFileError, dotted, line_at, unique
from simulation.scenario_files import complete, describe, set_value, validate_data
from simulation.spec_files import read_spec

NAME = r"^[A-Za-z][A-Za-z0-9_.+-]{0,59}$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Prior(Strict):
    """A parameter's prior: its distribution and bounds (every prior is bounded: the sampler proposes inside)."""

    prior: Literal["uniform", "loguniform", "beta", "truncnormal"] = Field(
        description="uniform [low, high]; loguniform [low, high], low > 0; beta (a, b) stretched onto [low, high] "
                    "(default [0, 1]); truncnormal (mean, sd) cut to [low, high].")
    low: float | None = Field(None, description="Lower bound (every prior; beta: default 0).")
    high: float | None = Field(None, description="Upper bound (every prior; beta: default 1).")
    a: float | None = Field(None, description="beta: first shape, above 0.")
    b: float | None = Field(None, description="beta: second shape, above 0.")
    mean: float | None = Field(None, description="truncnormal: the mean before truncation.")
    sd: float | None = Field(None, description="truncnormal: the sd before truncation, above 0.")
    label: str | None = Field(None, max_length=60, description="Short name for figures (default: the path).")

    @model_validator(mode="after")
    def _complete(self) -> Prior:
        if self.prior == "beta":
            self.low = 0.0 if self.low is None else self.low
            self.high = 1.0 if self.high is None else self.high
        needs = {"uniform": ("low", "high"), "loguniform": ("low", "high"), "beta": ("a", "b", "low", "high"),
                 "truncnormal": ("mean", "sd", "low", "high")}[self.prior]
        missing = [k for k in needs if getattr(self, k) is None]
        extra = [k for k in ("a", "b", "mean", "sd") if k not in needs and getattr(self, k) is not None]
        if missing or extra:
            raise ValueError(f"a {self.prior} prior takes {', '.join(needs)}"
                             + (f"; missing {', '.join(missing)}" if missing else "")
                             + (f"; {', '.join(extra)} does not apply" if extra else ""))
        if not self.low < self.high:  # type: ignore[operator]
            raise ValueError(f"low ({self.low:g}) must be below high ({self.high:g}): the prior would be empty")
        if self.prior == "loguniform" and self.low <= 0:  # type: ignore[operator]
            raise ValueError(f"a loguniform prior needs low above 0 (got {self.low:g}); use uniform for a range "
                             "that reaches 0")
        for shape in ("a", "b", "sd"):
            value = getattr(self, shape)
            if value is not None and value <= 0:
                raise ValueError(f"{shape} must be above 0 (got {value:g})")
        return self


class TargetSpec(Strict):
    """One evidence target the particles are held to."""

    id: str = Field(description="An id of the evidence file (simulation/evidence.yaml, or `evidence`).")
    tolerance: float = Field(0.0, ge=0.0, le=10.0, description="Slack beyond the target's interval, as a share "
                                                               "of its width (0: the interval itself).")
    weight: float = Field(1.0, gt=0.0, le=1000.0, description="Weight of this target in the distance.")


class Stop(Strict):
    """When the calibration stops (the first rule met; generations is the last)."""

    epsilon: float = Field(0.0, ge=0.0, description="Final epsilon: stop once a generation's tolerance is at most "
                                                    "this (0: every particle's measurements inside every interval).")
    min_acceptance: float = Field(0.01, ge=0.0, lt=1.0, description="Stop when a generation accepts fewer than "
                                                                   "this share of its simulations.")
    max_simulations: int = Field(100_000, ge=1, le=100_000_000, description="At most this many particle "
                                 "simulations in all sessions; a generation they cannot finish is not kept.")
    wall_minutes: float = Field(600.0, gt=0.0, le=100_000.0, description="No simulation starts after this much "
                                "time (minutes, all sessions' finished generations); an unfinished generation is "
                                "not kept.")


class CalibrationSpec(Strict):
    """The calibration file's fields (see the module docstring and docs/calibration.md)."""

    name: str = Field(pattern=NAME, description="Calibration name; results go to results/calibration/NAME by "
                                                "default.")
    description: str = Field("", max_length=20_000)
    base: str | None = Field(None, description="Base scenario file (the community), relative to this file.")
    scenario: dict[str, Any] | None = Field(None, description="The base scenario inline (instead of `base`).")
    set: dict[str, Any] = Field(default_factory=dict, description="Dotted path -> value on the base scenario.")
    people: int | None = Field(None, ge=20, le=1_000_000, description="People in every measured community "
                                                                      "(default: the base scenario's).")
    evidence: str | None = Field(None, description="An evidence file of your own, relative to this file "
                                                   "(default: simulation/evidence.yaml).")
    parameters: dict[str, Prior] = Field(min_length=1, max_length=50,
                                         description="Dotted path -> prior: the parameters fitted.")
    targets: list[TargetSpec] = Field(min_length=1, max_length=200, description="Evidence targets, by id (`- id: "
                                                                                "l2l.learning`, or the id alone).")
    seeds: int = Field(2, ge=1, le=1000, description="Replications (seeds) per particle; its measurement is their "
                                                     "mean.")
    population: int = Field(100, ge=5, le=100_000, description="Accepted particles per generation.")
    generations: int = Field(10, ge=1, le=1000, description="Most generations.")
    stop: Stop = Field(default_factory=Stop)
    norm: Literal[1, 2, "inf"] = Field(2, description="How the targets' distances combine: 1 (sum), 2 (Euclidean) "
                                                      "or inf (the worst target).")
    kernel_scaling: float = Field(1.0, gt=0.0, le=10.0, description="Width of the proposal kernel, a multiple of "
                                  "pyabc's Silverman bandwidth: wider kernels overlap more and keep the importance "
                                  "weights even (docs/calibration.md, 'Degenerate weights').")
    predictive: int = Field(50, ge=0, le=10_000, description="Draws from the posterior re-measured on new seeds "
                                                             "for the posterior predictive check (0: none).")
    seed: int = Field(1, ge=0, le=2**32 - 1, description="Seed of the calibration (proposals and runs' seeds).")
    out: str | None = Field(None, description="Output folder, relative to where leadsim runs (default: "
                                              "results/calibration/NAME).")

    @field_validator("targets", mode="before")
    @classmethod
    def _ids_alone(cls, value: Any) -> Any:
        """``- l2l.learning`` is short for ``- id: l2l.learning``."""
        return [{"id": v} if isinstance(v, str) else v for v in value] if isinstance(value, list) else value


@dataclass(frozen=True)
class Target:
    """A target as the calibration uses it: the interval its measurement must fall in, widened by the tolerance."""

    id: str
    low: float
    high: float
    scale: float
    weight: float
    unit: str


@dataclass
class Calibration:
    """A validated calibration: the spec, where it came from, its base scenario and its targets."""

    spec: CalibrationSpec
    path: str
    text: str
    base: Scenario
    targets: list[Target]
    integer_paths: frozenset[str] = frozenset()
    lines: dict[Loc, int] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def people(self) -> int:
        return self.spec.people or self.base.population.people

    @property
    def out(self) -> Path:
        return Path(self.spec.out or f"results/calibration/{self.spec.name}")

    def label(self, path: str) -> str:
        return self.spec.parameters[path].label or path

    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def problem(self, message: str, *loc: str | int) -> Problem:
        return Problem(self.path, message, dotted(loc) or None, line_at(self.lines, loc))


# ---- loading -------------------------------------------------------------------------------------------------
def load_calibration(path: str | os.PathLike[str]) -> Calibration:
    """Read, parse and validate a calibration file; :class:`ScenarioFileError` lists every problem."""
    name = str(path)
    spec, text, lines = read_spec(name, CalibrationSpec, "a calibration")
    calibration = Calibration(spec, name, text, _base(spec, name, lines), [], lines=lines)
    problems = _check_targets(calibration)
    if not problems:
        problems = _check_parameters(calibration)
    if problems:
        raise ScenarioFileError(unique(problems))
    return calibration


def _relative(spec_path: str, name: str) -> Path:
    return Path(name) if Path(name).is_absolute() else Path(spec_path).parent / name


def _base(spec: CalibrationSpec, name: str, lines: dict[Loc, int]) -> Scenario:
    """The base scenario: `base` or `scenario`, or the measures' default community; then `set`."""
    from simulation.studies.spec import _base_scenario  # `base` is read relative to the file, as for studies

    return Scenario.model_validate(_base_scenario(spec, name, lines))  # type: ignore[arg-type]


def _check_targets(cal: Calibration) -> list[Problem]:
    """Each target in the evidence file, with an interval or value, and measured by the model."""
    from simulation.evidence import EvidenceError, load_evidence
    from simulation.measures import TARGETS

    try:
        evidence_path = _relative(cal.path, cal.spec.evidence) if cal.spec.evidence else None
        evidence = {t.id: t for t in load_evidence(evidence_path)}
    except EvidenceError as exc:
        return [cal.problem(f"{exc}; fix the evidence file (docs/evidence.md gives its fields)", "evidence")]
    where = cal.spec.evidence or "simulation/evidence.yaml"
    problems, seen = [], set()
    for i, t in enumerate(cal.spec.targets):
        loc = ("targets", i, "id")
        if t.id in seen:
            problems.append(cal.problem(f"target {t.id!r} is listed twice; list it once", *loc))
        seen.add(t.id)
        if t.id not in evidence:
            close = difflib.get_close_matches(t.id, list(evidence), n=1, cutoff=0.6)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            problems.append(cal.problem(f"unknown target {t.id!r}: {where} has no such id.{hint} Allowed: "
                                        f"{', '.join(i for i in evidence if i in TARGETS)}", *loc))
        elif t.id not in TARGETS:
            problems.append(cal.problem(f"the model cannot measure {t.id!r} (no measure in simulation/measures/ "
                                        f"gives it), so it cannot be fitted. Allowed: {', '.join(TARGETS)}", *loc))
        else:
            cal.targets.append(_target(evidence[t.id], t))
    return problems


def _target(ev: Any, t: TargetSpec) -> Target:
    width = ev.high - ev.low
    scale = width if width > 0 else max(abs(ev.low), 1e-12)
    slack = t.tolerance * scale
    return Target(t.id, ev.low - slack, ev.high + slack, scale, t.weight, ev.unit)


def measures_needed(target_ids: list[str]) -> list[str]:
    """The measure functions the targets need, each once, in order."""
    from simulation.measures import TARGETS

    return list(dict.fromkeys(TARGETS[i][0] for i in target_ids))


def _check_parameters(cal: Calibration) -> list[Problem]:
    """Each path settable in the scenarios the targets' measures run, and each bound a value the model takes."""
    from simulation.measures import measure_scenarios

    scenarios = [s.model_dump() for m in measures_needed([t.id for t in cal.targets])
                 for s in measure_scenarios(m, cal.people, cal.base)]
    problems: list[Problem] = []
    integers = set()
    for path, prior in cal.spec.parameters.items():
        loc = ("parameters", path)
        applies = [data for data in scenarios if resolve_path(data, path) is not None]
        if not applies:
            runs = sorted({i["type"] for data in scenarios for i in data["interventions"]})
            problems.append(cal.problem(f"no measurement of these targets runs an intervention named "
                                        f"{path.split('.')[1]!r}. Allowed: {', '.join(runs)}", *loc))
            continue
        found = _check_path(cal, path, prior, applies, loc)
        problems += found
        if not found and _is_integer(applies[0], path):
            integers.add(path)
    cal.integer_paths = frozenset(integers)
    return problems


def _is_integer(data: dict[str, Any], path: str) -> bool:
    from simulation.studies.spec import is_integer_field

    return is_integer_field(data, path)


def _check_path(cal: Calibration, path: str, prior: Prior, scenarios: list[dict[str, Any]], loc: Loc) -> list[Problem]:
    from simulation.studies.spec import _copy, _numeric_kind, field_info

    info = field_info(scenarios[0], path)
    if info is not None and _numeric_kind(info.annotation) is None:
        return [cal.problem(f"{path} is {describe(info)}; only numeric fields can be fitted", *loc)]
    for data in scenarios:
        for end in (prior.low, prior.high):
            value: float | int = int(round(end)) if _is_integer(data, path) else float(end)  # type: ignore[arg-type]
            trial = complete(_copy(data))
            missing = set_value(trial, path, value)
            if missing:
                return [cal.problem(missing, *loc)]
            try:
                validate_data(trial, cal.path)
            except ScenarioFileError as exc:
                return [cal.problem(f"the bound {value:g}: {p.field}: {p.message}" if p.field else p.message, *loc)
                        for p in exc.problems[:1]]
    return []

