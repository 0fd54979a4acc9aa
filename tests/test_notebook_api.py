"""The Python API a notebook uses: ``sim.run(..., workers=N)``, ``model.datacollector`` for ``mesa.batch_run``."""

from __future__ import annotations

import multiprocessing

import mesa
import pandas as pd
import pytest

import simulation as sim

SMALL = sim.Scenario(population={"people": 200}, months=4)


def test_run_on_worker_processes_gives_the_same_table() -> None:
    seen: list[int] = []
    table = sim.run(SMALL, replications=3, seed=4, workers=2, progress=lambda r, seconds: seen.append(r))
    pd.testing.assert_frame_equal(table, sim.run(SMALL, replications=3, seed=4))
    assert sorted(seen) == [0, 1, 2]
    with pytest.raises(ValueError, match="workers=0"):
        sim.run(SMALL, replications=1, workers=0)


def test_datacollector_is_a_mesa_view_of_the_recorded_metrics() -> None:
    model = sim.LeadershipModel(SMALL, rng=3)
    model.run_for(2)
    collector = model.datacollector
    assert isinstance(collector, mesa.DataCollector)
    frame = collector.get_model_vars_dataframe()
    expected = sim.wide(model.metrics().assign(scenario="s")).drop(columns=["scenario", "month"])
    pd.testing.assert_frame_equal(frame, expected[frame.columns], check_dtype=False)
    assert len(frame) == 3 and collector._collection_steps == [0, 1, 2]  # months 0..2 so far


@pytest.fixture
def start_method():
    """mesa.batch_run forces the "spawn" start method on the whole process; put the previous one back."""
    previous = multiprocessing.get_start_method(allow_none=True)
    yield
    multiprocessing.set_start_method(previous, force=True)


def test_mesa_batch_run_runs_the_model(start_method: None) -> None:
    other = SMALL.with_values({"community.complementarity": 0.9})
    rows = mesa.batch_run(sim.LeadershipModel, parameters={"scenario": [SMALL, other]}, rng=[5, 6],
                          data_collection_period=1, display_progress=False)
    frame = pd.DataFrame(rows)
    assert len(frame) == 2 * 2 * (SMALL.months + 1) and sorted(frame["Step"].unique()) == list(range(5))
    for (scenario, seed), runs in frame.groupby([frame["scenario"].map(id), "rng"]):
        scenario = SMALL if scenario == id(SMALL) else other
        expected = sim.wide(sim.run_one(scenario, seed).assign(scenario="s"))
        got = runs.sort_values("Step")
        for metric in ("community_result", "mean_capacity", "ties"):
            assert got[metric].tolist() == expected[metric].tolist()
    final = pd.DataFrame(mesa.batch_run(sim.LeadershipModel, parameters={"scenario": [SMALL]}, rng=[5],
                                        display_progress=False))
    assert final["Step"].tolist() == [SMALL.months]
