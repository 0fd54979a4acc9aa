"""``python -m simulation.measures``: every measure, one line each."""

from . import measure_all

for evidence_id, estimate in measure_all().items():
    print(f"{evidence_id}: {estimate}")
