"""A tiny posterior folder for tests: what `leadsim calibrate` writes (posterior.parquet and manifest.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

IMPACT = "initiatives.impact"
EFFECT = "interventions.individual_training.params.effect_size"
ROWS = {IMPACT: [0.1, 0.3, 0.5, 0.7], EFFECT: [0.2, 0.5, 1.0, 1.5], "weight": [0.1, 0.2, 0.3, 0.4]}
"""Four particles of two parameters: a scenario field and a training intervention's parameter (by type)."""


def write_posterior(folder: Path, columns: dict[str, list] | None = None, manifest: object = None) -> Path:
    """Write ``columns`` (default :data:`ROWS`) as ``folder/posterior.parquet`` with a small manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(ROWS if columns is None else columns).to_parquet(folder / "posterior.parquet", index=False)
    manifest = {"tool": "leadsim", "kind": "calibration"} if manifest is None else manifest
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder
