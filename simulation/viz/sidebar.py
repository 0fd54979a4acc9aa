"""The app's sidebar controls: strategies A and B with their own parameters, and the community's settings.

Every control shows its value; its changes go into one reactive dict (the state :mod:`simulation.viz.controls`
reads), which SolaraViz's Reset hands to :class:`~simulation.viz.controls.AppModel`. The controls are checked as
they change, and a problem is shown under them in a file's words (field, what was given, what is allowed).
"""

from __future__ import annotations

from typing import Any

import solara

from .controls import (
    base_specs,
    choose,
    controls_problem,
    editable_kind,
    param_fields,
    strategy_choices,
)

SLIDERS: list[tuple[str, str, float, float, float, str]] = [
    # key, label, min, max, step, format
    ("budget_thousands", "Budget per strategy (thousands)", 0, 5000, 25, "{:,.0f}"),
    ("complementarity", "Complementarity", 0.0, 0.99, 0.01, "{:.2f}"),
    ("manager_support", "Manager support", 0.0, 1.0, 0.05, "{:.2f}"),
    ("people", "Population", 100, 50_000, 100, "{:,.0f}"),
    ("months", "Months", 6, 240, 6, "{:,.0f}"),
    ("seed", "Seed (every run)", 0, 999, 1, "{:.0f}"),
]


def _update(controls: solara.Reactive[dict[str, Any]], key: str, value: Any) -> None:
    controls.set({**controls.value, key: value})


@solara.component
def ValueSlider(controls: solara.Reactive[dict[str, Any]], key: str, label: str, low: float, high: float,
                step: float, form: str):
    """A slider whose label carries its value (and whose range grows to hold the file's value)."""
    value = controls.value[key]
    high = max(high, value)
    solara.Text(f"{label}: {form.format(value)}", classes=[f"leadsim-value-{key}"], style={"font-size": "0.9em"})
    if isinstance(step, int) and isinstance(low, int):
        solara.SliderInt("", value=int(value), min=int(low), max=int(high), step=int(step),
                         on_value=lambda v: _update(controls, key, int(v)))
    else:
        solara.SliderFloat("", value=float(value), min=low, max=high, step=step,
                           on_value=lambda v: _update(controls, key, float(v)))


@solara.component
def ParamsEditor(controls: solara.Reactive[dict[str, Any]], which: str):
    """Strategy ``which``'s intervention parameters, one input each, from the intervention's own schema."""
    values = controls.value
    specs = base_specs(values["sources"], which, values[f"strategy_{which}"])
    kind = editable_kind(specs)
    if kind is None:
        if specs:
            solara.Text(f"a portfolio of {len(specs)} interventions: edit them in the scenario file",
                        style={"font-size": "0.8em"})
        return
    texts = values[f"params_{which}"]

    def set_param(name: str, text: str) -> None:
        now = controls.value
        _update(controls, f"params_{which}", {**now[f"params_{which}"], name: text})

    with solara.Details(summary=f"{kind} parameters ({len(texts)})", expand=False):
        for field in param_fields(kind):
            if field.choices:
                solara.Select(field.name, values=list(field.choices), value=texts[field.name],
                              on_value=lambda v, n=field.name: set_param(n, v))
            else:
                solara.InputText(field.name, value=texts[field.name], continuous_update=False,
                                 on_value=lambda v, n=field.name: set_param(n, v),
                                 message=f"{field.allowed}. {field.help}".strip(),
                                 classes=[f"leadsim-param-{which}-{field.name}"])


@solara.component
def StrategyPicker(controls: solara.Reactive[dict[str, Any]], which: str):
    values = controls.value
    choices = strategy_choices(values["sources"], which)
    solara.Select(f"Strategy {which}", values=choices, value=values[f"strategy_{which}"],
                  on_value=lambda v: controls.set(choose(controls.value, which, v)))
    ParamsEditor(controls, which)


@solara.component
def ParameterControls(controls: solara.Reactive[dict[str, Any]]):
    """The sidebar's parameter cards and the live check of what Reset would run."""
    values = controls.value
    with solara.Card("Strategies (beside business as usual, same seed)"):
        StrategyPicker(controls, "A")
        StrategyPicker(controls, "B")
        solara.Checkbox(label="Unbudgeted (sized by participants)", value=values["unbudgeted"],
                        on_value=lambda v: _update(controls, "unbudgeted", bool(v)))
    with solara.Card("Community"):
        for key, label, low, high, step, form in SLIDERS:
            ValueSlider(controls, key, label, low, high, step, form)
    problem = controls_problem(values)
    if problem:
        solara.Error(f"Reset would not run this:\n{problem}", classes=["leadsim-controls-problem"])
    else:
        solara.Text("Press Reset to run what this sidebar shows.", style={"font-size": "0.8em"})
