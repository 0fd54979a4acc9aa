"""The browser app: Mesa's SolaraViz with leadsim's controls and views.

Start it with ``leadsim viz [FILE]`` (see :mod:`simulation.viz.server`), or ``solara run simulation/viz/app.py``
(then the scenario is ``$LEADSIM_VIZ_SCENARIO``, else ``scenarios/baseline.yaml``). In a notebook, display
``Page()``.

How the controls reach the model: SolaraViz rebuilds the model on Reset by calling its class with the controls'
values as keyword arguments. :class:`AppModel` is that class: it maps the values into a validated
:class:`~simulation.Scenario` (:func:`scenario_from_controls`, starting from the file's scenario) and builds an
ordinary :class:`~simulation.LeadershipModel` from it, seeded by the seed control. So what the app shows is exactly
what ``leadsim run`` would compute for that scenario and seed; the app adds no data collection of its own (the
views read ``model.recorder``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import solara
from mesa.visualization import Slider, SolaraViz

from simulation.core.interventions import REGISTRY
from simulation.core.model import LeadershipModel
from simulation.core.scenario import Scenario
from simulation.scenario_files import load_scenario

from .components import Dashboard

SCENARIO_ENV = "LEADSIM_VIZ_SCENARIO"
AS_IN_FILE = "as in the scenario file"
NONE = "none"
DEFAULT_BUDGET = 600_000.0  # the shared budget of the intervention files in scenarios/interventions/
BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"

_configured: Scenario | None = None


# ---- from controls to a scenario -----------------------------------------------------------------------------
def intervention_choices(base: Scenario) -> list[str]:
    """The intervention menu: the file's own interventions (if any), none, then every registered type."""
    head = [AS_IN_FILE] if base.interventions else []
    return head + [NONE] + sorted(t for t in REGISTRY if t != "null")


def _spec_for(base: Scenario, kind: str) -> dict[str, Any]:
    """An intervention of type ``kind``: the file's own parameters for it if the file has one, else defaults.
    Its budget share is dropped, so a portfolio chosen in the app splits the budget equally."""
    for spec in base.interventions:
        if spec.type == kind:
            return {"type": kind, "label": spec.label, "params": dict(spec.params)}
    return {"type": kind}


def scenario_from_controls(base: Scenario, *, people: int, complementarity: float, manager_support: float,
                           intervention: str, second_intervention: str, budget_thousands: float,
                           unbudgeted: bool, months: int, seed: int) -> Scenario:
    """The scenario the controls describe, validated (an impossible combination raises pydantic's error).

    >>> s = scenario_from_controls(Scenario(), people=500, complementarity=0.8, manager_support=0.3,
    ...     intervention="mentoring", second_intervention="hosting", budget_thousands=300, unbudgeted=False,
    ...     months=24, seed=3)
    >>> [i.type for i in s.interventions], s.budget, s.population.people, s.seed
    (['mentoring', 'hosting'], 300000.0, 500, 3)
    """
    if intervention == AS_IN_FILE:
        specs = [spec.model_dump(exclude_defaults=True) for spec in base.interventions]
    elif intervention == NONE:
        specs = []
    else:
        specs = [_spec_for(base, intervention)]
    if second_intervention not in (NONE, AS_IN_FILE) and second_intervention not in [s["type"] for s in specs]:
        specs.append(_spec_for(base, second_intervention))
    data = base.model_dump()
    data.update(months=int(months), seed=int(seed), interventions=specs,
                budget=None if unbudgeted else float(budget_thousands) * 1000.0)
    data["population"]["people"] = int(people)
    data["population"]["manager_support_mean"] = float(manager_support)
    data["community"]["complementarity"] = float(complementarity)
    return Scenario.model_validate(data)


class AppModel(LeadershipModel):
    """A :class:`LeadershipModel` built from the app's controls (SolaraViz calls it with them on Reset).

    ``base`` is the scenario the controls start from (a scenario file); every other argument is one control.
    Mesa's own ``Model.scenario`` attribute is left alone: the parameters are in ``model.params`` as always.
    """

    def __init__(self, people: int = 2000, complementarity: float = 0.5, manager_support: float = 0.5,
                 intervention: str = NONE, second_intervention: str = NONE,
                 budget_thousands: float = DEFAULT_BUDGET / 1e3, unbudgeted: bool = False, months: int = 60,
                 seed: int = 0, base: Scenario | None = None) -> None:
        scenario = scenario_from_controls(
            base if base is not None else Scenario(), people=people, complementarity=complementarity,
            manager_support=manager_support, intervention=intervention, second_intervention=second_intervention,
            budget_thousands=budget_thousands, unbudgeted=unbudgeted, months=months, seed=seed)
        super().__init__(scenario, rng=int(seed))


def model_params(base: Scenario) -> dict[str, Any]:
    """SolaraViz's ``model_params``: one control per :class:`AppModel` argument, starting at the file's values."""
    pop = base.population
    budget = base.budget if base.budget is not None else DEFAULT_BUDGET
    choices = intervention_choices(base)
    return {
        "intervention": {"type": "Select", "label": "Intervention", "value": choices[0], "values": choices},
        "second_intervention": {"type": "Select", "label": "Second intervention", "value": NONE,
                                "values": [NONE] + [c for c in choices if c not in (AS_IN_FILE, NONE)]},
        "budget_thousands": Slider("Budget (thousands)", round(budget / 1e3), 0,
                                   max(5000, round(budget / 1e3)), 25, dtype=int),
        "unbudgeted": {"type": "Checkbox", "label": "Unbudgeted (sized by participants)",
                       "value": base.budget is None and bool(base.interventions)},
        "complementarity": Slider("Complementarity",
                                  base.community.complementarity, 0.0, 0.99, 0.01, dtype=float),
        "manager_support": Slider("Manager support",
                                  pop.manager_support_mean, 0.0, 1.0, 0.05, dtype=float),
        "people": Slider("Population", pop.people, 100, max(50_000, pop.people), 100, dtype=int),
        "months": Slider("Months", base.months, 6, max(240, base.months), 6, dtype=int),
        "seed": Slider("Seed", base.seed, 0, max(999, base.seed), 1, dtype=int),
        "base": base,  # fixed: not a control, passed to AppModel as it is
    }


def initial_values(params: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments the controls start at (what SolaraViz passes on the first Reset)."""
    out = {}
    for name, option in params.items():
        if isinstance(option, Slider):
            out[name] = option.value
        elif isinstance(option, dict) and "type" in option:
            out[name] = option["value"]
        else:
            out[name] = option
    return out


# ---- which scenario the app opens -----------------------------------------------------------------------------
def configure(scenario: Scenario, path: str | None = None) -> None:
    """Open ``scenario`` in every new browser session (``leadsim viz FILE`` calls this before serving)."""
    global _configured
    _configured = scenario
    if path is not None:
        os.environ[SCENARIO_ENV] = str(path)  # for a server that re-imports this module


def base_scenario() -> Scenario:
    """The configured scenario, else ``$LEADSIM_VIZ_SCENARIO``, else ``scenarios/baseline.yaml``."""
    if _configured is not None:
        return _configured
    path = os.environ.get(SCENARIO_ENV)
    if path:
        return load_scenario(path).scenario
    return load_scenario(BASELINE).scenario if BASELINE.is_file() else Scenario()


@solara.component
def Page():
    """The app: SolaraViz's controls in the sidebar (parameters, step, play/pause, reset), leadsim's views."""
    base = solara.use_memo(base_scenario, [])
    params = solara.use_memo(lambda: model_params(base), [])
    first = solara.use_memo(lambda: AppModel(**initial_values(params)), [])
    model = solara.use_reactive(first)  # ours, so Reset's new model reaches the Dashboard too
    SolaraViz(model, components=[], model_params=params, name=f"leadsim · {base.name}", play_interval=100)
    Dashboard(model.value)
