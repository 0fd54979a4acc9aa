"""Docking with March (1991): the model's organizational-learning submodel, set up as March set his up, shows his
three headline directions, as a reference implementation of his discrete model does (docs/docking.md).

1. Slower socialization (p1) gives higher equilibrium knowledge, with fast code learning (p2 = 0.9).
2. A mix of slow (0.1) and fast (0.9) learners beats a homogeneous population at the same mean rate (0.5), p2 0.5.
3. Moderate turnover (p3 = 0.1 a period) raises the code's knowledge at period 20 (March's measurement), p1 and
   p2 0.5.

Each direction is checked on the model (``march_setup``: the model's own ``organizational_learning`` and
``monthly_leavers``), then shown to fail when the mechanism is broken, and checked on the reference
(``march_reference``). Model runs are paired: a seed draws the same 50 people in every setting. Knowledge is the
practice level (0.5 = March's neutral code, 1 = all of reality).
"""

from __future__ import annotations

import march_setup
import numpy as np
import pytest
from march_reference import code_knowledge
from march_setup import knowledge_runs

from simulation.core import learning

SEEDS = range(40)
TURNOVER_SEEDS = range(100)

# Measured on these seeds: slow-minus-fast knowledge gap 0.077 (paired sd 0.020, se 0.003); mix-minus-homogeneous
# 0.052 (sd 0.019, se 0.003); turnover gain 0.092 (sd 0.025, se 0.0025, 100 seeds). Each margin is about 40% of the
# measured effect - over ten standard errors below it - and above every broken variant's gap (at most 0.001 without
# superior-group learning or with upward-only socialization, exactly 0 with the rate ignored).
GAP_SOCIALISATION = 0.03
GAP_MIX = 0.02
GAP_TURNOVER = 0.03


def _slow_minus_fast(**kw) -> float:
    slow = knowledge_runs(0.1, 0.9, SEEDS, **kw)
    fast = knowledge_runs(0.9, 0.9, SEEDS, **kw)
    return float((slow - fast).mean())


def _mix_minus_homogeneous(**kw) -> float:
    mix = knowledge_runs(0.1, 0.5, SEEDS, fast_learner_share=0.5, fast_socialization_rate=0.9, **kw)
    same_mean = knowledge_runs(0.5, 0.5, SEEDS, **kw)
    return float((mix - same_mean).mean())


def _turnover_gain(**kw) -> float:
    moderate = knowledge_runs(0.5, 0.5, TURNOVER_SEEDS, p3=0.1, periods=20, **kw)
    none = knowledge_runs(0.5, 0.5, TURNOVER_SEEDS, p3=0.0, periods=20, **kw)
    return float((moderate - none).mean())


def _rate_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    """A mutation: socialization runs at a fixed rate, whatever ``socialization_rate`` says."""
    kernel = learning._learn_and_socialise

    def ignored(alive, org, capacity, org_practice, total, sums, rate, socialization, *rest):
        kernel(alive, org, capacity, org_practice, total, sums, rate, np.float32(0.5), *rest)

    monkeypatch.setattr(learning, "_learn_and_socialise", ignored)


def _rates_averaged(monkeypatch: pytest.MonkeyPatch) -> None:
    """A mutation: everyone socialises at the population's mean rate (heterogeneity ignored)."""
    kernel = learning._learn_and_socialise

    def averaged(alive, org, capacity, org_practice, total, sums, rate, socialization, toward, share, fast, offset):
        mean = np.float32((1 - share) * socialization + share * fast)
        kernel(alive, org, capacity, org_practice, total, sums, rate, mean, toward, 0.0, fast, offset)

    monkeypatch.setattr(learning, "_learn_and_socialise", averaged)


BREAKAGES = {
    "todays_code_learning": {"code_learning": "weighted_mean"},
    "upward_socialization": {"socialization": "upward"},
}


# ---- 1. slower socialization, higher equilibrium knowledge ---------------------------------------------------
def test_slower_socialisation_gives_higher_equilibrium_knowledge() -> None:
    assert _slow_minus_fast() > GAP_SOCIALISATION


@pytest.mark.parametrize("breakage", [*BREAKAGES, "rate_ignored"])
def test_the_socialisation_check_fails_when_the_mechanism_is_broken(breakage, monkeypatch) -> None:
    if breakage == "rate_ignored":
        _rate_ignored(monkeypatch)
        switches = {}
    else:
        switches = BREAKAGES[breakage]
    assert _slow_minus_fast(**switches) < GAP_SOCIALISATION


# ---- 2. a mix of slow and fast learners ----------------------------------------------------------------------
def test_a_mix_of_slow_and_fast_learners_beats_a_homogeneous_population() -> None:
    assert _mix_minus_homogeneous() > GAP_MIX


@pytest.mark.parametrize("breakage", [*BREAKAGES, "rates_averaged"])
def test_the_mix_check_fails_when_the_mechanism_is_broken(breakage, monkeypatch) -> None:
    if breakage == "rates_averaged":
        _rates_averaged(monkeypatch)
        switches = {}
    else:
        switches = BREAKAGES[breakage]
    assert _mix_minus_homogeneous(**switches) < GAP_MIX


# ---- 3. moderate turnover ------------------------------------------------------------------------------------
def test_moderate_turnover_raises_the_codes_knowledge() -> None:
    assert _turnover_gain() > GAP_TURNOVER


@pytest.mark.parametrize("breakage", [*BREAKAGES, "newcomers_already_socialised"])
def test_the_turnover_check_fails_when_the_mechanism_is_broken(breakage, monkeypatch) -> None:
    if breakage == "newcomers_already_socialised":  # March: the gain comes from newcomers' diversity
        made = march_setup.march_org

        def socialised(*args, **kwargs):
            model = made(*args, **kwargs)
            model.newcomers_at_practice = True
            return model

        monkeypatch.setattr(march_setup, "march_org", socialised)
        switches = {}
    else:
        switches = BREAKAGES[breakage]
    assert _turnover_gain(**switches) < GAP_TURNOVER


def test_the_switches_leave_the_default_kernel_as_it_was() -> None:
    """At the defaults the practice follows all members and socialization only raises: the ratchet that takes
    March's set-up to full knowledge whatever p1 (why the defaults cannot show direction 1)."""
    slow = knowledge_runs(0.1, 0.9, range(5), code_learning="weighted_mean", socialization="upward")
    fast = knowledge_runs(0.9, 0.9, range(5), code_learning="weighted_mean", socialization="upward")
    assert np.allclose(slow, fast, atol=1e-3) and slow.min() > 0.99


# ---- the reference shows the same directions -----------------------------------------------------------------
# Reference effects (share of dimensions right, per-replication sd about 0.05-0.06): slow-minus-fast 0.059 over
# 100 replications each (se 0.008); mix-minus-homogeneous 0.019 over 300 (se 0.0045); turnover gain 0.008 over 4,000
# at period 20 (se 0.0013). Each threshold is about half the measured effect, over two standard errors below it.
def test_reference_slower_socialisation_gives_higher_equilibrium_knowledge() -> None:
    gap = code_knowledge(0.1, 0.9, reps=100).mean() - code_knowledge(0.9, 0.9, reps=100, seed=10_000).mean()
    assert gap > 0.03


def test_reference_mix_beats_homogeneous_population_at_the_same_mean_rate() -> None:
    mix = code_knowledge(0.1, 0.5, n_fast=25, reps=300).mean()
    same_mean = code_knowledge(0.5, 0.5, reps=300, seed=10_000).mean()
    assert mix - same_mean > 0.008


def test_reference_moderate_turnover_raises_the_codes_knowledge() -> None:
    moderate = code_knowledge(0.5, 0.5, p3=0.1, periods=20, reps=4000).mean()
    none = code_knowledge(0.5, 0.5, p3=0.0, periods=20, reps=4000, seed=10_000).mean()
    assert moderate - none > 0.004
