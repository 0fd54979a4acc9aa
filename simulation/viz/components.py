"""Solara components of the browser app: the network, the metrics over time, and a one-line summary.

Each view takes the running model and shows a :mod:`simulation.viz.charts` chart kept across renders with
``use_memo``; the components that show changing state (:func:`Chart`, :func:`Summary`) subscribe to Mesa's
``update_counter``, so a step, play or reset re-renders them and not the cards around them. A chart's static
parts are drawn once per model and only what changed is redrawn each step. A new model (Reset) gets new charts.
Pictures are PNGs made on the server, so the browser needs nothing from the internet to show them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import solara
from mesa.visualization.utils import update_counter

from .charts import (
    COLOUR_BY,
    LEVELS,
    CommunityChart,
    CostReachChart,
    InitiativesChart,
    LevelsChart,
    LiveChart,
    NetworkChart,
    summary_text,
)

if TYPE_CHECKING:
    from simulation.core.model import LeadershipModel


HELP = ("Change the parameters on the left, then press Reset to build the model with them. Budget: money the "
        "interventions share over the horizon. Complementarity: how much the sector levers need each other "
        "(0 substitutes, 0.99 weakest link). Manager support: how much managers help people apply what they "
        "learned (mean over organizations). Step advances one month; \u25b6 plays and pauses.")


def describe_scenario(model: LeadershipModel) -> str:
    """What is running, in words: the controls' values as the model received them."""
    s = model.params
    if s.interventions:
        names = ", ".join(spec.name for spec in s.interventions)
        budget = "unbudgeted (each programme's `participants`)" if s.budget is None else f"budget {s.budget:,.0f}"
    else:
        names, budget = "none (business as usual)", "no programme"
    return (f"{s.name} · {s.population.people:,} people · interventions: {names} · {budget} · "
            f"complementarity {s.community.complementarity:.2f} · manager support "
            f"{s.population.manager_support_mean:.2f} · seed {model.seed} · {s.months} months")


@solara.component
def Chart(chart: LiveChart, name: str):
    """One chart as an image; the CSS classes let tests (and users' stylesheets) find it.

    It subscribes to the step counter itself: Solara re-renders a child only when its arguments change, and the
    chart object stays the same from step to step.
    """
    update_counter.get()
    solara.Image(chart.png(), width="100%", classes=["leadsim-chart", f"leadsim-{name}"])


@solara.component
def Summary(model: LeadershipModel):
    update_counter.get()
    with solara.Column(gap="0px", classes=["leadsim-summary"]):
        solara.Text(describe_scenario(model), classes=["leadsim-scenario"], style={"font-weight": "500"})
        solara.Text(summary_text(model), classes=["leadsim-status"])
        solara.Text(HELP, style={"font-size": "0.8em", "color": "#666"})


@solara.component
def NetworkView(model: LeadershipModel):
    """The social network, coloured by engagement or sector; people, or organizations when there are many."""
    colour_by, set_colour_by = solara.use_state("engagement")
    level, set_level = solara.use_state("auto")
    chart = solara.use_memo(lambda: NetworkChart(model, colour_by=colour_by, level=level),
                            [model, colour_by, level])
    with solara.Card("Social network", margin=0):
        with solara.Row(gap="16px"):
            solara.ToggleButtonsSingle(value=colour_by, values=list(COLOUR_BY), on_value=set_colour_by, dense=True)
            solara.ToggleButtonsSingle(value=level, values=list(LEVELS), on_value=set_level, dense=True)
        Chart(chart, "network")


@solara.component
def TimeSeriesView(model: LeadershipModel, kind: type[LiveChart], name: str, title: str):
    """A card with one time-series chart; only the chart inside follows the steps (see :func:`Chart`)."""
    chart = solara.use_memo(lambda: kind(model), [model])
    with solara.Card(title, margin=0):
        Chart(chart, name)


@solara.component
def Dashboard(model: LeadershipModel):
    """Every view of the app, laid out to read top-down: status, network and results, then the levels."""
    with solara.Column(style={"padding": "8px"}):
        Summary(model)
        with solara.Columns([5, 6]):
            NetworkView(model)
            with solara.Column():
                TimeSeriesView(model, CommunityChart, "community", "Community result and sector levers")
                TimeSeriesView(model, InitiativesChart, "initiatives", "Collective initiatives")
        TimeSeriesView(model, LevelsChart, "levels", "Individual, organization and network levels")
        TimeSeriesView(model, CostReachChart, "cost-reach", "Money spent and people reached")
