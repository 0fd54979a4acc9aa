"""Interventions: the development strategies users compare, as plug-ins registered by name.

Importing this package registers the built-in interventions. See ``base.py`` for the contract.
"""

from . import individual_training, null  # noqa: F401  (registers the built-ins)
from .base import REGISTRY, Intervention, InterventionParams, intervention_class, register
from .selection import SELECTIONS

__all__ = ["REGISTRY", "SELECTIONS", "Intervention", "InterventionParams", "intervention_class", "register"]
