"""Validation of the network: one-year survival of weak, unreinforced bridges in business as usual (Burt 2002).

Five fixed seeds of the 2,000-person community; a seed follows about 1,500 weak bridges, so a seed's share has a
binomial error of about 0.01 and the mean over seeds about 0.005, against a target interval of 0.05-0.2.
"""

import pytest
from check import assert_within

from simulation import measures

pytestmark = pytest.mark.validation


def test_one_year_survival_of_weak_unreinforced_bridges():
    EVIDENCE_ID = "bridge_survival_1y"
    assert_within(measures.bridge_survival(), EVIDENCE_ID, "share of weak unreinforced bridges left after a year")
