"""The memory guard: its estimate against measured peaks, and the safety margin it keeps.

The estimate is checked at 2,000, 200,000 and 2,000,000 people (the last on a short horizon, to keep the test
short); benchmarks/bench_memory.py measures 20,000,000 the same way (``--sizes 20000000 --months 3``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from cli_support import BASELINE, SMALL, assert_refused, leadsim, tree
from studies_support import ROOT, write_study

from simulation.memory import MARGIN_MIN_BYTES, check_memory, estimate_memory, safety_margin
from simulation.scenario_files import load_scenario


def _bench():
    spec = importlib.util.spec_from_file_location("bench_memory", ROOT / "benchmarks" / "bench_memory.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="the peak is read from /proc (Linux)")
@pytest.mark.parametrize(("people", "months"), [(2_000, 60), (200_000, 60), (2_000_000, 3)])
def test_the_estimate_covers_the_measured_peak(people: int, months: int) -> None:
    """The peak resident memory of a fresh process running one replication (leadsim and its kernels loaded
    included) stays below the estimate for one process - and the estimate is not wildly above it."""
    measured = _bench().measure(BASELINE, people, months)
    assert measured["peak"] <= measured["estimate"] <= 2.5 * measured["peak"], measured


@pytest.mark.parametrize("values", [{}, {"population.people": 20}, {"population.people": 300, "months": 600},
                                    {"network.work_degree": 0.0, "network.community_degree": 0.0,
                                     "network.cross_org_degree": 0.0},
                                    {"network.work_degree": 100.0, "network.community_degree": 50.0,
                                     "network.cross_org_degree": 50.0},
                                    {"population.people": 5_000, "interventions": [{"type": "hosting"}]}])
def test_the_bound_from_the_declarations_covers_the_estimate(values: dict) -> None:
    """bound_memory (validate's, without the model) is at least estimate_memory (the probe's) in every part, and
    its constants are the core's: a People slot's bytes, the slots at set-up, a tie's bytes, the metrics."""
    from simulation.core.metrics import METRICS
    from simulation.core.model import LeadershipModel
    from simulation.core.network import Ties
    from simulation.core.scenario import Scenario
    from simulation.memory import METRICS_AT_MOST, SLOTS_PER_PERSON, TIE_BYTES, bound_memory

    scenario = Scenario().with_values(values)
    bound, estimate = bound_memory(scenario, workers=2), estimate_memory(scenario, workers=2)
    assert bound.per_person >= estimate.per_person and bound.tables >= estimate.tables
    assert bound.total >= estimate.total and bound.processes == estimate.processes
    model = LeadershipModel(scenario.with_values({"months": 1}), person_agents=False)
    assert model.people.size <= SLOTS_PER_PERSON * scenario.population.people
    assert 2 * sum(np.dtype(d).itemsize for d in Ties._DTYPES) == TIE_BYTES
    assert sum(len(level) for level in METRICS.values()) <= METRICS_AT_MOST


def test_validate_reports_the_bound_for_a_small_run_and_measures_a_large_one(tmp_path: Path) -> None:
    small = leadsim("validate", BASELINE, cwd=tmp_path)
    assert small.returncode == 0 and "; memory at most " in small.stdout, small.stderr
    large = leadsim("validate", BASELINE, "--set", "population.people=200000", cwd=tmp_path)
    assert large.returncode == 0 and "; memory about " in large.stdout, large.stderr


def test_the_margin_is_a_tenth_of_what_is_available_and_at_least_a_gigabyte() -> None:
    assert safety_margin(4e9) == MARGIN_MIN_BYTES == 1e9
    assert safety_margin(24e9) == pytest.approx(2.4e9)


def _limit_within_margin(workers: int) -> str:
    """A LEADSIM_MEMORY_LIMIT the small run fits into, but without the margin to spare."""
    source = load_scenario(BASELINE, {"population.people": 300, "months": 12})
    return str(int(estimate_memory(source.scenario, 1, workers).total + 0.5 * MARGIN_MIN_BYTES))


def test_a_run_that_fits_only_without_the_margin_is_refused(tmp_path: Path) -> None:
    result = leadsim("run", BASELINE, *SMALL, "-r", "1", cwd=tmp_path,
                     env={"LEADSIM_MEMORY_LIMIT": _limit_within_margin(1)})
    assert_refused(result, "population.people", "LEADSIM_MEMORY_LIMIT", "safety margin", "--allow-large")
    assert tree(tmp_path) == set()  # nothing written


def test_a_sweep_that_fits_only_without_the_margin_is_refused(tmp_path: Path) -> None:
    study = write_study(tmp_path, scenario={"months": 12, "population": {"people": 300}})
    result = leadsim("sweep", study, "--workers", "1", "--out", tmp_path / "out", cwd=tmp_path,
                     env={"LEADSIM_MEMORY_LIMIT": _limit_within_margin(1)})
    assert_refused(result, "population.people", "safety margin", "--allow-large")
    assert tree(tmp_path) == {"study.yaml"}  # nothing written


def test_a_run_with_the_margin_to_spare_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    source = load_scenario(BASELINE, {"population.people": 300, "months": 12})
    needed = estimate_memory(source.scenario, 1, 1).total
    monkeypatch.setattr("simulation.memory.available_memory", lambda: (needed + 2e9, "a test"))
    assert check_memory(source, 1, 1).total == needed


def test_the_reported_case_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14: 20,000,000 people, 2 workers, 2 replications, with 24.1 GB available, was let through and a
    worker was killed at 12.2 GiB."""
    from simulation.problems import ScenarioFileError

    source = load_scenario(BASELINE, {"population.people": 20_000_000})
    monkeypatch.setattr("simulation.memory.available_memory", lambda: (24.1e9, "MemAvailable"))
    with pytest.raises(ScenarioFileError, match="safety margin"):
        check_memory(source, 2, 2)
