"""Reading a spec file (a study or a calibration): one YAML mapping validated into its pydantic model, every
problem reported at its file, line and field with what is allowed."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from simulation.problems import Loc, Problem, ScenarioFileError, line_at, unique
from simulation.scenario_files import describe, field_at, parse_yaml, read_text


def read_spec[Spec: BaseModel](name: str, root: type[Spec], kind: str) -> tuple[Spec, str, dict[Loc, int]]:
    """The file ``name`` as a ``root`` (``kind`` names it in messages), its text and the line of every key;
    raises :class:`ScenarioFileError` listing every problem."""
    text = read_text(name)
    data, lines = parse_yaml(text, name)
    if not isinstance(data, dict):
        held = "nothing" if data is None else type(data).__name__
        raise ScenarioFileError.one(name, f"the file holds {held}, but {kind} is a mapping of fields "
                                          f"({', '.join(root.model_fields)})", line=1 if data else None)
    try:
        return root.model_validate(data, strict=True), text, lines
    except ValidationError as exc:
        raise ScenarioFileError(unique([spec_problem(err, name, lines, root) for err in exc.errors()])) from None


def spec_problem(err: Any, name: str, lines: dict[Loc, int], root: type[BaseModel]) -> Problem:
    """One pydantic error of a spec file as a problem at its line, with the allowed fields or values."""
    loc: Loc = tuple(err["loc"])
    loc = tuple(k for k in loc if not (isinstance(k, str) and k in ("int", "float", "str", "literal[...]")
                                       or str(k).startswith(("literal[", "function-"))))
    kind = err["type"]
    dotted = ".".join(map(str, loc)) or None
    line = line_at(lines, loc)
    if kind == "extra_forbidden":
        _, container = field_at(root, loc[:-1])
        allowed = list((container or root).model_fields)
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        return Problem(name, f"unknown field {loc[-1]!r}.{hint} Allowed: {', '.join(allowed)}", dotted, line)
    info, model = field_at(root, loc)
    msg = err["msg"]
    if kind == "value_error":
        return Problem(name, str(err["ctx"]["error"]) if "ctx" in err else msg, dotted, line)
    allowed = describe(info, model)
    if info is not None and info.description and model is None:
        allowed += f" - {info.description}"
    if kind == "missing":
        return Problem(name, f"is required but missing. Allowed: {allowed}", dotted, line)
    shown = repr(err.get("input"))
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return Problem(name, f"got {shown}, but {msg[0].lower() + msg[1:]}. Allowed: {allowed}", dotted, line)
