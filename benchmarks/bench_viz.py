"""Browser-app responsiveness: how long one step of a 5,000-person scenario takes to compute and render, with
business as usual running beside the strategy (as the app always does: two models per step).

Two measurements (issue: "click-to-redraw under a second at 5,000 people with business as usual beside"):

* ``server``: in this process, the app's step (business as usual and the strategy, on one seed) plus the redraw
  of every chart the app shows (difference from business as usual, network, community and levers, initiatives,
  levels, money and reach) to PNG - the work the server does per step. The strategy's model step alone is
  reported too, so the line "business as usual costs" is the price of running it beside;
* ``browser`` (``--browser``): ``leadsim viz`` on 127.0.0.1 driven by Playwright in Debian's chromium - from the
  click on Step until every chart on the page shows its new picture, which adds Solara's round trip and the
  browser's decoding.

    .venv/bin/python benchmarks/bench_viz.py                  # server-side, 5,000 people, 20 steps
    .venv/bin/python benchmarks/bench_viz.py --browser        # also in the browser
    .venv/bin/python benchmarks/bench_viz.py --people 50000   # a large community (organization-level network)
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHARTS = ["network", "difference", "community", "initiatives", "levels", "cost-reach"]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def scenario_text(people: int) -> str:
    return (f"name: bench-viz\nmonths: 60\nseed: 1\nbudget: {300 * people}\n"
            f"population: {{people: {people}}}\ninterventions:\n  - type: individual_training\n")


def server_side(people: int, steps: int) -> dict[str, list[float]]:
    """Per step: seconds of the strategy's model step alone, of the app's step (business as usual beside it), and
    of redrawing every chart."""
    from simulation import LeadershipModel, Scenario
    from simulation.viz.charts import TIME_CHARTS
    from simulation.viz.controls import AppModel, Sources, initial_controls
    from simulation.viz.network_chart import NetworkChart

    scenario = Scenario(name="bench-viz", months=60, seed=1, budget=300.0 * people, population={"people": people},
                        interventions=[{"type": "individual_training"}])
    alone = LeadershipModel(scenario, rng=1)
    app = AppModel(initial_controls(Sources(scenario, "bench.yaml")))
    charts = [kind(app.runs) for kind, _ in TIME_CHARTS.values()] + [NetworkChart(app.network_model)]
    for chart in charts:
        chart.png()  # the first picture draws the static background
    out: dict[str, list[float]] = {"alone": [], "step": [], "render": []}
    for _ in range(steps):
        t0 = time.perf_counter()
        alone.step()
        t1 = time.perf_counter()
        app.step()
        t2 = time.perf_counter()
        for chart in charts:
            chart.png()
        out["alone"].append(t1 - t0)
        out["step"].append(t2 - t1)
        out["render"].append(time.perf_counter() - t2)
    return out


def in_browser(people: int, steps: int) -> list[float]:
    """Seconds from a click on Step to every chart showing its new picture, per step."""
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench_viz_"))
    (folder / "bench.yaml").write_text(scenario_text(people), encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "simulation.cli", "viz", str(folder / "bench.yaml"),
                               "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        url = _address(server)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1300})
            page.goto(url)
            page.wait_for_function("n => document.querySelectorAll('img.leadsim-chart').length >= n",
                                   arg=len(CHARTS), timeout=120_000)
            times = []
            for _ in range(steps):
                before = _sources(page)
                t0 = time.perf_counter()
                page.get_by_role("button", name="Step").click()
                page.wait_for_function(
                    """before => Array.from(document.querySelectorAll('img.leadsim-chart'))
                        .every(img => img.complete && img.naturalWidth > 0 && !before.includes(img.src))""",
                    arg=list(before), timeout=60_000, polling=10)
                times.append(time.perf_counter() - t0)
            browser.close()
        return times
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


def _address(server: subprocess.Popen) -> str:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line or "")
        if found:
            return found.group(0)
        if server.poll() is not None:
            raise RuntimeError(f"leadsim viz exited with {server.returncode}")
    raise RuntimeError("leadsim viz printed no address within 90 s")


def _sources(page) -> list[str]:
    return page.evaluate("() => Array.from(document.querySelectorAll('img.leadsim-chart')).map(i => i.src)")


def _line(name: str, values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    return (f"{name:34s} median {statistics.median(ms):7.0f} ms   mean {statistics.fmean(ms):7.0f} ms   "
            f"max {ms[-1]:7.0f} ms   ({len(ms)} steps)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--browser", action="store_true", help="also measure in chromium through the real app")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores (load average {load:.1f}), Python "
          f"{platform.python_version()}; {args.people:,} people, individual training beside business as usual")
    server = server_side(args.people, args.steps)
    print(_line("strategy's model step alone", server["alone"]))
    print(_line("app step (BAU + strategy)", server["step"]))
    extra = statistics.median(server["step"]) - statistics.median(server["alone"])
    print(f"{'business as usual costs':34s} {extra * 1000:7.0f} ms a step (median)")
    print(_line(f"redraw of the {len(CHARTS)} charts", server["render"]))
    print(_line("step + redraw (server)", [a + b for a, b in zip(server["step"], server["render"], strict=True)]))
    if args.browser:
        print(_line("click Step -> all charts new (browser)", in_browser(args.people, args.steps)))

if __name__ == "__main__":
    main()
