"""Study files: YAML text to a validated :class:`Study`, or one clear message per problem.

A study says *what to compare* (levers: the strategies, portfolios or budgets, all run on common random numbers),
*over what* (factors: a grid of values; uncertainties: parameters sampled from ranges or distributions), *how*
(a design: full factorial, Latin hypercube, Sobol/Saltelli or Morris, through SALib), *how often* (replications)
and *what to measure* (outputs: a metric at the end, its mean over the horizon or at a month, the paired difference
between two levers, a ratio such as cost per point of result). Every value is a dotted path into the scenario
(``community.complementarity``, ``interventions.0.params.effect_size``), so a study can vary anything a scenario
file can say - see :meth:`simulation.core.scenario.Scenario.with_values`.

Why validate as strictly as scenario files (same reader, same message format, every problem at once): a typo in a
study costs hours of cluster time, not seconds. Errors are :class:`~simulation.scenario_files.ScenarioFileError`
with ``FILE:LINE: FIELD: what is wrong. Allowed: ...`` - the command line turns them into exit status 2 before
anything is written. Levers and factor values are applied to the base scenario and validated here; sampled values
are validated when the plan is built (:mod:`simulation.studies.plan`), also before anything is written.

A study may also sample its uncertainties from a posterior (``posterior: FOLDER``, :mod:`simulation.posterior`):
each run then runs the parameter set its seed draws from it, on top of its lever and point. A posterior parameter
may not also be a factor, an uncertainty or a lever's value (one of the two would be lost).
"""

from __future__ import annotations

import difflib
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulation.core.metrics import metric_names
from simulation.core.scenario import Scenario, resolve_path, set_path
from simulation.posterior import Posterior, load_posterior
from simulation.problems import Loc, Problem, ScenarioFileError, dotted, line_at, sub_lines, unique
from simulation.scenario_files import (
    complete,
    describe,
    field_at,
    load_scenario,
    set_value,
    validate_data,
)
from simulation.spec_files import read_spec

DERIVED = {"budget_per_person": "sets budget = value x population.people (a budget that grows with the community)"}
"""Paths that are not scenario fields but set one from others, applied after every other value."""

MIN_SAMPLES = 2
"""Fewest samples (latin), base samples (sobol) or trajectories (morris) a design may have. The intervals are
bootstraps that resample these units: with one, every resample is that one unit, so every interval has zero width
whatever the noise - certainty from nothing (and Sobol estimates from one base sample can leave [0, 1]). Two is
the least that can show any spread; the sweep warns when intervals are wider than ``analysis.max_ci``."""
SAMPLE_UNITS = {"latin": "samples", "sobol": "base samples", "morris": "trajectories"}

NAME = r"^[A-Za-z][A-Za-z0-9_.+-]{0,59}$"
OUTPUT_NAME = r"^[a-z][a-z0-9_]{0,59}$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Lever(Strict):
    """One strategy, portfolio or budget being compared: changes to the base scenario by dotted path."""

    name: str = Field(pattern=NAME, description="Short name used in tables and figures (letters, digits, _.+-).")
    description: str = Field("", max_length=2000, description="What this lever is, in words.")
    set: dict[str, Any] = Field(default_factory=dict,
                                description="Dotted path -> value, applied to the base scenario "
                                            "(e.g. interventions: [...], budget: 600000).")


class Uncertainty(Strict):
    """A parameter sampled by the design: a range or a distribution (SALib's names in brackets)."""

    distribution: Literal["uniform", "loguniform", "triangular", "normal", "truncnormal", "lognormal"] = Field(
        "uniform", description="uniform [low, high] (unif); loguniform [low, high] (logunif); triangular "
                               "[low, mode, high] (triang); normal [mean, sd] (norm); truncnormal [low, high, mean, "
                               "sd] (truncnorm); lognormal [mean, sd of the log] (lognorm).")
    low: float | None = Field(None, description="Lower end (uniform, loguniform, triangular, truncnormal).")
    high: float | None = Field(None, description="Upper end (uniform, loguniform, triangular, truncnormal).")
    mode: float | None = Field(None, description="Most likely value (triangular; low <= mode < high).")
    mean: float | None = Field(None, description="Mean (normal, truncnormal; of the log for lognormal).")
    sd: float | None = Field(None, gt=0, description="Standard deviation (normal, truncnormal; of the log for "
                                                     "lognormal).")
    label: str | None = Field(None, max_length=60, description="Short name for figures (default: the path).")

    @model_validator(mode="after")
    def _complete(self) -> Uncertainty:
        needs = {"uniform": ("low", "high"), "loguniform": ("low", "high"), "triangular": ("low", "mode", "high"),
                 "normal": ("mean", "sd"), "truncnormal": ("low", "high", "mean", "sd"), "lognormal": ("mean", "sd")}
        wanted = needs[self.distribution]
        missing = [k for k in wanted if getattr(self, k) is None]
        extra = [k for k in ("low", "high", "mode", "mean", "sd") if k not in wanted and getattr(self, k) is not None]
        if missing or extra:
            raise ValueError(f"a {self.distribution} distribution takes {', '.join(wanted)}"
                             + (f"; missing {', '.join(missing)}" if missing else "")
                             + (f"; {', '.join(extra)} does not apply" if extra else ""))
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"low ({self.low:g}) must be below high ({self.high:g})")
        if self.distribution == "loguniform" and self.low is not None and self.low <= 0:
            raise ValueError("a loguniform range must be above 0")
        if self.distribution == "triangular" and not (self.low <= self.mode < self.high):  # type: ignore[operator]
            raise ValueError("a triangular mode must satisfy low <= mode < high")
        if self.distribution == "triangular" and self.high < 0:  # type: ignore[operator]
            raise ValueError("SALib's triangular distribution needs high >= 0")
        return self

    def salib(self) -> tuple[str, list[float]]:
        """SALib's distribution name and its ``bounds`` entry."""
        d = self.distribution
        if d == "uniform":
            return "unif", [self.low, self.high]  # type: ignore[list-item]
        if d == "loguniform":
            return "logunif", [self.low, self.high]  # type: ignore[list-item]
        if d == "triangular":
            return "triang", [self.low, self.high, (self.mode - self.low) / (self.high - self.low)]  # type: ignore
        if d == "normal":
            return "norm", [self.mean, self.sd]  # type: ignore[list-item]
        if d == "truncnormal":
            return "truncnorm", [self.low, self.high, self.mean, self.sd]  # type: ignore[list-item]
        return "lognorm", [self.mean, self.sd]  # type: ignore[list-item]

    @property
    def bounded(self) -> bool:
        return self.low is not None and self.high is not None


class Design(Strict):
    """How points are chosen: a grid of the factors crossed with samples of the uncertainties."""

    method: Literal["factorial", "latin", "sobol", "morris"] = Field(
        "factorial", description="factorial (the factors' grid only), latin (Latin hypercube), sobol (Saltelli's "
                                 "scheme for Sobol indices) or morris (elementary-effects trajectories).")
    samples: int | None = Field(None, ge=1, le=10_000_000,
                                description="latin: points; sobol: base samples N (a power of 2, at least 2; "
                                            "N x (D + 2) points); morris: trajectories (at least 2; D + 1 points "
                                            "each).")
    seed: int = Field(0, ge=0, le=2**32 - 1, description="Seed of the sampler (not of the runs).")
    second_order: bool = Field(False, description="sobol: also second-order indices (N x (2D + 2) points).")
    levels: int = Field(4, ge=2, le=100, description="morris: grid levels (even).")

    @model_validator(mode="after")
    def _check(self) -> Design:
        if self.method != "factorial" and self.samples is None:
            raise ValueError(f"design.method {self.method} needs `samples`")
        if self.method == "sobol" and self.samples is not None and self.samples & (self.samples - 1):
            low = 1 << (self.samples.bit_length() - 1)
            raise ValueError(f"sobol samples must be a power of 2 (Saltelli's scheme); got {self.samples}, "
                             f"try {low} or {low * 2}")
        if self.method == "morris" and self.levels % 2:
            raise ValueError(f"morris levels must be even; got {self.levels}")
        return self


class Output(Strict):
    """A scalar measured on every run (or derived from two outputs after averaging over replications)."""

    name: str = Field(pattern=OUTPUT_NAME, description="Column name (lower case, digits, _).")
    metric: str | None = Field(None, description="A metric of the model's table (see `leadsim run` output, "
                                                 "e.g. community_result, result_change, people_reached).")
    at: Literal["final", "mean"] | int = Field("final", description="final (the last month), mean (over months "
                                                                    "1..end) or a month number.")
    minus: str | None = Field(None, description="A lever name: report this output as the paired difference "
                                                "lever - this lever, replication by replication (common random "
                                                "numbers).")
    ratio: list[str] | None = Field(None, min_length=2, max_length=2,
                                    description="[numerator, denominator]: two earlier outputs; computed from "
                                                "their means over replications (NaN when the denominator <= 0).")
    per: float = Field(1.0, gt=0, description="ratio only: divide the denominator by this first (0.01: cost per "
                                              "percentage point of a 0-1 result).")

    @model_validator(mode="after")
    def _one_kind(self) -> Output:
        if (self.metric is None) == (self.ratio is None):
            raise ValueError("give either `metric` or `ratio` (exactly one)")
        if self.ratio is not None and self.minus is not None:
            raise ValueError("`minus` applies to metric outputs; difference the ratio's parts instead")
        if isinstance(self.at, int) and self.at < 0:
            raise ValueError("`at` month must be 0 or more")
        return self


class Analysis(Strict):
    conf_level: float = Field(0.95, gt=0.5, lt=1.0, description="Confidence level of index intervals.")
    resamples: int = Field(1000, ge=10, le=100_000, description="Bootstrap resamples for intervals.")
    max_ci: float = Field(0.1, gt=0, le=10.0,
                          description="Widest acceptable interval half-width: absolute for Sobol indices and delta, "
                                      "relative to the largest mu* for Morris. Wider gets a warning with the sample "
                                      "size needed.")
    delta: bool = Field(False, description="latin designs: also Borgonovo's moment-independent delta (slow: its "
                                           "bootstrap takes seconds per output); RBD-FAST S1 is always computed.")
    scaling: str | None = Field(None, description="An output to fit returns to scale on (against budget and "
                                                  "community size); e.g. result_gained.")
    scaling_cost: str | None = Field(None, description="An output of cost per unit of result to plot (optional).")


class Store(Strict):
    keep_months: Literal["all", "final"] = Field("all", description="Store every month of every run, or only the "
                                                                    "final month (large Sobol studies).")
    shard_runs: int = Field(100, ge=1, le=1_000_000, description="Finished runs per Parquet shard.")
    shard_seconds: float = Field(30.0, gt=0, le=86_400, description="Write a shard at least this often.")


class StudySpec(Strict):
    """The study file's fields (see the module docstring and docs/studies.md)."""

    name: str = Field(pattern=NAME, description="Study name; results go to results/studies/NAME by default.")
    description: str = Field("", max_length=20_000)
    base: str | None = Field(None, description="Base scenario file, relative to the study file.")
    scenario: dict[str, Any] | None = Field(None, description="The base scenario inline (instead of `base`).")
    set: dict[str, Any] = Field(default_factory=dict, description="Dotted path -> value on the base scenario.")
    levers: list[Lever] = Field(default_factory=lambda: [Lever(name="base")], min_length=1, max_length=1000)
    factors: dict[str, list[Any]] = Field(default_factory=dict,
                                          description="Dotted path -> list of values; every combination is run.")
    uncertainties: dict[str, Uncertainty] = Field(default_factory=dict,
                                                  description="Dotted path -> distribution, sampled by the design.")
    design: Design = Field(default_factory=Design)
    replications: int = Field(1, ge=1, le=100_000, description="Seeds per point; replication r uses seed + r in "
                                                               "every lever and point (common random numbers).")
    seed: int = Field(0, ge=0, le=2**62, description="Base seed of the runs.")
    outputs: list[Output] = Field(min_length=1, max_length=200)
    analysis: Analysis = Field(default_factory=Analysis)
    store: Store = Field(default_factory=Store)
    retries: int = Field(2, ge=0, le=100, description="Extra attempts for a failed run in one sweep.")
    posterior: str | None = Field(None, description="A posterior folder (leadsim calibrate), relative to the study "
                                                    "file: each run draws its parameter set from it by its seed "
                                                    "(docs/posterior.md).")

    @model_validator(mode="after")
    def _check(self) -> StudySpec:
        if self.base is not None and self.scenario is not None:
            raise ValueError("give either `base` (a scenario file) or `scenario` (inline), not both")
        if self.design.method == "factorial" and self.uncertainties:
            raise ValueError("design.method factorial runs the `factors` grid; sampled `uncertainties` need "
                             "latin, sobol or morris")
        if self.design.method != "factorial" and not self.uncertainties:
            raise ValueError(f"design.method {self.design.method} samples `uncertainties`, and there are none")
        if self.design.method == "morris":
            unbounded = [p for p, u in self.uncertainties.items() if u.distribution in ("normal", "lognormal")]
            if unbounded:
                raise ValueError(f"morris samples the 0 and 1 quantiles, which are infinite for a normal or "
                                 f"lognormal distribution ({', '.join(unbounded)}); use truncnormal with low and "
                                 "high, or a latin or sobol design")
        return self


@dataclass
class Study:
    """A validated study: the spec, where it came from, and its base scenario as a plain dict."""

    spec: StudySpec
    path: str
    text: str
    base: dict[str, Any]
    lines: dict[Loc, int] = field(default_factory=dict, repr=False)
    posterior: Posterior | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    def problem(self, message: str, *loc: str | int) -> Problem:
        return Problem(self.path, message, dotted(loc) or None, line_at(self.lines, loc))

    def lever_data(self, lever: Lever) -> dict[str, Any]:
        """The base scenario with the lever's changes (a plain dict, not yet validated)."""
        data = _copy(self.base)
        for path, value in lever.set.items():
            set_path(data, path, _copy(value))
        complete(data)  # as set_value leaves it: an intervention the lever gives has every field, params included
        data["name"] = f"{self.spec.name}/{lever.name}"
        return data

    def uncertainty_label(self, path: str) -> str:
        return self.spec.uncertainties[path].label or path


# ---- loading -------------------------------------------------------------------------------------------------
def load_study(path: str | os.PathLike[str], posterior: str | os.PathLike[str] | None = None) -> Study:
    """Read, parse and validate a study file (its base scenario, its posterior). Raises ScenarioFileError listing
    problems. ``posterior``: a posterior folder used instead of the file's ``posterior`` (``--posterior``)."""
    name = str(path)
    spec, text, lines = read_spec(name, StudySpec, "a study")
    base = _base_scenario(spec, name, lines)
    study = Study(spec, name, text, base, lines, _posterior(spec, name, lines, posterior))
    problems = check_study(study)
    if problems:
        raise ScenarioFileError(unique(problems))
    return study


def _base_scenario(spec: StudySpec, name: str, lines: dict[Loc, int]) -> dict[str, Any]:
    if spec.base is not None:
        base_path = Path(spec.base) if Path(spec.base).is_absolute() else Path(name).parent / spec.base
        try:
            data = load_scenario(base_path).scenario.model_dump()
        except ScenarioFileError as exc:
            line = lines.get(("base",))
            raise ScenarioFileError([*exc.problems, Problem(name, "the base scenario above cannot be used", "base",
                                                            line)]) from None
    elif spec.scenario is not None:
        try:
            data = validate_data(_copy(spec.scenario), name, sub_lines(lines, ("scenario",))).model_dump()
        except ScenarioFileError as exc:
            raise ScenarioFileError([_prefixed(p, "scenario") for p in exc.problems]) from None
    else:
        data = Scenario().model_dump()
    problems = []
    for path, value in spec.set.items():
        problems += _apply(data, path, value, name, ("set", path), lines)
    if problems:
        raise ScenarioFileError(problems)
    try:
        return validate_data(data, name).model_dump()
    except ScenarioFileError as exc:
        raise ScenarioFileError([Problem(name, f"{p.field}: {p.message}", "set", lines.get(("set",)))
                                 for p in exc.problems]) from None


def _posterior(spec: StudySpec, name: str, lines: dict[Loc, int],
               given: str | os.PathLike[str] | None) -> Posterior | None:
    """The study's posterior: ``given`` (the command line's), else the file's, relative to the study file."""
    if given is None and spec.posterior is None:
        return None
    folder = Path(given if given is not None else spec.posterior)  # type: ignore[arg-type]
    folder = folder if given is not None or folder.is_absolute() else Path(name).parent / folder
    try:
        return load_posterior(folder)
    except ScenarioFileError as exc:
        where = ("--posterior", None) if given is not None else ("posterior", lines.get(("posterior",)))
        raise ScenarioFileError([*exc.problems, Problem(name, "the posterior above cannot be used", *where)]) from None


def check_study(study: Study) -> list[Problem]:
    """Everything that can be checked without sampling: levers, factor values, uncertainty ranges, outputs."""
    spec = study.spec
    problems: list[Problem] = []
    names = [lever.name for lever in spec.levers]
    for i, lever in enumerate(spec.levers):
        if names.index(lever.name) != i:
            problems.append(study.problem(f"two levers are named {lever.name!r}; names must be unique",
                                          "levers", i, "name"))
    lever_data = []
    for i, lever in enumerate(spec.levers):
        data = _copy(study.base)
        found = []
        for path, value in lever.set.items():
            found += _apply(data, path, value, study.path, ("levers", i, "set", path), study.lines)
        if not found:
            found = _validate(data, study, ("levers", i, "set"))
        problems += found
        lever_data.append(data if not found else None)
    if problems:
        return problems
    problems += _check_paths(study) + _check_design_size(study)
    for path, values in spec.factors.items():
        problems += _check_factor(study, path, values, lever_data)
    for path, unc in spec.uncertainties.items():
        problems += _check_uncertainty(study, path, unc, lever_data)
    problems += _check_outputs(study, lever_data)
    return problems + _check_posterior(study, lever_data)


def _check_posterior(study: Study, lever_data: list[Any]) -> list[Problem]:
    """The posterior fits these levers (:meth:`Posterior.check`) and sets no value the study varies or sets."""
    posterior, spec = study.posterior, study.spec
    if posterior is None:
        return []
    varied = [(("factors", p), p) for p in spec.factors] + [(("uncertainties", p), p) for p in spec.uncertainties]
    varied += [(("levers", i, "set", p), p) for i, lever in enumerate(spec.levers) for p in lever.set]
    problems = [study.problem(f"{path} is also a parameter of the posterior ({posterior.table}), which sets it in "
                              "every run. Allowed: vary or set it in one place", *loc)
                for loc, path in varied if any(posterior.sets(data, path) for data in lever_data)]
    try:
        posterior.check([Scenario.model_validate(data) for data in lever_data])
    except ScenarioFileError as exc:
        problems += [*exc.problems, study.problem("the posterior above does not fit this study's levers",
                                                  "posterior")]
    return problems


def _check_paths(study: Study) -> list[Problem]:
    """A value may be set in one place only; a lever path may be refined (not replaced) by a factor/uncertainty."""
    spec = study.spec
    problems = []
    varied = [("factors", p) for p in spec.factors] + [("uncertainties", p) for p in spec.uncertainties]
    seen: dict[str, str] = {}
    for section, path in varied:
        if path in seen:
            problems.append(study.problem(f"{path} is also in {seen[path]}; vary it in one place", section, path))
        seen[path] = section
        for i, lever in enumerate(spec.levers):
            for lever_path in lever.set:
                if lever_path == path or lever_path.startswith(path + "."):
                    problems.append(study.problem(
                        f"would replace levers.{i}.set.{lever_path} (lever {lever.name!r}); a factor or "
                        "uncertainty may only refine what a lever sets, e.g. interventions.0.params.X",
                        section, path))
    if "budget_per_person" in seen and "budget" in seen:
        problems.append(study.problem("budget and budget_per_person both set the budget; keep one", "factors"))
    return problems


def _check_design_size(study: Study) -> list[Problem]:
    """Enough samples for the bootstrap intervals to mean anything (see :data:`MIN_SAMPLES`)."""
    d = study.spec.design
    if d.method == "factorial" or d.samples is None or d.samples >= MIN_SAMPLES:
        return []
    unit = SAMPLE_UNITS[d.method]
    return [study.problem(f"{d.method} needs at least {MIN_SAMPLES} {unit}: with {d.samples}, every bootstrap "
                          f"resample is the same, so each index's interval would have zero width whatever the noise "
                          f"(certainty from nothing). Allowed: samples: {MIN_SAMPLES} or more - far more for narrow "
                          "intervals (the sweep warns when they are wider than analysis.max_ci)",
                          "design", "samples")]


def _check_factor(study: Study, path: str, values: list[Any], lever_data: list[Any]) -> list[Problem]:
    loc = ("factors", path)
    if not values:  # every combination of the factors is run, so one empty list would leave no runs at all
        return [study.problem("has no values, so the study would have 0 runs. Allowed: a list of at least one "
                              "value (or remove the factor)", *loc)]
    if path in DERIVED:
        bad = [v for v in values if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v)
               or v < 0]
        if bad:
            return [study.problem(f"got {bad[0]!r}, but {path} takes numbers of at least 0 ({DERIVED[path]})",
                                  *loc)]
        return []
    applies = [resolve_path(data, path) is not None for data in lever_data]
    if not any(applies):
        return [study.problem(f"{path}: no lever runs an intervention named {path.split('.')[1]!r}", *loc)]
    for i, data in enumerate(lever_data):
        for value in values if applies[i] else []:  # a lever without that intervention is left as it is
            trial = _copy(data)
            found = _apply(trial, path, value, study.path, loc, study.lines)
            found = found or _validate(trial, study, loc, f"value {value!r} (lever {study.spec.levers[i].name!r})")
            if found:
                return found
    return []


def _check_uncertainty(study: Study, path: str, unc: Uncertainty, lever_data: list[Any]) -> list[Problem]:
    loc = ("uncertainties", path)
    if path in DERIVED:
        if unc.bounded and unc.low < 0:  # type: ignore[operator]
            return [study.problem(f"{path} takes numbers of at least 0 ({DERIVED[path]})", *loc)]
        return []
    named = [resolve_path(data, path) for data in lever_data]
    if all(p is None for p in named):
        return [study.problem(f"{path}: no lever runs an intervention named {path.split('.')[1]!r} (an "
                              "intervention is named by its label, or its type when it has none)", *loc)]
    for i, data in enumerate(lever_data):
        if named[i] is None:  # this lever does not run that intervention: the value does not apply to it
            continue
        path = named[i]
        info = field_info(data, path)
        if info is not None and _numeric_kind(info.annotation) is None:
            return [study.problem(f"{path} is {describe(info)}; only numeric fields can be sampled (use factors "
                                  "for other values)", *loc)]
        probes = [unc.low, unc.high] if unc.bounded else [unc.mean if unc.distribution == "normal" else 1.0]
        if info is not None and _numeric_kind(info.annotation) is int:
            probes = [int(round(v)) for v in probes]  # type: ignore[arg-type]  # as the plan applies them
        for value in probes:
            trial = _copy(data)
            found = _apply(trial, path, value, study.path, loc, study.lines)
            found = found or _validate(trial, study, loc, f"the range end {value:g} (lever "
                                                          f"{study.spec.levers[i].name!r})")
            if found:
                return found
    return []


def _check_outputs(study: Study, lever_data: list[Any]) -> list[Problem]:
    spec = study.spec
    problems = []
    known: set[str] = set()
    metrics = set().union(*(metric_names(Scenario.model_validate(data, strict=True)) for data in lever_data))
    levers = [lever.name for lever in spec.levers]
    for i, out in enumerate(spec.outputs):
        loc = ("outputs", i)
        if out.name in known:
            problems.append(study.problem(f"two outputs are named {out.name!r}", *loc, "name"))
        if out.metric is not None and out.metric not in metrics:
            close = difflib.get_close_matches(out.metric, sorted(metrics), n=1, cutoff=0.6)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            problems.append(study.problem(f"unknown metric {out.metric!r}.{hint} Allowed: "
                                          f"{', '.join(sorted(metrics))}", *loc, "metric"))
        if out.minus is not None and out.minus not in levers:
            problems.append(study.problem(f"unknown lever {out.minus!r}. Allowed: {', '.join(levers)}",
                                          *loc, "minus"))
        for ref in out.ratio or []:
            if ref not in known:
                problems.append(study.problem(f"{ref!r} is not an earlier output. Allowed: "
                                              f"{', '.join(sorted(known)) or '(none yet)'}", *loc, "ratio"))
        if out.at != "final" and spec.store.keep_months == "final":
            problems.append(study.problem(f"at: {out.at} needs every month, but store.keep_months is final. Allowed: "
                                          "at: final, or store.keep_months: all", *loc, "at"))
        if isinstance(out.at, int) and not isinstance(out.at, bool):
            months = min(d["months"] for d in lever_data)
            if out.at > months and "months" not in spec.factors and "months" not in spec.uncertainties:
                problems.append(study.problem(f"month {out.at} is after the horizon ({months} months)", *loc, "at"))
        known.add(out.name)
    an = spec.analysis
    for key in ("scaling", "scaling_cost"):
        ref = getattr(an, key)
        if ref is not None and ref not in known:
            problems.append(study.problem(f"{ref!r} is not an output. Allowed: {', '.join(sorted(known))}",
                                          "analysis", key))
    return problems


# ---- helpers ---------------------------------------------------------------------------------------------------
def field_info(data: dict[str, Any], path: str):
    """The pydantic field a dotted path names (intervention params included), or None if there is none."""
    from simulation.core.interventions import REGISTRY

    path = resolve_path(data, path)
    if path is None:
        return None
    keys = path.split(".")
    if len(keys) >= 4 and keys[0] == "interventions" and keys[2] == "params" and keys[1].isdigit():
        specs = data.get("interventions", [])
        i = int(keys[1])
        if i >= len(specs) or specs[i].get("type") not in REGISTRY:
            return None
        info, _ = field_at(REGISTRY.params(specs[i]["type"]), tuple(keys[3:]))
        return info
    info, _ = field_at(Scenario, tuple(int(k) if k.isdigit() else k for k in keys))
    return info


def _numeric_kind(annotation: Any) -> type | None:
    import typing

    args = typing.get_args(annotation) or (annotation,)
    kinds = [a for a in args if a in (int, float)]
    return float if float in kinds else (int if kinds else None)


def is_integer_field(data: dict[str, Any], path: str) -> bool:
    info = field_info(data, path)
    return info is not None and _numeric_kind(info.annotation) is int


def _apply(data: dict[str, Any], path: str, value: Any, name: str, loc: Loc, lines: dict[Loc, int]) -> list[Problem]:
    """Set a dotted path, or say why it does not exist (with the closest field names)."""
    missing = set_value(data, path, _copy(value), also=DERIVED)
    return [Problem(name, missing, dotted(loc), line_at(lines, loc))] if missing else []


def _validate(data: dict[str, Any], study: Study, loc: tuple, what: str = "") -> list[Problem]:
    try:
        validate_data(_copy(data), study.path)
    except ScenarioFileError as exc:
        prefix = f"{what}: " if what else ""
        return [study.problem(f"{prefix}{p.field}: {p.message}" if p.field else prefix + p.message, *loc)
                for p in exc.problems]
    return []


def _prefixed(p: Problem, prefix: str) -> Problem:
    return Problem(p.file, p.message, f"{prefix}.{p.field}" if p.field else prefix, p.line)


def _copy(value: Any) -> Any:
    """A deep copy of plain YAML data (dicts, lists, scalars), much faster than copy.deepcopy."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value

