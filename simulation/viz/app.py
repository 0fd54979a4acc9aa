"""The browser app: Mesa's SolaraViz controller with leadsim's controls and views, or the replay of a results folder.

Start it with ``leadsim viz [FILE [FILE_B]]`` or ``leadsim viz --replay results/NAME`` (see
:mod:`simulation.viz.server`), or ``solara run simulation/viz/app.py`` (then the scenario is
``$LEADSIM_VIZ_SCENARIO``, else ``scenarios/baseline.yaml``). In a notebook, display ``Page()``.

Live: the page is laid out as Mesa's ``SolaraViz`` lays out a model (app bar with the title, a sidebar with Mesa's
own Reset / play / Step controller and step counter, the views in the main area); the model it holds is
:class:`~simulation.viz.controls.AppModel`, business as usual and the strategies stepped together. Reset builds it
from the sidebar's state (:mod:`simulation.viz.sidebar`), so what the app shows is exactly what ``leadsim run``
computes for those scenarios and that seed; the views read each model's own recorder.

Replay: the stored months of a ``leadsim run`` or ``leadsim compare`` folder (:func:`simulation.viz.runs.load_replay`),
a month slider scrubs through them with the same charts; nothing reruns.

>>> from simulation.viz.app import title
>>> from simulation.viz.runs import StoredRun
>>> title([StoredRun("A", "hosting", None)], replay="results/x")
'leadsim · replay of results/x · A: hosting'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import solara
from mesa.visualization.solara_viz import ModelController, ShowSteps
from mesa.visualization.utils import update_counter

from simulation.core.scenario import Scenario
from simulation.scenario_files import load_scenario

from .components import Dashboard, describe_live, describe_runs
from .controls import AppModel, Sources, initial_controls
from .runs import Run, StoredRun, load_replay
from .sidebar import ParameterControls

SCENARIO_ENV = "LEADSIM_VIZ_SCENARIO"
BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"

_configured: Sources | None = None
_replay: tuple[str, list[StoredRun]] | None = None


# ---- what the app opens -------------------------------------------------------------------------------------
def configure(sources: Sources | None = None, path: str | None = None,
              replay: tuple[str, list[StoredRun]] | None = None) -> None:
    """Open ``sources`` (or replay ``replay``: its folder and runs) in every new browser session."""
    global _configured, _replay
    _configured, _replay = sources, replay
    if path is not None:
        os.environ[SCENARIO_ENV] = str(path)  # for a server that re-imports this module


def default_sources() -> Sources:
    """The configured scenarios, else ``$LEADSIM_VIZ_SCENARIO``, else ``scenarios/baseline.yaml`` (a checkout),
    else the default scenario (an installed package has no scenarios folder)."""
    if _configured is not None:
        return _configured
    path = os.environ.get(SCENARIO_ENV) or (str(BASELINE) if BASELINE.is_file() else None)
    if path:
        return Sources(load_scenario(path).scenario, Path(path).name)
    return Sources(Scenario(), "the default scenario")


def title(runs: list[Run], replay: str | None = None) -> str:
    """The app bar's title: what is running (or replayed)."""
    head = f"leadsim · replay of {replay}" if replay else "leadsim"
    return f"{head} · {describe_runs(runs)}" if runs else head


# ---- the pages ------------------------------------------------------------------------------------------------
@solara.component
def LivePage():
    """Mesa's SolaraViz layout and controller around :class:`AppModel` and leadsim's sidebar and views."""
    sources = solara.use_memo(default_sources, [])
    controls = solara.use_reactive(solara.use_memo(lambda: initial_controls(sources), []))
    first = solara.use_memo(lambda: AppModel(controls=controls.value), [])
    model = solara.use_reactive(first)
    parameters = solara.use_reactive({"controls": controls})  # Reset calls AppModel(controls=<the sidebar>)
    play_interval, render_interval = solara.use_reactive(100), solara.use_reactive(1)
    use_threads = solara.use_reactive(False)
    app: AppModel = model.value
    with solara.AppBar():
        solara.AppBarTitle(title(app.runs))
    with solara.Sidebar(), solara.Column():
        with solara.Card("Controls"):
            solara.SliderInt(label=f"Play interval (ms): {play_interval.value}", value=play_interval, min=10,
                             max=500, step=10)
            ModelController(model, model_parameters=parameters, play_interval=play_interval,
                            render_interval=render_interval, use_threads=use_threads)
        with solara.Card("Information"):
            ShowSteps(app)
        ParameterControls(controls)
    LiveDashboard(app)


@solara.component
def LiveDashboard(app: AppModel):
    tick = update_counter.get()
    shown_event = app.watch()
    solara.use_effect(shown_event.set, [app, tick])  # the page shows this step: the next may run
    shown = app.network_model
    role = next((r.role for r in app.runs if r.model is shown), "A")
    Dashboard(app.runs, describe_live(app.runs), tick, network=shown, network_role=role, problem=app.problem,
              lock=app.lock)


@solara.component
def ReplayPage(folder: str, runs: list[StoredRun]):
    """A stored run scrubbed month by month with the live page's charts."""
    horizon = max(r.horizon for r in runs)
    month, set_month = solara.use_state(horizon)
    for run in runs:
        run.upto = month
    with solara.AppBar():
        solara.AppBarTitle(title(runs, folder))
    with solara.Sidebar(), solara.Column(), solara.Card("Replay"):
        solara.Text(f"Month: {month} of {horizon}", classes=["leadsim-replay-month"])
        solara.SliderInt("", value=month, min=0, max=horizon, step=1, on_value=set_month)
        seeds = ", ".join(f"{r.label} {r.seed}" for r in runs)
        solara.Text(f"Stored months of {folder}: nothing is rerun. Replication {runs[0].replication} of each "
                    f"scenario (seed {seeds}).", style={"font-size": "0.8em"})
    note = (f"Replaying {folder}. Business as usual is the folder's scenario without interventions, if it has one; "
            "its differences are paired when the scenarios share seeds (leadsim compare runs them so).")
    Dashboard(runs, describe_runs(runs), month, note=note)


@solara.component
def Page():
    """The app: the replay of a results folder if one was given, else the live model."""
    replay: Any = solara.use_memo(_replay_runs, [])
    if replay is not None:
        ReplayPage(*replay)
    else:
        LivePage()


def _replay_runs() -> tuple[str, list[StoredRun]] | None:
    if _replay is not None:
        return _replay[0], [StoredRun(r.role, r.name, r.wide, r.resolved, r.seed, 0, r.replication) for r in _replay[1]]
    folder = os.environ.get(REPLAY_ENV)
    return (folder, load_replay(folder)) if folder else None


REPLAY_ENV = "LEADSIM_VIZ_REPLAY"
