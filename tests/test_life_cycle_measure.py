"""The life-cycle measure's arithmetic on hand-made fates (simulation/measures/life_cycle.py), apart from the model:
which initiatives count as alive four years after funding, and the split by members' activity."""

import math

from simulation.measures.life_cycle import FOLLOW_MONTHS, Fate, _activity_gap, _rates


def fate(activity: float, alive: bool, funded_until: int = 24, status: str | None = None) -> Fate:
    """An initiative funded until ``funded_until`` that ends 12 months after it (or outlives the follow-up)."""
    ended = funded_until + (FOLLOW_MONTHS + 12 if alive else 12)
    return Fate(0, funded_until, ended, status or ("active" if alive else "faded"), 200, activity, (activity, 1))


def test_the_more_active_half_minus_the_less_active_half():
    fates = [fate(0.9, True), fate(0.2, False), fate(0.8, True), fate(0.3, False)]
    assert _activity_gap(fates) == 1.0
    assert _activity_gap(list(reversed(fates))) == 1.0  # the split is by activity, not by order


def test_the_gap_is_negative_when_the_less_active_outlive_the_others():
    assert _activity_gap([fate(0.9, False), fate(0.8, False), fate(0.3, True), fate(0.2, True)]) == -1.0


def test_an_odd_middle_and_an_unmeasured_initiative_are_left_out():
    # five scored: halves of two; the middle one (0.5, alive) is in neither; the NaN one is not scored
    fates = [fate(0.9, True), fate(0.8, False), fate(0.5, True), fate(0.2, False), fate(0.1, False),
             fate(math.nan, True)]
    assert _activity_gap(fates) == 0.5


def test_too_few_to_split_gives_nan():
    assert math.isnan(_activity_gap([fate(0.9, True)]))
    assert math.isnan(_activity_gap([]))


def test_a_completed_initiative_counts_as_alive_after_funding():
    completed = Fate(0, 24, 30, "completed", 30, 0.1, (0.1, 1))  # completed six months after its funding ended
    assert _activity_gap([completed, fate(0.9, False)]) == -1.0


def test_members_activity_is_averaged_over_initiative_months():
    fates = [Fate(0, 24, 200, "active", 300, 0.9, (4.0, 5)), Fate(0, 24, 200, "active", 300, 0.5, (1.0, 5))]
    assert _rates(fates, 200)["active"] == 0.5  # (4 + 1) / (5 + 5), not the mean of 0.8 and 0.2
