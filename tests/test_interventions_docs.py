"""The example of docs/interventions.md runs as written, and the intervention it defines does what the page says:
it reaches people, spends within its budget, makes and keeps ties between buddies and raises their engagement.

Also the contract the page states: the entry points cannot be overridden, and the budget formula's edge cases.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from simulation import REGISTRY, Intervention, LeadershipModel

DOC = Path(__file__).resolve().parent.parent / "docs" / "interventions.md"
MARKER = "<!-- example: tests/test_interventions_docs.py executes this block -->"


def example_code() -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(re.escape(MARKER) + r"\n```python\n(.*?)\n```", text, re.DOTALL)
    assert match, f"{DOC.name} has no python block after {MARKER!r}"
    return match.group(1)


@pytest.fixture(scope="module")
def example() -> dict:
    namespace: dict = {"__name__": "docs_example"}
    try:
        exec(compile(example_code(), str(DOC), "exec"), namespace)
    finally:
        REGISTRY.pop("buddies", None)  # the rest of the suite sees only the shipped interventions
    return namespace


def test_the_example_reaches_people_within_its_budget(example: dict) -> None:
    buddies, scenario = example["buddies"], example["scenario"]
    assert type(buddies).__name__ == "Buddies" and buddies.events == 4  # months 0, 6, 12 and 18
    assert buddies.people_reached > 0
    assert 0.9 * scenario.budget < buddies.spent <= scenario.budget
    table = example["model"].metrics()
    final = table[table.month == 24].set_index("metric").value
    assert final["cost_spent.buddies"] == pytest.approx(buddies.spent)
    assert final["people_reached.buddies"] == buddies.people_reached


def test_the_example_keeps_the_buddies_tied(example: dict) -> None:
    model, buddies = example["model"], example["buddies"]
    a, b, paired = buddies.intakes[-1]
    assert paired == 18
    alive = model.people.alive[a] & model.people.alive[b]
    # Both buddies of a pair stay the 6 months since pairing with chance (1 - monthly turnover)^12 (0.78 at the
    # default 2% a month); allow three binomial sd below that, so the check is about turnover, not luck.
    stay = (1 - model.params.turnover.monthly_rate) ** 12
    assert alive.sum() > stay * len(a) - 3 * np.sqrt(len(a) * stay * (1 - stay))
    assert alive.sum() > len(a) / 2
    # Reinforced every month, so no living pair's tie decayed.
    assert model.ties.exists(a[alive], b[alive]).all()


def test_the_example_raises_the_buddies_engagement_over_the_same_seed_without_it(example: dict) -> None:
    model, scenario = example["model"], example["scenario"]
    null = LeadershipModel(scenario.model_copy(update={"interventions": []}), rng=1)
    null.run_for(24)
    a, b, _ = example["buddies"].intakes[-1]
    ids = np.concatenate([a, b])
    ids = ids[model.people.alive[ids] & null.people.alive[ids]]
    assert model.people.engagement[ids].mean() > null.people.engagement[ids].mean()


def test_the_entry_points_cannot_be_overridden() -> None:
    for method in ("attach", "run_month"):
        with pytest.raises(TypeError, match=method):
            type("Bad", (Intervention,), {"name": "bad", method: lambda self, model: None})
    assert "bad" not in REGISTRY


@pytest.mark.parametrize(("budget", "params", "size"), [
    (None, {}, 0),                                      # unbudgeted, no participants set
    (None, {"participants": 7}, 7),                     # unbudgeted: exactly participants
    (0.0, {}, 0),                                       # zero budget
    (5_000.0, {"fixed_cost_per_month": 1_000.0}, 0),    # fixed costs exceed the budget
    (10_000.0, {"cost_per_participant": 0.0}, 10**9),   # free participants: everyone eligible
    (10_000.0, {"cost_per_participant": 0.0, "participants": 5}, 5),
    (10_000.0, {"start_month": 12}, 0),                 # no event month before the horizon
    (10_000.0, {}, 5),                                  # 2 events at 1,000 a head: floor(10,000 / 2,000)
    (10_000.0, {"cost_per_event": 1_000.0}, 4),         # floor(8,000 / 2,000)
    (10_000.0, {"participants": 3}, 3),
])
def test_the_budget_formula_edge_cases(budget: float | None, params: dict, size: int) -> None:
    iv = Intervention({"every_months": 6, **params}, budget=budget)
    iv.horizon = 12
    assert iv.event_size(model=None) == size
