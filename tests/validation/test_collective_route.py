"""Validation of the leadership-development route and the community result: a lab, a large programme, the drift,
and the life cycle of funded initiatives.

Five fixed seeds of the 2,000-person community, each programme paired against business as usual on the same seed
(``measures.paired_points``). Tolerances: the acceptance rule is in ``check.py`` (the mean over seeds inside the
evidence target's interval). The seed-to-seed 95% intervals of the means are reported with every failure; the lab's
(a handful of prototypes) is the widest, about +-1 point at 18 months and +-2 at 48, against target intervals
several points wide. The life cycle pools 20 seeds (``measures.LIFE_SEEDS``): its rates rest on about 30-40
programme-started initiatives a seed, and the split by members' activity on the 10-20 that outlive their funding.
"""

import pytest
from check import assert_above, assert_within

from simulation import measures

pytestmark = pytest.mark.validation


@pytest.fixture(scope="module")
def lab() -> dict[int, measures.Estimate]:
    return measures.lab_effect()


@pytest.fixture(scope="module")
def programme() -> measures.CollectiveOutcomes:
    return measures.collective_programme()


@pytest.fixture(scope="module")
def life() -> measures.LifeCycle:
    return measures.funded_life_cycle()


def test_lab_moves_the_community_result_within_18_months(lab):
    EVIDENCE_ID = "community.lia_lab_18m"
    assert_within(lab[18], EVIDENCE_ID, "a 40-leader lab's community-result change at 18 months (points)")


def test_lab_moves_the_community_result_over_four_years(lab):
    EVIDENCE_ID = "community.lia_lab_48m"
    assert_within(lab[48], EVIDENCE_ID, "a 40-leader lab's community-result change at 48 months (points)")


def test_large_collective_programme_points_per_year(programme):
    EVIDENCE_ID = "community.large_programme_rate"
    assert_within(programme.points_per_year, EVIDENCE_ID, "a large collective programme's points a year")


@pytest.fixture(scope="module")
def at_rest() -> measures.Baseline:
    return measures.business_as_usual_outcomes()


def test_baseline_drift_is_small(at_rest):
    EVIDENCE_ID = "community.baseline_drift"
    assert_within(at_rest.drift, EVIDENCE_ID, "business as usual's change over 60 months (points)")


def test_business_as_usual_holds_the_engaged_share(at_rest):
    EVIDENCE_ID = "community.engaged_share"
    assert_within(at_rest.engaged_share, EVIDENCE_ID, "business as usual's engaged share at month 60")


def test_funded_initiatives_survive_their_funded_period(life):
    EVIDENCE_ID = "initiatives.survive_funded_period"
    assert_within(life.survive_funded_period, EVIDENCE_ID,
                  "share still active at the end of their funding or four years into it")


def test_funded_initiatives_rarely_fail_while_funded(life):
    EVIDENCE_ID = "initiatives.failure_rate_funded"
    assert_within(life.failure_rate_funded, EVIDENCE_ID, "failures per initiative-year while funded")


def test_initiatives_end_after_their_funding_at_the_reported_rate(life):
    EVIDENCE_ID = "initiatives.termination_after_funding"
    assert_within(life.termination_after_funding, EVIDENCE_ID, "ends per initiative-year after funding")


def test_most_initiatives_are_alive_four_years_after_funding(life):
    EVIDENCE_ID = "initiatives.alive_4y_after_funding"
    assert_within(life.alive_4y_after_funding, EVIDENCE_ID, "share active or completed 48 months after funding")


def test_initiatives_that_end_mostly_complete(life):
    EVIDENCE_ID = "initiatives.completion_share"
    assert_within(life.completion_share, EVIDENCE_ID, "completed share of those that ended")


def test_members_are_as_active_as_coalition_members(life):
    EVIDENCE_ID = "initiatives.active_members"
    assert_within(life.active_members, EVIDENCE_ID, "members' mean engagement after funding")


def test_initiatives_with_more_active_members_outlive_the_others(life):
    EVIDENCE_ID = "initiatives.activity_predicts_survival"
    # A direction target: the whole 95% interval over the 20 seeds must lie above 0 (check.assert_above), as the
    # HCAP regression found the association distinguishable from zero; a mean just above 0 would pass a model in
    # which members' activity does nothing about half the time.
    assert_above(life.activity_predicts_survival, EVIDENCE_ID,
                 "share alive 4 years after funding, most minus least active half")
