"""The notebooks run top to bottom on this venv's kernel and show what their text says they show.

Each notebook is executed in memory with nbclient (cwd: the repository root, a bounded timeout per cell) and never
saved back. A first cell is added that reports the kernel's interpreter, and a last one that dumps the notebook's
state as JSON, so the test can recompute the notebook's numbers independently. The study notebook reads a study
swept into ``tmp_path`` (through its environment variables) and redraws the figures there, so nothing is written
into the repository.
"""

from __future__ import annotations

import base64
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

import matplotlib.image
import nbformat
import numpy as np
import pandas as pd
import pytest
import yaml
from nbclient import NotebookClient
from studies_support import study_data

import simulation as sim
from simulation.compare import paired_comparison
from simulation.core.people import POSITIONS
from simulation.scenario_files import load_scenario
from simulation.studies import InProcess, build_plan, default_folder, load_study, sweep

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
QUICKSTART = NOTEBOOKS / "quickstart.ipynb"
STUDY_NOTEBOOK = NOTEBOOKS / "study_results.ipynb"
MINI_STUDY = NOTEBOOKS / "mini_study.yaml"
CELL_TIMEOUT = 120  # seconds per cell; the slowest cell takes about two
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
NUMBER = r"([-+]?\d+(?:\.\d+)?)"

KERNEL_CELL = """\
import json as _json, os as _os, sys as _sys
import simulation as _simulation
print("KERNEL " + _json.dumps({"executable": _sys.executable, "prefix": _sys.prefix, "cwd": _os.getcwd(),
                               "simulation": _simulation.__file__}))"""

QUICKSTART_STATE = """\
import json as _json
print("STATE " + _json.dumps({
    "scenarios": [s.model_dump(mode="json") for s in scenarios], "replications": REPLICATIONS, "seed": SEED,
    "model_month": model.month,
    "person": {"pid": person.pid, "capacity": person.capacity, "programmes": person.programmes_attended,
               "org_id": person.org_id, "position": person.position},
    "organization": {"oid": org.oid, "openness": org.openness, "manager_support": org.manager_support,
                     "practice": org.practice, "size": org.size, "members": org.member_ids().tolist()},
}))"""


# ---- helpers -------------------------------------------------------------------------------------------------
def execute(path: Path, extra_last: str | None = None) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
    """Run a notebook in memory from the repository root; returns it with outputs and the kernel's report."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(KERNEL_CELL))
    if extra_last:
        nb.cells.append(nbformat.v4.new_code_cell(extra_last))
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, startup_timeout=60, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}})
    client.execute()
    kernel = json.loads(prefixed_line(nb.cells[0], "KERNEL "))
    return nb, kernel


def check_kernel(kernel: dict[str, Any]) -> None:
    """The kernel is this venv's interpreter, started in the repository root, importing this checkout."""
    assert kernel["executable"] == sys.executable
    assert kernel["prefix"] == sys.prefix
    assert Path(kernel["cwd"]) == ROOT
    assert Path(kernel["simulation"]).resolve().is_relative_to(ROOT)


def tagged(nb: nbformat.NotebookNode, tag: str) -> nbformat.NotebookNode:
    cells = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged {tag!r}, found {len(cells)}"
    return cells[0]


def text_of(cell: nbformat.NotebookNode) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream" and out["name"] == "stdout":
            parts.append(out["text"])
        elif out["output_type"] in ("execute_result", "display_data"):
            parts.append(out["data"].get("text/plain", ""))
    return "\n".join(parts)


def prefixed_line(cell: nbformat.NotebookNode, prefix: str) -> str:
    lines = [line for line in text_of(cell).splitlines() if line.startswith(prefix)]
    assert len(lines) == 1, f"expected one line starting {prefix!r} in:\n{text_of(cell)}"
    return lines[0][len(prefix):]


def images(cell: nbformat.NotebookNode) -> list[bytes]:
    """The PNG images a cell displayed, decoded; each must be a real, non-trivial PNG."""
    pngs = [base64.b64decode(out["data"]["image/png"]) for out in cell.get("outputs", [])
            if out["output_type"] in ("execute_result", "display_data") and "image/png" in out.get("data", {})]
    for png in pngs:
        assert png.startswith(PNG_MAGIC) and len(png) > 10_000
    return pngs


def assert_png(path: Path) -> np.ndarray:
    data = path.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 10_000, path
    pixels = matplotlib.image.imread(path)
    assert pixels.shape[0] > 200 and pixels.shape[1] > 200 and pixels.std() > 0.01  # drawn, not blank
    return pixels


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def close(a: float, b: float, decimals: int) -> bool:
    return math.isclose(a, b, rel_tol=0, abs_tol=0.6 * 10.0**-decimals)


# ---- the files as committed ----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [QUICKSTART, STUDY_NOTEBOOK], ids=lambda p: p.stem)
def test_notebooks_are_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)


def test_study_notebook_defaults_point_at_the_shipped_mini_study(monkeypatch: pytest.MonkeyPatch) -> None:
    """As shipped, the parameters name notebooks/mini_study.yaml and the folder `leadsim sweep` writes for it."""
    nb = nbformat.read(STUDY_NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    parameters = tagged(nb, "parameters")
    assert parameters in code[:3]
    for name in ("LEADSIM_STUDY", "LEADSIM_STUDY_RESULTS", "LEADSIM_FIGURES"):
        monkeypatch.delenv(name, raising=False)
    defaults: dict[str, Any] = {}
    exec("import os\nfrom pathlib import Path\n" + parameters.source, defaults)
    study = load_study(ROOT / defaults["STUDY"])
    assert (ROOT / defaults["STUDY"]) == MINI_STUDY
    assert Path(defaults["RESULTS"]) == default_folder(study)
    figures = Path(defaults["FIGURES"]).resolve()
    assert Path(defaults["RESULTS"]).resolve() not in figures.parents  # the study folder is only read
    assert any("leadsim sweep notebooks/mini_study.yaml" in c.source for c in nb.cells if c.cell_type == "markdown")
    monkeypatch.setenv("LEADSIM_STUDY", "elsewhere.yaml")
    monkeypatch.setenv("LEADSIM_STUDY_RESULTS", "/tmp/elsewhere")
    overridden: dict[str, Any] = {}
    exec("import os\nfrom pathlib import Path\n" + parameters.source, overridden)
    assert (overridden["STUDY"], overridden["RESULTS"]) == ("elsewhere.yaml", "/tmp/elsewhere")


# ---- the quickstart ------------------------------------------------------------------------------------------
def test_quickstart_runs_and_its_numbers_hold() -> None:
    before = snapshot(NOTEBOOKS)
    nb, kernel = execute(QUICKSTART, QUICKSTART_STATE)
    check_kernel(kernel)
    state = json.loads(prefixed_line(nb.cells[-1], "STATE "))
    scenarios = [sim.Scenario.model_validate(s) for s in state["scenarios"]]
    reps, seed = state["replications"], state["seed"]

    # small enough to run in seconds, and the YAML scenarios really are the files (with the sizes overridden)
    assert reps <= 3 and all(s.population.people <= 1000 and s.months <= 36 for s in scenarios)
    baseline, leader = scenarios[0], scenarios[1]
    small = {"population.people": baseline.population.people, "months": baseline.months}
    assert baseline == load_scenario(ROOT / "scenarios/baseline.yaml", small).scenario
    training = load_scenario(ROOT / "scenarios/interventions/individual_training.yaml",
                             {**small, "budget": leader.budget}).scenario
    assert leader == training and leader.interventions[0].type == "individual_training"
    assert "same community as the baseline: True" in text_of(tagged(nb, "python-scenario"))

    # the printed paired comparison is finite, brackets its estimate, and is what the same runs give here
    table = pd.concat([sim.run(s, replications=reps, seed=seed) for s in scenarios], ignore_index=True)
    expected = paired_comparison(table).set_index("scenario")
    printed = re.findall(rf"^(\w+): change {NUMBER}, 95% CI \[{NUMBER}, {NUMBER}\]",
                         text_of(tagged(nb, "comparison")), flags=re.M)
    assert [p[0] for p in printed] == [s.name for s in scenarios[1:]]
    for name, change, low, high in printed:
        change, low, high = float(change), float(low), float(high)
        assert all(map(math.isfinite, (change, low, high))) and low <= change <= high and low < high
        row = expected.loc[name]
        assert close(change, row["change"], 6) and close(low, row["ci_low"], 6) and close(high, row["ci_high"], 6)

    # common random numbers: the paired interval is far narrower than independent runs would give
    widths = re.findall(rf"half-width paired {NUMBER}, as if independent {NUMBER}", text_of(tagged(nb, "crn")))
    assert len(widths) == len(scenarios) - 1
    # Measured at this version's defaults: paired 0.0042 against 0.0132 as if independent (3.1 times narrower);
    # twice narrower is the claim the notebook makes and leaves room for another scenario draw.
    for paired, independent in widths:
        assert 0 < 2 * float(paired) < float(independent)

    # the Person inspected: a fellow of the programme, capacities in range, the same in a model rebuilt here
    person = state["person"]
    assert f"looking at Person(pid={person['pid']}," in text_of(tagged(nb, "person"))
    assert person["programmes"] >= 1 and person["position"] in POSITIONS and person["org_id"] >= 0
    assert set(person["capacity"]) == set(sim.CAPACITIES)
    assert all(0.0 <= v <= 1.0 for v in person["capacity"].values())
    model = sim.LeadershipModel(leader, rng=seed)
    model.run_for(state["model_month"])
    again = model.person(person["pid"])
    assert again is not None and again.capacity == pytest.approx(person["capacity"], abs=1e-7)

    # ... and their organization
    org = state["organization"]
    assert org["oid"] == person["org_id"] and person["pid"] in org["members"]
    assert 0 <= org["openness"] <= 1 and 0 <= org["manager_support"] <= 1 and org["size"] >= 1
    assert all(0.0 <= v <= 1.0 for v in org["practice"].values())
    assert org["practice"] == pytest.approx(model.organizations[org["oid"]].practice, abs=1e-7)

    for tag in ("plot-trajectory", "plot-comparison"):
        assert len(images(tagged(nb, tag))) == 1

    # the shipped posterior: its marginals drawn, and every scenario's replication r ran the row seed SEED + r draws
    posterior = sim.load_posterior(ROOT / "experiments/calibration/default_posterior")
    shown = text_of(tagged(nb, "posterior"))
    assert f"{len(posterior)} particles, {len(posterior.paths)} fitted parameters" in shown
    drawn = json.loads(re.search(r"rows drawn \(replication x scenario\): (\{.*\})", shown).group(1).replace("'", '"'))
    expected = [posterior.row(seed + r) for r in range(reps)]
    assert sorted(drawn) == sorted(s.name for s in scenarios) and all(v == expected for v in drawn.values())
    assert len(re.findall(r"^under the posterior, \w+: change ", shown, flags=re.M)) == len(scenarios) - 1
    assert len(images(tagged(nb, "posterior"))) == 1
    assert snapshot(NOTEBOOKS) == before


# ---- the study notebook --------------------------------------------------------------------------------------
def _tiny_study(tmp_path: Path, kind: str) -> Path:
    """The shipped mini scaling study, or a tiny Morris / factorial study written into tmp_path."""
    if kind == "scaling":
        return MINI_STUDY
    if kind == "morris":
        data = study_data()
    else:
        data = study_data(uncertainties=None, design={"method": "factorial"},
                          factors={"community.complementarity": [0.2, 0.8]})
    path = tmp_path / f"{kind}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


EXPECTED_FIGURES = {"scaling": ["scaling.png", "scaling_cost.png"],
                    "morris": ["sensitivity_none.png", "sensitivity_training.png"],
                    "factorial": ["main_effects.png"]}


@pytest.mark.parametrize("kind", list(EXPECTED_FIGURES))
def test_study_notebook_reproduces_a_swept_study(tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    study_file = _tiny_study(tmp_path, kind)
    results, drawn = tmp_path / "results", tmp_path / "figures"
    report = sweep(study_file, results, executor=InProcess())
    assert report.status == "complete" and not report.failed
    monkeypatch.setenv("LEADSIM_STUDY", str(study_file))
    monkeypatch.setenv("LEADSIM_STUDY_RESULTS", str(results))
    monkeypatch.setenv("LEADSIM_FIGURES", str(drawn))
    before_results, before_notebooks = snapshot(results), snapshot(NOTEBOOKS)
    default_results = ROOT / default_folder(load_study(study_file))
    default_before = snapshot(default_results) if default_results.exists() else None

    nb, kernel = execute(STUDY_NOTEBOOK)
    check_kernel(kernel)

    # the counts it printed are the plan's and the manifest's
    plan = pd.read_csv(results / "plan.csv")
    manifest = json.loads((results / "manifest.json").read_text())
    load = text_of(tagged(nb, "load"))
    assert (f"{plan['key'].nunique()} of {plan['key'].nunique()} unique runs done ({len(plan)} planned)" in load
            and manifest["status"] == "complete")
    assert f"{plan['run'].nunique()} runs" in text_of(tagged(nb, "tables"))

    # the figures: redrawn from the folder's tables into FIGURES, pixel for pixel the sweep's own, and shown
    names = EXPECTED_FIGURES[kind]
    assert sorted(p.name for p in drawn.iterdir()) == sorted(names)
    for name in names:
        same = np.array_equal(assert_png(drawn / name), matplotlib.image.imread(results / "figures" / name))
        assert same, f"{name}: the notebook's figure differs from the one the sweep drew"
    assert len(images(tagged(nb, "figures"))) == len(names)

    # the headline numbers are those of scaling.csv / sensitivity.csv
    headline = text_of(tagged(nb, "headline"))
    if kind == "scaling":
        fits = pd.read_csv(results / "scaling.csv").set_index(["lever", "term"])
        found = re.findall(rf"^(\w+): (budget|size) exponent {NUMBER}, 95% CI \[{NUMBER}, {NUMBER}\]", headline,
                           flags=re.M)
        assert {(lever, term) for lever, term, *_ in found} == {(lv, t) for lv in ("leader", "cohort_networking")
                                                                 for t in ("budget", "size")}
        for lever, term, estimate, low, high in found:
            row = fits.loc[(lever, term)]
            assert close(float(estimate), row["estimate"], 4) and close(float(low), row["ci_low"], 4)
            assert close(float(high), row["ci_high"], 4)
    elif kind == "morris":
        assert re.search(r"^training, result: most influential \S+ \(mu_star ", headline, flags=re.M)

    # the custom plot: its printed numbers, from the tidy shards, agree with outputs.csv written by the sweep
    custom = tagged(nb, "custom-plot")
    assert len(images(custom)) == 1
    outputs = pd.read_csv(results / "outputs.csv")
    text = text_of(custom)
    finals = dict(re.findall(rf"^final community_result, (\w+): {NUMBER}$", text, flags=re.M))
    assert list(finals) == list(dict.fromkeys(outputs["lever"]))
    for lever, value in outputs.groupby("lever")["result"].mean().items():
        assert close(float(finals[lever]), value, 6)
    gains = dict(re.findall(rf"^mean paired gain over none, (\w+): {NUMBER}$", text, flags=re.M))
    expected_gain = outputs[outputs["lever"] != "none"].groupby("lever")["gain"].mean()
    assert set(gains) == set(expected_gain.index)
    for lever, value in expected_gain.items():
        assert close(float(gains[lever]), value, 6)

    # read only: the study folder, the notebooks and the default results folder are as they were
    assert snapshot(results) == before_results and snapshot(NOTEBOOKS) == before_notebooks
    assert (snapshot(default_results) if default_results.exists() else None) == default_before


def test_study_notebook_runs_the_mini_study_itself_on_a_fresh_clone(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """No study folder yet (a fresh clone): the notebook sweeps the shipped mini study, then reads it as usual."""
    results, drawn = tmp_path / "results" / "mini_study", tmp_path / "figures"
    monkeypatch.setenv("LEADSIM_STUDY", str(MINI_STUDY))
    monkeypatch.setenv("LEADSIM_STUDY_RESULTS", str(results))
    monkeypatch.setenv("LEADSIM_FIGURES", str(drawn))
    before_notebooks = snapshot(NOTEBOOKS)

    nb, kernel = execute(STUDY_NOTEBOOK)
    check_kernel(kernel)
    load = text_of(tagged(nb, "load"))
    unique = build_plan(load_study(MINI_STUDY)).runs["key"].nunique()
    assert f"no finished study there - running its {unique} runs now" in load
    assert f"{unique} of {unique} unique runs done" in load
    assert json.loads((results / "manifest.json").read_text())["status"] == "complete"
    names = EXPECTED_FIGURES["scaling"]
    assert sorted(p.name for p in drawn.iterdir()) == sorted(names)
    for name in names:
        assert np.array_equal(assert_png(drawn / name), matplotlib.image.imread(results / "figures" / name))
    assert len(images(tagged(nb, "custom-plot"))) == 1
    assert snapshot(NOTEBOOKS) == before_notebooks
