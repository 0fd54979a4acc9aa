"""The model's numbers against the committed regression baseline (``tests/baseline.json``).

A failure here means a change moved the model's numbers. If that was the point of the change, regenerate the
baseline on purpose (``make baseline``) in a commit of its own and say in it what moved and why.
"""

import json

import numpy as np
import pytest
from baselines import ATOL, BASELINE, CASES, RTOL, final_metrics

EXPECTED = json.loads(BASELINE.read_text())


def test_the_baseline_covers_every_case():
    assert sorted(EXPECTED) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_final_month_metrics_match_the_baseline(case):
    for seed, expected in EXPECTED[case].items():
        got = final_metrics(case, int(seed))
        assert sorted(got) == sorted(expected), f"{case}: the metrics recorded changed"
        moved = {m: (expected[m], got[m]) for m in expected
                 if not np.isclose(got[m], expected[m], rtol=RTOL, atol=ATOL)}
        assert not moved, f"{case} seed {seed}: {len(moved)} metric(s) moved (baseline, now): {moved}"
