"""What every validation test shares: the target's interval from the evidence file, and the one acceptance rule.

The rule: the measured mean over the fixed seeds lies inside the evidence target's interval. No extra tolerance
is added: each interval already spans the published estimates (their spread between studies is wider than the
model's seed-to-seed error, reported with each failure so a near miss can be told from a far one).
"""

from __future__ import annotations

import math

from simulation.measures import Estimate


def interval(evidence_id: str) -> tuple[float, float]:
    """The target's interval (low, high): from ``simulation.evidence`` once it exists, else the stand-in table."""
    try:
        from simulation.evidence import target
    except ImportError:
        from targets import STAND_IN  # temporary: see targets.py

        return STAND_IN[evidence_id].interval
    found = target(evidence_id)
    pair = found.get("interval") if isinstance(found, dict) else getattr(found, "interval", None)
    if pair is None:
        pair = (found["low"], found["high"]) if isinstance(found, dict) else (found.low, found.high)
    return float(pair[0]), float(pair[1])


def assert_within(measured: Estimate, evidence_id: str, what: str) -> None:
    """Fail unless the measured mean lies in the target's interval; the message says by how much it misses."""
    low, high = interval(evidence_id)
    assert not math.isnan(measured.value), f"{evidence_id}: {what} could not be measured (no data)"
    miss = low - measured.value if measured.value < low else measured.value - high
    assert low <= measured.value <= high, (
        f"{evidence_id}: {what} = {measured.value:.3g} (95% interval over seeds {measured.low:.3g} to "
        f"{measured.high:.3g}; per seed {', '.join(f'{v:.3g}' for v in measured.values)}) is outside the target "
        f"[{low:g}, {high:g}] by {miss:.3g}")
