"""Shared fixtures: small scenarios that run in a fraction of a second."""

import pytest

from simulation import Scenario


@pytest.fixture
def small() -> Scenario:
    return Scenario(name="small", population={"people": 400}, months=24)
