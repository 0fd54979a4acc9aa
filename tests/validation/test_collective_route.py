"""Validation of the leadership-development route and the community result: a lab, a large programme, the drift.

Five fixed seeds of the 2,000-person community, each programme paired against business as usual on the same
seed (``measures.paired_points``). Tolerances: the acceptance rule is in ``check.py``. The seed-to-seed 95%
intervals of the means, measured on today's code: the lab +-1.2 points at 18 months (its handful of prototypes
makes it the noisiest) and +-6.6 at 48 (today's effect is 37 points; the error shrinks with it), the large
programme +-1.5 points a year, the drift +-0.03 points; the target intervals are several points wide. The
initiative shares rest on about 80 initiatives a seed (binomial error about 0.05 a seed; measured +-0.08 for the
mean of the failure share) against intervals 0.3 wide.
"""

import pytest
from check import assert_within

from simulation import measures

pytestmark = pytest.mark.validation

NEEDS_LIFE_CYCLE = "needs the #12 mechanisms (initiatives that complete: status 'completed', lifetime_months)"


@pytest.fixture(scope="module")
def lab() -> dict[int, measures.Estimate]:
    return measures.lab_effect()


@pytest.fixture(scope="module")
def programme() -> measures.CollectiveOutcomes:
    return measures.collective_programme()


def test_lab_moves_the_community_result_within_18_months(lab):
    EVIDENCE_ID = "lab_result_18m"
    assert_within(lab[18], EVIDENCE_ID, "a 40-leader lab's community-result change at 18 months (points)")


def test_lab_moves_the_community_result_over_four_years(lab):
    EVIDENCE_ID = "lab_result_48m"
    assert_within(lab[48], EVIDENCE_ID, "a 40-leader lab's community-result change at 48 months (points)")


def test_large_collective_programme_points_per_year(programme):
    EVIDENCE_ID = "collective_points_per_year"
    assert_within(programme.points_per_year, EVIDENCE_ID, "a large collective programme's points a year")


def test_baseline_drift_is_small():
    EVIDENCE_ID = "baseline_drift_60m"
    assert_within(measures.baseline_drift(), EVIDENCE_ID, "business as usual's change over 60 months (points)")


def test_initiative_failure_share(programme):
    EVIDENCE_ID = "initiatives_failed_share"
    assert programme.initiatives >= 100, "too few initiatives to measure a share"
    assert_within(programme.failed_share, EVIDENCE_ID, "share of initiatives formed that failed by month 60")


@pytest.mark.xfail(not measures.can_complete(), reason=NEEDS_LIFE_CYCLE, strict=False)
def test_initiative_completion_share(programme):
    EVIDENCE_ID = "initiatives_completed_share"
    assert programme.completed_share is not None, "initiatives cannot complete in this model"
    assert_within(programme.completed_share, EVIDENCE_ID, "share of initiatives formed that completed by month 60")


def test_adoptions_outside_members_own_organizations(programme):
    EVIDENCE_ID = "adoptions_outside_share"
    assert_within(programme.adoptions_outside_share, EVIDENCE_ID, "share of adoptions outside members' orgs")
