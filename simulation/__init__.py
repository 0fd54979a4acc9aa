"""leadsim: leader development versus leadership development, and how each scales to community results.

>>> import simulation
>>> table = simulation.run(simulation.Scenario(population={"people": 200}, months=2), replications=1)
>>> "community_result" in set(table.metric)
True
"""

from . import compiled  # noqa: F401  (first: it chooses numba's cache folder before numba is imported)
from .agents import Collective, Organization, Person
from .initiatives import Initiative
from .interventions import (
    REGISTRY,
    SELECTIONS,
    Intervention,
    InterventionParams,
    intervention_class,
    register,
)
from .model import LeadershipModel
from .people import CAPACITIES
from .runner import run, run_one, wide
from .scenario import InterventionSpec, Scenario

__version__ = "0.1.0"

# Analysis helpers, imported when first used: what ``import simulation`` loads is what a run's numbers depend on,
# and the studies' code version (simulation/studies/runkeys.py) hashes exactly that.
_LAZY = {"compare_scenarios": ".compare", "paired_comparison": ".compare", "load_scenario": ".scenario_files",
         "ScenarioFileError": ".scenario_files"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CAPACITIES", "REGISTRY", "SELECTIONS", "Collective", "Initiative", "Intervention", "InterventionParams",
    "InterventionSpec", "LeadershipModel", "Organization", "Person", "Scenario", "ScenarioFileError",
    "compare_scenarios", "intervention_class", "load_scenario", "paired_comparison", "register", "run", "run_one",
    "wide",
]
