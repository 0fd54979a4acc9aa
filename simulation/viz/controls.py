"""From the app's sidebar to scenarios: business as usual and up to two strategies, on one seed and one budget.

The sidebar's state is one plain dict (:func:`initial_controls`): the community sliders, and for strategy A and B
the choice (an intervention type, the scenario file's own interventions, or none) and that intervention's own
parameters as text. The parameters listed are the fields of the intervention's ``Params`` model - the schema
``leadsim interventions`` prints and scenario files are checked against - so nothing is listed twice; each text is
read as YAML (as ``--set`` values are) and the scenario is checked by :func:`~simulation.scenario_files.validate_data`,
so a bad value gets the message a file would: the field, what was given, and what is allowed.

:class:`AppModel` is the Mesa model SolaraViz holds: it builds one :class:`~simulation.LeadershipModel` per run
from the controls it is given and steps them together. SolaraViz's Reset calls ``AppModel(controls=...)`` with the
sidebar's live state, so Reset applies exactly what the sidebar shows.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from mesa import Model

from simulation.core.interventions import REGISTRY, SELECTIONS
from simulation.core.model import LeadershipModel
from simulation.core.scenario import Scenario
from simulation.problems import ScenarioFileError
from simulation.scenario_files import describe, parse_yaml, validate_data

from .runs import BAU, LiveRun

NONE = "none"
DEFAULT_BUDGET = 600_000.0  # the shared budget of the intervention files in scenarios/interventions/
SIDEBAR = "sidebar"
FRAME_WAIT_S = 10.0  # the longest a step waits for the page to show the previous one


@dataclass(frozen=True)
class Sources:
    """What the app opened: the scenario file (population, community, its interventions: strategy A) and an
    optional second file (its interventions: strategy B)."""

    base: Scenario
    file_a: str = "the scenario file"
    second: Scenario | None = None
    file_b: str | None = None


def as_in(name: str) -> str:
    return f"as in {name}"


@dataclass(frozen=True)
class ParamField:
    """One parameter of an intervention, from its ``Params`` model: name, default, allowed values, help."""

    name: str
    default: Any
    allowed: str
    help: str
    choices: tuple[str, ...] = ()


def param_fields(kind: str) -> list[ParamField]:
    """The parameters intervention ``kind`` takes (the fields of its ``Params`` model, as the CLI lists them)."""
    out = []
    for name, info in REGISTRY[kind].Params.model_fields.items():
        choices = tuple(SELECTIONS) if name == "selection" else ()
        allowed = f"one of {', '.join(SELECTIONS)}" if choices else describe(info)
        out.append(ParamField(name, info.get_default(call_default_factory=True), allowed, info.description or "",
                              choices))
    return out


def as_text(value: Any) -> str:
    """A parameter's value as the text its input shows (YAML: empty for none)."""
    return "" if value is None else str(value)


# ---- strategies ---------------------------------------------------------------------------------------------
def strategy_choices(sources: Sources, which: str) -> list[str]:
    """Strategy ``which`` (A or B): its file's own interventions (if any), none, then every registered type."""
    own = sources.base if which == "A" else sources.second
    name = sources.file_a if which == "A" else sources.file_b
    head = [as_in(name)] if own is not None and own.interventions else []
    return head + [NONE] + sorted(t for t in REGISTRY if t != "null")


def _own_specs(sources: Sources, which: str) -> list[dict[str, Any]]:
    own = sources.base if which == "A" else sources.second
    return [spec.model_dump(exclude_defaults=True) for spec in own.interventions] if own is not None else []


def base_specs(sources: Sources, which: str, choice: str) -> list[dict[str, Any]]:
    """The interventions strategy ``which`` runs for ``choice``, before the sidebar's parameter edits. A type the
    file also has keeps the file's parameters for it; others start from their defaults."""
    if choice == NONE:
        return []
    own = _own_specs(sources, which)
    if choice.startswith("as in "):
        return own
    found = next((s for s in own + _own_specs(sources, "A") if s["type"] == choice), None)
    if found is not None:
        return [{"type": choice, "label": found.get("label"), "params": dict(found.get("params", {}))}]
    return [{"type": choice}]


def editable_kind(specs: list[dict[str, Any]]) -> str | None:
    """The intervention whose parameters the sidebar edits: the strategy's only one (None for a portfolio)."""
    return specs[0]["type"] if len(specs) == 1 else None


def params_text(specs: list[dict[str, Any]]) -> dict[str, str]:
    """The parameter inputs' starting texts: the spec's own values over the type's defaults."""
    kind = editable_kind(specs)
    if kind is None:
        return {}
    given = specs[0].get("params") or {}
    return {f.name: as_text(given.get(f.name, f.default)) for f in param_fields(kind)}


def choose(values: dict[str, Any], which: str, choice: str) -> dict[str, Any]:
    """The controls with strategy ``which`` set to ``choice`` (its parameter inputs start again from it)."""
    specs = base_specs(values["sources"], which, choice)
    return {**values, f"strategy_{which}": choice, f"params_{which}": params_text(specs)}


def initial_controls(sources: Sources) -> dict[str, Any]:
    """The sidebar's first state: the file's values (strategy A as in the file, B none or as in the second file)."""
    base = sources.base
    budget = base.budget if base.budget is not None else DEFAULT_BUDGET
    values: dict[str, Any] = {
        "sources": sources, "budget_thousands": int(round(budget / 1e3)),
        "unbudgeted": base.budget is None and bool(base.interventions),
        "complementarity": float(base.community.complementarity),
        "manager_support": float(base.population.manager_support_mean),
        "people": int(base.population.people), "months": int(base.months), "seed": int(base.seed)}
    values = choose(values, "A", strategy_choices(sources, "A")[0])
    return choose(values, "B", strategy_choices(sources, "B")[0] if sources.second is not None else NONE)


# ---- from controls to scenarios ----------------------------------------------------------------------------
def _edited_specs(values: dict[str, Any], which: str, where: str) -> list[dict[str, Any]]:
    specs = base_specs(values["sources"], which, values[f"strategy_{which}"])
    kind = editable_kind(specs)
    texts = values.get(f"params_{which}") or {}
    if kind is None or not texts:
        return specs
    params = {}
    for name, text in texts.items():
        params[name], _ = parse_yaml(str(text), f"{where}: {kind}.{name}")
    spec = {k: v for k, v in specs[0].items() if v is not None}
    return [{**spec, "params": params}]


def _scenario(values: dict[str, Any], name: str, specs: list[dict[str, Any]], where: str) -> Scenario:
    data = values["sources"].base.model_dump(mode="python")
    data.update(name=name, months=int(values["months"]), seed=int(values["seed"]), interventions=specs,
                budget=None if values["unbudgeted"] or not specs else float(values["budget_thousands"]) * 1000.0)
    data["replications"] = 1
    data["population"]["people"] = int(values["people"])
    data["population"]["manager_support_mean"] = float(values["manager_support"])
    data["community"]["complementarity"] = float(values["complementarity"])
    return validate_data(data, where)


def strategy_name(values: dict[str, Any], which: str) -> str:
    """What strategy ``which`` is, in words: the intervention's name, the file's own, or none."""
    choice = values[f"strategy_{which}"]
    if choice.startswith("as in "):
        own = values["sources"].base if which == "A" else values["sources"].second
        return " + ".join(s.name for s in own.interventions) if own is not None else choice
    return choice


def scenarios_from_controls(values: dict[str, Any]) -> dict[str, Scenario]:
    """The runs the controls describe, by role: business as usual, then strategies A and B (those not none).
    Raises :class:`~simulation.problems.ScenarioFileError` with every problem, as for a file.

    >>> from simulation.viz.controls import Sources, choose, initial_controls, scenarios_from_controls
    >>> values = choose(initial_controls(Sources(Scenario(population={"people": 300}))), "A", "hosting")
    >>> values["params_A"]["every_months"] = "3"
    >>> runs = scenarios_from_controls(values)
    >>> list(runs), runs["A"].interventions[0].params["every_months"], runs["A"].seed == runs[BAU].seed
    (['business as usual', 'A'], 3, True)
    """
    problems = []
    out: dict[str, Scenario] = {}
    base_name = values["sources"].base.name
    try:
        out[BAU] = _scenario(values, f"{base_name} · business as usual", [], SIDEBAR)
    except ScenarioFileError as exc:
        problems += exc.problems
    for which in ("A", "B"):
        if values[f"strategy_{which}"] == NONE:
            continue
        where = f"{SIDEBAR}, strategy {which}"
        try:
            specs = _edited_specs(values, which, where)
            out[which] = _scenario(values, f"{base_name} · {strategy_name(values, which)}", specs, where)
        except ScenarioFileError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioFileError(problems)
    return out


def controls_problem(values: dict[str, Any]) -> str | None:
    """What is wrong with the controls (every problem, one per line), or None."""
    try:
        scenarios_from_controls(values)
    except ScenarioFileError as exc:
        return str(exc)
    return None


class AppModel(Model):
    """Business as usual and the strategies, built from the controls and stepped together on one seed.

    ``controls``: the sidebar's state (a dict, or anything holding it in ``.value`` - SolaraViz passes the
    sidebar's reactive state, read at Reset). When the controls have a problem, nothing runs: ``problem`` holds
    the message and ``runs`` is empty.
    """

    def __init__(self, controls: Any = None) -> None:
        values = getattr(controls, "value", controls)
        if values is None:
            values = initial_controls(Sources(Scenario()))
        super().__init__(rng=int(values["seed"]))
        self.lock = threading.RLock()  # held by a step and by the views that read the runs (Play steps in a thread)
        self.shown: threading.Event | None = None  # a page showing this model sets it once it shows a step
        self.controls = dict(values)
        self.problem: str | None = None
        self.runs: list[LiveRun] = []
        try:
            scenarios = scenarios_from_controls(values)
        except ScenarioFileError as exc:
            self.problem = str(exc)
            self.running = False
            return
        self.runs = [LiveRun(role, strategy_name(values, role) if role != BAU else BAU,
                             LeadershipModel(s, rng=s.seed)) for role, s in scenarios.items()]

    def watch(self) -> threading.Event:
        """The event a page sets whenever it has shown a step (created on the first call)."""
        if self.shown is None:
            self.shown = threading.Event()
            self.shown.set()
        return self.shown

    @property
    def network_model(self) -> LeadershipModel | None:
        """The model whose network the page draws: strategy A's (else the first strategy's, else BAU's)."""
        runs = [r for r in self.runs if r.role != BAU] or self.runs
        return runs[0].model if runs else None

    def step(self) -> None:
        """One month of every run. While playing, Mesa's controller steps in a thread of its own every play
        interval; when a page shows this model (:meth:`watch`), a step first waits (at most :data:`FRAME_WAIT_S`)
        until it has shown the previous one, so the model never runs ahead of the pictures and the page keeps up
        (a render interrupted by new steps again and again would never reach the browser)."""
        if self.shown is not None:
            self.shown.wait(timeout=FRAME_WAIT_S)
            self.shown.clear()
        with self.lock:
            for run in self.runs:
                if run.model.running:
                    run.model.step()
        self.running = any(r.model.running for r in self.runs)
