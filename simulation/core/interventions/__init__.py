"""Interventions: the development strategies users compare, as plug-ins registered by name.

Importing this package imports every module in it, and each module registers its intervention with
``@register``. A new strategy is one new file here; nothing else changes. The contract (hooks, budget, meetings)
is in ``base.py`` and ``meetings.py``, and explained with an example in docs/interventions.md.
"""

import importlib
import pkgutil

from .base import REGISTRY, Intervention, InterventionParams, intervention_class, register
from .meetings import chunk_labels, connect_groups, group_pairs, meet, tie_at_least
from .selection import SELECTIONS

_SHARED = {"base", "meetings", "selection"}
for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module not in _SHARED and not _module.startswith("_"):
        importlib.import_module(f"{__name__}.{_module}")

__all__ = ["REGISTRY", "SELECTIONS", "Intervention", "InterventionParams", "chunk_labels", "connect_groups",
           "group_pairs", "intervention_class", "meet", "register", "tie_at_least"]
