"""Interventions: the development strategies users compare, as plug-ins registered by name.

Importing this package imports every module in it, and each module registers its intervention with
``@register`` (see ``base.py`` for the contract). A new strategy is one new file here; nothing else changes.
"""

import importlib
import pkgutil

from .base import REGISTRY, Intervention, InterventionParams, intervention_class, register
from .selection import SELECTIONS

_SHARED = {"base", "selection"}
for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module not in _SHARED and not _module.startswith("_"):
        importlib.import_module(f"{__name__}.{_module}")

__all__ = ["REGISTRY", "SELECTIONS", "Intervention", "InterventionParams", "intervention_class", "register"]
