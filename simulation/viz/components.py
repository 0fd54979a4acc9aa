"""Solara components of the browser app's main area: the summary, the network, the time-series cards, downloads.

The views take the runs (:mod:`simulation.viz.runs`, live or stored) and a ``tick`` that changes whenever they
moved on (Mesa's step counter for a live model, the replay slider's month), so a step, play, reset or scrub
re-renders the pictures and not the cards around them. Each card keeps its :mod:`simulation.viz.charts` chart
across renders with ``use_memo``: static parts are drawn once per set of runs and scale, and only what changed is
redrawn. Pictures are PNGs made on the server, so the browser needs nothing from the internet to show them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import solara

from .charts import FIT, SCALES, TIME_CHARTS, LiveChart, summary_text
from .network_chart import COLOUR_BY, LEVELS, NetworkChart
from .runs import BAU, Run, runs_table

if TYPE_CHECKING:
    from simulation.core.model import LeadershipModel

HELP = ("Choose strategy A (and B) and their parameters on the left, then press Reset: business as usual runs "
        "beside them on the same seed, so every difference is the strategy's own. Budget: money each strategy "
        "spends over the horizon. Complementarity: how much the sector levers need each other (0 substitutes, "
        "0.99 weakest link). Manager support: how much managers help people apply what they learned. Step "
        "advances one month; \u25b6 plays and pauses.")


def describe_runs(runs: Sequence[Run]) -> str:
    """What is running, in words: each run's interventions and the shared settings."""
    if not runs:
        return "nothing is running"
    strategies = [r.label for r in runs if not r.is_bau]
    head = " vs ".join(strategies) + (" vs business as usual" if len(strategies) < len(runs) else "") \
        if strategies else "business as usual only"
    return head


def describe_live(runs: Sequence[Run]) -> str:
    """The running models' settings as they received them (the controls' values after validation)."""
    if not runs:
        return "nothing is running"
    s = runs[-1].model.params  # type: ignore[attr-defined]
    budget = "no programme" if not s.interventions else (
        "unbudgeted (each programme's `participants`)" if s.budget is None else f"budget {s.budget:,.0f} each")
    return (f"{describe_runs(runs)} · {s.population.people:,} people · {budget} · complementarity "
            f"{s.community.complementarity:.2f} · manager support {s.population.manager_support_mean:.2f} · seed "
            f"{s.seed} (same for every run) · {s.months} months")


NO_LOCK = contextlib.nullcontext()


@solara.component
def Chart(chart: LiveChart, name: str, tick: int, lock: Any = NO_LOCK):
    """One chart as an image, with its PNG download; CSS classes let tests (and users' stylesheets) find it.

    ``lock``: held while the chart reads the runs, so a picture never sees a model halfway through a step (Play
    steps in a thread of its own)."""
    with lock:
        png = chart.png()
    data = solara.use_memo(lambda: (lambda: chart.last or chart.png()), [chart])
    with solara.Column(gap="0px"):
        solara.Image(png, width="100%", classes=["leadsim-chart", f"leadsim-{name}"])
        with solara.Row(justify="end"):
            solara.FileDownload(data, filename=f"leadsim-{name}-month{tick}.png", label="PNG",
                                mime_type="image/png", icon_name="mdi-download")


@solara.component
def Summary(runs: Sequence[Run], description: str, tick: int, problem: str | None = None, lock: Any = NO_LOCK):
    with lock:
        status = summary_text(runs) if runs else ""
    with solara.Column(gap="0px", classes=["leadsim-summary"]):
        solara.Text(description, classes=["leadsim-scenario"], style={"font-weight": "500"})
        if problem:
            solara.Error("Nothing is running: the sidebar has a problem. Fix it and press Reset.\n" + problem,
                         classes=["leadsim-problem"])
        else:
            solara.Text(status, classes=["leadsim-status"])


@solara.component
def NetworkView(model: LeadershipModel, role: str, tick: int, lock: Any = NO_LOCK):
    """The social network, coloured by engagement or sector; people, or organizations when there are many."""
    colour_by, set_colour_by = solara.use_state("engagement")
    level, set_level = solara.use_state("auto")
    chart = solara.use_memo(lambda: NetworkChart(model, colour_by=colour_by, level=level),
                            [model, colour_by, level])
    whose = "business as usual" if role == BAU else f"strategy {role}"
    with solara.Card(f"Social network ({whose})", margin=0):
        with solara.Row(gap="16px"):
            solara.ToggleButtonsSingle(value=colour_by, values=list(COLOUR_BY), on_value=set_colour_by, dense=True)
            solara.ToggleButtonsSingle(value=level, values=list(LEVELS), on_value=set_level, dense=True)
        Chart(chart, "network", tick, lock)


@solara.component
def TimeSeriesView(runs: Sequence[Run], name: str, scale: str, tick: int, lock: Any = NO_LOCK):
    """A card with one time-series chart of the runs; only the picture follows the steps."""
    kind, title = TIME_CHARTS[name]
    chart = solara.use_memo(lambda: kind(runs, scale), [tuple(id(r) for r in runs), scale])
    with solara.Card(title, margin=0):
        Chart(chart, name, tick, lock)


@solara.component
def Downloads(runs: Sequence[Run], tick: int, lock: Any = NO_LOCK):
    """The current runs' table (every run, months 0..now), as ``leadsim run`` writes it, in CSV."""

    def table() -> str:
        with lock:
            return runs_table(runs).to_csv(index=False)

    data = solara.use_memo(lambda: table, [tuple(id(r) for r in runs)])
    solara.FileDownload(data, filename=f"leadsim-runs-month{tick}.csv", label="Download the table (CSV)",
                        mime_type="text/csv", icon_name="mdi-table-arrow-down")


@solara.component
def Dashboard(runs: Sequence[Run], description: str, tick: int, network: LeadershipModel | None = None,
              network_role: str = "A", problem: str | None = None, note: str = HELP, lock: Any = NO_LOCK):
    """Every view of the app, top-down: what runs and the difference, then the network and results, the levels."""
    scale, set_scale = solara.use_state(FIT)
    with solara.Column(style={"padding": "8px"}):
        Summary(runs, description, tick, problem, lock)
        if not runs:
            return
        with solara.Row(gap="12px", style={"align-items": "center"}):
            solara.Text("y-axes:")
            solara.ToggleButtonsSingle(value=scale, values=list(SCALES), on_value=set_scale, dense=True,
                                       classes=["leadsim-scale"])
            Downloads(runs, tick, lock)
        solara.Text(note, style={"font-size": "0.8em", "color": "#666"})
        TimeSeriesView(runs, "difference", scale, tick, lock)
        with solara.Columns([5, 6]):
            if network is not None:
                NetworkView(network, network_role, tick, lock)
            else:
                solara.Info("Results folders store the metrics, not the network: the charts replay the stored "
                            "months.")
            with solara.Column():
                TimeSeriesView(runs, "community", scale, tick, lock)
                TimeSeriesView(runs, "initiatives", scale, tick, lock)
        TimeSeriesView(runs, "levels", scale, tick, lock)
        TimeSeriesView(runs, "cost-reach", scale, tick, lock)
