"""Interventions: the development strategies users compare, as plug-ins registered by name.

Each module here defines a strategy and registers it with ``@register``; its parameters (``Params``) live in
the module of the same name in ``params/``. A new strategy is those two new files; nothing else changes. The
registry (``registry.py``) knows the package's strategies and where their parameters are before importing them
and imports a strategy's module when its class is first used, so that reading a scenario or describing the
interventions loads neither Mesa nor the compiled kernels. The contract (hooks, budget, meetings) is in
``base.py`` and ``meetings.py``, and explained with an example in docs/interventions.md.
"""

from typing import Any

from .base import REGISTRY, Intervention, InterventionParams, intervention_class, register
from .selection import SELECTIONS

_MEETINGS = ("chunk_labels", "connect_groups", "group_pairs", "meet", "tie_at_least")
"""The helpers of ``meetings.py``, loaded on first use (they import the network and its kernels)."""


def __getattr__(name: str) -> Any:
    if name in _MEETINGS:
        from . import meetings

        return getattr(meetings, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["REGISTRY", "SELECTIONS", "Intervention", "InterventionParams", "chunk_labels", "connect_groups",
           "group_pairs", "intervention_class", "meet", "register", "tie_at_least"]
