"""Parameter provenance: one helper that documents a parameter's unit and where its concept and its value come from.

Every scenario field (``scenario.py``) and every intervention parameter (``interventions/params/*.py``) is
declared with :func:`param`, so ``leadsim schema``, the ODD parameter table (``docs/param_table.py``) and editors
read the same facts. Two sources are kept apart because they are different claims:

* ``concept`` - where the *idea* of the parameter comes from (a mechanism in a seed document or a paper);
* ``value`` - where the *number* comes from. :data:`ASSUMPTION` when no source gives it (even when the concept is
  sourced: a source that names a mechanism but not its size gives a concept, not a value); :data:`SETTING` for
  choices of the study rather than claims about the world (community size, horizon, seed, a shock's month).
* ``checked`` - whether the value's figure was read in the cited source (or an abstract of it). Only a sourced value
  can be checked.

The metadata sit in the pydantic field's ``json_schema_extra`` as ``unit``, ``concept_source``, ``value_source``,
``value_checked`` and ``source`` (a copy of ``value_source`` for readers written before the split).

Reads and writes no model state: it only builds field declarations.

>>> from pydantic import BaseModel
>>> class Demo(BaseModel):
...     rate: float = param(0.1, ge=0, le=1, unit="per month", concept="Burt 2002", description="A rate.")
>>> provenance(Demo.model_fields["rate"])
Provenance(unit='per month', concept='Burt 2002', value='assumption', checked=False)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field
from pydantic.fields import FieldInfo

ASSUMPTION = "assumption"
SETTING = "setting"
DESIGN = "model design (docs/ODD.md)"  # a concept of the model's own structure, not taken from a source
UNSOURCED = (ASSUMPTION, SETTING)


@dataclass(frozen=True)
class Provenance:
    """Where a parameter's concept and value come from, read back from its field."""

    unit: str
    concept: str
    value: str
    checked: bool

    @property
    def kind(self) -> str:
        """``"setting"``, ``"assumption"``, ``"checked"`` (a sourced value read in its source) or ``"unchecked"``."""
        if self.value in UNSOURCED:
            return self.value
        return "checked" if self.checked else "unchecked"


def param(default: Any, *, ge: float | None = None, le: float | None = None, unit: str = "", concept: str = "",
          value: str = ASSUMPTION, checked: bool = False, description: str, source: str = "",
          **field_kwargs: Any) -> Any:
    """A documented field: default, range, unit, description and provenance in one place.

    ``source`` is the pre-split keyword: a source given without saying what it supports is recorded as the concept's
    source, the value staying an assumption (the cautious reading). Other keywords (``pattern``, ``min_length``...)
    go to :func:`pydantic.Field`. A checked assumption is a contradiction and raises ``ValueError``.
    """
    if source and not concept:
        concept = source
    if not value:
        value = ASSUMPTION
    if checked and value in UNSOURCED:
        raise ValueError(f"a value that is a {value!r} cannot be checked ({description!r})")
    extra = {"unit": unit, "concept_source": concept, "value_source": value, "value_checked": bool(checked),
             "source": value}
    return Field(default, ge=ge, le=le, description=description, json_schema_extra=extra, **field_kwargs)


def provenance(field: FieldInfo) -> Provenance:
    """The provenance of a declared field; a field declared without :func:`param` reads as an undocumented
    assumption (no unit, no concept)."""
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    value = str(extra.get("value_source") or ASSUMPTION)
    return Provenance(unit=str(extra.get("unit") or ""), concept=str(extra.get("concept_source") or ""),
                      value=value, checked=bool(extra.get("value_checked")) and value not in UNSOURCED)
