"""leadsim: leader development versus leadership development, and how each scales to community results.

>>> import simulation
>>> table = simulation.run(simulation.Scenario(population={"people": 200}, months=2), replications=1)
>>> "community_result" in set(table.metric)
True

The public names load on first use (PEP 562 ``__getattr__``): ``import simulation`` alone imports neither the
model (Mesa, numba) nor pandas, so that ``leadsim --help`` - the command line is ``simulation.cli`` - and any
tool that needs one small part start fast. ``sim.Scenario`` or ``from simulation import run`` imports what that
name needs, once.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    ".compare": ("compare_scenarios", "paired_comparison"),
    ".core.agents": ("Collective", "Organization", "Person"),
    ".core.initiatives": ("Initiative",),
    ".core.interventions": ("REGISTRY", "SELECTIONS", "Intervention", "InterventionParams", "intervention_class",
                            "register"),
    ".core.model": ("LeadershipModel",),
    ".core.people": ("CAPACITIES",),
    ".core.scenario": ("InterventionSpec", "Scenario"),
    ".posterior": ("Posterior", "load_posterior"),
    ".runner": ("run", "run_one", "wide"),
    ".scenario_files": ("ScenarioFileError", "load_scenario"),
}
"""Where each public name lives: module (relative to this package) -> names."""

_HOME = {name: module for module, names in _EXPORTS.items() for name in names}

PLOTS = {"plot_community": "community_figure", "plot_levels": "levels_figure", "plot_change": "change_figure",
         "plot_comparison": "compare_figure", "plot_sensitivity": "sensitivity_figure",
         "plot_main_effects": "main_effects_figure", "plot_scaling": "scaling_figure", "plot_cost": "cost_figure"}
"""``simulation.plot_NAME`` -> the function of :mod:`simulation.plots` it names (each returns a Figure)."""

__all__ = [
    "CAPACITIES", "REGISTRY", "SELECTIONS", "Collective", "Initiative", "Intervention", "InterventionParams",
    "InterventionSpec", "LeadershipModel", "Organization", "Person", "Posterior", "Scenario", "ScenarioFileError",
    "compare_scenarios", "intervention_class", "load_posterior", "load_scenario", "paired_comparison", "register",
    "run", "run_one", "wide", *PLOTS,
]

if TYPE_CHECKING:  # what editors and type checkers see: the same names, imported eagerly
    from .compare import compare_scenarios, paired_comparison
    from .core.agents import Collective, Organization, Person
    from .core.initiatives import Initiative
    from .core.interventions import (
        REGISTRY,
        SELECTIONS,
        Intervention,
        InterventionParams,
        intervention_class,
        register,
    )
    from .core.model import LeadershipModel
    from .core.people import CAPACITIES
    from .core.scenario import InterventionSpec, Scenario
    from .posterior import Posterior, load_posterior
    from .runner import run, run_one, wide
    from .scenario_files import ScenarioFileError, load_scenario


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is used, and keep the name here."""
    if name in PLOTS:  # simulation.plot_*: the figure functions of simulation.plots
        from . import plots

        return getattr(plots, PLOTS[name])
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'simulation' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME) | set(PLOTS))
