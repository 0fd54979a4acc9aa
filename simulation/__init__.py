"""leadsim: leader development versus leadership development, and how each scales to community results.

>>> import simulation
>>> table = simulation.run(simulation.Scenario(population={"people": 200}, months=2), replications=1)
>>> "community_result" in set(table.metric)
True
"""

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
from .runner import run, run_one, wide
from .scenario_files import ScenarioFileError, load_scenario

__version__ = "0.1.0"

PLOTS = {"plot_community": "community_figure", "plot_levels": "levels_figure", "plot_change": "change_figure",
         "plot_comparison": "compare_figure", "plot_sensitivity": "sensitivity_figure",
         "plot_main_effects": "main_effects_figure", "plot_scaling": "scaling_figure", "plot_cost": "cost_figure"}
"""``simulation.plot_NAME`` -> the function of :mod:`simulation.plots` it names (each returns a Figure)."""

__all__ = [
    "CAPACITIES", "REGISTRY", "SELECTIONS", "Collective", "Initiative", "Intervention", "InterventionParams",
    "InterventionSpec", "LeadershipModel", "Organization", "Person", "Scenario", "ScenarioFileError",
    "compare_scenarios", "intervention_class", "load_scenario", "paired_comparison", "register", "run", "run_one",
    "wide", *PLOTS,
]


def __getattr__(name: str):
    """``simulation.plot_*``: the figure functions of :mod:`simulation.plots`, imported at first use."""
    if name in PLOTS:
        from . import plots

        return getattr(plots, PLOTS[name])
    raise AttributeError(f"module 'simulation' has no attribute {name!r}")
