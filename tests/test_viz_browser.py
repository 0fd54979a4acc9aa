"""The browser app end to end: `leadsim viz` in a subprocess on 127.0.0.1, driven by Playwright in Debian's Chromium.

What a person would check: the page loads with every view; Step advances the month (Mesa's step counter and our
status line) and redraws the plots; Play runs several months and Pause stops it; the network can be recoloured by
sector; Reset with another intervention rebuilds the model with it. The browser may reach 127.0.0.1 only: every
other request is blocked and recorded, and the test fails if there was any. A screenshot goes to test-artifacts/.

Every wait is bounded; the server is stopped in the fixture's teardown whatever happens.
"""

from __future__ import annotations

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

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_TIMEOUT_S = 60
UI_TIMEOUT_MS = 30_000

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra: pip install -e '.[dev]'")
if not Path(CHROMIUM).exists() and os.environ.get("LEADSIM_REQUIRE_BROWSER"):
    pytest.fail(f"{CHROMIUM} is missing, and `make test` requires the browser test (it installs chromium)",
                pytrace=False)
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"{CHROMIUM} is missing: `make test` installs Debian's chromium")

SCENARIO = """\
name: browser-test
months: 24
seed: 3
budget: 300000
population: {people: 400, places: 3}
interventions:
  - type: individual_training
    params: {every_months: 6, cost_per_participant: 5000}
"""


def _read_lines(stream, lines: queue.Queue) -> None:
    for line in iter(stream.readline, ""):
        lines.put(line)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start `leadsim viz FILE --port 0`, wait (bounded) for the address it prints and for HTTP 200; stop it."""
    folder = tmp_path_factory.mktemp("viz")
    scenario = folder / "browser_test.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("LEADSIM_VIZ_SCENARIO", None)
    server = subprocess.Popen([sys.executable, "-m", "simulation.cli", "viz", str(scenario), "--port", "0"],
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


def _month(page) -> int:
    text = page.locator(".leadsim-status").inner_text()
    return int(re.search(r"Month (\d+) of", text).group(1))


def _wait_month(page, predicate, what: str) -> int:
    deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        month = _month(page)
        if predicate(month):
            return month
        time.sleep(0.1)
    pytest.fail(f"the page never showed {what} (last: month {_month(page)})")


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


def test_step_play_pause_recolour_and_reset_in_chromium(app_url: str) -> None:
    blocked: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1300})
            page.set_default_timeout(UI_TIMEOUT_MS)

            def only_this_machine(route) -> None:
                url = route.request.url
                if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
                    route.continue_()
                else:
                    blocked.append(url)
                    route.abort()

            page.route("**/*", only_this_machine)
            page.goto(app_url)
            page.wait_for_selector("img.leadsim-network")
            charts = ["network", "community", "initiatives", "levels", "cost-reach"]
            page.wait_for_function("n => document.querySelectorAll('img.leadsim-chart').length >= n", arg=len(charts))
            assert _month(page) == 0
            assert page.get_by_text("Time: 0.0").is_visible()  # Mesa's own step counter
            assert "browser-test" in page.locator(".leadsim-scenario").inner_text()
            first = _chart_sources(page)

            page.get_by_role("button", name="Step").click()
            _wait_month(page, lambda m: m == 1, "month 1 after Step")
            page.get_by_text("Time: 1.0").wait_for()
            stepped = _wait_charts_changed(page, first, charts)

            page.get_by_role("button", name="▶").click()  # play
            _wait_month(page, lambda m: m >= 4, "month 4 or later while playing")
            page.get_by_role("button", name="❚❚").click()  # pause
            paused_at = _month(page)
            time.sleep(1.0)  # a paused model must not move (it would have gone several months in a second)
            assert _month(page) <= paused_at + 1
            settled = _month(page)
            time.sleep(0.8)
            assert _month(page) == settled
            played = _wait_charts_changed(page, stepped, ["network", "community", "levels"])
            page.screenshot(path=str(ARTIFACTS / "viz_browser.png"), full_page=True)

            page.get_by_role("button", name="sector").click()  # recolour the network
            _wait_charts_changed(page, played, ["network"])

            page.get_by_role("button", name="Intervention", exact=False).first.click()
            page.get_by_role("option", name="mentoring", exact=True).click()
            page.get_by_role("button", name="Reset").click()
            page.wait_for_function("() => document.querySelector('.leadsim-scenario').innerText.includes('mentoring')")
            _wait_month(page, lambda m: m == 0, "month 0 after Reset")  # the status line redraws after the title
            page.screenshot(path=str(ARTIFACTS / "viz_browser_reset.png"), full_page=True)
        finally:
            browser.close()
    assert blocked == [], f"the page tried to reach beyond 127.0.0.1: {blocked}"
