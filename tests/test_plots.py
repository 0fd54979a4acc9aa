"""The plotting API: every figure is a function returning a matplotlib Figure (CLI saves it, a notebook shows it),
single panels draw into a given ``ax``, and what is drawn fits and can be seen."""

from __future__ import annotations

import matplotlib.image
import pandas as pd
import pytest
from matplotlib.figure import Figure

import simulation as sim
from simulation import plots
from simulation.compare import paired_comparison

LONG = "individual_training_with_a_longer_name"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    base = sim.Scenario(name=LONG, population={"people": 200}, months=6, budget=40_000,
                        interventions=[{"type": "individual_training"}])
    others = [base.model_copy(update={"name": "baseline", "interventions": [], "budget": 0}),
              base.model_copy(update={"name": "cohort_networking_in_every_place",
                                      "interventions": [sim.InterventionSpec(type="cohort_networking")]})]
    return pd.concat([sim.run(s, replications=3, seed=2) for s in [base, *others]], ignore_index=True)


def _outside(fig: Figure) -> list[str]:
    """Panels whose drawn parts (title, axis labels, tick labels, legend) reach outside the figure."""
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)
    box = fig.bbox
    outside = []
    for ax in fig.axes:
        extent = ax.get_tightbbox(renderer)
        if extent.x0 < box.x0 - 1 or extent.x1 > box.x1 + 1 or extent.y0 < box.y0 - 1 or extent.y1 > box.y1 + 1:
            outside.append(f"{ax.get_title()}: {ax.get_xlabel()}")
    return outside


def test_every_figure_function_returns_a_figure_that_shows_itself(table: pd.DataFrame, tmp_path) -> None:
    comparison = paired_comparison(table)
    figures = {"community": sim.plot_community(table), "levels": sim.plot_levels(table),
               "change": sim.plot_change(comparison), "compare": sim.plot_comparison(table, comparison)}
    for name, fig in figures.items():
        assert isinstance(fig, Figure), name
        png = fig._repr_png_()  # what a notebook displays
        assert png.startswith(b"\x89PNG") and len(png) > 10_000, name
        path = plots.save(fig, tmp_path / f"{name}.png")
        assert matplotlib.image.imread(path).std() > 0.01  # drawn, not blank
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.png" for n in figures)  # no temporary left


def test_single_panels_draw_into_a_given_ax(table: pd.DataFrame) -> None:
    fig = Figure()
    left, right = fig.subplots(1, 2)
    assert sim.plot_community(table, ax=left) is fig and sim.plot_change(paired_comparison(table), ax=right) is fig
    assert len(left.lines) == 3 and len(right.collections) >= 2  # a line per scenario; error bars per scenario


def test_compare_figure_labels_fit_and_the_reference_is_on_top(table: pd.DataFrame) -> None:
    fig = plots.compare_figure(table, paired_comparison(table))
    assert _outside(fig) == []
    left = fig.axes[0]
    reference = [line for line in left.lines if line.get_label().startswith(LONG)]
    assert len(reference) == 1
    assert reference[0].get_zorder() > max(line.get_zorder() for line in left.lines if line is not reference[0])
    assert reference[0].get_linestyle() == "--"  # visible even where it coincides with another scenario's line


def test_a_one_panel_sensitivity_figure_fits_its_title() -> None:
    indices = pd.DataFrame({"lever": "base", "output": "y", "method": "latin", "parameter": ["a.b", "c.d"],
                            "index": "S1", "value": [0.6, 0.01], "conf": [0.05, 0.04]})
    indices["ci_low"], indices["ci_high"] = indices["value"] - indices["conf"], indices["value"] + indices["conf"]
    fig = sim.plot_sensitivity(indices)
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)
    title = fig.get_suptitle() and fig._suptitle.get_window_extent(renderer)
    assert fig.bbox.x0 <= title.x0 and title.x1 <= fig.bbox.x1
    assert _outside(fig) == []


def test_levels_of_many_scenarios_fit_and_name_each_scenario_once(table: pd.DataFrame) -> None:
    """Sixteen scenarios (a `leadsim compare` of every intervention file): the panels' legends name the metrics,
    one legend under them names each scenario in its own colour, and nothing reaches outside the figure."""
    one = table[table["scenario"] == "baseline"]
    many = pd.concat([one.assign(scenario=f"scenario_number_{i}") for i in range(16)], ignore_index=True)
    fig = sim.plot_levels(many)
    assert _outside(fig) == []
    (legend,) = fig.legends
    names = [text.get_text() for text in legend.get_texts()]
    assert names == [f"scenario_number_{i}" for i in range(16)]
    colours = [tuple(handle.get_color()) if not isinstance(handle.get_color(), str) else handle.get_color()
               for handle in legend.legend_handles]
    assert len(set(colours)) == 16
    for ax in fig.axes:  # each panel's own legend lists its metrics, not the scenarios
        assert len(ax.get_legend().get_texts()) <= 4
