"""The browser app end to end: `leadsim viz` in a subprocess on 127.0.0.1, driven by Playwright in Debian's Chromium.

What a person would check: the page loads with every view; Step advances the month (Mesa's step counter and our
status line) and redraws the plots; Play runs several months and Pause stops it; the network can be recoloured by
sector; the title follows what is running after Reset; business as usual runs beside the strategy (the table the
page downloads has both, equal at month 0 and apart once the strategy acts); the y-axes switch between fitted,
0-1 and change since month 0; an intervention's own parameter changed in the sidebar changes the run, and a bad
one gets a file's message; two strategies run side by side; `leadsim viz --replay` scrubs a stored run without
rerunning it; the CSV and PNG downloads produce their files. The browser may reach 127.0.0.1 only: every other
request is blocked and recorded, and each test fails if there was any. Screenshots go to test-artifacts/.

Every wait is bounded; each server is stopped in its fixture's teardown whatever happens.
"""

from __future__ import annotations

import io
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_TIMEOUT_S = 60
UI_TIMEOUT_MS = 60_000  # generous: the machine may be busy with other work (a step is well under a second)
OPEN_TIMEOUT_MS = 120_000  # the first page builds every model and draws every chart in full
CHARTS = ["network", "difference", "community", "initiatives", "levels", "cost-reach"]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra: pip install -e '.[dev]'")
if not Path(CHROMIUM).exists() and os.environ.get("LEADSIM_REQUIRE_BROWSER"):
    pytest.fail(f"{CHROMIUM} is missing, and `make test` requires the browser test (it installs chromium)",
                pytrace=False)
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"{CHROMIUM} is missing: `make test` installs Debian's chromium")

SCENARIO = """\
name: browser-test
months: 120
seed: 3
budget: 300000
population: {people: 400, places: 3}
interventions:
  - type: hosting
    params: {every_months: 3}
"""


# ---- servers ------------------------------------------------------------------------------------------------
def _read_lines(stream, lines: queue.Queue) -> None:
    for line in iter(stream.readline, ""):
        lines.put(line)


def _serve(args: list[str]) -> Iterator[str]:
    """Start `leadsim viz ARGS --port 0`, wait (bounded) for the address it prints and for HTTP 200; stop it."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("LEADSIM_VIZ_SCENARIO", None)
    server = subprocess.Popen([sys.executable, "-m", "simulation.cli", "viz", *args, "--port", "0"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_lines, args=(server.stdout, lines), daemon=True).start()
    errors: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_lines, args=(server.stderr, errors), daemon=True).start()
    try:
        url = _wait_for_address(server, lines, errors)
        _wait_for_http(url)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    scenario = tmp_path_factory.mktemp("viz") / "browser_test.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    yield from _serve([str(scenario)])


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`leadsim compare` of business as usual and hosting (one replication), then `leadsim viz --replay` of it."""
    folder = tmp_path_factory.mktemp("replay")
    (folder / "none.yaml").write_text("name: none\nmonths: 12\npopulation: {people: 300}\n", encoding="utf-8")
    (folder / "hosting.yaml").write_text("name: hosting\nmonths: 12\nbudget: 100000\npopulation: {people: 300}\n"
                                         "interventions: [{type: hosting}]\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "simulation.cli", "compare", "none.yaml", "hosting.yaml",
                           "--replications", "1", "--out", "cmp", "--quiet"], cwd=folder, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for url in _serve(["--replay", str(folder / "cmp")]):
        yield url, folder / "cmp"


def _wait_for_address(server: subprocess.Popen, lines: queue.Queue, errors: queue.Queue) -> str:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"leadsim viz exited with {server.returncode}: {''.join(list(errors.queue))}")
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if found:
            return found.group(0)
    pytest.fail(f"leadsim viz printed no address within {START_TIMEOUT_S} s: {''.join(list(errors.queue))}")


def _wait_for_http(url: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {START_TIMEOUT_S} s")


# ---- the browser ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh page (a new session of the app) that may reach 127.0.0.1 only; asserts afterwards that it tried
    nothing else."""
    ARTIFACTS.mkdir(exist_ok=True)
    blocked: list[str] = []
    context = browser.new_context(viewport={"width": 1600, "height": 1300}, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(UI_TIMEOUT_MS)

    def only_this_machine(route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    opened.route("**/*", only_this_machine)
    try:
        yield opened
    finally:
        context.close()
    assert blocked == [], f"the page tried to reach beyond 127.0.0.1: {blocked}"


def _open(page, url: str, charts: list[str] = CHARTS) -> None:
    page.goto(url)
    page.wait_for_function("n => document.querySelectorAll('img.leadsim-chart').length >= n", arg=len(charts),
                           timeout=OPEN_TIMEOUT_MS)


def _status(page) -> str:
    return page.locator(".leadsim-status").inner_text()


def _month(page) -> int:
    return int(re.search(r"Month (\d+) of", _status(page)).group(1))


def _title(page) -> str:
    return page.locator(".v-toolbar__title").first.inner_text()


def _wait_month(page, predicate, what: str) -> int:
    deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        month = _month(page)
        if predicate(month):
            return month
        time.sleep(0.1)
    pytest.fail(f"the page never showed {what} (last: month {_month(page)})")


def _wait_text(page, selector: str, text: str) -> str:
    page.wait_for_function("([s, t]) => Array.from(document.querySelectorAll(s)).some(e => e.innerText.includes(t))",
                           arg=[selector, text])
    return page.locator(selector).first.inner_text()


def _chart_sources(page) -> dict[str, str]:
    """Each chart's image source (a new picture is a new source)."""
    return page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('img.leadsim-chart'))
        .map(img => [Array.from(img.classList).find(c => c.startsWith('leadsim-') && c !== 'leadsim-chart')
                     .slice('leadsim-'.length), img.src]))""")


def _wait_charts_changed(page, before: dict[str, str], names: list[str]) -> dict[str, str]:
    deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        now = _chart_sources(page)
        if all(now.get(n) and now.get(n) != before.get(n) for n in names):
            return now
        time.sleep(0.1)
    unchanged = [n for n in names if _chart_sources(page).get(n) == before.get(n)]
    pytest.fail(f"charts did not change: {unchanged}")


def _steps(page, n: int) -> None:
    start = _month(page)
    for k in range(1, n + 1):
        page.get_by_role("button", name="Step").click()
        _wait_month(page, lambda m, k=k: m == start + k, f"month {start + k} after Step")


def _select(page, label: str, option: str) -> None:
    page.get_by_role("button", name=label, exact=False).first.click()
    page.get_by_role("option", name=option, exact=True).click()


def _reset(page, title_has: str) -> None:
    page.get_by_role("button", name="Reset").click()
    page.wait_for_function("t => document.querySelector('.v-toolbar__title').innerText.includes(t)", arg=title_has)
    _wait_month(page, lambda m: m == 0, "month 0 after Reset")


def _cost_per_person_reached(page) -> float:
    """Strategy A's money spent per person reached (after its first event: its cost per participant)."""
    spent, reached = re.search(r"A: spent ([\d,]+) · ([\d,]+) people reached", _status(page)).groups()
    return int(spent.replace(",", "")) / int(reached.replace(",", ""))


def _download(page, button: str, index: int = 0) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).nth(index).click()
    return Path(info.value.path()).read_bytes()


# ---- the tests ------------------------------------------------------------------------------------------------
def test_step_play_pause_recolour_and_reset_in_chromium(app_url: str, page) -> None:
    _open(page, app_url)
    assert _month(page) == 0
    assert page.get_by_text("Time: 0.0").is_visible()  # Mesa's own step counter
    assert "A: hosting vs business as usual" in _title(page)
    assert "Budget per strategy (thousands): 300" in page.locator(".leadsim-value-budget_thousands").inner_text()
    assert "Population: 400" in page.locator(".leadsim-value-people").inner_text()
    first = _chart_sources(page)

    page.get_by_role("button", name="Step").click()
    _wait_month(page, lambda m: m == 1, "month 1 after Step")
    page.get_by_text("Time: 1.0").wait_for()
    stepped = _wait_charts_changed(page, first, CHARTS)

    page.get_by_role("button", name="▶").click()  # play
    _wait_month(page, lambda m: m >= 6, "month 6 or later while playing")
    page.get_by_role("button", name="❚❚").click()  # pause
    paused_at = _month(page)
    time.sleep(1.0)  # a paused model must not move (it would have gone several months in a second)
    assert _month(page) <= paused_at + 1
    settled = _month(page)
    time.sleep(0.8)
    assert _month(page) == settled
    played = _wait_charts_changed(page, stepped, ["network", "difference", "community", "levels"])
    page.screenshot(path=str(ARTIFACTS / "viz_browser.png"), full_page=True)

    page.get_by_role("button", name="sector").click()  # recolour the network
    _wait_charts_changed(page, played, ["network"])

    _select(page, "Strategy A", "mentoring")
    assert "hosting" in _title(page)  # the title shows what runs, until Reset applies the sidebar
    _reset(page, "A: mentoring vs business as usual")
    assert "A: mentoring" in page.locator(".leadsim-scenario").inner_text()
    page.screenshot(path=str(ARTIFACTS / "viz_browser_reset.png"), full_page=True)


def test_business_as_usual_beside_the_strategy_and_the_downloads(app_url: str, page) -> None:
    _open(page, app_url)
    _steps(page, 4)
    status = _status(page)
    assert "business as usual" in status and "vs business as usual, same seed" in status
    assert re.search(r"people reached, of whom \d+ have left", status)
    table = pd.read_csv(io.BytesIO(_download(page, "Download the table (CSV)")))
    assert list(table.columns) == ["scenario", "replication", "seed", "month", "metric", "value"]
    assert sorted(table.scenario.unique()) == ["A: hosting", "business as usual"]
    assert table.month.max() == 4 and table.seed.nunique() == 1
    wide = table.pivot_table(index=["metric", "month"], columns="scenario", values="value")
    shared = wide.loc[[m for m in wide.index.get_level_values(0).unique() if "." not in m]]
    at_zero = shared.xs(0, level="month")
    assert (at_zero["A: hosting"] == at_zero["business as usual"]).all()  # same seed: the same community
    later = shared.xs(4, level="month")
    assert (later["A: hosting"] != later["business as usual"]).any()  # the strategy's own difference
    assert later.loc["people_reached", "business as usual"] == 0 < later.loc["people_reached", "A: hosting"]
    png = _download(page, "PNG", CHARTS.index("difference") - 1)  # the first card is the difference panel
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_axes_fit_or_show_0_to_1_or_the_change_since_month_0(app_url: str, page) -> None:
    _open(page, app_url)
    _steps(page, 2)
    fitted = _chart_sources(page)
    page.get_by_role("button", name="0 to 1").click()
    full = _wait_charts_changed(page, fitted, ["community", "levels"])
    page.get_by_role("button", name="change since month 0").click()
    _wait_charts_changed(page, full, ["community", "levels"])
    page.screenshot(path=str(ARTIFACTS / "viz_browser_change.png"), full_page=True)


def test_an_intervention_parameter_set_in_the_page_changes_the_run(app_url: str, page) -> None:
    _open(page, app_url)
    _steps(page, 1)
    assert _cost_per_person_reached(page) == 60.0  # the schema's default cost per participant
    page.get_by_text("hosting parameters").click()
    field = page.get_by_label("cost_per_participant")
    assert field.input_value() == "60.0"  # the schema's default (the file sets only every_months)
    assert page.get_by_label("every_months").input_value() == "3"  # the file's own value
    field.fill("120")
    field.press("Enter")

    bad = page.get_by_label("every_months")
    bad.fill("0")
    bad.press("Enter")
    message = _wait_text(page, ".leadsim-controls-problem", "every_months")
    assert "sidebar, strategy A: interventions.0.params.every_months: got 0" in message
    assert "Allowed: an integer from 1 to 1,200" in message
    page.get_by_role("button", name="Reset").click()  # Reset applies what the sidebar shows: nothing runs
    _wait_text(page, ".leadsim-problem", "every_months: got 0")
    page.screenshot(path=str(ARTIFACTS / "viz_browser_bad_value.png"), full_page=True)

    bad.fill("3")
    bad.press("Enter")
    page.wait_for_function("() => !document.querySelector('.leadsim-controls-problem')")
    page.get_by_role("button", name="Reset").click()
    page.wait_for_selector(".leadsim-status")
    _steps(page, 1)
    assert _cost_per_person_reached(page) == 120.0  # the first event's participants at the new cost


def test_two_strategies_side_by_side(app_url: str, page) -> None:
    _open(page, app_url)
    _select(page, "Strategy B", "mentoring")
    _reset(page, "A: hosting vs B: mentoring vs business as usual")
    _steps(page, 3)
    status = _status(page)
    assert "A: hosting" in status and "B: mentoring" in status and "B: spent" in status
    table = pd.read_csv(io.BytesIO(_download(page, "Download the table (CSV)")))
    assert sorted(table.scenario.unique()) == ["A: hosting", "B: mentoring", "business as usual"]
    page.screenshot(path=str(ARTIFACTS / "viz_browser_two_strategies.png"), full_page=True)


def test_replay_scrubs_a_stored_run_without_rerunning_it(replay: tuple[str, Path], page) -> None:
    url, folder = replay
    _open(page, url, [c for c in CHARTS if c != "network"])
    assert f"replay of {folder}" in _title(page)
    assert _month(page) == 12 and "Month: 12 of 12" in page.locator(".leadsim-replay-month").inner_text()
    stored = pd.read_parquet(folder / "metrics.parquet")
    first = _chart_sources(page)
    slider = page.get_by_role("slider").last
    slider.focus()
    slider.press("Home")
    _wait_month(page, lambda m: m == 0, "month 0 after Home on the month slider")
    for _ in range(3):
        slider.press("ArrowRight")
    _wait_month(page, lambda m: m == 3, "month 3 after three steps right")
    _wait_charts_changed(page, first, ["difference", "community", "levels"])
    value = stored[(stored.scenario == "none") & (stored.month == 3) & (stored.metric == "community_result")]
    assert f"business as usual {float(value.value.iloc[0]):.4f}" in _status(page)  # the stored number
    table = pd.read_csv(io.BytesIO(_download(page, "Download the table (CSV)")))
    assert table.month.max() == 3 and sorted(table.scenario.unique()) == ["A: hosting", "business as usual"]
    page.screenshot(path=str(ARTIFACTS / "viz_browser_replay.png"), full_page=True)
