"""The browser app's logic without a browser: controls to scenarios, business as usual beside the strategies,
intervention parameters from their schema, messages as for files, replay of results folders, the CSV table, the
charts' axes, and `leadsim viz`'s command-line answers (the browser itself: tests/test_viz_browser.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_support import ROOT, SMALL, TRAINING, assert_refused, leadsim

from simulation.core.interventions import REGISTRY
from simulation.core.scenario import Scenario
from simulation.problems import ScenarioFileError
from simulation.scenario_files import load_scenario
from simulation.viz.charts import CHANGE, FIT, FULL, TIME_CHARTS, CommunityChart, fit_limits, summary_text
from simulation.viz.controls import (
    NONE,
    AppModel,
    Sources,
    choose,
    controls_problem,
    initial_controls,
    param_fields,
    scenarios_from_controls,
    strategy_choices,
)
from simulation.viz.runs import BAU, ReplayError, load_replay, paired_difference, runs_table

SMALL_SCENARIO = Scenario(name="small", months=12, seed=4, budget=100_000.0, population={"people": 300},
                          interventions=[{"type": "hosting", "params": {"every_months": 2}}])


def small_controls(**changes) -> dict:
    return {**initial_controls(Sources(SMALL_SCENARIO, "small.yaml")), **changes}


# ---- business as usual beside the strategies ------------------------------------------------------------------
def test_business_as_usual_runs_beside_the_strategy_on_the_same_seed() -> None:
    app = AppModel(small_controls())
    assert [r.role for r in app.runs] == [BAU, "A"]
    bau, strategy = (r.model for r in app.runs)
    assert bau.params.interventions == [] and bau.params.seed == strategy.params.seed == 4
    for _ in range(6):
        app.step()
    bau_run, run = app.runs
    first = runs_table(app.runs)
    month0 = first[first.month == 0].pivot(index="metric", columns="scenario", values="value")
    shared = [m for m in month0.index if "." not in m or m.startswith("lever.")]
    assert np.array_equal(month0.loc[shared, bau_run.label], month0.loc[shared, run.label])  # same community
    assert run.latest("people_reached") > 0 == bau_run.latest("people_reached")
    _, diff = paired_difference(run, bau_run, "engaged_share")
    assert diff[0] == 0 and np.any(diff != 0)  # the strategy's own difference, exactly zero before it acts


def test_two_strategies_share_the_budget_and_seed() -> None:
    values = choose(small_controls(), "B", "mentoring")
    runs = scenarios_from_controls(values)
    assert list(runs) == [BAU, "A", "B"]
    assert runs["A"].budget == runs["B"].budget == 100_000.0
    assert [s.type for s in runs["B"].interventions] == ["mentoring"]
    assert len({s.seed for s in runs.values()}) == 1


def test_a_second_file_is_strategy_b() -> None:
    second = Scenario(name="other", interventions=[{"type": "mentoring"}])
    sources = Sources(SMALL_SCENARIO, "small.yaml", second, "other.yaml")
    values = initial_controls(sources)
    assert values["strategy_A"] == "as in small.yaml" and values["strategy_B"] == "as in other.yaml"
    assert [s.type for s in scenarios_from_controls(values)["B"].interventions] == ["mentoring"]
    assert strategy_choices(sources, "B")[:2] == ["as in other.yaml", NONE]


# ---- an intervention's own parameters -----------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_parameter_inputs_are_the_schema_fields(kind: str) -> None:
    assert [f.name for f in param_fields(kind)] == list(REGISTRY[kind].Params.model_fields)


def test_parameter_inputs_start_from_the_file_and_change_the_run() -> None:
    values = small_controls()
    assert values["params_A"]["every_months"] == "2"  # the file's value, not the default
    values["params_A"] = {**values["params_A"], "every_months": "5", "cost_per_participant": "120"}
    hosting = scenarios_from_controls(values)["A"].interventions[0].params
    assert hosting["every_months"] == 5 and hosting["cost_per_participant"] == 120


def test_a_bad_parameter_gets_the_message_a_file_gets(tmp_path: Path) -> None:
    values = small_controls()
    values["params_A"] = {**values["params_A"], "every_months": "0"}
    with pytest.raises(ScenarioFileError) as sidebar:
        scenarios_from_controls(values)
    file = tmp_path / "bad.yaml"
    file.write_text("interventions:\n  - type: hosting\n    params: {every_months: 0}\n", encoding="utf-8")
    with pytest.raises(ScenarioFileError) as from_file:
        load_scenario(file)
    (got,), (want,) = sidebar.value.problems, from_file.value.problems
    assert (got.field, got.message) == (want.field, want.message)
    assert got.file == "sidebar, strategy A" and "Allowed: an integer from 1" in got.message
    app = AppModel(values)  # Reset with a bad value: nothing runs, and the page says why
    assert app.runs == [] and "every_months" in app.problem and not app.running


def test_reset_reads_the_sidebar_state_it_is_given() -> None:
    class Holder:  # what SolaraViz hands over: the sidebar's reactive state, read when Reset is pressed
        value = small_controls()

    Holder.value = {**choose(Holder.value, "A", "mentoring"), "people": 200, "seed": 9}
    app = AppModel(controls=Holder)
    strategy = app.runs[1].model.params
    assert [s.type for s in strategy.interventions] == ["mentoring"]
    assert strategy.population.people == 200 and strategy.seed == 9 and app.runs[0].model.params.seed == 9
    assert controls_problem(Holder.value) is None


# ---- charts: axes, change view, honest labels -----------------------------------------------------------------
def test_fitted_axes_show_a_small_effect_and_the_full_scale_is_a_toggle() -> None:
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    values = np.array([0.180, 0.181, 0.182])
    assert fit_limits(ax, values, FIT)
    low, high = ax.get_ylim()
    assert low <= 0.180 and high >= 0.182 and high - low < 0.01  # a +0.002 change fills the axis
    assert not fit_limits(ax, values, FIT)  # unchanged data: the background is kept
    assert fit_limits(ax, values, FULL) and ax.get_ylim() == (0.0, 1.02)


def test_every_chart_draws_every_scale_and_the_change_view_starts_at_zero() -> None:
    app = AppModel(choose(small_controls(months=6), "B", "mentoring"))
    for _ in range(3):
        app.step()
    for kind, _ in TIME_CHARTS.values():
        for scale in (FIT, FULL, CHANGE):
            assert kind(app.runs, scale).png()[:4] == b"\x89PNG"
    chart = CommunityChart(app.runs, CHANGE)
    chart.png()
    assert all(line.get_ydata()[0] == 0 for line, _, level in chart._series if level)


def test_reach_says_how_many_of_the_people_reached_have_left() -> None:
    app = AppModel(small_controls(months=12))
    for _ in range(12):
        app.step()
    run = app.runs[1]
    model = run.model
    reached = np.unique(np.concatenate([iv.reached_ids for iv in model.interventions]))
    left = int((~model.people.alive[reached]).sum())
    assert run.reached_left() == left
    assert f"{len(reached):,} people reached, of whom {left:,} have left" in summary_text(app.runs)
    assert "business as usual" in summary_text(app.runs) and "change " in summary_text(app.runs)


def test_the_csv_table_is_each_models_own_metrics() -> None:
    app = AppModel(small_controls())
    for _ in range(3):
        app.step()
    table = runs_table(app.runs)
    assert list(table.columns) == ["scenario", "replication", "seed", "month", "metric", "value"]
    for run in app.runs:
        mine = table[table.scenario == run.label].drop(columns=["scenario", "replication", "seed"])
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), run.model.metrics().reset_index(drop=True))


# ---- replay -------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("replay")
    none = folder / "none.yaml"
    none.write_text("name: none\n", encoding="utf-8")
    result = leadsim("compare", none, TRAINING, *SMALL, "--replications", "2", "--out", folder / "cmp", "--quiet",
                     cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "cmp"


def test_replay_reads_the_stored_months(compared: Path) -> None:
    runs = load_replay(compared)
    assert [r.role for r in runs] == [BAU, "A"]
    stored = pd.read_parquet(compared / "metrics.parquet")
    for run in runs:
        run.upto = 5
        months, values = run.series("community_result")
        want = stored[(stored.scenario == run.name) & (stored.replication == 0)
                      & (stored.metric == "community_result")].sort_values("month").value.to_numpy()
        assert list(months) == list(range(6)) and np.array_equal(values, want[:6])
    assert int(runs_table(runs).month.max()) == 5
    assert load_replay(compared, replication=1)[0].seed == runs[0].seed + 1


def test_replay_refuses_what_it_cannot_show(tmp_path: Path, compared: Path) -> None:
    with pytest.raises(ReplayError, match="is not a folder"):
        load_replay(tmp_path / "missing")
    with pytest.raises(ReplayError, match="manifest.json"):
        load_replay(tmp_path)
    with pytest.raises(ReplayError, match="no replication 7. Allowed: --replication one of 0, 1"):
        load_replay(compared, replication=7)


# ---- the command ------------------------------------------------------------------------------------------------
def test_viz_refuses_a_replay_folder_leadsim_did_not_write(tmp_path: Path) -> None:
    assert_refused(leadsim("viz", "--replay", tmp_path, "--port", "0", cwd=tmp_path), str(tmp_path), "manifest")
    assert_refused(leadsim("viz", TRAINING, "--replay", tmp_path, cwd=tmp_path), "--replay")
    assert_refused(leadsim("viz", TRAINING, TRAINING, TRAINING, cwd=tmp_path), "at most two")


def test_missing_app_packages_name_the_viz_extra(tmp_path: Path) -> None:
    code = textwrap.dedent("""
        import sys
        sys.modules["solara"] = None  # as in an installation without the extra
        from simulation.cli import main
        sys.exit(main(["viz"]))
    """)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert_refused(result, "solara is missing", "pip install 'leadsim[viz]'")
    assert "-e" not in result.stderr and "[dev]" not in result.stderr
