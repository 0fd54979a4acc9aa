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

__all__ = [
    "CAPACITIES", "REGISTRY", "SELECTIONS", "Collective", "Initiative", "Intervention", "InterventionParams",
    "InterventionSpec", "LeadershipModel", "Organization", "Person", "Scenario", "ScenarioFileError",
    "compare_scenarios", "intervention_class", "load_scenario", "paired_comparison", "register", "run", "run_one",
    "wide",
]
