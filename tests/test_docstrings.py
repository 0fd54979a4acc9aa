"""The examples in the public API's docstrings run and print what they say (doctest), from the repository root."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = ["simulation", "simulation.core.agents", "simulation.compare", "simulation.core.interventions.base",
           "simulation.core.model", "simulation.runner", "simulation.core.scenario", "simulation.scenario_files",
           "simulation.viz.app"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # examples name files such as scenarios/baseline.yaml
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (see above)"
    assert result.attempted > 0, f"{name} has no docstring example"


def test_every_public_function_and_class_has_a_docstring() -> None:
    """Constants (CAPACITIES, REGISTRY...) are left out: they would show their type's docstring and always pass."""
    import simulation

    public = [n for n in simulation.__all__ if callable(getattr(simulation, n))]
    missing = [n for n in public if not (getattr(simulation, n).__doc__ or "").strip()]
    assert not missing, f"public names without a docstring: {missing}"
