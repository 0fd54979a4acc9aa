"""The model's own organizational-learning submodel set up as March (1991) set up his: one organization of 50
people, 30 dimensions, the code starting neutral. Shared by tests/docking/test_march.py and docs/docking.py.

The mapping (docs/docking.md): each of March's dimensions is a capacity dimension; reality is relabelled so that it
is +1 on every dimension (a symmetry of March's model), which makes it *full capacity*; a belief of -1, 0, 1 is a
capacity of 0, 0.5, 1; the neutral code is a practice of 0.5; knowledge is the practice level (the mean practice).
Everyone is staff (March weights individuals alike) and applies all they know (``practice = 1``), so applied
capacity is capacity. The month's calls are the model's: :func:`~simulation.core.turnover.monthly_leavers` picks
leavers and :func:`~simulation.core.learning.organizational_learning` does the learning; a leaver's place is taken
by a newcomer with naive beliefs drawn as March's (each of 0, 0.5, 1 equally likely).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from simulation.core.learning import organizational_learning
from simulation.core.scenario import LearningParams, TurnoverParams
from simulation.core.streams import Streams
from simulation.core.turnover import monthly_leavers

MARCH = {"code_learning": "superior_group", "socialization": "toward_code"}
"""The switches that give March's set-up (the model's defaults are ``weighted_mean`` and ``upward``)."""


def march_org(seed: int, p1: float, p2: float, *, n: int = 50, m: int = 30, p3: float = 0.0,
              **learning) -> SimpleNamespace:
    """A stand-in model with what organizational learning and turnover read: people, one organization, params."""
    rng = np.random.default_rng(seed)
    people = SimpleNamespace(count=n, alive=np.ones(n, bool), org=np.zeros(n, np.int32),
                             position=np.zeros(n, np.int8), practice=np.ones(n, np.float32),
                             capacity=(rng.integers(0, 3, (n, m)) / 2.0).astype(np.float32))
    orgs = SimpleNamespace(count=1, practice=np.full((1, m), 0.5, np.float32))
    switches = {**MARCH, **learning}
    params = SimpleNamespace(learning=LearningParams(org_learning_rate=p2, socialization_rate=p1, **switches),
                             turnover=TurnoverParams(monthly_rate=p3, leader_monthly_rate=p3))
    return SimpleNamespace(people=people, orgs=orgs, params=params, streams=Streams(seed), month=0, rng=rng,
                           newcomers_at_practice=False)


def step(model: SimpleNamespace) -> None:
    """One period: turnover (if any), then organizational learning, as March orders them."""
    if model.params.turnover.monthly_rate > 0:
        leavers = monthly_leavers(model)
        if len(leavers):
            cap = model.people.capacity
            if model.newcomers_at_practice:  # a mutation: newcomers arrive already socialised (no diversity)
                cap[leavers] = model.orgs.practice[0]
            else:
                cap[leavers] = model.rng.integers(0, 3, (len(leavers), cap.shape[1])) / 2.0
    organizational_learning(model)
    model.month += 1


def knowledge(seed: int, p1: float, p2: float, *, periods: int = 0, max_periods: int = 1500, **kw) -> float:
    """The practice level after ``periods`` months, or at equilibrium (``periods=0``: the practice and every
    member stop moving, or ``max_periods``)."""
    model = march_org(seed, p1, p2, **kw)
    for t in range(periods or max_periods):
        before = model.orgs.practice.copy()
        spread = np.ptp(model.people.capacity, axis=0).max()
        step(model)
        if not periods and t > 10 and spread < 1e-4 and np.abs(model.orgs.practice - before).max() < 1e-6:
            break
    return float(model.orgs.practice.mean())


def knowledge_runs(p1: float, p2: float, seeds: range, **kw) -> np.ndarray:
    """:func:`knowledge` for each seed (paired: the same seed draws the same people in every setting)."""
    return np.array([knowledge(s, p1, p2, **kw) for s in seeds])
