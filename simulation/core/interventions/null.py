"""Business as usual: the baseline every strategy is compared with. It spends nothing and reaches no one."""

from __future__ import annotations

from .base import Intervention, register


@register
class NullIntervention(Intervention):
    name = "null"
    summary = "Business as usual: no programme (the baseline)."
    source = "docs/ODD.md §8.1 (the null intervention: the baseline of every comparison)"

    def event_size(self, model) -> int:
        return 0
