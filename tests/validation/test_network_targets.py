"""Validation of the network: one-year survival of weak, unreinforced bridges in business as usual (Burt 2002).

Five fixed seeds of the 2,000-person community. A seed has about 1,450 weak bridges at month 12 and follows about
1,000 of them (the others are reinforced or lose a person), a binomial error of about 0.01; measured, the seeds
spread by 0.013 and the 95% interval of their mean is about +-0.017, against a target interval of 0.05-0.2.
"""

import pytest
from check import assert_within

from simulation import measures

pytestmark = pytest.mark.validation


def test_one_year_survival_of_weak_unreinforced_bridges():
    EVIDENCE_ID = "network.bridge_survival"
    assert_within(measures.bridge_survival(), EVIDENCE_ID, "share of weak unreinforced bridges left after a year")
