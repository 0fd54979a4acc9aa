"""What every validation test shares: the target's interval from the evidence file, and the acceptance rules.

The rule (:func:`assert_within`): the measured mean over the fixed seeds lies inside the evidence target's
interval. No extra tolerance is added: each interval already spans the published estimates (their spread between
studies is wider than the model's seed-to-seed error, reported with each failure so a near miss can be told from a
far one). A direction target - a study reports an association as significant, not its size - is held to the
stricter :func:`assert_above`: the whole 95% interval of the mean lies above the interval's low end.
"""

from __future__ import annotations

import math

from simulation.evidence import target
from simulation.measures import Estimate


def interval(evidence_id: str) -> tuple[float, float]:
    """The target's interval (low, high) from the evidence file (simulation/evidence.yaml)."""
    low, high = target(evidence_id).interval
    return float(low), float(high)


def _measured(measured: Estimate, evidence_id: str, what: str) -> str:
    """What a failure says of the measurement: its mean, its 95% interval over seeds and the per-seed values."""
    assert not math.isnan(measured.value), f"{evidence_id}: {what} could not be measured (no data)"
    return (f"{evidence_id}: {what} = {measured.value:.3g} (95% interval over seeds {measured.low:.3g} to "
            f"{measured.high:.3g}; per seed {', '.join(f'{v:.3g}' for v in measured.values)})")


def assert_within(measured: Estimate, evidence_id: str, what: str) -> None:
    """Fail unless the measured mean lies in the target's interval; the message says by how much it misses."""
    low, high = interval(evidence_id)
    said = _measured(measured, evidence_id, what)
    miss = low - measured.value if measured.value < low else measured.value - high
    assert low <= measured.value <= high, f"{said} is outside the target [{low:g}, {high:g}] by {miss:.3g}"


def assert_above(measured: Estimate, evidence_id: str, what: str) -> None:
    """Fail unless the measured mean's 95% interval over seeds lies above the target's low end (a direction)."""
    low, _ = interval(evidence_id)
    said = _measured(measured, evidence_id, what)
    assert measured.low > low, (f"{said}: the interval does not lie above {low:g}, so the model shows no "
                                f"association distinguishable from none")
